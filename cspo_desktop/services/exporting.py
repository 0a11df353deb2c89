"""Exporting a product to a tracker: the items in backlog order, handed to a writer.

The rows are read on a plain ``sqlite3`` connection (the CLI reads without the product lock,
like ``cspo backlog``); the writers in :mod:`cspo_desktop.interop` turn them into CSV text
and :func:`write_files` puts each file in place atomically.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.records import ExportItem
from cspo_desktop.interop.writing import ExportOptions, ExportResult
from cspo_desktop.persistence.atomic import write_text_atomically
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.sqlite import connect_readonly

#: Trackers a product can be exported to.
EXPORT_TOOLS = ("jira", "ado")
#: The story-point column both trackers know by default.
DEFAULT_POINTS_COLUMN = "Story Points"


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote: each file with its number of items, risky cells, warnings."""

    files: tuple[tuple[Path, int], ...]
    risky_cells: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]


def export_tracker(
    source: Path,
    target: Path,
    tool: str,
    *,
    points_column: str | None = None,
    safe_for_spreadsheets: bool = False,
    iteration_root: str | None = None,
) -> ExportReport:
    """Write the product at ``source`` as ``tool``'s CSV at ``target`` (or several parts).

    The product is read on a read-only connection, without the lock, so this works while the
    app has it open; nothing is written to it.

    Raises:
        FileRefused: ``source`` is not a product file this app can read.
        InvalidInput: an unknown tool, a product from an older version (open it in the app
            first), or a points column name the writer refuses.
        CspoError: a file could not be written.
    """
    if tool not in EXPORT_TOOLS:
        msg = f"'{tool}' is not a tracker this app exports to; use jira or ado."
        raise InvalidInput(msg)
    if inspect_product(source).needs_migration:
        msg = (
            f"“{source.name}” was written by an older version of the app; open it once in the "
            "app (or run 'cspo backlog' on it) to upgrade it, then export."
        )
        raise InvalidInput(msg)
    with closing(connect_readonly(source)) as conn:
        items = export_items(conn)
    options = ExportOptions(
        points_column=points_column or DEFAULT_POINTS_COLUMN,
        safe_for_spreadsheets=safe_for_spreadsheets,
        iteration_root=iteration_root,
    )
    result = _write(tool, items, options)
    paths = write_files(target, list(result.files))
    counts = [_data_rows(text) for _suffix, text in result.files]
    return ExportReport(tuple(zip(paths, counts, strict=True)), result.risky_cells, result.warnings)


def _write(tool: str, items: list[ExportItem], options: ExportOptions) -> ExportResult:
    if tool == "jira":
        from cspo_desktop.interop.jira_export import export_jira_csv

        return export_jira_csv(items, options)
    from cspo_desktop.interop.ado_export import export_ado_csv

    return export_ado_csv(items, options)


def _data_rows(text: str) -> int:
    return max(sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1, 0)


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
