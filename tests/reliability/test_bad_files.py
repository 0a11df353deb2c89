"""Files that are not intact products are refused with a clear message and left byte for byte."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import FileRefused, Refusal
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.preflight import SQLITE_MAGIC, inspect_product
from cspo_desktop.persistence.product_file import open_product
from cspo_desktop.services.items import NewItem, add_item
from tests.reliability.support import sha256

PAGE_SIZE = 4096
ITEMS = 120


@pytest.fixture(scope="module")
def rich_product(tmp_path_factory: pytest.TempPathFactory, product_template: Path) -> Path:
    """A closed product with items and criteria, every page in use by a b-tree."""
    folder = tmp_path_factory.mktemp("rich")
    path = folder / "rich.cspo"
    shutil.copyfile(product_template, path)
    opened = open_product(path, backups_root=folder / "backups")
    db = Database(opened.path)
    try:
        for n in range(ITEMS):
            add_item(
                db,
                NewItem(title=f"Story {n}", description="Ä" * 150, criteria=("given", "then")),
            )
    finally:
        db.close()
        opened.close()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        # No free pages (the 0002 rebuild leaves some): a page overwritten below is always live.
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
        assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (ITEMS,)
    assert path.stat().st_size >= 20 * PAGE_SIZE
    assert inspect_product(path).revision  # intact to begin with
    return path


def random_bytes(path: Path, _: Path) -> None:
    data = random.Random(1).randbytes(3 * PAGE_SIZE)
    assert not data.startswith(SQLITE_MAGIC)
    path.write_bytes(data)


def zero_bytes(path: Path, _: Path) -> None:
    path.write_bytes(b"")


def foreign_sqlite(path: Path, _: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contact (name, phone) VALUES ('Ada', '+44 20 7946 0000')")


def foreign_alembic_app(path: Path, _: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total NUMERIC)")


def newer_revision(path: Path, product: Path) -> None:
    shutil.copyfile(product, path)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")


def truncated(path: Path, product: Path) -> None:
    data = product.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupted_page(path: Path, product: Path) -> None:
    data = bytearray(product.read_bytes())
    pages = len(data) // PAGE_SIZE
    middle = pages // 2  # 0-based: an interior page, neither the header page nor the last
    assert 1 < middle < pages - 1
    data[middle * PAGE_SIZE : (middle + 1) * PAGE_SIZE] = random.Random(2).randbytes(PAGE_SIZE)
    path.write_bytes(bytes(data))


@dataclass(frozen=True)
class BadKind:
    name: str
    build: Callable[[Path, Path], None]
    refusal: Refusal
    says: str


BAD_KINDS = [
    BadKind("random-bytes", random_bytes, Refusal.NOT_SQLITE, "not an SQLite database"),
    BadKind("zero-bytes", zero_bytes, Refusal.EMPTY, "empty (0 bytes)"),
    BadKind("foreign-sqlite", foreign_sqlite, Refusal.NOT_OURS, "not a CSPO Desktop product"),
    BadKind("foreign-alembic", foreign_alembic_app, Refusal.NOT_OURS, "not a CSPO Desktop"),
    BadKind("newer-revision", newer_revision, Refusal.TOO_NEW, "newer version"),
    BadKind("truncated", truncated, Refusal.DAMAGED, "damaged"),
    BadKind("corrupted-page", corrupted_page, Refusal.DAMAGED, "damaged"),
]


def leave_leftovers(path: Path, kind: str) -> None:
    """What a crash or another program may have left beside the file."""
    wal, shm, lock = (Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", ".lock"))
    if kind == "empty-sidecars":
        wal.write_bytes(b"")
        shm.write_bytes(bytes(32768))
    elif kind == "garbage-sidecars-and-lock":
        rnd = random.Random(3)
        wal.write_bytes(rnd.randbytes(3 * PAGE_SIZE))
        shm.write_bytes(rnd.randbytes(32768))
        lock.write_text(str(os.getpid()), encoding="utf-8")


LEFTOVERS = ["none", "empty-sidecars", "garbage-sidecars-and-lock"]


@pytest.mark.parametrize("leftovers", LEFTOVERS)
@pytest.mark.parametrize("bad", BAD_KINDS, ids=[k.name for k in BAD_KINDS])
def test_a_bad_file_is_refused_and_left_untouched(
    tmp_path: Path, dirs: AppDirs, rich_product: Path, bad: BadKind, leftovers: str
) -> None:
    path = tmp_path / f"{bad.name}.cspo"
    bad.build(path, rich_product)
    leave_leftovers(path, leftovers)
    digest = sha256(path)
    size = path.stat().st_size

    for attempt in range(2):  # refused the same way twice: nothing was "repaired" in between
        with pytest.raises(FileRefused) as caught:
            open_product(path, backups_root=dirs.backups)
        refused = caught.value
        assert refused.reason is bad.refusal, (attempt, str(refused))
        assert f"“{path.name}”" in str(refused)
        assert bad.says in str(refused)
        assert refused.path == str(path)
        assert sha256(path) == digest
        assert path.stat().st_size == size

    with pytest.raises(FileRefused) as caught:
        inspect_product(path)
    assert caught.value.reason is bad.refusal
    assert sha256(path) == digest
    assert not dirs.backups.exists()  # nothing was backed up or migrated


@pytest.mark.parametrize("leftovers", LEFTOVERS)
def test_the_same_leftovers_beside_an_intact_product_do_no_harm(
    tmp_path: Path, dirs: AppDirs, rich_product: Path, leftovers: str
) -> None:
    path = tmp_path / "intact.cspo"
    shutil.copyfile(rich_product, path)
    leave_leftovers(path, leftovers)
    opened = open_product(path, backups_root=dirs.backups)
    try:
        reader = opened.reader
        assert reader.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert reader.execute("SELECT count(*) FROM item").fetchone() == (ITEMS,)
    finally:
        opened.close()
