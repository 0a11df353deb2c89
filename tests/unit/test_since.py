"""What changed since: the backlog at a past moment rebuilt from the history."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.ordering import Anchor
from cspo_desktop.domain.since import CurrentItem, Event, what_changed
from cspo_desktop.domain.vocabulary import EventKind, ItemType, Segment
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.since_queries import changes_since, refinement_started_at, utc_text
from cspo_desktop.services import refinement
from cspo_desktop.services.changes import Entity
from cspo_desktop.services.items import add_item
from cspo_desktop.services.ranking import move_items
from cspo_desktop.services.removal import delete_items, restore_items

T = "2021-01-01T00:00:00.000000+00:00"
BEFORE = "2020-06-01T12:00:00.000000+00:00"
AFTER = "2021-02-01T12:00:00.000000+00:00"


# ---------------------------------------------------------------- domain


def item(i: int, rank: str, points: float | None = None, **kw: str) -> CurrentItem:
    return CurrentItem(i, f"PB-{i}", f"Item {i}", rank, points, **kw)


def ev(i: int, kind: EventKind, old: str | None = None, new: str | None = None) -> Event:
    return Event(i, AFTER, kind.value, old, new)


def test_nothing_changed_when_there_are_no_events() -> None:
    since = what_changed(T, [item(1, "a0"), item(2, "a1")], [])
    assert since.nothing
    assert since.at == T


def test_an_item_moved_up_pushes_the_ones_it_passed_down() -> None:
    now = [item(3, "Zz"), item(1, "a0"), item(2, "a1")]  # 3 went from the bottom to the top
    since = what_changed(T, now, [ev(3, EventKind.MOVED, "a2", "Zz")])
    assert [(m.id, m.places, m.moved_itself) for m in since.moved] == [
        (3, 2, True),
        (1, -1, False),
        (2, -1, False),
    ]
    assert (since.moved[0].old_position, since.moved[0].new_position) == (3, 1)


def test_added_items_push_others_down_and_report_their_position() -> None:
    now = [item(9, "Zz"), item(1, "a0"), item(8, "b0", segment=Segment.INBOX.value)]
    since = what_changed(T, now, [ev(9, EventKind.CREATED, new="Item 9"), ev(8, EventKind.CREATED)])
    assert [(a.id, a.position, a.segment) for a in since.added] == [
        (9, 1, "backlog"),
        (8, None, "inbox"),
    ]
    assert [(m.id, m.places, m.moved_itself) for m in since.moved] == [(1, -1, False)]


def test_a_removed_item_keeps_its_title_and_its_place_when_known() -> None:
    now = [item(2, "a1"), item(3, "a2")]
    gone = [
        Event(1, AFTER, EventKind.DELETED.value, "First", None),
        Event(4, "2021-03-01T00:00:00.000000+00:00", EventKind.DELETED.value, None, "Fourth"),
    ]
    since = what_changed(T, now, gone, ranks_at={1: "a0"})
    assert [(r.id, r.key, r.title, r.position) for r in since.removed] == [
        (1, None, "First", 1),
        (4, None, "Fourth", None),
    ]
    # Item 1 (rank known) stood above 2 and 3: they went up; item 4 (rank unknown) counts not.
    assert [(m.id, m.places) for m in since.moved] == [(2, 1), (3, 1)]


def test_items_born_and_gone_since_and_items_back_from_before() -> None:
    now = [item(1, "a0"), item(2, "a1")]
    events = [
        ev(5, EventKind.CREATED, new="Brief"),
        ev(5, EventKind.DELETED, "Brief"),
        ev(2, EventKind.RESTORED, new="Item 2"),  # deleted before T, back since: added
        ev(1, EventKind.DELETED, "Item 1"),  # deleted and restored since: unchanged
        ev(1, EventKind.RESTORED, new="Item 1"),
    ]
    since = what_changed(T, now, events)
    assert [a.id for a in since.added] == [2]
    assert since.removed == ()
    assert since.moved == ()


def test_epics_and_the_inbox_have_no_place() -> None:
    now = [
        item(1, "a0", type=ItemType.EPIC.value),
        item(2, "a1", segment=Segment.INBOX.value),
        item(3, "a2"),
        item(4, "a3"),
    ]
    since = what_changed(T, now, [ev(1, EventKind.MOVED, "a9", "a0"), ev(2, EventKind.CREATED)])
    assert since.moved == ()
    assert [(a.id, a.position) for a in since.added] == [(2, None)]


def test_re_estimates_compare_the_first_old_value_with_the_points_now() -> None:
    now = [item(1, "a0", 5), item(2, "a1", 3), item(3, "a2", None), item(4, "a3", 8)]
    events = [
        ev(1, EventKind.POINTS, "3", "8"),
        ev(1, EventKind.POINTS, "8", "5"),
        ev(2, EventKind.POINTS, "3.0", "5"),  # and back: no re-estimate
        ev(2, EventKind.POINTS, "5", "3"),
        ev(3, EventKind.POINTS, "2", None),
        ev(4, EventKind.POINTS, None, "8"),
    ]
    since = what_changed(T, now, events)
    assert [(r.id, r.old, r.new) for r in since.reestimated] == [
        (1, "3", "5"),
        (3, "2", ""),
        (4, "", "8"),
    ]


def test_moves_are_sorted_by_size_then_by_place() -> None:
    now = [item(i, f"a{i}") for i in range(1, 6)]
    events = [ev(5, EventKind.MOVED, "a0", "a5"), ev(1, EventKind.MOVED, "a3x", "a1")]
    # At T: 5, 2, 3, 1 (after a3), 4 → now 1, 2, 3, 4, 5; 2 and 3 kept their places.
    since = what_changed(T, now, events)
    assert [(m.id, m.places) for m in since.moved] == [(5, -4), (1, 3), (4, 1)]


# ---------------------------------------------------------------- on a product file


@pytest.fixture
def db(product_path: Path) -> Iterator[Database]:
    database = Database(product_path)
    yield database
    database.close()


def sql(path: Path, statement: str, *params: object) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(statement, params)


def test_changes_since_on_a_product_file(db: Database, product_path: Path) -> None:
    ids = {
        title: add_item(db, NewItem(title, points=points))[0]
        for title, points in [("A", 1), ("B", 3), ("C", 2), ("D", 2), ("E", 5), ("F", None)]
    }
    epic, _ = add_item(db, NewItem("Epic", type=ItemType.EPIC))
    add_item(db, NewItem("Idea", segment=Segment.INBOX))
    old, _ = add_item(db, NewItem("Old"))
    delete_items(db, [old])  # gone before T: not reported
    move_items(db, [ids["F"]], Anchor(before=ids["A"]))  # F A B C D E before T
    sql(product_path, "UPDATE item_event SET at = ?", BEFORE)  # everything so far is history

    add_item(db, NewItem("N"))
    add_item(db, NewItem("Later idea", segment=Segment.INBOX))
    delete_items(db, [ids["F"]])
    move_items(db, [ids["E"]], Anchor(after=ids["B"]))  # A B E C D N
    move_items(db, [epic], Anchor(before=ids["A"]))  # epics have no place
    removed, _ = delete_items(db, [ids["C"]])
    restore_items(db, removed)  # back as it was: unchanged
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    sql(product_path, "UPDATE item SET points = 5 WHERE id = ?", ids["B"])
    sql(
        product_path,
        "INSERT INTO item_event (item_id, at, kind, old_value, new_value) VALUES (?, ?, ?, ?, ?)",
        ids["B"],
        now,
        EventKind.POINTS.value,
        "3",
        "5",
    )

    with closing(sqlite3.connect(product_path)) as conn:
        since = changes_since(conn, T)
    assert since.at == T
    assert [(a.key, a.title, a.position) for a in since.added] == [
        ("PB-10", "N", 6),
        ("PB-11", "Later idea", None),
    ]
    assert [(r.id, r.key, r.title, r.position) for r in since.removed] == [(ids["F"], None, "F", 1)]
    assert [
        (m.title, m.old_position, m.new_position, m.places, m.moved_itself) for m in since.moved
    ] == [
        ("E", 6, 3, 3, True),
        ("A", 2, 1, 1, False),
        ("B", 3, 2, 1, False),
    ]
    assert [(r.title, r.old, r.new) for r in since.reestimated] == [("B", "3", "5")]

    # From a moment before all of it, everything is new; from now on, nothing changed.
    with closing(sqlite3.connect(product_path)) as conn:
        assert [a.title for a in changes_since(conn, "2019-01-01T00:00:00").added][:2] == [
            "Epic",
            "A",
        ]
        assert changes_since(conn, dt.datetime.now(dt.UTC).isoformat()).nothing


def test_utc_text_rewrites_offsets_and_naive_moments() -> None:
    assert utc_text("2021-01-01T02:00:00+02:00") == T
    assert utc_text("2021-01-01T00:00:00") == T
    assert utc_text("2021-01-01T00:00:00Z") == T
    with pytest.raises(ValueError, match="Invalid isoformat"):
        utc_text("yesterday")


def test_start_refinement_is_remembered(db: Database, product_path: Path) -> None:
    with closing(sqlite3.connect(product_path)) as conn:
        assert refinement_started_at(conn) is None
    before = dt.datetime.now(dt.UTC)
    changes = refinement.start_refinement(db)
    assert changes.touches(Entity.PRODUCT)
    started = refinement.refinement_started(db)
    assert started is not None
    assert before <= started <= dt.datetime.now(dt.UTC)
    with closing(sqlite3.connect(product_path)) as conn:
        stored = refinement_started_at(conn)
    assert stored == started.isoformat(timespec="microseconds")
    assert utc_text(stored) == stored  # the history's own spelling: compared as text

    moment = dt.datetime(2024, 5, 6, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    refinement.start_refinement(db, moment)
    assert refinement.refinement_started(db) == moment
    with closing(sqlite3.connect(product_path)) as conn:
        assert refinement_started_at(conn) == "2024-05-06T07:30:00.000000+00:00"
    refinement.set_refinement_started(db, None)  # undo of the first press
    assert refinement.refinement_started(db) is None
    with pytest.raises(InvalidInput, match="time zone"):
        refinement.start_refinement(db, dt.datetime(2024, 5, 6, 9, 30))
