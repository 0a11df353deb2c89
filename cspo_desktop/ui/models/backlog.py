"""The backlog as a flat table model over lightweight rows (tuples), in rank order."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cspo_desktop.domain.estimation import format_points
from cspo_desktop.domain.vocabulary import STATUS_LABELS
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS

Index = QModelIndex | QPersistentModelIndex
Row = tuple[Any, ...]
_C = {name: i for i, name in enumerate(BACKLOG_COLUMNS)}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _status(row: Row) -> str:
    text = STATUS_LABELS.get(row[_C["status"]], str(row[_C["status"]]))
    return f"⊘ {text} (blocked)" if row[_C["blocked"]] else text


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
    ("Status", _status, LEFT, 17),
    ("Sprint", _text("sprint"), LEFT, 9),
    ("Epic", _text("epic"), LEFT, 16),
    ("Goal", _text("goal"), LEFT, 18),
    ("Labels", _labels, LEFT, 14),
)

TITLE_COLUMN = 2


class BacklogModel(QAbstractTableModel):
    """Every item of the product, one row each, in rank order; the first header is the position."""

    def __init__(self, rows: list[Row] | None = None) -> None:
        super().__init__()
        self._rows: list[Row] = rows or []

    def set_rows(self, rows: list[Row]) -> None:
        """Replace every row (a new product, or a refresh after an external change)."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[Row]:
        """The rows as shown, in order."""
        return self._rows

    # ---- Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of items (QAbstractItemModel.rowCount)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of columns (QAbstractItemModel.columnCount)."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, alignment and tooltips (QAbstractItemModel.data)."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        _header, show, align, _width = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return show(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return align
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == TITLE_COLUMN:
            return show(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column names, and the rank position as the row header (QAbstractItemModel.headerData)."""
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return COLUMNS[section][0]
            return str(section + 1)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if orientation == Qt.Orientation.Vertical else LEFT
        return None
