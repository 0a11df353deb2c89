"""Moving items in the ranked list: one key written per moved item, undo by writing keys back.

A move reads only the two neighbours of the landing place (indexed ``rank`` look-ups) and
writes one ``rank`` per moved item plus one ``moved`` event each, in one transaction. When
the neighbours leave no room, or a key would grow past 64 characters, the same transaction
re-keys the whole list: bookkeeping that writes no events and leaves ``updated_at`` and
``version`` alone.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Connection

from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.ordering import (
    Anchor,
    block_keys,
    changed_keys,
    fresh_keys,
    in_rank_order,
    reorder,
)
from cspo_desktop.domain.vocabulary import EventKind
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes


@dataclass(frozen=True, slots=True)
class Move:
    """What a move wrote, so that undo and redo can write it back exactly.

    Attributes:
        moved: the moved items, in their new order.
        before: every key the move changed, as it was.
        after: the same keys as the move left them.
        rekeyed: whether the move re-keyed the whole list.
    """

    moved: tuple[int, ...] = ()
    before: dict[int, str] = field(default_factory=dict)
    after: dict[int, str] = field(default_factory=dict)
    rekeyed: bool = False

    @property
    def changed_anything(self) -> bool:
        """``False`` for a move that left every item where it was."""
        return bool(self.after)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def move_items(db: Database, ids: Sequence[int], anchor: Anchor) -> tuple[Move, Changes]:
    """Move ``ids`` as one block (in their current relative order) to ``anchor``.

    Raises:
        InvalidInput: nothing to move, or the anchor is one of the moved items.
        NotFound: an item or the anchor no longer exists.
    """
    unique = list(dict.fromkeys(ids))
    if not unique:
        msg = "Select the items to move first."
        raise InvalidInput(msg)
    target = anchor.after if anchor.after is not None else anchor.before
    if target is not None and target in unique:
        msg = "Items cannot be moved next to themselves."
        raise InvalidInput(msg)
    with db.transaction() as session:
        move = move_in(session.connection(), unique, anchor)
    return move, Changes.reordered(move.after) if move.changed_anything else Changes()


def raw_connection(conn: Connection) -> sqlite3.Connection:
    """The ``sqlite3`` connection under a SQLAlchemy one, in the same transaction.

    A move runs six small statements; through the driver directly they cost a third of what
    they cost through SQLAlchemy's result machinery, which makes the difference on every drop.
    """
    return cast("sqlite3.Connection", conn.connection.dbapi_connection)


def move_in(session_conn: Connection, ids: Sequence[int], anchor: Anchor) -> Move:
    """The body of :func:`move_items`, inside a caller's transaction (ids already unique)."""
    conn = raw_connection(session_conn)
    unique = list(ids)
    current = _keys_of(conn, unique)
    moved = in_rank_order(current.items())
    low, high = _neighbours(conn, anchor, moved)
    if _already_there(conn, current, moved, low, high):
        return Move()
    keys = block_keys(low, high, len(moved))
    if keys is None:
        before, after = _rekey(conn, moved, anchor)
        rekeyed = True
    else:
        after = dict(zip(moved, keys, strict=True))
        before = {item: current[item] for item in moved}
        rekeyed = False
    _write(conn, after, moved, before)
    return Move(tuple(moved), before, after, rekeyed)


def write_keys(db: Database, keys: dict[int, str], moved: Sequence[int]) -> Changes:
    """Write rank keys back (undo and redo of a move), with a ``moved`` event per moved item.

    Raises:
        NotFound: one of the items no longer exists; nothing was written.
    """
    with db.transaction() as session:
        conn = raw_connection(session.connection())
        present = _keys_of(conn, list(keys))
        _write(conn, keys, list(moved), present)
    return Changes.reordered(keys)


# ---------------------------------------------------------------- reading


def _keys_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            f"SELECT id, rank FROM item WHERE id IN ({_marks(len(chunk))})", tuple(chunk)
        ).fetchall()
        found.update((int(row[0]), str(row[1])) for row in rows)
    missing = [i for i in ids if i not in found]
    if missing:
        msg = f"{len(missing)} of the items to move no longer exist; the list was reloaded."
        raise NotFound(msg)
    return found


