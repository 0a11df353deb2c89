"""The Product page editors: product goals, Definition of Done and Ready, estimation scale.

Each edit is saved at once, undone and redone exactly (every table compared row by row, minus
the ``updated_at``/``version`` bookkeeping), refused input changes nothing and says why, and the
result is what a reopened file shows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cspo_desktop.domain.estimation import ScaleKind
from cspo_desktop.persistence.database import Database
from cspo_desktop.services import definitions, goals, items
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.pages.product import ProductPage
from cspo_desktop.ui.widgets.goals_editor import GoalsModel

from .conftest import Window, check_model

Snapshot = dict[str, list[tuple[object, ...]]]
#: Bookkeeping columns left out when comparing states (DESIGN.md §5: undo restores content).
BOOKKEEPING = {"updated_at", "version"}


def snapshot(path: Path) -> Snapshot:
    """Every table but the event log, row by row, without bookkeeping columns."""
    state: Snapshot = {}
    with closing(sqlite3.connect(path)) as conn:
        for table in ("product", "product_goal", "done_criterion", "item", "sprint"):
            columns = [
                r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in BOOKKEEPING
            ]
            sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"
            state[table] = conn.execute(sql).fetchall()
    return state


def column(path: Path, sql: str) -> list[object]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute(sql)]


@pytest.fixture
def seeded(product_path: Path) -> Path:
    """The test product with three goals, a Definition of Done and items tracing to goal 2."""
    db = Database(product_path)
    try:
        for title in ("Grow P2P", "Fewer support calls", "Savings habit"):
            goals.add_goal(db, title)
        for text in ("Reviewed", "Tested on devices", "Released"):
            definitions.add_done_criterion(db, text)
        for n in range(4):
            items.add_item(db, items.NewItem(title=f"Story {n}"))
    finally:
        db.close()
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute("UPDATE item SET goal_id = 2 WHERE id IN (1, 3)")
    return product_path


@pytest.fixture
def page(window: Window, seeded: Path) -> ProductPage:
    assert window.open_path(seeded), window.messages
    assert window.workspace is not None
    return window.workspace.product_page


def undo_text(window: Window) -> str:
    return window.registry[ActionId.UNDO].text()


def check_undo_redo(window: Window, path: Path, before: Snapshot, text: str) -> Snapshot:
    """The edit just made is saved, named, and undone and redone exactly."""
    after = snapshot(path)
    assert after != before
    assert undo_text(window) == f"&Undo {text}"
    window.registry[ActionId.UNDO].trigger()
    assert snapshot(path) == before
    window.registry[ActionId.REDO].trigger()
    assert snapshot(path) == after
    return after


def ranked_goals(path: Path) -> list[object]:
    return column(path, "SELECT title FROM product_goal ORDER BY rank, id")


def done_lines(path: Path) -> list[object]:
    return column(path, "SELECT text FROM done_criterion ORDER BY position, id")


def press(widget: QObject, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    event = QKeyEvent(QEvent.Type.KeyPress, key, modifiers)
    QApplication.sendEvent(widget, event)


# ---------------------------------------------------------------- building


def test_the_editors_are_built_after_the_first_paint(
    window: Window, seeded: Path, qtbot: QtBot
) -> None:
    assert window.open_path(seeded)
    assert window.workspace is not None
    window.workspace.show_page("product")
    page = window.workspace.product_page
    assert not page.sections_built  # not before the window has painted
    window.show()
    qtbot.waitExposed(window)
    assert not page.sections_built  # nor before the app says start-up is over
    window.after_first_paint()  # what the app does once the first paint is on screen
    qtbot.waitUntil(lambda: page.sections_built, timeout=5000)
    qtbot.waitUntil(page.goals.isVisible, timeout=5000)
    assert page.goals.model.rowCount() == 3


def test_a_product_opened_after_start_up_builds_its_editors_when_shown(
    window: Window, seeded: Path, qtbot: QtBot
) -> None:
    window.show()
    window.after_first_paint()
    assert window.open_path(seeded)
    assert window.workspace is not None
    page = window.workspace.product_page
    qtbot.waitUntil(lambda: page.sections_built, timeout=5000)


# ---------------------------------------------------------------- goals


def test_the_goal_list_shows_rank_status_and_item_counts(
    page: ProductPage, qtmodeltester: ModelTester
) -> None:
    model = page.goals.model
    check_model(qtmodeltester, model)
    cells = [
        [model.index(row, c).data() for c in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert cells == [
        ["Grow P2P", "Proposed", "0"],
        ["Fewer support calls", "Proposed", "2"],
        ["Savings habit", "Proposed", "0"],
    ]
    positions = [model.headerData(r, Qt.Orientation.Vertical) for r in range(3)]
    assert positions == ["1", "2", "3"]
    assert model.headerData(GoalsModel.ITEMS, Qt.Orientation.Horizontal) == "Items"
    assert model.flags(model.index(0, GoalsModel.TITLE)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, GoalsModel.ITEMS)) & Qt.ItemFlag.ItemIsEditable


def test_adding_a_goal(page: ProductPage, window: Window, seeded: Path) -> None:
    before = snapshot(seeded)
    editor = page.goals
    editor.add_line.setText("  Be the easiest bank 🏦 ")
    editor.add_line.returnPressed.emit()
    assert editor.add_line.text() == ""
    assert ranked_goals(seeded)[-1] == "  Be the easiest bank 🏦 "
    check_undo_redo(window, seeded, before, "Add goal 'Be the easiest bank 🏦'")
    assert editor.model.rowCount() == 4


def test_renaming_a_goal_in_place(page: ProductPage, window: Window, seeded: Path) -> None:
    before = snapshot(seeded)
    model = page.goals.model
    assert model.setData(model.index(0, GoalsModel.TITLE), "Grow payments between friends")
    assert ranked_goals(seeded)[0] == "Grow payments between friends"
    assert model.index(0, GoalsModel.TITLE).data() == "Grow payments between friends"
    check_undo_redo(window, seeded, before, "Rename goal 'Grow P2P'")


def test_a_blank_title_is_refused_and_never_offered_for_undo(
    page: ProductPage, window: Window, seeded: Path
) -> None:
    before = snapshot(seeded)
    model = page.goals.model
    model.setData(model.index(0, GoalsModel.TITLE), "   ")
    assert snapshot(seeded) == before
    assert window.messages[-1][0] == "error"
    assert "needs a title" in window.messages[-1][2]
    assert window.document is not None
    assert window.document.undo_stack.count() == 0
    assert model.index(0, GoalsModel.TITLE).data() == "Grow P2P"


def test_moving_goals_with_keys_and_buttons(
    page: ProductPage, window: Window, seeded: Path, qtmodeltester: ModelTester
) -> None:
    editor = page.goals
    check_model(qtmodeltester, editor.model)
    editor.table.select_row(0)
    before = snapshot(seeded)
    press(editor.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert ranked_goals(seeded) == ["Fewer support calls", "Grow P2P", "Savings habit"]
    selected = editor.selected_goal()
    assert selected is not None
    assert selected.title == "Grow P2P"
    # One key written: only the moved goal's row differs.
    after = snapshot(seeded)
    changed = [
        a for a, b in zip(before["product_goal"], after["product_goal"], strict=True) if a != b
    ]
    assert len(changed) == 1
    check_undo_redo(window, seeded, before, "Move goal 'Grow P2P' down")

    editor.table.select_row(2)
    assert editor.up_button.isEnabled()
    assert not editor.down_button.isEnabled()
    editor.up_button.click()
    assert ranked_goals(seeded) == ["Fewer support calls", "Savings habit", "Grow P2P"]
    press(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert ranked_goals(seeded)[0] == "Savings habit"
    count = window.document.undo_stack.count() if window.document else 0
    press(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # at the top
    assert window.document is not None
    assert window.document.undo_stack.count() == count
    assert [editor.model.goal(r).title for r in range(3)] == ranked_goals(seeded)


def test_ctrl_arrows_are_claimed_by_the_list_before_window_shortcuts(page: ProductPage) -> None:
    table = page.goals.table
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
        event = QKeyEvent(QEvent.Type.ShortcutOverride, key, Qt.KeyboardModifier.ControlModifier)
        event.ignore()
        QApplication.sendEvent(table, event)
        assert event.isAccepted()
    plain = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier)
    plain.ignore()
    QApplication.sendEvent(table, plain)
    assert not plain.isAccepted()


def test_changing_a_goal_status(page: ProductPage, window: Window, seeded: Path) -> None:
    editor = page.goals
    assert not editor.status_box.isEnabled()  # nothing selected yet
    editor.table.select_row(1)
    assert editor.status_box.currentData() == "proposed"
    before = snapshot(seeded)
    index = editor.status_box.findData("achieved")
    editor.status_box.setCurrentIndex(index)
    editor.status_box.activated.emit(index)
    assert column(seeded, "SELECT status FROM product_goal WHERE id = 2") == ["achieved"]
    assert editor.model.index(1, GoalsModel.STATUS).data() == "✓ Achieved"
    check_undo_redo(window, seeded, before, "Mark goal 'Fewer support calls' as achieved")


def test_deleting_a_goal_keeps_its_items_and_undo_relinks_them(
    page: ProductPage, window: Window, seeded: Path
) -> None:
    editor = page.goals
    editor.table.select_row(1)
    before = snapshot(seeded)
    editor.delete_button.click()
    assert ranked_goals(seeded) == ["Grow P2P", "Savings habit"]
    assert column(seeded, "SELECT goal_id FROM item ORDER BY id") == [None] * 4
    assert column(seeded, "SELECT count(*) FROM item") == [4]
    assert "2 product goals" in page.counts.text()
    after = check_undo_redo(window, seeded, before, "Delete goal 'Fewer support calls'")
    window.registry[ActionId.UNDO].trigger()
    assert column(seeded, "SELECT goal_id FROM item ORDER BY id") == [2, None, 2, None]
    assert editor.model.index(1, GoalsModel.ITEMS).data() == "2"
    assert snapshot(seeded) == before != after


def test_the_delete_key_deletes_the_selected_goal(page: ProductPage, seeded: Path) -> None:
    editor = page.goals
    editor.table.select_row(2)
    press(editor.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)
    assert ranked_goals(seeded) == ["Grow P2P", "Fewer support calls"]
    assert editor.selected_goal() is not None  # the neighbour is selected next


def test_goals_without_any_show_what_to_do(window: Window, product_path: Path) -> None:
    assert window.open_path(product_path)
    assert window.workspace is not None
    editor = window.workspace.product_page.goals
    assert editor.model.rowCount() == 0
    assert not editor.empty.isHidden()
    assert editor.table.isHidden()
    assert "type one below and press Enter" in editor.empty.text()


def test_item_changes_made_elsewhere_update_the_counts(page: ProductPage, window: Window) -> None:
    assert window.document is not None
    page.ensure_sections()
    window.document.apply_returning(items.add_item, items.NewItem("Pay by QR"))
    assert "5 items" in page.counts.text()


# ---------------------------------------------------------------- Definition of Done


def test_definition_of_done_lines(
    page: ProductPage, window: Window, seeded: Path, qtmodeltester: ModelTester
) -> None:
    editor = page.done
    check_model(qtmodeltester, editor.model)
    assert [editor.model.index(r, 0).data() for r in range(3)] == done_lines(seeded)

    before = snapshot(seeded)
    editor.add_line.setText("Release notes written ✍")
    editor.add_line.returnPressed.emit()
    assert done_lines(seeded)[-1] == "Release notes written ✍"
    before = check_undo_redo(
        window, seeded, before, "Add to Definition of Done 'Release notes written ✍'"
    )

    editor.model.setData(editor.model.index(1, 0), "Tested on iOS and Android")
    assert done_lines(seeded)[1] == "Tested on iOS and Android"
    before = check_undo_redo(window, seeded, before, "Edit Definition of Done 'Tested on devices'")

    editor.table.select_row(3)
    press(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert done_lines(seeded) == [
        "Reviewed",
        "Tested on iOS and Android",
        "Release notes written ✍",
        "Released",
    ]
    before = check_undo_redo(window, seeded, before, "Reorder Definition of Done")
    assert editor.selected_line() is not None

    editor.table.select_row(0)
    editor.delete_button.click()
    assert done_lines(seeded)[0] == "Tested on iOS and Android"
    check_undo_redo(window, seeded, before, "Delete from Definition of Done 'Reviewed'")
    assert [editor.model.index(r, 0).data() for r in range(3)] == done_lines(seeded)


# ---------------------------------------------------------------- Definition of Ready


def test_ready_rules_are_switches(page: ProductPage, window: Window, seeded: Path) -> None:
    editor = page.ready
    assert all(switch.isChecked() for switch in editor.switches.values())
    before = snapshot(seeded)
    editor.switches["needs_estimate"].click()
    assert column(seeded, "SELECT ready_needs_estimate FROM product") == [0]
    assert not editor.switches["needs_estimate"].isChecked()
    before = check_undo_redo(window, seeded, before, "Turn off ready rule 'Estimated'")

    editor.max_points.setValue(13)
    assert column(seeded, "SELECT ready_max_points FROM product") == [13]
    before = check_undo_redo(window, seeded, before, "Set ready size limit to 13 points")

    editor.switches["max_points"].click()
    assert column(seeded, "SELECT ready_max_points FROM product") == [None]
    assert not editor.max_points.isEnabled()
    check_undo_redo(window, seeded, before, "Turn off ready rule 'Not bigger than 13 points'")


# ---------------------------------------------------------------- estimation scale


def scale_row(path: Path) -> list[object]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.execute("SELECT estimation_scale, scale_values FROM product").fetchone())


def test_switching_to_tshirt_sizes_and_editing_their_points(
    page: ProductPage, window: Window, seeded: Path
) -> None:
    editor = page.scale
    assert editor.choices[ScaleKind.FIBONACCI].isChecked()
    assert editor.choices[ScaleKind.FIBONACCI].text().startswith("✓")
    before = snapshot(seeded)
    editor.choices[ScaleKind.TSHIRT].click()
    assert scale_row(seeded) == ["tshirt", '{"XS": 1, "S": 2, "M": 3, "L": 5, "XL": 8}']
    assert "T-shirt sizes" in page.counts.text()
    before = check_undo_redo(window, seeded, before, "Estimate in T-shirt sizes")

    assert [r.name.text() for r in editor.size_rows] == ["XS", "S", "M", "L", "XL"]
    editor.size_rows[4].points.setValue(13)
    assert scale_row(seeded)[1] == '{"XS": 1, "S": 2, "M": 3, "L": 5, "XL": 13}'
    before = check_undo_redo(window, seeded, before, "Edit T-shirt sizes")

    editor.add_size.click()
    assert str(scale_row(seeded)[1]).endswith('"XXL": 20}')
    check_undo_redo(window, seeded, before, "Add T-shirt size 'XXL'")


def test_a_table_that_does_not_add_up_waits_and_says_why(
    page: ProductPage, window: Window, seeded: Path
) -> None:
    editor = page.scale
    editor.choices[ScaleKind.TSHIRT].click()
    before = snapshot(seeded)
    count = window.document.undo_stack.count() if window.document else 0
    editor.size_rows[1].points.setValue(3)  # S 3 while M is still 3
    assert snapshot(seeded) == before
    assert not editor.error.isHidden()
    assert "Not saved yet" in editor.error.text()
    editor.size_rows[2].points.setValue(4)  # M 4: the table adds up again, saved as one step
    assert scale_row(seeded)[1] == '{"XS": 1, "S": 3, "M": 4, "L": 5, "XL": 8}'
    assert window.document is not None
    assert window.document.undo_stack.count() == count + 1
    assert editor.error.isHidden()


def test_bad_custom_numbers_change_nothing_and_say_why(
    page: ProductPage, window: Window, seeded: Path
) -> None:
    editor = page.scale
    editor.choices[ScaleKind.CUSTOM].click()
    assert scale_row(seeded) == ["custom", "[0, 0.5, 1, 2, 3, 5, 8, 13, 20, 40, 100]"]
    before = snapshot(seeded)
    assert window.document is not None
    count = window.document.undo_stack.count()
    messages = len(window.messages)

    editor.custom_line.setText("3, x, -1")
    editor.custom_line.returnPressed.emit()
    assert snapshot(seeded) == before
    assert window.document.undo_stack.count() == count
    assert len(window.messages) == messages + 1
    kind, _title, text = window.messages[-1]
    assert kind == "error"
    assert "“x” is not a number" in text
    assert "“-1” is negative" in text
    assert not editor.error.isHidden()
    assert editor.custom_line.text() == "3, x, -1"  # kept for fixing

    editor.custom_line.setText("8, 1, 2, 4")
    editor.custom_apply.click()
    assert scale_row(seeded) == ["custom", "[1, 2, 4, 8]"]
    assert editor.error.isHidden()
    check_undo_redo(window, seeded, before, "Set custom scale to 1, 2, 4, 8")


# ---------------------------------------------------------------- survives reopening


def test_every_editor_shows_what_was_saved_after_reopening(
    make_window: Callable[[], Window], seeded: Path
) -> None:
    first = make_window()
    assert first.open_path(seeded)
    assert first.workspace is not None
    page = first.workspace.product_page
    page.goals.add_line.setText("Be the easiest bank")
    page.goals.add_line.returnPressed.emit()
    page.goals.table.select_row(3)
    page.goals.up_button.click()
    page.done.add_line.setText("Demoed to a stakeholder")
    page.done.add_line.returnPressed.emit()
    page.ready.switches["not_blocked"].click()
    page.scale.choices[ScaleKind.TSHIRT].click()
    page.scale.size_rows[0].name.setText("XXS")
    page.scale.size_rows[0].name.editingFinished.emit()
    saved = snapshot(seeded)
    first.close_product()

    second = make_window()
    assert second.open_path(seeded)
    assert second.workspace is not None
    again = second.workspace.product_page
    assert snapshot(seeded) == saved
    titles = [again.goals.model.goal(r).title for r in range(again.goals.model.rowCount())]
    assert titles == ["Grow P2P", "Fewer support calls", "Be the easiest bank", "Savings habit"]
    assert again.done.model.line(3).text == "Demoed to a stakeholder"
    assert not again.ready.switches["not_blocked"].isChecked()
    assert again.ready.switches["needs_criteria"].isChecked()
    assert again.scale.choices[ScaleKind.TSHIRT].isChecked()
    assert [r.name.text() for r in again.scale.size_rows][:2] == ["XXS", "S"]


def test_in_a_shown_window_the_list_keys_beat_the_backlog_shortcuts(
    page: ProductPage, window: Window, seeded: Path, qtbot: QtBot
) -> None:
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    table = page.goals.table
    table.setFocus()
    table.select_row(0)
    fired: list[bool] = []
    for action_id in (ActionId.MOVE_DOWN, ActionId.DELETE_ITEMS):
        # Enabled as on the Backlog page, where these window-wide keys move and delete items.
        window.registry[action_id].setEnabled(True)
        window.registry[action_id].triggered.connect(lambda *_args: fired.append(True))
    QTest.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert ranked_goals(seeded) == ["Fewer support calls", "Grow P2P", "Savings habit"]
    QTest.keyClick(table, Qt.Key.Key_Delete)
    assert ranked_goals(seeded) == ["Fewer support calls", "Savings habit"]
    assert fired == []
