"""Backups: consistent copies by SQLite, five per kind, newest first, private, daily."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.persistence import backups
from cspo_desktop.persistence.backups import BackupKind
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.product_file import OpenedProduct, open_product
from cspo_desktop.services import items

T0 = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def quick_check(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA quick_check").fetchall()


@pytest.fixture
def opened(product_path: Path, dirs: AppDirs) -> Iterator[tuple[OpenedProduct, Database]]:
    product = open_product(product_path, backups_root=dirs.backups)
    db = Database(product.path)
    yield product, db
    db.close()
    product.close()


def test_backups_keep_five_per_kind_newest_first_with_item_counts(
    product_path: Path, dirs: AppDirs, opened: tuple[OpenedProduct, Database]
) -> None:
    _, db = opened  # open, with the latest commits still in the -wal
    made = []
    for n in range(7):
        made.append(
            backups.make_backup(
                product_path, dirs.backups, BackupKind.OPEN, now=T0 + n * dt.timedelta(hours=1)
            )
        )
        items.add_item(db, items.NewItem(title=f"item {n}"))
    for n in range(2):
        backups.make_backup(
            product_path, dirs.backups, BackupKind.CLOSE, now=T0 + dt.timedelta(days=1, minutes=n)
        )

    listed = backups.list_backups(product_path, dirs.backups)
    opens = [b for b in listed if b.kind is BackupKind.OPEN]
    closes = [b for b in listed if b.kind is BackupKind.CLOSE]
    assert [b.created for b in listed] == sorted((b.created for b in listed), reverse=True)
    assert [b.created for b in opens] == [T0 + n * dt.timedelta(hours=1) for n in (6, 5, 4, 3, 2)]
    assert [b.item_count for b in opens] == [6, 5, 4, 3, 2]
    assert [b.path for b in opens] == list(reversed(made[2:]))
    assert not made[0].exists()
    assert not made[1].exists()
    assert [b.item_count for b in closes] == [7, 7]
    assert all(b.label == "" for b in listed)

    # Five more closing backups: the opening ones are not touched by that kind's rotation.
    for n in range(5):
        backups.make_backup(
            product_path, dirs.backups, BackupKind.CLOSE, now=T0 + dt.timedelta(days=2, minutes=n)
        )
    listed = backups.list_backups(product_path, dirs.backups)
    assert sum(b.kind is BackupKind.OPEN for b in listed) == backups.KEEP_PER_KIND
    assert sum(b.kind is BackupKind.CLOSE for b in listed) == backups.KEEP_PER_KIND
    assert len(listed) == 2 * backups.KEEP_PER_KIND


def test_backups_are_private_intact_single_files(
    product_path: Path, dirs: AppDirs, opened: tuple[OpenedProduct, Database]
) -> None:
    _, db = opened
    items.add_item(db, items.NewItem(title="Pay by QR", criteria=("scan", "pay")))
    path = backups.make_backup(product_path, dirs.backups, BackupKind.OPEN, label="manual")
    folder = backups.folder_for(product_path, dirs.backups)
    assert path.parent == folder
    assert mode_of(path) == 0o600
    for created in (dirs.data, dirs.backups, folder):
        assert mode_of(created) == 0o700, created
    assert quick_check(path) == [("ok",)]
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT title FROM item").fetchall() == [("Pay by QR",)]
        assert conn.execute("SELECT count(*) FROM acceptance_criterion").fetchone() == (2,)
    [info] = backups.list_backups(product_path, dirs.backups)
    assert (info.path, info.kind, info.label, info.item_count) == (
        path,
        BackupKind.OPEN,
        "manual",
        1,
    )
    # Reading the backups to list them leaves no -wal or -shm beside them.
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def test_rotation_leaves_other_files_alone(product_path: Path, dirs: AppDirs) -> None:
    folder = backups.folder_for(product_path, dirs.backups)
    folder.mkdir(parents=True)
    stranger = folder / "notes-from-me.cspo"
    stranger.write_text("not a backup", encoding="utf-8")
    for n in range(backups.KEEP_PER_KIND + 2):
        backups.make_backup(
            product_path, dirs.backups, BackupKind.OPEN, now=T0 + dt.timedelta(minutes=n)
        )
    assert stranger.read_text(encoding="utf-8") == "not a backup"
    assert len(backups.list_backups(product_path, dirs.backups)) == backups.KEEP_PER_KIND


def test_backups_of_different_products_do_not_mix(
    tmp_path: Path, product_path: Path, dirs: AppDirs
) -> None:
    other = tmp_path / "elsewhere" / product_path.name
    other.parent.mkdir()
    other.write_bytes(product_path.read_bytes())
    backups.make_backup(product_path, dirs.backups, BackupKind.OPEN, now=T0)
    assert backups.list_backups(other, dirs.backups) == []
    assert backups.folder_for(other, dirs.backups) != backups.folder_for(product_path, dirs.backups)


def test_due_honours_the_one_day_interval(product_path: Path, dirs: AppDirs) -> None:
    assert backups.due(product_path, dirs.backups, BackupKind.OPEN, now=T0)
    backups.make_backup(product_path, dirs.backups, BackupKind.OPEN, now=T0)
    assert backups.last_backup_time(product_path, dirs.backups, BackupKind.OPEN) == T0
    day = backups.AUTO_BACKUP_INTERVAL
    assert day == dt.timedelta(days=1)
    assert not backups.due(product_path, dirs.backups, BackupKind.OPEN, now=T0)
    assert not backups.due(
        product_path, dirs.backups, BackupKind.OPEN, now=T0 + day - dt.timedelta(seconds=1)
    )
    assert backups.due(product_path, dirs.backups, BackupKind.OPEN, now=T0 + day)
    assert backups.due(product_path, dirs.backups, BackupKind.OPEN, now=T0 + 3 * day)
    # Another kind keeps its own clock.
    assert backups.due(product_path, dirs.backups, BackupKind.CLOSE, now=T0)


def test_a_backup_never_overwrites_an_existing_file(product_path: Path, dirs: AppDirs) -> None:
    first = backups.make_backup(product_path, dirs.backups, BackupKind.OPEN, now=T0)
    before = first.read_bytes()
    with pytest.raises(CspoError, match=r"pocket\.cspo"):
        backups.make_backup(product_path, dirs.backups, BackupKind.OPEN, now=T0)
    assert first.read_bytes() == before
