"""Product files: inspection, pragmas, IMMEDIATE transactions, private modes, safe creation."""

from __future__ import annotations

import os
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import col, select

from cspo_desktop.domain.errors import CspoError, FileRefused, InvalidInput, Refusal
from cspo_desktop.persistence import preflight, product_file, revisions
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.lock import ProductLock, lock_path
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.product_file import create_product, open_product
from cspo_desktop.persistence.sqlite import BUSY_TIMEOUT_MS
from cspo_desktop.persistence.tables import Product
from cspo_desktop.services import items, product
from cspo_desktop.services.changes import Entity

NOW = "2024-05-06T07:08:09.000000+00:00"


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def pragmas(conn: sqlite3.Connection) -> dict[str, object]:
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


# ---------------------------------------------------------------- inspection and pragmas


def test_preflight_accepts_a_product(product_path: Path) -> None:
    state = preflight.inspect_product(product_path)
    assert state.path == product_path
    assert state.revision == revisions.HEAD
    assert not state.needs_migration


def test_open_product_sets_the_durability_pragmas_on_the_reader(
    product_path: Path, dirs: AppDirs
) -> None:
    opened = open_product(product_path, backups_root=dirs.backups)
    try:
        assert opened.path == product_path.resolve()
        assert opened.migrated_from is None
        assert opened.migration_backup is None
        found = pragmas(opened.reader)
        assert found["journal_mode"] == "wal"
        assert found["synchronous"] == 2  # FULL
        assert found["foreign_keys"] == 1
        busy_ms = found["busy_timeout"]
        assert isinstance(busy_ms, int)
        assert busy_ms >= 2000
        assert opened.lock.held
    finally:
        opened.close()
    opened.close()  # idempotent
    with ProductLock(product_path) as lock:  # the lock was given back
        assert lock.held


def test_the_write_path_has_the_same_pragmas(product_path: Path) -> None:
    db = Database(product_path)
    try:
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            found = pragmas(raw)
        assert found == {
            "journal_mode": "wal",
            "synchronous": 2,
            "foreign_keys": 1,
            "busy_timeout": BUSY_TIMEOUT_MS,
        }
    finally:
        db.close()


def test_reads_see_what_a_transaction_committed(product_path: Path, dirs: AppDirs) -> None:
    opened = open_product(product_path, backups_root=dirs.backups)
    db = Database(opened.path)
    try:
        items.add_item(db, items.NewItem(title="Pay by QR code"))
        assert opened.reader.execute("SELECT key, title FROM item").fetchall() == [
            ("PB-1", "Pay by QR code")
        ]
    finally:
        db.close()
        opened.close()


# ---------------------------------------------------------------- BEGIN IMMEDIATE


def test_a_transaction_takes_the_write_lock_at_begin(product_path: Path) -> None:
    db = Database(product_path)
    other = sqlite3.connect(product_path, timeout=0.2, isolation_level=None)
    try:
        with db.transaction() as session:
            # Only a read so far: a deferred BEGIN would hold no write lock yet.
            assert session.exec(select(Product).order_by(col(Product.id))).first() is not None
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        # Committed: the other connection may write now.
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
        db.close()


def test_an_empty_transaction_also_holds_the_write_lock(product_path: Path) -> None:
    db = Database(product_path)
    other = sqlite3.connect(product_path, timeout=0.1, isolation_level=None)
    try:
        with (
            db.transaction(),
            pytest.raises(sqlite3.OperationalError, match="database is locked"),
        ):
            other.execute("UPDATE product SET name = 'raced'")
        other.execute("UPDATE product SET name = 'after'")
    finally:
        other.close()
        db.close()


def test_a_second_writer_waits_for_the_first_instead_of_failing(product_path: Path) -> None:
    holder = sqlite3.connect(product_path, isolation_level=None)
    db = Database(product_path)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with ThreadPoolExecutor(max_workers=1) as pool:
            write = pool.submit(product.set_text, db, "vision_needs", "written after the wait")
            with pytest.raises(TimeoutError):
                write.result(timeout=0.3)  # still waiting for the lock
            holder.execute("COMMIT")
            assert write.result(timeout=BUSY_TIMEOUT_MS / 1000).touches(Entity.PRODUCT)
        assert product.get_text(db, "vision_needs") == "written after the wait"
    finally:
        holder.close()
        db.close()


def test_a_failing_transaction_writes_nothing(product_path: Path) -> None:
    db = Database(product_path)

    class BoomError(Exception):
        pass

    def half_done() -> None:
        with db.transaction() as session:
            found = session.exec(select(Product)).one()
            found.name = "half-done"
            session.add(found)
            session.flush()
            raise BoomError

    try:
        with pytest.raises(BoomError):
            half_done()
        assert product.get_text(db, "name") == "Pocket Bank"
    finally:
        db.close()


# ---------------------------------------------------------------- creating files


