"""The reads behind the item detail panel, as plain portable SQL (see :mod:`queries`).

One item with its acceptance criteria, questions and links; its history, newest first; the
choices the panel's pickers offer (epics, goals, items to depend on); and the one-line
sentence the history list shows for each event.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from cspo_desktop.domain.errors import NotFound
from cspo_desktop.domain.vocabulary import STATUS_LABELS, EventKind, Segment


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One acceptance criterion, in order, with its review state."""

    id: int
    position: int
    text: str
    review_state: str


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """One question of the team; open while it has no ``answered_at``."""

    id: int
    position: int
    text: str
    asked_by: str
    answer: str
    answered_at: str | None

    @property
    def is_open(self) -> bool:
        """Whether the question still waits for an answer."""
        return self.answered_at is None


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A link between the shown item and another one.

    Attributes:
        id: the link's id (what removing it needs).
        kind: ``depends_on`` or ``split_from``.
        other_id: the item at the other end.
        other_key: its key, such as ``PB-12``.
        other_title: its title.
        other_status: its status.
        outgoing: ``True`` when the shown item depends on (or was split from) the other one,
            ``False`` when the other one depends on (or was split from) the shown item.
    """

    id: int
    kind: str
    other_id: int
    other_key: str
    other_title: str
    other_status: str
    outgoing: bool


@dataclass(frozen=True, slots=True)
class EventRow:
    """One entry of an item's history."""

    at: str
    kind: str
    old_value: str | None
    new_value: str | None


@dataclass(frozen=True, slots=True)
class ItemDetail:
    """Everything the item detail panel shows about one item."""

    id: int
    key: str
    type: str
    title: str
    description: str
    status: str
    segment: str
    points: float | None
    business_value: int | None
    moscow: str | None
    priority: str | None
    labels: tuple[str, ...]
    parent_id: int | None
    parent_key: str | None
    parent_title: str | None
    goal_id: int | None
    goal_title: str | None
    blocked: bool
    blocked_note: str
    sprint_name: str | None
    external_source: str | None
    external_key: str | None
    created_at: str
    updated_at: str
    criteria: tuple[CriterionRow, ...]
    questions: tuple[QuestionRow, ...]
    links: tuple[LinkRow, ...]


def parse_labels(raw: object) -> tuple[str, ...]:
    """Read stored labels tolerantly: JSON that is not a list of strings becomes one label."""
    if raw is None or raw == "":
        return ()
    try:
        value = json.loads(str(raw))
    except ValueError:
        return (str(raw),)
    if isinstance(value, list) and all(isinstance(label, str) for label in value):
        return tuple(value)
    return (str(raw),)


ITEM_SQL = """
SELECT i.id, i.key, i.type, i.title, i.description, i.status, i.segment, i.points,
       i.business_value, i.moscow, i.priority, i.labels, i.parent_id, p.key, p.title,
       i.goal_id, g.title, i.blocked, i.blocked_note, s.name, i.external_source,
       i.external_key, i.created_at, i.updated_at
FROM item AS i
LEFT JOIN item AS p ON p.id = i.parent_id
LEFT JOIN product_goal AS g ON g.id = i.goal_id
LEFT JOIN sprint AS s ON s.id = i.sprint_id
WHERE i.id = ?
"""

CRITERIA_SQL = """
SELECT id, position, text, review_state FROM acceptance_criterion
WHERE item_id = ? ORDER BY position, id
"""

QUESTIONS_SQL = """
SELECT id, position, text, asked_by, answer, answered_at FROM question
WHERE item_id = ? ORDER BY position, id
"""

LINKS_SQL = """
SELECT l.id, l.kind, o.id, o.key, o.title, o.status, 1, o.rank
FROM item_link AS l JOIN item AS o ON o.id = l.other_id
WHERE l.item_id = ?
UNION ALL
SELECT l.id, l.kind, o.id, o.key, o.title, o.status, 0, o.rank
FROM item_link AS l JOIN item AS o ON o.id = l.item_id
WHERE l.other_id = ?
ORDER BY 7 DESC, 2, 8, 1
"""


def item_detail(conn: sqlite3.Connection, item_id: int) -> ItemDetail:
    """Read one item with its criteria, questions and links.

    Raises:
        NotFound: the item no longer exists.
    """
    row = conn.execute(ITEM_SQL, (item_id,)).fetchone()
    if row is None:
        msg = "That item no longer exists; it may have been deleted."
        raise NotFound(msg)
    (
        id_,
        key,
        type_,
        title,
        description,
        status,
        segment,
        points,
        business_value,
        moscow,
        priority,
        labels,
        parent_id,
        parent_key,
        parent_title,
        goal_id,
        goal_title,
        blocked,
        blocked_note,
        sprint_name,
        external_source,
        external_key,
        created_at,
        updated_at,
    ) = row
    criteria = tuple(CriterionRow(*r) for r in conn.execute(CRITERIA_SQL, (item_id,)))
    questions = tuple(QuestionRow(*r) for r in conn.execute(QUESTIONS_SQL, (item_id,)))
    links = tuple(
        LinkRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]))
        for r in conn.execute(LINKS_SQL, (item_id, item_id))
    )
    return ItemDetail(
        id=int(id_),
        key=key,
        type=type_,
        title=title,
        description=description,
        status=status,
        segment=segment,
        points=None if points is None else float(points),
        business_value=None if business_value is None else int(business_value),
        moscow=moscow,
        priority=priority,
        labels=parse_labels(labels),
        parent_id=parent_id,
        parent_key=parent_key,
        parent_title=parent_title,
        goal_id=goal_id,
        goal_title=goal_title,
        blocked=bool(blocked),
        blocked_note=blocked_note,
        sprint_name=sprint_name,
        external_source=external_source,
        external_key=external_key,
        created_at=str(created_at),
        updated_at=str(updated_at),
        criteria=criteria,
        questions=questions,
        links=links,
    )


