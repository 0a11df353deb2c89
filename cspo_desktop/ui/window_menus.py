"""The main window's menus: which action goes in which menu, and when each is enabled.

The menus' titles paint with the window; their entries are added right after the first paint
(``MainWindow._finish``), so neither this module nor :mod:`ui.actions` is imported before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QActionGroup

from cspo_desktop.ui.actions import ActionId

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from cspo_desktop.ui.main_window import MainWindow

#: The Backlog menu's item commands, enabled while the Backlog page is shown.
MOVES = (
    ActionId.NEW_ITEM,
    ActionId.DELETE_ITEMS,
    ActionId.MOVE_UP,
    ActionId.MOVE_DOWN,
    ActionId.MOVE_TOP,
    ActionId.MOVE_BOTTOM,
    ActionId.MOVE_TO,
    ActionId.BULK_EDIT,
    ActionId.SPLIT,
    ActionId.DUPLICATE,
    ActionId.COPY_ITEMS,
    ActionId.PASTE_ITEMS,
    ActionId.ACCEPT_INBOX,
)
#: The choices of where new items go, and their settings values.
SPOTS = {
    ActionId.NEW_AT_TOP: "top",
    ActionId.NEW_AT_BOTTOM: "bottom",
    ActionId.NEW_AFTER_SELECTION: "after",
}


def fill_menus(window: MainWindow, menus: list[QMenu]) -> QMenu:
    """Put the window's actions in its menus (File, Edit, Backlog, View, Help).

    Returns the File ▸ Open recent menu, which the window fills each time it opens.
    """
    a = window.registry
    file_menu, edit_menu, backlog_menu, view_menu, help_menu = menus
    for action_id in (ActionId.NEW_PRODUCT, ActionId.OPEN_PRODUCT):
        file_menu.addAction(a[action_id])
    recent = file_menu.addMenu("Open &recent")
    file_menu.addAction(a[ActionId.OPEN_DEMO])
    for group in (
        (ActionId.SAVE_COPY, ActionId.EXPORT_ARCHIVE, ActionId.IMPORT_ARCHIVE),
        (ActionId.IMPORT_TRACKER, ActionId.EXPORT_JIRA, ActionId.EXPORT_ADO),
        (ActionId.RESTORE_BACKUP, ActionId.CLOSE_PRODUCT),
    ):
        file_menu.addSeparator()
        for action_id in group:
            file_menu.addAction(a[action_id])
    file_menu.addSeparator()
    file_menu.addAction(a[ActionId.QUIT])

    edit_menu.addAction(a[ActionId.UNDO])
    edit_menu.addAction(a[ActionId.REDO])

    for action_id in MOVES:
        if action_id in (ActionId.BULK_EDIT, ActionId.COPY_ITEMS, ActionId.ACCEPT_INBOX):
            backlog_menu.addSeparator()
        backlog_menu.addAction(a[action_id])
    spot_menu = backlog_menu.addMenu("New items &go")
    spots = QActionGroup(window)
    for action_id in SPOTS:
        spots.addAction(a[action_id])
        spot_menu.addAction(a[action_id])
    backlog_menu.addSeparator()
    backlog_menu.addAction(a[ActionId.START_REFINEMENT])
    backlog_menu.addAction(a[ActionId.CHANGES_SINCE])

    for action_id in (ActionId.ZOOM_IN, ActionId.ZOOM_OUT, ActionId.ZOOM_RESET):
        view_menu.addAction(a[action_id])
    view_menu.addAction(a[ActionId.FULL_SCREEN])
    view_menu.addAction(a[ActionId.DETAIL_PANEL])
    theme_menu = view_menu.addMenu("&Theme")
    themes = QActionGroup(window)
    for action_id in (ActionId.THEME_SYSTEM, ActionId.THEME_LIGHT, ActionId.THEME_DARK):
        themes.addAction(a[action_id])
        theme_menu.addAction(a[action_id])

    help_menu.addAction(a[ActionId.ABOUT])
    return recent


def update_actions(window: MainWindow) -> None:
    """Enable the actions that apply to what the window shows; name what undo would undo."""
    a = window.registry
    has_doc = window.document is not None
    for action_id in (
        ActionId.SAVE_COPY,
        ActionId.EXPORT_ARCHIVE,
        ActionId.IMPORT_TRACKER,
        ActionId.EXPORT_JIRA,
        ActionId.EXPORT_ADO,
        ActionId.CLOSE_PRODUCT,
        ActionId.START_REFINEMENT,
        ActionId.CHANGES_SINCE,
    ):
        a[action_id].setEnabled(has_doc)
    a[ActionId.RESTORE_BACKUP].setEnabled(has_doc or window.files.last_damaged is not None)
    on_backlog = window.workspace is not None and window.workspace.current_page() == "backlog"
    for action_id in MOVES:
        a[action_id].setEnabled(on_backlog)
    stack = window.document.undo_stack if window.document is not None else None
    a[ActionId.UNDO].setEnabled(bool(stack and stack.canUndo()))
    a[ActionId.REDO].setEnabled(bool(stack and stack.canRedo()))
    a[ActionId.UNDO].setText(f"&Undo {stack.undoText()}" if stack and stack.canUndo() else "&Undo")
    a[ActionId.REDO].setText(f"&Redo {stack.redoText()}" if stack and stack.canRedo() else "&Redo")
