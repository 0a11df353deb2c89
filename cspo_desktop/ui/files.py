"""Opening, creating, copying and restoring product files, with the dialogs they need.

Every flow ends with a clear message on failure and leaves the files as they were.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from cspo_desktop.domain.errors import CspoError, FileRefused, Refusal
from cspo_desktop.persistence.paths import PRODUCT_SUFFIX, AppDirs
from cspo_desktop.persistence.preflight import Inspection
from cspo_desktop.persistence.product_file import create_product, open_product
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.settings import Settings

FILE_FILTER = f"CSPO products (*{PRODUCT_SUFFIX});;All files (*)"


class FileFlows(QObject):
    """The File menu's work, kept out of the main window's layout code.

    Signals:
        message(str, str, str): kind ("info", "warning", "error"), title, text to show.
        status(str): a line for the status bar.
    """

    message = Signal(str, str, str)
    status = Signal(str)

    def __init__(self, dirs: AppDirs, settings: Settings, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._dirs = dirs
        self._settings = settings
        self._parent = parent_widget
        #: The last product refused as damaged, so File ▸ Restore from backup… can mend it.
        self.last_damaged: Path | None = None

    # ---- Opening
    def open_document(
        self, path: Path, inspection: Inspection | None = None
    ) -> ProductDocument | None:
        """Open ``path`` (using an ``inspection`` already under way); on failure say why."""
        try:
            opened = open_product(path, backups_root=self._dirs.backups, inspection=inspection)
        except FileRefused as exc:
            self.last_damaged = Path(exc.path) if exc.reason is Refusal.DAMAGED else None
            if exc.reason is Refusal.MISSING:
                self._settings.remove_recent(Path(os.path.abspath(path)))
            self.message.emit("error", "Cannot open the product", self._explain(exc))
            return None
        except CspoError as exc:
            self.message.emit("error", "Cannot open the product", str(exc))
            return None
        document = ProductDocument(opened, self._dirs.backups)
        self._settings.add_recent(opened.path)
        if opened.migrated_from:
            self.status.emit(
                f"Upgraded “{opened.path.name}” from an older version; "
                "the original was kept as a backup."
            )
        for warning in opened.warnings:
            self.message.emit("warning", "Product on a network folder", warning)
        return document

    def _explain(self, exc: FileRefused) -> str:
        text = str(exc)
        from cspo_desktop.persistence.backups import list_backups

        if exc.reason is Refusal.DAMAGED and list_backups(
            Path(exc.path), self._dirs.backups, count_items=False
        ):
            text += (
                "\n\nBackups of this product exist: "
                "File ▸ Restore from backup… puts one back in its place."
            )
        return text

    def ask_open_path(self) -> Path | None:
        """Ask which product file to open."""
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self._parent, "Open product", str(self._start_folder()), FILE_FILTER
        )
        return Path(chosen) if chosen else None

    # ---- Creating
    def ask_new_product(self) -> tuple[str, Path] | None:
        """Ask for the new product's name and where to save it."""
        from PySide6.QtWidgets import QFileDialog, QInputDialog

        name, ok = QInputDialog.getText(self._parent, "New product", "Product name:")
        if not ok or not name.strip():
            return None
        suggested = self._start_folder() / f"{name.strip()}{PRODUCT_SUFFIX}"
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, "Save the new product as", str(suggested), FILE_FILTER
        )
        return (name, Path(chosen)) if chosen else None

    def create(self, name: str, path: Path) -> Path | None:
        """Create a product file; on failure say why and return ``None``."""
        try:
            return create_product(path, name)
        except CspoError as exc:
            self.message.emit("error", "Cannot create the product", str(exc))
            return None

    def ensure_demo(self, *, reset: bool = False) -> Path | None:
        """Generate the demo product into the data folder the first time (or when ``reset``)."""
        from cspo_desktop.demo import ensure_demo

        try:
            return ensure_demo(self._dirs.demo_product, reset=reset)
        except CspoError as exc:
            self.message.emit("error", "Cannot create the demo product", str(exc))
            return None

    # ---- Copies and backups
    def save_copy(self, document: ProductDocument) -> Path | None:
        """Write a consistent copy of the open product where the user chooses."""
        from PySide6.QtWidgets import QFileDialog

        suggested = document.path.with_name(f"{document.path.stem} copy{PRODUCT_SUFFIX}")
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, "Save a copy", str(suggested), FILE_FILTER
        )
        if not chosen:
            return None
        target = Path(chosen)
        if target.resolve() == document.path.resolve():
            self.message.emit(
                "error", "Save a copy", "Choose another name: that is the product itself."
            )
            return None
        try:
            from cspo_desktop.persistence.atomic import copy_product

            copy_product(document.path, target)
        except CspoError as exc:
            self.message.emit("error", "Save a copy", str(exc))
            return None
        self.status.emit(f"Saved a copy as {target}")
        return target

    # ---- Archives
    def ask_archive_target(self, document: ProductDocument) -> Path | None:
        """Ask where to write the product's JSON archive."""
        from PySide6.QtWidgets import QFileDialog

        suggested = document.path.with_suffix(".json")
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, "Export as archive", str(suggested), ARCHIVE_FILTER
        )
        return Path(chosen) if chosen else None

    def export_archive(self, document: ProductDocument, target: Path) -> Path | None:
        """Write the whole product as a JSON archive; on failure say why."""
        from cspo_desktop.persistence.archive import export_archive

        try:
            summary = export_archive(document.path, target)
        except CspoError as exc:
            self.message.emit("error", "Export as archive", str(exc))
            return None
        self.status.emit(f"Wrote {target.name}: {summary.items:,} items, {summary.tables} tables")
        return target

    def ask_archive_source(self) -> tuple[Path, Path] | None:
        """Ask which archive to import and where to create its new product file."""
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self._parent, "Import archive", str(self._start_folder()), ARCHIVE_FILTER
        )
        if not chosen:
            return None
        source = Path(chosen)
        suggested = source.with_suffix(PRODUCT_SUFFIX)
        target, _ = QFileDialog.getSaveFileName(
            self._parent, "Create the product from the archive as", str(suggested), FILE_FILTER
        )
        return (source, Path(target)) if target else None

    def import_archive(self, source: Path, target: Path) -> Path | None:
        """Create a new product file from an archive; on failure say why (nothing is left)."""
        from cspo_desktop.persistence.archive import import_archive

        try:
            path, summary = import_archive(source, target)
        except CspoError as exc:
            self.message.emit("error", "Import archive", str(exc))
            return None
        self.status.emit(f"Created {path.name} from {source.name}: {summary.items:,} items")
        return path

    def ask_backup(self, product: Path) -> Path | None:
        """Let the user pick a backup of ``product``; ``None`` if there is none or they cancel."""
        from cspo_desktop.persistence.backups import list_backups

        backups = list_backups(product, self._dirs.backups)
        if not backups:
            self.message.emit(
                "info",
                "Restore from backup",
                f"There is no backup of “{product.name}” yet. Backups are made once a day when it "
                "is opened, and when it is closed after changes.",
            )
            return None
        from cspo_desktop.ui.widgets.restore_dialog import RestoreDialog

        dialog = RestoreDialog(product, backups, self._parent)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    def _start_folder(self) -> Path:
        from PySide6.QtCore import QStandardPaths

        recent = self._settings.recent()
        if recent:
            return recent[0].path.parent
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs else Path.home()


ARCHIVE_FILTER = "CSPO archives (*.json);;All files (*)"


def show_message(parent: QWidget, kind: str, title: str, text: str) -> None:
    """Show a message box of the given kind."""
    from PySide6.QtWidgets import QMessageBox

    icon = {
        "info": QMessageBox.Icon.Information,
        "warning": QMessageBox.Icon.Warning,
    }.get(kind, QMessageBox.Icon.Critical)
    QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent).exec()