def test_create_product_makes_private_files_and_folders(tmp_path: Path) -> None:
    parent_mode = mode_of(tmp_path)
    old_umask = os.umask(0o022)
    try:
        path = create_product(tmp_path / "a" / "b" / "c" / "pay", "Payments")
    finally:
        os.umask(old_umask)
    assert path == tmp_path / "a" / "b" / "c" / "pay.cspo"
    assert mode_of(path) == 0o600
    assert mode_of(lock_path(path)) == 0o600
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert mode_of(folder) == 0o700, folder
    assert mode_of(tmp_path) == parent_mode  # a folder it did not create is left alone
    assert listing(path.parent) == ["pay.cspo", "pay.cspo.lock"]
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT name, key_prefix FROM product").fetchall() == [
            ("Payments", "PAY")
        ]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_sidecars_get_the_product_files_mode(tmp_path: Path, dirs: AppDirs) -> None:
    path = create_product(tmp_path / "p.cspo", "Pocket Bank")
    opened = open_product(path, backups_root=dirs.backups)
    db = Database(opened.path)
    try:
        items.add_item(db, items.NewItem(title="x"))
        for suffix in ("-wal", "-shm"):
            assert mode_of(Path(f"{path}{suffix}")) == 0o600
    finally:
        db.close()
        opened.close()


def test_create_product_refuses_an_empty_name_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        create_product(tmp_path / "new" / "x.cspo", "  \t ")
    assert not (tmp_path / "new").exists()


def no_temporary_files(folder: Path) -> None:
    leftovers = [n for n in listing(folder) if n.startswith(".") or "creating" in n]
    assert leftovers == []


def test_create_product_leaves_no_temporary_file_when_the_target_is_open(
    tmp_path: Path, product_path: Path
) -> None:
    before = product_path.read_bytes()
    with ProductLock(product_path), pytest.raises(FileRefused) as caught:
        create_product(product_path, "Replacement")
    assert caught.value.reason is Refusal.LOCKED
    no_temporary_files(product_path.parent)
    assert product_path.read_bytes() == before


def test_create_product_leaves_no_temporary_file_when_the_rename_fails(tmp_path: Path) -> None:
    target = tmp_path / "taken.cspo"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CspoError, match=r"taken\.cspo"):
        create_product(target, "Taken")
    no_temporary_files(tmp_path)
    assert listing(target) == ["keep.txt"]


def test_create_product_leaves_no_temporary_file_when_building_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(path: Path, name: str, key_prefix: str) -> None:
        assert path.exists()  # the half-built temporary file
        msg = "power went out"
        raise RuntimeError(msg)

    monkeypatch.setattr(product_file, "_seed_product", fail)
    with pytest.raises(RuntimeError, match="power went out"):
        create_product(tmp_path / "x.cspo", "X")
    assert listing(tmp_path) == []


def test_create_product_replaces_a_file_without_reviving_its_stale_wal(
    tmp_path: Path, dirs: AppDirs
) -> None:
    # A crash left the old product's last commits in its -wal. Replacing the product must not
    # let SQLite replay those pages into the new file on its first open.
    path = create_product(tmp_path / "p.cspo", "Old product")
    saved = tmp_path / "saved"
    saved.mkdir()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("UPDATE product SET name = 'Old, renamed'")
        for n in range(30):
            conn.execute(
                "INSERT INTO item (key, type, title, description, status, rank, segment, "
                "labels, blocked, blocked_note, created_at, updated_at, version) "
                "VALUES (?, 'story', 'old', '', 'todo', ?, 'backlog', '[]', 0, '', ?, ?, 1)",
                (f"OLD-{n}", f"a{n:03d}", NOW, NOW),
            )
        for suffix in ("-wal", "-shm"):
            shutil.copyfile(f"{path}{suffix}", saved / suffix)
    for suffix in ("-wal", "-shm"):
        shutil.copyfile(saved / suffix, f"{path}{suffix}")

    create_product(path, "New product")

    opened = open_product(path, backups_root=dirs.backups)
    try:
        reader = opened.reader
        assert reader.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert reader.execute("SELECT name FROM product").fetchall() == [("New product",)]
        assert reader.execute("SELECT count(*) FROM item").fetchone() == (0,)
    finally:
        opened.close()


# ---------------------------------------------------------------- files that are not products


def test_a_zero_byte_file_is_never_given_a_schema(tmp_path: Path, dirs: AppDirs) -> None:
    path = tmp_path / "empty.cspo"
    path.touch()
    with pytest.raises(FileRefused) as caught:
        open_product(path, backups_root=dirs.backups)
    assert caught.value.reason is Refusal.EMPTY
    assert "empty.cspo" in str(caught.value)
    assert path.stat().st_size == 0
    assert listing(tmp_path) == ["empty.cspo"]
    assert not dirs.backups.exists()


def test_a_missing_file_is_not_created(tmp_path: Path, dirs: AppDirs) -> None:
    path = tmp_path / "gone.cspo"
    with pytest.raises(FileRefused) as caught:
        open_product(path, backups_root=dirs.backups)
    assert caught.value.reason is Refusal.MISSING
    assert "gone.cspo" in str(caught.value)
    assert listing(tmp_path) == []


def test_a_second_open_in_the_same_process_is_refused(product_path: Path, dirs: AppDirs) -> None:
    first = open_product(product_path, backups_root=dirs.backups)
    try:
        with pytest.raises(FileRefused, match="already open") as caught:
            open_product(product_path, backups_root=dirs.backups)
        assert caught.value.reason is Refusal.LOCKED
    finally:
        first.close()
    open_product(product_path, backups_root=dirs.backups).close()
