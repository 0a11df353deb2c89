"""The dock on the right that holds the item detail panel (F9 shows or hides it).

The dock is made after the first paint and its panel when an item is first shown, so
opening a product costs neither. It can be undocked; its place is remembered with the
window's state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDockWidget, QLabel, QWidget

from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.widgets.item_detail import NOTHING_SELECTED

#: What the dock says while no product is open (the welcome page).
NO_PRODUCT = "Open a product, then select one of its items to see and edit all of it here."

if TYPE_CHECKING:
    from cspo_desktop.ui.widgets.item_detail.panel import ItemDetailPanel


class DetailDock(QDockWidget):
    """Item details for the selection of whichever page is shown.

    Signals:
        open_requested(int): the panel asks to select another item (a linked one).
        section_toggled(str, bool): a section of the panel was folded or opened.
    """

    open_requested = Signal(int)
    section_toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Item details", parent)
        self.setObjectName("itemDetailDock")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.panel: ItemDetailPanel | None = None
        self._document: ProductDocument | None = None
        self._push: Callable[[QUndoCommand], None] | None = None
        self._errors: CommandErrors | None = None
        self._shown: int | None = None
        self._wanted: int | None = None
        #: Sections folded away (from the settings), applied to each new panel.
        self.folded: set[str] = set()
        # The panel follows the selection on the next turn of the event loop: a move or a
        # drop repaints the list first, and a run of selection changes (holding ↓) reads
        # only the item it stops on.
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(0)
        self._follow.timeout.connect(self._show_wanted)

    def attach(
        self,
        document: ProductDocument | None,
        push: Callable[[QUndoCommand], None],
        errors: CommandErrors,
    ) -> None:
        """Follow ``document`` (``None``: no product open); the panel is rebuilt for it."""
        if self.panel is not None:
            self.panel.commit_pending()
            self.panel = None
        self._shown = None
        self._follow.stop()
        self._document, self._push, self._errors = document, push, errors
        shown = self.widget()
        self.setWidget(_hint(NOTHING_SELECTED if document is not None else NO_PRODUCT))
        if shown is not None:
            shown.deleteLater()  # the old panel or hint (the dock does not delete them)

    def show_item(self, item_id: int | None) -> None:
        """Show item ``item_id`` (``None``: nothing selected) once the event loop is free."""
        self._wanted = item_id
        self._follow.start()

    def show_now(self) -> None:
        """Show the item asked for without waiting (closing, tests)."""
        if self._follow.isActive():
            self._follow.stop()
            self._show_wanted()

    def _show_wanted(self) -> None:
        item_id = self._wanted
        if self._document is None or self._push is None or self._errors is None:
            return
        if self.panel is not None and item_id == self._shown:
            return  # the panel follows changes of its item by itself
        self._shown = item_id
        if self.panel is None:
            if item_id is None:
                return
            from cspo_desktop.ui.widgets.item_detail.panel import ItemDetailPanel

            self.panel = ItemDetailPanel(self._document, self._push, self._errors)
            for key in self.folded:
                if key in self.panel.sections:
                    self.panel.sections[key].set_open(False)
            self.panel.open_requested.connect(self.open_requested)
            self.panel.section_toggled.connect(self._on_section_toggled)
            hint = self.widget()
            self.setWidget(self.panel)
            if hint is not None:
                hint.deleteLater()
        self.panel.show_item(item_id)

    def _on_section_toggled(self, key: str, on: bool) -> None:
        (self.folded.discard if on else self.folded.add)(key)
        self.section_toggled.emit(key, on)

    def commit_pending(self) -> None:
        """Save text still being typed in the panel."""
        if self.panel is not None:
            self.panel.commit_pending()


def _hint(text: str) -> QLabel:
    """What the dock shows until an item is selected (the panel itself is made then)."""
    label = QLabel(text)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setContentsMargins(16, 12, 16, 16)
    return label
