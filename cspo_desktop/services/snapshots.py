"""Undo for item edits: capture the items as they are, put them back exactly later.

An edit of the detail panel, a bulk edit, a split or a paste each run one service; the
command around it captures the items it touches before and after, and undo / redo put one of
those states back. A state is every column of the items and every row that hangs off them
(criteria, questions, links — found from the schema, see :mod:`services.rows`), so the undo
is exact without an inverse for every service, and tables added later come along.

A state also holds every item's rank key: a split, paste or move that had to re-key the
whole list is undone exactly too (rank keys are bookkeeping: no history for them).

Putting a state back writes compensating history entries (status, points, title, segment,
and ``deleted`` / ``restored`` for items the state lacks or has); the event log itself is
never rewritten. ``product.next_item_number`` is left alone: an item key is never reused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from cspo_desktop.domain.estimation import format_points
from cspo_desktop.domain.vocabulary import EventKind
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.rows import Row, insert_rows, links_to_item, marks, rows_where

#: Item columns whose change is history: (column, event kind, how a value is written).
_TRACKED = (
    ("status", EventKind.STATUS),
    ("points", EventKind.POINTS),
    ("title", EventKind.TITLE),
    ("segment", EventKind.SEGMENT),
)


@dataclass(frozen=True, slots=True)
class ItemsState:
    """Items as they were at one moment, with everything that hangs off them.

    Attributes:
        ids: the items this state speaks for (an id without a row: the item did not exist).
        items: every column of each item that existed, by id.
        children: rows of the tables that cascade from items, by table (deduplicated by id).
        ranks: the rank key of every item of the product.
    """

    ids: tuple[int, ...]
    items: dict[int, Row] = field(default_factory=dict)
    children: dict[str, list[Row]] = field(default_factory=dict)
    ranks: dict[int, str] = field(default_factory=dict)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _cascading(conn: Connection) -> list[tuple[str, str]]:
    return [(t, c) for t, c, on_delete in links_to_item(conn) if on_delete == "CASCADE"]


def _read(conn: Connection, ids: tuple[int, ...]) -> ItemsState:
    items = {int(row["id"]): row for row in rows_where(conn, "item", "id", ids)}
    children: dict[str, list[Row]] = {}
    for table, column in _cascading(conn):
        rows = children.setdefault(table, [])
        seen = {row["id"] for row in rows}
        rows.extend(r for r in rows_where(conn, table, column, ids) if r["id"] not in seen)
    ranks = {int(i): str(k) for i, k in conn.exec_driver_sql("SELECT id, rank FROM item")}
    return ItemsState(ids, items, children, ranks)


def capture(db: Database, ids: Sequence[int]) -> ItemsState:
    """Read the items ``ids`` and everything hanging off them, as they are now."""
    with db.transaction() as session:
        return _read(session.connection(), tuple(dict.fromkeys(ids)))


def put_back(db: Database, state: ItemsState) -> Changes:
    """Make the items of ``state`` exactly as captured, in one transaction.

    Items the state has but the file lacks come back; items the file has but the state lacks
    (made after the capture: a split-off story, a pasted item) are deleted; the others get
    every column back. Their criteria, questions and links are replaced by the captured ones.

    Raises:
        InvalidInput: a captured row cannot come back (its id or a link target is gone).
    """
    with db.transaction() as session:
        conn = session.connection()
        now_state = _read(conn, state.ids)
        events: list[tuple[int, str, str, str | None, str | None]] = []
        stamp = _now()
        gone = [i for i in state.ids if i in now_state.items and i not in state.items]
        for table, column in _cascading(conn):
            _delete_where(conn, table, column, state.ids)
        if gone:
            _delete_where(conn, "item", "id", gone)
            events += [
                (i, stamp, EventKind.DELETED.value, now_state.items[i]["title"], None) for i in gone
            ]
        back = _parents_first([row for i, row in state.items.items() if i not in now_state.items])
        insert_rows(conn, "item", back)
        events += [(int(r["id"]), stamp, EventKind.RESTORED.value, None, r["title"]) for r in back]
        for item_id, row in state.items.items():
            current = now_state.items.get(item_id)
            if current is not None and current != row:
                _overwrite(conn, row)
                events += _compensations(item_id, stamp, current, row)
        for table, rows in state.children.items():
            insert_rows(conn, table, rows)
        rekeyed = [
            (key, item)
            for item, key in state.ranks.items()
            if item not in state.items and now_state.ranks.get(item, key) != key
        ]
        if rekeyed:  # bookkeeping: no history, edit stamps untouched
            conn.exec_driver_sql("UPDATE item SET rank = ? WHERE id = ?", rekeyed)
        if events:
            conn.exec_driver_sql(
                "INSERT INTO item_event (item_id, at, kind, old_value, new_value) "
                "VALUES (?, ?, ?, ?, ?)",
                events,
            )
    return Changes.of(Entity.ITEM, *state.ids) | Changes.of(Entity.CRITERION)


def _parents_first(rows: list[Row]) -> list[Row]:
    """Item rows with those the others name as parent first, so every link finds its item.

    (Ids follow the order items were made in, not the hierarchy: an imported story can be
    older than its epic.)
    """
    parents = {row["parent_id"] for row in rows}
    return sorted(rows, key=lambda row: row["id"] not in parents)


def _delete_where(conn: Connection, table: str, column: str, ids: Sequence[int]) -> None:
    """Delete the rows whose ``column`` is one of ``ids``.

    In chunks: undoing an import deletes 100,000 items, more than SQLite takes as the
    parameters of one statement.
    """
    for start in range(0, len(ids), 500):
        chunk = tuple(ids[start : start + 500])
        conn.exec_driver_sql(
            f'DELETE FROM "{table}" WHERE "{column}" IN ({marks(len(chunk))})', chunk
        )


def _overwrite(conn: Connection, row: Row) -> None:
    columns = [c for c in row if c != "id"]
    assignments = ", ".join(f'"{c}" = ?' for c in columns)
    conn.exec_driver_sql(
        f"UPDATE item SET {assignments} WHERE id = ?", (*(row[c] for c in columns), row["id"])
    )


def _compensations(
    item_id: int, stamp: str, current: Row, wanted: Row
) -> list[tuple[int, str, str, str | None, str | None]]:
    """History entries for the tracked columns that putting ``wanted`` back changes."""
    out = []
    for column, kind in _TRACKED:
        old, new = current[column], wanted[column]
        if old == new:
            continue
        if column == "points":
            old = None if old is None else format_points(old)
            new = None if new is None else format_points(new)
        out.append((item_id, stamp, kind.value, old, new))
    return out
