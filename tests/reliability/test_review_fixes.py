"""Fixes from the code review, proven against a second process that really holds or dies.

* "Save a copy" (and anything else using ``copy_product``) onto a product another process has
  open is refused; before the fix it deleted that process's WAL and renamed over the file,
  losing its acknowledged writes.
* The demo is built beside its target and renamed over it in one step: a generation killed
  with SIGKILL at any moment leaves the old demo (or no file), never an empty product.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.demo import ensure_demo, generate_demo
from cspo_desktop.domain.errors import FileRefused, Refusal
from cspo_desktop.persistence.atomic import copy_product
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.product_file import open_product
from tests.reliability.support import LineReader, child_process

TODAY = dt.date(2025, 3, 12)
OLD_ITEMS = 12
NEW_ITEMS = 2000
KILL_TRIALS = 8
#: Seconds after "building" within which a trial kills the generation.
KILL_WINDOW = 2.0
SEED = 20250312

#: Generates the demo at argv[1] with argv[2] items. It says "started" once imported and
#: "building" when the product file is about to be created (the schema takes about a second,
#: the content a few tenths more); with argv[3] == "stall" it says "writing" and waits where
#: the content is about to be written.
DEMO_CHILD = """
import sys, time
from pathlib import Path
import cspo_desktop.demo as demo

def say(word):
    sys.stdout.write(word + "\\n")
    sys.stdout.flush()

create_product = demo.create_product
def announced(*args, **kwargs):
    say("building")
    return create_product(*args, **kwargs)
demo.create_product = announced
if sys.argv[3] == "stall":
    def stalled(*_args):
        say("writing")
        time.sleep(600)
    demo._write = stalled
say("started")
demo.generate_demo(Path(sys.argv[1]), items=int(sys.argv[2]))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def item_count(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM item").fetchone()[0])


def leftovers(target: Path) -> list[str]:
    """Files the demo generation of ``target`` builds in and must not leave behind."""
    prefix = f".{target.name}.generating"
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(prefix))


def demo_child(target: Path, items: int, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", DEMO_CHILD, str(target), str(items), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_copy_onto_a_product_another_process_writes_is_refused_and_loses_nothing(
    product_path: Path, product_template: Path, tmp_path: Path
) -> None:
    backups = tmp_path / "backups"
    source = tmp_path / "other.cspo"
    shutil.copyfile(product_template, source)
    with child_process("write", product_path, backups, "1") as proc:
        reader = LineReader(proc)
        reader.start()
        assert reader.wait_for(20, timeout=120), "the writer did not start"
        with pytest.raises(FileRefused) as refused:
            copy_product(source, product_path)
        assert refused.value.reason is Refusal.LOCKED
        assert product_path.name in str(refused.value)
        # The writer goes on undisturbed, then dies without a clean close.
        assert reader.wait_for(len(reader.lines) + 20, timeout=120)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        reader.join(timeout=60)
    acknowledged = {int(n) for n in reader.lines}
    opened = open_product(product_path, backups_root=backups)
    try:
        titles = {str(t) for (t,) in opened.reader.execute("SELECT title FROM item")}
    finally:
        opened.close()
    missing = sorted(n for n in acknowledged if f"t-{n}" not in titles)
    assert missing == [], f"acknowledged but lost: {missing}"


def test_a_demo_generation_killed_while_writing_leaves_the_old_demo(tmp_path: Path) -> None:
    target = tmp_path / "demo.cspo"
    generate_demo(target, items=OLD_ITEMS, today=TODAY)
    before = sha256(target)
    with demo_child(target, NEW_ITEMS, "stall") as proc:
        assert proc.stdout is not None
        try:
            assert proc.stdout.readline() == "started\n"
            assert proc.stdout.readline() == "building\n"
            line = proc.stdout.readline()
            assert line == "writing\n", proc.stderr.read() if proc.stderr else line
        finally:
            proc.kill()
            proc.wait(timeout=60)
    assert sha256(target) == before
    assert item_count(target) == OLD_ITEMS

    generate_demo(target, items=OLD_ITEMS + 1, today=TODAY)  # the next run cleans up
    assert item_count(target) == OLD_ITEMS + 1
    assert leftovers(target) == []


def test_a_first_demo_generation_killed_while_writing_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "data" / "demo.cspo"
    with demo_child(target, NEW_ITEMS, "stall") as proc:
        assert proc.stdout is not None
        try:
            assert [proc.stdout.readline() for _ in range(3)] == [
                "started\n",
                "building\n",
                "writing\n",
            ]
        finally:
            proc.kill()
            proc.wait(timeout=60)
    assert not target.exists()  # so the next start generates it instead of opening it empty
    ensure_demo(target)
    assert inspect_product(target).revision
    assert item_count(target) == 150


def test_a_demo_generation_killed_at_any_moment_leaves_old_or_whole(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    target = tmp_path / "demo.cspo"
    generate_demo(target, items=OLD_ITEMS, today=TODAY)
    outcomes: list[str] = []
    for _trial in range(KILL_TRIALS):
        before = sha256(target)
        with demo_child(target, NEW_ITEMS, "run") as proc:
            assert proc.stdout is not None
            assert proc.stdout.readline() == "started\n"
            assert proc.stdout.readline() == "building\n"
            time.sleep(rng.uniform(0.0, KILL_WINDOW))
            proc.kill()
            proc.wait(timeout=60)
        if sha256(target) == before:
            outcomes.append("old")
        else:
            assert item_count(target) == NEW_ITEMS, "a demo file landed by halves"
            inspect_product(target)
            outcomes.append("new")
    assert len(outcomes) == KILL_TRIALS
