"""A CSV file for Jira's importer (Jira ▸ Import issues from CSV).

The columns, in this order:

- ``Issue ID``: the local item number, which Jira uses only to link rows; ``Parent`` holds the
  parent's ``Issue ID``, and parents come before their children (an ancestor moves up to just
  before its first child; everything else stays in backlog order, as Jira cannot import a rank).
- ``Issue key``: only when some items came from Jira: their original key (empty for others),
  listed among the risky cells like any text.
- ``Summary``, ``Issue Type`` (types every Jira project has: Epic, Story, Bug, Task; a spike is
  a Story, a chore a Task), ``Status`` (To Do, In Progress, Done), ``Priority`` (Highest …
  Lowest).
- story points under the column name the user gives (``Story Points`` by default), ``5`` for
  5.0 and ``0.5`` for a half; ``Sprint`` (its name).
- ``Description``, with the acceptance criteria after it as an "Acceptance criteria:" list in
  Jira's markup (``* `` bullets): Jira has no criteria field of its own, and a description
  travels to every Jira project without a custom field to map. The Jira reader splits such a
  section off again (:func:`split_description`), so criteria do not pile up on round trips.
- ``Labels``, repeated: one column per label of the item with the most. Jira labels hold no
  blanks, so a blank inside a label becomes ``_`` (a warning says how many changed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cspo_desktop.interop.reading import one_line
from cspo_desktop.interop.records import ExportItem
from cspo_desktop.interop.words import priority_name
from cspo_desktop.interop.writing import (
    Cells,
    ExportOptions,
    ExportResult,
    csv_text,
    parents_first,
    parents_in,
    points_header,
    points_text,
)

_TYPES = {"epic": "Epic", "story": "Story", "bug": "Bug", "spike": "Story", "chore": "Task"}
_STATUSES = {"todo": "To Do", "in_progress": "In Progress", "done": "Done"}
_BLANKS = re.compile(r"\s+")
#: The line that starts the criteria section of a description.
CRITERIA_HEADER = "Acceptance criteria:"


def export_jira_csv(
    items: Sequence[ExportItem], options: ExportOptions | None = None
) -> ExportResult:
    """Items (in backlog order) as one CSV file for Jira's importer.

    Raises:
        InvalidInput: the story-point column's name is empty or clashes with another column.
    """
    options = options or ExportOptions()
    parents, lost = parents_in(items)
    with_key = any(item.external_source == "jira" for item in items)
    key_column = ["Issue key"] if with_key else []
    front = ["Issue ID", *key_column, "Summary", "Issue Type", "Status"]
    back = ["Sprint", "Parent", "Description"]
    points = points_header(options, [*front, "Priority", *back, "Labels"])
    labels = {item.number: _labels(item.labels) for item in items}
    width = max(map(len, labels.values()), default=0)
    rows = [[*front, "Priority", points, *back, *["Labels"] * width]]
    cells = Cells(options)
    for item in parents_first(items, parents):
        parent = parents[item.number]
        own = [cells.text(item, "Labels", label) for label in labels[item.number]]
        rows.append(
            [
                str(item.number),
                *([cells.text(item, "Issue key", _jira_key(item))] if with_key else []),
                cells.text(item, "Summary", item.title),
                _TYPES.get(item.type, "Story"),
                _STATUSES.get(item.status, "To Do"),
                priority_name(item.priority, tool="jira"),
                points_text(item.points),
                cells.text(item, "Sprint", item.sprint or ""),
                "" if parent is None else str(parent),
                cells.text(item, "Description", description(item)),
                *own,
                *[""] * (width - len(own)),
            ]
        )
    return ExportResult(
        files=(("", csv_text(rows)),),
        risky_cells=tuple(cells.risky),
        warnings=tuple(_warnings(items, parents, lost)),
    )


def description(item: ExportItem) -> str:
    """The description, then the acceptance criteria as a bulleted list in Jira's markup.

    A criterion with line breaks is written on one line, as one bullet.
    """
    if not item.criteria:
        return item.description
    section = f"{CRITERIA_HEADER}\n" + "\n".join(f"* {one_line(text)}" for text in item.criteria)
    return f"{item.description.rstrip()}\n\n{section}" if item.description.strip() else section


def split_description(text: str) -> tuple[str, tuple[str, ...]]:
    """What :func:`description` joined, apart again: the description and the criteria.

    Only a description that ends with the criteria section as written here (its header line,
    then nothing but ``* `` bullets) is split; any other comes back as it is, with no criteria.
    """
    at = text.rfind(f"{CRITERIA_HEADER}\n")
    if at < 0 or (at and text[at - 1] != "\n"):
        return text, ()
    lines = text[at + len(CRITERIA_HEADER) + 1 :].split("\n")
    if not all(line.startswith("* ") for line in lines):
        return text, ()
    return text[:at].rstrip(), tuple(found for line in lines if (found := line[2:].strip()))


def _jira_key(item: ExportItem) -> str:
    return (item.external_key or "") if item.external_source == "jira" else ""


def _labels(labels: Sequence[str]) -> tuple[str, ...]:
    """Labels as Jira takes them: no blanks inside (``_`` instead), none empty, once each."""
    return tuple(dict.fromkeys(_BLANKS.sub("_", label.strip()) for label in labels if label))


def _warnings(items: Sequence[ExportItem], parents: dict[int, int | None], lost: int) -> list[str]:
    warnings = []
    changed = sum(1 for item in items for label in item.labels if _BLANKS.search(label.strip()))
    if changed:
        warnings.append(
            f"Jira labels cannot contain blanks: '_' replaces them in {changed} "
            f"label{'s' * (changed > 1)}."
        )
    if lost:
        warnings.append(
            f"Written without a parent, as it is not in this export: {lost} item{'s' * (lost > 1)}."
        )
    types = {item.number: item.type for item in items}
    odd = sum(
        1 for number, parent in parents.items() if parent is not None and types[parent] != "epic"
    )
    if odd:
        warnings.append(
            f"Jira links a story or bug only to an epic, so its importer may leave out the "
            f"parent of {odd} item{'s' * (odd > 1)} whose parent is not an epic."
        )
    return warnings
