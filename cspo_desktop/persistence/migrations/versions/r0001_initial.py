"""First schema: product, vision, goals, Definition of Done, sprints, items, criteria, history.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _stamp(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def upgrade() -> None:
    """Create every table of the first version."""
    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("key_prefix", sa.String(), nullable=False),
        sa.Column("vision_target_group", sa.String(), nullable=False),
        sa.Column("vision_needs", sa.String(), nullable=False),
        sa.Column("vision_product", sa.String(), nullable=False),
        sa.Column("vision_business_goals", sa.String(), nullable=False),
        sa.Column("estimation_scale", sa.String(), nullable=False),
        sa.Column("scale_values", sa.String(), nullable=False),
        sa.Column("next_item_number", sa.Integer(), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
    )
    op.create_table(
        "done_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_done_criterion")),
    )
    op.create_table(
        "product_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("rank", sa.String(), nullable=False),
        _stamp("created_at"),
        sa.CheckConstraint(
            "status IN ('proposed', 'active', 'achieved', 'abandoned')",
            name=op.f("ck_product_goal_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_goal")),
    )
    op.create_index(op.f("ix_product_goal_rank"), "product_goal", ["rank"])
    op.create_table(
        "sprint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("goal", sa.String(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("state", sa.String(), nullable=False),
        _stamp("created_at"),
        sa.CheckConstraint(
            "state IN ('planned', 'active', 'closed')", name=op.f("ck_sprint_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sprint")),
    )
    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("rank", sa.String(), nullable=False),
        sa.Column("segment", sa.String(), nullable=False),
        sa.Column("sprint_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("business_value", sa.Integer(), nullable=True),
        sa.Column("labels", sa.String(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("blocked_note", sa.String(), nullable=False),
        sa.Column("external_source", sa.String(), nullable=True),
        sa.Column("external_key", sa.String(), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sprint_id"], ["sprint.id"], name=op.f("fk_item_sprint_id_sprint"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["item.id"], name=op.f("fk_item_parent_id_item"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["product_goal.id"],
            name=op.f("fk_item_goal_id_product_goal"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.UniqueConstraint("key", name=op.f("uq_item_key")),
    )
    op.create_index(op.f("ix_item_rank"), "item", ["rank"])
    op.create_index(op.f("ix_item_sprint_id"), "item", ["sprint_id"])
    op.create_index(op.f("ix_item_parent_id"), "item", ["parent_id"])
    op.create_table(
        "acceptance_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("review_state", sa.String(), nullable=False),
        sa.CheckConstraint(
            "review_state IN ('unchecked', 'pass', 'fail')",
            name=op.f("ck_acceptance_criterion_review_state"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["item.id"],
            name=op.f("fk_acceptance_criterion_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_criterion")),
    )
    op.create_index(op.f("ix_acceptance_criterion_item_id"), "acceptance_criterion", ["item_id"])
    op.create_table(
        "item_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        _stamp("at"),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("sprint_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_event")),
    )
    op.create_index(op.f("ix_item_event_item_id"), "item_event", ["item_id"])


def downgrade() -> None:
    """Product files are never downgraded; a newer file is refused instead."""
    raise NotImplementedError
