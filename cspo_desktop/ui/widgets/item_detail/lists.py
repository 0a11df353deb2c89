"""The list sections of the item detail panel: acceptance criteria, questions, links, history.

Each section shows rows of :mod:`persistence.details` and turns a user's edit into one call
of ``edit(text, service, *args)``, which pushes an undoable command; the panel re-reads the
item afterwards, so a section never keeps state of its own beyond what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSize, QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.vocabulary import STATUS_LABELS, CriterionState, LinkKind
from cspo_desktop.domain.wording import short
from cspo_desktop.persistence.details import (
    CriterionRow,
    EventRow,
    LinkRow,
    QuestionRow,
    describe_event,
)

#: ``edit(undo text, (service module, function), *arguments)`` pushes one command.
Edit = Callable[..., Any]
_ID = Qt.ItemDataRole.UserRole


def _button(text: str, tip: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setProperty("role", "tool")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def fit_to_rows(view: QAbstractItemView) -> None:
    """Let a list grow with its rows, so the panel scrolls instead of each small list."""
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class _GrowsWithRows:
    """A list view as tall as its rows (they wrap), measured again when its width changes.

    Mixed into a Qt item view that says how tall its rows are (``_rows_height``), so the
    panel scrolls as a whole instead of each small list scrolling on its own.
    """

    def _rows_height(self) -> int:
        raise NotImplementedError

    def sizeHint(self) -> QSize:
        """As tall as every row (QWidget.sizeHint)."""
        hint = super().sizeHint()  # type: ignore[misc]
        return QSize(hint.width(), self._rows_height())

    def minimumSizeHint(self) -> QSize:
        """Never squeezed below its rows (QWidget.minimumSizeHint)."""
        return self.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Rows re-wrap at a new width: measure again (QWidget.resizeEvent)."""
        super().resizeEvent(event)  # type: ignore[misc]
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # type: ignore[attr-defined]


def _row_height(view: QAbstractItemView, measured: int) -> int:
    return max(measured, view.fontMetrics().height() + 6)


