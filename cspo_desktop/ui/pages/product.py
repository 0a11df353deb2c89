"""The Product page: the product's name and its vision board.

Text is saved as the user types: an edit is committed when the field loses focus or after a
short pause, as one undoable command per field; the commits of one uninterrupted edit merge
into a single undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QFocusEvent, QUndoCommand
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.vocabulary import VISION_FIELDS
from cspo_desktop.domain.wording import plural, scale_name
from cspo_desktop.persistence.queries import ProductSummary
from cspo_desktop.ui.commands import CommandErrors, SetProductText, new_edit_session
from cspo_desktop.ui.document import ProductDocument

COMMIT_PAUSE_MS = 1200


class VisionPane(QFrame):
    """One labelled pane of the vision board with its editable text."""

    def __init__(self, field: str, label: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setProperty("role", "pane")
        self.setObjectName(f"pane_{field}")
        title = QLabel(label)
        title.setProperty("role", "section")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName(field)
        self.editor.setProperty("role", "pane-text")
        self.editor.setPlaceholderText(hint)
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(self.editor, 1)


class ProductPage(QWidget):
    """Name and vision board of the open product."""

    def __init__(
        self,
        document: ProductDocument,
        push: Callable[[QUndoCommand], None],
        errors: CommandErrors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("productPage")
        self._document = document
        self._push = push
        self._errors = errors
        self._saved: dict[str, str] = {}
        self._sessions: dict[str, int] = {}

        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setProperty("role", "title-edit")
        self.name.setAccessibleName("Product name")
        self.name.setFrame(False)
        self.name.editingFinished.connect(self._on_name_edited)
        self.counts = QLabel()
        self.counts.setProperty("role", "subtitle")

        board_title = QLabel("Vision board")
        board_title.setProperty("role", "section")
        grid = QGridLayout()
        grid.setSpacing(12)
        self.panes: dict[str, VisionPane] = {}
        for index, (field, label, hint) in enumerate(VISION_FIELDS):
            pane = VisionPane(field, label, hint)
            pane.editor.installEventFilter(self)
            pane.editor.textChanged.connect(self._on_typing)
            grid.addWidget(pane, index // 2, index % 2)
            self.panes[field] = pane

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(COMMIT_PAUSE_MS)
        self._pause.timeout.connect(self.commit_pending)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(8)
        layout.addWidget(self.name)
        layout.addWidget(self.counts)
        layout.addSpacing(12)
        layout.addWidget(board_title)
        layout.addLayout(grid, 1)
        self.refresh()

    # ---- Public API
    def refresh(self) -> None:
        """Show what the product file holds now (after an edit, undo or redo)."""
        summary = self._document.summary()
        self._show(summary)

    def commit_pending(self) -> None:
        """Save every pane whose text differs from the file (before undo, closing, leaving)."""
        self._pause.stop()
        for field, pane in self.panes.items():
            self._commit(field, pane.editor.toPlainText())

    # ---- Internals
    def _show(self, summary: ProductSummary) -> None:
        values = {"name": summary.name} | {f: getattr(summary, f) for f, _l, _h in VISION_FIELDS}
        self._saved = values
        if self.name.text() != summary.name:
            self.name.setText(summary.name)
        for field, pane in self.panes.items():
            if pane.editor.toPlainText() != values[field]:
                _replace_text(pane.editor, values[field])
        self.counts.setText(
            f"{plural(summary.item_count, 'item')} · "
            f"{plural(summary.goal_count, 'product goal')} · "
            f"estimated in {scale_name(summary.estimation_scale)}"
        )

    def _commit(self, field: str, text: str) -> None:
        if text == self._saved.get(field):
            return
        session = self._sessions.setdefault(field, new_edit_session())
        old = self._saved.get(field, "")
        self._saved[field] = text
        self._push(SetProductText(self._document, self._errors, field, old, text, session=session))

    @Slot()
    def _on_typing(self) -> None:
        self._pause.start()

    @Slot()
    def _on_name_edited(self) -> None:
        self._commit("name", self.name.text())
        self._sessions.pop("name", None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """End an edit session when a pane loses focus (QObject.eventFilter)."""
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            for field, pane in self.panes.items():
                if pane.editor is watched:
                    self._pause.stop()
                    self._commit(field, pane.editor.toPlainText())
                    self._sessions.pop(field, None)
        return super().eventFilter(watched, event)


def _replace_text(editor: QPlainTextEdit, text: str) -> None:
    """Replace an editor's text, keeping the cursor where it was as far as possible."""
    position = editor.textCursor().position()
    blocked = editor.blockSignals(True)
    editor.setPlainText(text)
    editor.blockSignals(blocked)
    cursor = editor.textCursor()
    cursor.setPosition(min(position, len(text)))
    editor.setTextCursor(cursor)
