"""Importing parsed tracker items into a product: plan, one-transaction write, re-import."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from cspo_desktop.interop.records import ImportCancelled, ParsedImport, SourceItem
from cspo_desktop.persistence.database import Database, StorageError
from cspo_desktop.services import details
from cspo_desktop.services.import_rules import tidy_hierarchy
from cspo_desktop.services.importing import apply_import, preview


def every_table_hash(path: Path) -> str:
    """A hash over every row of every table, history and bookkeeping included."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(names):
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def parsed(*items: SourceItem, sprints: tuple[str, ...] = ()) -> ParsedImport:
    names = sprints or tuple(dict.fromkeys(i.sprint for i in items if i.sprint))
    return ParsedImport("jira", "csv", "utf-8", ",", (), tuple(items), names)


EPIC = SourceItem(2, "PROJ-1", "Payments", type="epic")
STORY = SourceItem(
    3,
    "PROJ-2",
    "Pay by QR code",
    description="As a shopper…",
    points=5.0,
    priority="high",
    labels=("payments", "mobile"),
    sprint="Sprint 7",
    parent_key="PROJ-1",
    criteria=("Scan works", "Receipt shown"),
)
BUG = SourceItem(4, "PROJ-3", "Crash on login", type="bug", status="in_progress")


@pytest.fixture
def db(product_path: Path) -> Iterator[Database]:
    database = Database(product_path)
    yield database
    database.close()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_a_first_import_creates_items_sprints_and_links_in_source_order(
    db: Database, product_path: Path
) -> None:
    plan = preview(db, parsed(STORY, EPIC, BUG))
    assert (len(plan.creates), plan.new_sprints, plan.epics) == (3, ("Sprint 7",), 1)
    assert (
        plan.summary()
        == "Will create 3 items, 1 sprint and 1 epic; update 0 already-imported items."
    )
    outcome, _ = apply_import(db, plan, segment="backlog")
    assert len(outcome.created) == 3
    assert len(outcome.sprints) == 1
    got = rows(
        product_path,
        "SELECT i.key, i.external_source, i.external_key, i.title, i.type, i.status, i.points, "
        "i.priority, i.labels, s.name, p.external_key, i.segment FROM item i "
        "LEFT JOIN sprint s ON s.id = i.sprint_id LEFT JOIN item p ON p.id = i.parent_id "
        "ORDER BY i.rank",
    )
    assert got == [
        ("PB-1", "jira", "PROJ-2", "Pay by QR code", "story", "todo", 5.0, "high",
         '["payments", "mobile"]', "Sprint 7", "PROJ-1", "backlog"),
        ("PB-2", "jira", "PROJ-1", "Payments", "epic", "todo", None, None, "[]", None, None,
         "backlog"),
        ("PB-3", "jira", "PROJ-3", "Crash on login", "bug", "in_progress", None, None, "[]",
         None, None, "backlog"),
    ]  # fmt: skip
    assert rows(product_path, "SELECT text FROM acceptance_criterion ORDER BY position") == [
        ("Scan works",),
        ("Receipt shown",),
    ]
    assert rows(product_path, "SELECT count(*) FROM import_record") == [(3,)]
    assert rows(product_path, "SELECT count(*) FROM item_event WHERE kind = 'created'") == [(3,)]
    assert rows(product_path, "SELECT next_item_number FROM product") == [(4,)]


def test_new_items_go_below_the_existing_ones_in_the_inbox_by_default(
    db: Database, product_path: Path
) -> None:
    apply_import(db, preview(db, parsed(EPIC)))
    apply_import(db, preview(db, replace(parsed(BUG), tool="ado")))
    assert rows(product_path, "SELECT key, segment FROM item ORDER BY rank") == [
        ("PB-1", "inbox"),
        ("PB-2", "inbox"),
    ]


def test_reimporting_the_same_file_changes_nothing(db: Database, product_path: Path) -> None:
    apply_import(db, preview(db, parsed(STORY, EPIC, BUG)))
    before = every_table_hash(product_path)
    plan = preview(db, parsed(STORY, EPIC, BUG))
    assert (plan.creates, plan.updates, plan.unchanged) == ((), (), 3)
    apply_import(db, plan)
    assert every_table_hash(product_path) == before


def test_a_reimport_takes_the_trackers_changes_and_keeps_local_fields(
    db: Database, product_path: Path
) -> None:
    outcome, _ = apply_import(db, preview(db, parsed(STORY, EPIC)))
    story = outcome.created[0]
    details.set_fields(db, [story], {"moscow": "must", "business_value": 40})
    changed = replace(STORY, title="Pay by QR", points=8.0, sprint="Sprint 8", status="done")
    plan = preview(db, parsed(changed, EPIC))
    assert [u.take for u in plan.updates] == [
        {"title": "Pay by QR", "status": "done", "points": 8.0, "sprint": "Sprint 8"}
    ]
    assert plan.conflicts == ()
    apply_import(db, plan)
    assert rows(
        product_path,
        "SELECT i.title, i.status, i.points, s.name, i.moscow, i.business_value FROM item i "
        f"LEFT JOIN sprint s ON s.id = i.sprint_id WHERE i.id = {story}",
    ) == [("Pay by QR", "done", 8.0, "Sprint 8", "must", 40)]
    kinds = rows(product_path, f"SELECT kind FROM item_event WHERE item_id = {story} ORDER BY id")
    assert [k for (k,) in kinds][-4:] == ["status", "points", "title", "sprint"]


