"""The small parts the Product page's list editors share.

:class:`RowsModel` is a table model over rows with an ``id`` that shows changes as moves,
inserts and removes, so selection survives; :class:`RankedTable` is a table whose rows move
with Ctrl+↑/↓; the rest lays out a section of the page (frame, title, hint, tool buttons).

Imported after the first paint (see ``pages/product.py``): it touches PySide6's ``Qt``
namespace, which costs tens of milliseconds to build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QPalette, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.ui.theme import DARK, LIGHT, Tokens

Index = QModelIndex | QPersistentModelIndex
Push = Callable[[QUndoCommand], None]

ROW_HEIGHT_FACTOR = 1.8
#: Lists longer than this scroll inside their section instead of growing the page.
MAX_VISIBLE_ROWS = 12
MIN_VISIBLE_ROWS = 3
#: Above this many rows a change is shown as a reset (the move/insert/remove diff is quadratic).
DIFF_LIMIT = 200


def tokens_for(palette: QPalette) -> Tokens:
    """The light or dark tokens matching a palette (the look in use)."""
    return DARK if palette.color(QPalette.ColorRole.Base).lightness() < 128 else LIGHT


class RowsModel(QAbstractTableModel):
    """A small table of rows that have an ``id``, shown in the order given.

    :meth:`set_rows` announces a change as a move, an insert or a removal of one row when
    that is what happened (so the view keeps its selection), else as a reset.
    """

    HEADERS: tuple[str, ...] = ()
    #: Columns whose numbers are right-aligned.
    NUMERIC: frozenset[int] = frozenset()
    #: The column edited in place, and the row attribute it shows (``None``: read-only).
    EDITABLE: int | None = None
    EDITED_FIELD = "title"

    #: Emitted with a row's id and the text typed into its editable cell.
    edit_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    # ---- Rows
    def rows(self) -> list[Any]:
        """The rows as shown, in order."""
        return list(self._rows)

    def ids(self) -> list[int]:
        """The ids of the rows, in order."""
        return [int(r.id) for r in self._rows]

    def row_of(self, row_id: int) -> int | None:
        """The position of the row with ``row_id``, if shown."""
        for n, row in enumerate(self._rows):
            if row.id == row_id:
                return n
        return None

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows``, announcing the change as precisely as possible."""
        new = list(rows)
        old_ids, new_ids = self.ids(), [int(r.id) for r in new]
        if old_ids == new_ids:
            changed = [n for n, (a, b) in enumerate(zip(self._rows, new, strict=True)) if a != b]
            self._rows = new
            if changed:
                self._changed(min(changed), max(changed))
            return
        if max(len(old_ids), len(new_ids)) > DIFF_LIMIT or not self._apply_diff(
            old_ids, new_ids, new
        ):
            self.beginResetModel()
            self._rows = new
            self.endResetModel()

    # ---- Editing in place
    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows are selectable; the editable column is edited in place (QAbstractItemModel)."""
        if self._row(index) is None:
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() == self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for an edit; the command writes it and the list follows (QAbstractItemModel)."""
        row = self._row(index)
        if row is None or index.column() != self.EDITABLE or role != Qt.ItemDataRole.EditRole:
            return False
        if isinstance(value, str) and value != getattr(row, self.EDITED_FIELD):
            self.edit_requested.emit(int(row.id), value)
        return True

    def _apply_diff(self, old_ids: list[int], new_ids: list[int], new: list[Any]) -> bool:
        root = QModelIndex()
        if len(new_ids) == len(old_ids) + 1:
            for j in range(len(new_ids)):
                if new_ids[:j] + new_ids[j + 1 :] == old_ids:
                    self.beginInsertRows(root, j, j)
                    self._rows = new
                    self.endInsertRows()
                    self._changed(0, len(new) - 1)
                    return True
        elif len(old_ids) == len(new_ids) + 1:
            for i in range(len(old_ids)):
                if old_ids[:i] + old_ids[i + 1 :] == new_ids:
                    self.beginRemoveRows(root, i, i)
                    self._rows = new
                    self.endRemoveRows()
                    if new:
                        self._changed(0, len(new) - 1)
                    return True
        elif sorted(old_ids) == sorted(new_ids):
            for i, row_id in enumerate(old_ids):
                rest = old_ids[:i] + old_ids[i + 1 :]
                j = new_ids.index(row_id)
                if [x for x in new_ids if x != row_id] == rest:
                    # Qt counts the destination in the old list: below the row means +1.
                    destination = j if j < i else j + 1
                    self.beginMoveRows(root, i, i, root, destination)
                    self._rows = new
                    self.endMoveRows()
                    self._changed(0, len(new) - 1)
                    return True
        return False

    def _changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(
            self.index(first, 0), self.index(last, max(0, self.columnCount() - 1))
        )
        self.headerDataChanged.emit(Qt.Orientation.Vertical, first, last)

    # ---- QAbstractTableModel
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """How many rows (QAbstractItemModel.rowCount)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """How many columns (QAbstractItemModel.columnCount)."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles, and each row's position (QAbstractItemModel.headerData)."""
        if orientation == Qt.Orientation.Vertical:
            # The position is the row's header, not a cell: it changes whenever a row above
            # moves, and a cell's data must not change behind an insert or a removal.
            if not 0 <= section < len(self._rows):
                return None
            values = {
                Qt.ItemDataRole.DisplayRole: str(section + 1),
                Qt.ItemDataRole.TextAlignmentRole: self._alignment(-1, right=True),
                Qt.ItemDataRole.ToolTipRole: f"Position {section + 1} — Ctrl+↑/↓ to move",
            }
        elif 0 <= section < len(self.HEADERS):
            values = {
                Qt.ItemDataRole.DisplayRole: self.HEADERS[section],
                Qt.ItemDataRole.TextAlignmentRole: self._alignment(section),
            }
        else:
            return None
        return values.get(Qt.ItemDataRole(role))

    def _row(self, index: Index) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def _alignment(self, column: int, *, right: bool = False) -> Qt.AlignmentFlag:
        right = right or column in self.NUMERIC
        side = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        return side | Qt.AlignmentFlag.AlignVCenter


