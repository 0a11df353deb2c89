"""What can only be done once every Jira row is read: parents, sub-tasks and rank order.

A Jira row names its parent by issue id (``Parent``), by key (``Parent key``, ``Epic Link``)
or by title (``Parent summary``); :func:`link` resolves each to the key of an item of the same
file, or to none with a warning. Sub-tasks are the team's work, not backlog items: each is
folded into its parent (a note in the parent's description, a skipped row saying so) unless the
user keeps them. Items are then ordered by ``Rank`` (a LexoRank string, which sorts as plain
text), unranked ones after in file order. Everything here is linear in the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from cspo_desktop.interop.links import (
    absent_parents,
    circle_warnings,
    cut_circles,
    listing,
    with_folded,
)
from cspo_desktop.interop.records import SkippedRow, SourceItem


class Draft(NamedTuple):
    """One Jira row as read, before its parent is known. ``parents`` are keys or ids.

    A named tuple: quick to make, which counts with 100,000 of them.
    """

    row: int
    key: str
    id: str
    title: str
    type: str
    subtask: bool
    status: str
    description: str
    points: float | None
    priority: str | None
    labels: tuple[str, ...]
    sprint: str | None
    parents: tuple[str, ...]
    parent_title: str
    criteria: tuple[str, ...]
    rank: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The items in backlog order, the rows left out, and what the user should know."""

    items: tuple[SourceItem, ...]
    skipped: tuple[SkippedRow, ...]
    warnings: tuple[str, ...]


def link(drafts: Sequence[Draft], *, keep_subtasks: bool) -> Outcome:
    """Resolve parents, fold sub-tasks (unless kept) and order the drafts into items."""
    parents, refs, warnings = _resolve(drafts)
    warnings.extend(circle_warnings(cut_circles(parents)))
    if keep_subtasks:
        folded: dict[str, str] = {}
        notes: dict[str, list[str]] = {}
        skipped: list[SkippedRow] = []
    else:
        folded, notes, skipped, orphans = _fold(drafts, parents)
        if orphans:
            many = len(orphans) > 1
            warnings.append(
                f"{len(orphans)} sub-task{'s' * many} whose parent is not in this file came in "
                f"as {'stories' if many else 'a story'}: {listing(orphans)}."
            )
    items = []
    for draft in _ranked(draft for draft in drafts if draft.key not in folded):
        parent = parents[draft.key]
        parent = folded.get(parent, parent) if parent else None
        items.append(_item(draft, parent, refs.get(draft.key), notes))
    return Outcome(tuple(items), tuple(skipped), tuple(warnings))


def _resolve(
    drafts: Sequence[Draft],
) -> tuple[dict[str, str | None], dict[str, str], list[str]]:
    """Each draft's parent key (or None), the references not found, and a warning about them.

    A reference not found is the first the row gives (parent, epic link, then parent title).
    """
    keys = {draft.key for draft in drafts}
    by_id = {draft.id: draft.key for draft in drafts if draft.id}
    titles: dict[str, list[str]] | None = None
    parents: dict[str, str | None] = {}
    refs: dict[str, str] = {}
    for draft in drafts:
        parent = None
        for ref in draft.parents:
            found = ref if ref in keys else by_id.get(ref)
            if found and found != draft.key:
                parent = found
                break
        if parent is None and draft.parent_title:
            if titles is None:
                titles = _titles(drafts)
            same = titles.get(draft.parent_title.strip(), [])
            parent = same[0] if len(same) == 1 and same[0] != draft.key else None
        if parent is None and (draft.parents or draft.parent_title):
            refs[draft.key] = draft.parents[0] if draft.parents else draft.parent_title.strip()
        parents[draft.key] = parent
    return parents, refs, absent_parents(refs)


def _titles(drafts: Sequence[Draft]) -> dict[str, list[str]]:
    titles: dict[str, list[str]] = {}
    for draft in drafts:
        titles.setdefault(draft.title.strip(), []).append(draft.key)
    return titles


def _fold(
    drafts: Sequence[Draft], parents: dict[str, str | None]
) -> tuple[dict[str, str], dict[str, list[str]], list[SkippedRow], list[str]]:
    """Sub-tasks into their parents: key → parent, titles per parent, skipped rows, orphans."""
    subtasks = {draft.key for draft in drafts if draft.subtask}
    folded: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    skipped = []
    orphans = []
    for draft in drafts:
        if not draft.subtask:
            continue
        target = parents[draft.key]
        while target in subtasks and parents[target] is not None:
            target = parents[target]
        if target is None:
            orphans.append(draft.key)
            continue
        folded[draft.key] = target
        notes.setdefault(target, []).append(draft.title.strip())
        skipped.append(SkippedRow(draft.row, f"sub-task of {target}, folded into it", folded=True))
    return folded, notes, skipped, orphans


def _ranked(drafts: Iterable[Draft]) -> list[Draft]:
    """By rank when any draft has one (unranked after, in file order), else in file order."""
    kept = list(drafts)
    ranked = sorted((draft for draft in kept if draft.rank), key=attrgetter("rank"))
    return ranked + [draft for draft in kept if not draft.rank] if ranked else kept


def _item(
    draft: Draft, parent: str | None, ref: str | None, notes: dict[str, list[str]]
) -> SourceItem:
    description = with_folded(draft.description, "Sub-tasks in Jira", notes.get(draft.key, ()))
    return SourceItem(
        row=draft.row,
        external_key=draft.key,
        title=draft.title,
        type="story" if draft.subtask else draft.type,
        status=draft.status,
        description=description,
        points=draft.points,
        priority=draft.priority,
        labels=draft.labels,
        sprint=draft.sprint,
        parent_key=parent,
        criteria=draft.criteria,
        tracker_id=draft.id or None,
        parent_ref=ref,
    )
