"""Fixes from the code review: each test here fails on the code as it was before the fix."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import types
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import cspo_desktop.persistence
from cspo_desktop import demo
from cspo_desktop.cli import main
from cspo_desktop.domain.errors import CspoError, FileRefused, Refusal
from cspo_desktop.persistence import atomic, backups, migrate, paths, queries, restore, revisions
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.lock import ProductLock, lock_path
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.product_file import create_product, open_product
from tests.unit.test_migrations import make_v1_product, revision_of

README = Path(__file__).parents[2] / "README.md"
SMALL_DEMO = 30


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def execute(path: Path, *statements: str) -> None:
    """Run statements on a plain connection (foreign keys off), as a foreign tool would."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for sql in statements:
            conn.execute(sql)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "template.cspo"
    demo.generate_demo(path, items=SMALL_DEMO, today=dt.date(2025, 3, 12))
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    folder = tmp_path / "demo"
    folder.mkdir()
    target = folder / "demo.cspo"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def broken_v1(tmp_path: Path) -> Path:
    """A revision-0001 product whose data break a CHECK constraint that 0002 adds."""
    path = tmp_path / "old" / "old.cspo"
    path.parent.mkdir()
    make_v1_product(path)
    execute(path, "UPDATE item SET status = 'someday' WHERE id = 4")
    return path


# ---------------------------------------------------------------- 1. copy_product takes the lock


def test_copy_product_refuses_a_target_open_elsewhere_and_leaves_it_alone(
    product_path: Path, demo_path: Path
) -> None:
    before = sha256(product_path)
    with ProductLock(product_path):  # another window holds it (a second descriptor is refused)
        with pytest.raises(FileRefused) as refused:
            atomic.copy_product(demo_path, product_path)
        assert refused.value.reason is Refusal.LOCKED
        assert product_path.name in str(refused.value)
    assert sha256(product_path) == before
    assert listing(product_path.parent) == ["pocket.cspo", "pocket.cspo.lock"]


def test_copy_product_without_lock_is_for_a_caller_that_holds_it(
    product_path: Path, demo_path: Path
) -> None:
    with ProductLock(product_path):
        atomic.copy_product(demo_path, product_path, lock=False)
    assert inspect_product(product_path).revision == revisions.HEAD
    with closing(sqlite3.connect(product_path)) as conn:
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (SMALL_DEMO,)


def test_restore_still_works_while_it_holds_the_product_lock(
    product_path: Path, demo_path: Path, dirs: AppDirs
) -> None:
    backup = backups.make_backup(demo_path, dirs.backups, backups.BackupKind.CLOSE)
    kept = restore.restore_backup(backup, product_path, dirs.backups)
    assert kept is not None
    with closing(sqlite3.connect(product_path)) as conn:
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (SMALL_DEMO,)


# ---------------------------------------------------------------- 2. the demo lands whole


def failing_write(*_args: object) -> None:
    raise sqlite3.OperationalError("disk I/O error")


