"""The Backlog page: every item of the product in rank order (read-only for now).

Rows are read when the page is shown, and again on changes while it is shown: a product opened
on another page paints without reading its whole backlog first.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.estimation import format_points
from cspo_desktop.domain.wording import plural
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.models.backlog import COLUMNS, BacklogModel

ROW_HEIGHT_FACTOR = 1.8
_POINTS = BACKLOG_COLUMNS.index("points")
_STATUS = BACKLOG_COLUMNS.index("status")


class BacklogPage(QWidget):
    """The backlog list with a one-line summary."""

    def __init__(self, document: ProductDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backlogPage")
        self._document = document
        self._stale = True
        title = QLabel("Backlog")
        title.setProperty("role", "title")
        self.summary = QLabel()
        self.summary.setProperty("role", "subtitle")
        self.empty = QLabel(
            "No items yet. Open the demo product (File ▸ Open the demo product) to see a living "
            "backlog."
        )
        self.empty.setProperty("role", "hint")
        self.empty.setWordWrap(True)

        self.model = BacklogModel()
        self.table = QTableView()
        self.table.setObjectName("backlogTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(False)
        self._size_rows_and_columns()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

    def _size_rows_and_columns(self) -> None:
        # Fixed, uniform sizes: nothing here measures 10,000 rows' contents.
        metrics = self.table.fontMetrics()
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(round(metrics.height() * ROW_HEIGHT_FACTOR))
        horizontal = self.table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setHighlightSections(False)
        for column, (_header, _show, _align, chars) in enumerate(COLUMNS):
            self.table.setColumnWidth(column, metrics.averageCharWidth() * chars + 16)
        # Titles keep their room; a narrow window scrolls sideways instead of squeezing them.
        horizontal.setStretchLastSection(True)

    def refresh(self) -> None:
        """Re-read the backlog from the product file now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._load()

    def showEvent(self, event: QShowEvent) -> None:
        """Read the rows on first show and after changes made elsewhere (QWidget.showEvent)."""
        if self._stale:
            self._load()
        super().showEvent(event)

    def _load(self) -> None:
        self._stale = False
        rows = self._document.backlog_rows()
        self.model.set_rows(rows)
        points = sum(r[_POINTS] or 0 for r in rows)
        done = sum(1 for r in rows if r[_STATUS] == "done")
        self.summary.setText(
            f"{plural(len(rows), 'item')} · {format_points(points)} points · {done:,} done"
        )
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
