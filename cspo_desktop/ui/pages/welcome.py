"""The welcome page: shown when no product is open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.ui.settings import RecentFile

PATH_ROLE = Qt.ItemDataRole.UserRole


def _when(opened: dt.datetime) -> str:
    local = opened.astimezone()
    return local.strftime("%d %b %Y, %H:%M")


class WelcomePage(QWidget):
    """Three ways in (new, open, demo) and the recently opened products.

    Signals:
        open_requested(Path): the user picked a recent product.
    """

    open_requested = Signal(Path)

    def __init__(
        self,
        new: QAction,
        open_: QAction,
        demo: QAction,
        data_folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        title = QLabel("CSPO Desktop")
        title.setProperty("role", "title")
        subtitle = QLabel(
            "Vision, backlog, planning and review for Product Owners — "
            "offline, one product per file."
        )
        subtitle.setProperty("role", "subtitle")
        subtitle.setWordWrap(True)

        buttons = QHBoxLayout()
        for action, label in (
            (new, "New product…"),
            (open_, "Open…"),
            (demo, "Open the demo product"),
        ):
            button = QPushButton(label)
            button.setProperty("role", "big")
            button.setToolTip(action.statusTip())
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        buttons.addStretch(1)

        recent_label = QLabel("Recent products")
        recent_label.setProperty("role", "section")
        self.recent = QTreeWidget()
        self.recent.setObjectName("recentProducts")
        self.recent.setHeaderLabels(["Product file", "Folder", "Last opened"])
        self.recent.setRootIsDecorated(False)
        self.recent.setUniformRowHeights(True)
        self.recent.itemActivated.connect(self._on_recent_activated)
        self.empty_recent = QLabel("No product opened yet. Start with the demo to look around.")
        self.empty_recent.setProperty("role", "hint")

        where = QLabel(f"Demo product and automatic backups are kept in {data_folder}")
        where.setProperty("role", "hint")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        column = QVBoxLayout()
        column.setSpacing(16)
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(8)
        column.addLayout(buttons)
        column.addSpacing(16)
        column.addWidget(recent_label)
        column.addWidget(self.recent, 1)
        column.addWidget(self.empty_recent)
        self._filler = column.count()
        column.addStretch(0)
        column.addWidget(where)
        self._column = column

        content = QWidget()
        content.setLayout(column)
        content.setMaximumWidth(960)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 24)
        outer.addWidget(content, 1)
        outer.addStretch(0)

    def set_recent(self, files: list[RecentFile]) -> None:
        """Show the recently opened products, most recent first."""
        self.recent.clear()
        for entry in files:
            row = QTreeWidgetItem([entry.path.name, str(entry.path.parent), _when(entry.opened)])
            row.setData(0, PATH_ROLE, str(entry.path))
            row.setToolTip(0, str(entry.path))
            if not entry.path.exists():
                row.setText(2, "missing")
                row.setDisabled(True)
            self.recent.addTopLevelItem(row)
        for column in range(2):
            self.recent.resizeColumnToContents(column)
        self.recent.setVisible(bool(files))
        self.empty_recent.setVisible(not files)
        # Without recent files, the space below the buttons stays empty instead of spreading out.
        self._column.setStretch(self._filler, 0 if files else 1)

    @Slot(QTreeWidgetItem, int)
    def _on_recent_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.open_requested.emit(Path(str(item.data(0, PATH_ROLE))))
