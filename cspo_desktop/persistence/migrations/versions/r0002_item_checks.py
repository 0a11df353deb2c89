"""Item: CHECK constraints on type, status, segment, points and rank.

The database itself then refuses an unknown type, status or segment, negative points and an
empty rank.

SQLite cannot add a CHECK constraint to an existing table, so batch mode rebuilds ``item``
(create a copy, copy the rows, drop the old table, rename). ``migrate`` runs this with foreign
keys off, so dropping ``item`` does not cascade into ``acceptance_criterion``.

Revision ID: 0002_item_checks
Revises: 0001_initial
"""

from __future__ import annotations

from alembic import op

revision = "0002_item_checks"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

CHECKS = {
    "type": "type IN ('epic', 'story', 'bug', 'spike', 'chore')",
    "status": "status IN ('todo', 'in_progress', 'done')",
    "segment": "segment IN ('inbox', 'backlog')",
    "points": "points IS NULL OR points >= 0",
    "rank": "length(rank) > 0",
}


def upgrade() -> None:
    """Rebuild ``item`` with its CHECK constraints."""
    with op.batch_alter_table("item", recreate="always") as batch:
        for name, condition in CHECKS.items():
            batch.create_check_constraint(name, condition)


def downgrade() -> None:
    """Product files are never downgraded; a newer file is refused instead."""
    raise NotImplementedError