def test_a_field_changed_on_both_sides_is_a_conflict_local_wins_unless_picked(
    db: Database, product_path: Path
) -> None:
    outcome, _ = apply_import(db, preview(db, parsed(STORY, EPIC, BUG)))
    story, _epic, bug = outcome.created
    details.set_fields(db, [story], {"title": "Pay with a QR code"})
    details.set_fields(db, [bug], {"points": 3})
    plan = preview(
        db,
        parsed(
            replace(STORY, title="QR payments", description="New text"),
            EPIC,
            replace(BUG, points=2.0),
        ),
    )
    assert [(u.external_key, u.conflicts, u.take) for u in plan.updates] == [
        ("PROJ-2", ("title",), {"description": "New text"}),
        ("PROJ-3", ("points",), {}),
    ]
    assert plan.conflicts[0].local == {"title": "Pay with a QR code"}
    apply_import(db, plan, take_source=["PROJ-3"])
    assert rows(product_path, f"SELECT title, description FROM item WHERE id = {story}") == [
        ("Pay with a QR code", "New text")
    ]
    assert rows(product_path, f"SELECT points FROM item WHERE id = {bug}") == [(2.0,)]
    # The tracker's values are the new base: importing the same file again is quiet.
    again = preview(
        db,
        parsed(
            replace(STORY, title="QR payments", description="New text"),
            EPIC,
            replace(BUG, points=2.0),
        ),
    )
    assert again.updates == ()


def test_a_cancelled_import_leaves_every_table_as_it_was(db: Database, product_path: Path) -> None:
    apply_import(db, preview(db, parsed(EPIC)))
    before = every_table_hash(product_path)
    many = [SourceItem(n, f"PROJ-{n}", f"Item {n}", sprint=f"S{n % 3}") for n in range(10, 5000)]
    plan = preview(db, parsed(*many, replace(EPIC, title="Renamed")))
    seen: list[float] = []

    def stop(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.5:
            raise ImportCancelled("stopped")

    with pytest.raises(ImportCancelled):
        apply_import(db, plan, progress=stop)
    assert seen
    assert every_table_hash(product_path) == before


def test_a_storage_failure_mid_import_writes_nothing(db: Database, product_path: Path) -> None:
    with closing(sqlite3.connect(product_path)) as conn:
        conn.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON import_record BEGIN "
            "SELECT RAISE(ABORT, 'disk trouble'); END"
        )
        conn.commit()
    before = every_table_hash(product_path)
    with pytest.raises(StorageError, match="disk trouble"):
        apply_import(db, preview(db, parsed(STORY, EPIC)))
    assert every_table_hash(product_path) == before
    assert rows(product_path, "SELECT count(*) FROM item") == [(0,)]


def test_the_hierarchy_is_fitted_epics_do_not_nest_items_belong_to_epics() -> None:
    top = SourceItem(2, "E-1", "Top", type="epic")
    feature = SourceItem(3, "E-2", "Feature", type="epic", parent_key="E-1")
    story = SourceItem(4, "S-1", "Story", parent_key="E-2")
    sub = SourceItem(5, "S-2", "Sub-item", parent_key="S-1")
    loose = SourceItem(6, "S-3", "Under a story with no epic", parent_key="S-4")
    orphan_parent = SourceItem(7, "S-4", "A story")
    items, warnings = tidy_hierarchy([top, feature, story, sub, loose, orphan_parent])
    assert [(i.external_key, i.parent_key) for i in items] == [
        ("E-1", None),
        ("E-2", None),
        ("S-1", "E-2"),
        ("S-2", "E-2"),
        ("S-3", None),
        ("S-4", None),
    ]
    assert len(warnings) == 2
    assert "S-2, S-3" in warnings[0]
    assert "E-2" in warnings[1]


def test_import_records_hold_the_trackers_values(db: Database, product_path: Path) -> None:
    apply_import(db, preview(db, parsed(STORY, EPIC)))
    (base,) = rows(product_path, "SELECT base FROM import_record WHERE external_key = 'PROJ-2'")
    assert json.loads(str(base[0])) == {
        "title": "Pay by QR code",
        "description": "As a shopper…",
        "type": "story",
        "status": "todo",
        "points": 5.0,
        "priority": "high",
        "labels": ["payments", "mobile"],
        "sprint": "Sprint 7",
        "parent": "PROJ-1",
        "tracker_id": None,
    }


