"""Backlog views, the text filter and quick views; moving while filtered."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from cspo_desktop.domain.filters import BacklogFilter, QuickView, View
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.pages.backlog import BacklogPage

from .conftest import Window, check_model

C = {name: i for i, name in enumerate(BACKLOG_COLUMNS)}


def all_order(page: BacklogPage) -> list[int]:
    conn = sqlite3.connect(page._document.path)  # the test reads the file itself
    try:
        return [row[0] for row in conn.execute("SELECT id FROM item ORDER BY rank, id")]
    finally:
        conn.close()


def test_views_split_backlog_inbox_and_epics(backlog: BacklogPage) -> None:
    rows = backlog.model.all_rows()
    shown = backlog.model.rows()
    assert shown
    assert all(r[C["type"]] != "epic" and r[C["segment"]] == "backlog" for r in shown)
    backlog.set_filter(BacklogFilter(view=View.INBOX))
    inbox = backlog.model.rows()
    assert inbox
    assert all(r[C["segment"]] == "inbox" for r in inbox)
    backlog.set_filter(BacklogFilter(view=View.EPICS))
    assert {r[C["type"]] for r in backlog.model.rows()} == {"epic"}
    backlog.set_filter(BacklogFilter(show_epics=True))
    assert len(backlog.model.rows()) == len(shown) + sum(
        1 for r in rows if r[C["type"]] == "epic" and r[C["segment"]] == "backlog"
    )
    labels = {b.text().split()[0]: b.text() for b in backlog.filter_bar._buttons.values()}
    assert labels["Backlog"] == f"Backlog {len(shown)}"


def test_the_text_filter_matches_every_word_in_key_title_description_and_labels(
    backlog: BacklogPage,
) -> None:
    assert backlog.filter_bar.text.objectName() == "backlogFilter"
    backlog.set_filter(BacklogFilter(text="CARD"))
    found = backlog.model.rows()
    assert found
    for row in found:
        haystack = " ".join(str(row[C[n]] or "") for n in ("key", "title", "description", "labels"))
        assert "card" in haystack.casefold()
    first_key = str(backlog.model.all_rows()[0][C["key"]])
    backlog.set_filter(BacklogFilter(view=View.EPICS, text=first_key.lower()))
    assert [r[C["key"]] for r in backlog.model.rows()] == [first_key]
    backlog.set_filter(BacklogFilter(text="no such words anywhere"))
    assert backlog.model.rowCount() == 0
    assert backlog.empty.isVisible()
    assert backlog.empty.text() == "No items match this filter."


@pytest.mark.parametrize(
    ("quick", "check"),
    [
        (QuickView.MISSING_ESTIMATE, lambda r: r[C["points"]] is None),
        (QuickView.BLOCKED, lambda r: bool(r[C["blocked"]])),
        (QuickView.ORPHANS, lambda r: r[C["goal"]] is None),
    ],
)
def test_quick_views(
    backlog: BacklogPage, quick: QuickView, check: Callable[[tuple[object, ...]], bool]
) -> None:
    backlog.set_filter(BacklogFilter(quick=quick))
    rows = backlog.model.rows()
    assert rows
    assert all(check(r) for r in rows)
    assert "filtered view" in backlog.summary.text()


def test_stale_items_are_the_ones_untouched_for_n_days(backlog: BacklogPage) -> None:
    everything = len(backlog.model.rows())
    backlog.set_filter(BacklogFilter(quick=QuickView.STALE, stale_days=0))
    assert backlog.model.rowCount() == everything
    backlog.set_filter(BacklogFilter(quick=QuickView.STALE, stale_days=100_000))
    assert backlog.model.rowCount() == 0


def test_a_drop_in_a_filtered_view_lands_after_the_visible_row_above(
    window: Window, backlog: BacklogPage, qtmodeltester: ModelTester
) -> None:
    backlog.set_filter(BacklogFilter(text="pot"))
    model = backlog.model
    shown = model.ids()
    assert len(shown) >= 6
    hidden_before = [i for i in all_order(backlog) if i not in set(shown)]
    data = model.mimeData([model.index(5, 0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert model.ids() == [shown[0], shown[1], shown[5], *shown[2:5], *shown[6:]]
    order = all_order(backlog)
    assert order.index(shown[5]) == order.index(shown[1]) + 1  # right after the row above
    assert [i for i in order if i not in set(shown)] == hidden_before  # hidden items stay put
    check_model(qtmodeltester, model)
    assert window.document is not None
    window.document.undo_stack.undo()
    assert model.ids() == shown
    assert [i for i in all_order(backlog) if i not in set(shown)] == hidden_before


def test_readiness_says_why_and_the_not_ready_view_lists_exactly_those(
    backlog: BacklogPage,
) -> None:
    from cspo_desktop.ui.models.backlog_columns import READY_COLUMN

    model = backlog.model
    marks = [model.index(r, READY_COLUMN).data() for r in range(model.rowCount())]
    assert "✓ Ready" in marks
    assert "! Not ready" in marks
    row = marks.index("! Not ready")
    why = model.index(row, READY_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert why.startswith("Not ready: ")
    not_ready = sum(1 for m in marks if m == "! Not ready")
    backlog.set_filter(BacklogFilter(quick=QuickView.NOT_READY))
    assert model.rowCount() == not_ready
    assert all(
        model.index(r, READY_COLUMN).data() == "! Not ready" for r in range(model.rowCount())
    )


def labels(row: tuple[object, ...]) -> list[str]:
    import json

    return list(json.loads(str(row[C["labels"]]) or "[]"))


def test_field_terms_filter_by_label_type_status_epic_and_goal(backlog: BacklogPage) -> None:
    rows = [r for r in backlog.model.all_rows() if r[C["segment"]] == "backlog"]
    label = labels(next(r for r in rows if labels(r)))[0]
    backlog.set_filter(BacklogFilter(text=f"label: {label}"))
    shown = backlog.model.rows()
    assert shown
    assert all(label in labels(r) for r in shown)
    backlog.set_filter(BacklogFilter(text='type:bug status:"to do"'))
    assert {(r[C["type"]], r[C["status"]]) for r in backlog.model.rows()} <= {("bug", "todo")}
    epic = next(r for r in rows if r[C["parent"]])
    backlog.set_filter(BacklogFilter(text=f"epic:{epic[C['parent']]}"))
    assert {r[C["parent"]] for r in backlog.model.rows()} == {epic[C["parent"]]}
    goal = str(next(r for r in rows if r[C["goal"]])[C["goal"]])
    backlog.set_filter(BacklogFilter(text=f'goal:"{goal}"'))
    assert {r[C["goal"]] for r in backlog.model.rows()} == {goal}
    # A field the app does not know is an ordinary word; an empty one is ignored.
    backlog.set_filter(BacklogFilter(text="colour:red"))
    assert backlog.model.rowCount() == 0
    backlog.set_filter(BacklogFilter(text="label:"))
    assert backlog.model.rowCount() == len([r for r in rows if r[C["type"]] != "epic"])


def test_a_drop_in_a_label_view_lands_after_the_visible_row_above(
    window: Window, backlog: BacklogPage
) -> None:
    rows = [r for r in backlog.model.all_rows() if r[C["segment"]] == "backlog"]
    label = labels(next(r for r in rows if labels(r)))[0]
    backlog.set_filter(BacklogFilter(text=f"label:{label}"))
    shown = backlog.model.ids()
    assert len(shown) >= 3
    data = backlog.model.mimeData([backlog.model.index(len(shown) - 1, 0)])
    backlog.model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    order = all_order(backlog)
    assert order.index(shown[-1]) == order.index(shown[0]) + 1
