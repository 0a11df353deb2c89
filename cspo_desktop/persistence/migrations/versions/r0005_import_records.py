"""Import records: what a tracker said about an item when it was last imported.

- ``import_record``: one row per imported item (it goes with the item): the tool, the
  source's key, and ``base``, a JSON object of the source's fields as last imported. A
  re-import compares three versions of each field — that base, the item now, the file now —
  to update what changed only in the tracker, keep what changed only here, and list what
  changed on both sides as a conflict.
- An index on ``item (external_source, external_key)``: a re-import finds its items by key.

Revision ID: 0005_import_records
Revises: 0004_item_details
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_import_records"
down_revision = "0004_item_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the import record table and the external key index."""
    op.create_table(
        "import_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("external_key", sa.String(), nullable=False),
        sa.Column("base", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["item.id"],
            name=op.f("fk_import_record_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_record")),
        sa.UniqueConstraint("item_id", name=op.f("uq_import_record_item_id")),
    )
    op.create_index(op.f("ix_item_external_source"), "item", ["external_source", "external_key"])


def downgrade() -> None:
    """Product files are never downgraded; a newer file is refused instead."""
    raise NotImplementedError
