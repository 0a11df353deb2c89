"""How each backlog column shows an item row: header, text, alignment, default width."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from cspo_desktop.domain.estimation import format_points
from cspo_desktop.domain.vocabulary import MOSCOW_LABELS, STATUS_LABELS
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS

Index = QModelIndex | QPersistentModelIndex
Row = tuple[Any, ...]
_C = {name: i for i, name in enumerate(BACKLOG_COLUMNS)}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


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
COLUMNS: tuple[tuple[str, Callable[[Row], str], Qt.AlignmentFlag, int], ...] = (
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
)

TITLE_COLUMN = 2
READY_COLUMN = len(COLUMNS) - 1
