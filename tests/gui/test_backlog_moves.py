"""Ranking the backlog: drops, keys and menu moves are one undoable command each."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from cspo_desktop.domain.ordering import Anchor
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.models.backlog import MIME_TYPE, BacklogModel, encode_ids
from cspo_desktop.ui.pages.backlog import BacklogPage

from .conftest import Window, check_model


def db_order(page: BacklogPage) -> list[int]:
    """The file's order of the items the view shows (epics and the Inbox are other views)."""
    shown = set(page.model.ids())
    conn = sqlite3.connect(page._document.path)
    try:
        ordered = [row[0] for row in conn.execute("SELECT id FROM item ORDER BY rank, id")]
    finally:
        conn.close()
    return [item for item in ordered if item in shown]


def select_rows(page: BacklogPage, *rows: int) -> None:
    selection = page.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            page.model.index(row, 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )


def test_a_drop_of_two_rows_is_one_move_and_one_undo_step(
    window: Window, backlog: BacklogPage
) -> None:
    model = backlog.model
    before = model.ids()
    assert db_order(backlog) == before
    dragged = [model.index(10, 0), model.index(12, 0)]
    data = model.mimeData(dragged)
    assert bytes(data.data(MIME_TYPE).data()) == bytes(encode_ids([before[10], before[12]]).data())
    # Qt calls dropMimeData with the row the drop line is above; False means "do not remove".
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 2, 0, QModelIndex()) is False
    expected = [*before[:2], before[10], before[12]]
    assert model.ids()[:4] == expected
    assert model.rowCount() == len(before)
    assert db_order(backlog) == model.ids()
    assert window.document is not None
    assert window.document.undo_stack.count() == 1
    window.registry[ActionId.UNDO].trigger()
    assert model.ids() == before
    assert db_order(backlog) == before
    window.registry[ActionId.REDO].trigger()
    assert model.ids()[:4] == expected
    assert db_order(backlog) == model.ids()


def test_the_model_never_implements_move_rows(backlog: BacklogPage) -> None:
    model = backlog.model
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 5) is False
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDropEnabled
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled


def test_keyboard_nudges_merge_into_one_undo_step(window: Window, backlog: BacklogPage) -> None:
    model = backlog.model
    before = model.ids()
    select_rows(backlog, 3)
    for _ in range(3):
        window.registry[ActionId.MOVE_DOWN].trigger()
    assert model.ids()[6] == before[3]
    assert db_order(backlog) == model.ids()
    assert window.document is not None
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText().startswith("Move '")
    window.registry[ActionId.MOVE_UP].trigger()
    assert model.ids()[5] == before[3]
    window.registry[ActionId.UNDO].trigger()
    assert model.ids() == before
    assert db_order(backlog) == before


def test_top_bottom_and_position_moves(window: Window, backlog: BacklogPage) -> None:
    model = backlog.model
    before = model.ids()
    select_rows(backlog, 5, 7)
    window.registry[ActionId.MOVE_TOP].trigger()
    assert model.ids()[:2] == [before[5], before[7]]
    window.registry[ActionId.MOVE_BOTTOM].trigger()
    assert model.ids()[-2:] == [before[5], before[7]]
    backlog.move_selection_to_position(4)
    assert model.ids()[3:5] == [before[5], before[7]]
    assert db_order(backlog) == model.ids()
    assert sorted(model.ids()) == sorted(before)


def test_a_move_already_in_place_offers_no_undo(window: Window, backlog: BacklogPage) -> None:
    model = backlog.model
    first, second = model.ids()[:2]
    backlog._move([second], Anchor(after=first))
    assert window.document is not None
    assert window.document.undo_stack.count() == 0


def test_a_failed_move_leaves_file_view_and_undo_untouched(
    window: Window, backlog: BacklogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cspo_desktop.services import ranking

    model = backlog.model
    before = model.ids()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ranking, "_write", broken)
    select_rows(backlog, 4)
    window.registry[ActionId.MOVE_TOP].trigger()
    assert model.ids() == before
    assert db_order(backlog) == before
    assert window.document is not None
    assert window.document.undo_stack.count() == 0
    assert window.messages
    assert "not saved" in window.messages[-1][2] or "full" in window.messages[-1][2]


def test_the_model_passes_the_model_tester_through_moves(
    window: Window, backlog: BacklogPage, qtmodeltester: ModelTester
) -> None:
    check_model(qtmodeltester, backlog.model)
    select_rows(backlog, 2, 3, 9)
    window.registry[ActionId.MOVE_BOTTOM].trigger()
    check_model(qtmodeltester, backlog.model)


def test_drop_anchor_skips_the_dragged_rows() -> None:
    rows = [
        (
            i,
            f"K-{i}",
            "story",
            f"T{i}",
            None,
            None,
            "todo",
            "backlog",
            0,
            "[]",
            None,
            None,
            None,
            None,
            None,
            f"a{i}",
            "",
            "2026-01-01T00:00:00+00:00",
        )
        for i in range(5)
    ]
    model = BacklogModel(rows)
    assert model.anchor_for_drop(3, {2}) == Anchor(after=1)
    assert model.anchor_for_drop(1, {0}) == Anchor(before=1)
    assert model.anchor_for_drop(0, set()) == Anchor(before=0)
    assert model.anchor_for_drop(5, set()) == Anchor(after=4)
    assert model.anchor_for_drop(2, {0, 1, 2, 3, 4}) is None


def test_the_drop_line_spans_the_row_where_the_items_will_land(backlog: BacklogPage) -> None:
    from PySide6.QtCore import QPoint

    from cspo_desktop.ui.widgets.backlog_table import BacklogTable, drop_line_y

    table = backlog.table
    assert isinstance(table, BacklogTable)
    assert not table.showDropIndicator()  # Qt's one-cell indicator is off; ours spans the row
    third = table.visualRect(backlog.model.index(2, 0))
    upper = QPoint(5, third.top() + 2)
    lower = QPoint(table.viewport().width() - 5, third.bottom() - 2)
    assert drop_line_y(table, upper) == third.top()
    assert drop_line_y(table, lower) == third.bottom() + 1
    # The model lands a drop on the same boundary: right after the row above the line.
    moving = {backlog.model.id_at(0)}
    assert backlog.model.anchor_for_drop(2, moving) == Anchor(after=backlog.model.id_at(1))
    assert backlog.model.anchor_for_drop(3, moving) == Anchor(after=backlog.model.id_at(2))


def test_a_key_press_that_moves_nothing_keeps_undo_redo_and_history_intact(
    window: Window, backlog: BacklogPage
) -> None:
    def moved_events(item: int) -> int:
        conn = sqlite3.connect(backlog.document.path)
        try:
            return int(
                conn.execute(
                    "SELECT count(*) FROM item_event WHERE item_id = ? AND kind = 'moved'", (item,)
                ).fetchone()[0]
            )
        finally:
            conn.close()

    item = backlog.model.id_at(5)
    backlog._reselect([item])
    window.registry[ActionId.MOVE_TOP].trigger()
    assert moved_events(item) == 1
    window.registry[ActionId.MOVE_TOP].trigger()  # already at the top: nothing to do
    stack = backlog.document.undo_stack
    assert stack.count() == 1
    window.registry[ActionId.UNDO].trigger()
    assert moved_events(item) == 2  # the undo is history too
    window.registry[ActionId.MOVE_BOTTOM].trigger()
    window.registry[ActionId.UNDO].trigger()
    backlog._reselect([backlog.model.id_at(0)])
    window.registry[ActionId.MOVE_TOP].trigger()  # a no-op must not wipe the redo step
    assert stack.canRedo()
