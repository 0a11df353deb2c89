"""Every read query behind a list view or the first screen, as plain portable SQL.

They run on the standard library ``sqlite3`` connection, so the first window paints before
SQLAlchemy is imported; the SQL avoids SQLite-only syntax so the same text can later run
through SQLAlchemy on PostgreSQL. Rows come back as tuples or named tuples (this module loads
before the first paint, where making a dataclass costs about a millisecond).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from cspo_desktop.domain.errors import NotFound
from cspo_desktop.domain.vocabulary import ItemType, Status

if TYPE_CHECKING:
    from cspo_desktop.domain.readiness import ReadyRules


class ProductSummary(NamedTuple):
    """What the Product page and the window title show."""

    name: str
    key_prefix: str
    vision_target_group: str
    vision_needs: str
    vision_product: str
    vision_business_goals: str
    estimation_scale: str
    item_count: int
    goal_count: int


PRODUCT_SQL = """
SELECT name, key_prefix, vision_target_group, vision_needs, vision_product,
       vision_business_goals, estimation_scale,
       (SELECT count(*) FROM item), (SELECT count(*) FROM product_goal)
FROM product ORDER BY id LIMIT 1
"""


def product_summary(conn: sqlite3.Connection) -> ProductSummary:
    """Read the product's name, vision board and counts."""
    row = conn.execute(PRODUCT_SQL).fetchone()
    if row is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    return ProductSummary(*row)


#: Columns of the backlog list, in the order the rows carry them.
BACKLOG_COLUMNS: tuple[str, ...] = (
    "id",
    "key",
    "type",
    "title",
    "points",
    "business_value",
    "status",
    "segment",
    "blocked",
    "labels",
    "sprint",
    "parent",
    "goal",
    "external_key",
    "epic",
    "rank",
    "description",
    "updated_at",
    "criteria",
    "moscow",
    "open_questions",
    "unfinished_dependencies",
    "parent_id",
    "goal_id",
)

_TYPE, _STATUS, _POINTS, _BLOCKED, _CRITERIA, _QUESTIONS, _DEPENDENCIES = (
    BACKLOG_COLUMNS.index(name)
    for name in (
        "type",
        "status",
        "points",
        "blocked",
        "criteria",
        "open_questions",
        "unfinished_dependencies",
    )
)

BACKLOG_SQL = """
SELECT i.id, i.key, i.type, i.title, i.points, i.business_value, i.status, i.segment,
       i.blocked, i.labels, s.name, p.key, g.title, i.external_key, p.title, i.rank,
       i.description, i.updated_at,
       (SELECT count(*) FROM acceptance_criterion AS ac WHERE ac.item_id = i.id),
       i.moscow,
       (SELECT count(*) FROM question AS q WHERE q.item_id = i.id AND q.answered_at IS NULL),
       (SELECT count(*) FROM item_link AS l JOIN item AS o ON o.id = l.other_id
        WHERE l.item_id = i.id AND l.kind = 'depends_on' AND o.status <> 'done'),
       i.parent_id, i.goal_id
FROM item AS i
LEFT JOIN sprint AS s ON s.id = i.sprint_id
LEFT JOIN item AS p ON p.id = i.parent_id
LEFT JOIN product_goal AS g ON g.id = i.goal_id
ORDER BY i.rank, i.id
"""
#: Per-item counts are correlated sub-queries on indexed columns, so reading only the top
#: of the list (``LIMIT``) costs only those rows.


def backlog_rows(conn: sqlite3.Connection, limit: int | None = None) -> list[tuple[Any, ...]]:
    """Items in rank order (the first ``limit``, or all), as tuples of :data:`BACKLOG_COLUMNS`."""
    if limit is None:
        return conn.execute(BACKLOG_SQL).fetchall()
    return conn.execute(f"{BACKLOG_SQL} LIMIT ?", (limit,)).fetchall()


