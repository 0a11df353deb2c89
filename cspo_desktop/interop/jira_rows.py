"""One Jira row at a time: the cells of a CSV record (or of an XML ``<item>``) into a draft.

Both Jira readers feed :class:`JiraRows` with ``(row, cells)`` and the column mapping of
:func:`~cspo_desktop.interop.reading.map_columns`; :meth:`JiraRows.add` does the little work
each row needs (column indexes are found once, trackers' words are folded once per distinct
name; a status category decides the status before the status's name does; without a criteria
column, the criteria section this app's Jira export appends to a description becomes criteria
again), and :meth:`JiraRows.finish` hands the drafts to :mod:`~cspo_desktop.interop.jira_links`,
which resolves parents, folds sub-tasks and orders by rank once every row is known.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import TypeVar

from cspo_desktop.domain.vocabulary import ItemType, Status
from cspo_desktop.interop import words
from cspo_desktop.interop.html_text import text_lines
from cspo_desktop.interop.jira_export import CRITERIA_HEADER, split_description
from cspo_desktop.interop.jira_headers import JiraColumns
from cspo_desktop.interop.jira_links import Draft, Outcome, link
from cspo_desktop.interop.links import listing
from cspo_desktop.interop.reading import provided
from cspo_desktop.interop.records import ColumnUse, ParsedImport, ReadOptions, SkippedRow

_V = TypeVar("_V")
_SPRINT_NAME = re.compile(r"[\[,]name=([^,\]]*)")
#: The single-valued fields read in one step, in the order :meth:`JiraRows.add` unpacks them.
_SINGLE = (
    "key",
    "id",
    "type",
    "status",
    "status_category",
    "description",
    "points",
    "priority",
    "parent_summary",
    "rank",
)


class _Words(dict[str, _V]):
    """A tracker's names in the product's words, each name folded once; unknown ones noted."""

    def __init__(self, read: Callable[[str], _V]) -> None:
        super().__init__()
        self.read = read
        self.unknown: dict[str, None] = {}

    def __missing__(self, name: str) -> _V:
        value = self[name] = self.read(name)
        if value is None and name:
            self.unknown[name] = None
        return value


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a big file is read.

    Reading makes a few hundred thousand long-lived objects and no reference cycles; left
    on, the collector would walk them all again and again (a quarter of the reading time
    at 100,000 rows). The previous setting comes back afterwards, whatever happens.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class JiraRows:
    """Collects Jira rows as drafts and turns them into items once all are read.

    Cells are picked with :func:`operator.itemgetter`s made once (an empty cell appended to
    every row stands for a field no column feeds): the first column of each single-valued
    field in one step, then that field's other columns only when the first is empty.
    """

    def __init__(self, columns: JiraColumns, options: ReadOptions) -> None:
        self.columns = columns
        self.options = options
        self.drafts: list[Draft] = []
        self.keys: set[str] = set()
        self.skipped: list[SkippedRow] = []
        self.sprints: dict[str, None] = {}
        self.blank = 0
        self.types = _Words(words.item_type)
        self.subtasks = _Words(words.is_subtask)
        self.statuses = _Words(words.status)
        self.categories = _Words(words.status_category)
        self.priorities = _Words(words.priority)
        self.points = _Words(words.parse_number)
        self.sprint_names = _Words(self._sprint)
        blank = columns.width
        singles = [getattr(columns, name) for name in _SINGLE]
        self.pick = itemgetter(*(indexes[0] if indexes else blank for indexes in singles))
        self.fallbacks = [(at, indexes[1:]) for at, indexes in enumerate(singles) if indexes[1:]]
        self.pick_labels = itemgetter(*columns.labels, blank, blank)
        self.pick_sprints = itemgetter(*columns.sprint, blank, blank)
        self.pick_parents = itemgetter(*(columns.parent + columns.epic_link), blank, blank)
        self.pick_criteria = itemgetter(*columns.criteria, blank, blank)

    def add(self, row: int, cells: list[str]) -> None:
        """Read one row: a draft, or a skipped row with its reason, or a blank counted.

        ``cells`` is the reader's own list: an empty cell is appended to it.
        """
        columns = self.columns
        if len(cells) != columns.width:
            cells = cells[: columns.width] + [""] * (columns.width - len(cells))
        cells.append("")
        title = _raw_first(cells, columns.title)
        values = list(map(str.strip, self.pick(cells)))
        for at, indexes in self.fallbacks:
            if not values[at]:
                values[at] = _first(cells, indexes)
        key, id_, kind, status, category, description, points, priority, parent_title, rank = values
        # A file written for Jira's importer keys new issues by their Issue ID only.
        key = key or id_
        if not title.strip() or not key or key in self.keys:
            self._refuse(row, cells, title, key)
            return
        self.keys.add(key)
        if "\r" in description:
            description = description.replace("\r\n", "\n").replace("\r", "\n")
        sprint = None
        for name in _values(self.pick_sprints(cells)):
            sprint = self.sprint_names[name]
        if columns.criteria:
            criteria = _values(self.pick_criteria(cells))
            criteria = tuple(text_lines("\n".join(criteria))) if criteria else ()
        elif CRITERIA_HEADER in description:
            description, criteria = split_description(description)
        else:
            criteria = ()
        self.drafts.append(
            Draft(
                row,
                key,
                id_,
                title,
                self.types[kind] or ItemType.STORY,
                self.subtasks[kind],
                self.categories[category] or self.statuses[status] or Status.TODO,
                description,
                self.points[points],
                self.priorities[priority],
                _labels(_values(self.pick_labels(cells))),
                sprint,
                _values(self.pick_parents(cells)),
                parent_title,
                criteria,
                rank,
            )
        )

    def parsed(
        self,
        file_format: str,
        encoding: str,
        delimiter: str | None,
        uses: tuple[ColumnUse, ...],
        sample: Sequence[tuple[str, ...]],
    ) -> ParsedImport:
        """The reader's result, once every row was added."""
        outcome = self.finish()
        return ParsedImport(
            tool="jira",
            file_format=file_format,
            encoding=encoding,
            delimiter=delimiter,
            columns=uses,
            items=outcome.items,
            sprints=tuple(self.sprints),
            skipped=outcome.skipped,
            warnings=outcome.warnings,
            sample=tuple(sample),
            provided=provided(uses),
        )

    def finish(self) -> Outcome:
        """Parents resolved, sub-tasks folded, rank order, and the warnings of the whole file."""
        outcome = link(self.drafts, keep_subtasks=self.options.keep_subtasks)
        warnings = [*self._warnings(), *outcome.warnings]
        skipped = sorted([*self.skipped, *outcome.skipped], key=lambda skip: skip.row)
        return Outcome(outcome.items, tuple(skipped), tuple(warnings))

    def _refuse(self, row: int, cells: Sequence[str], title: str, key: str) -> None:
        if not any(value.strip() for value in cells):
            self.blank += 1
        elif not title.strip():
            what = f"{key} has" if key else "it has"
            self.skipped.append(SkippedRow(row, f"{what} no title (Summary is empty)"))
        elif not key:
            self.skipped.append(SkippedRow(row, f"'{title.strip()}' has no issue key"))
        else:
            reason = f"the key {key} is used by an earlier row; this one is left out"
            self.skipped.append(SkippedRow(row, reason))

    def _sprint(self, value: str) -> str:
        """A sprint's name, noted in order of first appearance."""
        name = sprint_name(value)
        self.sprints.setdefault(name, None)
        return name

    def _warnings(self) -> list[str]:
        warnings = words.unknown_word_warnings(
            self.blank,
            self.statuses.unknown,
            self.types.unknown,
            self.priorities.unknown,
            kinds_name="Issue types",
        )
        if self.points.unknown:
            warnings.append(
                "Story points that are not numbers were left empty: "
                f"{listing(repr(text) for text in self.points.unknown)}."
            )
        return warnings


def sprint_name(value: str) -> str:
    """The sprint's name, also out of an old server's ``Sprint@…[…,name=Sprint 1,…]`` text."""
    if "name=" in value and "@" in value and (found := _SPRINT_NAME.search(value)):
        return found.group(1).strip() or value
    return value


def _first(cells: list[str], indexes: tuple[int, ...]) -> str:
    """The first non-empty value among the columns, stripped (``""`` when all are empty)."""
    for index in indexes:
        if value := cells[index].strip():
            return value
    return ""


def _values(cells: tuple[str, ...]) -> tuple[str, ...]:
    """The non-empty ones of picked cells, stripped, in column order."""
    return tuple(filter(None, map(str.strip, cells)))


def _raw_first(cells: list[str], indexes: tuple[int, ...]) -> str:
    """The first value with any text in it, exactly as written (a title keeps its blanks)."""
    for index in indexes:
        if cells[index].strip():
            return cells[index]
    return ""


def _labels(values: tuple[str, ...]) -> tuple[str, ...]:
    """Labels in order, once each; Jira labels hold no blanks, so a cell may hold several."""
    if not values:
        return ()
    if len(values) == 1 and " " not in values[0]:
        return values
    return tuple(dict.fromkeys(label for value in values for label in value.split()))