class GrowingList(_GrowsWithRows, QListWidget):
    """A list as tall as its wrapped rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setResizeMode(QListView.ResizeMode.Adjust)

    def _rows_height(self) -> int:
        self.executeDelayedItemsLayout()
        rows = sum(
            _row_height(self, self.visualItemRect(self.item(r)).height())
            for r in range(self.count())
        )
        return rows + 2 * self.frameWidth() + 4


class GrowingTree(_GrowsWithRows, QTreeWidget):
    """A table of a few rows, as tall as its header and rows."""

    def _rows_height(self) -> int:
        count = self.topLevelItemCount()
        rows = sum(_row_height(self, self.sizeHintForRow(r)) for r in range(count))
        header = 0 if self.isHeaderHidden() else self.header().sizeHint().height()
        return rows + header + 2 * self.frameWidth() + 4


def _stack(host: QWidget, view: QWidget, tools: Sequence[QWidget]) -> None:
    """Lay out a section: its list, and below it a line of tools (the first one stretches)."""
    line = QHBoxLayout()
    line.setContentsMargins(0, 0, 0, 0)
    for n, tool in enumerate(tools):
        line.addWidget(tool, 1 if n == 0 else 0)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(view)
    layout.addLayout(line)


class CriteriaSection(QWidget):
    """Acceptance criteria: an ordered, checkable list; add, edit in place, reorder, delete."""

    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = edit
        self._item_id = 0
        self._rows: list[CriterionRow] = []
        self._filling = False
        self.list = GrowingList()
        self.list.setObjectName("criteriaList")
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.setWordWrap(True)
        fit_to_rows(self.list)
        self.list.itemChanged.connect(self._on_changed)
        self.new = QLineEdit()
        self.new.setObjectName("newCriterion")
        self.new.setPlaceholderText("+ Add a criterion and press Enter")
        self.new.returnPressed.connect(self._on_add)
        self.up = _button("↑", "Move the criterion up (Alt+↑)", "criterionUp")
        self.down = _button("↓", "Move the criterion down (Alt+↓)", "criterionDown")
        self.remove = _button("✕", "Delete the criterion (Delete)", "criterionDelete")
        self.up.clicked.connect(lambda: self.move_current(-1))
        self.down.clicked.connect(lambda: self.move_current(1))
        self.remove.clicked.connect(self.delete_current)
        for keys, slot in (
            ("Alt+Up", lambda: self.move_current(-1)),
            ("Alt+Down", lambda: self.move_current(1)),
            (QKeySequence.StandardKey.Delete, self.delete_current),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        _stack(self, self.list, (self.new, self.up, self.down, self.remove))

    def show_rows(self, item_id: int, rows: Sequence[CriterionRow]) -> None:
        """Show the criteria of item ``item_id``, keeping the current row when it is still there."""
        current = self.current_id()
        self._item_id, self._rows = item_id, list(rows)
        self._filling = True
        self.list.clear()
        for row in rows:
            entry = QListWidgetItem(row.text)
            entry.setData(_ID, row.id)
            entry.setFlags(
                entry.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
            )
            passed = row.review_state == CriterionState.PASS
            entry.setCheckState(Qt.CheckState.Checked if passed else Qt.CheckState.Unchecked)
            if row.review_state == CriterionState.FAIL:
                entry.setText(f"{row.text}")
                entry.setToolTip("Failed in the last review")
            self.list.addItem(entry)
            if row.id == current:
                self.list.setCurrentItem(entry)
        self._filling = False
        self.list.setVisible(bool(rows))
        self.list.updateGeometry()

    def current_id(self) -> int | None:
        """The criterion the cursor is on."""
        entry: QListWidgetItem | None = self.list.currentItem()
        return None if entry is None else int(entry.data(_ID))

    def _row(self, criterion_id: int) -> CriterionRow | None:
        return next((r for r in self._rows if r.id == criterion_id), None)

    @Slot(QListWidgetItem)
    def _on_changed(self, entry: QListWidgetItem) -> None:
        if self._filling:
            return
        row = self._row(int(entry.data(_ID)))
        if row is None:
            return
        if entry.text() != row.text:
            self._edit(
                f"Edit criterion '{short(entry.text())}'",
                ("criteria", "edit_criterion"),
                row.id,
                entry.text(),
            )
            return
        checked = entry.checkState() == Qt.CheckState.Checked
        state = CriterionState.PASS if checked else CriterionState.UNCHECKED
        if state != row.review_state:
            verb = "Check" if checked else "Uncheck"
            self._edit(
                f"{verb} criterion '{short(row.text)}'",
                ("criteria", "set_criterion_state"),
                row.id,
                state.value,
            )

    @Slot()
    def _on_add(self) -> None:
        text = self.new.text()
        if not text.strip():
            return
        self._edit(
            f"Add criterion '{short(text)}'", ("criteria", "add_criterion"), self._item_id, text
        )
        self.new.clear()

    def move_current(self, step: int) -> None:
        """Move the current criterion one place up (-1) or down (+1)."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self._rows):
            return
        moving = self._rows[row]
        self._edit(
            f"Move criterion '{short(moving.text)}'",
            ("criteria", "move_criterion"),
            moving.id,
            target,
        )

    def delete_current(self) -> None:
        """Delete the current criterion (undo brings it back)."""
        criterion = self.current_id()
        row = None if criterion is None else self._row(criterion)
        if row is not None:
            self._edit(
                f"Delete criterion '{short(row.text)}'", ("criteria", "delete_criterion"), row.id
            )


