"""The Product page's goals editor: a ranked list of product goals with status and item counts.

The parts it shares with the other editors of the page are in :mod:`.list_parts`.

This module is imported after the first paint (see ``pages/product.py``): it touches PySide6's
``Qt`` namespace, which costs tens of milliseconds to build.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
from cspo_desktop.ui.theme import Tokens
from cspo_desktop.ui.widgets.list_parts import (
    Index,
    Push,
    RankedTable,
    RowsModel,
    section_frame,
    section_header,
    tokens_for,
    tool_button,
)

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
