"""The Product page: the name and the vision board are saved as typed, undone and redone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from cspo_desktop.ui.actions import ActionId

from .conftest import Window


def stored(path: Path, column: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute(f"SELECT {column} FROM product").fetchone()[0])
    finally:
        conn.close()


def type_into_pane(window: Window, field: str, text: str) -> None:
    assert window.workspace is not None
    page = window.workspace.product_page
    page.panes[field].editor.setPlainText(text)
    page.commit_pending()


def test_opening_a_product_shows_its_name_and_vision(opened: Window) -> None:
    assert opened.workspace is not None
    assert opened.windowTitle() == "Pocket Bank — CSPO Desktop"
    page = opened.workspace.product_page
    assert page.name.text() == "Pocket Bank"
    assert set(page.panes) == {
        "vision_target_group",
        "vision_needs",
        "vision_product",
        "vision_business_goals",
    }
    assert "0 items" in page.counts.text()


def test_a_vision_edit_is_saved_at_once_and_undoable(opened: Window, product_path: Path) -> None:
    type_into_pane(opened, "vision_needs", "  Pay friends back — صديق 💸 ")
    assert stored(product_path, "vision_needs") == "  Pay friends back — صديق 💸 "

    undo = opened.registry[ActionId.UNDO]
    assert undo.isEnabled()
    assert undo.text() == "&Undo Edit vision: Needs"
    undo.trigger()
    assert stored(product_path, "vision_needs") == ""
    assert opened.workspace is not None
    assert opened.workspace.product_page.panes["vision_needs"].editor.toPlainText() == ""

    redo = opened.registry[ActionId.REDO]
    assert redo.text() == "&Redo Edit vision: Needs"
    redo.trigger()
    assert stored(product_path, "vision_needs") == "  Pay friends back — صديق 💸 "


def test_commits_of_one_edit_merge_into_one_undo_step(opened: Window, product_path: Path) -> None:
    type_into_pane(opened, "vision_product", "A bank")
    type_into_pane(opened, "vision_product", "A bank in your pocket")
    assert opened.document is not None
    assert opened.document.undo_stack.count() == 1
    opened.registry[ActionId.UNDO].trigger()
    assert stored(product_path, "vision_product") == ""


def test_edits_of_different_panes_are_separate_steps(opened: Window, product_path: Path) -> None:
    type_into_pane(opened, "vision_product", "A bank")
    type_into_pane(opened, "vision_needs", "Speed")
    assert opened.document is not None
    assert opened.document.undo_stack.count() == 2
    opened.registry[ActionId.UNDO].trigger()
    assert stored(product_path, "vision_needs") == ""
    assert stored(product_path, "vision_product") == "A bank"


def test_renaming_updates_the_title_and_undo_names_it(opened: Window, product_path: Path) -> None:
    assert opened.workspace is not None
    name = opened.workspace.product_page.name
    name.setText("Pocket Bank Pro")
    name.editingFinished.emit()
    assert stored(product_path, "name") == "Pocket Bank Pro"
    assert opened.windowTitle() == "Pocket Bank Pro — CSPO Desktop"
    assert opened.registry[ActionId.UNDO].text() == "&Undo Rename product"
    opened.registry[ActionId.UNDO].trigger()
    assert opened.windowTitle() == "Pocket Bank — CSPO Desktop"


def test_an_empty_name_is_refused_and_never_offered_for_undo(
    opened: Window, product_path: Path
) -> None:
    assert opened.workspace is not None
    name = opened.workspace.product_page.name
    name.setText("   ")
    name.editingFinished.emit()
    assert stored(product_path, "name") == "Pocket Bank"
    assert opened.messages
    assert opened.messages[-1][0] == "error"
    assert "needs a name" in opened.messages[-1][2]
    assert opened.document is not None
    assert opened.document.undo_stack.count() == 0
    assert not opened.registry[ActionId.UNDO].isEnabled()
    assert name.text() == "Pocket Bank"


def test_pending_typing_is_saved_before_undo(opened: Window, product_path: Path) -> None:
    type_into_pane(opened, "vision_needs", "first")
    assert opened.workspace is not None
    editor = opened.workspace.product_page.panes["vision_target_group"].editor
    editor.setPlainText("typed but not yet committed")
    opened.registry[ActionId.UNDO].trigger()
    # The pending text was committed first, so the undo removed exactly that edit.
    assert stored(product_path, "vision_target_group") == ""
    assert stored(product_path, "vision_needs") == "first"


def test_ctrl_z_in_a_pane_undoes_the_products_last_change(
    opened: Window, product_path: Path, qtbot: QtBot
) -> None:
    assert opened.workspace is not None
    opened.show()
    qtbot.waitExposed(opened)
    opened.activateWindow()
    type_into_pane(opened, "vision_needs", "First thought")
    editor = opened.workspace.product_page.panes["vision_product"].editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    QTest.keyClicks(editor, "Typed here")
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The typing was committed, then undone by the product's stack, not the text box.
    assert stored(product_path, "vision_product") == ""
    assert stored(product_path, "vision_needs") == "First thought"
    assert editor.toPlainText() == ""
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(product_path, "vision_needs") == ""


def test_edits_that_cancel_out_leave_no_step(opened: Window) -> None:
    assert opened.workspace is not None
    page = opened.workspace.product_page
    editor = page.panes["vision_needs"].editor
    editor.setFocus()
    editor.setPlainText("Temporary")
    page.commit_pending()
    editor.setPlainText("")
    page.commit_pending()
    assert opened.document is not None
    assert opened.document.undo_stack.count() == 0
