"""The product file's tables as SQLModel classes (the head of the migration history).

Lists and the first screen read through plain SQL in :mod:`queries`; these classes serve the
write path and the migrations. Timestamps are timezone-aware UTC, stored as ISO 8601 text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from cspo_desktop.domain.vocabulary import (
    CriterionState,
    GoalStatus,
    ItemType,
    LinkKind,
    MoSCoW,
    Priority,
    Segment,
    SprintState,
    Status,
)

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp stored as ISO 8601 text (sortable, portable)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        """Store an aware datetime as UTC text."""
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "timestamps must be timezone-aware"
            raise ValueError(msg)
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        """Read UTC text back as an aware datetime."""
        return None if value is None else dt.datetime.fromisoformat(value)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def _in(values: Any, column: str) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


def _stamp(*, nullable: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable))


#: A switch column that is on unless set otherwise (the server default serves raw inserts).
_ON: dict[str, Any] = {"server_default": true()}


class Product(SQLModel, table=True):
    """The one product a file holds, with its vision board and estimation scale."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    key_prefix: str = Field(default="ITEM")
    vision_target_group: str = ""
    vision_needs: str = ""
    vision_product: str = ""
    vision_business_goals: str = ""
    estimation_scale: str = Field(default="fibonacci")
    #: JSON: the allowed values of a custom scale, or the T-shirt size → points table.
    scale_values: str = Field(default="")
    next_item_number: int = Field(default=1)
    created_at: dt.datetime = _stamp()
    updated_at: dt.datetime = _stamp()
    version: int = Field(default=1)
    # Definition of Ready rules (revision 0003): each switch is on by default.
    ready_needs_criteria: bool = Field(default=True, sa_column_kwargs=_ON)
    ready_needs_estimate: bool = Field(default=True, sa_column_kwargs=_ON)
    ready_no_open_questions: bool = Field(default=True, sa_column_kwargs=_ON)
    ready_no_unfinished_dependencies: bool = Field(default=True, sa_column_kwargs=_ON)
    ready_not_blocked: bool = Field(default=True, sa_column_kwargs=_ON)
    #: "Not bigger than N points"; NULL when that rule is off.
    ready_max_points: int | None = Field(default=8, sa_column_kwargs={"server_default": text("8")})
    #: When the Product Owner last pressed *Start refinement* (revision 0004).
    refinement_started_at: dt.datetime | None = _stamp(nullable=True)


class DoneCriterion(SQLModel, table=True):
    """One line of the Definition of Done, in order."""

    __tablename__ = "done_criterion"

    id: int | None = Field(default=None, primary_key=True)
    position: int
    text: str


class ProductGoal(SQLModel, table=True):
    """A product goal, ranked; backlog items trace to one."""

    __tablename__ = "product_goal"
    __table_args__ = (CheckConstraint(_in(GoalStatus, "status"), name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str = ""
    status: str = Field(default=GoalStatus.PROPOSED.value)
    rank: str = Field(index=True)
    created_at: dt.datetime = _stamp()


class Sprint(SQLModel, table=True):
    """A sprint: its goal, dates and state."""

    __table_args__ = (CheckConstraint(_in(SprintState, "state"), name="state"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    goal: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    state: str = Field(default=SprintState.PLANNED.value)
    created_at: dt.datetime = _stamp()


class Item(SQLModel, table=True):
    """A backlog item: epic, story, bug, spike or chore."""

    __table_args__ = (
        CheckConstraint(_in(ItemType, "type"), name="type"),
        CheckConstraint(_in(Status, "status"), name="status"),
        CheckConstraint(_in(Segment, "segment"), name="segment"),
        CheckConstraint("points IS NULL OR points >= 0", name="points"),
        CheckConstraint("length(rank) > 0", name="rank"),
        CheckConstraint(f"moscow IS NULL OR {_in(MoSCoW, 'moscow')}", name="moscow"),
        CheckConstraint(f"priority IS NULL OR {_in(Priority, 'priority')}", name="priority"),
        # Revision 0005: a re-import finds its items by the source's key.
        Index("ix_item_external_source", "external_source", "external_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    type: str = Field(default=ItemType.STORY.value)
    title: str
    description: str = ""
    status: str = Field(default=Status.TODO.value)
    rank: str = Field(index=True)
    segment: str = Field(default=Segment.BACKLOG.value)
    sprint_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("sprint.id", ondelete="SET NULL"), index=True),
    )
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("item.id", ondelete="SET NULL"), index=True),
    )
    goal_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("product_goal.id", ondelete="SET NULL")),
    )
    points: float | None = None
    business_value: int | None = None
    #: JSON array of label strings, as typed.
    labels: str = Field(default="[]")
    blocked: bool = False
    blocked_note: str = ""
    external_source: str | None = None
    external_key: str | None = None
    created_at: dt.datetime = _stamp()
    updated_at: dt.datetime = _stamp()
    version: int = Field(default=1)
    # Revision 0004: MoSCoW class and the tracker's priority (not the rank).
    moscow: str | None = None
    priority: str | None = None


class AcceptanceCriterion(SQLModel, table=True):
    """One acceptance criterion of an item, in order, with its review state."""

    __tablename__ = "acceptance_criterion"
    __table_args__ = (CheckConstraint(_in(CriterionState, "review_state"), name="review_state"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    position: int
    text: str
    review_state: str = Field(default=CriterionState.UNCHECKED.value)


class ItemEvent(SQLModel, table=True):
    """One entry of the append-only item history; it outlives the item it describes."""

    __tablename__ = "item_event"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(index=True)
    at: dt.datetime = _stamp()
    kind: str
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    sprint_id: int | None = None


def _item_fk(*, index: bool = True) -> Any:
    return Field(
        sa_column=Column(
            Integer, ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=index
        )
    )


class Question(SQLModel, table=True):
    """A team question about an item; open while it has no ``answered_at``."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = _item_fk()
    position: int
    text: str
    asked_by: str = ""
    answer: str = ""
    answered_at: dt.datetime | None = _stamp(nullable=True)
    created_at: dt.datetime = _stamp()


class ItemLink(SQLModel, table=True):
    """``item_id`` depends on (or was split from) ``other_id``; it goes with either item."""

    __tablename__ = "item_link"
    __table_args__ = (
        CheckConstraint(_in(LinkKind, "kind"), name="kind"),
        CheckConstraint("item_id <> other_id", name="not_self"),
        UniqueConstraint("item_id", "other_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = _item_fk()
    other_id: int = _item_fk()
    kind: str = Field(default=LinkKind.DEPENDS_ON.value)
    created_at: dt.datetime = _stamp()


class ImportRecord(SQLModel, table=True):
    """What a tracker said about an imported item when it was last imported (JSON ``base``)."""

    __tablename__ = "import_record"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("item.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    source: str
    external_key: str
    base: str = Field(sa_column=Column(Text, nullable=False))
    imported_at: dt.datetime = _stamp()
