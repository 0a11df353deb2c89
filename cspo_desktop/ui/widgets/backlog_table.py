"""The backlog's table view: Qt's own drag and drop, with a drop line across the whole row.

Qt draws its drop indicator over one cell only, which on a wide backlog is easy to miss. This
view draws its own line across the full width, at the boundary where the rows will land — the
same place Qt computes for the drop (above the hovered row in its upper half, below it in its
lower half, after the last row over the empty space).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QDragLeaveEvent, QDragMoveEvent, QDropEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QTableView, QWidget

#: Thickness of the drop line, in pixels.
LINE_WIDTH = 3


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
        painter = QPainter(self.viewport())
        pen = QPen(self.palette().highlight().color())
        pen.setWidth(LINE_WIDTH)
        painter.setPen(pen)
        painter.drawLine(0, self.drop_line, self.viewport().width(), self.drop_line)
        painter.end()
