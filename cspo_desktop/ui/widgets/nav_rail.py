"""The navigation rail on the left: one entry per working page."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole


class NavigationRail(QListWidget):
    """Lists the pages; the current entry is the page shown.

    Signals:
        page_selected(str): the user chose the page with this key.
    """

    page_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navRail")
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.currentItemChanged.connect(self._on_current_changed)

    def add_page(self, key: str, glyph: str, label: str, shortcut: str) -> None:
        """Add an entry; ``glyph`` is a symbol shown before the label."""
        item = QListWidgetItem(f"{glyph}  {label}")
        item.setData(KEY_ROLE, key)
        item.setToolTip(f"{label} ({shortcut})")
        self.addItem(item)
        self._fit_width()

    def _fit_width(self) -> None:
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.item(row).text()) for row in range(self.count())),
            default=0,
        )
        # Room for the item padding and margins of the stylesheet (3 + 1 spacing steps a side).
        self.setFixedWidth(widest + 4 * metrics.averageCharWidth() + 48)
        for row in range(self.count()):
            self.item(row).setSizeHint(QSize(0, round(metrics.height() * 2.2)))

    def changeEvent(self, event: QEvent) -> None:
        """Follow the presentation scale (QWidget.changeEvent)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_width()

    def select(self, key: str) -> None:
        """Make ``key`` the current entry."""
        for row in range(self.count()):
            if self.item(row).data(KEY_ROLE) == key:
                self.setCurrentRow(row)
                return

    def keys(self) -> list[str]:
        """The page keys in rail order."""
        return [str(self.item(row).data(KEY_ROLE)) for row in range(self.count())]

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is not None:
            self.page_selected.emit(str(current.data(KEY_ROLE)))
