"""Backups of product files: consistent single-file copies made by SQLite itself.

Copies are made with ``VACUUM INTO`` (never a file copy of a live WAL database) and kept per
product in ``<data>/backups/<stem>-<hash>/`` as ``<kind>-<UTC time>[-<label>].cspo``. Each kind
keeps its newest five.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.persistence.paths import (
    PRIVATE_FILE_MODE,
    PRODUCT_SUFFIX,
    backup_folder_name,
    make_private,
    private_dir,
)
from cspo_desktop.persistence.sqlite import connect_readonly

KEEP_PER_KIND = 5
AUTO_BACKUP_INTERVAL = dt.timedelta(days=1)
_STAMP = "%Y%m%dT%H%M%S%fZ"


class BackupKind(enum.StrEnum):
    """Why a backup was made."""

    OPEN = "open"
    CLOSE = "close"
    MIGRATION = "pre-migration"
    RESTORE = "pre-restore"
    IMPORT = "pre-import"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file, as File ▸ Restore from backup… lists it."""

    path: Path
    kind: BackupKind
    created: dt.datetime
    label: str
    item_count: int | None


def vacuum_into(source: Path, target: Path) -> Path:
    """Write a compact, consistent copy of ``source`` to ``target`` (which must not exist).

    ``target`` is first created empty and user-only (SQLite writes into an empty file and keeps
    its mode), so the copy is never readable by others, not even for a moment.

    Raises:
        CspoError: ``target`` exists or cannot be created, or SQLite could not copy ``source``;
            no ``target`` is left behind.
    """
    private_dir(target.parent)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except OSError as exc:
        msg = f"Could not back up “{source.name}” to {target}: {exc.strerror}."
        raise CspoError(msg) from exc
    os.close(fd)
    try:
        conn = connect_readonly(source)
        try:
            conn.execute("VACUUM INTO ?", (str(target),))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        msg = f"Could not back up “{source.name}” to {target}: {exc}."
        raise CspoError(msg) from exc
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    make_private(target)
    return target


def folder_for(product: Path, backups_root: Path) -> Path:
    """The folder that holds ``product``'s backups."""
    return backups_root / backup_folder_name(product)


def make_backup(
    product: Path,
    backups_root: Path,
    kind: BackupKind,
    label: str = "",
    *,
    now: dt.datetime | None = None,
) -> Path:
    """Back ``product`` up as ``kind`` and drop the oldest beyond :data:`KEEP_PER_KIND`."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime(_STAMP)
    suffix = f"-{label}" if label else ""
    target = folder_for(product, backups_root) / f"{kind.value}-{stamp}{suffix}{PRODUCT_SUFFIX}"
    vacuum_into(product, target)
    rotate(product, backups_root, kind)
    return target


def rotate(product: Path, backups_root: Path, kind: BackupKind, keep: int = KEEP_PER_KIND) -> None:
    """Delete the oldest backups of one kind beyond ``keep``."""
    mine = [b for b in list_backups(product, backups_root, count_items=False) if b.kind is kind]
    for old in mine[keep:]:
        old.path.unlink(missing_ok=True)


def list_backups(
    product: Path, backups_root: Path, *, count_items: bool = True
) -> list[BackupInfo]:
    """Every backup of ``product``, newest first."""
    folder = folder_for(product, backups_root)
    if not folder.is_dir():
        return []
    found = [
        info
        for path in folder.glob(f"*{PRODUCT_SUFFIX}")
        if (info := _parse(path, count_items=count_items)) is not None
    ]
    return sorted(found, key=lambda b: b.created, reverse=True)


def last_backup_time(product: Path, backups_root: Path, kind: BackupKind) -> dt.datetime | None:
    """When ``product`` was last backed up as ``kind``, if ever."""
    times = [
        b.created for b in list_backups(product, backups_root, count_items=False) if b.kind is kind
    ]
    return max(times, default=None)


def recent_backup(
    product: Path,
    backups_root: Path,
    kind: BackupKind,
    label: str,
    *,
    within: dt.timedelta,
    now: dt.datetime | None = None,
) -> Path | None:
    """The newest backup of ``kind`` if it carries ``label`` and is younger than ``within``.

    Lets a step that is retried (a migration that fails on the file's data) reuse the backup
    of its first attempt instead of rotating the older, good backups away.
    """
    mine = [b for b in list_backups(product, backups_root, count_items=False) if b.kind is kind]
    if not mine:
        return None
    newest = mine[0]
    age = (now or dt.datetime.now(dt.UTC)) - newest.created
    if newest.label == label and dt.timedelta(0) <= age < within and newest.path.is_file():
        return newest.path
    return None


def due(
    product: Path, backups_root: Path, kind: BackupKind, *, now: dt.datetime | None = None
) -> bool:
    """Tell whether an automatic backup of ``kind`` is older than a day (or missing)."""
    last = last_backup_time(product, backups_root, kind)
    return last is None or (now or dt.datetime.now(dt.UTC)) - last >= AUTO_BACKUP_INTERVAL


def _parse(path: Path, *, count_items: bool) -> BackupInfo | None:
    stem = path.name.removesuffix(PRODUCT_SUFFIX)
    for kind in BackupKind:
        prefix = kind.value + "-"
        if not stem.startswith(prefix):
            continue
        stamp, _, label = stem[len(prefix) :].partition("-")
        try:
            created = dt.datetime.strptime(stamp, _STAMP).replace(tzinfo=dt.UTC)
        except ValueError:
            return None
        return BackupInfo(path, kind, created, label, _count_items(path) if count_items else None)
    return None


def _count_items(path: Path) -> int | None:
    try:
        conn = connect_readonly(path)
        try:
            return int(conn.execute("SELECT count(*) FROM item").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None
