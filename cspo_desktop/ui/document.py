"""The open product: its file, undo stack and change notifications.

Reads for the screens go through the plain-SQL queries on the product's ``sqlite3``
connection, so a product can be shown before SQLAlchemy is imported; the write path
(SQLModel services) is loaded by :meth:`ProductDocument.warm_up` right after the first paint,
or on first use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from cspo_desktop.persistence import queries
from cspo_desktop.persistence.product_file import OpenedProduct

if TYPE_CHECKING:
    from cspo_desktop.domain.drafts import NewItem
    from cspo_desktop.domain.ordering import Anchor
    from cspo_desktop.domain.readiness import ReadyRules
    from cspo_desktop.persistence.previews import DeletionPreview
    from cspo_desktop.services.changes import Changes
    from cspo_desktop.services.ranking import Move
    from cspo_desktop.services.removal import Removed
    from cspo_desktop.services.snapshots import ItemsState

T = TypeVar("T")


class ProductDocument(QObject):
    """One open product file.

    Signals:
        changed(Changes): something in the product changed (after the transaction committed).
    """

    changed = Signal(object)

    def __init__(
        self, opened: OpenedProduct, backups_root: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._opened = opened
        self._backups_root = backups_root
        self._database: Any = None
        self._writes = 0
        self.undo_stack = QUndoStack(self)

    # ---- Identity
    @property
    def path(self) -> Path:
        """The product file."""
        return self._opened.path

    @property
    def warnings(self) -> list[str]:
        """What the user should know about this file (e.g. it sits on a network share)."""
        return list(self._opened.warnings)

    @property
    def migrated_from(self) -> str | None:
        """The schema revision the file was upgraded from when opened, if it was."""
        return self._opened.migrated_from

    # ---- Reads (plain SQL, no SQLAlchemy)
    def summary(self) -> queries.ProductSummary:
        """Name, vision board and counts of the product."""
        return queries.product_summary(self._opened.reader)

    def read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run one read of :mod:`persistence.queries` (plain SQL) on the product's connection."""
        return query(self._opened.reader)

    def deletion_preview(self, ids: list[int]) -> DeletionPreview:
        """What deleting ``ids`` would take with it (for the confirmation)."""
        from cspo_desktop.persistence import previews

        return previews.deletion_preview(self._opened.reader, ids)

    def ready_rules(self) -> ReadyRules:
        """The product's Definition of Ready rules."""
        from cspo_desktop.domain.readiness import ReadyRules

        return ReadyRules.from_row(queries.ready_rules_row(self._opened.reader))

    def backlog_rows(self, limit: int | None = None) -> list[tuple[Any, ...]]:
        """Items in rank order as lightweight rows (see ``queries.BACKLOG_COLUMNS``).

        ``limit`` reads only the first rows (the top of the list, for a first paint).
        """
        return queries.backlog_rows(self._opened.reader, limit)

    # ---- Writes (services)
    def warm_up(self) -> None:
        """Load the write path (SQLModel, the services) ahead of the first edit."""
        self._db()

    def _db(self) -> Any:
        if self._database is None:
            from cspo_desktop.persistence.database import Database

            self._database = Database(self.path)
        return self._database

    def read_db(self, service: Callable[..., T], *args: Any) -> T:
        """Run a service that only reads, through the write connection (no change announced)."""
        return service(self._db(), *args)

    def apply(self, service: Callable[..., Changes], *args: Any) -> Changes:
        """Run one service call (one transaction) and announce what it changed."""
        changes = service(self._db(), *args)
        self._writes += 1
        self.changed.emit(changes)
        return changes

    def apply_returning(self, service: Callable[..., tuple[T, Changes]], *args: Any) -> T:
        """Run a service that also returns a value (e.g. a new id); announce what it changed."""
        value, changes = service(self._db(), *args)
        self._writes += 1
        self.changed.emit(changes)
        return value

    def set_product_text(self, field: str, value: str) -> Changes:
        """Set the product's name or a vision board pane."""
        from cspo_desktop.services import product

        return self.apply(product.set_text, field, value)

    def move_items(self, ids: list[int], anchor: Anchor) -> Move:
        """Move items as one block (see :func:`services.ranking.move_items`)."""
        from cspo_desktop.services import ranking

        return self.apply_returning(ranking.move_items, ids, anchor)

    def write_keys(self, keys: dict[int, str], moved: tuple[int, ...]) -> Changes:
        """Write rank keys back: the undo and redo of a move."""
        from cspo_desktop.services import ranking

        return self.apply(ranking.write_keys, keys, moved)

    def add_item(self, new: NewItem) -> int:
        """Add an item at the bottom of its segment; return its id."""
        from cspo_desktop.services import items

        return self.apply_returning(items.add_item, new)

    def delete_items(self, ids: list[int]) -> Removed:
        """Delete items with their criteria and links; return what undo needs."""
        from cspo_desktop.services import removal

        return self.apply_returning(removal.delete_items, ids)

    def restore_items(self, removed: Removed) -> Changes:
        """Put deleted items back exactly as they were."""
        from cspo_desktop.services import removal

        return self.apply(removal.restore_items, removed)

    def capture(self, ids: Sequence[int]) -> ItemsState:
        """The items ``ids`` with everything hanging off them, as they are now (for undo)."""
        from cspo_desktop.services import snapshots

        return snapshots.capture(self._db(), ids)

    def put_back(self, state: ItemsState) -> Changes:
        """Make items exactly as :meth:`capture` found them (undo and redo of item edits)."""
        from cspo_desktop.services import snapshots

        return self.apply(snapshots.put_back, state)

    def reload(self) -> None:
        """Tell every view to re-read everything (after a failed write left them unsure)."""
        from cspo_desktop.services.changes import Changes, Entity

        self.changed.emit(Changes({Entity.ITEM: frozenset(), Entity.PRODUCT: frozenset()}))

    @property
    def modified_this_session(self) -> bool:
        """Whether anything was written since the product was opened."""
        return self._writes > 0

    # ---- Backups and closing
    def backup_if_due(self) -> Path | None:
        """Make the daily automatic backup if the last one is older than a day."""
        from cspo_desktop.persistence.backups import BackupKind, due, make_backup

        if due(self.path, self._backups_root, BackupKind.OPEN):
            return make_backup(self.path, self._backups_root, BackupKind.OPEN)
        return None

    def close(self) -> Path | None:
        """Close the product; back it up first when it changed during this session."""
        backup = None
        try:
            if self._database is not None:
                self._database.close()
                self._database = None
            if self.modified_this_session:
                from cspo_desktop.persistence.backups import BackupKind, make_backup

                backup = make_backup(self.path, self._backups_root, BackupKind.CLOSE)
        finally:
            # Whatever happened to the backup, the product is released for other windows.
            self._opened.close()
            self.undo_stack.clear()
        return backup
