"""What an import would do to a product, worked out before anything is written.

An import of a tracker's file creates the items the product does not have yet and updates the
ones an earlier import of the same tracker brought in (matched by the source's key). Updating
is a three-way merge per field, over the source's fields only (title, description, type,
status, points, priority, labels, sprint, parent): the *base* is what the tracker said at the
last import (``import_record``), *local* is the item now, *source* is the file now.

- source equal to base: the tracker did not change it — the local value stays;
- source changed, local equal to base: the tracker's new value comes in;
- both changed to different values: a **conflict** — local wins unless the user picks the
  source for that item.

Local-only fields (rank, MoSCoW, goal, business value, criteria, questions…) are never
touched by a re-import.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cspo_desktop.domain.vocabulary import ItemType
from cspo_desktop.domain.wording import plural
from cspo_desktop.interop.records import TOOLS, ParsedImport, SourceItem
from cspo_desktop.services.import_rules import fit_rules, tidy_hierarchy

#: The fields a tracker owns, in the order a preview lists them.
SOURCE_FIELDS = (
    "title",
    "description",
    "type",
    "status",
    "points",
    "priority",
    "labels",
    "sprint",
    "parent",
)
Values = dict[str, Any]


def source_values(item: SourceItem) -> Values:
    """The tracker's fields of one item, as compared and stored in ``import_record.base``.

    The tracker's own id rides along (``tracker_id``): a later file's parent references
    may use it. It is not a field the merge compares.
    """
    return {
        "title": item.title,
        "description": item.description,
        "type": item.type,
        "status": item.status,
        "points": item.points,
        "priority": item.priority,
        "labels": list(item.labels),
        "sprint": item.sprint,
        "parent": item.parent_key,
        "tracker_id": item.tracker_id,
    }


@dataclass(frozen=True, slots=True)
class Update:
    """An already-imported item the file changes.

    Attributes:
        take: fields changed only in the tracker, with the tracker's new values.
        conflicts: fields changed on both sides to different values.
        local: the item's current values of the conflicting fields (what "keep mine" keeps).
        source: every tracker field as the file has it now (the next base).
    """

    item_id: int
    key: str
    external_key: str
    title: str
    take: Values
    conflicts: tuple[str, ...]
    local: Values
    source: Values


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Everything an import would write, for the preview and for :func:`apply_import`.

    Attributes:
        parsed: what the reader found (items already with a tidy hierarchy).
        creates: items new to the product, in source order.
        updates: matched items with something to take or a conflict.
        refreshed: matched items whose stored base changes although nothing is written to
            the item (the tracker changed a field the user had changed the same way, or
            nothing changed but the record is older).
        unchanged: matched items the file does not change at all.
        new_sprints: sprint names the product does not have yet, in order of appearance.
        warnings: the reader's warnings and the hierarchy's.
    """

    parsed: ParsedImport
    creates: tuple[SourceItem, ...]
    updates: tuple[Update, ...]
    refreshed: tuple[tuple[int, str, Values], ...]
    unchanged: int
    new_sprints: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def epics(self) -> int:
        """How many of the new items are epics."""
        return sum(1 for item in self.creates if item.type == ItemType.EPIC)

    @property
    def conflicts(self) -> tuple[Update, ...]:
        """The updates with at least one field changed on both sides."""
        return tuple(update for update in self.updates if update.conflicts)

    def summary(self) -> str:
        """One sentence: "Will create 120 items, 4 sprints and 3 epics; update 7 items"."""
        parts = [
            plural(len(self.creates), "item"),
            plural(len(self.new_sprints), "sprint"),
            plural(self.epics, "epic"),
        ]
        text = f"Will create {parts[0]}, {parts[1]} and {parts[2]}"
        text += f"; update {plural(len(self.updates), 'already-imported item')}"
        if self.conflicts:
            text += f" ({plural(len(self.conflicts), 'conflict')})"
        if self.unchanged:
            text += f"; {self.unchanged} unchanged"
        folded = sum(1 for row in self.parsed.skipped if row.folded)
        if folded:
            text += f"; {plural(folded, 'task')} folded into their parent"
        skipped = len(self.parsed.skipped) - folded
        if skipped:
            text += f"; {plural(skipped, 'row')} skipped"
        return text + "."


# ---------------------------------------------------------------- the plan