def backlog_json(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every item in rank order as plain dictionaries, for ``cspo backlog --json``.

    ``labels`` is a list of strings even when the stored value is not one: text that is not
    JSON becomes one label, JSON that is not a list of strings becomes its text as one label.
    """
    import json

    def labels_of(raw: object) -> list[str]:
        if raw is None or raw == "":
            return []
        try:
            value = json.loads(str(raw))
        except ValueError:
            return [str(raw)]
        if isinstance(value, list) and all(isinstance(label, str) for label in value):
            return value
        return [str(raw)]

    from cspo_desktop.domain.readiness import ReadyRules

    rules = ReadyRules.from_row(ready_rules_row(conn))
    out: list[dict[str, Any]] = []
    for position, row in enumerate(backlog_rows(conn), start=1):
        record = dict(zip(BACKLOG_COLUMNS, row, strict=True))
        reasons = readiness_of(rules, row)
        out.append(
            {
                "position": position,
                "key": record["key"],
                "external_key": record["external_key"],
                "type": record["type"],
                "title": record["title"],
                "points": record["points"],
                "business_value": record["business_value"],
                "status": record["status"],
                "segment": record["segment"],
                "blocked": bool(record["blocked"]),
                "labels": labels_of(record["labels"]),
                "sprint": record["sprint"],
                "parent": record["parent"],
                "goal": record["goal"],
                "moscow": record["moscow"],
                "open_questions": record["open_questions"],
                "ready": reasons is not None and not reasons,
                "not_ready_because": reasons or [],
            }
        )
    return out


def readiness_of(rules: ReadyRules, row: Sequence[Any]) -> list[str] | None:
    """Why a backlog row is not ready (empty: ready); ``None`` for epics and done items."""
    from cspo_desktop.domain.readiness import ItemFacts, reasons_not_ready

    if row[_TYPE] == ItemType.EPIC or row[_STATUS] == Status.DONE:
        return None
    facts = ItemFacts(
        criteria=int(row[_CRITERIA]),
        points=row[_POINTS],
        open_questions=int(row[_QUESTIONS]),
        unfinished_dependencies=int(row[_DEPENDENCIES]),
        blocked=bool(row[_BLOCKED]),
    )
    return reasons_not_ready(rules, facts)


def item_count(conn: sqlite3.Connection) -> int:
    """How many items the product holds."""
    return int(conn.execute("SELECT count(*) FROM item").fetchone()[0])


# ---------------------------------------------------------------- Product page editors
# Product goals, the Definition of Done and Ready, the estimation scale. The rules and the
# scale come back as raw columns; ``domain.readiness.ReadyRules.from_row`` and
# ``domain.estimation.EstimationScale.from_stored`` read them.


class GoalRow(NamedTuple):
    """One product goal as the goals list shows it."""

    id: int
    title: str
    status: str
    rank: str
    item_count: int


GOALS_SQL = """
SELECT g.id, g.title, g.status, g.rank, coalesce(c.items, 0)
FROM product_goal AS g
LEFT JOIN (SELECT goal_id, count(*) AS items FROM item
           WHERE goal_id IS NOT NULL GROUP BY goal_id) AS c ON c.goal_id = g.id
ORDER BY g.rank, g.id
"""


def product_goals(conn: sqlite3.Connection) -> list[GoalRow]:
    """Every product goal in rank order, with how many items trace to it."""
    return [GoalRow(*row) for row in conn.execute(GOALS_SQL)]


class DoneRow(NamedTuple):
    """One line of the Definition of Done."""

    id: int
    position: int
    text: str


def done_criteria(conn: sqlite3.Connection) -> list[DoneRow]:
    """The Definition of Done, in order."""
    sql = "SELECT id, position, text FROM done_criterion ORDER BY position, id"
    return [DoneRow(*row) for row in conn.execute(sql)]


READY_RULES_SQL = """
SELECT ready_needs_criteria, ready_needs_estimate, ready_max_points, ready_no_open_questions,
       ready_no_unfinished_dependencies, ready_not_blocked
FROM product ORDER BY id LIMIT 1
"""


def ready_rules_row(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """The Definition of Ready columns, in ``ReadyRules`` field order."""
    row = conn.execute(READY_RULES_SQL).fetchone()
    if row is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    return tuple(row)


def estimation_scale_row(conn: sqlite3.Connection) -> tuple[str, str]:
    """The estimation scale's kind and its stored values (JSON text)."""
    sql = "SELECT estimation_scale, scale_values FROM product ORDER BY id LIMIT 1"
    row = conn.execute(sql).fetchone()
    if row is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    return str(row[0]), str(row[1])
