"""Product: the Definition of Ready rules, one column per switch.

Each rule is on by default, including "not bigger than 8 points"; ``ready_max_points`` is
NULL when that rule is off. Adding a column with a default needs no table rebuild, so this
migration runs as plain ``ALTER TABLE … ADD COLUMN`` statements (no batch mode).

Revision ID: 0003_ready_rules
Revises: 0002_item_checks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_ready_rules"
down_revision = "0002_item_checks"
branch_labels = None
depends_on = None

#: The switches, in the order the Product page shows them (all on for existing products).
SWITCHES = (
    "ready_needs_criteria",
    "ready_needs_estimate",
    "ready_no_open_questions",
    "ready_no_unfinished_dependencies",
    "ready_not_blocked",
)


def upgrade() -> None:
    """Add the rule columns to ``product``."""
    for name in SWITCHES:
        op.add_column(
            "product", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.add_column(
        "product",
        sa.Column("ready_max_points", sa.Integer(), nullable=True, server_default=sa.text("8")),
    )


def downgrade() -> None:
    """Product files are never downgraded; a newer file is refused instead."""
    raise NotImplementedError
