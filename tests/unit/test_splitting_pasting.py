"""Splitting and duplicating items, and adding many at once from pasted text."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.estimation import EstimationScale
from cspo_desktop.domain.paste import MAX_ITEMS, PastedItem, parse_paste
from cspo_desktop.domain.ranking import MAX_KEY_LENGTH
from cspo_desktop.domain.vocabulary import ItemType, Segment
from cspo_desktop.persistence import details as reads
from cspo_desktop.persistence.database import Database
from cspo_desktop.services import criteria, definitions, goals, items, links, questions
from cspo_desktop.services.changes import Entity
from cspo_desktop.services.details import set_field, set_fields
from cspo_desktop.services.pasting import add_items
from cspo_desktop.services.splitting import duplicate_item, split_item

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


def add(db: Database, title: str, *criteria_texts: str, **kwargs: object) -> int:
    new = items.NewItem(title=title, criteria=criteria_texts, **kwargs)  # type: ignore[arg-type]
    item_id, _ = items.add_item(db, new)
    return item_id


def order(path: Path) -> list[object]:
    return [r[0] for r in rows(path, "SELECT title FROM item ORDER BY rank, id")]


def criterion_ids(path: Path, item_id: int) -> list[int]:
    sql = "SELECT id FROM acceptance_criterion WHERE item_id = ? ORDER BY position"
    return [int(str(r[0])) for r in rows(path, sql, (item_id,))]


def texts(path: Path, item_id: int) -> Rows:
    sql = "SELECT position, text FROM acceptance_criterion WHERE item_id = ? ORDER BY position"
    return rows(path, sql, (item_id,))


def add_sprint(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn, conn:
        cursor = conn.execute(
            "INSERT INTO sprint (name, goal, state, created_at) "
            "VALUES ('Sprint 7', '', 'active', '2024-01-01T00:00:00+00:00')"
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def set_rank(path: Path, item_id: int, rank: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE item SET rank = ? WHERE id = ?", (rank, item_id))


# ---------------------------------------------------------------- split


def test_split_moves_the_chosen_criteria_to_a_new_item_right_below(
    db: Database, product_path: Path
) -> None:
    epic = add(db, "Payments", type=ItemType.EPIC)
    goal, _ = goals.add_goal(db, "Grow")
    sprint = add_sprint(product_path)
    original = add(db, "Pay by QR", "A", "B", "C", "D", labels=("pay", "qr"), segment=Segment.INBOX)
    after = add(db, "Next one")
    set_fields(
        db,
        [original],
        {
            "parent_id": epic,
            "goal_id": goal,
            "moscow": "should",
            "priority": "high",
            "points": 8,
            "status": "in_progress",
            "business_value": 40,
            "description": "Long",
        },
    )
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute("UPDATE item SET sprint_id = ? WHERE id = ?", (sprint, original))
    a, b, c, d = criterion_ids(product_path, original)
    [(old_version,)] = rows(product_path, "SELECT version FROM item WHERE id = ?", (original,))

    new_id, changes = split_item(db, original, [d, b], "Pay by QR — part 2 ✓")

    assert changes.entities == {
        Entity.ITEM: frozenset({original, new_id}),
        Entity.CRITERION: frozenset({b, d}),
    }
    assert order(product_path) == ["Payments", "Pay by QR", "Pay by QR — part 2 ✓", "Next one"]
    assert after != new_id
    [row] = rows(
        product_path,
        "SELECT key, type, segment, parent_id, goal_id, labels, moscow, priority, sprint_id, "
        "status, points, business_value, description FROM item WHERE id = ?",
        (new_id,),
    )
    assert row == (
        "PB-4",
        "story",
        "inbox",
        epic,
        goal,
        '["pay", "qr"]',
        "should",
        "high",
        sprint,
        "todo",
        None,
        None,
        "",
    )
    assert texts(product_path, original) == [(0, "A"), (1, "C")]
    assert texts(product_path, new_id) == [(0, "B"), (1, "D")]
    assert criterion_ids(product_path, original) == [a, c]
    assert rows(product_path, "SELECT item_id, other_id, kind FROM item_link") == [
        (new_id, original, "split_from")
    ]
    assert rows(
        product_path,
        "SELECT item_id, kind, new_value, sprint_id FROM item_event WHERE item_id IN (?, ?) "
        "AND kind IN ('created', 'split') ORDER BY id DESC LIMIT 2",
        (original, new_id),
    ) == [(original, "split", "PB-4", sprint), (new_id, "created", "Pay by QR — part 2 ✓", sprint)]
    assert rows(product_path, "SELECT version FROM item WHERE id = ?", (original,)) == [
        (int(str(old_version)) + 1,)
    ]
    assert rows(product_path, "SELECT next_item_number FROM product") == [(5,)]
    with closing(sqlite3.connect(product_path)) as conn:
        [link] = reads.item_detail(conn, new_id).links
        history = reads.item_history(conn, original)
    assert (link.kind, link.other_key, link.outgoing) == ("split_from", "PB-2", True)
    assert reads.describe_event(history[0]) == "Split into PB-4"


def test_split_of_an_item_without_criteria_makes_an_empty_item(
    db: Database, product_path: Path
) -> None:
    first = add(db, "First")
    new_id, _ = split_item(db, first, [], "Second half")
    assert order(product_path) == ["First", "Second half"]
    assert texts(product_path, new_id) == []


def test_split_refusals_change_nothing(db: Database, product_path: Path) -> None:
    original = add(db, "Original", "A", "B")
    other = add(db, "Other", "X")
    empty = add(db, "Empty")
    a, b = criterion_ids(product_path, original)
    (x,) = criterion_ids(product_path, other)
    before = dump(product_path)
    with pytest.raises(InvalidInput, match="Choose the acceptance criteria"):
        split_item(db, original, [], "New")
    with pytest.raises(InvalidInput, match="Leave at least one"):
        split_item(db, original, [a, b], "New")
    with pytest.raises(InvalidInput, match="Only acceptance criteria of PB-1"):
        split_item(db, original, [a, x], "New")
    with pytest.raises(InvalidInput, match="Only acceptance criteria of PB-3"):
        split_item(db, empty, [x], "New")
    with pytest.raises(InvalidInput, match="needs a title"):
        split_item(db, original, [a], "  ")
    with pytest.raises(InvalidInput, match="at most 500"):
        split_item(db, original, [a], "x" * 501)
    with pytest.raises(NotFound):
        split_item(db, 999, [], "New")
    assert dump(product_path) == before


def test_split_between_equal_ranks_re_keys_the_list(db: Database, product_path: Path) -> None:
    ids = [add(db, title) for title in ("A", "B", "C")]
    set_rank(product_path, ids[1], "a0")
    set_rank(product_path, ids[2], "a0")  # a foreign file: B and C share a key
    new_id, changes = split_item(db, ids[1], [], "B2")
    assert changes.entities[Entity.ITEM] == frozenset()  # whole list reloads
    assert order(product_path) == ["A", "B", "B2", "C"]
    ranks = [r[0] for r in rows(product_path, "SELECT rank FROM item ORDER BY rank, id")]
    assert len(set(ranks)) == 4
    # A re-key is bookkeeping: no event, no version bump on the neighbours.
    assert rows(product_path, "SELECT version FROM item WHERE id = ?", (ids[2],)) == [(1,)]
    assert rows(product_path, "SELECT count(*) FROM item_event WHERE kind = 'moved'") == [(0,)]
    assert new_id not in ids


def test_split_re_keys_when_the_key_would_grow_too_long(db: Database, product_path: Path) -> None:
    ids = [add(db, title) for title in ("A", "B", "C")]
    low = "a0" + "V" * 62
    set_rank(product_path, ids[1], low)
    set_rank(product_path, ids[2], low + "V")
    split_item(db, ids[1], [], "B2")
    assert order(product_path) == ["A", "B", "B2", "C"]
    longest = rows(product_path, "SELECT max(length(rank)) FROM item")[0][0]
    assert int(str(longest)) <= MAX_KEY_LENGTH


# ---------------------------------------------------------------- duplicate


def test_duplicate_copies_fields_and_criteria_but_not_questions_or_links(
    db: Database, product_path: Path
) -> None:
    epic = add(db, "Epic", type=ItemType.EPIC)
    original = add(db, "Login", "A", "B", labels=("x",))
    after = add(db, "After")
    set_fields(
        db,
        [original],
        {
            "parent_id": epic,
            "points": 3,
            "status": "done",
            "blocked": True,
            "blocked_note": "why",
            "moscow": "could",
            "description": "Desc",
            "business_value": 7,
        },
    )
    (a, _b) = criterion_ids(product_path, original)
    criteria.set_criterion_state(db, a, "pass")
    questions.add_question(db, original, "Q?")
    links.add_dependency(db, original, after)

    copy, changes = duplicate_item(db, original)

    assert changes.touches(Entity.ITEM)
    assert order(product_path) == ["Epic", "Login", "Copy of Login", "After"]
    columns = (
        "type, description, segment, parent_id, goal_id, points, business_value, labels, "
        "blocked, blocked_note, moscow, priority"
    )
    [orig_row] = rows(product_path, f"SELECT {columns} FROM item WHERE id = ?", (original,))
    [copy_row] = rows(product_path, f"SELECT {columns} FROM item WHERE id = ?", (copy,))
    assert copy_row == orig_row
    assert rows(product_path, "SELECT key, status, version FROM item WHERE id = ?", (copy,)) == [
        ("PB-4", "todo", 1)
    ]
    assert rows(
        product_path,
        "SELECT position, text, review_state FROM acceptance_criterion WHERE item_id = ? "
        "ORDER BY position",
        (copy,),
    ) == [(0, "A", "unchecked"), (1, "B", "unchecked")]
    assert rows(product_path, "SELECT count(*) FROM question WHERE item_id = ?", (copy,)) == [(0,)]
    assert rows(
        product_path, "SELECT count(*) FROM item_link WHERE ? IN (item_id, other_id)", (copy,)
    ) == [(0,)]
    assert rows(
        product_path, "SELECT kind, new_value FROM item_event WHERE item_id = ?", (copy,)
    ) == [("created", "Copy of Login")]


def test_a_duplicate_title_is_cut_to_500_characters(db: Database, product_path: Path) -> None:
    original = add(db, "x" * 500)
    copy, _ = duplicate_item(db, original)
    [(title,)] = rows(product_path, "SELECT title FROM item WHERE id = ?", (copy,))
    assert title == ("Copy of " + "x" * 500)[:500]


def test_duplicate_of_a_missing_item_changes_nothing(db: Database, product_path: Path) -> None:
    add(db, "A")
    before = dump(product_path)
    with pytest.raises(NotFound):
        duplicate_item(db, 999)
    assert dump(product_path) == before


# ---------------------------------------------------------------- parse_paste


def titles(drafts: list[NewItem]) -> list[str]:
    return [d.title for d in drafts]


def test_plain_lines_are_one_item_each() -> None:
    drafts = parse_paste("Log in\n\n  Pay by QR ✓ \r\nSee balance\n")
    assert titles(drafts) == ["Log in", "  Pay by QR ✓ ", "See balance"]
    assert all(d.type is ItemType.STORY and d.points is None for d in drafts)
    assert [d.row for d in drafts if isinstance(d, PastedItem)] == [1, 3, 4]
    assert parse_paste("") == []
    assert parse_paste("\n \n") == []


def test_rows_without_a_header_take_numbers_as_points() -> None:
    drafts = parse_paste("Log in\t3\nPay\t0,5\nSee balance\t\n")
    assert [(d.title, d.points) for d in drafts] == [
        ("Log in", 3.0),
        ("Pay", 0.5),
        ("See balance", None),
    ]


def test_rows_without_a_header_take_words_as_description() -> None:
    drafts = parse_paste("Log in\tWith a password\nPay\tBy QR")
    assert [(d.title, d.description, d.points) for d in drafts] == [
        ("Log in", "With a password", None),
        ("Pay", "By QR", None),
    ]


def test_a_bad_number_names_its_row() -> None:
    with pytest.raises(InvalidInput, match=r"Row 3: “lots” is not a number"):
        parse_paste("A\t1\nB\t2\nC\tlots\n")
    with pytest.raises(InvalidInput, match=r"Row 3: “-2” is not a number"):
        parse_paste("Summary\tStory Points\nA\t1\nB\t-2\n")


def test_a_header_maps_the_columns_in_any_case() -> None:
    text = (
        "Issue Type\tSUMMARY\tStory Points\tDescription\tTags\tBusiness Value\tIgnored\n"
        "Bug\tCrash on login\t3\tIt crashes\tauth, mobile; auth ;\t100\tx\n"
        "\tPlain story\t\t\t\t\t\n"
    )
    drafts = parse_paste(text)
    assert len(drafts) == 2
    bug, story = drafts
    assert isinstance(bug, PastedItem)
    assert (bug.type, bug.title, bug.points, bug.description, bug.labels) == (
        ItemType.BUG,
        "Crash on login",
        3.0,
        "It crashes",
        ("auth", "mobile"),
    )
    assert (bug.business_value, bug.row) == (100, 2)
    assert (story.type, story.title, story.points, story.labels) == (
        ItemType.STORY,
        "Plain story",
        None,
        (),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Title\tType\nA\tfeature\n", r"Row 2: “feature” is not an item type"),
        ("Title\tValue\nA\tlots\n", r"Row 2: “lots” is not a business value"),
        ("Title\tValue\nA\t1000001\n", r"Row 2: “1000001” is not a business value"),
        ("Title\tPoints\n\t3\n", r"Row 2 has no title"),
        ("x" * 501, r"Row 1: a title can have at most 500"),
    ],
)
def test_unreadable_cells_name_their_row(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_paste(text)


def test_at_most_5000_items_per_paste() -> None:
    assert len(parse_paste("item\n" * MAX_ITEMS)) == MAX_ITEMS
    with pytest.raises(InvalidInput, match="at most 5,000"):
        parse_paste("item\n" * (MAX_ITEMS + 1))
    with pytest.raises(InvalidInput, match="at most 5,000"):
        parse_paste("Title\tPoints\n" + "item\t1\n" * (MAX_ITEMS + 1))


# ---------------------------------------------------------------- add_items


def test_pasted_items_land_right_after_an_item_in_order(db: Database, product_path: Path) -> None:
    first = add(db, "First")
    add(db, "Last")
    drafts = parse_paste("Title\tPoints\tLabels\tValue\nP1\t3\ta, b\t5\nP2\t\t\t\nP3\t1\t\t\n")
    drafts.append(NewItem(title="With criteria", criteria=("Given", "Then")))
    ids, changes = add_items(db, drafts, after=first, segment=Segment.INBOX)
    assert changes.entities[Entity.ITEM] == frozenset(ids)
    assert order(product_path) == ["First", "P1", "P2", "P3", "With criteria", "Last"]
    assert rows(
        product_path,
        "SELECT key, points, labels, business_value, segment, status FROM item "
        "WHERE id >= ? ORDER BY id",
        (ids[0],),
    ) == [
        ("PB-3", 3.0, '["a", "b"]', 5, "inbox", "todo"),
        ("PB-4", None, "[]", None, "inbox", "todo"),
        ("PB-5", 1.0, "[]", None, "inbox", "todo"),
        ("PB-6", None, "[]", None, "inbox", "todo"),
    ]
    assert texts(product_path, ids[3]) == [(0, "Given"), (1, "Then")]
    assert rows(
        product_path,
        "SELECT item_id, kind, new_value FROM item_event WHERE item_id >= ? ORDER BY id",
        (ids[0],),
    ) == [(i, "created", t) for i, t in zip(ids, ["P1", "P2", "P3", "With criteria"], strict=True)]


def test_pasted_items_go_to_the_bottom_without_an_anchor(db: Database, product_path: Path) -> None:
    add(db, "First")
    ids, _ = add_items(db, parse_paste("A\nB"), after=None, segment="backlog")
    assert order(product_path) == ["First", "A", "B"]
    assert len(ids) == 2
    empty, changes = add_items(db, [], after=None, segment="backlog")
    assert (empty, changes.entities) == ([], {})


def test_a_paste_into_an_empty_product(db: Database, product_path: Path) -> None:
    ids, _ = add_items(db, parse_paste("A\nB\nC"), after=None, segment=Segment.BACKLOG)
    assert order(product_path) == ["A", "B", "C"]
    assert [r[0] for r in rows(product_path, "SELECT key FROM item ORDER BY rank")] == [
        "PB-1",
        "PB-2",
        "PB-3",
    ]
    assert len(ids) == 3


def test_paste_refusals_change_nothing(db: Database, product_path: Path) -> None:
    definitions.set_estimation_scale(db, EstimationScale.custom([1, 2, 4]))
    first = add(db, "First")
    before = dump(product_path)
    with pytest.raises(InvalidInput, match=r"Row 3: 3 is not on the product's estimation scale"):
        add_items(db, parse_paste("A\t1\nB\t2\nC\t3"), after=None, segment="backlog")
    with pytest.raises(InvalidInput, match=r"Row 2: An item needs a title"):
        add_items(db, [NewItem(title="ok"), NewItem(title=" ")], after=None, segment="backlog")
    with pytest.raises(InvalidInput, match=r"Row 1: An acceptance criterion needs some text"):
        add_items(db, [NewItem(title="ok", criteria=("",))], after=None, segment="backlog")
    with pytest.raises(InvalidInput, match="not a place"):
        add_items(db, [NewItem(title="ok")], after=None, segment="archive")
    with pytest.raises(NotFound, match="add below"):
        add_items(db, [NewItem(title="ok")], after=999, segment="backlog")
    with pytest.raises(InvalidInput, match="5,000"):
        add_items(db, [NewItem(title="x")] * (MAX_ITEMS + 1), after=first, segment="backlog")
    assert dump(product_path) == before


def test_a_paste_re_keys_when_there_is_no_room(db: Database, product_path: Path) -> None:
    a, b = add(db, "A"), add(db, "B")
    set_rank(product_path, a, "a0")
    set_rank(product_path, b, "a0")
    ids, changes = add_items(db, parse_paste("X\nY"), after=a, segment="backlog")
    assert changes.entities[Entity.ITEM] == frozenset()
    assert order(product_path) == ["A", "X", "Y", "B"]
    assert len(ids) == 2


def test_item_edits_after_a_paste_keep_working(db: Database, product_path: Path) -> None:
    ids, _ = add_items(db, parse_paste("A\nB"), after=None, segment="backlog")
    set_field(db, ids[0], "points", 5)
    assert rows(product_path, "SELECT points FROM item WHERE id = ?", (ids[0],)) == [(5.0,)]
