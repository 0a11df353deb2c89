"""Exporting a product to a tracker: the items in backlog order, handed to a writer.

The rows are read on a plain ``sqlite3`` connection (the CLI reads without the product lock,
like ``cspo backlog``); the writers in :mod:`cspo_desktop.interop` turn them into CSV text
and :func:`write_files` puts each file in place atomically.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path

from cspo_desktop.interop.records import ExportItem
from cspo_desktop.persistence.atomic import write_text_atomically

EXPORT_SQL = """
SELECT i.id, i.key, i.type, i.title, i.description, i.status, i.points, i.priority, i.labels,
       s.name, i.parent_id, i.external_source, i.external_key
FROM item AS i
LEFT JOIN sprint AS s ON s.id = i.sprint_id
ORDER BY CASE i.segment WHEN 'backlog' THEN 0 ELSE 1 END, i.rank, i.id
"""


def export_items(conn: sqlite3.Connection) -> list[ExportItem]:
    """Every item of the product: the backlog in rank order, then the Inbox."""
    criteria: dict[int, list[str]] = defaultdict(list)
    for item_id, text in conn.execute(
        "SELECT item_id, text FROM acceptance_criterion ORDER BY item_id, position, id"
    ):
        criteria[int(item_id)].append(str(text))
    rows = conn.execute(EXPORT_SQL).fetchall()
    numbers = {int(row[0]): item_number(str(row[1]), int(row[0])) for row in rows}
    items = []
    for row in rows:
        (item_id, key, kind, title, description, status, points, priority, labels, sprint,
         parent_id, source, external) = row  # fmt: skip
        items.append(
            ExportItem(
                number=numbers[int(item_id)],
                key=str(key),
                type=str(kind),
                title=str(title),
                description=str(description or ""),
                status=str(status),
                points=None if points is None else float(points),
                priority=None if priority is None else str(priority),
                labels=_labels(labels),
                sprint=None if sprint is None else str(sprint),
                parent_number=None if parent_id is None else numbers.get(int(parent_id)),
                criteria=tuple(criteria.get(int(item_id), ())),
                external_source=None if source is None else str(source),
                external_key=None if external is None else str(external),
            )
        )
    return items


def item_number(key: str, fallback: int) -> int:
    """The number at the end of an item key (``PAY-42`` → 42); ``fallback`` if it has none."""
    tail = key.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else fallback


def _labels(raw: object) -> tuple[str, ...]:
    try:
        value = json.loads(str(raw))
    except ValueError:
        return ()
    return tuple(str(label) for label in value) if isinstance(value, list) else ()


def write_files(target: Path, files: list[tuple[str, str]]) -> list[Path]:
    """Write each ``(suffix, text)`` next to ``target``; the first part takes its exact name.

    ``suffix`` is empty for a single file; parts of a split export get ``-2``, ``-3``… before
    the extension. Each file is written aside and renamed into place.

    Raises:
        CspoError: the folder cannot be written.
    """
    written = []
    for suffix, text in files:
        path = target if not suffix else target.with_name(f"{target.stem}{suffix}{target.suffix}")
        write_text_atomically(path, text)
        written.append(path)
    return written
