"""Open and create product files, in the order that keeps every byte safe.

Opening: (1) inspect the file read-only, before any pragma (:mod:`preflight`); (2) take the
product lock (:mod:`lock`); (3) if the file is older than the app, back it up with
``VACUUM INTO`` and migrate it (Alembic, imported only then); (4) open the read-write
connection with the app's pragmas. A new product is built in a temporary file in the target
folder and moved into place only when complete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from cspo_desktop.domain.errors import CspoError, InvalidInput
from cspo_desktop.domain.keys import suggest_prefix
from cspo_desktop.persistence import revisions
from cspo_desktop.persistence.lock import ProductLock
from cspo_desktop.persistence.paths import (
    PRODUCT_SUFFIX,
    looks_like_network_share,
    make_private,
    private_dir,
)
from cspo_desktop.persistence.preflight import Inspection, inspect_product
from cspo_desktop.persistence.sqlite import connect

#: A pre-migration backup younger than this (of the same target revision) is reused on retry.
MIGRATION_BACKUP_REUSE = dt.timedelta(minutes=10)

NETWORK_SHARE_WARNING = (
    "This product is on a network folder. SQLite cannot keep it safe there when two computers "
    "open it; keep product files on this computer's own disk."
)


class OpenedProduct(NamedTuple):
    """A product file held open by this process: its lock and its read connection.

    A named tuple: its class is made before the first paint, where a dataclass costs ~1 ms.

    Attributes:
        path: absolute path of the product file.
        reader: a ``sqlite3`` connection with the app's pragmas, used for list reads.
        migrated_from: the revision the file had before it was migrated, if it was.
        migration_backup: the backup made before migrating, if any.
        warnings: things the user should know (e.g. the file is on a network share).
    """

    path: Path
    reader: sqlite3.Connection
    lock: ProductLock
    migrated_from: str | None = None
    migration_backup: Path | None = None
    warnings: tuple[str, ...] = ()

    def close(self) -> None:
        """Close the connection and release the lock (idempotent)."""
        with contextlib.suppress(sqlite3.Error):
            self.reader.close()
        self.lock.release()


def open_product(
    path: Path, *, backups_root: Path, inspection: Inspection | None = None
) -> OpenedProduct:
    """Open an existing product file for reading and writing.

    Args:
        path: the product file.
        backups_root: where a pre-migration backup goes.
        inspection: an inspection of ``path`` already started (see :class:`Inspection`).

    Raises:
        FileRefused: the file is missing, empty, foreign, too new, damaged or already open.
        CspoError: a migration failed (the file is unchanged; a backup was made first).
    """
    path = Path(os.path.abspath(path))
    if inspection is not None and Path(os.path.abspath(inspection.path)) == path:
        state = inspection.result()
    else:
        state = inspect_product(path)
    lock = ProductLock(path).acquire()
    try:
        migrated_from: str | None = None
        backup: Path | None = None
        if state.needs_migration:
            backup = _migrate(path, backups_root)
            migrated_from = state.revision
        warnings = (NETWORK_SHARE_WARNING,) if looks_like_network_share(path) else ()
        reader = connect(path)
    except BaseException:
        lock.release()
        raise
    return OpenedProduct(
        path=path,
        reader=reader,
        lock=lock,
        migrated_from=migrated_from,
        migration_backup=backup,
        warnings=warnings,
    )


def _migrate(path: Path, backups_root: Path) -> Path:
    """Back ``path`` up, then bring it to the head; return the backup.

    A backup of the same target revision made minutes ago (by an attempt that failed) is
    reused, so retrying never rotates the older, good backups away.
    """
    from cspo_desktop.persistence.backups import BackupKind, make_backup, recent_backup

    backup = recent_backup(
        path, backups_root, BackupKind.MIGRATION, revisions.HEAD, within=MIGRATION_BACKUP_REUSE
    ) or make_backup(path, backups_root, BackupKind.MIGRATION, label=revisions.HEAD)
    from cspo_desktop.persistence.migrate import MigrationError, upgrade

    try:
        upgrade(path)
    except MigrationError as exc:
        msg = (
            f"“{path.name}” cannot be upgraded: {exc.reason}; the file was left unchanged "
            f"and a backup was kept ({backup.name})."
        )
        raise CspoError(msg) from exc
    return backup


def product_target(path: Path) -> Path:
    """The absolute path a new product is written to (``.cspo`` added), its folder made.

    Raises:
        InvalidInput: the folder cannot be created.
    """
    path = Path(os.path.abspath(path))
    if path.suffix != PRODUCT_SUFFIX:
        path = path.with_name(path.name + PRODUCT_SUFFIX)
    try:
        private_dir(path.parent)
    except OSError as exc:
        msg = f"Cannot create a product in {path.parent}: {exc.strerror}."
        raise InvalidInput(msg) from exc
    return path


def create_product(path: Path, name: str, *, key_prefix: str | None = None) -> Path:
    """Create a new, empty product file at ``path`` (replacing a file the user chose to replace).

    The schema is built by the migrations from base (one code path for new and old files) in
    a temporary file beside the target, which replaces the target only once complete.

    Raises:
        InvalidInput: the name is empty or the folder cannot be written.
        FileRefused: the target is open in another window.
        CspoError: the finished file could not be put in place; the target is unchanged.
    """
    if not name.strip():  # the name is kept exactly as typed
        msg = "A product needs a name."
        raise InvalidInput(msg)
    from cspo_desktop.persistence.atomic import remove_with_sidecars, replace_file

    path = product_target(path)
    tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    try:
        remove_with_sidecars(tmp)
        from cspo_desktop.persistence.migrate import MigrationError, upgrade

        try:
            upgrade(tmp, create=True)
            _seed_product(tmp, name, key_prefix or suggest_prefix(name))
        except (MigrationError, sqlite3.Error) as exc:
            reason = exc.reason if isinstance(exc, MigrationError) else str(exc)
            msg = f"Cannot create “{path.name}” in the folder {path.parent}: {reason}."
            raise InvalidInput(msg) from exc
        make_private(tmp)
        with ProductLock(path):
            replace_file(tmp, path)
    except OSError as exc:
        msg = f"Cannot create “{path.name}” in the folder {path.parent}: {exc.strerror}."
        raise CspoError(msg) from exc
    finally:
        with contextlib.suppress(OSError):
            remove_with_sidecars(tmp)
    return path


def _seed_product(path: Path, name: str, key_prefix: str) -> None:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    conn = connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO product (id, name, key_prefix, vision_target_group, vision_needs, "
            "vision_product, vision_business_goals, estimation_scale, scale_values, "
            "next_item_number, created_at, updated_at, version) "
            "VALUES (1, ?, ?, '', '', '', '', 'fibonacci', '', 1, ?, ?, 1)",
            (name, key_prefix, now, now),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
