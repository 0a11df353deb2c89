"""The Product page's goals editor: a ranked list of product goals with status and item counts.

Also home of the small parts the Definition of Done editor shares: :class:`RowsModel` (a table
model over rows with an ``id`` that shows changes as moves, inserts and removes, so selection
survives) and :class:`RankedTable` (a table whose rows move with Ctrl+↑/↓).

This module is imported after the first paint (see ``pages/product.py``): it touches PySide6's
``Qt`` namespace, which costs tens of milliseconds to build.
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
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette, QPen, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.vocabulary import GoalStatus
from cspo_desktop.domain.wording import plural
from cspo_desktop.persistence import queries
from cspo_desktop.persistence.queries import GoalRow
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.product_commands import (
    AddGoal,
    DeleteGoal,
    MoveGoal,
    RenameGoal,
    SetGoalStatus,
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

#: The data role carrying a goal's status value for the chip delegate. Custom roles are plain
#: ints by Qt's design (``UserRole`` + n is not a member of ``Qt.ItemDataRole``).
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 1

#: Goal statuses as words (the chip's colour only repeats what the word says).
STATUS_WORDS: dict[str, str] = {
    GoalStatus.PROPOSED: "Proposed",
    GoalStatus.ACTIVE: "Active",
    GoalStatus.ACHIEVED: "✓ Achieved",
    GoalStatus.ABANDONED: "✕ Abandoned",
}


def status_colour(status: str, tokens: Tokens) -> str:
    """The token colour of a goal status chip."""
    colours: dict[str, str] = {
        GoalStatus.ACTIVE: tokens.accent,
        GoalStatus.ACHIEVED: tokens.success,
        GoalStatus.ABANDONED: tokens.warning,
    }
    return colours.get(status, tokens.muted)


def tokens_for(palette: QPalette) -> Tokens:
    """The light or dark tokens matching a palette (the look in use)."""
    return DARK if palette.color(QPalette.ColorRole.Base).lightness() < 128 else LIGHT


# ---------------------------------------------------------------- shared parts


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


# ---------------------------------------------------------------- goals


class GoalsModel(RowsModel):
    """Product goals in rank order: position, title, status (a word) and item count.

    Signals:
        edit_requested(int, str): the title of goal ``id`` was edited in place (a rename).
    """

    HEADERS = ("Product goal", "Status", "Items")
    TITLE, STATUS, ITEMS = range(3)
    EDITABLE = TITLE
    NUMERIC = frozenset({2})

    def goal(self, row: int) -> GoalRow:
        """The goal shown at ``row``."""
        goal: GoalRow = self._rows[row]
        return goal

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows (QAbstractItemModel.data)."""
        goal: GoalRow | None = self._row(index)
        if goal is None:
            return None
        column = index.column()
        if role == STATUS_ROLE:
            return goal.status
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.EditRole:
            return goal.title if column == self.TITLE else None
        word = STATUS_WORDS.get(goal.status, goal.status)
        if role == Qt.ItemDataRole.DisplayRole:
            cells = (goal.title, word, f"{goal.item_count:,}")
        elif role == Qt.ItemDataRole.ToolTipRole:
            cells = (
                f"{goal.title}\n(double-click or F2 to rename)",
                f"Status: {word}",
                f"{plural(goal.item_count, 'item')} trace to this goal",
            )
        else:
            return None
        return cells[column]


