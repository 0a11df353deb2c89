"""What the Azure DevOps and Taiga readers share: rows as drafts, then parents, order, warnings.

A reader turns each row into a :class:`Draft` (the item without its parent, the parent key
the row names, its rank) through :class:`Drafts`, which counts blank rows, leaves out rows
without a title or with a key seen before, and notes words and points it could not read.
:meth:`Drafts.finish` then links each item to its parent when the parent is in the same file
(cutting circles, so nothing downstream walks round forever), folds tasks into the backlog
item they belong to, and orders by rank. All of it is linear in the number of rows (plus the
sort).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from cspo_desktop.domain.vocabulary import ItemType
from cspo_desktop.interop import words
from cspo_desktop.interop.links import (
    absent_parents,
    circle_warnings,
    cut_circles,
    listing,
    with_folded,
)
from cspo_desktop.interop.reading import Table, is_blank
from cspo_desktop.interop.records import ColumnUse, ParsedImport, SkippedRow, SourceItem
from cspo_desktop.interop.words import parse_number

#: What a points cell holds for "not estimated".
UNESTIMATED = frozenset({"?", "n/a", "na", "-", "none", "null"})
_T = TypeVar("_T")


@dataclass(slots=True)
class Draft:
    """A row read, before its parent and place are known.

    Attributes:
        parent: the key of the parent the row names (``""`` for none).
        rank: its place in the source's order, lowest first (``None``: after the ranked).
        task: team work that folds into the backlog item it belongs to.
    """

    item: SourceItem
    parent: str = ""
    rank: float | None = None
    task: bool = False


@dataclass(slots=True)
class Drafts:
    """Collects a file's drafts and what went wrong on the way.

    Attributes:
        tool: the tracker's name in messages ("Azure DevOps").
        key_name: what the tracker calls its key in messages ("ID", "ref").
    """

    tool: str
    key_name: str
    drafts: list[Draft] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    blank: int = 0
    bad_points: list[int] = field(default_factory=list)
    unknown: dict[str, dict[str, None]] = field(
        default_factory=lambda: {"status": {}, "type": {}, "priority": {}}
    )
    words: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def accepts(self, row: int, cells: Sequence[str], key: str, title: str) -> bool:
        """Whether the row becomes an item; if not, it is counted blank or skipped with why."""
        if is_blank(cells):
            self.blank += 1
        elif not title.strip():
            self.skipped.append(SkippedRow(row, f"{key or 'it'} has no title"))
        elif not key:
            self.skipped.append(SkippedRow(row, f"'{title.strip()}' has no {self.key_name}"))
        elif key in self.keys:
            self.skipped.append(
                SkippedRow(
                    row,
                    f"the {self.key_name} {key} is used by an earlier row; this one is left out",
                )
            )
        else:
            self.keys.add(key)
            return True
        return False

    def points(self, row: int, text: str) -> float | None:
        """Points from a cell; a cell that holds something else is noted (``?`` is none)."""
        value = parse_number(text)
        if value is None and text and text.strip().casefold() not in UNESTIMATED:
            self.bad_points.append(row)
        return value

    def word(self, kind: str, name: str, reader: Callable[[str], str | None]) -> str | None:
        """A type, status or priority in the product's words (once per name); unknowns noted."""
        if not name:
            return None
        if (kind, name) in self.words:
            return self.words[kind, name]
        found = self.words[kind, name] = reader(name)
        if found is None:
            self.unknown[kind].setdefault(name, None)
        return found

    def finish(self, *, fold_tasks: bool) -> tuple[list[SourceItem], list[SkippedRow]]:
        """Items in backlog order with their parents, and every row left out, by row."""
        parents, refs = self._link()
        folded = self._fold(parents) if fold_tasks else {}
        titles = {draft.item.external_key: draft.item.title.strip() for draft in self.drafts}
        notes: dict[str, list[str]] = {}
        for task, target in folded.items():
            notes.setdefault(target, []).append(titles[task])
        kept = [draft for draft in self.drafts if draft.item.external_key not in folded]
        items = []
        for draft in in_rank_order(kept, lambda draft: draft.rank):
            item = draft.item
            description = with_folded(
                item.description, f"Tasks in {self.tool}", notes.get(item.external_key, ())
            )
            parent = parents[item.external_key]
            parent = folded.get(parent, parent) if parent else None
            items.append(_placed(item, parent, refs.get(item.external_key), description))
        return items, sorted(self.skipped, key=lambda skip: skip.row)

    def _link(self) -> tuple[dict[str, str | None], dict[str, str]]:
        """Each key's parent when it is an item of the file (circles cut); the others named."""
        parents: dict[str, str | None] = {}
        refs: dict[str, str] = {}
        for draft in self.drafts:
            key, parent = draft.item.external_key, draft.parent
            found = parent if parent in self.keys and parent != key else None
            if parent and found is None:
                refs[key] = parent
            parents[key] = found
        self.warnings.extend(absent_parents(refs))
        self.warnings.extend(circle_warnings(cut_circles(parents)))
        return parents, refs

    def _fold(self, parents: Mapping[str, str | None]) -> dict[str, str]:
        """Tasks whose nearest non-task ancestor is a story or bug: task key → that ancestor."""
        drafts = {draft.item.external_key: draft for draft in self.drafts}
        folded = {}
        for draft in self.drafts:
            target = parents[draft.item.external_key] if draft.task else None
            while target is not None and drafts[target].task:
                target = parents[target]
            if target is not None and drafts[target].item.type != ItemType.EPIC:
                folded[draft.item.external_key] = target
                self.skipped.append(
                    SkippedRow(draft.item.row, f"task of {target}, folded into it", folded=True)
                )
        return folded

    def notes(self, types: str) -> list[str]:
        """Warnings about blank rows, unknown words and unreadable points, then the rest."""
        warnings = words.unknown_word_warnings(
            self.blank,
            self.unknown["status"],
            self.unknown["type"],
            self.unknown["priority"],
            kinds_name=types,
        )
        if self.bad_points:
            rows = listing(str(row) for row in self.bad_points)
            warnings.append(f"Points that are not numbers were left empty (rows {rows}).")
        return warnings + self.warnings


