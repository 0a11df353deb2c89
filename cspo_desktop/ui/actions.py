"""Every menu command of the app, registered once by id with its shortcut.

Menus, the welcome page and tests look actions up by :class:`ActionId`; the main window
connects each to its slot and enables or disables them in one place. The actions are made on
first use: a start-up that opens a product paints before it needs any of them.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QKeySequence

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

Key = QKeySequence.StandardKey


class ActionId(enum.StrEnum):
    """The app's actions."""

    NEW_PRODUCT = "file.new"
    OPEN_PRODUCT = "file.open"
    OPEN_DEMO = "file.open_demo"
    SAVE_COPY = "file.save_copy"
    EXPORT_ARCHIVE = "file.export_archive"
    IMPORT_ARCHIVE = "file.import_archive"
    IMPORT_TRACKER = "file.import_tracker"
    EXPORT_JIRA = "file.export_jira"
    EXPORT_ADO = "file.export_ado"
    RESTORE_BACKUP = "file.restore_backup"
    CLOSE_PRODUCT = "file.close"
    QUIT = "file.quit"
    NEW_ITEM = "backlog.new_item"
    DELETE_ITEMS = "backlog.delete"
    MOVE_UP = "backlog.move_up"
    MOVE_DOWN = "backlog.move_down"
    MOVE_TOP = "backlog.move_top"
    MOVE_BOTTOM = "backlog.move_bottom"
    MOVE_TO = "backlog.move_to"
    BULK_EDIT = "backlog.bulk_edit"
    SPLIT = "backlog.split"
    DUPLICATE = "backlog.duplicate"
    COPY_ITEMS = "backlog.copy"
    PASTE_ITEMS = "backlog.paste"
    ACCEPT_INBOX = "backlog.accept"
    NEW_AT_TOP = "backlog.new_at_top"
    NEW_AT_BOTTOM = "backlog.new_at_bottom"
    NEW_AFTER_SELECTION = "backlog.new_after_selection"
    START_REFINEMENT = "backlog.start_refinement"
    CHANGES_SINCE = "backlog.changes_since"
    UNDO = "edit.undo"
    REDO = "edit.redo"
    ZOOM_IN = "view.zoom_in"
    ZOOM_OUT = "view.zoom_out"
    ZOOM_RESET = "view.zoom_reset"
    FULL_SCREEN = "view.full_screen"
    DETAIL_PANEL = "view.detail_panel"
    THEME_SYSTEM = "view.theme_system"
    THEME_LIGHT = "view.theme_light"
    THEME_DARK = "view.theme_dark"
    ABOUT = "help.about"


class _Spec(NamedTuple):  # not a dataclass: the class is made before the first paint
    text: str
    keys: tuple[QKeySequence.StandardKey | str, ...] = ()
    tip: str = ""
    checkable: bool = False


