"""The backlog's table view: Qt's own drag and drop, with a drop line across the whole row.

Qt draws its drop indicator over one cell only, which on a wide backlog is easy to miss. This
view draws its own line across the full width, at the boundary where the rows will land — the
same place Qt computes for the drop (above the hovered row in its upper half, below it in its
lower half, after the last row over the empty space).

:func:`configure_look` sets the table up for its first paint without touching PySide6's ``Qt``
namespace (see :mod:`ui.models.first_rows`); :func:`configure_drag_and_drop` follows once the
table shows the full model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from cspo_desktop.ui.models.backlog_columns import (
    COLUMNS,
    LEFT,
    PROGRESS_COLUMN,
    READY_COLUMN,
    RIGHT,
    TITLE_COLUMN,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QDragLeaveEvent, QDragMoveEvent, QDropEvent, QPaintEvent

#: Thickness of the drop line, in pixels.
LINE_WIDTH = 3
ROW_HEIGHT_FACTOR = 1.8
_HEADERS = [header for header, *_rest in COLUMNS]


def drop_line_y(view: QTableView, pos: QPoint) -> int | None:
    """Where the drop line goes for a drag at ``pos`` (viewport coordinates), or ``None``."""
    model = view.model()
    if model.rowCount() == 0:
        return None
    index = view.indexAt(pos)
    if not index.isValid():
        last = view.visualRect(model.index(model.rowCount() - 1, 0))
        return last.bottom() + 1 if pos.y() > last.bottom() else None
    rect = view.visualRect(index)
    return rect.top() if pos.y() < rect.center().y() else rect.bottom() + 1


class BacklogTable(QTableView):
    """A table whose drop indicator spans the whole row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDropIndicatorShown(False)  # this view draws its own, full width
        self.drop_line: int | None = None

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Follow the drag with the drop line (QAbstractItemView.dragMoveEvent)."""
        super().dragMoveEvent(event)
        line = drop_line_y(self, event.position().toPoint()) if event.isAccepted() else None
        if line != self.drop_line:
            self.drop_line = line
            self.viewport().update()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        """Take the line away (QAbstractItemView.dragLeaveEvent)."""
        super().dragLeaveEvent(event)
        self._clear_line()

    def dropEvent(self, event: QDropEvent) -> None:
        """Take the line away, then let Qt drop (QAbstractItemView.dropEvent)."""
        self._clear_line()
        super().dropEvent(event)

    def _clear_line(self) -> None:
        if self.drop_line is not None:
            self.drop_line = None
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the rows, then the drop line over them (QWidget.paintEvent)."""
        super().paintEvent(event)
        if self.drop_line is None:
            return
        from PySide6.QtGui import QPainter, QPen  # only while dragging, never for the first paint

        painter = QPainter(self.viewport())
        pen = QPen(self.palette().highlight().color())
        pen.setWidth(LINE_WIDTH)
        painter.setPen(pen)
        painter.drawLine(0, self.drop_line, self.viewport().width(), self.drop_line)
        painter.end()


def configure_table(table: QTableView) -> None:
    """Set the backlog table up whole: its look, then drag and drop."""
    configure_look(table)
    configure_drag_and_drop(table)


def configure_look(table: QTableView) -> None:
    """Set up the backlog table: row selection, fixed uniform sizes, column order and widths."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setSortingEnabled(False)
    table.setAutoScroll(True)
    vertical = table.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    horizontal = table.horizontalHeader()
    # What the model's headerData says too; set as ints, before any model answers (no Qt enum).
    vertical.setProperty("defaultAlignment", RIGHT)
    horizontal.setProperty("defaultAlignment", LEFT)
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setHighlightSections(False)
    # A click sorts (a read-only view); the manual rank stays the order of record.
    horizontal.setSectionsClickable(True)
    horizontal.setSectionsMovable(True)
    # Readiness reads best next to the size and priority columns (the model keeps it last).
    horizontal.moveSection(horizontal.visualIndex(READY_COLUMN), _HEADERS.index("MoSCoW") + 1)
    # An epic's progress reads next to its title (the column shows in the Epics view).
    horizontal.moveSection(horizontal.visualIndex(PROGRESS_COLUMN), TITLE_COLUMN + 1)
    # Titles keep their room; a narrow window scrolls sideways instead of squeezing them.
    horizontal.setStretchLastSection(True)
    size_table(table)


def configure_drag_and_drop(table: QTableView) -> None:
    """Let rows be dragged to a new rank (the model turns a drop into one move command)."""
    from PySide6.QtCore import Qt

    # DragDrop, not InternalMove: the model turns a drop into one move command.
    table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
    table.setDefaultDropAction(Qt.DropAction.MoveAction)
    table.setDragDropOverwriteMode(False)
    # A BacklogTable draws its own drop line across the whole row; Qt's covers one cell.
    table.setDropIndicatorShown(not isinstance(table, BacklogTable))


def size_table(table: QTableView) -> None:
    """Row height and column widths from the font (again when the presentation scale changes).

    Fixed, uniform sizes: nothing here measures 10,000 rows' contents, only the headers.
    """
    metrics = table.fontMetrics()
    table.verticalHeader().setDefaultSectionSize(round(metrics.height() * ROW_HEIGHT_FACTOR))
    header = table.horizontalHeader().fontMetrics()
    for column, (title, _show, _align, chars) in enumerate(COLUMNS):
        width = max(metrics.averageCharWidth() * chars, header.horizontalAdvance(title) * 1.15)
        table.setColumnWidth(column, round(width) + 2 * metrics.averageCharWidth())
