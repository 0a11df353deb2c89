"""The product's hierarchy rules, applied to what a re-import would change.

Items belong to epics and epics belong to nothing (:mod:`services.details` enforces this for
edits). Inside one file :func:`services.import_plan.tidy_hierarchy` fits the tracker's tree
to that; here the same rules hold between the file and the items already in the product: a
change the tracker made that would break them (a story under a story, an epic with items
turned into a story, an epic under an epic) is left out, and a warning says which.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from cspo_desktop.domain.vocabulary import ItemType
from cspo_desktop.domain.wording import plural
from cspo_desktop.interop.links import listing
from cspo_desktop.interop.records import SourceItem

if TYPE_CHECKING:
    from cspo_desktop.services.import_plan import Matched, Update

EPIC = ItemType.EPIC.value


def fit_rules(
    conn: sqlite3.Connection,
    creates: Sequence[SourceItem],
    updates: Sequence[Update],
    existing: Mapping[str, Matched],
) -> tuple[list[SourceItem], list[Update], list[str]]:
    """The creates and updates with the changes that break the hierarchy left out."""
    types = {key: str(found.local["type"]) for key, found in existing.items()}
    parents = {key: found.local["parent"] for key, found in existing.items()}
    for update in updates:
        types[update.external_key] = str(update.take.get("type", types[update.external_key]))
        parents[update.external_key] = update.take.get("parent", parents[update.external_key])
    for item in creates:
        types[item.external_key] = item.type
        parents[item.external_key] = item.parent_key
    with_items = {str(p) for p in parents.values() if p is not None}
    with_items |= _keys_with_local_items(conn, existing)
    kept: list[str] = []
    fitted_updates = []
    for update in updates:
        take = dict(update.take)
        key = update.external_key
        local_type = str(existing[key].local["type"])
        if "type" in take and not _type_fits(key, take["type"], local_type, parents, with_items):
            del take["type"]
            types[key] = local_type
            kept.append(key)
        if take.get("parent") is not None and not _parent_fits(key, take["parent"], types):
            del take["parent"]
            kept.append(key)
        fitted_updates.append(update if take == update.take else replace(update, take=take))
    fitted_creates = []
    for item in creates:
        fits = item.parent_key not in existing or _parent_fits(
            item.external_key, item.parent_key, types
        )
        fitted_creates.append(item if fits else replace(item, parent_key=None))
        if not fits:
            kept.append(item.external_key)
    return fitted_creates, fitted_updates, _warning(kept)


def _type_fits(
    key: str,
    new_type: object,
    local_type: str,
    parents: Mapping[str, object],
    with_items: set[str],
) -> bool:
    if new_type == EPIC:
        return parents.get(key) is None  # an epic belongs to nothing
    return local_type != EPIC or key not in with_items  # an epic with items stays one


def _parent_fits(key: str, parent: object, types: Mapping[str, str]) -> bool:
    parent_type = types.get(str(parent), EPIC)  # a parent set here is an epic already
    return parent_type == EPIC and types.get(key) != EPIC


def _keys_with_local_items(conn: sqlite3.Connection, existing: Mapping[str, Matched]) -> set[str]:
    """Keys of imported items that have items below them in the product now."""
    by_id = {found.item_id: key for key, found in existing.items()}
    rows = conn.execute("SELECT DISTINCT parent_id FROM item WHERE parent_id IS NOT NULL")
    return {by_id[int(row[0])] for row in rows if int(row[0]) in by_id}


def _warning(keys: list[str]) -> list[str]:
    if not keys:
        return []
    shown = listing(dict.fromkeys(keys), 5)
    return [
        f"Some of the tracker's changes to {shown} would put an item under an item that is "
        "not an epic, an epic under another item, or turn an epic with items into a story; "
        "those changes were left out (items belong to epics here, and epics do not nest)."
    ]


# ---------------------------------------------------------------- inside one file


def tidy_hierarchy(items: Sequence[SourceItem]) -> tuple[list[SourceItem], list[str]]:
    """Fit the tracker's hierarchy to the product's: items belong to epics, epics do not nest.

    An item under a non-epic (a story with sub-items) moves up to that parent's epic, if it
    has one; an epic under another epic (Azure DevOps' Epic → Feature) stands on its own.
    Each such change is named in a warning; nothing else of the item changes.
    """
    by_key = {item.external_key: item for item in items}
    out: list[SourceItem] = []
    lifted: list[str] = []
    freed: list[str] = []
    for item in items:
        parent = by_key.get(item.parent_key) if item.parent_key else None
        if parent is None or (parent.type == ItemType.EPIC and item.type != ItemType.EPIC):
            out.append(item)
            continue
        if item.type == ItemType.EPIC:
            freed.append(item.external_key)
            out.append(replace(item, parent_key=None))
            continue
        epic = _epic_above(parent, by_key)
        lifted.append(item.external_key)
        out.append(replace(item, parent_key=epic))
    warnings = []
    if lifted:
        warnings.append(
            f"{plural(len(lifted), 'item')} sat under an item that is not an epic "
            f"({listing(lifted, 5)}); here they belong to that item's epic, if any."
        )
    if freed:
        warnings.append(
            f"{plural(len(freed), 'epic')} sat under another epic ({listing(freed, 5)}); epics do "
            "not nest here, so they stand on their own."
        )
    return out, warnings


def _epic_above(item: SourceItem, by_key: Mapping[str, SourceItem]) -> str | None:
    seen = {item.external_key}
    while item.parent_key and item.parent_key not in seen:
        parent = by_key.get(item.parent_key)
        if parent is None:
            return None
        if parent.type == ItemType.EPIC:
            return parent.external_key
        seen.add(parent.external_key)
        item = parent
    return None
