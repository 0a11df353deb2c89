"""Reads behind "What changed since…": the items now and the history written after a moment.

Plain portable SQL on the standard library ``sqlite3`` connection, like :mod:`queries`; the
arithmetic is in :mod:`cspo_desktop.domain.since`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from cspo_desktop.domain.since import CurrentItem, Event, Since, what_changed
from cspo_desktop.domain.vocabulary import EventKind

ITEMS_SQL = "SELECT id, key, title, rank, points, type, segment FROM item ORDER BY rank, id"

EVENTS_SQL = """
SELECT item_id, at, kind, old_value, new_value FROM item_event
WHERE at > ? ORDER BY at, id
"""

#: The last rank up to the moment of items deleted after it and not back: where they stood.
RANKS_OF_DELETED_SQL = """
SELECT e.item_id, e.new_value FROM item_event AS e
WHERE e.kind = ? AND e.at <= ? AND e.new_value IS NOT NULL
  AND e.item_id IN (SELECT d.item_id FROM item_event AS d WHERE d.kind = ? AND d.at > ?)
  AND e.item_id NOT IN (SELECT id FROM item)
ORDER BY e.at, e.id
"""


def utc_text(at: str) -> str:
    """An ISO 8601 moment in the history's own spelling (UTC, microseconds, ``+00:00``).

    The history is compared as text, so a moment given with another offset or precision is
    rewritten first; one without an offset is taken as UTC.

    Raises:
        ValueError: the text is not an ISO 8601 moment.
    """
    moment = dt.datetime.fromisoformat(at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def changes_since(conn: sqlite3.Connection, at: str) -> Since:
    """What changed in the backlog after the moment ``at`` (ISO 8601; UTC if no offset).

    Raises:
        ValueError: ``at`` is not an ISO 8601 moment.
    """
    moment = utc_text(at)
    items = [
        CurrentItem(int(i), str(key), str(title), str(rank), points, str(kind), str(segment))
        for i, key, title, rank, points, kind, segment in conn.execute(ITEMS_SQL)
    ]
    events = [
        Event(int(item), str(when), str(kind), old, new)
        for item, when, kind, old, new in conn.execute(EVENTS_SQL, (moment,))
    ]
    moved, deleted = EventKind.MOVED.value, EventKind.DELETED.value
    ranks_at = {
        int(item): str(rank)
        for item, rank in conn.execute(RANKS_OF_DELETED_SQL, (moved, moment, deleted, moment))
    }
    return what_changed(moment, items, events, ranks_at)


def refinement_started_at(conn: sqlite3.Connection) -> str | None:
    """When the Product Owner last pressed *Start refinement* (ISO 8601 UTC), if ever."""
    row = conn.execute("SELECT refinement_started_at FROM product ORDER BY id LIMIT 1").fetchone()
    return None if row is None or row[0] is None else str(row[0])
