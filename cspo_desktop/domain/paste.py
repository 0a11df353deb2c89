"""Reading pasted text as new backlog items: plain lines, or rows copied from a spreadsheet.

- Plain text: one item per line that is not blank; the line is the title, as typed.
- Tab-separated rows: the first column is the title. When the first row is a header (it names
  columns this module knows, in any case: title or summary, type, points / story points /
  estimate, description, labels or tags, value / business value), the header says which
  column is which. Without a header, a second column of numbers is the estimate and a second
  column of words the description.

Rows are numbered as in the pasted text (the header is row 1), so a message can name the row
to fix. Labels are split at commas and semicolons.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.vocabulary import ItemType

MAX_ITEMS = 5_000
MAX_TITLE = 500
MAX_BUSINESS_VALUE = 1_000_000

_NUMBER = re.compile(r"(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)\Z")
_LABEL_SEPARATORS = re.compile(r"[,;]")
_SPACES = re.compile(r"\s+")

#: Header names (case-insensitive, spaces folded) and the field each one fills.
HEADER_NAMES: dict[str, str] = {
    "title": "title",
    "summary": "title",
    "type": "type",
    "issue type": "type",
    "work item type": "type",
    "points": "points",
    "story points": "points",
    "story point estimate": "points",
    "estimate": "points",
    "description": "description",
    "labels": "labels",
    "tags": "labels",
    "value": "business_value",
    "business value": "business_value",
}


@dataclass(frozen=True, slots=True)
class PastedItem(NewItem):
    """A new item read from a paste: where it was, and a business value when one was given.

    Attributes:
        row: the row of the pasted text it came from (1 = the first line).
        business_value: the value column, when the paste had one.
    """

    row: int = 0
    business_value: int | None = None


def _header_key(cell: str) -> str:
    return _SPACES.sub(" ", cell.strip()).casefold()


def _number(cell: str) -> float | None:
    """A plain decimal number (comma or point), ``½`` too; ``None`` when the cell is not one."""
    text = cell.strip()
    if text == "½":
        return 0.5
    if not _NUMBER.match(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


def _labels(cell: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in _LABEL_SEPARATORS.split(cell):
        label = part.strip()
        if label and label not in out:
            out.append(label)
    return tuple(out)


def _type(cell: str, row: int) -> ItemType:
    text = _header_key(cell)
    if not text:
        return ItemType.STORY
    aliases = {"user story": ItemType.STORY, "task": ItemType.CHORE, "defect": ItemType.BUG}
    if text in aliases:
        return aliases[text]
    try:
        return ItemType(text)
    except ValueError:
        names = ", ".join(t.value for t in ItemType)
        msg = f"Row {row}: “{cell.strip()}” is not an item type; use one of {names}."
        raise InvalidInput(msg) from None


def _points(cell: str, row: int) -> float | None:
    if not cell.strip():
        return None
    value = _number(cell)
    if value is None:
        msg = f"Row {row}: “{cell.strip()}” is not a number of points."
        raise InvalidInput(msg)
    return value


def _business_value(cell: str, row: int) -> int | None:
    text = cell.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or int(text) > MAX_BUSINESS_VALUE:
        msg = (
            f"Row {row}: “{text}” is not a business value; "
            f"use a whole number from 0 to {MAX_BUSINESS_VALUE:,}."
        )
        raise InvalidInput(msg)
    return int(text)


def _title(cell: str, row: int) -> str:
    if not cell.strip():
        msg = f"Row {row} has no title; every item needs one."
        raise InvalidInput(msg)
    if len(cell) > MAX_TITLE:
        msg = f"Row {row}: a title can have at most {MAX_TITLE} characters."
        raise InvalidInput(msg)
    return cell


def _rows(text: str) -> list[tuple[int, str]]:
    """The lines that are not blank, numbered from 1, without their line breaks."""
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _check_count(count: int) -> None:
    if count > MAX_ITEMS:
        msg = f"A paste can add at most {MAX_ITEMS:,} items; this one has {count:,}."
        raise InvalidInput(msg)


def parse_paste(text: str) -> list[NewItem]:
    """Read pasted text as new items (see the module's description).

    Returns:
        The items in pasted order (each a :class:`PastedItem`); empty for blank text.

    Raises:
        InvalidInput: more than :data:`MAX_ITEMS` items, a row without a title, a title that
            is too long, or a cell that cannot be read (a bad number, an unknown type); the
            message names the row.
    """
    rows = _rows(text)
    if not any("\t" in line for _n, line in rows):
        _check_count(len(rows))
        return [PastedItem(title=_title(line, n), row=n) for n, line in rows]
    table = [(n, line.split("\t")) for n, line in rows]
    columns = _header(table[0][1])
    if columns is not None:
        table = table[1:]
    else:
        columns = _guess_columns(table)
    _check_count(len(table))
    return [_item(n, cells, columns) for n, cells in table]


def _header(cells: list[str]) -> dict[str, int] | None:
    """Field → column index when ``cells`` is a header row, else ``None``."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = HEADER_NAMES.get(_header_key(cell))
        if field is not None and field not in columns:
            columns[field] = index
    if not columns:
        return None
    columns.setdefault("title", 0)
    return columns


def _guess_columns(table: list[tuple[int, list[str]]]) -> dict[str, int]:
    """Without a header: the title first, then points if the second column holds numbers."""
    second = [(n, cells[1]) for n, cells in table if len(cells) > 1 and cells[1].strip()]
    if not second:
        return {"title": 0}
    numbers = [_number(cell) is not None for _n, cell in second]
    if not any(numbers):
        return {"title": 0, "description": 1}
    if not all(numbers):
        n, cell = next((n, c) for (n, c), ok in zip(second, numbers, strict=True) if not ok)
        msg = f"Row {n}: “{cell.strip()}” is not a number of points."
        raise InvalidInput(msg)
    return {"title": 0, "points": 1}


def _item(row: int, cells: list[str], columns: dict[str, int]) -> PastedItem:
    def cell(field: str) -> str:
        index = columns.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    return PastedItem(
        title=_title(cell("title"), row),
        type=_type(cell("type"), row),
        description=cell("description"),
        points=_points(cell("points"), row),
        labels=_labels(cell("labels")),
        business_value=_business_value(cell("business_value"), row),
        row=row,
    )
