"""Ranking benchmarks (issue 4 "Performance"; anchors §1, goals P1 and P2).

``reorder_rows``: on a 10,000-item demo product, 10,000 random single-item moves (a random item
right after or right before a random other item, seeded) and then 2,000 adversarial same-spot
moves (always the bottom item right after the top item), all through
:func:`cspo_desktop.services.ranking.move_items`. Measured: item rows whose rank changed, per
moved item. A move that does not re-key counts every row whose rank changed (a bystander written
without a re-key would count against it); a move that re-keys counts its moved items only (the
re-key rows are bookkeeping). The rows are counted inside SQLite by a trigger added to this
benchmark's own copy of the product (``AFTER UPDATE OF rank … WHEN OLD.rank IS NOT NEW.rank``),
so the count does not rely on what the service says it wrote. Limit 1.0 per moved item (baseline
1.0); the same entry reports re-keys per 1,000 moves, limit 1, which fails the entry as a
problem when exceeded. After the run the list order must equal a Python model of it
(:func:`cspo_desktop.domain.ordering.reorder`), with no duplicate rank and no key over 64
characters.

``reorder_latency``: one move through ``move_items`` (rank + ``moved`` event, one ``BEGIN
IMMEDIATE`` transaction) against a raw ``sqlite3`` one-row ``UPDATE item SET rank = ? WHERE id
= ?`` in ``BEGIN IMMEDIATE`` … ``COMMIT``, on the same 10,000-item file, both connections opened
by :func:`cspo_desktop.persistence.sqlite.connect` (WAL, ``synchronous=FULL``). Median of the
interleaved pairs (the order inside a pair alternates), after a few untimed warm-up pairs.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness import Context, Result, benchmark
from cspo_desktop.demo import generate_demo
from cspo_desktop.domain.ordering import Anchor, reorder
from cspo_desktop.domain.ranking import MAX_KEY_LENGTH, key_between
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.sqlite import connect
from cspo_desktop.services.ranking import move_items

DEMO_ITEMS = 10_000
DEMO_SEED = 7
RANDOM_MOVES = 10_000
ADVERSARIAL_MOVES = 2_000
MOVES_SEED = 2026
#: Re-keys allowed per 1,000 moves (the second limit of ``reorder_rows``).
REKEY_LIMIT = 1.0
LATENCY_WARMUP = 5
LATENCY_SEED = 4

RANK_LOG = """
CREATE TABLE bench_rank_log (item_id INTEGER NOT NULL);
CREATE TRIGGER bench_rank_changed AFTER UPDATE OF rank ON item
WHEN OLD.rank IS NOT NEW.rank
BEGIN
    INSERT INTO bench_rank_log (item_id) VALUES (NEW.id);
