"""How each backlog column shows an item row: header, text, alignment, width, sort order.

Nothing here touches PySide6's ``Qt`` namespace, which PySide6 builds whole (every enum of it,
some 20 ms) on first use: the backlog is the first screen, and this module loads before it
paints. Alignments and roles are Qt's values as plain ints, which Qt accepts wherever a model
answers with them (``tests/gui/test_first_screen.py`` checks them against the enums).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from cspo_desktop.domain.filters import View
from cspo_desktop.domain.points import format_points
from cspo_desktop.domain.vocabulary import MOSCOW_LABELS, STATUS_LABELS, MoSCoW, Status
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS

Index = QModelIndex | QPersistentModelIndex
Row = tuple[Any, ...]
_C = {name: i for i, name in enumerate(BACKLOG_COLUMNS)}
#: ``Qt.AlignRight | Qt.AlignVCenter`` and ``Qt.AlignLeft | Qt.AlignVCenter``.
RIGHT = 0x0082
LEFT = 0x0081
#: ``Qt.ItemDataRole``: DisplayRole, ToolTipRole, TextAlignmentRole, UserRole.
DISPLAY_ROLE, TOOLTIP_ROLE, ALIGNMENT_ROLE, USER_ROLE = 0, 3, 7, 0x0100
#: The roles a backlog cell answers (a view asks each cell for seven on every paint).
CELL_ROLES = frozenset({DISPLAY_ROLE, TOOLTIP_ROLE, ALIGNMENT_ROLE})


def _status(row: Row) -> str:
    text = STATUS_LABELS.get(row[_C["status"]], str(row[_C["status"]]))
    return f"⊘ {text} (blocked)" if row[_C["blocked"]] else text


def _moscow(row: Row) -> str:
    value = row[_C["moscow"]]
    return "" if value is None else MOSCOW_LABELS.get(value, str(value))


def _labels(row: Row) -> str:
    try:
        return ", ".join(json.loads(row[_C["labels"]] or "[]"))
    except ValueError:
        return str(row[_C["labels"]])


def _number(name: str) -> Callable[[Row], str]:
    def show(row: Row) -> str:
        value = row[_C[name]]
        return "" if value is None else format_points(value)

    return show


def _text(name: str) -> Callable[[Row], str]:
    def show(row: Row) -> str:
        value = row[_C[name]]
        return "" if value is None else str(value)

    return show


#: (header, how to show a row, alignment, default width in characters)
COLUMNS: tuple[tuple[str, Callable[[Row], str], int, int], ...] = (
    ("Key", _text("key"), LEFT, 9),
    ("Type", lambda r: str(r[_C["type"]]).capitalize(), LEFT, 7),
    ("Title", _text("title"), LEFT, 44),
    ("Pts", _number("points"), RIGHT, 5),
    ("Value", _number("business_value"), RIGHT, 6),
    ("MoSCoW", _moscow, LEFT, 7),
    ("Status", _status, LEFT, 17),
    ("Sprint", _text("sprint"), LEFT, 9),
    ("Epic", _text("epic"), LEFT, 16),
    ("Goal", _text("goal"), LEFT, 18),
    ("Labels", _labels, LEFT, 14),
    # Filled in by the model, which knows the product's Definition of Ready.
    ("Ready", lambda _row: "", LEFT, 12),
    # Filled in by the model, which rolls every epic's items up when it reads the rows.
    ("Progress", lambda _row: "", LEFT, 28),
)

_HEADERS = [header for header, *_rest in COLUMNS]
KEY_COLUMN = _HEADERS.index("Key")
TITLE_COLUMN = _HEADERS.index("Title")
#: The model fills the last two columns itself (``data`` tests ``column >= READY_COLUMN``).
READY_COLUMN = _HEADERS.index("Ready")
PROGRESS_COLUMN = _HEADERS.index("Progress")
assert (len(COLUMNS) - 2, len(COLUMNS) - 1) == (READY_COLUMN, PROGRESS_COLUMN)

#: The header role that gives a column's plain name (``DisplayRole`` adds the sort mark).
PLAIN_HEADER_ROLE = USER_ROLE
#: Columns the column chooser never hides.
LOCKED_COLUMNS: frozenset[int] = frozenset({KEY_COLUMN, TITLE_COLUMN})
#: Columns hidden until the user shows them, per view: the roll-up only means something for
#: epics, so the Epics view shows it and the others do not.
DEFAULT_HIDDEN_BY_VIEW: dict[View, frozenset[int]] = {
    View.BACKLOG: frozenset({PROGRESS_COLUMN}),
    View.INBOX: frozenset({PROGRESS_COLUMN}),
    # An epic's size and progress are its items' (Progress); the item columns stay empty.
    View.EPICS: frozenset(
        _HEADERS.index(name) for name in ("Pts", "MoSCoW", "Ready", "Sprint", "Epic")
    ),
}
DEFAULT_HIDDEN: frozenset[int] = DEFAULT_HIDDEN_BY_VIEW[View.BACKLOG]


# ---- Sorting (a read-only view: the rank stays the order of record)
#: A sort key of a row; ``None`` is an empty cell, which sorts last in both directions.
SortKey = Callable[[Row], Any]

_FLOW = {status.value: n for n, status in enumerate(Status)}
_MOSCOW = {value.value: n for n, value in enumerate(MoSCoW)}
_DIGITS = re.compile(r"(\d+)")


def _text_key(name: str) -> SortKey:
    at = _C[name]

    def key(row: Row) -> Any:
        value = row[at]
        return str(value).casefold() if value not in (None, "") else None

    return key


def _number_key(name: str) -> SortKey:
    at = _C[name]

    def key(row: Row) -> Any:
        return row[at]

    return key


def _natural_key(row: Row) -> Any:
    """``PB-2`` before ``PB-10``: digit runs compare as numbers."""
    value = row[_C["key"]]
    if value in (None, ""):
        return None
    parts = _DIGITS.split(str(value).casefold())
    return tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in parts)


def _status_key(row: Row) -> Any:
    return _FLOW.get(row[_C["status"]], len(_FLOW))


def _moscow_key(row: Row) -> Any:
    value = row[_C["moscow"]]
    return None if value is None else _MOSCOW.get(value, len(_MOSCOW))


def _labels_key(row: Row) -> Any:
    text = _labels(row)
    return text.casefold() if text else None


#: How to sort by each column; ``None`` for the columns the model fills (Ready, Progress).
SORT_KEYS: tuple[SortKey | None, ...] = (
    _natural_key,
    _text_key("type"),
    _text_key("title"),
    _number_key("points"),
    _number_key("business_value"),
    _moscow_key,
    _status_key,
    _text_key("sprint"),
    _text_key("epic"),
    _text_key("goal"),
    _labels_key,
    None,
    None,
)
assert len(SORT_KEYS) == len(COLUMNS)


def sort_rows(rows: list[Row], key: SortKey, *, descending: bool) -> list[Row]:
    """``rows`` ordered by ``key``, empty cells (``None``) last.

    The sort is stable in both directions: ties keep their order in ``rows`` (the rank order).
    """
    filled: list[tuple[Any, Row]] = []
    empty: list[Row] = []
    for row in rows:
        value = key(row)
        if value is None:
            empty.append(row)
        else:
            filled.append((value, row))
    # ``reverse`` keeps a sort stable: equal keys stay in their given order.
    filled.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _value, row in filled] + empty
