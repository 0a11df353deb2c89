"""The words of the product: item types, statuses, segments and the vision board fields."""

from __future__ import annotations

import enum


class ItemType(enum.StrEnum):
    """What kind of backlog item something is."""

    EPIC = "epic"
    STORY = "story"
    BUG = "bug"
    SPIKE = "spike"
    CHORE = "chore"


class Status(enum.StrEnum):
    """Where an item is in its flow; trackers' many statuses fold into these three."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


STATUS_LABELS: dict[str, str] = {
    Status.TODO: "To do",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done",
}


class Segment(enum.StrEnum):
    """The Inbox holds items not yet accepted into the backlog."""

    INBOX = "inbox"
    BACKLOG = "backlog"


class SprintState(enum.StrEnum):
    """The life of a sprint."""

    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class GoalStatus(enum.StrEnum):
    """The life of a product goal."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"


class CriterionState(enum.StrEnum):
    """Review state of one acceptance criterion."""

    UNCHECKED = "unchecked"
    PASS = "pass"
    FAIL = "fail"


class MoSCoW(enum.StrEnum):
    """MoSCoW classes: must, should, could, won't (this time)."""

    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"


MOSCOW_LABELS: dict[str, str] = {
    MoSCoW.MUST: "Must",
    MoSCoW.SHOULD: "Should",
    MoSCoW.COULD: "Could",
    MoSCoW.WONT: "Won't",
}


class Priority(enum.StrEnum):
    """A tracker's priority (Jira, Azure DevOps): kept for round-trips, not the rank."""

    HIGHEST = "highest"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    LOWEST = "lowest"


class LinkKind(enum.StrEnum):
    """How one item relates to another."""

    #: The item cannot be finished before the other one.
    DEPENDS_ON = "depends_on"
    #: The item was split off the other one.
    SPLIT_FROM = "split_from"


class EventKind(enum.StrEnum):
    """Kinds of entries in the append-only item history.

    ``status``, ``sprint``, ``points`` and ``moved`` carry old and new values that charts
    and "what changed since" read; ``edited`` names the field in ``new_value``.
    """

    CREATED = "created"
    STATUS = "status"
    SPRINT = "sprint"
    POINTS = "points"
    SCOPE = "scope"
    MOVED = "moved"
    DELETED = "deleted"
    RESTORED = "restored"
    TITLE = "title"
    SEGMENT = "segment"
    EDITED = "edited"
    SPLIT = "split"


#: The four panes of the product vision board, in reading order, with their labels and hints.
VISION_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("vision_target_group", "Target group", "Which market or segment does the product address?"),
    ("vision_needs", "Needs", "What problem does it solve? What benefit does it provide?"),
    ("vision_product", "Product", "What product is it? What makes it stand out?"),
    ("vision_business_goals", "Business goals", "How will the company benefit from it?"),
)

VISION_LABELS: dict[str, str] = {name: label for name, label, _hint in VISION_FIELDS}