def test_a_failed_demo_generation_leaves_the_old_demo_as_it_was(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha256(demo_path)
    monkeypatch.setattr(demo, "_write", failing_write)
    with pytest.raises(CspoError, match="disk I/O error"):
        demo.generate_demo(demo_path, items=10)
    assert sha256(demo_path) == before
    assert listing(demo_path.parent) == ["demo.cspo", "demo.cspo.lock"]


def test_a_failed_demo_generation_leaves_no_empty_product_behind(
    tmp_path: Path, dirs: AppDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = dirs.demo_product
    monkeypatch.setattr(demo, "_write", failing_write)
    with pytest.raises(CspoError):
        demo.ensure_demo(target)
    assert not target.exists()
    assert [name for name in listing(target.parent) if not name.endswith(".lock")] == []
    monkeypatch.undo()
    demo.ensure_demo(target)  # the next start generates it, instead of reopening an empty file
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (150,)


def test_an_interrupted_demo_generation_leaves_no_temporary_file(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    before = sha256(demo_path)
    monkeypatch.setattr(demo, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        demo.generate_demo(demo_path, items=10)
    assert sha256(demo_path) == before
    assert listing(demo_path.parent) == ["demo.cspo", "demo.cspo.lock"]


def test_the_demo_is_not_replaced_while_it_is_open(demo_path: Path) -> None:
    before = sha256(demo_path)
    with ProductLock(demo_path), pytest.raises(FileRefused) as refused:
        demo.generate_demo(demo_path, items=10)
    assert refused.value.reason is Refusal.LOCKED
    assert sha256(demo_path) == before
    assert listing(demo_path.parent) == ["demo.cspo", "demo.cspo.lock"]


# ---------------------------------------------------------------- 3. messages instead of tracebacks


def test_a_migration_refused_by_a_check_constraint_is_a_message(
    broken_v1: Path, dirs: AppDirs
) -> None:
    digest = sha256(broken_v1)
    with pytest.raises(CspoError, match="cannot be upgraded") as caught:
        migrate.upgrade(broken_v1)
    assert "ck_item_status" in str(caught.value)

    with pytest.raises(CspoError) as opened:
        open_product(broken_v1, backups_root=dirs.backups)
    message = str(opened.value)
    assert message.startswith("“old.cspo” cannot be upgraded: ")
    assert "the file was left unchanged and a backup was kept" in message
    assert sha256(broken_v1) == digest
    assert revision_of(broken_v1) == "0001_initial"


def test_retrying_a_failing_migration_does_not_pile_up_backups(
    broken_v1: Path, dirs: AppDirs
) -> None:
    # Four good backups of an earlier upgrade attempt, a day old: rotation must keep them.
    day_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    old = [
        backups.make_backup(
            broken_v1,
            dirs.backups,
            backups.BackupKind.MIGRATION,
            revisions.HEAD,
            now=day_ago + n * dt.timedelta(seconds=1),
        )
        for n in range(4)
    ]
    for _attempt in range(3):
        with pytest.raises(CspoError, match="cannot be upgraded"):
            open_product(broken_v1, backups_root=dirs.backups)
    kept = [
        b.path
        for b in backups.list_backups(broken_v1, dirs.backups, count_items=False)
        if b.kind is backups.BackupKind.MIGRATION
    ]
    assert len(kept) == 5
    assert set(old) <= set(kept)


def test_a_recent_backup_is_reused_only_with_the_same_label_and_while_young(
    product_path: Path, dirs: AppDirs
) -> None:
    kind, minutes = backups.BackupKind.MIGRATION, dt.timedelta(minutes=10)
    now = dt.datetime.now(dt.UTC)
    made = backups.make_backup(product_path, dirs.backups, kind, "0009_x", now=now)
    assert backups.recent_backup(product_path, dirs.backups, kind, "0009_x", within=minutes) == (
        made
    )
    assert backups.recent_backup(product_path, dirs.backups, kind, "0010_y", within=minutes) is None
    later = now + dt.timedelta(minutes=11)
    assert (
        backups.recent_backup(product_path, dirs.backups, kind, "0009_x", within=minutes, now=later)
        is None
    )
    opened = backups.BackupKind.OPEN
    assert (
        backups.recent_backup(product_path, dirs.backups, opened, "0009_x", within=minutes) is None
    )


def test_creating_a_product_in_a_folder_that_cannot_be_written_is_a_message() -> None:
    with pytest.raises(CspoError) as refused:
        create_product(Path("/proc/x.cspo"), "Nowhere")
    assert "/proc" in str(refused.value)
    assert "x.cspo" in str(refused.value)
    assert not Path("/proc/x.cspo").exists()


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs POSIX modes, not root")
def test_creating_a_product_in_a_read_only_folder_is_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CspoError, match=re.escape(str(folder))):
            create_product(folder / "x.cspo", "X")
        assert listing(folder) == []
    finally:
        folder.chmod(0o700)


def test_open_product_opens_no_throwaway_connection(
    product_path: Path, dirs: AppDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_names: list[str] = []
    real_connect = sqlite3.connect

    def recording_connect(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened_names.append(str(database))
        conn: sqlite3.Connection = real_connect(database, *args, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", recording_connect)
    opened = open_product(product_path, backups_root=dirs.backups)
    try:
        assert opened.reader.execute("SELECT count(*) FROM product").fetchone() == (1,)
    finally:
        opened.close()
    assert ":memory:" not in opened_names
    assert opened_names  # the recording saw the real connections


@pytest.mark.parametrize(
    ("damage", "detail"),
    [
        ("DELETE FROM product", "no product"),
        (
            "INSERT INTO product (id, name, key_prefix, vision_target_group, vision_needs, "
            "vision_product, vision_business_goals, estimation_scale, scale_values, "
            "next_item_number, created_at, updated_at, version) SELECT 2, name, key_prefix, "
            "'', '', '', '', estimation_scale, scale_values, 1, created_at, updated_at, 1 "
            "FROM product",
            "2 products",
        ),
        ("DROP TABLE item_event", "item_event"),
        ("DROP TABLE acceptance_criterion", "acceptance_criterion"),
        ("DROP TABLE sprint", "sprint"),
    ],
    ids=["no-product-row", "two-product-rows", "no-item-event", "no-criteria", "no-sprint"],
)
def test_a_product_file_the_app_cannot_read_is_refused(
    product_path: Path, dirs: AppDirs, damage: str, detail: str
) -> None:
    execute(product_path, damage)
    digest = sha256(product_path)
    with pytest.raises(FileRefused) as refused:
        inspect_product(product_path)
    assert refused.value.reason in {Refusal.DAMAGED, Refusal.NOT_OURS}
    assert "pocket.cspo" in str(refused.value)
    assert detail in str(refused.value)
    with pytest.raises(FileRefused):
        open_product(product_path, backups_root=dirs.backups)
    assert sha256(product_path) == digest
    assert not lock_path(product_path).exists()


@pytest.mark.parametrize(
    ("stored", "labels"),
    [
        ('["mobile", "payments"]', ["mobile", "payments"]),
        ("", []),
        ("urgent, later", ["urgent, later"]),
        ("42", ["42"]),
        ('{"a": 1}', ['{"a": 1}']),
        ('["a", 2]', ['["a", 2]']),
        ('"solo"', ['"solo"']),
        ("null", ["null"]),
    ],
    ids=["list", "empty", "not-json", "number", "object", "mixed-list", "string", "null"],
)
def test_backlog_json_reads_any_labels_value(
    product_path: Path, dirs: AppDirs, stored: str, labels: list[str]
) -> None:
    opened = open_product(product_path, backups_root=dirs.backups)
    db = Database(opened.path)
    try:
        from cspo_desktop.services.items import NewItem, add_item

        add_item(db, NewItem(title="Labelled"))
    finally:
        db.close()
        opened.close()
    with closing(sqlite3.connect(product_path, isolation_level=None)) as conn:
        conn.execute("UPDATE item SET labels = ?", (stored,))
    with closing(sqlite3.connect(product_path)) as conn:
        [item] = queries.backlog_json(conn)
    assert item["labels"] == labels


# ---------------------------------------------------------------- 4. the cspo command line


def test_backlog_reads_a_product_that_is_open_elsewhere(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(demo_path)
    data = tmp_path / "data"
    with ProductLock(demo_path):  # the app has it open
        assert main(["--data-dir", str(data), "backlog", str(demo_path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert len(json.loads(out)) == SMALL_DEMO
    assert sha256(demo_path) == before
    assert not data.exists()  # no backup, nothing written


def test_backlog_takes_no_lock_on_a_current_file(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock_path(demo_path).unlink(missing_ok=True)
    assert main(["--data-dir", str(tmp_path / "data"), "backlog", str(demo_path)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == SMALL_DEMO
    assert not lock_path(demo_path).exists()


def test_backlog_of_an_older_file_upgrades_it_with_data_dir_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.cspo"
    make_v1_product(old)
    data = tmp_path / "after"
    assert main(["backlog", str(old), "--json", "--data-dir", str(data)]) == 0
    assert [item["key"] for item in json.loads(capsys.readouterr().out)] == [
        "PB-1",
        "PB-2",
        "PB-3",
        "PB-4",
    ]
    assert revision_of(old) == revisions.HEAD
    [info] = backups.list_backups(old, data / "backups")
    assert info.kind is backups.BackupKind.MIGRATION


def test_data_dir_before_the_command_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.cspo"
    make_v1_product(old)
    data = tmp_path / "before"
    assert main(["--data-dir", str(data), "backlog", str(old)]) == 0
    assert capsys.readouterr().err == ""
    assert len(backups.list_backups(old, data / "backups")) == 1


@pytest.mark.parametrize("command", ["check", "demo", "backup"])
def test_every_command_accepts_data_dir_after_it(
    command: str, demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = {
        "check": [str(demo_path)],
        "demo": [str(tmp_path / "new.cspo"), "--items", "3"],
        "backup": [str(demo_path), "-o", str(tmp_path / "copy.cspo")],
    }[command]
    assert main([command, *extra, "--data-dir", str(tmp_path / "data")]) == 0
    assert capsys.readouterr().err == ""


def test_check_says_quick_check_not_integrity(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("quick check ok")
    assert "integrity" not in out


def test_backlog_into_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("cspo")
    product = tmp_path / "big.cspo"
    assert main(["demo", str(product), "--items", "600"]) == 0
    # Far more than a pipe buffer holds, so cspo is still writing when the reader leaves.
    with subprocess.Popen(
        [script, "backlog", product, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        assert proc.stdout.readline() == b"[\n"
        proc.stdout.close()  # what `| head -1` does
        err = proc.stderr.read()
        code = proc.wait(timeout=120)
    assert err == b""
    assert code == 0


# ---------------------------------------------------------------- 5. file modes and names


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
@pytest.mark.usefixtures("umask_022")
def test_vacuum_into_creates_the_copy_user_only_from_the_start(
    product_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the chmod afterwards, the mode is the one the file was created with.
    monkeypatch.setattr(backups, "make_private", lambda *_args: None)
    target = tmp_path / "copies" / "copy.cspo"
    backups.vacuum_into(product_path, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert inspect_product(target).revision == revisions.HEAD


def test_vacuum_into_refuses_an_existing_target_and_keeps_it(
    product_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "taken.cspo"
    target.write_bytes(b"mine")
    with pytest.raises(CspoError, match=r"taken\.cspo"):
        backups.vacuum_into(product_path, target)
    assert target.read_bytes() == b"mine"


def test_vacuum_into_leaves_no_empty_file_when_sqlite_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cspo"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(4096))
    target = tmp_path / "copy.cspo"
    with pytest.raises(CspoError):
        backups.vacuum_into(bad, target)
    assert not target.exists()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_the_finished_file_is_flushed_before_it_is_renamed(
    product_path: Path, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(("replace", os.fspath(src)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic.copy_product(demo_path, product_path)
    [(_, tmp)] = [call for call in calls if call[0] == "replace"]
    assert calls.index(("fsync", tmp)) < calls.index(("replace", tmp))


def test_two_restores_in_one_second_keep_both_damaged_files(
    product_path: Path, demo_path: Path, dirs: AppDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = dt.datetime(2025, 3, 12, 9, 30, 15, 100, tzinfo=dt.UTC)
    ticks = [start, start + dt.timedelta(microseconds=1)]
    clock = types.SimpleNamespace(now=lambda _tz: ticks.pop(0))
    monkeypatch.setattr(restore, "dt", types.SimpleNamespace(datetime=clock, UTC=dt.UTC))
    backup = backups.make_backup(demo_path, dirs.backups, backups.BackupKind.CLOSE)
    damaged = []
    for n in range(2):
        content = f"damaged {n}".encode() * 100
        product_path.write_bytes(content)
        kept = restore.restore_backup(backup, product_path, dirs.backups)
        assert kept is not None
        damaged.append((kept, content))
    assert damaged[0][0] != damaged[1][0]
    for kept, content in damaged:
        assert kept.read_bytes() == content


# ---------------------------------------------------------------- 6. network shares


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/n nfs4 rw 0 0
//nas/share /mnt/with\\040space cifs rw 0 0
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX mount table")
@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/mnt/nas-local/p.cspo", False),
        ("/mnt/n/p.cspo", True),
        ("/mnt/n", True),
        ("/mnt/with space/p.cspo", True),
        ("/mnt/with spaceship/p.cspo", False),
        ("/home/po/p.cspo", False),
    ],
)
def test_network_mounts_are_matched_by_path_components(
    path: str, network: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read_text = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self == Path("/proc/mounts"):
            return MOUNTS
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    assert paths.looks_like_network_share(Path(path)) is network


# ---------------------------------------------------------------- 7. docs and dead code


def test_the_persistence_docs_name_the_lock_the_package_uses() -> None:
    doc = cspo_desktop.persistence.__doc__ or ""
    assert "filelock" not in doc
    assert "flock" in doc


def test_the_unused_bulk_loader_is_gone() -> None:
    assert not hasattr(Database, "execute_script")


def test_the_readme_says_which_commands_take_the_lock() -> None:
    text = README.read_text(encoding="utf-8")
    assert "honour the same product lock" not in text
    flat = " ".join(text.split())
    assert "`check`, `backup`, `backlog` and `export` only read and take no lock" in flat
