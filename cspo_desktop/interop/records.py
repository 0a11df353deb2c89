"""What the readers produce and the writers consume: tracker-neutral records.

A reader (Jira CSV or XML, Azure DevOps CSV, Taiga CSV) returns one :class:`ParsedImport`:
the items in the order they should take in the backlog, every sprint name it met, the rows it
skipped with the reason, and the column mapping it used (so a preview can show and change it).
Values are already in the product's words (:mod:`cspo_desktop.domain.vocabulary`): an item type
is ``"story"``, a status ``"in_progress"``, a priority ``"high"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cspo_desktop.domain.errors import CspoError

#: The fields a source column can be mapped to (``--map "COLUMN=field"``), with a label each.
#: ``ignore`` drops a column a reader would otherwise use.
FIELDS: Mapping[str, str] = {
    "key": "External key",
    "id": "Tracker id",
    "title": "Title",
    "type": "Type",
    "status": "Status",
    "status_category": "Status category",
    "description": "Description",
    "points": "Points",
    "priority": "Priority",
    "labels": "Labels",
    "sprint": "Sprint",
    "parent": "Parent (key or id)",
    "epic_link": "Epic link (key)",
    "parent_summary": "Parent (title)",
    "criteria": "Acceptance criteria",
    "rank": "Rank",
    "ignore": "(ignore)",
}

#: Tool names as the CLI and the archive of imports spell them.
TOOLS: Mapping[str, str] = {"jira": "Jira", "ado": "Azure DevOps", "taiga": "Taiga"}


class ImportCancelled(CspoError):  # noqa: N818 - reads as a sentence
    """The user stopped a long import; nothing was written."""


#: Called now and then while a big file is read, with the fraction done (0.0 … 1.0).
#: It may raise :class:`ImportCancelled` to stop the reading.
Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One item of the source file, in the product's words.

    Attributes:
        row: where it came from, for reports: the row number a spreadsheet shows for a CSV
            (the header is row 1, the first item row 2) or the 1-based ``<item>`` of an XML
            file.
        external_key: the source's own identifier, verbatim (``PROJ-12``, ``4711``, ``23``).
        parent_key: the ``external_key`` of its parent (epic or parent story), already
            resolved from whatever the source used (numeric ids, epic links, parent titles).
        sprint: the name of the sprint it belongs to (the last one the source lists).
        criteria: acceptance criteria, one per entry, in order.
        tracker_id: the tracker's other identifier, when it has one besides the key (Jira's
            numeric ``Issue id``, which ``Parent`` columns refer to).
        parent_ref: the parent reference exactly as the file gives it, when it names no item
            of the file (``parent_key`` is then None): a re-import may find that parent among
            the items imported before, or leave the item's parent as it is.
    """

    row: int
    external_key: str
    title: str
    type: str = "story"
    status: str = "todo"
    description: str = ""
    points: float | None = None
    priority: str | None = None
    labels: tuple[str, ...] = ()
    sprint: str | None = None
    parent_key: str | None = None
    criteria: tuple[str, ...] = ()
    tracker_id: str | None = None
    parent_ref: str | None = None


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row left out of the import, and why (in words a PO can act on).

    ``folded`` marks team work (a Jira sub-task, an Azure DevOps task) that went into its
    parent's description instead of becoming an item: left out on purpose, not lost.
    """

    row: int
    reason: str
    folded: bool = False


@dataclass(frozen=True, slots=True)
class ColumnUse:
    """How one column of the source is used: its header and the field it feeds (or None)."""

    index: int
    header: str
    field: str | None


@dataclass(frozen=True, slots=True)
class ParsedImport:
    """Everything a reader found in one file.

    Attributes:
        tool: ``"jira"``, ``"ado"`` or ``"taiga"``.
        file_format: ``"csv"`` or ``"xml"``.
        encoding: the encoding the file was read with (``"utf-8-sig"``, ``"cp1252"``, …).
        delimiter: the CSV delimiter found (``None`` for XML).
        columns: every column of the file with the field it was mapped to.
        items: in the order they take in the backlog (by the source's rank when it has one,
            otherwise file order); parents may come after their children.
        sprints: every sprint name met, in order of first appearance.
        skipped: rows left out (empty rows, sub-tasks folded into their parent, rows without
            a title or key…), each with its reason.
        warnings: things the user should know that skipped no row.
        sample: up to five data rows as read, for the preview.
        provided: which tracker fields the file has at all, among ``title``,
            ``description``, ``type``, ``status``, ``points``, ``priority``, ``labels``,
            ``sprint`` and ``parent`` (a "current fields" export has no points or sprint).
            A re-import leaves the fields a file lacks as they are. None: all of them.
    """

    tool: str
    file_format: str
    encoding: str
    delimiter: str | None
    columns: tuple[ColumnUse, ...]
    items: tuple[SourceItem, ...]
    sprints: tuple[str, ...] = ()
    skipped: tuple[SkippedRow, ...] = ()
    warnings: tuple[str, ...] = ()
    sample: tuple[tuple[str, ...], ...] = ()
    provided: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Choices the user makes before or in the preview.

    Attributes:
        mapping: header → field, overriding what the reader recognised (``ignore`` drops a
            column). Headers are matched exactly first, then case-insensitively.
        points_column: the header holding story points, when it is none of the usual ones.
        keep_subtasks: import Jira sub-tasks as items instead of folding them into the parent.
    """

    mapping: Mapping[str, str] = field(default_factory=dict)
    points_column: str | None = None
    keep_subtasks: bool = False


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One item as the writers need it, in backlog order.

    Attributes:
        number: the local item number (the digits of ``PAY-42``), unique in the product; Jira's
            ``Issue ID`` and the ``Parent`` reference use it.
        key: the local key (``PAY-42``).
        external_source / external_key: where it was imported from, if anywhere.
        parent_number: the parent's ``number``, if it has a parent.
        sprint: the sprint's name.
    """

    number: int
    key: str
    type: str
    title: str
    description: str
    status: str
    points: float | None
    priority: str | None
    labels: tuple[str, ...]
    sprint: str | None
    parent_number: int | None
    criteria: tuple[str, ...]
    external_source: str | None
    external_key: str | None