class RankedTable(QTableView):
    """A short table of ranked rows: Ctrl+↑/↓ move the current row, Delete deletes it.

    The keys are taken before any window-wide shortcut (such as the Backlog's moves) while
    the table has focus. The table grows with its rows up to :data:`MAX_VISIBLE_ROWS`.

    Signals:
        move_requested(int): -1 to move the current row up, +1 down.
        delete_requested(): Delete was pressed on a row.
    """

    move_requested = Signal(int)
    delete_requested = Signal()

    def __init__(self, stretch_column: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stretch = stretch_column
        self.setProperty("role", "section-list")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabKeyNavigation(False)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        vertical.setSectionsClickable(False)
        vertical.setHighlightSections(False)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionsClickable(False)
        self._apply_metrics()

    def setModel(self, model: Any) -> None:
        """Set the model and size the columns: the text column takes the room (QTableView)."""
        super().setModel(model)
        header = self.horizontalHeader()
        for column in range(model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == self._stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        model.rowsInserted.connect(self.fit_height)
        model.rowsRemoved.connect(self.fit_height)
        model.modelReset.connect(self.fit_height)
        self.fit_height()

    def _apply_metrics(self) -> None:
        height = round(self.fontMetrics().height() * ROW_HEIGHT_FACTOR)
        self.verticalHeader().setDefaultSectionSize(height)
        self.verticalHeader().setMinimumSectionSize(height)
        self.fit_height()

    @Slot()
    def fit_height(self) -> None:
        """Show every row up to :data:`MAX_VISIBLE_ROWS`; scroll beyond that."""
        model: QAbstractItemModel | None = self.model()  # None until a model is set
        rows = model.rowCount() if model is not None else 0
        shown = min(max(rows, MIN_VISIBLE_ROWS), MAX_VISIBLE_ROWS)
        header = self.horizontalHeader().sizeHint().height()
        frame = 2 * self.frameWidth()
        self.setFixedHeight(header + shown * self.verticalHeader().defaultSectionSize() + frame)

    def current_row(self) -> int | None:
        """The row with the keyboard focus / selection, if any."""
        index = self.currentIndex()
        selection: QItemSelectionModel | None = self.selectionModel()  # None without a model
        selected = selection.selectedRows() if selection is not None else []
        if selected:
            return selected[0].row()
        return index.row() if index.isValid() else None

    def select_row(self, row: int) -> None:
        """Make ``row`` current and selected (keeps the column of the text)."""
        model: QAbstractItemModel | None = self.model()  # None until a model is set
        if model is None or not 0 <= row < model.rowCount():
            return
        self.setCurrentIndex(model.index(row, self._stretch))
        self.selectRow(row)

    def _command(self, event: QKeyEvent) -> str | None:
        key, modifiers = event.key(), event.modifiers()
        if modifiers == Qt.KeyboardModifier.ControlModifier and key in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            return "up" if key == Qt.Key.Key_Up else "down"
        if modifiers == Qt.KeyboardModifier.NoModifier and key == Qt.Key.Key_Delete:
            return "delete"
        return None

    def event(self, event: QEvent) -> bool:
        """Claim Ctrl+↑/↓ and Delete before window shortcuts see them (QWidget.event)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._command(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Move or delete the current row (QAbstractItemView.keyPressEvent)."""
        command = self._command(event)
        if command is None or self.current_row() is None:
            super().keyPressEvent(event)
            return
        if command == "delete":
            self.delete_requested.emit()
        else:
            self.move_requested.emit(-1 if command == "up" else 1)
        event.accept()

    def changeEvent(self, event: QEvent) -> None:
        """Rows stay 1.8 times the font height at any scale (QWidget.changeEvent)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._apply_metrics()


def section_header(title: str, hint: str) -> tuple[QLabel, QLabel]:
    """A section's title and its one-line explanation."""
    heading = QLabel(title)
    heading.setProperty("role", "section")
    text = QLabel(hint)
    text.setProperty("role", "hint")
    text.setWordWrap(True)
    return heading, text


def tool_button(text: str, tip: str, name: str) -> QPushButton:
    """A small button of a section's action row."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setProperty("role", "tool")
    button.setAutoDefault(False)
    return button


def section_frame(name: str) -> tuple[QFrame, QVBoxLayout]:
    """A card for one section of the Product page, like the vision board's panes."""
    frame = QFrame()
    frame.setObjectName(name)
    frame.setProperty("role", "pane")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.setSpacing(8)
    return frame, layout