class QuestionsSection(QWidget):
    """The team's questions: question, asked by, answer; open until answered."""

    HEADERS = ("Question", "Asked by", "Answer")

    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = edit
        self._item_id = 0
        self._rows: list[QuestionRow] = []
        self._filling = False
        self.tree = GrowingTree()
        self.tree.setObjectName("questionsList")
        fit_to_rows(self.tree)
        self.tree.setHeaderLabels(list(self.HEADERS))
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.itemChanged.connect(self._on_changed)
        self.new = QLineEdit()
        self.new.setObjectName("newQuestion")
        self.new.setPlaceholderText("+ Ask a question and press Enter")
        self.new.returnPressed.connect(self._on_add)
        self.asked_by = QLineEdit()
        self.asked_by.setObjectName("questionAskedBy")
        self.asked_by.setPlaceholderText("Asked by")
        self.asked_by.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        self.remove = _button("✕", "Delete the question", "questionDelete")
        self.remove.clicked.connect(self.delete_current)
        _stack(self, self.tree, (self.new, self.asked_by, self.remove))

    def show_rows(self, item_id: int, rows: Sequence[QuestionRow]) -> None:
        """Show the questions of item ``item_id`` (open ones say so in words)."""
        self._item_id, self._rows = item_id, list(rows)
        self._filling = True
        self.tree.clear()
        for row in rows:
            entry = QTreeWidgetItem([row.text, row.asked_by, row.answer])
            entry.setData(0, _ID, row.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsEditable)
            entry.setToolTip(
                0, "Open: answer it in the Answer column" if row.is_open else "Answered"
            )
            if row.is_open:
                entry.setText(2, "")
                entry.setData(2, Qt.ItemDataRole.ToolTipRole, "Open — double-click to answer")
            self.tree.addTopLevelItem(entry)
        self._filling = False
        self.tree.setVisible(bool(rows))
        self.tree.updateGeometry()

    def open_count(self) -> int:
        """How many questions are still open."""
        return sum(1 for r in self._rows if r.is_open)

    @Slot(QTreeWidgetItem, int)
    def _on_changed(self, entry: QTreeWidgetItem, column: int) -> None:
        if self._filling:
            return
        question_id = int(entry.data(0, _ID))
        row = next((r for r in self._rows if r.id == question_id), None)
        if row is None:
            return
        if column == 2 and entry.text(2) != row.answer:
            verb = "Answer" if entry.text(2).strip() else "Reopen"
            self._edit(
                f"{verb} question '{short(row.text)}'",
                ("questions", "answer_question"),
                row.id,
                entry.text(2),
            )
        elif (entry.text(0), entry.text(1)) != (row.text, row.asked_by):
            self._edit(
                f"Edit question '{short(entry.text(0))}'",
                ("questions", "edit_question"),
                row.id,
                entry.text(0),
                entry.text(1),
            )

    @Slot()
    def _on_add(self) -> None:
        text = self.new.text()
        if not text.strip():
            return
        self._edit(
            f"Ask '{short(text)}'",
            ("questions", "add_question"),
            self._item_id,
            text,
            self.asked_by.text(),
        )
        self.new.clear()

    def delete_current(self) -> None:
        """Delete the selected question."""
        entry = self.tree.currentItem()
        if entry is None:
            return
        row = next((r for r in self._rows if r.id == int(entry.data(0, _ID))), None)
        if row is not None:
            self._edit(
                f"Delete question '{short(row.text)}'", ("questions", "delete_question"), row.id
            )


_RELATION = {
    (LinkKind.DEPENDS_ON, True): "Depends on",
    (LinkKind.DEPENDS_ON, False): "Needed by",
    (LinkKind.SPLIT_FROM, True): "Split from",
    (LinkKind.SPLIT_FROM, False): "Split into",
}


