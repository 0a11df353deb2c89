"""Taiga user-story CSV exports (Backlog ▸ CSV) into tracker-neutral items.

How the columns are read (every item is a story: the file holds user stories only):

- ``ref`` is the key (the ``#23`` Taiga shows), verbatim; ``subject`` the title.
- ``status`` is folded into to do, in progress or done; ``is_closed`` set to ``True`` makes
  the item done whatever its status is called.
- ``sprint`` (``milestone`` in older exports) is the sprint's name.
- ``total-points`` are the points: Taiga estimates per role (``ux-points``, ``back-points``…)
  and the total is their sum. ``?``, ``n/a`` and an empty cell mean not estimated.
- ``tags`` are labels, separated by commas; ``description`` is kept as written.
- ``backlog_order`` orders the items, lowest first; items without one follow in file order.
- ``epics`` (or ``epic``) names the refs of the story's epics. Taiga exports epics in a file of
  their own, so the first one becomes the parent only when it is an item of this file;
  otherwise it is kept as a reference (``parent_ref``) for a re-import to find, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cspo_desktop.domain.vocabulary import ItemType, Status
from cspo_desktop.interop import words
from cspo_desktop.interop.reading import (
    Table,
    cell,
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
from cspo_desktop.interop.row_drafts import Draft, Drafts, parsed, raw_first, sampled

#: Header names of the columns this reader uses.
RECOGNISED: dict[str, tuple[str, ...]] = {
    "key": ("ref",),
    "title": ("subject",),
    "description": ("description",),
    "status": ("status",),
    "sprint": ("sprint", "milestone"),
    "points": ("total-points", "total_points"),
    "labels": ("tags",),
    "rank": ("backlog_order",),
    "parent": ("epics", "epic"),
}
_CLOSED = "is_closed"
_TRUE = frozenset({"true", "1", "yes", "t"})
_FIELDS = ("key", "title", "description", "status", "sprint", "points", "labels", "rank", "parent")
#: The tracker fields this reader reads (every item is a story; Taiga has no priority here).
_READS = ("title", "description", "status", "sprint", "points", "labels", "parent")


def read_taiga_csv(
    path: Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> ParsedImport:
    """Read a Taiga user-story CSV export into items in backlog order.

    Raises:
        InvalidInput: the file is not a CSV export, or has no ``ref`` or no ``subject``.
        ImportCancelled: ``progress`` stopped the reading.
    """
    options = options or ReadOptions()
    table = open_table(path)
    uses = map_columns(table.header, recognised_for(RECOGNISED, options), options)
    columns = _columns(table, uses)
    closed = next(
        (index for index, name in enumerate(table.header) if normalise(name) == _CLOSED), None
    )
    drafts = Drafts(tool="Taiga", key_name="ref")
    sample: list[tuple[str, ...]] = []
    for row, cells in sampled(table.rows(progress), sample):
        key = first_value(cells, columns["key"]).lstrip("#")
        title = raw_first(cells, columns["title"])
        if drafts.accepts(row, cells, key, title):
            is_closed = closed is not None and cell(cells, closed).casefold() in _TRUE
            drafts.drafts.append(
                _draft(drafts, columns, row, cells, key=key, title=title, is_closed=is_closed)
            )
    items, skipped = drafts.finish(fold_tasks=False)
    return parsed(
        "taiga",
        table,
        columns=uses,
        items=items,
        skipped=skipped,
        warnings=drafts.notes("Types"),
        sample=sample,
        provided=provided(uses, _READS) | ({"status"} if closed is not None else set()),
    )


def _columns(table: Table, uses: Sequence[ColumnUse]) -> dict[str, tuple[int, ...]]:
    """The indexes of the columns feeding each field, found once for the whole file."""
    found = {name: tuple(columns_of(uses, name)) for name in _FIELDS}
    refuse_missing(
        table,
        [name for name, field in (("ref", "key"), ("subject", "title")) if not found[field]],
        "a Taiga user-story export",
        "Export the user stories from Taiga's backlog as CSV, or map the columns that hold them.",
    )
    return found


def _draft(
    drafts: Drafts,
    columns: dict[str, tuple[int, ...]],
    row: int,
    cells: Sequence[str],
    *,
    key: str,
    title: str,
    is_closed: bool,
) -> Draft:
    """One row as a draft: the story, the first epic it names, its backlog order."""
    status = drafts.word("status", first_value(cells, columns["status"]), words.status)
    tags = (tag.strip() for tag in first_value(cells, columns["labels"]).split(","))
    epics = (ref.strip().lstrip("#") for ref in first_value(cells, columns["parent"]).split(","))
    item = SourceItem(
        row=row,
        external_key=key,
        title=title,
        type=ItemType.STORY,
        status=Status.DONE if is_closed else status or Status.TODO,
        description=raw_first(cells, columns["description"]).strip(),
        points=drafts.points(row, first_value(cells, columns["points"])),
        labels=tuple(dict.fromkeys(tag for tag in tags if tag)),
        sprint=first_value(cells, columns["sprint"]) or None,
    )
    return Draft(
        item,
        parent=next((epic for epic in epics if epic), ""),
        rank=words.parse_rank(first_value(cells, columns["rank"])),
    )
