"""The Product page's estimation scale: Fibonacci, T-shirt sizes with points, or custom numbers.

Every choice is saved at once as one undoable command. Values the user types are checked
first (``domain.estimation``): bad input is refused with a message next to the field and on
screen, the typed text stays for fixing, and nothing is saved.

Imported after the first paint, like the other Product page editors (see ``pages/product.py``).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.estimation import (
    FIBONACCI_POINTS,
    MAX_POINTS,
    MAX_SIZE_NAME,
    EstimationScale,
    ScaleKind,
    format_points,
    parse_custom_values,
)
from cspo_desktop.persistence import queries
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.product_commands import SetEstimationScale, quoted
from cspo_desktop.ui.widgets.list_parts import Push, section_frame, section_header, tool_button

KIND_LABELS: dict[ScaleKind, str] = {
    ScaleKind.FIBONACCI: "Fibonacci points",
    ScaleKind.TSHIRT: "T-shirt sizes",
    ScaleKind.CUSTOM: "Custom numbers",
}
_XL = re.compile(r"X*L\Z")


class PointsSpin(QDoubleSpinBox):
    """Points of one T-shirt size, shown as a PO writes them (``3``, ``0.5``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(1)
        self.setRange(0, MAX_POINTS)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        """``3`` rather than ``3.0`` (QDoubleSpinBox.textFromValue)."""
        return format_points(value)


def next_size(sizes: tuple[tuple[str, float], ...]) -> tuple[str, float]:
    """A sensible size to add after the last one: ``XL 8`` → ``XXL 13``."""
    name, points = sizes[-1] if sizes else ("M", 3.0)
    bigger = [float(p) for p in FIBONACCI_POINTS if p > points]
    new_points = bigger[0] if bigger else points * 2
    taken = {n.casefold() for n, _p in sizes}
    candidate = "X" + name if _XL.match(name) else f"Size {len(sizes) + 1}"
    number = len(sizes) + 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"Size {number}"
    return candidate, min(new_points, float(MAX_POINTS))


class SizeRow:
    """The widgets of one row of the T-shirt table."""

    def __init__(self, name: str, points: float) -> None:
        self.name = QLineEdit(name)
        self.name.setMaxLength(MAX_SIZE_NAME)
        self.name.setAccessibleName("Size name")
        self.points = PointsSpin()
        self.points.setValue(points)
        self.points.setAccessibleName(f"Points for size {name}")
        self.remove = QPushButton("✕")
        self.remove.setProperty("role", "remove")
        self.remove.setToolTip(f"Remove size {name}")
        self.remove.setAccessibleName(f"Remove size {name}")
        self.remove.setAutoDefault(False)

    def widgets(self) -> tuple[QWidget, ...]:
        """The row's widgets, left to right."""
        return (self.name, self.points, self.remove)


class EstimationEditor(QWidget):
    """Choose the scale; edit T-shirt points or type custom numbers."""

    def __init__(
        self,
        document: ProductDocument,
        push: Push,
        errors: CommandErrors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scaleEditor")
        self._document = document
        self._push = push
        self._errors = errors
        self.scale = EstimationScale.fibonacci()
        self._stored: tuple[str, str] | None = None
        self._last_sizes: tuple[tuple[str, float], ...] | None = None

        frame, box = section_frame("scaleSection")
        heading, hint = section_header(
            "Estimation",
            "How the team sizes items. T-shirt sizes count as points, so totals and velocity "
            "always add up.",
        )
        box.addWidget(heading)
        box.addWidget(hint)

        # A segmented choice: the chosen kind is filled and carries a ✓ (never colour alone).
        self.kinds = QButtonGroup(self)
        self.choices: dict[ScaleKind, QPushButton] = {}
        choices = QHBoxLayout()
        choices.setSpacing(4)
        for kind, label in KIND_LABELS.items():
            button = QPushButton(label)
            button.setObjectName(f"scale_{kind.value}")
            button.setProperty("role", "segment")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setToolTip(f"Estimate in {label.lower()}")
            button.clicked.connect(lambda _on=False, k=kind: self.choose(k))
            self.kinds.addButton(button)
            self.choices[kind] = button
            choices.addWidget(button)
        choices.addStretch(1)
        box.addLayout(choices)

        # Fibonacci: the deck, read only.
        self.deck = QLabel()
        self.deck.setObjectName("scaleDeck")
        self.deck.setProperty("role", "scale-values")
        self.deck.setWordWrap(True)
        box.addWidget(self.deck)

        box.addWidget(self._build_sizes())
        box.addWidget(self._build_custom())

        self.error = QLabel()
        self.error.setObjectName("scaleError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        box.addWidget(self.error)
        box.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.refresh()

    def _build_sizes(self) -> QWidget:
        """The T-shirt table: a size name and its points per row, then "+ Add size"."""
        # T-shirt sizes: size → points.
        self.sizes_panel = QWidget()
        self.sizes_grid = QGridLayout(self.sizes_panel)
        self.sizes_grid.setContentsMargins(0, 0, 0, 0)
        self.sizes_grid.setHorizontalSpacing(8)
        self.sizes_grid.setVerticalSpacing(4)
        self.size_rows: list[SizeRow] = []
        for column, text in enumerate(("Size", "Points")):
            label = QLabel(text)
            label.setProperty("role", "column")
            self.sizes_grid.addWidget(label, 0, column)
        self.sizes_grid.setColumnStretch(3, 1)
        self.add_size = tool_button("+ Add size", "Add a bigger size at the end", "scaleAddSize")
        self.add_size.clicked.connect(self._on_add_size)
        return self.sizes_panel

    def _build_custom(self) -> QWidget:
        """The line where custom numbers are typed, with its Apply button."""
        # Custom numbers, typed.
        self.custom_panel = QWidget()
        custom = QHBoxLayout(self.custom_panel)
        custom.setContentsMargins(0, 0, 0, 0)
        custom.setSpacing(8)
        self.custom_line = QLineEdit()
        self.custom_line.setObjectName("customScale")
        self.custom_line.setPlaceholderText("e.g. 1, 2, 3, 5, 8 (Enter)")
        self.custom_line.setAccessibleName("Custom scale values")
        self.custom_line.setToolTip(
            "Numbers of zero or more, separated by commas, each once; they are sorted for you."
        )
        self.custom_line.returnPressed.connect(self.apply_custom)
        self.custom_apply = tool_button("Apply", "Save these values (Enter)", "customApply")
        self.custom_apply.clicked.connect(self.apply_custom)
        custom.addWidget(self.custom_line, 1)
        custom.addWidget(self.custom_apply)
        return self.custom_panel

    # ---- Public API
    def refresh(self) -> None:
        """Show the scale the file holds now; typing in progress stays when nothing changed."""
        stored = self._document.read(queries.estimation_scale_row)
        if stored == self._stored:
            return
        self._stored = stored
        self.scale = EstimationScale.from_stored(*stored)
        if self.scale.sizes:
            self._last_sizes = self.scale.sizes
        self._mark_choice()
        self.deck.setText(self.scale.describe())
        self.deck.setToolTip(f"Points an item can carry: {self.scale.describe()}")
        self.deck.setVisible(self.scale.kind is not ScaleKind.TSHIRT)
        self._show_sizes(self.scale.sizes)
        self.sizes_panel.setVisible(self.scale.kind is ScaleKind.TSHIRT)
        self.custom_line.setText(self.scale.typed())
        self.custom_panel.setVisible(self.scale.kind is ScaleKind.CUSTOM)
        self._clear_error()

    def choose(self, kind: ScaleKind) -> None:
        """Switch to another kind of scale (saved at once)."""
        if kind is self.scale.kind:
            return
        if kind is ScaleKind.TSHIRT:
            new = EstimationScale.tshirt(self._last_sizes)
        elif kind is ScaleKind.CUSTOM:
            values = self.scale.values if len(self.scale.values) >= 2 else FIBONACCI_POINTS
            new = EstimationScale.custom(values)
        else:
            new = EstimationScale.fibonacci()
        self._save(new)

    @Slot()
    def apply_custom(self) -> None:
        """Save the typed custom values, or say what is wrong with them (nothing saved)."""
        try:
            values = parse_custom_values(self.custom_line.text())
        except InvalidInput as exc:
            self._refuse(str(exc))
            return
        if self.scale.kind is ScaleKind.CUSTOM and values == self.scale.values:
            self._clear_error()
            return
        new = EstimationScale.custom(values)
        self._save(new, f"Set custom scale to {new.typed()}")

    def sizes_shown(self) -> list[tuple[str, float]]:
        """The T-shirt table as the fields show it."""
        return [(row.name.text(), row.points.value()) for row in self.size_rows]

    # ---- T-shirt table
    def _show_sizes(self, sizes: tuple[tuple[str, float], ...]) -> None:
        if len(sizes) == len(self.size_rows):
            # Same shape: update in place, so the field being edited keeps the focus.
            for row, (name, points) in zip(self.size_rows, sizes, strict=True):
                if row.name.text() != name:
                    row.name.setText(name)
                if row.points.value() != points:
                    blocked = row.points.blockSignals(True)
                    row.points.setValue(points)
                    row.points.blockSignals(blocked)
            return
        for row in self.size_rows:
            for widget in row.widgets():
                self.sizes_grid.removeWidget(widget)
                widget.deleteLater()
        self.sizes_grid.removeWidget(self.add_size)
        self.size_rows = []
        for n, (name, points) in enumerate(sizes, start=1):
            row = SizeRow(name, points)
            row.name.editingFinished.connect(self._on_sizes_edited)
            row.points.valueChanged.connect(self._on_sizes_edited)
            row.remove.clicked.connect(lambda _on=False, r=row: self._on_remove_size(r))
            for column, widget in enumerate(row.widgets()):
                self.sizes_grid.addWidget(widget, n, column)
            self.size_rows.append(row)
        self.sizes_grid.addWidget(self.add_size, len(sizes) + 1, 0, 1, 2)

    @Slot()
    def _on_sizes_edited(self) -> None:
        table = self.sizes_shown()
        if tuple(table) == self.scale.sizes:
            self._clear_error()
            return
        # Editing a table passes through states that do not add up yet (S raised to 3 while M
        # is still 3): say so next to the table, and save once the whole table is valid.
        self._save_sizes(table, "Edit T-shirt sizes", pending=True)

    def _on_remove_size(self, row: SizeRow) -> None:
        table = [(r.name.text(), r.points.value()) for r in self.size_rows if r is not row]
        self._save_sizes(table, f"Remove T-shirt size {quoted(row.name.text())}")

    @Slot()
    def _on_add_size(self) -> None:
        current = tuple(self.sizes_shown())
        name, points = next_size(current)
        self._save_sizes([*current, (name, points)], f"Add T-shirt size {quoted(name)}")

    def _save_sizes(
        self, table: list[tuple[str, float]], text: str, *, pending: bool = False
    ) -> None:
        try:
            new = EstimationScale.tshirt(table)
        except InvalidInput as exc:
            if pending:
                self._show_error(f"Not saved yet: {exc}")
            else:
                self._refuse(str(exc))
            return
        self._save(new, text)

    # ---- Saving and telling
    def _save(self, scale: EstimationScale, text: str | None = None) -> None:
        self._clear_error()
        self._push(SetEstimationScale(self._document, self._errors, scale, text))
        # A refused command leaves the file as it was: show that.
        self.refresh()
        self._mark_choice()

    def _mark_choice(self) -> None:
        for kind, button in self.choices.items():
            chosen = kind is self.scale.kind
            button.setChecked(chosen)
            button.setText(("✓ " if chosen else "") + KIND_LABELS[kind])

    def _refuse(self, message: str) -> None:
        self._show_error(message)
        self._errors.failed.emit(message)

    def _show_error(self, message: str) -> None:
        self.error.setText(f"⚠ {message}")
        self.error.show()

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
