"""Capturing items and putting them back: the exact undo behind every item edit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.persistence.database import Database
from cspo_desktop.services import items, snapshots
from cspo_desktop.services.removal import delete_items
from tests.content import content_hash


@pytest.fixture
def db(product_path: Path) -> Iterator[Database]:
    database = Database(product_path)
    yield database
    database.close()


def sql(path: Path, statement: str, *params: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows


def two_items(db: Database) -> tuple[int, int]:
    first, _ = items.add_item(db, NewItem("Pay a friend", criteria=("Amount shown", "PIN")))
    second, _ = items.add_item(db, NewItem("Split the bill", points=3))
    return first, second


def test_put_back_restores_columns_and_children_exactly(db: Database, product_path: Path) -> None:
    first, second = two_items(db)
    sql(
        product_path,
        "INSERT INTO question (item_id, position, text, asked_by, answer, "
        "created_at) VALUES (?, 0, 'Which limit?', 'Ana', '', '2025-01-01T00:00:00+00:00')",
        first,
    )
    sql(
        product_path,
        "INSERT INTO item_link (item_id, other_id, kind, created_at) "
        "VALUES (?, ?, 'depends_on', '2025-01-01T00:00:00+00:00')",
        second,
        first,
    )
    before_hash = content_hash(product_path)
    state = snapshots.capture(db, [first])
    sql(
        product_path,
        "UPDATE item SET title = 'Changed', status = 'done', points = 5 WHERE id = ?",
        first,
    )
    sql(product_path, "DELETE FROM acceptance_criterion WHERE item_id = ?", first)
    sql(product_path, "DELETE FROM item_link")
    sql(product_path, "UPDATE question SET answer = 'None' WHERE item_id = ?", first)
    assert content_hash(product_path) != before_hash

    snapshots.put_back(db, state)

    assert content_hash(product_path) == before_hash
    kinds = [
        k
        for (k,) in sql(
            product_path, "SELECT kind FROM item_event WHERE item_id = ? ORDER BY id", first
        )
    ]
    # Compensating history, appended: status, points and title went back.
    assert kinds[-3:] == ["status", "points", "title"]


def test_items_made_after_the_capture_go_and_deleted_ones_come_back(
    db: Database, product_path: Path
) -> None:
    first, second = two_items(db)
    before_hash = content_hash(product_path)
    state = snapshots.capture(db, [first, second, 9999])
    delete_items(db, [first])
    third, _ = items.add_item(db, NewItem("Made later"))
    state_with_new = snapshots.ItemsState((*state.ids, third), state.items, state.children)

    snapshots.put_back(db, state_with_new)

    assert content_hash(product_path) == before_hash
    assert sql(product_path, "SELECT count(*) FROM item WHERE id = ?", third) == [(0,)]
    events = sql(product_path, "SELECT item_id, kind FROM item_event ORDER BY id")
    assert (first, "restored") in events
    assert (third, "deleted") in events


def test_a_state_that_cannot_come_back_changes_nothing(db: Database, product_path: Path) -> None:
    first, second = two_items(db)
    sql(
        product_path,
        "INSERT INTO item_link (item_id, other_id, kind, created_at) "
        "VALUES (?, ?, 'depends_on', '2025-01-01T00:00:00+00:00')",
        first,
        second,
    )
    state = snapshots.capture(db, [first])
    delete_items(db, [second])  # the link's other end is gone for good
    sql(product_path, "UPDATE item SET title = 'Edited' WHERE id = ?", first)
    before_hash = content_hash(product_path)

    with pytest.raises(InvalidInput):
        snapshots.put_back(db, state)

    assert content_hash(product_path) == before_hash