def item_history(conn: sqlite3.Connection, item_id: int) -> list[EventRow]:
    """Every history entry of an item, newest first (it outlives a deleted item)."""
    sql = (
        "SELECT at, kind, old_value, new_value FROM item_event "
        "WHERE item_id = ? ORDER BY at DESC, id DESC"
    )
    return [EventRow(str(r[0]), r[1], r[2], r[3]) for r in conn.execute(sql, (item_id,))]


def epic_choices(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """The epics an item can belong to: (id, key, title), in rank order."""
    # ``+rank``: scan the table and sort the few epics, not walk the rank index past every item.
    sql = "SELECT id, key, title FROM item WHERE type = 'epic' ORDER BY +rank, id"
    return [(int(r[0]), r[1], r[2]) for r in conn.execute(sql)]


def goal_choices(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """The product goals an item can trace to: (id, title), in rank order."""
    sql = "SELECT id, title FROM product_goal ORDER BY rank, id"
    return [(int(r[0]), r[1]) for r in conn.execute(sql)]


def search_items(
    conn: sqlite3.Connection, text: str, *, exclude: int | None = None, limit: int = 20
) -> list[tuple[int, str, str, str]]:
    """Items whose key or title contains ``text`` (any case): (id, key, title, status).

    In backlog rank order, at most ``limit`` of them, leaving out the item ``exclude``. Blank
    text matches every item. Case folding covers every script Python lower-cases.
    """
    needle = text.strip().casefold()
    sql = "SELECT id, key, title, status FROM item WHERE id <> ? ORDER BY rank, id"
    skip = -1 if exclude is None else exclude
    found: list[tuple[int, str, str, str]] = []
    if limit <= 0:
        return found
    # A key typed in full comes first, however far down the list its item is.
    exact = "SELECT id, key, title, status FROM item WHERE id <> ? AND key = ? COLLATE NOCASE"
    for row in conn.execute(exact, (skip, text.strip())):
        found.append((int(row[0]), row[1], row[2], row[3]))
    for row in conn.execute(sql, (skip,)):
        if found and int(row[0]) == found[0][0] and str(found[0][1]).casefold() == needle:
            continue
        if needle in str(row[1]).casefold() or needle in str(row[2]).casefold():
            found.append((int(row[0]), row[1], row[2], row[3]))
            if len(found) >= limit:
                break
    return found


_EDITED: dict[str, str] = {
    "type": "Type changed",
    "description": "Description edited",
    "business_value": "Business value changed",
    "moscow": "MoSCoW class changed",
    "priority": "Priority changed",
    "labels": "Labels changed",
    "parent_id": "Epic changed",
    "goal_id": "Product goal changed",
    "blocked": "Blocked state changed",
    "blocked_note": "Blocked note edited",
    "criteria": "Acceptance criteria edited",
    "questions": "Questions edited",
    "dependencies": "Dependencies changed",
}


def _status(value: str | None) -> str:
    return STATUS_LABELS.get(value or "", value or "none")


def _points_sentence(old: str | None, new: str | None) -> str:
    def unit(points: str) -> str:
        return f"{points} point" if points == "1" else f"{points} points"

    if not old and not new:
        return "Estimate changed"
    if not old:
        return f"Estimated at {unit(str(new))}"
    if not new:
        return f"Estimate removed (was {unit(old)})"
    return f"Estimate: {old} → {unit(new)}"


def _sprint_sentence(old: str | None, new: str | None) -> str:
    if new and old:
        return f"Moved from sprint {old} to sprint {new}"
    if new:
        return f"Added to sprint {new}"
    if old:
        return f"Taken out of sprint {old}"
    return "Sprint changed"


def _segment_sentence(old: str | None, new: str | None) -> str:
    if new == Segment.INBOX:
        return "Moved to the Inbox"
    return "Accepted into the backlog" if old == Segment.INBOX else "Moved to the backlog"


def _edited_sentence(_old: str | None, new: str | None) -> str:
    field = new or ""
    if field in _EDITED:
        return _EDITED[field]
    words = field.replace("_", " ").strip()
    return f"{words[:1].upper()}{words[1:]} edited" if words else "Edited"


_FIXED: dict[str, str] = {
    EventKind.CREATED: "Created",
    EventKind.MOVED: "Moved in the ranking",
    EventKind.TITLE: "Title changed",
    EventKind.DELETED: "Deleted",
    EventKind.RESTORED: "Restored",
    EventKind.SCOPE: "Joined the sprint after it had started",
}

_SENTENCES: dict[str, Callable[[str | None, str | None], str]] = {
    EventKind.STATUS: lambda old, new: f"Status: {_status(old)} → {_status(new)}",
    EventKind.POINTS: _points_sentence,
    EventKind.SPRINT: _sprint_sentence,
    EventKind.SEGMENT: _segment_sentence,
    EventKind.SPLIT: lambda _old, new: f"Split into {new}" if new else "Split",
    EventKind.EDITED: _edited_sentence,
}


def describe_event(row: EventRow) -> str:
    """One line for the history list: ``Status: To do → In progress``, ``Split into PB-12``."""
    if row.kind in _FIXED:
        return _FIXED[row.kind]
    if row.kind in _SENTENCES:
        return _SENTENCES[row.kind](row.old_value, row.new_value)
    return str(row.kind).replace("_", " ").capitalize() or "Changed"
