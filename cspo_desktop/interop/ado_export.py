r"""CSV files for Azure DevOps' importer (Boards ▸ Work items ▸ Import from CSV).

The columns, in this order:

- ``ID``: the item's Azure DevOps ID when it came from there (the row then updates that work
  item), otherwise empty, so Azure DevOps creates it. An item read from a file without IDs
  (its key is ``title:…``) has none yet: it is new to Azure DevOps too.
- ``Work Item Type``: Epic, User Story, Bug or Task, the Agile process's names (a spike is a
  User Story, a chore a Task).
- ``Title``, or for a hierarchy ``Title 1``, ``Title 2``…: when any item's parent is exported
  too, each row's title goes in the column of its depth and its children follow it, as in a
  tree query; a family takes the place of its first member in the backlog.
- ``State``: New, Active or Closed for work items that came from Azure DevOps. Azure DevOps
  creates imported work items in their first state, so a new one has none (a warning counts
  those in progress or done).
- story points under the column name the user gives (``Story Points``; ``Effort`` for
  Scrum, ``Size`` for CMMI), ``Priority`` 1 to 4, ``Tags`` joined by ``; ``.
- ``Iteration Path``: the sprint under the iteration root the user gives (``Fabrikam\Sprint
  3``); Azure DevOps accepts only whole paths, so without a root the column is left out.
- ``Description`` and ``Acceptance Criteria`` in HTML, which is how Azure DevOps keeps them:
  lines become ``<br>``, criteria a ``<ul>`` list.

Azure DevOps imports at most 1,000 work items per file, so a longer backlog is written as
several files, whole families together where they fit; an item whose parent lands in an
earlier file starts its family again in its own file, and a warning counts those.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from cspo_desktop.interop.records import ExportItem
from cspo_desktop.interop.words import priority_name
from cspo_desktop.interop.writing import (
    Cells,
    ExportOptions,
    ExportResult,
    csv_text,
    parents_in,
    points_header,
    points_text,
    tree_order,
)

#: Most work items Azure DevOps imports from one file.
MAX_ROWS = 1_000
_TYPES = {
    "epic": "Epic",
    "story": "User Story",
    "bug": "Bug",
    "spike": "User Story",
    "chore": "Task",
}
_STATES = {"todo": "New", "in_progress": "Active", "done": "Closed"}

Part = list[tuple[ExportItem, int]]


def export_ado_csv(
    items: Sequence[ExportItem], options: ExportOptions | None = None
) -> ExportResult:
    """Items (in backlog order) as CSV files for Azure DevOps' importer, 1,000 rows at most each.

    Raises:
        InvalidInput: the story-point column's name is empty or clashes with another column.
    """
    options = options or ExportOptions()
    parents, lost = parents_in(items)
    tree = any(parent is not None for parent in parents.values())
    parts, cut = _split(tree_order(items, parents) if tree else [(item, 0) for item in items])
    depth = max((level for part in parts for _item, level in part), default=0)
    titles = [f"Title {level}" for level in range(1, depth + 2)] if tree else ["Title"]
    root = (options.iteration_root or "").strip().rstrip("\\")
    iteration = ["Iteration Path"] if root else []
    ends = ["Priority", "Tags", *iteration, "Description", "Acceptance Criteria"]
    front = ["ID", "Work Item Type", *titles, "State"]
    header = [*front, points_header(options, [*front, *ends]), *ends]
    cells = Cells(options)
    files = []
    for number, part in enumerate(parts, start=1):
        rows = [header, *(_row(item, level, len(titles), root, cells) for item, level in part)]
        files.append((f"-part{number}" if len(parts) > 1 else "", csv_text(rows)))
    return ExportResult(
        files=tuple(files),
        risky_cells=tuple(cells.risky),
        warnings=tuple(_warnings(items, len(parts), lost, cut, root)),
    )


def _row(item: ExportItem, level: int, width: int, root: str, cells: Cells) -> list[str]:
    """One work item's cells; its title in the column of its level."""
    ado_id = _ado_id(item)
    titles = [""] * width
    titles[level] = cells.text(item, "Title", item.title)
    tags = "; ".join(label.replace(";", ",").strip() for label in item.labels if label.strip())
    sprint = f"{root}\\{item.sprint}" if item.sprint else ""
    criteria = "".join(f"<li>{escape(text, quote=False)}</li>" for text in item.criteria)
    return [
        cells.text(item, "ID", ado_id),
        _TYPES.get(item.type, "User Story"),
        *titles,
        _STATES.get(item.status, "New") if ado_id else "",
        points_text(item.points),
        priority_name(item.priority, tool="ado"),
        cells.text(item, "Tags", tags),
        *([cells.text(item, "Iteration Path", sprint)] if root else []),
        cells.text(item, "Description", _html(item.description)),
        cells.text(item, "Acceptance Criteria", f"<ul>{criteria}</ul>" if criteria else ""),
    ]


