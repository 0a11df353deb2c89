"""Whole rows of any table, read and written generically: what deletions and undo put back.

Which tables hang off an item is read from the schema itself (``PRAGMA foreign_key_list``),
so a table added later (reviews, feedback, votes) is carried along without new code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from cspo_desktop.domain.errors import InvalidInput

Row = dict[str, Any]


def marks(count: int) -> str:
    """``?, ?, ?`` for ``count`` parameters."""
    return ", ".join("?" * count)


def links_to_item(conn: Connection) -> list[tuple[str, str, str]]:
    """(table, column, on delete) of every foreign key pointing at ``item.id``."""
    tables = [
        r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    links = []
    for table in tables:
        for fk in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').mappings():
            if fk["table"] == "item" and fk["to"] in (None, "id"):
                links.append((table, str(fk["from"]), str(fk["on_delete"]).upper()))
    return links


def rows_where(conn: Connection, table: str, column: str, ids: Sequence[int]) -> list[Row]:
    """Every row of ``table`` whose ``column`` is one of ``ids``, all columns, by id."""
    found: list[Row] = []
    for start in range(0, len(ids), 500):
        chunk = tuple(ids[start : start + 500])
        result = conn.exec_driver_sql(
            f'SELECT * FROM "{table}" WHERE "{column}" IN ({marks(len(chunk))}) ORDER BY id',
            chunk,
        )
        found.extend(dict(row) for row in result.mappings())
    return found


def insert_rows(conn: Connection, table: str, rows: Sequence[Row]) -> None:
    """Insert whole rows (ids included) back into ``table``.

    Raises:
        InvalidInput: a row's id, key or link target is taken or gone since.
    """
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    try:
        conn.exec_driver_sql(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks(len(columns))})',
            [tuple(row[c] for c in columns) for row in rows],
        )
    except IntegrityError as exc:
        msg = "These items cannot come back: their place was taken by a later change."
        raise InvalidInput(msg) from exc