class StatusChipDelegate(QStyledItemDelegate):
    """Paints a goal's status as a rounded chip carrying the word (colour only repeats it)."""

    PAD_X, PAD_Y = 8, 2

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the row background, then the chip (QStyledItemDelegate.paint)."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        word = opt.text
        opt.text = ""
        widget: QWidget | None = opt.widget  # None when painted outside a view
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        status = str(index.data(STATUS_ROLE) or "")
        colour = QColor(status_colour(status, tokens_for(opt.palette)))
        metrics = opt.fontMetrics
        width = metrics.horizontalAdvance(word) + 2 * self.PAD_X
        height = metrics.height() + 2 * self.PAD_Y
        rect = opt.rect
        chip = QRect(rect.left() + 4, rect.center().y() - height // 2 + 1, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(colour)
        fill.setAlpha(38)
        painter.setBrush(fill)
        painter.setPen(QPen(colour, 1))
        painter.drawRoundedRect(chip, height / 2, height / 2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(QPalette.ColorRole.HighlightedText) if selected else colour
        painter.setPen(text_colour)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, word)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Room for the widest chip (QStyledItemDelegate.sizeHint)."""
        base = super().sizeHint(option, index)
        metrics = option.fontMetrics
        widest = max(metrics.horizontalAdvance(w) for w in STATUS_WORDS.values())
        return QSize(widest + 2 * self.PAD_X + 12, base.height())


class GoalsEditor(QWidget):
    """Product goals: add (type + Enter), rename in place, move, change status, delete."""

    def __init__(
        self,
        document: ProductDocument,
        push: Push,
        errors: CommandErrors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("goalsEditor")
        self._document = document
        self._push = push
        self._errors = errors

        frame, box = section_frame("goalsSection")
        heading, hint = section_header(
            "Product goals",
            "Ranked: the goal that matters most comes first. Backlog items trace to a goal.",
        )
        self.model = GoalsModel(self)
        self.model.edit_requested.connect(self._on_rename)
        self.table = RankedTable(GoalsModel.TITLE)
        self.table.setObjectName("goalsTable")
        self.table.setAccessibleName("Product goals")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(GoalsModel.STATUS, StatusChipDelegate(self.table))
        self.table.move_requested.connect(self.move_selected)
        self.table.delete_requested.connect(self.delete_selected)
        self.empty = QLabel("No product goals yet — type one below and press Enter.")
        self.empty.setProperty("role", "hint")
        self.empty.setObjectName("goalsEmpty")

        self.add_line = QLineEdit()
        self.add_line.setObjectName("goalAdd")
        self.add_line.setPlaceholderText("Add a product goal… (Enter)")
        self.add_line.setAccessibleName("New product goal")
        self.add_line.returnPressed.connect(self._on_add)

        actions = self._build_actions()

        box.addWidget(heading)
        box.addWidget(hint)
        box.addWidget(self.table)
        box.addWidget(self.empty)
        box.addWidget(self.add_line)
        box.addLayout(actions)
        box.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.refresh()

    def _build_actions(self) -> QHBoxLayout:
        """Up, Down, the status of the selected goal, Delete."""
        self.up_button = tool_button("↑ Up", "Move the selected goal up (Ctrl+↑)", "goalUp")
        self.down_button = tool_button("↓ Down", "Move the selected goal down (Ctrl+↓)", "goalDown")
        self.delete_button = tool_button(
            "Delete",
            "Delete the selected goal; its items stay (Ctrl+Z brings it back)",
            "goalDelete",
        )
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.delete_button.clicked.connect(self.delete_selected)
        self.status_box = QComboBox()
        self.status_box.setObjectName("goalStatus")
        self.status_box.setAccessibleName("Status of the selected goal")
        self.status_box.setToolTip("Status of the selected goal")
        self.status_box.setPlaceholderText("Select a goal")
        for status in GoalStatus:
            self.status_box.addItem(STATUS_WORDS[status], status.value)
        self.status_box.activated.connect(self._on_status_chosen)
        status_label = QLabel("Status")
        status_label.setBuddy(self.status_box)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.up_button)
        actions.addWidget(self.down_button)
        actions.addSpacing(8)
        actions.addWidget(status_label)
        actions.addWidget(self.status_box)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        return actions

    # ---- Public API
    def refresh(self) -> None:
        """Show the goals the file holds now, keeping the selection."""
        self.model.set_rows(self._document.read(queries.product_goals))
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty.setVisible(empty)
        self._update_actions()

    def selected_goal(self) -> GoalRow | None:
        """The goal selected in the list, if any."""
        row = self.table.current_row()
        return None if row is None or row >= self.model.rowCount() else self.model.goal(row)

    def select_goal(self, goal_id: int) -> None:
        """Select the goal with ``goal_id``."""
        row = self.model.row_of(goal_id)
        if row is not None:
            self.table.select_row(row)

    @Slot(int)
    def move_selected(self, offset: int) -> None:
        """Move the selected goal ``offset`` places (the list's edge stops it quietly)."""
        goal = self.selected_goal()
        if goal is None:
            return
        row = self.model.row_of(goal.id)
        assert row is not None
        if not 0 <= row + offset < self.model.rowCount():
            return
        self._push(MoveGoal(self._document, self._errors, goal.id, goal.title, offset))
        self.select_goal(goal.id)

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected goal; the next one is selected afterwards."""
        goal = self.selected_goal()
        if goal is None:
            return
        row = self.model.row_of(goal.id) or 0
        self._push(DeleteGoal(self._document, self._errors, goal.id, goal.title))
        if self.model.rowCount():
            self.table.select_row(min(row, self.model.rowCount() - 1))

    # ---- Internals
    @Slot()
    def _on_add(self) -> None:
        title = self.add_line.text()
        if not title.strip():
            return
        command = AddGoal(self._document, self._errors, title)
        self._push(command)
        if not command.failed:
            self.add_line.clear()
            if command.goal_id is not None:
                self.select_goal(command.goal_id)

    @Slot(int, str)
    def _on_rename(self, goal_id: int, title: str) -> None:
        row = self.model.row_of(goal_id)
        if row is None:
            return
        old = self.model.goal(row).title
        self._push(RenameGoal(self._document, self._errors, goal_id, old, title))

    @Slot(int)
    def _on_status_chosen(self, index: int) -> None:
        goal = self.selected_goal()
        status = str(self.status_box.itemData(index))
        if goal is None or status == goal.status:
            return
        self._push(
            SetGoalStatus(
                self._document, self._errors, goal.id, goal.title, old=goal.status, new=status
            )
        )

    @Slot()
    def _update_actions(self) -> None:
        goal = self.selected_goal()
        row = None if goal is None else self.model.row_of(goal.id)
        count = self.model.rowCount()
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < count - 1)
        self.delete_button.setEnabled(goal is not None)
        self.status_box.setEnabled(goal is not None)
        found = -1 if goal is None else self.status_box.findData(goal.status)
        if self.status_box.currentIndex() != found:
            blocked = self.status_box.blockSignals(True)
            self.status_box.setCurrentIndex(found)
            self.status_box.blockSignals(blocked)
