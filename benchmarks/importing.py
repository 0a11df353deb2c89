"""Import benchmark: a 100,000-row Jira CSV into a new product.

``import_jira_100k``: the whole import as ``cspo import jira`` runs it — sniff the encoding and
the delimiter, read every row (repeated ``Labels`` and ``Sprint`` columns, LexoRank order,
epic links), plan (match external keys, new sprints), write items, criteria-less history
entries and import records in one transaction — against the floor: parsing the same file
with :mod:`csv` and inserting the same item rows (key, type, title, description, status,
rank, segment, sprint, parent, points, labels, external key) into the same tables with
``sqlite3.executemany`` in one transaction. Each round starts from a fresh copy of an empty
product; the rounds alternate; the ratio is of the medians.
"""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
import statistics
import time
from contextlib import closing
from pathlib import Path

from benchmarks.harness import Context, Result, benchmark
from cspo_desktop.domain.ranking import keys_between
from cspo_desktop.interop.records import ReadOptions
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.product_file import create_product
from cspo_desktop.persistence.sqlite import connect
from cspo_desktop.services.importing import apply_import, preview, read_source

ROWS = 100_000
EPICS = 200
SPRINTS = 40
SEED = 11
HEADER = [
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Description",
    "Labels", "Labels", "Sprint", "Sprint", "Custom field (Story Points)",
    "Custom field (Rank)", "Custom field (Epic Link)", "Created",
]  # fmt: skip
STATUSES = ("To Do", "In Progress", "Done", "Selected for Development")
TYPES = ("Story", "Story", "Story", "Bug", "Task")


def write_jira_csv(path: Path, rows: int = ROWS) -> None:
    """A Jira "all fields"-like export: epics first, then stories linked to them."""
    rng = random.Random(SEED)
    ranks = keys_between(None, None, rows)
    rng.shuffle(ranks)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for n in range(1, rows + 1):
            epic = n <= EPICS
            sprints = [f"Sprint {s}" for s in sorted(rng.sample(range(1, SPRINTS), 2))]
            out.writerow(
                [
                    f"{'Epic' if epic else 'Story'} {n}: pay, save and send — ünïcode",
                    f"PROJ-{n}",
                    str(10_000 + n),
                    "Epic" if epic else rng.choice(TYPES),
                    rng.choice(STATUSES),
                    rng.choice(("High", "Medium", "Low")),
                    f"As a customer I want thing {n}\nso that I can do more.",
                    rng.choice(("payments", "mobile", "")),
                    rng.choice(("web", "")),
                    *(["", ""] if epic else sprints),
                    "" if epic else rng.choice(("1.0", "2.0", "3.0", "5.0", "8.0", "")),
                    f"0|{ranks[n - 1]}:",
                    "" if epic else f"PROJ-{rng.randint(1, EPICS)}",
                    "28/Jun/16 9:27 AM",
                ]
            )


def _app_import(source: Path, product: Path) -> tuple[float, int]:
    started = time.perf_counter()
    db = Database(product)
    try:
        parsed = read_source("jira", source, ReadOptions())
        plan = preview(db, parsed)
        outcome, _ = apply_import(db, plan, segment="backlog")
    finally:
        db.close()
    return time.perf_counter() - started, len(outcome.created)


def _raw_import(source: Path, product: Path) -> tuple[float, int]:
    """The floor: csv parse + executemany of the same item rows (and the sprints)."""
    started = time.perf_counter()
    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        records = list(reader)
    now = "2026-11-25T00:00:00.000000+00:00"
    sprint_names = sorted({r[10] for r in records if r[10]})
    sprint_ids = {name: n for n, name in enumerate(sprint_names, 1)}
    key_ids = {r[1]: n for n, r in enumerate(records, 1)}
    ranks = keys_between(None, None, len(records))
    with closing(connect(product)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.executemany(
            "INSERT INTO sprint (id, name, goal, state, created_at) "
            "VALUES (?, ?, '', 'planned', ?)",
            ((n, name, now) for name, n in sprint_ids.items()),
        )
        conn.executemany(
            "INSERT INTO item (id, key, type, title, description, status, rank, segment, "
            "sprint_id, parent_id, points, labels, blocked, blocked_note, external_source, "
            "external_key, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, 'todo', ?, 'backlog', ?, ?, ?, ?, 0, '', 'jira', ?, ?, ?, 1)",
            (
                (
                    n,
                    f"PB-{n}",
                    "epic" if r[3] == "Epic" else "story",
                    r[0],
                    r[6],
                    ranks[n - 1],
                    sprint_ids.get(r[10]),
                    key_ids.get(r[13]),
                    float(r[11]) if r[11] else None,
                    f'["{r[7]}"]' if r[7] else "[]",
                    r[1],
                    now,
                    now,
                )
                for n, r in enumerate(records, 1)
            ),
        )
        conn.execute("COMMIT")
    return time.perf_counter() - started, len(records)


@benchmark("import_jira_100k", limit=5.0, unit="s", rounds=3, min_rounds=1)
def import_jira_100k(ctx: Context) -> Result:
    """A 100,000-row Jira CSV through the app's import vs csv + executemany, median."""
    source = ctx.workdir / "jira-100k.csv"
    write_jira_csv(source)
    template = create_product(ctx.workdir / "empty.cspo", "Import")
    app: list[float] = []
    raw: list[float] = []
    problems: list[str] = []
    for round_ in range(ctx.rounds):
        for runner, times in ((_app_import, app), (_raw_import, raw)):
            target = ctx.workdir / f"round-{round_}-{runner.__name__}.cspo"
            shutil.copyfile(template, target)
            seconds, count = runner(source, target)
            times.append(seconds)
            with closing(sqlite3.connect(target)) as conn:
                stored = conn.execute("SELECT count(*) FROM item").fetchone()[0]
            if stored != ROWS or count != ROWS:
                problems.append(f"{runner.__name__} stored {stored} of {ROWS} rows")
    value, baseline = statistics.median(app), statistics.median(raw)
    mb = source.stat().st_size / 1e6
    note = (
        f"median of {ctx.rounds}: app import {value:.2f} s (read, plan, write items, "
        f"history and import records) vs csv + executemany {baseline:.2f} s; "
        f"{ROWS:,} rows, {mb:.1f} MB"
    )
    return ctx.result(value, baseline, note=note, problems=problems)