def _rank_of(conn: sqlite3.Connection, item: int) -> str:
    row = conn.execute("SELECT rank FROM item WHERE id = ?", (item,)).fetchone()
    if row is None:
        msg = "The item to move next to no longer exists."
        raise NotFound(msg)
    return str(row[0])


def _neighbours(
    conn: sqlite3.Connection, anchor: Anchor, moved: list[int]
) -> tuple[str | None, str | None]:
    """The keys just below and above the landing place, ignoring the moved items."""
    skip = f"id NOT IN ({_marks(len(moved))})"
    # The plain ``rank >= ?`` bound lets SQLite search the rank index; written only as
    # ``rank > ? OR (rank = ? AND id > ?)`` it scans the index, O(n) per move.
    if anchor.after is not None:
        low = _rank_of(conn, anchor.after)
        row = conn.execute(
            f"SELECT rank FROM item WHERE rank >= ? AND (rank > ? OR id > ?) AND {skip} "
            "ORDER BY rank, id LIMIT 1",
            (low, low, anchor.after, *moved),
        ).fetchone()
        return low, None if row is None else str(row[0])
    if anchor.before is not None:
        high = _rank_of(conn, anchor.before)
        row = conn.execute(
            f"SELECT rank FROM item WHERE rank <= ? AND (rank < ? OR id < ?) AND {skip} "
            "ORDER BY rank DESC, id DESC LIMIT 1",
            (high, high, anchor.before, *moved),
        ).fetchone()
        return None if row is None else str(row[0]), high
    row = conn.execute(
        f"SELECT rank FROM item WHERE {skip} ORDER BY rank DESC, id DESC LIMIT 1", tuple(moved)
    ).fetchone()
    return None if row is None else str(row[0]), None


def _already_there(
    conn: sqlite3.Connection,
    current: dict[int, str],
    moved: list[int],
    low: str | None,
    high: str | None,
) -> bool:
    """Whether the block already sits, alone and in order, between the two neighbours."""
    keys = [current[item] for item in moved]
    if len(set(keys)) != len(keys):
        return False
    if (low is not None and keys[0] <= low) or (high is not None and keys[-1] >= high):
        return False
    conditions = [f"id NOT IN ({_marks(len(moved))})"]
    params: list[int | str] = list(moved)
    if low is not None:
        conditions.append("rank > ?")
        params.append(low)
    if high is not None:
        conditions.append("rank < ?")
        params.append(high)
    (between,) = conn.execute(
        f"SELECT count(*) FROM item WHERE {' AND '.join(conditions)}", tuple(params)
    ).fetchone()
    return int(between) == 0


# ---------------------------------------------------------------- writing


def _rekey(
    conn: sqlite3.Connection, moved: list[int], anchor: Anchor
) -> tuple[dict[int, str], dict[int, str]]:
    everything = {int(i): str(k) for i, k in conn.execute("SELECT id, rank FROM item").fetchall()}
    order = reorder(in_rank_order(everything.items()), moved, anchor)
    fresh = fresh_keys(order)
    after = changed_keys(everything, fresh)
    # A moved item is written, with its event, even when its fresh key equals its old one.
    after.update((item, fresh[item]) for item in moved)
    return {item: everything[item] for item in after}, after


def _write(
    conn: sqlite3.Connection, keys: dict[int, str], moved: list[int], old: dict[int, str]
) -> None:
    """Write ``keys``; moved items also get a ``moved`` event and an edit stamp."""
    now = _now()
    moving = [item for item in moved if item in keys]
    chosen = set(moving)
    bookkeeping = [(key, item) for item, key in keys.items() if item not in chosen]
    if bookkeeping:  # re-key rows: no event, updated_at and version untouched
        conn.executemany("UPDATE item SET rank = ? WHERE id = ?", bookkeeping)
    if moving:
        conn.executemany(
            "UPDATE item SET rank = ?, updated_at = ?, version = version + 1 WHERE id = ?",
            [(keys[item], now, item) for item in moving],
        )
        conn.executemany(
            "INSERT INTO item_event (item_id, at, kind, old_value, new_value) "
            "VALUES (?, ?, ?, ?, ?)",
            [(item, now, EventKind.MOVED.value, old.get(item), keys[item]) for item in moving],
        )
