"""Backlog columns: the epic Progress roll-up, the Open questions view, sorting, the chooser."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.modeltest import ModelTester

from cspo_desktop.domain.filters import QUICK_VIEW_LABELS, BacklogFilter, QuickView, View
from cspo_desktop.domain.rollup import share
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.models.backlog import BacklogModel
from cspo_desktop.ui.models.backlog_columns import (
    COLUMNS,
    DEFAULT_HIDDEN,
    DEFAULT_HIDDEN_BY_VIEW,
    KEY_COLUMN,
    PROGRESS_COLUMN,
    READY_COLUMN,
    TITLE_COLUMN,
)
from cspo_desktop.ui.pages.backlog import BacklogPage
from cspo_desktop.ui.widgets.column_chooser import (
    apply_hidden,
    column_menu,
    hidden_columns,
    install_column_chooser,
)

from .conftest import Window, check_model

C = {name: i for i, name in enumerate(BACKLOG_COLUMNS)}
HEADERS = [header for header, *_rest in COLUMNS]
PTS, STATUS, MOSCOW, TITLE = (HEADERS.index(h) for h in ("Pts", "Status", "MoSCoW", "Title"))
Row = tuple[Any, ...]


def rank_position(model: BacklogModel) -> dict[int, int]:
    return {int(r[C["id"]]): n for n, r in enumerate(model.all_rows())}


def assert_ties_in_rank_order(model: BacklogModel, value: Any) -> None:
    """Rows with equal ``value`` follow each other in rank order."""
    position = rank_position(model)
    rows = model.rows()
    for above, below in itertools.pairwise(rows):
        if value(above) == value(below):
            assert position[above[C["id"]]] < position[below[C["id"]]]


# ---- Progress


def test_the_epics_view_shows_each_epics_roll_up(backlog: BacklogPage) -> None:
    model = backlog.model
    backlog.set_filter(BacklogFilter(view=View.EPICS))
    assert model.rowCount() > 0
    children: dict[int, list[Row]] = {}
    for row in model.all_rows():
        if row[C["parent_id"]] is not None:
            children.setdefault(row[C["parent_id"]], []).append(row)
    some_done = False
    for n, epic in enumerate(model.rows()):
        kids = children.get(epic[C["id"]], [])
        assert kids, "the demo's epics all hold items"
        points = sum(k[C["points"]] or 0 for k in kids)
        done = [k for k in kids if k[C["status"]] == "done"]
        done_points = sum(k[C["points"]] or 0 for k in done)
        percent = share(done_points, points) if points else share(len(done), len(kids))
        some_done = some_done or bool(done)
        text = model.index(n, PROGRESS_COLUMN).data()
        assert text.startswith(f"{percent}% · ")
        assert text.endswith(f" · {len(kids)} items")
        assert f"{done_points:g}/{points:g} pts" in text
        tip = model.index(n, PROGRESS_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
        assert tip == (
            f"{len(done)} of {len(kids)} items done; {done_points:g} of {points:g} points done"
        )
        assert model.rollup_of(epic[C["id"]]) is not None
    assert some_done
    assert PROGRESS_COLUMN not in DEFAULT_HIDDEN_BY_VIEW[View.EPICS]
    assert model.headerData(PROGRESS_COLUMN, Qt.Orientation.Horizontal) == "Progress"


def test_progress_is_empty_for_items_that_are_not_epics(backlog: BacklogPage) -> None:
    model = backlog.model
    assert model.rowCount() > 0
    assert {model.index(r, PROGRESS_COLUMN).data() for r in range(model.rowCount())} == {""}
    assert model.index(0, PROGRESS_COLUMN).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.rollup_of(model.id_at(0)) is None
    assert PROGRESS_COLUMN in DEFAULT_HIDDEN == DEFAULT_HIDDEN_BY_VIEW[View.BACKLOG]
    assert HEADERS.index("Ready") == READY_COLUMN  # Ready keeps its own cells
    marks = {model.index(r, READY_COLUMN).data() for r in range(model.rowCount())}
    assert marks == {"✓ Ready", "! Not ready", ""}  # done items are neither


# ---- Open questions


def test_the_open_questions_view_lists_exactly_the_items_with_open_questions(
    backlog: BacklogPage, qtmodeltester: ModelTester
) -> None:
    assert list(QUICK_VIEW_LABELS)[:6] == [
        QuickView.ALL,
        QuickView.NOT_READY,
        QuickView.MISSING_ESTIMATE,
        QuickView.BLOCKED,
        QuickView.OPEN_QUESTIONS,
        QuickView.ORPHANS,
    ]
    labels = [backlog.filter_bar.quick.itemText(i) for i in range(backlog.filter_bar.quick.count())]
    assert "Open questions" in labels
    model = backlog.model
    backlog.set_filter(BacklogFilter(quick=QuickView.OPEN_QUESTIONS))
    expected = [
        r[C["id"]]
        for r in model.all_rows()
        if r[C["open_questions"]] > 0 and r[C["segment"]] == "backlog" and r[C["type"]] != "epic"
    ]
    assert expected
    assert model.ids() == expected
    assert "filtered view" in backlog.summary.text()
    check_model(qtmodeltester, model)


# ---- Sorting


def test_sorting_by_points_puts_empties_last_and_stops_drag_and_drop(
    window: Window, backlog: BacklogPage, qtmodeltester: ModelTester
) -> None:
    model = backlog.model
    ranked = model.ids()
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    model.set_sort(PTS, descending=False)
    assert (model.is_sorted, model.sorted_column()) == (True, PTS)
    assert sorted(model.ids()) == sorted(ranked)
    points = [r[C["points"]] for r in model.rows()]
    filled = [p for p in points if p is not None]
    assert 0 < len(filled) < len(points)
    assert points == filled + [None] * (len(points) - len(filled))
    assert filled == sorted(filled)
    assert_ties_in_rank_order(model, lambda r: r[C["points"]])
    assert model.headerData(PTS, Qt.Orientation.Horizontal) == "Pts ▲"
    assert model.headerData(TITLE, Qt.Orientation.Horizontal) == "Title"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    # No drags, no drops, and a drop that arrives anyway asks for nothing.
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert not model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    assert model.anchor_for_drop(2, set()) is None
    assert window.document is not None
    stack = window.document.undo_stack
    before, shown = stack.count(), model.ids()
    data = model.mimeData([model.index(5, 0)])
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, QModelIndex()) is False
    assert stack.count() == before
    assert model.ids() == shown
    check_model(qtmodeltester, model)

    model.set_sort(PTS, descending=True)
    assert model.headerData(PTS, Qt.Orientation.Horizontal) == "Pts ▼"
    points = [r[C["points"]] for r in model.rows()]
    assert points == sorted(filled, reverse=True) + [None] * (len(points) - len(filled))
    assert_ties_in_rank_order(model, lambda r: r[C["points"]])

    model.set_sort(None)
    assert (model.is_sorted, model.sorted_column()) == (False, None)
    assert model.ids() == ranked
    assert model.headerData(PTS, Qt.Orientation.Horizontal) == "Pts"
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled


@pytest.mark.parametrize(
    ("column", "order"),
    [
        (STATUS, ["todo", "in_progress", "done"]),
        (MOSCOW, ["must", "should", "could", "wont", None]),
    ],
)
def test_status_and_moscow_sort_in_their_own_order(
    backlog: BacklogPage, column: int, order: list[str | None]
) -> None:
    backlog.set_filter(BacklogFilter(show_epics=True))
    model = backlog.model
    name = "status" if column == STATUS else "moscow"
    model.set_sort(column)
    seen = [r[C[name]] for r in model.rows()]
    assert len(set(seen)) >= 3
    assert seen == sorted(seen, key=order.index)
    assert_ties_in_rank_order(model, lambda r: r[C[name]])


def test_text_sorts_ignore_case_and_ready_sorts_ready_first(backlog: BacklogPage) -> None:
    model = backlog.model
    model.set_sort(TITLE)
    titles = [model.index(r, TITLE).data() for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    model.set_sort(READY_COLUMN)
    marks = [model.index(r, READY_COLUMN).data() for r in range(model.rowCount())]
    assert "✓ Ready" in marks
    assert "! Not ready" in marks
    assert marks == sorted(marks, key=["✓ Ready", "! Not ready", ""].index)  # done items last
    model.set_sort(KEY_COLUMN, descending=True)
    numbers = [int(str(r[C["key"]]).rsplit("-", 1)[1]) for r in model.rows()]
    assert numbers == sorted(numbers, reverse=True)  # PB-10 after PB-9, not after PB-1


def test_progress_sorts_epics_by_done_share(backlog: BacklogPage) -> None:
    backlog.set_filter(BacklogFilter(view=View.EPICS))
    model = backlog.model
    model.set_sort(PROGRESS_COLUMN, descending=True)
    shares = [model.rollup_of(i).percent for i in model.ids()]  # type: ignore[union-attr]
    assert shares == sorted(shares, reverse=True)


def test_filtering_keeps_the_sort_and_the_selection_follows_its_item(
    backlog: BacklogPage, qtmodeltester: ModelTester
) -> None:
    model = backlog.model
    backlog.select_item(model.id_at(3))
    chosen = backlog.current_item()
    assert chosen is not None
    model.set_sort(PTS, descending=True)
    assert backlog.current_item() == chosen
    assert backlog.selected_ids() == [chosen]
    backlog.set_filter(BacklogFilter(text="card"))
    shown = model.rows()
    assert shown
    assert all("card" in " ".join(str(v or "") for v in r).casefold() for r in shown)
    points = [r[C["points"]] for r in shown]
    filled = [p for p in points if p is not None]
    assert points == sorted(filled, reverse=True) + [None] * (len(points) - len(filled))
    check_model(qtmodeltester, model)
    backlog.set_filter(BacklogFilter(quick=QuickView.MISSING_ESTIMATE))
    assert model.is_sorted
    check_model(qtmodeltester, model)


def test_a_move_undone_while_sorted_keeps_the_rows_sorted(
    window: Window, backlog: BacklogPage, qtmodeltester: ModelTester
) -> None:
    model = backlog.model
    ranked = model.ids()
    # An item with an estimate some higher-ranked item shares: on top, it leads its ties.
    points = [r[C["points"]] for r in model.rows()]
    source = next(n for n, p in enumerate(points) if p is not None and p in points[:n])
    data = model.mimeData([model.index(source, 0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert model.ids()[0] == ranked[source]
    model.set_sort(PTS)
    sorted_ids = model.ids()
    assert window.document is not None
    window.document.undo_stack.undo()  # the page hands the model the old ranks
    assert sorted(model.ids()) == sorted(ranked)
    points = [r[C["points"]] for r in model.rows()]
    filled = [p for p in points if p is not None]
    assert points == sorted(filled) + [None] * (len(points) - len(filled))
    assert_ties_in_rank_order(model, lambda r: r[C["points"]])
    assert model.ids() != sorted_ids  # the undone item went back among its ties
    check_model(qtmodeltester, model)
    model.set_sort(None)
    assert model.ids() == ranked


def test_a_header_click_cycles_up_down_and_back_to_rank_order(backlog: BacklogPage) -> None:
    model = backlog.model
    ranked = model.ids()
    model.toggle_sort(PTS)
    assert (model.sorted_column(), model.is_descending) == (PTS, False)
    model.toggle_sort(PTS)
    assert (model.sorted_column(), model.is_descending) == (PTS, True)
    model.toggle_sort(TITLE)
    assert (model.sorted_column(), model.is_descending) == (TITLE, False)
    model.toggle_sort(TITLE)
    model.toggle_sort(TITLE)
    assert model.sorted_column() is None
    assert model.ids() == ranked
    model.sort(PTS, Qt.SortOrder.DescendingOrder)
    assert (model.sorted_column(), model.is_descending) == (PTS, True)
    model.sort(-1)
    assert not model.is_sorted
    with pytest.raises(ValueError, match="No column"):
        model.set_sort(len(COLUMNS))


# ---- Column chooser


def test_the_column_chooser_hides_a_column_and_reports_it(backlog: BacklogPage) -> None:
    table = backlog.table
    reported: list[list[int]] = []
    install_column_chooser(table, DEFAULT_HIDDEN, reported.append)
    header = table.horizontalHeader()
    assert header.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    assert table.isColumnHidden(PROGRESS_COLUMN)
    assert hidden_columns(table) == [PROGRESS_COLUMN]
    backlog.model.set_sort(PTS)  # the menu lists plain names, without the sort mark
    menu = column_menu(table)
    actions = {action.text(): action for action in menu.actions()}
    assert list(actions) == HEADERS
    assert not actions["Progress"].isChecked()
    assert actions["Pts"].isChecked()
    for locked in ("Key", "Title"):
        assert actions[locked].isChecked()
        assert not actions[locked].isEnabled()
    actions["Pts"].trigger()
    assert table.isColumnHidden(PTS)
    assert isinstance(header, QHeaderView)
    assert header.isSectionHidden(PTS)
    assert reported == [[PTS, PROGRESS_COLUMN]]
    actions["Progress"].trigger()
    assert not table.isColumnHidden(PROGRESS_COLUMN)
    assert reported[-1] == [PTS]
    # A new menu shows the current state; showing the column again reports that too.
    again = {action.text(): action for action in column_menu(table).actions()}
    assert not again["Pts"].isChecked()
    again["Pts"].trigger()
    assert reported[-1] == []
    assert not table.isColumnHidden(PTS)
    # The hidden columns survive a re-read and a new filter text.
    table.setColumnHidden(PTS, True)
    backlog.refresh()
    backlog.set_filter(BacklogFilter(text="pay"))
    assert table.isColumnHidden(PTS)


def test_each_view_remembers_its_own_columns(window: Window, backlog: BacklogPage) -> None:
    table = backlog.table
    assert table.isColumnHidden(PROGRESS_COLUMN)  # the roll-up means nothing in the Backlog
    backlog.set_filter(BacklogFilter(view=View.EPICS))
    assert not table.isColumnHidden(PROGRESS_COLUMN)
    actions = {a.text(): a for a in column_menu(table).actions()}
    assert table.isColumnHidden(HEADERS.index("Sprint"))  # empty for epics: hidden there
    assert backlog.summary.text().startswith("8 epics · ")
    actions["Labels"].trigger()
    labels = HEADERS.index("Labels")
    assert labels in (window.settings.hidden_columns("epics") or [])
    backlog.set_filter(BacklogFilter())
    assert not table.isColumnHidden(labels)
    assert not table.isColumnHidden(HEADERS.index("Sprint"))
    backlog.set_filter(BacklogFilter(view=View.EPICS))
    assert table.isColumnHidden(labels)


def test_apply_hidden_hides_exactly_those_and_never_key_or_title(backlog: BacklogPage) -> None:
    table = backlog.table
    apply_hidden(table, [KEY_COLUMN, TITLE_COLUMN, PTS, STATUS, 99])
    assert hidden_columns(table) == [PTS, STATUS]
    apply_hidden(table, [PROGRESS_COLUMN])
    assert hidden_columns(table) == [PROGRESS_COLUMN]
    apply_hidden(table, [])
    assert hidden_columns(table) == []
