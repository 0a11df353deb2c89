"""The schema revisions this version of the app knows, oldest first.

Opening a file compares its Alembic revision with this list, so the fast path needs no Alembic
import: older → migrate (after a backup), the head → open, anything else → refuse. A test keeps
this list equal to the history of the migrations in ``persistence/migrations``.
"""

from __future__ import annotations

REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_item_checks",
    "0003_ready_rules",
    "0004_item_details",
    "0005_import_records",
)

HEAD: str = REVISIONS[-1]


def is_known(revision: str) -> bool:
    """Tell whether a revision was written by this or an earlier version of the app."""
    return revision in REVISIONS


def is_current(revision: str) -> bool:
    """Tell whether a revision is the one this app writes."""
    return revision == HEAD
