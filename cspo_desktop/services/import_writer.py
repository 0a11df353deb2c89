"""The writes of one import: sprints, new items, updates of items imported before.

Everything goes through the ``sqlite3`` connection under the session, in the caller's
transaction: a few ``executemany`` statements per 2,000 rows, parents inserted before their
children (ids, keys and ranks still follow the source's order), history entries for what an
update changes, and an ``import_record`` per item with the tracker's values.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cspo_desktop.domain.errors import NotFound
from cspo_desktop.domain.keys import item_key
from cspo_desktop.domain.ranking import keys_between
from cspo_desktop.domain.vocabulary import EventKind
from cspo_desktop.interop.records import Progress, SourceItem
from cspo_desktop.services.details import event_text
from cspo_desktop.services.import_plan import ImportPlan, Update, Values, source_values

#: Rows written between two progress reports.
STEP = 2_000


def parents_first(items: Sequence[SourceItem]) -> list[int]:
    """Indexes of ``items``: those that are someone's parent first, each group in order."""
    parents = {item.parent_key for item in items if item.parent_key}
    return sorted(range(len(items)), key=lambda i: items[i].external_key not in parents)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class ImportWriter:
    """The writes of one import, sharing the connection, the clock and the id maps."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        plan: ImportPlan,
        segment: str,
        progress: Progress | None,
    ) -> None:
        self.conn = conn
        self.plan = plan
        self.segment = segment
        self.progress = progress
        self.now = _now()
        self.tool = plan.parsed.tool
        self.total = max(len(plan.creates) + len(plan.updates) + len(plan.refreshed), 1)
        self.written = 0
        self.sprint_ids: dict[str, int] = {}
        self.item_ids = {
            str(key): int(item_id)
            for item_id, key in conn.execute(
                "SELECT id, external_key FROM item WHERE external_source = ?", (self.tool,)
            )
        }

    def _tick(self, rows: int) -> None:
        self.written += rows
        if self.progress is not None:
            self.progress(min(self.written / self.total, 1.0))

    def sprints(self) -> list[int]:
        """Create the sprints the product lacks; map every sprint name to an id."""
        for sprint_id, name in self.conn.execute("SELECT id, name FROM sprint ORDER BY id"):
            self.sprint_ids.setdefault(str(name), int(sprint_id))
        made = []
        for name in self.plan.new_sprints:
            cursor = self.conn.execute(
                "INSERT INTO sprint (name, goal, state, created_at) VALUES (?, '', 'planned', ?)",
                (name, self.now),
            )
            assert cursor.lastrowid is not None
            self.sprint_ids[name] = cursor.lastrowid
            made.append(cursor.lastrowid)
        return made

    def create(self) -> list[int]:
        """Insert the new items at the bottom, with criteria, history and import records."""
        creates = self.plan.creates
        if not creates:
            return []
        row = self.conn.execute(
            "SELECT key_prefix, next_item_number FROM product ORDER BY id LIMIT 1"
        ).fetchone()
        if row is None:
            msg = "This file holds no product."
            raise NotFound(msg)
        prefix, number = str(row[0]), int(row[1])
        first_id = int(self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM item").fetchone()[0])
        last_rank = self.conn.execute("SELECT MAX(rank) FROM item").fetchone()[0]
        ids = list(range(first_id, first_id + len(creates)))
        self.item_ids.update(zip((item.external_key for item in creates), ids, strict=True))
        ranks = keys_between(last_rank, None, len(creates))
        # Ids, keys and ranks follow the source's order; rows go in parents first, so that no
        # link waits for its parent (SQLite re-checks waiting links on every later insert).
        order = parents_first(creates)
        for start in range(0, len(order), STEP):
            chunk = order[start : start + STEP]
            self.conn.executemany(
                "INSERT INTO item (id, key, type, title, description, status, rank, segment, "
                "sprint_id, parent_id, points, labels, blocked, blocked_note, external_source, "
                "external_key, created_at, updated_at, version, priority) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?, ?, ?, ?, 1, ?)",
                (
                    self._item_row(creates[i], ids[i], item_key(prefix, number + i), ranks[i])
                    for i in chunk
                ),
            )
            self._tick(len(chunk))
        self.conn.executemany(
            "INSERT INTO acceptance_criterion (item_id, position, text, review_state) "
            "VALUES (?, ?, ?, 'unchecked')",
            (
                (item_id, position, text)
                for item, item_id in zip(creates, ids, strict=True)
                for position, text in enumerate(item.criteria)
            ),
        )
        self.conn.executemany(
            "INSERT INTO item_event (item_id, at, kind, new_value) VALUES (?, ?, ?, ?)",
            (
                (i, self.now, EventKind.CREATED.value, item.title)
                for item, i in zip(creates, ids, strict=True)
            ),
        )
        self._records(
            (i, item.external_key, source_values(item))
            for item, i in zip(creates, ids, strict=True)
        )
        self.conn.execute(
            "UPDATE product SET next_item_number = ? WHERE id = (SELECT MIN(id) FROM product)",
            (number + len(creates),),
        )
        return ids

    def _item_row(self, item: SourceItem, item_id: int, key: str, rank: str) -> tuple[Any, ...]:
        return (
            item_id,
            key,
            item.type,
            item.title,
            item.description,
            item.status,
            rank,
            self.segment,
            self.sprint_ids.get(item.sprint) if item.sprint else None,
            self.item_ids.get(item.parent_key) if item.parent_key else None,
            item.points,
            json.dumps(list(item.labels), ensure_ascii=False),
            self.tool,
            item.external_key,
            self.now,
            self.now,
            item.priority,
        )

    def update(self, take_source: set[str]) -> list[int]:
        """Write the tracker's changes to items imported before; refresh their base."""
        updated = []
        for update in self.plan.updates:
            values = dict(update.take)
            if update.external_key in take_source:
                values.update({name: update.source[name] for name in update.conflicts})
            if values:
                self._write_fields(update, values)
                updated.append(update.item_id)
            self._tick(1)
        self._records((u.item_id, u.external_key, u.source) for u in self.plan.updates)
        return updated

    def refresh(self) -> None:
        """Store the new base of items whose fields the import did not need to write."""
        self._records(self.plan.refreshed)
        self._tick(len(self.plan.refreshed))

    def done(self) -> None:
        """Report the end; the deferred foreign keys are checked at the commit."""
        if self.progress is not None:
            self.progress(1.0)

    def _write_fields(self, update: Update, values: Values) -> None:
        old = self.conn.execute(
            "SELECT status, points, title, sprint_id FROM item WHERE id = ?", (update.item_id,)
        ).fetchone()
        columns = dict(_columns(values, self.sprint_ids, self.item_ids))
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self.conn.execute(
            f"UPDATE item SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ?",
            (*columns.values(), self.now, update.item_id),
        )
        self.conn.executemany(
            "INSERT INTO item_event (item_id, at, kind, old_value, new_value, sprint_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            _events(update.item_id, self.now, old, columns),
        )

    def _records(self, rows: Iterable[tuple[int, str, Values]]) -> None:
        self.conn.executemany(
            "INSERT INTO import_record (item_id, source, external_key, base, imported_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET "
            "source = excluded.source, external_key = excluded.external_key, "
            "base = excluded.base, imported_at = excluded.imported_at",
            (
                (item_id, self.tool, key, json.dumps(base, ensure_ascii=False), self.now)
                for item_id, key, base in rows
            ),
        )


