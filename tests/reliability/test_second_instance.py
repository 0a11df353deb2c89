"""A product open in another process is refused here, and free again once that process is gone."""

from __future__ import annotations

import os
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import FileRefused, Refusal
from cspo_desktop.persistence.lock import ProductLock
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.product_file import create_product, open_product
from tests.reliability.support import child_process, sha256, wait_until_ready


def assert_refused_as_locked(product: Path, dirs: AppDirs) -> None:
    with pytest.raises(FileRefused, match="already open") as caught:
        open_product(product, backups_root=dirs.backups)
    assert caught.value.reason is Refusal.LOCKED
    assert product.name in str(caught.value)


def test_a_second_opener_is_refused_until_the_first_process_exits(
    product_path: Path, dirs: AppDirs
) -> None:
    with child_process("hold", product_path, dirs.backups) as holder:
        wait_until_ready(holder)
        digest = sha256(product_path)
        assert_refused_as_locked(product_path, dirs)
        with pytest.raises(FileRefused) as caught:
            create_product(product_path, "Overwrite it")
        assert caught.value.reason is Refusal.LOCKED
        assert sha256(product_path) == digest
        assert holder.stdin is not None
        holder.stdin.close()  # the holder closes the product and exits
        assert holder.wait(timeout=60) == 0

    opened = open_product(product_path, backups_root=dirs.backups)
    try:
        assert opened.lock.held
        assert opened.reader.execute("SELECT name FROM product").fetchall() == [("Pocket Bank",)]
    finally:
        opened.close()


def test_the_lock_is_free_again_after_the_holder_is_killed(
    product_path: Path, dirs: AppDirs
) -> None:
    with child_process("hold", product_path, dirs.backups) as holder:
        wait_until_ready(holder)
        assert_refused_as_locked(product_path, dirs)
        os.kill(holder.pid, signal.SIGKILL)
        assert holder.wait(timeout=60) == -signal.SIGKILL

    # The OS released the lock with the process; the stale lock file does not matter.
    assert Path(f"{product_path}.lock").exists()
    with ProductLock(product_path) as lock:
        assert lock.held
    opened = open_product(product_path, backups_root=dirs.backups)
    try:
        assert opened.reader.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        opened.close()
    with closing(sqlite3.connect(product_path)) as conn:
        assert conn.execute("SELECT count(*) FROM product").fetchone() == (1,)
