"""Services: product text exactly as typed; add_item in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import cast

import pytest

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.vocabulary import VISION_LABELS, EventKind, ItemType, Segment
from cspo_desktop.persistence import queries
from cspo_desktop.persistence.database import Database, StorageError
from cspo_desktop.services import items, product
from cspo_desktop.services.changes import Entity

TEXT_FIELDS = ("name", *VISION_LABELS)
AS_TYPED = (
    "  Pocket Bank  ",
    "\tTabs\tand\nnew lines\n",
    "مرحبا بالعالم — Hebrew: שלום",
    "Emoji 👩🏽‍💻🚀 and ZWJ, e\u0301 vs \u00e9",
    "Ünïcödé ß ẞ İı 中文 日本語",
    " ",
)


@pytest.fixture
def db(product_path: Path) -> Iterator[Database]:
    database = Database(product_path)
    yield database
    database.close()


def product_row(path: Path) -> tuple[object, ...]:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT * FROM product").fetchone()
    assert row is not None
    return tuple(row)


def table(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


# ---------------------------------------------------------------- product text


ROUND_TRIPS = [
    pytest.param(field, value, id=f"{field}-{n}")
    for field in TEXT_FIELDS
    for n, value in enumerate(AS_TYPED)
    if field != "name" or value.strip()  # a blank name is refused (tested below)
]


@pytest.mark.parametrize(("field", "value"), ROUND_TRIPS)
def test_product_text_round_trips_exactly(
    db: Database, product_path: Path, field: str, value: str
) -> None:
    changes = product.set_text(db, field, value)
    assert changes.touches(Entity.PRODUCT)
    assert product.get_text(db, field) == value
    # What is on disk, read by another connection, is the same code points.
    with closing(sqlite3.connect(product_path)) as conn:
        stored = conn.execute(f"SELECT {field} FROM product").fetchone()[0]
    assert stored == value
    assert stored.encode("utf-8") == value.encode("utf-8")


def test_setting_text_bumps_version_once_and_only_when_it_changes(
    db: Database, product_path: Path
) -> None:
    [(version,)] = table(product_path, "SELECT version FROM product")
    assert isinstance(version, int)
    product.set_text(db, "vision_needs", "Pay without cash")
    assert table(product_path, "SELECT version FROM product") == [(version + 1,)]
    product.set_text(db, "vision_needs", "Pay without cash")
    assert table(product_path, "SELECT version FROM product") == [(version + 1,)]


@pytest.mark.parametrize("name", ["", " ", "\t\n", "\u3000"])
def test_an_empty_name_is_refused_and_nothing_changes(
    db: Database, product_path: Path, name: str
) -> None:
    before = product_row(product_path)
    with pytest.raises(InvalidInput, match="name"):
        product.set_text(db, "name", name)
    assert product_row(product_path) == before


def test_an_over_long_name_is_refused(db: Database, product_path: Path) -> None:
    before = product_row(product_path)
    with pytest.raises(InvalidInput):
        product.set_text(db, "name", "x" * (product.MAX_NAME + 1))
    assert product_row(product_path) == before


@pytest.mark.parametrize("field", ["key_prefix", "version", "id", "Name", "vision", ""])
def test_an_unknown_field_is_refused_and_nothing_changes(
    db: Database, product_path: Path, field: str
) -> None:
    before = product_row(product_path)
    with pytest.raises(InvalidInput):
        product.set_text(db, field, "hacked")
    with pytest.raises(InvalidInput):
        product.get_text(db, field)
    assert product_row(product_path) == before


# ---------------------------------------------------------------- add_item


def test_add_item_appends_at_the_bottom_with_increasing_keys(
    db: Database, product_path: Path
) -> None:
    titles = ["First", "  Second, as typed  ", "Drittes ✓", "四", "🚀 fifth"]
    ids = []
    for n, title in enumerate(titles):
        segment = Segment.INBOX if n == 2 else Segment.BACKLOG
        item_id, changes = items.add_item(
            db, items.NewItem(title=title, type=ItemType.BUG, segment=segment)
        )
        assert changes.entities == {Entity.ITEM: frozenset({item_id})}
        ids.append(item_id)
    with closing(sqlite3.connect(product_path)) as conn:
        rows = queries.backlog_rows(conn)
        ranks = [r[0] for r in conn.execute("SELECT rank FROM item ORDER BY id")]
        next_number = conn.execute("SELECT next_item_number FROM product").fetchone()[0]
    assert [r[0] for r in rows] == ids
    assert [r[1] for r in rows] == ["PB-1", "PB-2", "PB-3", "PB-4", "PB-5"]
    assert [r[3] for r in rows] == titles
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)
    assert next_number == 6


def test_add_item_writes_its_criteria_and_exactly_one_created_event(
    db: Database, product_path: Path
) -> None:
    criteria = ("Given a QR code", "  When I scan it  ", "Then I pay — ✓")
    item_id, _ = items.add_item(
        db, items.NewItem(title="Pay by QR", criteria=criteria, labels=("pay", "ünï"))
    )
    assert table(
        product_path,
        "SELECT item_id, position, text, review_state FROM acceptance_criterion ORDER BY id",
    ) == [(item_id, n, text, "unchecked") for n, text in enumerate(criteria)]
    assert table(product_path, "SELECT item_id, kind, new_value FROM item_event") == [
        (item_id, EventKind.CREATED.value, "Pay by QR")
    ]
    assert table(product_path, "SELECT labels FROM item") == [('["pay", "ünï"]',)]


@pytest.mark.parametrize(
    "new",
    [
        items.NewItem(title=""),
        items.NewItem(title="   "),
        items.NewItem(title="x" * (items.MAX_TITLE + 1)),
        items.NewItem(title="ok", points=-1),
    ],
    ids=["empty", "blank", "too-long", "negative-points"],
)
def test_add_item_refuses_bad_input_and_writes_nothing(
    db: Database, product_path: Path, new: items.NewItem
) -> None:
    before = product_row(product_path)
    with pytest.raises(InvalidInput):
        items.add_item(db, new)
    assert product_row(product_path) == before
    assert table(product_path, "SELECT count(*) FROM item") == [(0,)]


def assert_nothing_written(path: Path) -> None:
    assert table(path, "SELECT count(*) FROM item") == [(0,)]
    assert table(path, "SELECT count(*) FROM acceptance_criterion") == [(0,)]
    assert table(path, "SELECT count(*) FROM item_event") == [(0,)]
    assert table(path, "SELECT next_item_number FROM product") == [(1,)]


def test_add_item_is_one_transaction_when_the_database_refuses_the_last_step(
    db: Database, product_path: Path
) -> None:
    # The event row is written last; make SQLite itself refuse it, after the product counter,
    # the item and its criteria were already written in the same transaction.
    with closing(sqlite3.connect(product_path, isolation_level=None)) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_events BEFORE INSERT ON item_event "
            "BEGIN SELECT RAISE(ABORT, 'event log refused'); END"
        )
    with pytest.raises(StorageError, match="event log refused"):
        items.add_item(db, items.NewItem(title="Half", criteria=("a", "b")))
    assert_nothing_written(product_path)

    with closing(sqlite3.connect(product_path, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER refuse_events")
    item_id, _ = items.add_item(db, items.NewItem(title="Whole", criteria=("a",)))
    assert table(product_path, "SELECT id, key FROM item") == [(item_id, "PB-1")]


def test_add_item_is_one_transaction_when_a_later_step_raises(
    db: Database, product_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class CrashError(Exception):
        pass

    def crash(**_: object) -> None:
        raise CrashError

    monkeypatch.setattr(items, "ItemEvent", crash)
    with pytest.raises(CrashError):
        items.add_item(db, items.NewItem(title="Half", criteria=("a", "b")))
    assert_nothing_written(product_path)

    monkeypatch.undo()
    items.add_item(db, items.NewItem(title="Whole"))
    assert table(product_path, "SELECT key, title FROM item") == [("PB-1", "Whole")]


def test_a_check_constraint_refuses_what_the_service_layer_let_through(
    db: Database, product_path: Path
) -> None:
    # The schema is the last line of defence: a bad segment never lands, and nothing else does.
    class Odd:
        value = "nowhere"

    new = items.NewItem(title="Odd", segment=cast(Segment, Odd()), criteria=("a",))
    with pytest.raises(StorageError, match="CHECK constraint failed"):
        items.add_item(db, new)
    assert_nothing_written(product_path)
