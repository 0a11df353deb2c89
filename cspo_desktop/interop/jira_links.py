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
    cut = _break_cycles(parents)
    if cut:
        warnings.append(
            f"Parent links that went round in a circle were dropped at: {listing(cut)}."
        )
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


def listing(names: Iterable[object], most: int = 10) -> str:
    """Names joined by commas, the first ``most`` of them, then how many more there are."""
    every = [str(name) for name in names]
    shown = ", ".join(every[:most])
    return shown + (f" and {len(every) - most} more" if len(every) > most else "")


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


def absent_parents(refs: dict[str, str]) -> list[str]:
    """The warning about parents named but not in the file (none when there are none)."""
    if not refs:
        return []
    many = len(refs) > 1
    return [
        f"{len(refs)} {'items name' if many else 'item names'} a parent that is not in this "
        "file; a re-import keeps the parent the item already has, or finds it among items "
        f"imported before: {listing(f'{key} (parent {ref})' for key, ref in refs.items())}."
    ]


def _titles(drafts: Sequence[Draft]) -> dict[str, list[str]]:
    titles: dict[str, list[str]] = {}
    for draft in drafts:
        titles.setdefault(draft.title.strip(), []).append(draft.key)
    return titles


def _break_cycles(parents: dict[str, str | None]) -> list[str]:
    """Drop the parent link that closes each circle (A under B under A); their keys."""
    done: set[str] = set()
    cut = []
    for start, parent in parents.items():
        if parent is None or start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parents.get(node)
        if node is not None and node in on_path:
            parents[path[-1]] = None
            cut.append(path[-1])
        done.update(path)
    return cut


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
    description = draft.description
    if titles := notes.get(draft.key):
        note = f"Sub-tasks in Jira ({len(titles)}):\n" + "\n".join(f"- {t}" for t in titles)
        description = f"{description}\n\n{note}" if description else note
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
