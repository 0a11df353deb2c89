"""Item details: team questions, links between items, MoSCoW and tracker priority.

- ``question``: the team's questions about an item (asked by, answer; open while
  ``answered_at`` is NULL). Open questions keep an item from being ready.
- ``item_link``: "depends on" between two items, and "split from" from a split story to its
  original. Both ends cascade: a link disappears with either item, and the deletion's undo
  puts it back.
- ``item.moscow`` and ``item.priority``: the MoSCoW class and the tracker priority
  (highest … lowest, as Jira and Azure DevOps have it; not the rank). Adding CHECKed columns
  rebuilds ``item`` in batch mode, with foreign keys off (see ``migrate``).
- ``product.refinement_started_at``: when the Product Owner last pressed *Start refinement*
  ("what changed since" starts there).

Revision ID: 0004_item_details
Revises: 0003_ready_rules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_item_details"
down_revision = "0003_ready_rules"
branch_labels = None
depends_on = None

MOSCOW = "moscow IS NULL OR moscow IN ('must', 'should', 'could', 'wont')"
PRIORITY = "priority IS NULL OR priority IN ('highest', 'high', 'medium', 'low', 'lowest')"


def upgrade() -> None:
    """Add the question and link tables and the new item and product columns."""
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("asked_by", sa.String(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
        sa.Column("answered_at", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_question_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question")),
    )
    op.create_index(op.f("ix_question_item_id"), "question", ["item_id"])
    op.create_table(
        "item_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.CheckConstraint("kind IN ('depends_on', 'split_from')", name=op.f("ck_item_link_kind")),
        sa.CheckConstraint("item_id <> other_id", name=op.f("ck_item_link_not_self")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_item_link_item_id_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["item.id"],
            name=op.f("fk_item_link_other_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_link")),
        sa.UniqueConstraint("item_id", "other_id", "kind", name=op.f("uq_item_link_item_id")),
    )
    op.create_index(op.f("ix_item_link_item_id"), "item_link", ["item_id"])
    op.create_index(op.f("ix_item_link_other_id"), "item_link", ["other_id"])
    with op.batch_alter_table("item", recreate="always") as batch:
        batch.add_column(sa.Column("moscow", sa.String(), nullable=True))
        batch.add_column(sa.Column("priority", sa.String(), nullable=True))
        batch.create_check_constraint("moscow", MOSCOW)
        batch.create_check_constraint("priority", PRIORITY)
    op.add_column("product", sa.Column("refinement_started_at", sa.String(), nullable=True))


def downgrade() -> None:
    """Product files are never downgraded; a newer file is refused instead."""
    raise NotImplementedError
