"""The workspace of one open product: the navigation rail and its pages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.pages.backlog import BacklogPage
from cspo_desktop.ui.pages.product import ProductPage
from cspo_desktop.ui.widgets.nav_rail import NavigationRail

#: key, glyph, label — in rail order (Ctrl+1 … goes to the n-th).
PAGES: tuple[tuple[str, str, str], ...] = (
    ("product", "◎", "Product"),
    ("backlog", "≡", "Backlog"),
)


class Workspace(QWidget):
    """Rail on the left, the current page in the middle.

    Signals:
        page_changed(str): the page shown changed (its key).
    """

    page_changed = Signal(str)

    def __init__(
        self,
        document: ProductDocument,
        push: Callable[[QUndoCommand], None],
        errors: CommandErrors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.document = document
        self.rail = NavigationRail()
        self.stack = QStackedWidget()
        self.product_page = ProductPage(document, push, errors)
        self.backlog_page = BacklogPage(document)
        self._pages: dict[str, QWidget] = {
            "product": self.product_page,
            "backlog": self.backlog_page,
        }
        for number, (key, glyph, label) in enumerate(PAGES, start=1):
            self.rail.add_page(key, glyph, label, f"Ctrl+{number}")
            self.stack.addWidget(self._pages[key])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.rail.page_selected.connect(self._on_page_selected)
        document.changed.connect(self._on_document_changed)
        errors.failed.connect(self._on_command_failed)

    def show_page(self, key: str) -> None:
        """Show the page ``key`` (unknown keys show the Product page)."""
        self.rail.select(key if key in self._pages else "product")

    def show_page_number(self, number: int) -> None:
        """Show the ``number``-th page of the rail (1-based), if there is one."""
        keys = self.rail.keys()
        if 1 <= number <= len(keys):
            self.show_page(keys[number - 1])

    def current_page(self) -> str:
        """The key of the page shown."""
        for key, page in self._pages.items():
            if page is self.stack.currentWidget():
                return key
        return "product"

    def commit_pending(self) -> None:
        """Save text still being typed (before undo, closing, switching pages)."""
        self.product_page.commit_pending()

    @Slot(str)
    def _on_page_selected(self, key: str) -> None:
        self.commit_pending()
        self.stack.setCurrentWidget(self._pages[key])
        self.page_changed.emit(key)

    @Slot(object)
    def _on_document_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.PRODUCT):
            self.product_page.refresh()
        if (
            changes.touches(Entity.ITEM)
            or changes.touches(Entity.GOAL)
            or changes.touches(Entity.SPRINT)
        ):
            self.backlog_page.refresh()

    @Slot(str)
    def _on_command_failed(self, _message: str) -> None:
        # The service refused: show what the file really holds.
        self.product_page.refresh()
