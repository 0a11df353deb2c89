"""Deleting items with everything that hangs off them, and putting it all back on undo.

What hangs off an item is found from the schema itself (``PRAGMA foreign_key_list``): rows
deleted by ``ON DELETE CASCADE`` (acceptance criteria, questions, links) are kept whole,
links cleared by ``ON DELETE SET NULL`` (a child's parent epic) are remembered. The history
(``item_event``) is never deleted: it gains a ``deleted`` entry, and a ``restored`` one on
undo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.vocabulary import EventKind
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.rows import Row, insert_rows, links_to_item, marks, rows_where


@dataclass(frozen=True, slots=True)
class Removed:
    """Everything a deletion took away, enough to put it back exactly.

    Attributes:
        items: the deleted item rows, every column.
        cascaded: rows of other tables deleted with them, by table.
        cleared: links set to NULL by the deletion: (table, column) → [(row id, old value)].
    """

    items: list[Row] = field(default_factory=list)
    cascaded: dict[str, list[Row]] = field(default_factory=dict)
    cleared: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        """How many rows of ``table`` went with the items."""
        return len(self.cascaded.get(table, []))

    def children(self) -> int:
        """How many items lost their parent link."""
        return sum(len(rows) for (table, _c), rows in self.cleared.items() if table == "item")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def delete_items(db: Database, ids: Sequence[int]) -> tuple[Removed, Changes]:
    """Delete items with their criteria and links, in one transaction.

    Raises:
        InvalidInput: nothing to delete.
        NotFound: one of the items no longer exists; nothing was deleted.
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        msg = "Select the items to delete first."
        raise InvalidInput(msg)
    with db.transaction() as session:
        conn = session.connection()
        items = rows_where(conn, "item", "id", wanted)
        if len(items) != len(wanted):
            msg = "Some of these items were already deleted; the list was reloaded."
            raise NotFound(msg)
        removed = Removed(items=items)
        for table, column, on_delete in links_to_item(conn):
            if on_delete == "CASCADE":  # a table may point at items twice (item_link)
                rows = removed.cascaded.setdefault(table, [])
                seen = {r["id"] for r in rows}
                rows.extend(
                    r for r in rows_where(conn, table, column, wanted) if r["id"] not in seen
                )
            elif on_delete == "SET NULL":
                kept = [r for r in rows_where(conn, table, column, wanted) if r["id"] not in wanted]
                removed.cleared[(table, column)] = [(int(r["id"]), int(r[column])) for r in kept]
        now = _now()
        conn.exec_driver_sql(
            "INSERT INTO item_event (item_id, at, kind, old_value) VALUES (?, ?, ?, ?)",
            [(r["id"], now, EventKind.DELETED.value, r["title"]) for r in items],
        )
        conn.exec_driver_sql(f"DELETE FROM item WHERE id IN ({marks(len(wanted))})", tuple(wanted))
    return removed, Changes.of(Entity.ITEM, *wanted) | Changes.of(Entity.CRITERION)


def restore_items(db: Database, removed: Removed) -> Changes:
    """Put deleted items back exactly as they were, with their criteria and links.

    Raises:
        InvalidInput: an item's key or id is taken again (it cannot come back as it was).
    """
    with db.transaction() as session:
        conn = session.connection()
        insert_rows(conn, "item", removed.items)
        for table, rows in removed.cascaded.items():
            insert_rows(conn, table, rows)
        for (table, column), links in removed.cleared.items():
            if not links:  # an empty executemany would run the statement once, unbound
                continue
            conn.exec_driver_sql(
                f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?',
                [(value, row) for row, value in links],
            )
        conn.exec_driver_sql(
            "INSERT INTO item_event (item_id, at, kind, new_value) VALUES (?, ?, ?, ?)",
            [(r["id"], _now(), EventKind.RESTORED.value, r["title"]) for r in removed.items],
        )
    ids = [int(r["id"]) for r in removed.items]
    return Changes.of(Entity.ITEM, *ids) | Changes.of(Entity.CRITERION)
