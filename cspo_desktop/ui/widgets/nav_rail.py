"""The navigation rail on the left: one checkable button per working page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QPushButton, QVBoxLayout, QWidget


class NavigationRail(QFrame):
    """Lists the pages; the checked entry is the page shown (a frame, so the style sheet paints it).

    Signals:
        page_selected(str): the user (or :meth:`select`) chose the page with this key.
    """

    page_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navRail")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 12, 8, 12)
        self._layout.setSpacing(4)
        self._layout.addStretch(1)

    def add_page(self, key: str, glyph: str, label: str, shortcut: str) -> None:
        """Add an entry; ``glyph`` is a symbol shown before the label.

        The button fills the rail's width: a push button may grow sideways, and the rail's
        vertical layout gives each entry its whole width.
        """
        button = QPushButton()
        button.setObjectName(f"rail_{key}")
        button.setProperty("role", "rail")
        button.setText(f"{glyph}  {label}")
        button.setToolTip(f"{label} ({shortcut})")
        button.setAccessibleName(label)
        button.setCheckable(True)
        button.clicked.connect(lambda _checked=False, k=key: self.select(k))
        self._group.addButton(button)
        self._buttons[key] = button
        self._layout.insertWidget(self._layout.count() - 1, button)

    def select(self, key: str) -> None:
        """Make ``key`` the current entry and announce it."""
        button = self._buttons.get(key)
        if button is None:
            return
        button.setChecked(True)
        self.page_selected.emit(key)

    def current(self) -> str | None:
        """The key of the checked entry."""
        for key, button in self._buttons.items():
            if button.isChecked():
                return key
        return None

    def keys(self) -> list[str]:
        """The page keys in rail order."""
        return list(self._buttons)
