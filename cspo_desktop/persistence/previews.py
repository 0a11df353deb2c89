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
    questions: int = 0
    open_questions: int = 0
    links: int = 0


def deletion_preview(conn: sqlite3.Connection, ids: Sequence[int]) -> DeletionPreview:
    """Count what goes with ``ids``: criteria, questions, links, and the items below them."""
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
    (questions, open_questions) = conn.execute(
        "SELECT count(*), coalesce(sum(answered_at IS NULL), 0) FROM question "
        f"WHERE item_id IN ({marks})",
        tuple(ids),
    ).fetchone()
    (links,) = conn.execute(
        f"SELECT count(*) FROM item_link WHERE item_id IN ({marks}) OR other_id IN ({marks})",
        (*ids, *ids),
    ).fetchone()
    return DeletionPreview(
        len(ids), int(criteria), int(children), int(questions), int(open_questions), int(links)
    )
