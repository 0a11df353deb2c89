"""Importing a tracker's export into a product: read, plan, then write in one transaction.

:func:`read_source` runs the reader of a tool (Jira CSV or XML, Azure DevOps, Taiga);
:func:`preview` adds what the import would do (:mod:`services.import_plan`); and
:func:`apply_import` writes it — new sprints, new items at the bottom of the Inbox or the
backlog in the source's order, updates of items imported before, and an ``import_record`` per
item — all in one transaction, so an import that fails or is cancelled half-way leaves the
product exactly as it was.

The write goes through the ``sqlite3`` connection under the session, with ``executemany``
and deferred foreign keys (a child may come before its parent in the file): a 100,000-row
import is a few bulk statements, not 100,000 ORM objects.
"""

from __future__ import annotations

import csv
import importlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.vocabulary import Segment
from cspo_desktop.interop.records import TOOLS, ParsedImport, Progress, ReadOptions
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.import_plan import (
    ImportPlan,
    plan_import,
)
from cspo_desktop.services.import_writer import ImportWriter
from cspo_desktop.services.ranking import raw_connection
from cspo_desktop.services.rows import Row, insert_rows, rows_where

#: The reader of each tool: (module of :mod:`cspo_desktop.interop`, function).
READERS = {
    "jira": ("jira", "read_jira"),
    "ado": ("ado_csv", "read_ado_csv"),
    "taiga": ("taiga_csv", "read_taiga_csv"),
}


def read_source(
    tool: str, path: Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> ParsedImport:
    """Read a tracker's export with the reader of ``tool``.

    Raises:
        InvalidInput: an unknown tool, or a file the reader refuses (the message says why).
        ImportCancelled: ``progress`` stopped the reading.
    """
    if tool not in READERS:
        msg = f"'{tool}' is not a tracker this app imports; use one of: {', '.join(TOOLS)}."
        raise InvalidInput(msg)
    module, function = READERS[tool]
    reader = getattr(importlib.import_module(f"cspo_desktop.interop.{module}"), function)
    try:
        parsed: ParsedImport = reader(path, options or ReadOptions(), progress)
    except OSError as exc:
        msg = f"{path} cannot be read: {exc.strerror or exc}."
        raise InvalidInput(msg) from exc
    except (UnicodeError, LookupError, ValueError, RecursionError, csv.Error) as exc:
        # The readers name the problems they know; anything else still gets one clear line.
        msg = f"{path.name} cannot be read as a {TOOLS[tool]} export: {_one_line(exc)}."
        raise InvalidInput(msg) from exc
    return parsed


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()).rstrip(".") or type(exc).__name__


def preview(db: Database, parsed: ParsedImport) -> ImportPlan:
    """What importing ``parsed`` would do to the product (nothing is written)."""
    with db.transaction() as session:
        return plan_import(raw_connection(session.connection()), parsed)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import wrote: the new items' ids, the updated items' ids, new sprints."""

    created: tuple[int, ...]
    updated: tuple[int, ...]
    sprints: tuple[int, ...]


def apply_import(
    db: Database,
    plan: ImportPlan,
    *,
    segment: str = Segment.INBOX.value,
    take_source: Collection[str] = (),
    progress: Progress | None = None,
) -> tuple[ImportOutcome, Changes]:
    """Write ``plan`` in one transaction; return what was written.

    Args:
        db: the product.
        plan: what :func:`preview` worked out.
        segment: where new items land (``inbox`` or ``backlog``), at the bottom, in order.
        take_source: external keys whose conflicts take the tracker's values (local wins for
            the others).
        progress: called with the fraction written; raising ``ImportCancelled`` from it rolls
            the whole import back.

    Raises:
        InvalidInput: an unknown segment.
        StorageError: SQLite refused the write; nothing was written.
    """
    if segment not in {s.value for s in Segment}:
        msg = f"'{segment}' is not a place for new items; use inbox or backlog."
        raise InvalidInput(msg)
    with db.transaction() as session:
        conn = raw_connection(session.connection())
        conn.execute("PRAGMA defer_foreign_keys = ON")
        writer = ImportWriter(conn, plan, segment, progress)
        sprints = writer.sprints()
        created = writer.create()
        updated = writer.update(set(take_source))
        writer.refresh()
        writer.done()
    outcome = ImportOutcome(tuple(created), tuple(updated), tuple(sprints))
    changes = Changes.of(Entity.ITEM) | Changes.of(Entity.SPRINT)
    return outcome, changes


def import_items(db: Database, plan: ImportPlan, **options: Any) -> tuple[list[int], Changes]:
    """:func:`apply_import` (same options), returning the new items' ids.

    That is the shape an undoable item command expects from a service that makes items.
    """
    outcome, changes = apply_import(db, plan, **options)
    return list(outcome.created), changes


def last_sprint_id(db: Database) -> int:
    """The highest sprint id now (sprints above it after an import are the import's)."""
    with db.transaction() as session:
        conn = raw_connection(session.connection())
        return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM sprint").fetchone()[0])


def take_back_sprints(db: Database, above: int) -> tuple[list[Row], Changes]:
    """Delete the sprints with an id above ``above`` (an import's undo); return their rows."""
    with db.transaction() as session:
        conn = session.connection()
        ids = [
            int(r[0]) for r in conn.exec_driver_sql("SELECT id FROM sprint WHERE id > ?", (above,))
        ]
        rows = rows_where(conn, "sprint", "id", ids)
        conn.exec_driver_sql("DELETE FROM sprint WHERE id > ?", (above,))
    return rows, Changes.of(Entity.SPRINT)


def put_back_sprints(db: Database, rows: list[Row]) -> Changes:
    """Insert sprint rows taken back by :func:`take_back_sprints` (an import's redo)."""
    with db.transaction() as session:
        insert_rows(session.connection(), "sprint", rows)
    return Changes.of(Entity.SPRINT)
