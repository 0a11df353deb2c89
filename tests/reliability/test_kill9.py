"""kill -9 during writes: no acknowledged commit is lost and no transaction lands by halves.

A child process opens a product the way the app does and adds items through the real service
layer, writing ``<n>`` to stdout only after ``add_item`` returned. The parent kills it with
SIGKILL at a random moment — while Python starts, while the product opens, between commits and
in the middle of one — then reopens the product (which needs the lock, so it also proves the OS
released it) and checks it. Two lanes run at once, each on its own product file that every
trial of the lane reopens after the previous kill.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cspo_desktop.persistence.product_file import open_product
from tests.reliability.product_child import criteria_for
from tests.reliability.support import LineReader, child_process

TRIALS = 100
LANES = 2
SEED = int(os.environ.get("CSPO_KILL9_SEED", "20240506"))
#: Item numbers of one trial start at ``trial * NUMBERS_PER_TRIAL`` (children stop far sooner).
NUMBERS_PER_TRIAL = 100_000


@dataclass
class Tally:
    trials: int = 0
    acknowledged: int = 0
    lost: int = 0
    committed_unacknowledged: int = 0
    items: int = 0
    plans: Counter[str] = field(default_factory=Counter)


def check_product(path: Path, backups: Path, acknowledged: set[int], tally: Tally) -> set[int]:
    """Reopen the product after a kill and check it; return the item numbers it holds."""
    opened = open_product(path, backups_root=backups)  # fails if the lock were still held
    try:
        db = opened.reader
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        items = db.execute("SELECT id, key, title FROM item").fetchall()
        present = {int(str(title).removeprefix("t-")) for _, _, title in items}
        missing = sorted(acknowledged - present)
        tally.lost += len(missing)
        assert missing == [], f"acknowledged but lost: {missing}"

        keys = [str(key) for _, key, _ in items]
        assert len(set(keys)) == len(keys), "duplicate keys"
        next_number = db.execute("SELECT next_item_number FROM product").fetchone()[0]
        assert sorted(int(k.removeprefix("PB-")) for k in keys) == list(range(1, next_number))

        # Every item has exactly one "created" event, and every event has its item.
        created = Counter(
            row[0] for row in db.execute("SELECT item_id FROM item_event WHERE kind = 'created'")
        )
        assert created == Counter({item_id: 1 for item_id, _, _ in items})
        assert db.execute(
            "SELECT count(*) FROM item_event WHERE item_id NOT IN (SELECT id FROM item)"
        ).fetchone() == (0,)

        # Every item has all of its criteria, in order.
        criteria: dict[int, list[str]] = {}
        for item_id, text in db.execute(
            "SELECT item_id, text FROM acceptance_criterion ORDER BY item_id, position"
        ):
            criteria.setdefault(item_id, []).append(text)
        for item_id, _, title in items:
            assert tuple(criteria.pop(item_id, [])) == criteria_for(str(title)), title
        assert criteria == {}, "criteria without an item"
        tally.items = len(items)
        return present
    finally:
        opened.close()


def run_lane(lane: int, folder: Path, template: Path, trials: int) -> Tally:
    rng = random.Random(SEED + lane)
    path = folder / f"lane-{lane}.cspo"
    path.write_bytes(template.read_bytes())
    backups = folder / "backups"
    tally = Tally()
    acknowledged: set[int] = set()
    held: set[int] = set()
    for trial in range(trials):
        start = (trial + 1) * NUMBERS_PER_TRIAL
        roll = rng.random()
        with child_process("write", path, backups, str(start)) as proc:
            reader = LineReader(proc)
            reader.start()
            if roll < 0.1:
                plan = "during start-up"
                time.sleep(rng.uniform(0.0, 0.5))
            elif roll < 0.2:
                plan = "at a random time"
                time.sleep(rng.uniform(0.5, 1.2))
            else:
                plan = "after some commits"
                wanted = rng.randint(1, 25)
                assert reader.wait_for(wanted, timeout=60), (
                    f"the writer stopped after {len(reader.lines)} commits"
                )
                time.sleep(rng.uniform(0.0, 0.006))  # often lands inside the next transaction
            tally.plans[plan] += 1
            still_running = proc.poll() is None
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            reader.join(timeout=60)
            assert proc.stderr is not None
            errors = proc.stderr.read()
        assert still_running, f"the writer exited by itself: {errors}"
        assert proc.returncode == -signal.SIGKILL, errors

        acked = {int(line) for line in reader.lines}
        assert all(start <= n < start + NUMBERS_PER_TRIAL for n in acked)
        acknowledged |= acked
        present = check_product(path, backups, acknowledged, tally)
        new = present - held
        tally.committed_unacknowledged += len(new - acked)
        assert len(new - acked) <= 1, "more than the one in-flight commit was unacknowledged"
        held = present
        tally.trials += 1
        tally.acknowledged += len(acked)
    return tally


@pytest.mark.slow
def test_kill_9_loses_no_acknowledged_commit(tmp_path: Path, product_template: Path) -> None:
    began = time.perf_counter()
    per_lane = [TRIALS // LANES + (lane < TRIALS % LANES) for lane in range(LANES)]
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        futures = [
            pool.submit(run_lane, lane, tmp_path, product_template, trials)
            for lane, trials in enumerate(per_lane)
        ]
        tallies = [f.result() for f in futures]
    elapsed = time.perf_counter() - began

    trials = sum(t.trials for t in tallies)
    acknowledged = sum(t.acknowledged for t in tallies)
    lost = sum(t.lost for t in tallies)
    plans = sum((t.plans for t in tallies), Counter[str]())
    sys.stdout.write(
        f"\nkill -9: {trials} trials in {elapsed:.1f} s (seed {SEED}, {LANES} lanes), "
        f"{acknowledged} acknowledged commits, {lost} lost, "
        f"{sum(t.committed_unacknowledged for t in tallies)} committed before their "
        f"acknowledgement, {sum(t.items for t in tallies)} items in the end; "
        f"kills: {dict(plans)}\n"
    )
    assert trials >= 100
    assert lost == 0
    assert acknowledged > trials  # the kills did land among commits
    assert plans["after some commits"] > 0
    assert plans["during start-up"] > 0