def _ado_id(item: ExportItem) -> str:
    """The Azure DevOps ID the item came with, if any (``title:…`` keys are not IDs)."""
    key = item.external_key or ""
    return key if item.external_source == "ado" and key.isascii() and key.isdigit() else ""


def _html(text: str) -> str:
    """Plain text as Azure DevOps' HTML: special characters escaped, a ``<br>`` per line end."""
    return "<br>".join(escape(line, quote=False) for line in text.strip().splitlines())


def _split(rows: Part) -> tuple[list[Part], int]:
    """Rows in parts of at most :data:`MAX_ROWS`, whole families together where they fit.

    A family longer than a part is cut in order; in each part a row whose parent is in
    another part starts a family again (its level and its descendants' move up). Returns the
    parts and how many rows lost their parent that way.
    """
    families: list[Part] = []
    for row in rows:
        if row[1] == 0 or not families:
            families.append([])
        families[-1].append(row)
    parts: list[Part] = [[]]
    for family in families:
        if len(parts[-1]) + len(family) > MAX_ROWS and parts[-1]:
            parts.append([])
        for row in family:
            if len(parts[-1]) == MAX_ROWS:
                parts.append([])
            parts[-1].append(row)
    cut = 0
    for part in parts:
        cut += _rebase(part)
    return [part for part in parts if part] or [[]], cut


def _rebase(part: Part) -> int:
    """Give the rows whose ancestors are in an earlier part the levels they have in this one."""
    above: list[int] = []  # the original levels of the rows this one may hang under
    cut = 0
    for index, (item, level) in enumerate(part):
        while above and above[-1] >= level:
            above.pop()
        cut += level > 0 and not above
        part[index] = (item, len(above))
        above.append(level)
    return cut


def _warnings(items: Sequence[ExportItem], parts: int, lost: int, cut: int, root: str) -> list[str]:
    warnings = []
    if parts > 1:
        warnings.append(
            f"Azure DevOps imports at most {MAX_ROWS:,} rows per file: written as {parts} "
            "files; import them in order."
        )
    if cut:
        warnings.append(
            f"In a different file from their parent: {cut} item{'s' * (cut > 1)}. Set "
            "those parents in Azure DevOps after the import."
        )
    if lost:
        warnings.append(
            f"Written without a parent, as it is not in this export: {lost} item{'s' * (lost > 1)}."
        )
    new = [item for item in items if not _ado_id(item)]
    started = sum(1 for item in new if item.status != "todo")
    if started:
        warnings.append(
            "Azure DevOps creates imported work items in their first state (New): "
            f"set the state of {started} item{'s' * (started > 1)} in progress or done there "
            "after the import."
        )
    if not root and any(item.sprint for item in items):
        warnings.append(
            "Sprints were not written: Azure DevOps needs whole iteration paths. Give the "
            "iteration root (the project name, or the path above the sprints) to write them."
        )
    return warnings