class LinksSection(QWidget):
    """Dependencies (with a search to add one) and split links, both directions.

    Signals:
        open_requested(int): the user wants to see a linked item (double-click).
    """

    open_requested = Signal(int)

    def __init__(
        self,
        edit: Edit,
        search: Callable[[str, int], list[tuple[int, str, str, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._edit = edit
        self._search = search
        self._item_id = 0
        self._rows: list[LinkRow] = []
        self._found: dict[str, int] = {}
        self.tree = GrowingTree()
        self.tree.setObjectName("linksList")
        fit_to_rows(self.tree)
        self.tree.setHeaderLabels(["Relation", "Item", "Status"])
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2):  # a few rows at most: fitting them costs nothing
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.setWordWrap(True)
        self.tree.itemDoubleClicked.connect(self._on_open)
        self.add = QLineEdit()
        self.add.setObjectName("addDependency")
        self.add.setPlaceholderText("+ Depends on… (type a key or words, pick, Enter)")
        self._matches = QStringListModel(self)
        completer = QCompleter(self._matches, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.add.setCompleter(completer)
        self.add.textEdited.connect(self._on_typed)
        self.add.returnPressed.connect(self._on_add)
        completer.activated.connect(self._on_picked)
        self.remove = _button("✕", "Remove the selected dependency", "dependencyDelete")
        self.remove.clicked.connect(self.remove_current)
        _stack(self, self.tree, (self.add, self.remove))

    def show_rows(self, item_id: int, rows: Sequence[LinkRow]) -> None:
        """Show the links of item ``item_id``."""
        self._item_id, self._rows = item_id, list(rows)
        self.tree.clear()
        for row in rows:
            relation = _RELATION.get((LinkKind(row.kind), row.outgoing), row.kind)
            status = STATUS_LABELS.get(row.other_status, row.other_status)
            entry = QTreeWidgetItem([relation, f"{row.other_key}  {row.other_title}", status])
            entry.setData(0, _ID, row.id)
            entry.setData(1, _ID, row.other_id)
            entry.setToolTip(1, f"{row.other_key} {row.other_title} — double-click to open it")
            self.tree.addTopLevelItem(entry)
        self.tree.setVisible(bool(rows))
        self.tree.updateGeometry()

    @Slot(str)
    def _on_typed(self, text: str) -> None:
        found = self._search(text, self._item_id) if text.strip() else []
        self._found = {f"{key} — {title}": item for item, key, title, _status in found}
        self._matches.setStringList(list(self._found))

    @Slot(str)
    def _on_picked(self, text: str) -> None:
        self._add(text)

    @Slot()
    def _on_add(self) -> None:
        self._add(self.add.text())

    def _add(self, text: str) -> None:
        if not self._found and text.strip():
            self._on_typed(text)  # typed and pressed Enter before the list came up
        other = self._found.get(text)
        if other is None:  # a key typed in full: PAY-1 is PAY-1, not PAY-10
            typed = text.strip().casefold()
            exact = [
                i for label, i in self._found.items() if label.split(" — ")[0].casefold() == typed
            ]
            other = exact[0] if len(exact) == 1 else None
        if other is None and len(self._found) == 1:
            other = next(iter(self._found.values()))
        if other is None:
            return
        self._edit(
            f"Add dependency on {text.split(' — ', maxsplit=1)[0]}",
            ("links", "add_dependency"),
            self._item_id,
            other,
        )
        self.add.clear()
        self._found = {}

    def remove_current(self) -> None:
        """Remove the selected link (either direction)."""
        entry = self.tree.currentItem()
        if entry is None:
            return
        self._edit(
            f"Remove link to {entry.text(1).split()[0]}",
            ("links", "remove_link"),
            int(entry.data(0, _ID)),
        )

    @Slot(QTreeWidgetItem, int)
    def _on_open(self, entry: QTreeWidgetItem, _column: int) -> None:
        self.open_requested.emit(int(entry.data(1, _ID)))


class HistorySection(GrowingList):
    """The item's history from the event log, newest first (read-only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        fit_to_rows(self)
        self.setWordWrap(True)

    def show_rows(self, rows: Sequence[EventRow], when: Callable[[str], str]) -> None:
        """Show the events, each as "when · what happened"."""
        self.clear()
        for row in rows:
            self.addItem(f"{when(row.at)}  ·  {describe_event(row)}")
        self.updateGeometry()
