"""The item detail panel: its reads, and editing one field of one item or many at once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.demo import generate_demo
from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.estimation import EstimationScale
from cspo_desktop.domain.vocabulary import EventKind, ItemType, Segment
from cspo_desktop.persistence import details as reads
from cspo_desktop.persistence.database import Database, StorageError
from cspo_desktop.persistence.details import EventRow, describe_event
from cspo_desktop.services import definitions, goals, items, links, questions
from cspo_desktop.services.changes import Entity
from cspo_desktop.services.details import FIELDS, set_field, set_fields

Rows = list[tuple[object, ...]]


@pytest.fixture
def db(product_path: Path) -> Iterator[Database]:
    database = Database(product_path)
    yield database
    database.close()


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> Rows:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def dump(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return "\n".join(conn.iterdump())


def add(db: Database, title: str, **kwargs: object) -> int:
    item_id, _ = items.add_item(db, items.NewItem(title=title, **kwargs))  # type: ignore[arg-type]
    return item_id


def events(path: Path, item_id: int) -> Rows:
    return rows(
        path,
        "SELECT kind, old_value, new_value FROM item_event WHERE item_id = ? AND kind <> ? "
        "ORDER BY id",
        (item_id, EventKind.CREATED.value),
    )


def stamp(path: Path, item_id: int) -> tuple[object, ...]:
    [row] = rows(path, "SELECT updated_at, version FROM item WHERE id = ?", (item_id,))
    return row


def detail(path: Path, item_id: int) -> reads.ItemDetail:
    with closing(sqlite3.connect(path)) as conn:
        return reads.item_detail(conn, item_id)


# ---------------------------------------------------------------- reads


def test_item_detail_reads_every_field_with_criteria_questions_and_links(
    db: Database, product_path: Path
) -> None:
    epic = add(db, "Payments", type=ItemType.EPIC)
    goal, _ = goals.add_goal(db, "Grow P2P")
    story = add(db, "Pay by QR ✓", criteria=("Given", "When"), labels=("pay", "ünï"))
    other = add(db, "Scan codes")
    set_fields(
        db,
        [story],
        {
            "parent_id": epic,
            "goal_id": goal,
            "points": 5,
            "business_value": 300,
            "moscow": "must",
            "priority": "high",
            "blocked": True,
            "blocked_note": "Waiting for the bank",
            "description": "  as typed\n",
        },
    )
    questions.add_question(db, story, "Which banks?", "Ana")
    link_id, _ = links.add_dependency(db, story, other)

    got = detail(product_path, story)
    assert (got.key, got.type, got.title, got.status, got.segment) == (
        "PB-2",
        "story",
        "Pay by QR ✓",
        "todo",
        "backlog",
    )
    assert got.points == 5.0
    assert got.business_value == 300
    assert (got.moscow, got.priority) == ("must", "high")
    assert got.labels == ("pay", "ünï")
    assert (got.parent_id, got.parent_key, got.parent_title) == (epic, "PB-1", "Payments")
    assert (got.goal_id, got.goal_title) == (goal, "Grow P2P")
    assert got.blocked is True
    assert got.blocked_note == "Waiting for the bank"
    assert got.description == "  as typed\n"
    assert got.sprint_name is None
    assert got.created_at <= got.updated_at
    assert [(c.position, c.text, c.review_state) for c in got.criteria] == [
        (0, "Given", "unchecked"),
        (1, "When", "unchecked"),
    ]
    [question] = got.questions
    assert (question.text, question.asked_by, question.is_open) == ("Which banks?", "Ana", True)
    [link] = got.links
    assert link == reads.LinkRow(link_id, "depends_on", other, "PB-3", "Scan codes", "todo", True)
    [back] = detail(product_path, other).links
    assert (back.other_id, back.other_key, back.outgoing) == (story, "PB-2", False)


def test_item_detail_of_a_missing_item_is_not_found(product_path: Path) -> None:
    with pytest.raises(NotFound, match="no longer exists"):
        detail(product_path, 999)


@pytest.mark.parametrize(
    ("stored", "labels"),
    [
        ("[]", ()),
        ("", ()),
        ('["a", "b"]', ("a", "b")),
        ("not json", ("not json",)),
        ('{"a": 1}', ('{"a": 1}',)),
        ("[1, 2]", ("[1, 2]",)),
    ],
)
def test_labels_are_read_tolerantly(
    db: Database, product_path: Path, stored: str, labels: tuple[str, ...]
) -> None:
    item = add(db, "Odd labels")
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute("UPDATE item SET labels = ? WHERE id = ?", (stored, item))
    assert detail(product_path, item).labels == labels


def test_history_is_newest_first_and_outlives_nothing_else(
    db: Database, product_path: Path
) -> None:
    item = add(db, "Login")
    set_field(db, item, "status", "in_progress")
    set_field(db, item, "points", 3)
    with closing(sqlite3.connect(product_path)) as conn:
        history = reads.item_history(conn, item)
    assert [e.kind for e in history] == ["points", "status", "created"]
    assert [describe_event(e) for e in history] == [
        "Estimated at 3 points",
        "Status: To do → In progress",
        "Created",
    ]


def test_epic_and_goal_choices_are_in_rank_order(db: Database, product_path: Path) -> None:
    first = add(db, "Epic A", type=ItemType.EPIC)
    add(db, "A story")
    second = add(db, "Epic B", type=ItemType.EPIC)
    g1, _ = goals.add_goal(db, "Goal 1")
    g2, _ = goals.add_goal(db, "Goal 2")
    goals.move_goal(db, g2, -1)
    with closing(sqlite3.connect(product_path)) as conn:
        assert reads.epic_choices(conn) == [(first, "PB-1", "Epic A"), (second, "PB-3", "Epic B")]
        assert reads.goal_choices(conn) == [(g2, "Goal 2"), (g1, "Goal 1")]


def test_search_matches_key_or_title_in_any_case(db: Database, product_path: Path) -> None:
    a = add(db, "Pay by QR")
    b = add(db, "ÜBERWEISUNG senden")
    c = add(db, "Repay a loan")
    with closing(sqlite3.connect(product_path)) as conn:
        assert [r[0] for r in reads.search_items(conn, "PAY")] == [a, c]
        assert [r[0] for r in reads.search_items(conn, "pay", exclude=a)] == [c]
        assert reads.search_items(conn, "überweisung") == [
            (b, "PB-2", "ÜBERWEISUNG senden", "todo")
        ]
        assert [r[0] for r in reads.search_items(conn, "pb-3")] == [c]
        assert [r[0] for r in reads.search_items(conn, "", limit=2)] == [a, b]
        assert reads.search_items(conn, "%") == []


@pytest.mark.parametrize(
    ("kind", "old", "new", "sentence"),
    [
        ("created", None, "x", "Created"),
        ("status", "todo", "in_progress", "Status: To do → In progress"),
        ("status", "in_progress", "done", "Status: In progress → Done"),
        ("points", "3", "5", "Estimate: 3 → 5 points"),
        ("points", "", "1", "Estimated at 1 point"),
        ("points", None, "8", "Estimated at 8 points"),
        ("points", "5", None, "Estimate removed (was 5 points)"),
        ("moved", "a0", "a1", "Moved in the ranking"),
        ("title", "Old", "New", "Title changed"),
        ("edited", None, "description", "Description edited"),
        ("edited", None, "criteria", "Acceptance criteria edited"),
        ("edited", None, "questions", "Questions edited"),
        ("edited", None, "dependencies", "Dependencies changed"),
        ("edited", None, "parent_id", "Epic changed"),
        ("edited", None, "something_new", "Something new edited"),
        ("split", None, "PAY-12", "Split into PAY-12"),
        ("deleted", "x", None, "Deleted"),
        ("restored", None, "x", "Restored"),
        ("segment", "inbox", "backlog", "Accepted into the backlog"),
        ("segment", "backlog", "inbox", "Moved to the Inbox"),
        ("sprint", None, "3", "Added to sprint 3"),
        ("scope", None, "5", "Joined the sprint after it had started"),
        ("future_kind", None, None, "Future kind"),
    ],
)
def test_describe_event(kind: str, old: str | None, new: str | None, sentence: str) -> None:
    assert describe_event(EventRow("2024-01-01T00:00:00+00:00", kind, old, new)) == sentence


# ---------------------------------------------------------------- set_field


def test_fields_have_user_facing_names() -> None:
    assert set(FIELDS) == {
        "type",
        "title",
        "description",
        "status",
        "points",
        "business_value",
        "moscow",
        "priority",
        "labels",
        "parent_id",
        "goal_id",
        "blocked",
        "blocked_note",
        "segment",
    }
    assert FIELDS["parent_id"] == "Epic"
    assert all(name and name[0].isupper() for name in FIELDS.values())


def test_own_kind_fields_write_old_and_new_values(db: Database, product_path: Path) -> None:
    item = add(db, "Login", segment=Segment.INBOX)
    set_field(db, item, "status", "done")
    set_field(db, item, "points", 0.5)
    set_field(db, item, "points", 3)
    set_field(db, item, "points", None)
    set_field(db, item, "title", "Log in ✓")
    set_field(db, item, "segment", "backlog")
    assert events(product_path, item) == [
        ("status", "todo", "done"),
        ("points", None, "0.5"),
        ("points", "0.5", "3"),
        ("points", "3", None),
        ("title", "Login", "Log in ✓"),
        ("segment", "inbox", "backlog"),
    ]
    assert rows(product_path, "SELECT status, points, title, segment FROM item") == [
        ("done", None, "Log in ✓", "backlog")
    ]


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("type", "bug", "bug"),
        ("type", ItemType.SPIKE, "spike"),
        ("description", "  Ünïcödé\n\t 👩🏽‍💻 ", "  Ünïcödé\n\t 👩🏽‍💻 "),
        ("business_value", 0, 0),
        ("business_value", 1_000_000, 1_000_000),
        ("moscow", "wont", "wont"),
        ("priority", "lowest", "lowest"),
        ("blocked", True, 1),
        ("blocked_note", " why ", " why "),
    ],
)
def test_other_fields_write_an_edited_event_naming_the_field(
    db: Database, product_path: Path, field: str, value: object, stored: object
) -> None:
    item = add(db, "Login")
    before = stamp(product_path, item)
    changes = set_field(db, item, field, value)
    assert changes.entities == {Entity.ITEM: frozenset({item})}
    assert rows(product_path, f"SELECT {field} FROM item") == [(stored,)]
    assert events(product_path, item) == [("edited", None, field)]
    updated_at, version = stamp(product_path, item)
    assert version == before[1] + 1  # type: ignore[operator]
    assert str(updated_at) > str(before[0])
    assert str(updated_at).endswith("+00:00")


def test_a_no_op_writes_nothing(db: Database, product_path: Path) -> None:
    goal, _ = goals.add_goal(db, "Goal")
    epic = add(db, "Epic", type=ItemType.EPIC)
    item = add(db, "Login", points=3, labels=("a", "b"))
    set_fields(db, [item], {"goal_id": goal, "parent_id": epic, "moscow": "must"})
    before = dump(product_path)
    set_fields(
        db,
        [item],
        {
            "title": "Login",
            "points": 3,
            "labels": [" a", "b ", "a"],
            "status": "todo",
            "blocked": False,
            "goal_id": goal,
            "parent_id": epic,
            "moscow": "must",
            "priority": None,
            "segment": "backlog",
            "type": "story",
            "description": "",
            "business_value": None,
        },
    )
    assert dump(product_path) == before


def test_labels_are_stripped_deduplicated_and_stored_as_json(
    db: Database, product_path: Path
) -> None:
    item = add(db, "Login")
    set_field(db, item, "labels", ["  pay ", "", "ünï", "pay", "   ", "Pay"])
    [(stored,)] = rows(product_path, "SELECT labels FROM item")
    assert stored == '["pay", "ünï", "Pay"]'
    assert json.loads(str(stored)) == ["pay", "ünï", "Pay"]
    set_field(db, item, "labels", ())
    assert rows(product_path, "SELECT labels FROM item") == [("[]",)]


def test_epic_and_goal_links(db: Database, product_path: Path) -> None:
    epic = add(db, "Epic", type=ItemType.EPIC)
    goal, _ = goals.add_goal(db, "Goal")
    item = add(db, "Login")
    set_field(db, item, "parent_id", epic)
    set_field(db, item, "goal_id", goal)
    set_field(db, item, "parent_id", None)
    assert rows(product_path, "SELECT parent_id, goal_id FROM item WHERE id = ?", (item,)) == [
        (None, goal)
    ]
    assert events(product_path, item) == [
        ("edited", None, "parent_id"),
        ("edited", None, "goal_id"),
        ("edited", None, "parent_id"),
    ]


def test_points_follow_a_custom_scale(db: Database, product_path: Path) -> None:
    definitions.set_estimation_scale(db, EstimationScale.custom([1, 2, 4, 8]))
    item = add(db, "Login")
    set_field(db, item, "points", 4)
    before = dump(product_path)
    with pytest.raises(InvalidInput, match=r"3 is not on .*1, 2, 4, 8"):
        set_field(db, item, "points", 3)
    assert dump(product_path) == before


def test_points_follow_tshirt_sizes(db: Database, product_path: Path) -> None:
    definitions.set_estimation_scale(db, EstimationScale.tshirt())
    item = add(db, "Login")
    set_field(db, item, "points", 5)
    with pytest.raises(InvalidInput, match=r"XS \(1\)"):
        set_field(db, item, "points", 4)


def _refusals(epic: int, story: int, goal: int) -> list[tuple[str, object, str]]:
    return [
        ("rank", "a0", "not a field"),
        ("version", 3, "not a field"),
        ("title", "", "needs a title"),
        ("title", " \t\n", "needs a title"),
        ("title", "x" * 501, "at most 500"),
        ("title", None, "needs a title"),
        ("type", "feature", "not an item type"),
        ("type", None, "not an item type"),
        ("status", "blocked", "not a status"),
        ("segment", "archive", "not a place"),
        ("moscow", "maybe", "not a MoSCoW"),
        ("priority", "urgent", "not a priority"),
        ("points", 7, "not on the product's estimation scale"),
        ("points", -1, "zero or more"),
        ("points", True, "number of points"),
        ("points", "3", "number of points"),
        ("points", float("nan"), "zero or more"),
        ("business_value", -1, "between 0 and 1,000,000"),
        ("business_value", 1_000_001, "between 0 and 1,000,000"),
        ("business_value", 2.0, "whole number"),
        ("business_value", True, "whole number"),
        ("labels", "pay, qr", "list of texts"),
        ("labels", ["ok", 3], "must be a text"),
        ("parent_id", story, "Only an epic"),
        ("parent_id", 999, "no longer exists"),
        ("parent_id", True, "chosen from the list"),
        ("goal_id", goal + 99, "no longer exists"),
        ("blocked", 1, "on or off"),
        ("blocked_note", None, "must be a text"),
        ("description", 5, "must be a text"),
    ]


def test_bad_values_are_refused_and_nothing_changes(db: Database, product_path: Path) -> None:
    epic = add(db, "Epic", type=ItemType.EPIC)
    story = add(db, "Story")
    item = add(db, "Login")
    goal, _ = goals.add_goal(db, "Goal")
    before = dump(product_path)
    for field, value, message in _refusals(epic, story, goal):
        with pytest.raises(InvalidInput, match=message):
            set_field(db, item, field, value)
        assert dump(product_path) == before, (field, value)


def test_epic_rules(db: Database, product_path: Path) -> None:
    epic = add(db, "Epic", type=ItemType.EPIC)
    other_epic = add(db, "Other epic", type=ItemType.EPIC)
    story = add(db, "Story")
    before = dump(product_path)
    with pytest.raises(InvalidInput, match="its own epic"):
        set_field(db, epic, "parent_id", epic)
    with pytest.raises(InvalidInput, match="cannot belong to another epic"):
        set_field(db, other_epic, "parent_id", epic)
    with pytest.raises(InvalidInput, match="cannot belong to another epic"):
        set_fields(db, [story], {"type": "epic", "parent_id": epic})
    assert dump(product_path) == before
    set_field(db, story, "parent_id", epic)
    before = dump(product_path)
    with pytest.raises(InvalidInput, match="cannot belong to another epic"):
        set_field(db, story, "type", "epic")
    with pytest.raises(InvalidInput, match="has items below it"):
        set_field(db, epic, "type", "story")
    assert dump(product_path) == before
    set_field(db, other_epic, "type", "story")  # no children: fine
    assert rows(product_path, "SELECT type FROM item WHERE id = ?", (other_epic,)) == [("story",)]


def test_a_missing_item_is_not_found(db: Database, product_path: Path) -> None:
    add(db, "Login")
    before = dump(product_path)
    with pytest.raises(NotFound):
        set_field(db, 999, "title", "New")
    assert dump(product_path) == before


# ---------------------------------------------------------------- set_fields


def test_bulk_edit_sets_the_same_values_on_every_item(db: Database, product_path: Path) -> None:
    ids = [add(db, f"Item {n}", points=3 if n == 0 else None) for n in range(3)]
    changes = set_fields(db, [*ids, ids[0]], {"points": 3, "moscow": "should", "status": "done"})
    assert changes.entities == {Entity.ITEM: frozenset(ids)}
    assert rows(product_path, "SELECT points, moscow, status, version FROM item ORDER BY id") == [
        (3.0, "should", "done", 2),
        (3.0, "should", "done", 2),
        (3.0, "should", "done", 2),
    ]
    assert events(product_path, ids[0]) == [
        ("status", "todo", "done"),
        ("edited", None, "moscow"),
    ]
    assert events(product_path, ids[1]) == [
        ("status", "todo", "done"),
        ("points", None, "3"),
        ("edited", None, "moscow"),
    ]


def test_bulk_edit_is_all_or_nothing(db: Database, product_path: Path) -> None:
    epic = add(db, "Epic", type=ItemType.EPIC)
    stories = [add(db, f"Story {n}") for n in range(3)]
    target = add(db, "Target epic", type=ItemType.EPIC)
    before = dump(product_path)
    # The epic cannot take a parent: the stories, checked first, are not changed either.
    with pytest.raises(InvalidInput, match="PB-1 is an epic"):
        set_fields(db, [*stories, epic], {"parent_id": target, "title": "Same"})
    with pytest.raises(InvalidInput, match="its own epic"):
        set_fields(db, [*stories, epic], {"parent_id": epic})
    with pytest.raises(NotFound, match="1 of the selected items"):
        set_fields(db, [*stories, 999], {"title": "Renamed"})
    with pytest.raises(InvalidInput, match="Select the items"):
        set_fields(db, [], {"title": "Renamed"})
    assert dump(product_path) == before


def test_bulk_edit_moves_children_and_retypes_their_epic_together(
    db: Database, product_path: Path
) -> None:
    epic = add(db, "Epic", type=ItemType.EPIC)
    other = add(db, "Other", type=ItemType.EPIC)
    child = add(db, "Child")
    set_field(db, child, "parent_id", epic)
    with pytest.raises(InvalidInput, match="has items below it"):
        set_fields(db, [epic], {"type": "story"})
    set_fields(db, [child], {"parent_id": other})
    set_fields(db, [epic], {"type": "story"})
    assert rows(product_path, "SELECT type FROM item WHERE id = ?", (epic,)) == [("story",)]


def test_bulk_edit_of_nothing_writes_nothing(db: Database, product_path: Path) -> None:
    item = add(db, "Login")
    before = dump(product_path)
    changes = set_fields(db, [item], {})
    assert changes.touches(Entity.ITEM)
    assert dump(product_path) == before


def test_every_item_and_event_of_the_demo_reads(tmp_path: Path) -> None:
    path = tmp_path / "demo.cspo"
    generate_demo(path, items=30)
    with closing(sqlite3.connect(path)) as conn:
        ids = [int(r[0]) for r in conn.execute("SELECT id FROM item")]
        in_sprint = 0
        for item_id in ids:
            got = reads.item_detail(conn, item_id)
            assert got.id == item_id
            in_sprint += got.sprint_name is not None
            for event in reads.item_history(conn, item_id):
                sentence = describe_event(event)
                assert sentence
                assert "\n" not in sentence
                assert "None" not in sentence
        assert in_sprint > 0
        assert reads.epic_choices(conn)


def test_bulk_edit_is_one_transaction_when_sqlite_refuses_the_last_item(
    db: Database, product_path: Path
) -> None:
    ids = [add(db, f"Item {n}") for n in range(3)]
    with closing(sqlite3.connect(product_path, isolation_level=None)) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_last BEFORE INSERT ON item_event "
            f"WHEN NEW.item_id = {ids[-1]} BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    before = dump(product_path)
    with pytest.raises(StorageError, match="refused"):
        set_fields(db, ids, {"status": "done", "labels": ["x"]})
    assert dump(product_path) == before
