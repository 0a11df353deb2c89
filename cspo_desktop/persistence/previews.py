"""Read-only look-aheads the UI shows before a decision (plain SQL, like :mod:`queries`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeletionPreview:
    """What deleting some items takes with it."""

    items: int
    criteria: int
    children: int


def deletion_preview(conn: sqlite3.Connection, ids: Sequence[int]) -> DeletionPreview:
    """Count what goes with ``ids``: their acceptance criteria, and the items below them."""
    if not ids:
        return DeletionPreview(0, 0, 0)
    marks = ", ".join("?" * len(ids))
    (criteria,) = conn.execute(
        f"SELECT count(*) FROM acceptance_criterion WHERE item_id IN ({marks})",
        tuple(ids),
    ).fetchone()
    (children,) = conn.execute(
        f"SELECT count(*) FROM item WHERE parent_id IN ({marks}) AND id NOT IN ({marks})",
        (*ids, *ids),
    ).fetchone()
    return DeletionPreview(len(ids), int(criteria), int(children))
