"""The import preview: what a tracker's file holds and what importing it would do.

It shows the tracker detected, how the file was read, every column with the field it feeds
(changeable: the caller re-reads the file with the new mapping), a few sample values, the
plan in one sentence, the rows that will be skipped and why, and the conflicts of a re-import
with a "take the tracker's values" tick per item. It only collects choices; the controller
reads, plans and runs the undoable import.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.interop.records import FIELDS, TOOLS, ParsedImport
from cspo_desktop.services.import_plan import ImportPlan

#: Sample rows shown per column.
SAMPLES = 3
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (with BOM)", "utf-16": "UTF-16"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


class ImportPreview(QDialog):
    """Preview of one file's import; ``reread`` asks the owner to read it again.

    Signals:
        reread(str, dict, bool): tool, column → field mapping, keep sub-tasks — the user
            changed a choice that changes what the file means.
    """

    reread = Signal(str, dict, bool)

    def __init__(self, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.setWindowTitle(f"Import “{file_name}”")
        self.resize(860, 640)
        self._plan: ImportPlan | None = None
        self._mapping: dict[str, str] = {}
        #: The column mapping and sub-task choice of the plan shown.
        self._shown: tuple[dict[str, str], bool] = ({}, False)
        self._filling = False

        self.tool = QComboBox()
        self.tool.setObjectName("importTool")
        for key, name in TOOLS.items():
            self.tool.addItem(name, key)
        self.read_as = QLabel()
        self.read_as.setObjectName("importReadAs")
        self.columns = self._columns_table()
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600")
        self.notes = QListWidget()
        self.notes.setObjectName("importNotes")
        self.conflicts = self._conflicts_table()
        self.conflicts_label = QLabel("Conflicts: local values win unless you tick an item.")
        self.inbox = QRadioButton("the &Inbox")
        self.backlog = QRadioButton("the bottom of the &backlog")
        self.inbox.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.inbox)
        group.addButton(self.backlog)
        self.subtasks = QCheckBox("Import Jira &sub-tasks as items (else folded into their parent)")
        self.subtasks.setObjectName("importSubtasks")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.tool.currentIndexChanged.connect(self._tool_changed)
        self.subtasks.toggled.connect(lambda _on: self._ask_reread())

    @staticmethod
    def _columns_table() -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setObjectName("importColumns")
        table.setHorizontalHeaderLabels(["Column", "Field", "Sample values"])
        table.verticalHeader().setVisible(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    @staticmethod
    def _conflicts_table() -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setObjectName("importConflicts")
        table.setHorizontalHeaderLabels(
            ["Take tracker's", "Item", "Changed here and in the tracker", "Title"]
        )
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        label = QLabel("&Tracker:")
        label.setBuddy(self.tool)
        top.addWidget(label)
        top.addWidget(self.tool)
        top.addWidget(self.read_as, 1)
        spot = QHBoxLayout()
        spot.addWidget(QLabel("New items go to"))
        spot.addWidget(self.inbox)
        spot.addWidget(self.backlog)
        spot.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.columns, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.conflicts, 1)
        layout.addLayout(spot)
        layout.addWidget(self.subtasks)
        layout.addWidget(self.buttons)

    # ---- Filling
    def show_plan(self, plan: ImportPlan) -> None:
        """Show what the file holds and what importing it would do."""
        self._plan = plan
        self._shown = (dict(self._mapping), self.subtasks.isChecked())
        parsed = plan.parsed
        self._filling = True
        self.tool.setCurrentIndex(max(self.tool.findData(parsed.tool), 0))
        self._filling = False
        self.read_as.setText(_read_as(parsed))
        self._fill_columns(parsed)
        self.summary.setText(plan.summary())
        self._fill_notes(plan)
        self._fill_conflicts(plan)
        self.subtasks.setVisible(parsed.tool == "jira")
        count = len(plan.creates) + len(plan.updates)
        self.import_button.setText(f"Import {_plural(count, 'item')}" if count else "Import")
        self.import_button.setEnabled(bool(plan.creates or plan.updates or plan.refreshed))

    def _fill_columns(self, parsed: ParsedImport) -> None:
        self.columns.setRowCount(len(parsed.columns))
        # The columns that feed a field first, then the others, each in file order.
        shown = sorted(parsed.columns, key=lambda use: use.field is None)
        for row, use in enumerate(shown):
            name = QTableWidgetItem(use.header or f"(column {use.index + 1})")
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.columns.setItem(row, 0, name)
            combo = QComboBox()
            combo.addItem("(not imported)", "")
            for key, label in FIELDS.items():
                if key != "ignore":
                    combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(use.field or ""), 0))
            combo.currentIndexChanged.connect(
                lambda _i, header=use.header, box=combo: self._field_changed(header, box)
            )
            self.columns.setCellWidget(row, 1, combo)
            values = [r[use.index] for r in parsed.sample[:SAMPLES] if use.index < len(r)]
            sample = QTableWidgetItem(" · ".join(" ".join(v.split())[:40] for v in values if v))
            sample.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.columns.setItem(row, 2, sample)

    def _fill_notes(self, plan: ImportPlan) -> None:
        self.notes.clear()
        self.notes.addItems(plan.warnings)
        # Folded sub-tasks are counted in the summary; the list names the rows left out.
        self.notes.addItems(
            [f"Row {s.row} skipped: {s.reason}" for s in plan.parsed.skipped if not s.folded]
        )
        self.notes.setVisible(self.notes.count() > 0)

    def _fill_conflicts(self, plan: ImportPlan) -> None:
        conflicts = plan.conflicts
        self.conflicts.setRowCount(len(conflicts))
        for row, update in enumerate(conflicts):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(Qt.CheckState.Unchecked)
            tick.setData(Qt.ItemDataRole.UserRole, update.external_key)
            self.conflicts.setItem(row, 0, tick)
            for column, text in enumerate(
                (
                    f"{update.key} ({update.external_key})",
                    ", ".join(update.conflicts),
                    update.title,
                ),
                start=1,
            ):
                cell = QTableWidgetItem(text)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.conflicts.setItem(row, column, cell)
        self.conflicts.setVisible(bool(conflicts))
        self.conflicts_label.setVisible(bool(conflicts))

    def restore(self) -> None:
        """Go back to the choices of the plan shown: reading with the new ones failed."""
        if self._plan is None:
            return
        mapping, subtasks = self._shown
        self._mapping = dict(mapping)
        self._filling = True
        self.subtasks.setChecked(subtasks)
        self._filling = False
        self.show_plan(self._plan)

    # ---- Choices
    def _field_changed(self, header: str, box: QComboBox) -> None:
        self._mapping[header] = str(box.currentData()) or "ignore"
        self._ask_reread()

    def _tool_changed(self) -> None:
        if not self._filling:
            self._mapping.clear()
            self._ask_reread()

    def _ask_reread(self) -> None:
        if not self._filling:
            self.reread.emit(self.chosen_tool(), dict(self._mapping), self.subtasks.isChecked())

    def chosen_tool(self) -> str:
        """The tracker the user says wrote the file."""
        return str(self.tool.currentData())

    def segment(self) -> str:
        """Where new items go: ``inbox`` or ``backlog``."""
        return "backlog" if self.backlog.isChecked() else "inbox"

    def take_source(self) -> list[str]:
        """External keys of the conflicts where the user picked the tracker's values."""
        keys = []
        for row in range(self.conflicts.rowCount()):
            tick = self.conflicts.item(row, 0)
            if tick is not None and tick.checkState() == Qt.CheckState.Checked:
                keys.append(str(tick.data(Qt.ItemDataRole.UserRole)))
        return keys

    @property
    def plan(self) -> ImportPlan | None:
        """The plan shown."""
        return self._plan


def _read_as(parsed: ParsedImport) -> str:
    encoding = ENCODINGS.get(parsed.encoding, parsed.encoding.upper())
    if parsed.file_format == "xml":
        how = f"XML, {encoding}"
    else:
        delimiter = DELIMITERS.get(parsed.delimiter or ",", repr(parsed.delimiter))
        how = f"CSV, {encoding}, {delimiter}-separated, {len(parsed.columns)} columns"
    rows = len(parsed.items) + len(parsed.skipped)
    return f"Read as {how}; {_plural(rows, 'row')}."
