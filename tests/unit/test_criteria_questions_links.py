"""Acceptance criteria, team questions and dependencies of an item: one transaction each."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import Conflict, InvalidInput, NotFound
from cspo_desktop.domain.vocabulary import CriterionState
from cspo_desktop.persistence import details as reads
from cspo_desktop.persistence import queries
from cspo_desktop.persistence.database import Database
from cspo_desktop.services import criteria, items, links, questions, removal
from cspo_desktop.services.changes import Entity

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


def add(db: Database, title: str, *criteria_texts: str) -> int:
    item_id, _ = items.add_item(db, items.NewItem(title=title, criteria=criteria_texts))
    return item_id


def texts(path: Path, item_id: int) -> list[tuple[object, ...]]:
    return rows(
        path,
        "SELECT position, text FROM acceptance_criterion WHERE item_id = ? ORDER BY position",
        (item_id,),
    )


def edits(path: Path, item_id: int) -> list[object]:
    return [
        r[0]
        for r in rows(
            path,
            "SELECT new_value FROM item_event WHERE item_id = ? AND kind = 'edited' ORDER BY id",
            (item_id,),
        )
    ]


def version(path: Path, item_id: int) -> object:
    return rows(path, "SELECT version FROM item WHERE id = ?", (item_id,))[0][0]


def criterion_ids(path: Path, item_id: int) -> list[int]:
    return [
        int(str(r[0]))
        for r in rows(
            path,
            "SELECT id FROM acceptance_criterion WHERE item_id = ? ORDER BY position",
            (item_id,),
        )
    ]


# ---------------------------------------------------------------- criteria


def test_criteria_are_added_at_the_end_or_at_a_position(db: Database, product_path: Path) -> None:
    item = add(db, "Login", "A", "B")
    new_id, changes = criteria.add_criterion(db, item, "  C as typed ✓ ")
    assert changes.entities == {
        Entity.ITEM: frozenset({item}),
        Entity.CRITERION: frozenset({new_id}),
    }
    criteria.add_criterion(db, item, "first", 0)
    criteria.add_criterion(db, item, "middle", 2)
    criteria.add_criterion(db, item, "last", 99)
    assert texts(product_path, item) == [
        (0, "first"),
        (1, "A"),
        (2, "middle"),
        (3, "B"),
        (4, "  C as typed ✓ "),
        (5, "last"),
    ]
    assert edits(product_path, item) == ["criteria"] * 4
    assert version(product_path, item) == 5


def test_criteria_edit_review_move_and_delete(db: Database, product_path: Path) -> None:
    item = add(db, "Login", "A", "B", "C", "D")
    a, b, c, d = criterion_ids(product_path, item)
    criteria.edit_criterion(db, b, "B — edited")
    criteria.set_criterion_state(db, c, CriterionState.PASS)
    criteria.set_criterion_state(db, d, "fail")
    criteria.move_criterion(db, a, 2)
    assert texts(product_path, item) == [(0, "B — edited"), (1, "C"), (2, "A"), (3, "D")]
    criteria.move_criterion(db, d, 0)
    criteria.move_criterion(db, b, 99)
    assert criterion_ids(product_path, item) == [d, c, a, b]
    changes = criteria.delete_criterion(db, c)
    assert changes.entities == {Entity.ITEM: frozenset({item}), Entity.CRITERION: frozenset({c})}
    assert texts(product_path, item) == [(0, "D"), (1, "A"), (2, "B — edited")]
    assert rows(
        product_path, "SELECT review_state FROM acceptance_criterion ORDER BY position"
    ) == [("fail",), ("unchecked",), ("unchecked",)]
    assert edits(product_path, item) == ["criteria"] * 7
    with closing(sqlite3.connect(product_path)) as conn:
        [event] = reads.item_history(conn, item)[:1]
    assert reads.describe_event(event) == "Acceptance criteria edited"


def test_criteria_no_ops_write_nothing(db: Database, product_path: Path) -> None:
    item = add(db, "Login", "A", "B")
    a, b = criterion_ids(product_path, item)
    before = dump(product_path)
    criteria.edit_criterion(db, a, "A")
    criteria.set_criterion_state(db, a, "unchecked")
    criteria.move_criterion(db, b, 1)
    criteria.move_criterion(db, b, 7)
    assert dump(product_path) == before


def test_criteria_refusals_change_nothing(db: Database, product_path: Path) -> None:
    item = add(db, "Login", "A")
    (a,) = criterion_ids(product_path, item)
    before = dump(product_path)
    with pytest.raises(InvalidInput, match="needs some text"):
        criteria.add_criterion(db, item, "  ")
    with pytest.raises(InvalidInput, match="2,000"):
        criteria.add_criterion(db, item, "x" * 2001)
    with pytest.raises(InvalidInput, match="negative"):
        criteria.add_criterion(db, item, "ok", -1)
    with pytest.raises(NotFound, match="item no longer exists"):
        criteria.add_criterion(db, 999, "ok")
    with pytest.raises(InvalidInput, match="needs some text"):
        criteria.edit_criterion(db, a, "")
    with pytest.raises(InvalidInput, match="not a review state"):
        criteria.set_criterion_state(db, a, "maybe")
    with pytest.raises(InvalidInput, match="negative"):
        criteria.move_criterion(db, a, -1)
    calls: list[Callable[[], object]] = [
        lambda: criteria.edit_criterion(db, 999, "x"),
        lambda: criteria.set_criterion_state(db, 999, "pass"),
        lambda: criteria.move_criterion(db, 999, 0),
        lambda: criteria.delete_criterion(db, 999),
    ]
    for call in calls:
        with pytest.raises(NotFound, match="criterion no longer exists"):
            call()
    assert dump(product_path) == before
    criteria.add_criterion(db, item, "x" * 2000)
    assert len(texts(product_path, item)) == 2


def test_positions_are_renumbered_even_after_a_foreign_gap(
    db: Database, product_path: Path
) -> None:
    item = add(db, "Login", "A", "B", "C")
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute("UPDATE acceptance_criterion SET position = position * 10")
    a, _b, c = criterion_ids(product_path, item)
    criteria.delete_criterion(db, a)
    assert texts(product_path, item) == [(0, "B"), (1, "C")]
    criteria.add_criterion(db, item, "D", 1)
    assert texts(product_path, item) == [(0, "B"), (1, "D"), (2, "C")]
    assert criterion_ids(product_path, item)[-1] == c


# ---------------------------------------------------------------- questions


def open_questions(path: Path) -> dict[str, object]:
    with closing(sqlite3.connect(path)) as conn:
        return {r["key"]: r["open_questions"] for r in queries.backlog_json(conn)}


def test_questions_are_asked_answered_reopened_and_deleted(
    db: Database, product_path: Path
) -> None:
    item = add(db, "Login")
    q1, changes = questions.add_question(db, item, "Which banks? 🏦", "Ana ✓")
    q2, _ = questions.add_question(db, item, "  Limits?  ")
    q3, _ = questions.add_question(db, item, "Fees?")
    assert changes.entities == {Entity.ITEM: frozenset({item})}
    assert open_questions(product_path) == {"PB-1": 3}

    questions.answer_question(db, q1, "  The big three ")
    [(answer, answered_at)] = rows(
        product_path, "SELECT answer, answered_at FROM question WHERE id = ?", (q1,)
    )
    assert answer == "  The big three "
    assert str(answered_at).endswith("+00:00")
    assert open_questions(product_path) == {"PB-1": 2}

    questions.answer_question(db, q1, "   ")
    assert rows(product_path, "SELECT answer, answered_at FROM question WHERE id = ?", (q1,)) == [
        ("", None)
    ]
    questions.edit_question(db, q2, "Daily limits?", "Bo")
    questions.delete_question(db, q1)
    assert rows(
        product_path, "SELECT id, position, text, asked_by FROM question ORDER BY position"
    ) == [(q2, 0, "Daily limits?", "Bo"), (q3, 1, "Fees?", "")]
    assert edits(product_path, item) == ["questions"] * 7
    with closing(sqlite3.connect(product_path)) as conn:
        got = reads.item_detail(conn, item).questions
    assert [(q.text, q.is_open) for q in got] == [("Daily limits?", True), ("Fees?", True)]


def test_question_no_ops_write_nothing(db: Database, product_path: Path) -> None:
    item = add(db, "Login")
    q, _ = questions.add_question(db, item, "Which?", "Ana")
    questions.answer_question(db, q, "Those")
    before = dump(product_path)
    questions.edit_question(db, q, "Which?", "Ana")
    questions.answer_question(db, q, "Those")
    assert dump(product_path) == before
    q2, _ = questions.add_question(db, item, "Open")
    before = dump(product_path)
    questions.answer_question(db, q2, "")
    assert dump(product_path) == before


def test_question_refusals_change_nothing(db: Database, product_path: Path) -> None:
    item = add(db, "Login")
    q, _ = questions.add_question(db, item, "Which?")
    before = dump(product_path)
    with pytest.raises(InvalidInput, match="needs some text"):
        questions.add_question(db, item, " ")
    with pytest.raises(InvalidInput, match="2,000"):
        questions.add_question(db, item, "x" * 2001)
    with pytest.raises(InvalidInput, match="Who asked"):
        questions.add_question(db, item, "ok", "x" * 201)
    with pytest.raises(NotFound, match="item no longer exists"):
        questions.add_question(db, 999, "ok")
    with pytest.raises(InvalidInput, match="needs some text"):
        questions.edit_question(db, q, "", "Ana")
    with pytest.raises(InvalidInput, match="2,000"):
        questions.answer_question(db, q, "x" * 2001)
    calls: list[Callable[[], object]] = [
        lambda: questions.edit_question(db, 999, "x", ""),
        lambda: questions.answer_question(db, 999, "x"),
        lambda: questions.delete_question(db, 999),
    ]
    for call in calls:
        with pytest.raises(NotFound, match="question no longer exists"):
            call()
    assert dump(product_path) == before


# ---------------------------------------------------------------- links


def test_dependencies_are_added_and_removed(db: Database, product_path: Path) -> None:
    a, b = add(db, "A"), add(db, "B")
    link, changes = links.add_dependency(db, a, b)
    assert changes.entities == {Entity.ITEM: frozenset({a, b})}
    assert rows(product_path, "SELECT id, item_id, other_id, kind FROM item_link") == [
        (link, a, b, "depends_on")
    ]
    with closing(sqlite3.connect(product_path)) as conn:
        unfinished = {r["key"]: r["not_ready_because"] for r in queries.backlog_json(conn)}
    assert any("depend" in reason.lower() for reason in unfinished["PB-1"])
    changes = links.remove_link(db, link)
    assert changes.entities == {Entity.ITEM: frozenset({a, b})}
    assert rows(product_path, "SELECT count(*) FROM item_link") == [(0,)]
    assert edits(product_path, a) == ["dependencies", "dependencies"]
    assert edits(product_path, b) == []
    assert version(product_path, a) == 3


def test_dependency_refusals_change_nothing(db: Database, product_path: Path) -> None:
    a, b, c, d = add(db, "A"), add(db, "B"), add(db, "C"), add(db, "D")
    links.add_dependency(db, a, b)
    links.add_dependency(db, b, c)
    links.add_dependency(db, c, d)
    before = dump(product_path)
    with pytest.raises(InvalidInput, match="itself"):
        links.add_dependency(db, a, a)
    with pytest.raises(NotFound):
        links.add_dependency(db, a, 999)
    with pytest.raises(NotFound):
        links.add_dependency(db, 999, a)
    with pytest.raises(Conflict, match="PB-1 already depends on PB-2"):
        links.add_dependency(db, a, b)
    with pytest.raises(InvalidInput, match="PB-2 → PB-1 → PB-2"):
        links.add_dependency(db, b, a)
    with pytest.raises(InvalidInput, match="PB-4 → PB-1 → PB-2 → PB-3 → PB-4"):
        links.add_dependency(db, d, a)
    with pytest.raises(NotFound, match="link no longer exists"):
        links.remove_link(db, 999)
    assert dump(product_path) == before
    links.add_dependency(db, a, d)  # a shortcut is no circle
    assert rows(product_path, "SELECT count(*) FROM item_link") == [(4,)]


def test_a_split_link_does_not_count_for_circles(db: Database, product_path: Path) -> None:
    a, b = add(db, "A"), add(db, "B")
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute(
            "INSERT INTO item_link (item_id, other_id, kind, created_at) "
            "VALUES (?, ?, 'split_from', '2024-01-01T00:00:00+00:00')",
            (b, a),
        )
    links.add_dependency(db, a, b)
    [(split_link,)] = rows(product_path, "SELECT id FROM item_link WHERE kind = 'split_from'")
    links.remove_link(db, int(str(split_link)))
    assert edits(product_path, b) == ["links"]


def test_links_and_questions_go_with_a_deleted_item_and_come_back(
    db: Database, product_path: Path
) -> None:
    a, b = add(db, "A"), add(db, "B")
    links.add_dependency(db, a, b)
    questions.add_question(db, b, "Why?")
    before = rows(product_path, "SELECT * FROM item_link") + rows(
        product_path, "SELECT * FROM question"
    )
    removed, _ = removal.delete_items(db, [b])
    assert rows(product_path, "SELECT count(*) FROM item_link") == [(0,)]
    removal.restore_items(db, removed)
    after = rows(product_path, "SELECT * FROM item_link") + rows(
        product_path, "SELECT * FROM question"
    )
    assert after == before