END;
"""


# ---------------------------------------------------------------- bookkeeping


@dataclass
class RowTally:
    """Rank rows written by a series of moves, split into counted rows and re-key rows.

    Attributes:
        moves: moves made (no-ops included: they are moves the user asked for).
        moved_items: items that changed place.
        counted: rank rows counted against the limit.
        rekeys: moves that re-keyed the list.
        rekey_rows: rows a re-key changed besides the moved items (not counted).
        problems: what contradicts the service's contract.
    """

    moves: int = 0
    moved_items: int = 0
    counted: int = 0
    rekeys: int = 0
    rekey_rows: int = 0
    problems: list[str] = field(default_factory=list)

    def record(
        self, moved: Sequence[int], changed: Sequence[int], *, rekeyed: bool, placed: bool
    ) -> None:
        """Count one move.

        Args:
            moved: the items asked to move.
            changed: the items whose rank changed in the move's transaction.
            rekeyed: whether the service says the move re-keyed the list.
            placed: whether the list order changed (``False`` for a move to where the items
                already were).
        """
        self.moves += 1
        if placed:
            self.moved_items += len(moved)
        elif changed:
            self.problem(f"a move that changed no place wrote {len(changed)} rank rows")
        own = set(moved)
        if rekeyed:
            self.rekeys += 1
            self.counted += sum(1 for item in changed if item in own)
            self.rekey_rows += sum(1 for item in changed if item not in own)
        else:
            self.counted += len(changed)
            strays = [item for item in changed if item not in own]
            if strays:
                self.problem(f"a move wrote {len(strays)} bystander ranks without a re-key")

    def problem(self, text: str) -> None:
        """Note a problem (the first three distinct ones are kept)."""
        if len(self.problems) < 3 and text not in self.problems:
            self.problems.append(text)

    @property
    def writes_per_moved_item(self) -> float | None:
        """Counted rank rows per moved item (``None`` before any item moved)."""
        return self.counted / self.moved_items if self.moved_items else None

    @property
    def rekeys_per_thousand(self) -> float:
        """Re-keys per 1,000 moves."""
        return 1000 * self.rekeys / self.moves if self.moves else 0.0


def list_problems(conn: sqlite3.Connection, model: list[int]) -> list[str]:
    """What is wrong with the stored list: order unlike ``model``, duplicate or over-long keys."""
    rows = conn.execute("SELECT id, rank FROM item ORDER BY rank, id").fetchall()
    problems = []
    if [int(i) for i, _ in rows] != model:
        problems.append("the stored order differs from the model order")
    keys = [str(k) for _, k in rows]
    if len(set(keys)) != len(keys):
        problems.append(f"{len(keys) - len(set(keys))} duplicate ranks")
    longest = max(map(len, keys), default=0)
    if longest > MAX_KEY_LENGTH:
        problems.append(f"a key of {longest} characters")
    return problems


# ---------------------------------------------------------------- reorder_rows


def _product(ctx: Context) -> Path:
    path = ctx.workdir / "backlog-10k.cspo"
    generate_demo(path, items=DEMO_ITEMS, seed=DEMO_SEED)
    return path


def _random_moves(rng: random.Random, ids: list[int]) -> list[tuple[int, Anchor]]:
    moves = []
    for _ in range(RANDOM_MOVES):
        item, target = rng.sample(ids, 2)
        anchor = Anchor(after=target) if rng.random() < 0.5 else Anchor(before=target)
        moves.append((item, anchor))
    return moves


@dataclass
class _Run:
    db: Database
    log: sqlite3.Connection
    model: list[int]
    tally: RowTally = field(default_factory=RowTally)
    seen: int = 0  # last rowid of bench_rank_log already counted
    longest: int = 0
    kept_key: int = 0  # moved items written with the key they already had
    service_s: float = 0.0  # time spent inside move_items

    def move(self, item: int, anchor: Anchor) -> None:
        started = time.perf_counter()
        move, _ = move_items(self.db, [item], anchor)
        self.service_s += time.perf_counter() - started
        rows = self.log.execute(
            "SELECT rowid, item_id FROM bench_rank_log WHERE rowid > ? ORDER BY rowid",
            (self.seen,),
        ).fetchall()
        if rows:
            self.seen = int(rows[-1][0])
        following = reorder(self.model, [item], anchor)
        placed = following != self.model
        self.tally.record([item], [int(r[1]) for r in rows], rekeyed=move.rekeyed, placed=placed)
        if placed != move.changed_anything:
            self.tally.problem("the service and the model disagree about a no-op move")
        self.kept_key += sum(1 for i in move.moved if move.before.get(i) == move.after.get(i))
        self.longest = max(self.longest, *map(len, move.after.values()), 0)
        self.model = following


@benchmark("reorder_rows", limit=1.0, unit="rows", rounds=1, min_rounds=1)
def reorder_rows(ctx: Context) -> Result:
    """Rank rows written per moved item over 12,000 moves; re-keys per 1,000 moves."""
    path = _product(ctx)
    with closing(connect(path)) as conn:
        conn.executescript(RANK_LOG)
    db = Database(path)
    try:
        with closing(connect(path)) as log:
            model = [int(i) for (i,) in log.execute("SELECT id FROM item ORDER BY rank, id")]
            run = _Run(db, log, model)
            started = time.perf_counter()
            for item, anchor in _random_moves(random.Random(MOVES_SEED), model):
                run.move(item, anchor)
            random_s = time.perf_counter() - started
            started = time.perf_counter()
            for _ in range(ADVERSARIAL_MOVES):
                run.move(run.model[-1], Anchor(after=run.model[0]))
            adversarial_s = time.perf_counter() - started
            problems = [*run.tally.problems, *list_problems(log, run.model)]
    finally:
        db.close()
    tally = run.tally
    rate = tally.rekeys_per_thousand
    if rate > REKEY_LIMIT:
        problems.append(f"{rate:.2f} re-keys per 1,000 moves (limit {REKEY_LIMIT:g})")
    note = (
        f"{tally.counted:,} rank rows (counted by a trigger) for {tally.moved_items:,} moved "
        f"items in {tally.moves:,} moves ({RANDOM_MOVES:,} random + {ADVERSARIAL_MOVES:,} "
        f"adversarial) on {len(run.model):,} items; re-keys per 1,000 moves: {rate:.2f} (limit "
        f"{REKEY_LIMIT:g}; {tally.rekeys} re-keys wrote {tally.rekey_rows:,} bookkeeping rows, "
        f"not counted); {run.kept_key} moved items kept their key; longest new key "
        f"{run.longest} chars; time: random moves {random_s:.1f} s, adversarial "
        f"{adversarial_s:.1f} s with the counting, of which {run.service_s:.1f} s in move_items "
        f"({1000 * run.service_s / tally.moves:.2f} ms/move)"
    )
    return ctx.result(tally.writes_per_moved_item, 1.0, note, problems)


# ---------------------------------------------------------------- reorder_latency


def _raw_update(raw: sqlite3.Connection, item: int, key: str) -> float:
    started = time.perf_counter()
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("UPDATE item SET rank = ? WHERE id = ?", (key, item))
    raw.execute("COMMIT")
    return time.perf_counter() - started


def _key_after(raw: sqlite3.Connection, item: int) -> str:
    """A new key for ``item`` that keeps its place: between its own key and the next one."""
    (rank,) = raw.execute("SELECT rank FROM item WHERE id = ?", (item,)).fetchone()
    following = raw.execute(
        "SELECT rank FROM item WHERE rank > ? ORDER BY rank LIMIT 1", (rank,)
    ).fetchone()
    return key_between(rank, None if following is None else following[0])


@benchmark("reorder_latency", limit=3.0, unit="ms", rounds=201, min_rounds=60)
def reorder_latency(ctx: Context) -> Result:
    """One move through the service vs a raw one-row UPDATE + commit, median of pairs."""
    path = _product(ctx)
    rng = random.Random(LATENCY_SEED)
    db = Database(path)
    service: list[float] = []
    baseline: list[float] = []
    try:
        with closing(connect(path)) as raw:
            model = [int(i) for (i,) in raw.execute("SELECT id FROM item ORDER BY rank, id")]
            for pair in range(LATENCY_WARMUP + ctx.rounds):
                item, target = rng.sample(model, 2)
                anchor = Anchor(after=target)
                following = reorder(model, [item], anchor)
                if following == model:  # already there: a no-op is not a move
                    anchor = Anchor(before=target)
                    following = reorder(model, [item], anchor)
                bystander = rng.choice(model)
                key = _key_after(raw, bystander)

                def timed_move(item: int = item, anchor: Anchor = anchor) -> float:
                    started = time.perf_counter()
                    move_items(db, [item], anchor)
                    return time.perf_counter() - started

                if pair % 2:
                    raw_s, move_s = _raw_update(raw, bystander, key), timed_move()
                else:
                    move_s, raw_s = timed_move(), _raw_update(raw, bystander, key)
                model = following
                if pair >= LATENCY_WARMUP:
                    service.append(move_s * 1000)
                    baseline.append(raw_s * 1000)
            problems = list_problems(raw, model)
    finally:
        db.close()
    move_ms, raw_ms = statistics.median(service), statistics.median(baseline)
    note = (
        f"median move {move_ms:.3f} ms vs raw UPDATE+commit {raw_ms:.3f} ms over "
        f"{len(service)} interleaved pairs on {len(model):,} items (WAL, synchronous=FULL); "
        f"p90 {_p90(service):.3f} / {_p90(baseline):.3f} ms"
    )
    return ctx.result(move_ms, raw_ms, note, problems)


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]
