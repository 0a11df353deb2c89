"""The backlog's rows as the first paint shows them: a read-only stand-in for the full model.

PySide6 builds its whole ``Qt`` enum namespace (some 20 ms at start-up) the first time Qt calls
a Python ``flags()`` or ``headerData()`` (their flags and orientation are ``Qt`` enums), and a
header calls ``headerData()`` thousands of times while it sizes itself. So until the first
paint is on screen, the backlog table shows its rows through :class:`FirstRowsModel`, which
answers only ``rowCount``, ``columnCount`` and ``data`` (from the full model, so the cells are
the same), while Qt's own C++ ``headerData`` gives the row numbers and a C++ model the column
titles (:attr:`FirstRowsModel.titles`). Right after the paint the table takes the full model,
which drags, drops, sorts and numbers rows itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QStandardItemModel

from cspo_desktop.ui.models.backlog import BacklogModel
from cspo_desktop.ui.models.backlog_columns import CELL_ROLES, COLUMNS, DISPLAY_ROLE

Index = QModelIndex | QPersistentModelIndex


class FirstRowsModel(QAbstractTableModel):
    """The full model's rows, read-only, with Qt's default flags and headers.

    It follows the full model's resets and changed cells, the only changes start-up makes.

    Attributes:
        titles: a header-only model of the full model's column titles, for the column header.
    """

    def __init__(self, source: BacklogModel) -> None:
        super().__init__(source)
        self._source = source
        self.titles = QStandardItemModel(0, source.columnCount(), self)
        self.titles.setHorizontalHeaderLabels(
            [source.column_title(column) for column in range(source.columnCount())]
        )
        self._rows = source.rowCount()
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._on_reset)
        source.dataChanged.connect(self._on_data_changed)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The full model's rows (QAbstractItemModel.rowCount)."""
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The full model's columns (QAbstractItemModel.columnCount)."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        """What the full model shows in the same cell (QAbstractItemModel.data)."""
        if role not in CELL_ROLES or not index.isValid():
            return None
        return self._source.cell(index.row(), index.column(), role)

    def _on_reset(self) -> None:
        self._rows = self._source.rowCount()
        self.endResetModel()

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        self.dataChanged.emit(
            self.index(top.row(), top.column()), self.index(bottom.row(), bottom.column())
        )