_SPECS: dict[ActionId, _Spec] = {
    ActionId.NEW_PRODUCT: _Spec("&New product…", ("Ctrl+Shift+N",), "Create a new product file"),
    ActionId.OPEN_PRODUCT: _Spec("&Open…", (Key.Open,), "Open a product file"),
    ActionId.OPEN_DEMO: _Spec("Open the &demo product", (), "A mobile banking app to explore"),
    ActionId.SAVE_COPY: _Spec("Save a &copy…", (Key.SaveAs,), "Write a copy of this product"),
    ActionId.EXPORT_ARCHIVE: _Spec(
        "&Export as archive…", (), "The whole product as one JSON file, to share or keep"
    ),
    ActionId.IMPORT_ARCHIVE: _Spec(
        "&Import archive as a new product…", (), "Make a product file from a JSON archive"
    ),
    ActionId.IMPORT_TRACKER: _Spec(
        "Import from &Jira, Azure DevOps or Taiga…",
        ("Ctrl+Shift+I",),
        "Bring a tracker's CSV or XML export into this product",
    ),
    ActionId.EXPORT_JIRA: _Spec(
        "Export to Ji&ra CSV…", (), "A CSV that Jira's importer accepts, in backlog order"
    ),
    ActionId.EXPORT_ADO: _Spec(
        "Export to Azure &DevOps CSV…", (), "A CSV for Azure DevOps (1,000 rows per file)"
    ),
    ActionId.RESTORE_BACKUP: _Spec("&Restore from backup…", (), "Go back to an automatic backup"),
    ActionId.CLOSE_PRODUCT: _Spec("&Close product", (Key.Close,), "Close this product"),
    ActionId.QUIT: _Spec("&Quit", ("Ctrl+Q",), "Quit CSPO Desktop"),
    ActionId.NEW_ITEM: _Spec("&New item", (Key.New, "Insert"), "Type a title and press Enter"),
    ActionId.DELETE_ITEMS: _Spec("De&lete items…", (Key.Delete,), "Delete the selected items"),
    ActionId.MOVE_UP: _Spec("Move &up", ("Ctrl+Up",), "Move the selected items one place up"),
    ActionId.MOVE_DOWN: _Spec(
        "Move &down", ("Ctrl+Down",), "Move the selected items one place down"
    ),
    ActionId.MOVE_TOP: _Spec("Move to &top", ("Ctrl+Home",), "Move the selected items to the top"),
    ActionId.MOVE_BOTTOM: _Spec(
        "Move to &bottom", ("Ctrl+End",), "Move the selected items to the bottom"
    ),
    ActionId.MOVE_TO: _Spec(
        "Move to &position…", ("Ctrl+Shift+M",), "Move the selection to a position"
    ),
    ActionId.BULK_EDIT: _Spec(
        "&Edit selected items…", ("Ctrl+Shift+E",), "Set points, labels, goal… on the selection"
    ),
    ActionId.SPLIT: _Spec(
        "S&plit story…", ("Ctrl+Alt+S",), "Move some acceptance criteria to a new story below"
    ),
    ActionId.DUPLICATE: _Spec("D&uplicate", ("Ctrl+D",), "Copy the item right below it"),
    ActionId.COPY_ITEMS: _Spec(
        "&Copy items", (Key.Copy,), "Copy the selected rows for a spreadsheet"
    ),
    ActionId.PASTE_ITEMS: _Spec(
        "&Paste as items", (Key.Paste,), "One item per pasted line or spreadsheet row"
    ),
    ActionId.ACCEPT_INBOX: _Spec(
        "&Accept into backlog…", ("Ctrl+Shift+A",), "Move the selected Inbox items to the backlog"
    ),
    ActionId.NEW_AT_TOP: _Spec("At the &top", (), "New items go to the top", checkable=True),
    ActionId.NEW_AT_BOTTOM: _Spec(
        "At the &bottom", (), "New items go to the bottom", checkable=True
    ),
    ActionId.NEW_AFTER_SELECTION: _Spec(
        "&After the selected item", (), "New items go below the selection", checkable=True
    ),
    ActionId.START_REFINEMENT: _Spec(
        "&Start refinement", (), "Remember now: “What changed since…” starts here"
    ),
    ActionId.CHANGES_SINCE: _Spec(
        "What &changed since…", ("Ctrl+Shift+H",), "Items added, removed, moved, re-estimated"
    ),
    ActionId.UNDO: _Spec("&Undo", (Key.Undo,)),
    ActionId.REDO: _Spec("&Redo", (Key.Redo, "Ctrl+Y")),
    ActionId.ZOOM_IN: _Spec("&Larger text", (Key.ZoomIn, "Ctrl+="), "Presentation scale up"),
    ActionId.ZOOM_OUT: _Spec("&Smaller text", (Key.ZoomOut,), "Presentation scale down"),
    ActionId.ZOOM_RESET: _Spec("&Actual size", ("Ctrl+0",), "Presentation scale 100 %"),
    ActionId.FULL_SCREEN: _Spec("&Full screen", (Key.FullScreen, "F11"), "", checkable=True),
    ActionId.DETAIL_PANEL: _Spec(
        "Item &details", ("F9",), "Show or hide the item detail panel", checkable=True
    ),
    ActionId.THEME_SYSTEM: _Spec("Follow the &system", (), "", checkable=True),
    ActionId.THEME_LIGHT: _Spec("&Light", (), "", checkable=True),
    ActionId.THEME_DARK: _Spec("&Dark", (), "", checkable=True),
    ActionId.ABOUT: _Spec("&About CSPO Desktop", ()),
}


class ActionRegistry:
    """Creates each action once and hands it out by id.

    The actions are made on first use: making them all with their shortcuts takes some 10 ms,
    which a start-up that opens a product spends after its first paint.
    """

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self._actions: dict[ActionId, QAction] = {}

    def _make(self) -> dict[ActionId, QAction]:
        if self._actions:
            return self._actions
        from PySide6.QtGui import QAction

        parent = self._parent
        for action_id, spec in _SPECS.items():
            action = QAction(spec.text, parent)
            action.setObjectName(action_id.value)
            shortcuts: list[QKeySequence] = []
            for key in spec.keys:
                for seq in (
                    QKeySequence.keyBindings(key)
                    if isinstance(key, QKeySequence.StandardKey)
                    else [QKeySequence(key)]
                ):
                    if not seq.isEmpty() and seq not in shortcuts:
                        shortcuts.append(seq)
            action.setShortcuts(shortcuts)
            if spec.tip:
                action.setStatusTip(spec.tip)
            action.setCheckable(spec.checkable)
            self._actions[action_id] = action
        self._actions[ActionId.QUIT].setMenuRole(QAction.MenuRole.QuitRole)
        self._actions[ActionId.ABOUT].setMenuRole(QAction.MenuRole.AboutRole)
        return self._actions

    def __getitem__(self, action_id: ActionId) -> QAction:
        return self._make()[action_id]

    def all(self) -> list[QAction]:
        """Every action, in declaration order."""
        return list(self._make().values())