def _placed(item: SourceItem, parent: str | None, ref: str | None, description: str) -> SourceItem:
    """The item with its parent (or the reference to one not in the file) and description.

    What :func:`dataclasses.replace` does, faster.
    """
    if parent is None and ref is None and description is item.description:
        return item
    return SourceItem(
        row=item.row,
        external_key=item.external_key,
        title=item.title,
        type=item.type,
        status=item.status,
        description=description,
        points=item.points,
        priority=item.priority,
        labels=item.labels,
        sprint=item.sprint,
        parent_key=parent,
        criteria=item.criteria,
        tracker_id=item.tracker_id,
        parent_ref=ref,
    )


def sampled(
    rows: Iterator[tuple[int, list[str]]], sample: list[tuple[str, ...]]
) -> Iterator[tuple[int, list[str]]]:
    """The rows, passing through; the first five that are not blank are kept in ``sample``."""
    for row, cells in rows:
        if len(sample) < 5 and not is_blank(cells):
            sample.append(tuple(cells))
        yield row, cells


def parsed(
    tool: str,
    table: Table,
    *,
    columns: Sequence[ColumnUse],
    items: Sequence[SourceItem],
    skipped: Sequence[SkippedRow],
    warnings: Sequence[str],
    sample: Sequence[tuple[str, ...]],
    provided: frozenset[str],
) -> ParsedImport:
    """The reader's result; the sprints in order of first appearance in the file."""
    in_file_order = sorted(items, key=lambda item: item.row)
    return ParsedImport(
        tool=tool,
        file_format="csv",
        encoding=table.encoding,
        delimiter=table.delimiter,
        columns=tuple(columns),
        items=tuple(items),
        sprints=tuple(dict.fromkeys(item.sprint for item in in_file_order if item.sprint)),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        sample=tuple(sample),
        provided=provided,
    )


def raw_first(cells: Sequence[str], indexes: Sequence[int]) -> str:
    """The first value with any text in it, exactly as written (a title keeps its blanks)."""
    for index in indexes:
        if index < len(cells) and cells[index].strip():
            return cells[index]
    return ""


def in_rank_order(entries: Iterable[_T], rank: Callable[[_T], float | None]) -> list[_T]:
    """Entries by ascending rank (ties in file order), then those without one, in file order."""
    ranked: list[tuple[float, int, _T]] = []
    unranked: list[_T] = []
    for index, entry in enumerate(entries):
        value = rank(entry)
        if value is None:
            unranked.append(entry)
        else:
            ranked.append((value, index, entry))
    ranked.sort(key=lambda found: found[:2])
    return [entry for _value, _index, entry in ranked] + unranked
