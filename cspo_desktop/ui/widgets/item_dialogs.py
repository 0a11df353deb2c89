"""Dialogs that need a decision before an edit: bulk edit of a selection, split a story.

They only collect values; the services check them and the commands make them undoable.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.vocabulary import MOSCOW_LABELS, STATUS_LABELS, Segment, Status
from cspo_desktop.persistence.details import CriterionRow

NONE = "—"


def _combo(name: str, choices: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for label, value in choices:
        combo.addItem(label, value)
    return combo


class BulkEditDialog(QDialog):
    """Set the same values on every selected item: only the ticked fields change."""

    def __init__(
        self,
        count: int,
        points: Sequence[tuple[str, float]],
        epics: Sequence[tuple[int, str, str]],
        goals: Sequence[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkEditDialog")
        self.setWindowTitle(f"Edit {count:,} items")
        self.fields: dict[str, tuple[QCheckBox, QWidget]] = {}
        form = QFormLayout()
        self._add(form, "points", "Points", _combo("bulkPoints", [(NONE, None), *points]))
        labels = QLineEdit()
        labels.setObjectName("bulkLabels")
        labels.setPlaceholderText("Comma-separated; replaces the items' labels")
        self._add(form, "labels", "Labels", labels)
        self._add(
            form,
            "goal_id",
            "Product goal",
            _combo("bulkGoal", [(NONE, None), *[(title, gid) for gid, title in goals]]),
        )
        self._add(
            form,
            "parent_id",
            "Epic",
            _combo("bulkEpic", [(NONE, None), *[(f"{k}  {t}", e) for e, k, t in epics]]),
        )
        moscow = [(NONE, None), *[(label, key) for key, label in MOSCOW_LABELS.items()]]
        self._add(form, "moscow", "MoSCoW", _combo("bulkMoscow", moscow))
        self._add(
            form,
            "status",
            "Status",
            _combo("bulkStatus", [(STATUS_LABELS[s], s.value) for s in Status]),
        )
        self._add(
            form,
            "segment",
            "List",
            _combo("bulkSegment", [("Backlog", Segment.BACKLOG.value), ("Inbox", "inbox")]),
        )
        hint = QLabel("Tick the fields to change; the others stay as they are. Ctrl+Z undoes it.")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _add(self, form: QFormLayout, field: str, label: str, editor: QWidget) -> None:
        tick = QCheckBox(label)
        tick.setObjectName(f"change_{field}")
        editor.setEnabled(False)
        tick.toggled.connect(editor.setEnabled)
        tick.toggled.connect(self._update_ok)
        if isinstance(editor, QComboBox):
            editor.activated.connect(lambda _i: tick.setChecked(True))
        form.addRow(tick, editor)
        self.fields[field] = (tick, editor)

    def _update_ok(self) -> None:
        if hasattr(self, "buttons"):
            ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
            ok.setEnabled(any(tick.isChecked() for tick, _editor in self.fields.values()))

    def set_value(self, field: str, value: object) -> None:
        """Tick ``field`` and choose ``value`` (as a user would; used by tests too)."""
        tick, editor = self.fields[field]
        tick.setChecked(True)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def values(self) -> dict[str, object]:
        """The ticked fields with their new values."""
        out: dict[str, object] = {}
        for field, (tick, editor) in self.fields.items():
            if not tick.isChecked():
                continue
            if isinstance(editor, QComboBox):
                out[field] = editor.currentData()
            elif isinstance(editor, QLineEdit):
                out[field] = tuple(p.strip() for p in editor.text().split(",") if p.strip())
        return out


class SplitDialog(QDialog):
    """Split a story: tick the acceptance criteria that move to a new story right below."""

    def __init__(
        self, key: str, title: str, criteria: Sequence[CriterionRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("splitDialog")
        self.setWindowTitle(f"Split {key}")
        intro = QLabel(
            "The ticked criteria move to a new story placed right below this one, linked to it "
            "as “split from”. At least one criterion stays."
            if criteria
            else "This story has no acceptance criteria: the new story starts empty."
        )
        intro.setWordWrap(True)
        self.title = QLineEdit(f"{title} (part 2)"[:500])
        self.title.setObjectName("splitTitle")
        self.title.setCursorPosition(0)
        self.list = QListWidget()
        self.list.setObjectName("splitCriteria")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for row in criteria:
            entry = QListWidgetItem(row.text)
            entry.setData(Qt.ItemDataRole.UserRole, row.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(entry)
        self.list.setVisible(bool(criteria))
        self.list.itemChanged.connect(lambda _e: self._update_ok())
        self.title.textChanged.connect(lambda _t: self._update_ok())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Split")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("New story", self.title)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._update_ok()

    def chosen(self) -> list[int]:
        """The ids of the ticked criteria."""
        return [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def choose(self, criterion_ids: Sequence[int]) -> None:
        """Tick these criteria (and untick the others)."""
        for i in range(self.list.count()):
            entry = self.list.item(i)
            on = int(entry.data(Qt.ItemDataRole.UserRole)) in criterion_ids
            entry.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update_ok(self) -> None:
        count, chosen = self.list.count(), len(self.chosen())
        ok = bool(self.title.text().strip()) and (count == 0 or 0 < chosen < count)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
