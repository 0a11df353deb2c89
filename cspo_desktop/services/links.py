"""Links between items: "depends on", which may never go round in a circle.

Adding or removing a link marks the depending item as edited and writes an ``edited`` history
entry naming ``dependencies`` (``links`` for a "split from" link).
"""

from __future__ import annotations

from collections import deque

from sqlalchemy import Connection

from cspo_desktop.domain.errors import Conflict, InvalidInput, NotFound
from cspo_desktop.domain.vocabulary import LinkKind
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.details import load_item, now_text, touch_item

WHAT = "dependencies"


def _path(conn: Connection, start: int, goal: int) -> list[int] | None:
    """The shortest chain of "depends on" links from ``start`` to ``goal``, if there is one."""
    sql = "SELECT item_id, other_id FROM item_link WHERE kind = ?"
    edges: dict[int, list[int]] = {}
    for item, other in conn.exec_driver_sql(sql, (LinkKind.DEPENDS_ON.value,)):
        edges.setdefault(int(item), []).append(int(other))
    came_from: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (previous := came_from[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        for nxt in edges.get(node, []):
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return None


def _keys(conn: Connection, ids: list[int]) -> dict[int, str]:
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT id, key FROM item WHERE id IN ({marks})"
    return {int(r[0]): str(r[1]) for r in conn.exec_driver_sql(sql, tuple(ids))}


def add_dependency(db: Database, item_id: int, other_id: int) -> tuple[int, Changes]:
    """Record that ``item_id`` depends on ``other_id`` (cannot be finished before it).

    Returns:
        The new link's id and what changed.

    Raises:
        InvalidInput: an item depending on itself, or a link that would close a circle of
            dependencies (the message names the circle by item keys).
        NotFound: one of the items no longer exists.
        Conflict: the dependency is already there.
    """
    if item_id == other_id:
        msg = "An item cannot depend on itself."
        raise InvalidInput(msg)
    with db.transaction() as session:
        conn = session.connection()
        item = load_item(conn, item_id)
        other = load_item(conn, other_id)
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM item_link WHERE item_id = ? AND other_id = ? AND kind = ?",
            (item_id, other_id, LinkKind.DEPENDS_ON.value),
        ).first()
        if exists is not None:
            msg = f"{item['key']} already depends on {other['key']}."
            raise Conflict(msg)
        chain = _path(conn, other_id, item_id)
        if chain is not None:
            keys = _keys(conn, chain)
            circle = " → ".join([item["key"], *(keys[i] for i in chain)])
            msg = (
                f"{item['key']} cannot depend on {other['key']}: {other['key']} already "
                f"depends on {item['key']}, and the dependencies would go round in a circle "
                f"({circle})."
            )
            raise InvalidInput(msg)
        result = conn.exec_driver_sql(
            "INSERT INTO item_link (item_id, other_id, kind, created_at) VALUES (?, ?, ?, ?)",
            (item_id, other_id, LinkKind.DEPENDS_ON.value, now_text()),
        )
        link_id = result.lastrowid
        assert link_id is not None
        touch_item(conn, item_id, WHAT)
    return int(link_id), Changes.of(Entity.ITEM, item_id, other_id)


def remove_link(db: Database, link_id: int) -> Changes:
    """Remove a link between two items.

    Raises:
        NotFound: the link no longer exists.
    """
    with db.transaction() as session:
        conn = session.connection()
        row = conn.exec_driver_sql(
            "SELECT item_id, other_id, kind FROM item_link WHERE id = ?", (link_id,)
        ).first()
        if row is None:
            msg = "That link no longer exists; it may have been removed already."
            raise NotFound(msg)
        item_id, other_id, kind = int(row[0]), int(row[1]), str(row[2])
        conn.exec_driver_sql("DELETE FROM item_link WHERE id = ?", (link_id,))
        touch_item(conn, item_id, WHAT if kind == LinkKind.DEPENDS_ON else "links")
    return Changes.of(Entity.ITEM, item_id, other_id)