def _columns(
    values: Values, sprint_ids: dict[str, int], item_ids: dict[str, int]
) -> Iterator[tuple[str, Any]]:
    """Item columns for tracker field values."""
    for name, value in values.items():
        if name == "labels":
            yield "labels", json.dumps(list(value or []), ensure_ascii=False)
        elif name == "sprint":
            yield "sprint_id", sprint_ids.get(value) if value else None
        elif name == "parent":
            yield "parent_id", item_ids.get(value) if value else None
        else:
            yield name, value


#: Item columns an update writes history for, and under which kind.
_TRACKED = (
    ("status", EventKind.STATUS),
    ("points", EventKind.POINTS),
    ("title", EventKind.TITLE),
    ("sprint_id", EventKind.SPRINT),
)


def _events(
    item_id: int, now: str, old: tuple[Any, ...], columns: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """History entries for the tracked columns an update changes (sprint ones carry it)."""
    before = dict(zip((column for column, _kind in _TRACKED), old, strict=True))
    events = []
    for column, kind in _TRACKED:
        if column in columns and columns[column] != before[column]:
            new = columns[column]
            sprint = new if kind is EventKind.SPRINT else None
            texts = (event_text(column, before[column]), event_text(column, new))
            events.append((item_id, now, kind.value, *texts, sprint))
    return events