def plan_import(conn: sqlite3.Connection, parsed: ParsedImport) -> ImportPlan:
    """Work out what importing ``parsed`` into the product on ``conn`` would do (reads only)."""
    items, hierarchy_warnings = tidy_hierarchy(parsed.items)
    existing = _imported_items(conn, parsed.tool)
    items, kept_parents = _resolve_parents(items, existing)
    parsed = replace(parsed, items=tuple(items))
    provided = frozenset(SOURCE_FIELDS) if parsed.provided is None else parsed.provided
    creates: list[SourceItem] = []
    updates: list[Update] = []
    refreshed: list[tuple[int, str, Values]] = []
    unchanged = 0
    for item in items:
        found = existing.get(item.external_key)
        if found is None:
            creates.append(item)
            continue
        source = source_values(item)
        # A field the file does not carry (or a parent it names but does not hold) is not
        # news from the tracker: it stays as the last import left it.
        before = found.local if found.base is None else found.base
        for name in SOURCE_FIELDS:
            if name not in provided or (name == "parent" and item.external_key in kept_parents):
                source[name] = before.get(name)
        update = merge(found, item.external_key, source)
        if update is not None:
            updates.append(update)
        elif found.base != source:
            refreshed.append((found.item_id, item.external_key, source))
        else:
            unchanged += 1
    creates, updates, rule_warnings = fit_rules(conn, creates, updates, existing)
    known = {str(row[0]) for row in conn.execute("SELECT name FROM sprint")}
    new_sprints = tuple(name for name in parsed.sprints if name not in known)
    return ImportPlan(
        parsed,
        tuple(creates),
        tuple(updates),
        tuple(refreshed),
        unchanged,
        new_sprints,
        (*parsed.warnings, *hierarchy_warnings, *rule_warnings),
    )


def _resolve_parents(
    items: Sequence[SourceItem], existing: Mapping[str, Matched]
) -> tuple[list[SourceItem], set[str]]:
    """Find parents the file names but does not hold among the items imported before.

    Returns the items (with those parents filled in) and the keys of the items whose parent
    is still unknown: a re-import leaves their parent as it is.
    """
    by_tracker_id = {
        str(found.base["tracker_id"]): key
        for key, found in existing.items()
        if found.base is not None and found.base.get("tracker_id")
    }
    out: list[SourceItem] = []
    unknown: set[str] = set()
    for item in items:
        ref = item.parent_ref
        parent = None
        if item.parent_key is None and ref:
            parent = ref if ref in existing else by_tracker_id.get(ref)
            if parent is None or parent == item.external_key:
                parent = None
                unknown.add(item.external_key)
        out.append(item if parent is None else replace(item, parent_key=parent))
    return out, unknown


@dataclass(frozen=True, slots=True)
class Matched:
    """An item of the product that an earlier import of the same tracker brought in."""

    item_id: int
    key: str
    local: Values
    #: The tracker's fields at the last import (None: no record, e.g. an old archive).
    base: Values | None


def merge(found: Matched, external_key: str, source: Values) -> Update | None:
    """The three-way merge of one matched item; None when nothing is to be written."""
    local = found.local
    base = local if found.base is None else found.base
    take: Values = {}
    conflicts: list[str] = []
    for name in SOURCE_FIELDS:
        new, old, mine = source.get(name), base.get(name), local.get(name)
        if new in (old, mine):
            continue
        if mine == old:
            take[name] = new
        else:
            conflicts.append(name)
    if not take and not conflicts:
        return None
    return Update(
        found.item_id,
        found.key,
        external_key,
        str(local.get("title", "")),
        take,
        tuple(conflicts),
        {name: local.get(name) for name in conflicts},
        source,
    )


ITEMS_SQL = """
SELECT i.id, i.key, i.external_key, i.title, i.description, i.type, i.status, i.points,
       i.priority, i.labels, s.name, p.external_source, p.external_key, i.parent_id, r.base
FROM item AS i
LEFT JOIN sprint AS s ON s.id = i.sprint_id
LEFT JOIN item AS p ON p.id = i.parent_id
LEFT JOIN import_record AS r ON r.item_id = i.id
WHERE i.external_source = ?
"""


def _imported_items(conn: sqlite3.Connection, tool: str) -> dict[str, Matched]:
    """Items an earlier import of ``tool`` brought in, by external key."""
    found: dict[str, Matched] = {}
    for row in conn.execute(ITEMS_SQL, (tool,)):
        (item_id, key, external, title, description, kind, status, points, priority, labels,
         sprint, parent_source, parent_key, parent_id, base) = row  # fmt: skip
        if parent_id is None:
            parent = None
        elif parent_source == tool and parent_key is not None:
            parent = str(parent_key)
        else:  # a local parent: never equal to a tracker's key
            parent = f"local item {parent_id}"
        local = {
            "title": title,
            "description": description,
            "type": kind,
            "status": status,
            "points": points,
            "priority": priority,
            "labels": _labels(labels),
            "sprint": sprint,
            "parent": parent,
        }
        found[str(external)] = Matched(int(item_id), str(key), local, _base(base))
    return found


def _labels(raw: object) -> list[str]:
    try:
        value = json.loads(str(raw))
    except ValueError:
        return []
    return [str(label) for label in value] if isinstance(value, list) else []


def _base(raw: object) -> Values | None:
    if raw is None:
        return None
    try:
        value = json.loads(str(raw))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def tool_name(tool: str) -> str:
    """How a tool is named to the user ("Azure DevOps")."""
    return TOOLS.get(tool, tool)
