"""What the Jira and Azure DevOps writers share: options, result, cells, points and hierarchy.

The writers are pure: :class:`~cspo_desktop.interop.records.ExportItem` rows in backlog order
in, CSV text out (UTF-8 without a byte-order mark, CRLF line ends, fields quoted only when they
need it: what :mod:`csv` writes by default). The caller saves the text.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return runs as a
formula when the file is opened in a spreadsheet. Such cells are always listed in
:attr:`ExportResult.risky_cells`; they are changed (an apostrophe in front, which spreadsheets
hide) only when the user asks for a file that is safe to open in a spreadsheet, because the
tracker would then import the apostrophe too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.tsv import FORMULA_STARTS
from cspo_desktop.interop.records import ExportItem


@dataclass(frozen=True, slots=True)
class ExportOptions:
    r"""Choices the user makes before an export.

    Attributes:
        points_column: the header of the story-point column, as the tracker names its field
            (Jira: ``Story Points`` or ``Story point estimate``; Azure DevOps: ``Story
            Points`` for Agile, ``Effort`` for Scrum, ``Size`` for CMMI).
        safe_for_spreadsheets: put an apostrophe before cells a spreadsheet would run as a
            formula.
        iteration_root: Azure DevOps only: the iteration path above the sprints
            (``Fabrikam`` or ``Fabrikam\Release 1``). Azure DevOps needs a whole path, so
            without it no ``Iteration Path`` column is written.
    """

    points_column: str = "Story Points"
    safe_for_spreadsheets: bool = False
    iteration_root: str | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote.

    Attributes:
        files: ``(suffix, text)`` per file: the suffix to add to the file name before its
            extension (``""`` for a single file, ``"-part2"`` for the second of several).
        risky_cells: ``(item key, column)`` of every cell starting with a formula character.
        warnings: what the user should know before importing the file.
    """

    files: tuple[tuple[str, str], ...]
    risky_cells: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...] = ()


class Cells:
    """Writes cells, noting (and, when asked, defusing) those a spreadsheet would run."""

    def __init__(self, options: ExportOptions) -> None:
        self.safe = options.safe_for_spreadsheets
        self.risky: list[tuple[str, str]] = []

    def text(self, item: ExportItem, column: str, value: str) -> str:
        """``value`` as written in ``column`` of ``item``'s row."""
        if value.startswith(FORMULA_STARTS):
            self.risky.append((item.key, column))
            if self.safe:
                return "'" + value
        return value


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Rows as CSV text: commas, CRLF, quotes only where a field needs them."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def points_text(points: float | None) -> str:
    """Points as a tracker reads them: ``5`` for 5.0, ``0.5`` for a half, ``""`` for none."""
    if points is None:
        return ""
    if points.is_integer():
        return str(int(points))
    return format(Decimal(repr(points)), "f")


def points_header(options: ExportOptions, taken: Iterable[str]) -> str:
    """The points column's name, checked: not empty, not the name of another column.

    Raises:
        InvalidInput: the name is empty or clashes with a column the export writes anyway.
    """
    name = options.points_column.strip()
    if not name:
        raise InvalidInput("The story-point column needs a name, such as 'Story Points'.")
    if name.casefold() in {column.casefold() for column in taken}:
        raise InvalidInput(
            f"'{name}' is already a column of this export; name the story-point column as "
            "your tracker names its field, such as 'Story Points'."
        )
    return name


def parents_in(items: Sequence[ExportItem]) -> tuple[dict[int, int | None], int]:
    """Each item's parent when the parent is exported too (circles cut), and how many lost one.

    A parent outside the export cannot be referred to, so the child is written without one.
    """
    numbers = {item.number for item in items}
    parents: dict[int, int | None] = {}
    lost = 0
    for item in items:
        parent = item.parent_number
        found = parent if parent in numbers and parent != item.number else None
        lost += parent is not None and found is None
        parents[item.number] = found
    done: set[int] = set()
    for start in parents:
        path: dict[int, None] = {}
        node: int | None = start
        while node is not None and node not in done and node not in path:
            path[node] = None
            node = parents[node]
        if node is not None and node in path:
            parents[next(reversed(path))] = None
            lost += 1
        done.update(path)
    return parents, lost


def parents_first(items: Sequence[ExportItem], parents: dict[int, int | None]) -> list[ExportItem]:
    """Backlog order, except that each item's ancestors come just before it if not yet written."""
    by_number = {item.number: item for item in items}
    done: set[int] = set()
    ordered = []
    for item in items:
        chain = []
        node: int | None = item.number
        while node is not None and node not in done:
            chain.append(node)
            node = parents[node]
        for number in reversed(chain):
            done.add(number)
            ordered.append(by_number[number])
    return ordered


def tree_order(
    items: Sequence[ExportItem], parents: dict[int, int | None]
) -> list[tuple[ExportItem, int]]:
    """Items with their depth, each followed by its descendants, otherwise in backlog order.

    A family takes the place of its first member in the backlog.
    """
    by_number = {item.number: item for item in items}
    children: dict[int | None, list[int]] = {}
    for item in items:
        children.setdefault(parents[item.number], []).append(item.number)
    done: set[int] = set()
    ordered = []
    for item in items:
        root = item.number
        while (parent := parents[root]) is not None:
            root = parent
        if root in done:
            continue
        stack = [(root, 0)]
        while stack:
            number, depth = stack.pop()
            done.add(number)
            ordered.append((by_number[number], depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(number, [])))
    return ordered