def test_a_file_without_some_columns_leaves_those_fields_alone(
    db: Database, product_path: Path
) -> None:
    apply_import(db, preview(db, parsed(STORY, EPIC)))
    current_fields = frozenset({"title", "type", "status"})
    bare = replace(STORY, points=None, sprint=None, labels=(), parent_key=None, priority=None)
    plan = preview(db, replace(parsed(bare, EPIC), provided=current_fields))
    assert (plan.updates, plan.unchanged) == ((), 2)
    apply_import(db, plan)
    assert rows(
        product_path,
        "SELECT i.points, s.name, i.labels, p.external_key FROM item i "
        "LEFT JOIN sprint s ON s.id = i.sprint_id LEFT JOIN item p ON p.id = i.parent_id "
        "WHERE i.external_key = 'PROJ-2'",
    ) == [(5.0, "Sprint 7", '["payments", "mobile"]', "PROJ-1")]
    changed = replace(bare, status="done")
    plan = preview(db, replace(parsed(changed, EPIC), provided=current_fields))
    assert [u.take for u in plan.updates] == [{"status": "done"}]


def test_a_parent_the_file_names_but_lacks_is_found_among_earlier_imports(
    db: Database, product_path: Path
) -> None:
    epic = replace(EPIC, tracker_id="10001")
    apply_import(db, preview(db, parsed(epic, STORY)))
    # A later file with only some stories: one names its epic by key, one by Jira's id,
    # one by something no import knows.
    later = parsed(
        replace(STORY, parent_key=None, parent_ref="PROJ-1", title="Pay by QR (v2)"),
        SourceItem(5, "PROJ-5", "Split bills", parent_ref="10001"),
        SourceItem(6, "PROJ-6", "Round-ups", parent_ref="PROJ-999"),
    )
    plan = preview(db, later)
    assert [u.take for u in plan.updates] == [{"title": "Pay by QR (v2)"}]
    apply_import(db, plan)
    assert rows(
        product_path,
        "SELECT i.external_key, p.external_key FROM item i LEFT JOIN item p "
        "ON p.id = i.parent_id WHERE i.type <> 'epic' ORDER BY i.rank",
    ) == [("PROJ-2", "PROJ-1"), ("PROJ-5", "PROJ-1"), ("PROJ-6", None)]


def test_a_reimport_never_breaks_the_hierarchy_rules(db: Database, product_path: Path) -> None:
    one, two = SourceItem(2, "P-1", "One", type="epic"), SourceItem(3, "P-2", "Two", type="epic")
    outcome, _ = apply_import(db, preview(db, parsed(one, two)))
    details.set_fields(db, [outcome.created[0]], {"type": "story", "parent_id": outcome.created[1]})
    plan = preview(
        db,
        parsed(
            replace(one, type="story", parent_key=None),
            replace(two, type="story", parent_ref="P-1"),
        ),
    )
    assert any("left out" in warning for warning in plan.warnings)
    apply_import(db, plan)
    assert rows(
        product_path,
        "SELECT i.external_key, i.type, p.external_key FROM item i "
        "LEFT JOIN item p ON p.id = i.parent_id ORDER BY i.rank",
    ) == [("P-1", "story", "P-2"), ("P-2", "epic", None)]


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(13, "Permission denied"),
        UnicodeDecodeError("utf-16-le", b"\xd8\x00", 0, 2, "illegal UTF-16 surrogate"),
        LookupError("unknown encoding: bogus"),
        ValueError("multi-byte encodings are not supported\nby this parser"),
    ],
)
def test_any_reading_failure_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    from cspo_desktop.domain.errors import InvalidInput
    from cspo_desktop.interop import taiga_csv
    from cspo_desktop.services.importing import read_source

    def fail(*_args: object) -> ParsedImport:
        raise error

    monkeypatch.setattr(taiga_csv, "read_taiga_csv", fail)
    with pytest.raises(InvalidInput) as refused:
        read_source("taiga", tmp_path / "stories.csv")
    message = str(refused.value)
    assert "\n" not in message
    assert "stories.csv" in message


def test_undo_and_redo_of_an_import_whose_stories_are_older_than_their_epic(
    db: Database, product_path: Path
) -> None:
    from cspo_desktop.services import snapshots

    before = snapshots.capture(db, [])
    outcome, _ = apply_import(db, preview(db, parsed(STORY, EPIC)))  # the story's id is lower
    made = snapshots.capture(db, outcome.created)
    snapshots.put_back(db, replace(before, ids=made.ids))  # undo
    assert rows(product_path, "SELECT count(*) FROM item") == [(0,)]
    snapshots.put_back(db, made)  # redo: the epic goes in before its story
    assert rows(
        product_path,
        "SELECT i.external_key, p.external_key FROM item i LEFT JOIN item p ON p.id = i.parent_id "
        "ORDER BY i.id",
    ) == [("PROJ-2", "PROJ-1"), ("PROJ-1", None)]
