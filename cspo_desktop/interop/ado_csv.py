r"""Azure DevOps CSV exports (a work-item query saved as CSV) into tracker-neutral items.

How the columns are read:

- ``ID`` is the key, verbatim. A row without one (a file prepared for an Azure DevOps import,
  such as this app's own export) is known by its title (``title:Checkout``), and a warning
  says so.
- ``Work Item Type``: Epic and Feature are epics; User Story, Product Backlog Item,
  Requirement and Task are stories; Bug is a bug. A Task is the team's work on a backlog
  item: when its parent is a story or bug of the same file it is folded into that parent (a
  note in its description, a skipped row saying so) unless the user keeps tasks
  (``ReadOptions.keep_subtasks``), as Jira sub-tasks are.
- ``Iteration Path``: the sprint is the last node below the project
  (``Proj\PI 1\Sprint 2`` is ``Sprint 2``); an item on the project root has no sprint.
- ``Story Points`` (Agile), ``Effort`` (Scrum) or ``Size`` (CMMI): the first one filled in.
- ``Backlog Priority`` (Scrum) or ``Stack Rank`` (Agile, CMMI) orders the items, lowest
  first; items without one follow in file order. Without either column: file order.
- ``Description`` and ``Acceptance Criteria`` are HTML: they become text, and criteria one
  per line or list item.
- ``Tags`` are labels, separated by ``;``. ``Priority`` 1 to 4 reads as high, medium, low and
  lowest (what :func:`~cspo_desktop.interop.words.priority_name` writes back).
- ``Parent`` holds the parent's ID. A *tree* query export has ``Title 1``, ``Title 2``…
  instead of ``Title``: the column a row's title is in is its level, and its parent is the
  nearest row above it one level up. A parent that is not in the file is kept as a
  reference (``parent_ref``) for a re-import to find, with a warning.
- ``Area Path`` and every other column are not used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cspo_desktop.domain.vocabulary import ItemType, Priority
from cspo_desktop.interop import words
from cspo_desktop.interop.html_text import html_to_text, text_lines
from cspo_desktop.interop.reading import (
    Table,
    columns_of,
    first_value,
    map_columns,
    normalise,
    open_table,
    provided,
    recognised_for,
    refuse_missing,
)
from cspo_desktop.interop.records import ColumnUse, ParsedImport, Progress, ReadOptions, SourceItem
from cspo_desktop.interop.row_drafts import Draft, Drafts, parsed, sampled

#: Header names (display names and reference names) of the columns this reader uses.
RECOGNISED: dict[str, tuple[str, ...]] = {
    name: tuple(headers.split("|"))
    for name, headers in {
        "key": "ID|System.Id",
        "title": "Title|System.Title",
        "type": "Work Item Type|System.WorkItemType",
        "status": "State|System.State",
        "sprint": "Iteration Path|System.IterationPath",
        "points": "Story Points|Effort|Size|Microsoft.VSTS.Scheduling.StoryPoints|"
        "Microsoft.VSTS.Scheduling.Effort|Microsoft.VSTS.Scheduling.Size",
        "rank": "Backlog Priority|Stack Rank|Microsoft.VSTS.Common.BacklogPriority|"
        "Microsoft.VSTS.Common.StackRank",
        "criteria": "Acceptance Criteria|Microsoft.VSTS.Common.AcceptanceCriteria",
        "description": "Description|System.Description",
        "labels": "Tags|System.Tags",
        "priority": "Priority|Microsoft.VSTS.Common.Priority",
        "parent": "Parent|System.Parent",
    }.items()
}
#: Azure DevOps priorities, 1 (most important) to 4.
_PRIORITIES = {"1": Priority.HIGH, "2": Priority.MEDIUM, "3": Priority.LOW, "4": Priority.LOWEST}
_TREE_TITLE = re.compile(r"title ?\d{1,2}")
_FIELDS = "key title type status sprint points rank criteria description labels priority parent"


def read_ado_csv(
    path: Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> ParsedImport:
    """Read an Azure DevOps CSV export into items in backlog order.

    Raises:
        InvalidInput: the file is not a CSV export, or has no ``ID`` or no title column.
        ImportCancelled: ``progress`` stopped the reading.
    """
    options = options or ReadOptions()
    table = open_table(path)
    uses = map_columns(table.header, recognised_for(_known(table.header), options), options)
    columns = _columns(table, uses)
    rows = _AdoRows(columns)
    sample: list[tuple[str, ...]] = []
    for row, cells in sampled(table.rows(progress), sample):
        rows.add(row, cells)
    items, skipped = rows.drafts.finish(fold_tasks=not options.keep_subtasks)
    warnings = rows.drafts.notes("Work item types")
    if rows.by_title:
        warnings.append(
            f"{rows.by_title} row{'s have' if rows.by_title > 1 else ' has'} no ID (not yet in "
            "Azure DevOps): known by their titles, so a later import recognises them only if "
            "their titles are unchanged."
        )
    # A tree export gives each row's parent by where its title is.
    tree = frozenset({"parent"} if len(columns.title) > 1 else ())
    return parsed(
        "ado",
        table,
        columns=uses,
        items=items,
        skipped=skipped,
        warnings=warnings,
        sample=sample,
        provided=provided(uses) | tree,
    )


def _known(header: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The known names, with a tree export's ``Title 1``, ``Title 2``… as titles."""
    tree = tuple(name for name in header if _TREE_TITLE.fullmatch(normalise(name)))
    return {**RECOGNISED, "title": RECOGNISED["title"] + tree}


