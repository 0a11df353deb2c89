"""File ▸ Restore from backup…: pick one of the product's backups by date."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.persistence.backups import BackupInfo, BackupKind

KIND_LABELS = {
    BackupKind.OPEN: "Daily, on open",
    BackupKind.CLOSE: "On close",
    BackupKind.MIGRATION: "Before an upgrade",
    BackupKind.RESTORE: "Before a restore",
}
PATH_ROLE = Qt.ItemDataRole.UserRole


class RestoreDialog(QDialog):
    """Lists backups newest first; the chosen one replaces the product."""

    def __init__(
        self, product: Path, backups: list[BackupInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setObjectName("restoreDialog")
        intro = QLabel(
            f"Choose the backup that replaces “{product.name}”. The product as it is now is kept "
            "as a backup first, so a restore can itself be undone by restoring that."
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Made", "Why", "Items"])
        self.list.setRootIsDecorated(False)
        for info in backups:
            row = QTreeWidgetItem(
                [
                    info.created.astimezone().strftime("%d %b %Y, %H:%M:%S"),
                    KIND_LABELS.get(info.kind, info.kind.value),
                    "?" if info.item_count is None else str(info.item_count),
                ]
            )
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setData(0, PATH_ROLE, str(info.path))
            row.setToolTip(0, str(info.path))
            self.list.addTopLevelItem(row)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, header.ResizeMode.Stretch)
        self.list.headerItem().setTextAlignment(
            2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        for column in (0, 2):
            self.list.resizeColumnToContents(column)
            self.list.setColumnWidth(column, self.list.columnWidth(column) + 24)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Restore")
        ok.setEnabled(False)
        self.list.currentItemChanged.connect(
            lambda current, _prev: ok.setEnabled(current is not None)
        )
        self.list.itemActivated.connect(self.accept)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        newest = self.list.topLevelItem(0)
        if newest is not None:
            self.list.setCurrentItem(newest)  # ready to restore with Enter
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def chosen(self) -> Path | None:
        """The backup the user picked."""
        item = self.list.currentItem()
        return Path(str(item.data(0, PATH_ROLE))) if item is not None else None
