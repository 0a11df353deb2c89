"""The workspace of one open product: the navigation rail and its pages.

Pages are built the first time they are shown, so opening a product costs only the page the
user sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.widgets.nav_rail import NavigationRail

if TYPE_CHECKING:
    from cspo_desktop.services.changes import Changes
    from cspo_desktop.ui.pages.backlog import BacklogPage
    from cspo_desktop.ui.pages.product import ProductPage

#: key, glyph, label — in rail order (Ctrl+1 … goes to the n-th).
PAGES: tuple[tuple[str, str, str], ...] = (
    ("product", "◎", "Product"),
    ("backlog", "≡", "Backlog"),
)
_KEYS = frozenset(key for key, _glyph, _label in PAGES)


class Workspace(QWidget):
    """Rail on the left, the current page in the middle.

    Signals:
        page_changed(str): the page shown changed (its key).
        said(str): a line for the status bar from one of the pages.
        item_selected(object): the item the detail panel should show (an id, or ``None``).
        hidden_columns_changed(str, list): the user hid or showed backlog columns of a view.
    """

    page_changed = Signal(str)
    said = Signal(str)
    item_selected = Signal(object)
    hidden_columns_changed = Signal(str, list)

    def __init__(
        self,
        document: ProductDocument,
        push: Callable[[QUndoCommand], None],
        errors: CommandErrors,
        parent: QWidget | None = None,
        *,
        during_startup: bool = False,
        first_screen: bool = False,
    ) -> None:
        """Build the rail; ``first_screen``: the app's first paint shows this workspace."""
        super().__init__(parent)
        self.setObjectName("workspace")
        self._during_startup = during_startup
        self._first_screen = first_screen
        self.document = document
        self._push = push
        self._errors = errors
        self.rail = NavigationRail()
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        self._product_page: ProductPage | None = None
        self._backlog_page: BacklogPage | None = None
        self._new_item_spot = "bottom"
        self._hidden_columns: dict[str, list[int]] = {}
        for number, (key, glyph, label) in enumerate(PAGES, start=1):
            self.rail.add_page(key, glyph, label, f"Ctrl+{number}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.rail.page_selected.connect(self._on_page_selected)
        document.changed.connect(self._on_document_changed)
        errors.failed.connect(self._on_command_failed)

    # ---- Pages
    @property
    def product_page(self) -> ProductPage:
        """The Product page (built on first use)."""
        if self._product_page is None:
            from cspo_desktop.ui.pages.product import ProductPage

            self._product_page = ProductPage(
                self.document,
                self._push,
                self._errors,
                self.stack,
                during_startup=self._during_startup,
            )
            self._add("product", self._product_page)
        return self._product_page

    @property
    def backlog_page(self) -> BacklogPage:
        """The Backlog page (built on first use)."""
        if self._backlog_page is None:
            from cspo_desktop.ui.pages.backlog import BacklogPage

            self._backlog_page = BacklogPage(
                self.document,
                self._push,
                self._errors,
                self.stack,
                during_startup=self._during_startup,
                first_screen=self._first_screen,
            )
            self._backlog_page.said.connect(self.said)
            self._backlog_page.current_item_changed.connect(self.item_selected)
            self._backlog_page.set_new_item_spot(self._new_item_spot)
            self._backlog_page.set_hidden_preferences(self._hidden_columns)
            self._backlog_page.hidden_columns_changed.connect(self.hidden_columns_changed)
            self._add("backlog", self._backlog_page)
        return self._backlog_page

    def _add(self, key: str, page: QWidget) -> None:
        # Pages are made as children of the stack: under the app's stylesheet, moving a built
        # widget tree to a new parent polishes it all again (milliseconds for a page).
        self._pages[key] = page
        self.stack.addWidget(page)

    def _page(self, key: str) -> QWidget:
        return self.backlog_page if key == "backlog" else self.product_page

    # ---- Public API
    def show_page(self, key: str) -> None:
        """Show the page ``key`` (unknown keys show the Product page)."""
        self.rail.select(key if key in _KEYS else "product")

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

    def backlog_if_shown(self) -> BacklogPage | None:
        """The Backlog page when it is the page shown (moves act on its selection)."""
        return self._backlog_page if self.current_page() == "backlog" else None

    def selected_item(self) -> int | None:
        """The item the shown page has the cursor on, if any."""
        page = self.backlog_if_shown()
        return None if page is None else page.current_item()

    def select_item(self, item_id: int) -> None:
        """Show the Backlog page with ``item_id`` selected (when its view lists it)."""
        self.show_page("backlog")
        self.backlog_page.select_item(item_id)

    def set_hidden_columns(self, prefs: dict[str, list[int]]) -> None:
        """The backlog columns the user hid, per view (from the settings)."""
        self._hidden_columns = dict(prefs)
        if self._backlog_page is not None:
            self._backlog_page.set_hidden_preferences(self._hidden_columns)

    def set_new_item_spot(self, spot: str) -> None:
        """Where new items go on the Backlog page: ``top``, ``bottom`` or ``after``."""
        self._new_item_spot = spot
        if self._backlog_page is not None:
            self._backlog_page.set_new_item_spot(spot)

    def startup_finished(self) -> None:
        """The first paint is on screen: pages may now build what they deferred."""
        self._during_startup = self._first_screen = False
        if self._product_page is not None:
            self._product_page.build_sections_soon()
        if self._backlog_page is not None:
            self._backlog_page.startup_finished()

    def close_down(self) -> None:
        """The product is closing: the pages stop any work still waiting for the event loop."""
        if self._product_page is not None:
            self._product_page.close_down()
        if self._backlog_page is not None:
            self._backlog_page.close_down()

    def commit_pending(self) -> None:
        """Save text still being typed (before undo, closing, switching pages)."""
        if self._product_page is not None:
            self._product_page.commit_pending()

    # ---- Slots
    @Slot(str)
    def _on_page_selected(self, key: str) -> None:
        self.commit_pending()
        self.stack.setCurrentWidget(self._page(key))
        self.page_changed.emit(key)
        self.item_selected.emit(self.selected_item())

    @Slot(object)
    def _on_document_changed(self, changes: Changes) -> None:
        from cspo_desktop.services.changes import Entity  # not needed for the first paint

        if self._product_page is not None and changes.touches(Entity.PRODUCT):
            self._product_page.refresh()
        if self._backlog_page is None:
            return
        shown = (Entity.ITEM, Entity.GOAL, Entity.SPRINT, Entity.PRODUCT)  # in the list's rows
        if changes.only_reordered:
            self._backlog_page.apply_ranks(changes.ranks)
        elif any(changes.touches(kind) for kind in shown):
            self._backlog_page.refresh()

    @Slot(str)
    def _on_command_failed(self, _message: str) -> None:
        # The service refused: show what the file really holds.
        if self._product_page is not None:
            self._product_page.refresh()