@dataclass(frozen=True, slots=True)
class _Columns:
    """The indexes of the columns feeding each field; ``title`` in level order for a tree."""

    key: tuple[int, ...]
    title: tuple[int, ...]
    type: tuple[int, ...]
    status: tuple[int, ...]
    sprint: tuple[int, ...]
    points: tuple[int, ...]
    rank: tuple[int, ...]
    criteria: tuple[int, ...]
    description: tuple[int, ...]
    labels: tuple[int, ...]
    priority: tuple[int, ...]
    parent: tuple[int, ...]


def _columns(table: Table, uses: Sequence[ColumnUse]) -> _Columns:
    found = {name: tuple(columns_of(uses, name)) for name in _FIELDS.split()}
    refuse_missing(
        table,
        [label for name, label in (("key", "ID"), ("title", "Title")) if not found[name]],
        "an Azure DevOps export",
        "Export the query with the ID and Title columns, or map the columns that hold them.",
    )
    return _Columns(**found)


class _AdoRows:
    """Turns rows into drafts, keeping track of the rows above for a tree export."""

    def __init__(self, columns: _Columns) -> None:
        self.columns = columns
        self.drafts = Drafts(tool="Azure DevOps", key_name="ID")
        self.by_title = 0
        #: ``(level, key)`` of the rows above that may still be parents, in a tree export.
        self.above: list[tuple[int, str]] = []

    def add(self, row: int, cells: Sequence[str]) -> None:
        """Read one row into a draft, or let :class:`Drafts` say why not."""
        level, title = _title(cells, self.columns.title)
        key = first_value(cells, self.columns.key) or self._title_key(title)
        if self.drafts.accepts(row, cells, key, title):
            tree_parent = self._tree_parent(level, key)
            self.drafts.drafts.append(self._draft(row, cells, key, title, tree_parent))

    def _draft(self, row: int, cells: Sequence[str], key: str, title: str, tree: str) -> Draft:
        columns, drafts = self.columns, self.drafts
        type_name = first_value(cells, columns.type)
        tags = (tag.strip() for tag in first_value(cells, columns.labels).split(";"))
        item = SourceItem(
            row=row,
            external_key=key,
            title=title,
            type=drafts.word("type", type_name, words.item_type) or ItemType.STORY,
            status=drafts.word("status", first_value(cells, columns.status), words.status)
            or "todo",
            description=html_to_text(first_value(cells, columns.description)),
            points=drafts.points(row, first_value(cells, columns.points)),
            priority=drafts.word("priority", first_value(cells, columns.priority), _priority),
            labels=tuple(dict.fromkeys(tag for tag in tags if tag)),
            sprint=sprint_of(first_value(cells, columns.sprint)),
            criteria=tuple(text_lines(html_to_text(first_value(cells, columns.criteria)))),
        )
        return Draft(
            item,
            parent=first_value(cells, columns.parent) or tree,
            rank=words.parse_rank(first_value(cells, columns.rank)),
            task=normalise(type_name) == "task",
        )

    def _title_key(self, title: str) -> str:
        """A key for a row without an ID: its title, numbered when the title repeats."""
        if not title.strip():
            return ""
        self.by_title += 1
        key = base = f"title:{title.strip()}"
        number = 1
        while key in self.drafts.keys:
            number += 1
            key = f"{base} #{number}"
        return key

    def _tree_parent(self, level: int, key: str) -> str:
        """The key of the nearest row above one level up (tree exports only)."""
        if len(self.columns.title) < 2:
            return ""
        while self.above and self.above[-1][0] >= level:
            self.above.pop()
        parent = self.above[-1][1] if self.above else ""
        self.above.append((level, key))
        return parent


def _title(cells: Sequence[str], columns: Sequence[int]) -> tuple[int, str]:
    """The level (which title column holds it) and the title exactly as written."""
    for level, index in enumerate(columns):
        if index < len(cells) and cells[index].strip():
            return level, cells[index]
    return 0, ""


def _priority(name: str) -> str | None:
    return _PRIORITIES.get(name) or words.priority(name)


def sprint_of(iteration_path: str) -> str | None:
    """The sprint of an iteration path: its last node below the project root, if any."""
    nodes = [node.strip() for node in iteration_path.split("\\") if node.strip()]
    return nodes[-1] if len(nodes) > 1 else None
