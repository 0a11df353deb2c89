"""The Product page's Definition of Done (an ordered checklist) and Definition of Ready (switches).

Imported after the first paint, like the other Product page editors (see ``pages/product.py``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    Slot,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.readiness import (
    DEFAULT_MAX_POINTS,
    MAX_POINTS_LIMIT,
    RULE_LABELS,
    ReadyRules,
)
from cspo_desktop.persistence import queries
from cspo_desktop.persistence.queries import DoneRow
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.product_commands import (
    AddDoneCriterion,
    DeleteDoneCriterion,
    EditDoneCriterion,
    ReorderDone,
    SetReadyRules,
)
from cspo_desktop.ui.widgets.list_parts import (
    Push,
    RankedTable,
    RowsModel,
    section_frame,
    section_header,
    tokens_for,
    tool_button,
)

Index = QModelIndex | QPersistentModelIndex


# ---------------------------------------------------------------- Definition of Done


class DoneModel(RowsModel):
    """The lines of the Definition of Done, numbered, each editable in place.

    Signals:
        edit_requested(int, str): the text of line ``id`` was edited in place.
    """

    HEADERS = ("Done when…",)
    TEXT = 0
    EDITABLE = TEXT
    EDITED_FIELD = "text"

    def line(self, row: int) -> DoneRow:
        """The line shown at ``row``."""
        line: DoneRow = self._rows[row]
        return line

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows (QAbstractItemModel.data)."""
        line: DoneRow | None = self._row(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.EditRole:
            return line.text if column == self.TEXT else None
        if role == Qt.ItemDataRole.DisplayRole:
            cells = (line.text,)
        elif role == Qt.ItemDataRole.ToolTipRole:
            cells = (f"{line.text}\n(double-click or F2 to edit)",)
        else:
            return None
        return cells[column]


class DefinitionOfDoneEditor(QWidget):
    """The Definition of Done: add (type + Enter), edit in place, reorder, delete."""

    def __init__(
        self,
        document: ProductDocument,
        push: Push,
        errors: CommandErrors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("doneEditor")
        self._document = document
        self._push = push
        self._errors = errors

        frame, box = section_frame("doneSection")
        heading, hint = section_header(
            "Definition of Done",
            "What every increment meets before it is accepted, checked at the sprint review.",
        )
        self.model = DoneModel(self)
        self.model.edit_requested.connect(self._on_edit)
        self.table = RankedTable(DoneModel.TEXT)
        self.table.setObjectName("doneTable")
        self.table.setAccessibleName("Definition of Done")
        self.table.setModel(self.model)
        self.table.move_requested.connect(self.move_selected)
        self.table.delete_requested.connect(self.delete_selected)
        self.empty = QLabel(
            "No Definition of Done yet — type its first line below and press Enter."
        )
        self.empty.setProperty("role", "hint")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("doneEmpty")
        self.add_line = QLineEdit()
        self.add_line.setObjectName("doneAdd")
        self.add_line.setPlaceholderText("Add a line to the Definition of Done… (Enter)")
        self.add_line.setAccessibleName("New line of the Definition of Done")
        self.add_line.returnPressed.connect(self._on_add)

        self.up_button = tool_button("↑ Up", "Move the selected line up (Ctrl+↑)", "doneUp")
        self.down_button = tool_button("↓ Down", "Move the selected line down (Ctrl+↓)", "doneDown")
        self.delete_button = tool_button(
            "Delete", "Delete the selected line (Ctrl+Z brings it back)", "doneDelete"
        )
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.delete_button.clicked.connect(self.delete_selected)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.up_button)
        actions.addWidget(self.down_button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)

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

    # ---- Public API
    def refresh(self) -> None:
        """Show the lines the file holds now, keeping the selection."""
        self.model.set_rows(self._document.read(queries.done_criteria))
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty.setVisible(empty)
        self._update_actions()

    def selected_line(self) -> DoneRow | None:
        """The line selected in the list, if any."""
        row = self.table.current_row()
        return None if row is None or row >= self.model.rowCount() else self.model.line(row)

    @Slot(int)
    def move_selected(self, offset: int) -> None:
        """Move the selected line ``offset`` places (the list's edge stops it quietly)."""
        line = self.selected_line()
        if line is None:
            return
        order = self.model.ids()
        row = order.index(line.id)
        target = row + offset
        if not 0 <= target < len(order):
            return
        order.insert(target, order.pop(row))
        self._push(ReorderDone(self._document, self._errors, order))
        new_row = self.model.row_of(line.id)
        if new_row is not None:
            self.table.select_row(new_row)

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected line; the next one is selected afterwards."""
        line = self.selected_line()
        if line is None:
            return
        row = self.model.row_of(line.id) or 0
        self._push(DeleteDoneCriterion(self._document, self._errors, line.id, line.text))
        if self.model.rowCount():
            self.table.select_row(min(row, self.model.rowCount() - 1))

    # ---- Internals
    @Slot()
    def _on_add(self) -> None:
        text = self.add_line.text()
        if not text.strip():
            return
        command = AddDoneCriterion(self._document, self._errors, text)
        self._push(command)
        if not command.failed:
            self.add_line.clear()

    @Slot(int, str)
    def _on_edit(self, line_id: int, text: str) -> None:
        row = self.model.row_of(line_id)
        if row is None:
            return
        old = self.model.line(row).text
        self._push(EditDoneCriterion(self._document, self._errors, line_id, old, text))

    @Slot()
    def _update_actions(self) -> None:
        line = self.selected_line()
        row = None if line is None else self.model.row_of(line.id)
        count = self.model.rowCount()
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < count - 1)
        self.delete_button.setEnabled(line is not None)


# ---------------------------------------------------------------- Definition of Ready


class Switch(QCheckBox):
    """A check box drawn as a switch: the knob sits right when on, left when off.

    The knob's place says on/off, the track's colour only repeats it. Keyboard (Space),
    clicks on the label and accessibility work as for any check box.
    """

    SPACING = 8

    def _track(self) -> QRectF:
        height = self.fontMetrics().height()
        top = (self.height() - height) / 2
        return QRectF(1, top, 1.9 * height, height)

    def sizeHint(self) -> QSize:
        """Track, gap, text (QCheckBox.sizeHint)."""
        metrics = self.fontMetrics()
        width = (
            round(1.9 * metrics.height()) + self.SPACING + metrics.horizontalAdvance(self.text())
        )
        return QSize(width + 4, round(metrics.height() * 1.6))

    def minimumSizeHint(self) -> QSize:
        """As large as the size hint: the text is never cut (QCheckBox.minimumSizeHint)."""
        return self.sizeHint()

    def hitButton(self, pos: QPoint) -> bool:
        """The label switches too (QAbstractButton.hitButton)."""
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Track, knob, text and the focus ring (QWidget.paintEvent)."""
        tokens = tokens_for(self.palette())
        on = self.isChecked()
        track = self._track()
        radius = track.height() / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        edge = QColor(tokens.accent if on else tokens.muted)
        if not self.isEnabled():
            edge.setAlpha(110)
        painter.setPen(QPen(edge, 1))
        painter.setBrush(QColor(tokens.accent) if on else QColor(tokens.surface))
        painter.drawRoundedRect(track, radius, radius)
        knob = track.height() - 6
        left = track.right() - 3 - knob if on else track.left() + 3
        painter.setBrush(QColor(tokens.raised))
        painter.setPen(QPen(QColor(tokens.accent if on else tokens.muted), 1))
        painter.drawEllipse(QRectF(left, track.top() + 3, knob, knob))
        if self.hasFocus():
            ring = QColor(tokens.accent)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(ring, 2))
            painter.drawRoundedRect(track.adjusted(-2, -2, 2, 2), radius + 2, radius + 2)
        text_left = round(track.right()) + self.SPACING
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(
            self.rect().adjusted(text_left, 0, 0, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self.text(),
        )
        painter.end()


class DefinitionOfReadyEditor(QWidget):
    """The Definition of Ready rules as switches; "not bigger than N points" carries N."""

    def __init__(
        self,
        document: ProductDocument,
        push: Push,
        errors: CommandErrors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readyEditor")
        self._document = document
        self._push = push
        self._errors = errors
        self.rules = ReadyRules()

        frame, box = section_frame("readySection")
        heading, hint = section_header(
            "Definition of Ready",
            "An item is ready for a sprint when every rule that is on holds; the Backlog "
            "shows why an item is not ready yet.",
        )
        box.addWidget(heading)
        box.addWidget(hint)
        self.switches: dict[str, Switch] = {}
        self.max_points = QSpinBox()
        self.max_points.setObjectName("readyMaxPoints")
        self.max_points.setRange(1, MAX_POINTS_LIMIT)
        self.max_points.setValue(DEFAULT_MAX_POINTS)
        self.max_points.setSuffix(" points")
        self.max_points.setKeyboardTracking(False)
        self.max_points.setAccessibleName("Size limit in points")
        self.max_points.valueChanged.connect(self._on_limit_changed)
        for name, label in RULE_LABELS.items():
            switch = Switch("Not bigger than" if name == "max_points" else label)
            switch.setObjectName(f"ready_{name}")
            switch.setProperty("role", "switch")
            switch.clicked.connect(lambda on, rule=name: self._on_switched(rule, on))
            self.switches[name] = switch
            if name == "max_points":
                row = QHBoxLayout()
                row.setSpacing(8)
                row.addWidget(switch)
                row.addWidget(self.max_points)
                row.addStretch(1)
                box.addLayout(row)
            else:
                box.addWidget(switch)
        box.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.refresh()

    def refresh(self) -> None:
        """Show the rules the file holds now."""
        self.rules = ReadyRules.from_row(self._document.read(queries.ready_rules_row))
        for name, switch in self.switches.items():
            on = self.rules.is_on(name)
            if switch.isChecked() != on:
                switch.setChecked(on)
        limit = self.rules.max_points
        if limit is not None and self.max_points.value() != limit:
            blocked = self.max_points.blockSignals(True)
            self.max_points.setValue(limit)
            self.max_points.blockSignals(blocked)
        self.max_points.setEnabled(limit is not None)

    def _on_switched(self, rule: str, on: bool) -> None:
        value: bool | int | None = on
        if rule == "max_points":
            value = self.max_points.value() if on else None
        self._change(self.rules.with_rule(rule, value))

    @Slot(int)
    def _on_limit_changed(self, value: int) -> None:
        if self.rules.max_points is not None and value != self.rules.max_points:
            self._change(self.rules.with_rule("max_points", value))

    def _change(self, new: ReadyRules) -> None:
        if new != self.rules:
            self._push(SetReadyRules(self._document, self._errors, self.rules, new))
