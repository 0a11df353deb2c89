"""Small pieces of the item detail panel: folding sections and the text editors."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class TitleEdit(QPlainTextEdit):
    """An item title that wraps instead of scrolling; Enter or leaving the field saves it.

    Signals:
        committed(): the user finished editing (Enter, Tab or leaving the field).
    """

    committed = Signal()
    LINES = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._typed = False
        self.textChanged.connect(self._on_text_changed)

    def set_title(self, text: str, *, force: bool = False) -> None:
        """Show ``text`` unless the user is typing in the field (``force``: show it anyway)."""
        if not force and self.hasFocus() and self._typed:
            return
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self._typed = False
        self._fit()

    def title(self) -> str:
        """The text as typed (a title has no line breaks)."""
        return self.toPlainText()

    @property
    def typed(self) -> bool:
        """Whether the user typed since the title was last shown or saved."""
        return self._typed

    def mark_saved(self) -> None:
        """What is shown is what the item holds."""
        self._typed = False

    @Slot()
    def _on_text_changed(self) -> None:
        self._typed = True

    @Slot()
    def _fit(self) -> None:
        block, count = self.document().firstBlock(), 0
        while block.isValid():
            count += max(1, block.layout().lineCount())
            block = block.next()
        lines = max(1, min(self.LINES, count))
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        self.setFixedHeight(lines * line + margins + 2 * round(self.document().documentMargin()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The title re-wraps at a new width (QWidget.resizeEvent)."""
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves instead of starting a new line (QWidget.keyPressEvent)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Leaving the field saves it (QWidget.focusOutEvent)."""
        super().focusOutEvent(event)
        self._finish()

    def _finish(self) -> None:
        if self._typed:
            self._typed = False
            self.committed.emit()


class DescriptionEdit(QPlainTextEdit):
    """The description editor; it says when the cursor leaves it (the text is then saved).

    Signals:
        focus_lost(): the editor lost the keyboard focus.
    """

    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Announce that editing paused (QWidget.focusOutEvent)."""
        super().focusOutEvent(event)
        self.focus_lost.emit()


class Section(QWidget):
    """A titled section that folds away (its state is remembered by the panel)."""

    toggled = Signal(str, bool)

    def __init__(self, key: str, title: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.header = QToolButton()
        self.header.setObjectName(f"section_{key}")
        self.header.setProperty("role", "section-toggle")
        self.header.setText(title)
        self.header.setCheckable(True)
        self.header.setChecked(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setArrowType(Qt.ArrowType.DownArrow)
        self.header.setAutoRaise(True)
        self.header.toggled.connect(self._on_toggled)
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(body)

    def set_title(self, title: str) -> None:
        """Change the section's title (e.g. with a count)."""
        self.header.setText(title)

    def set_open(self, on: bool) -> None:
        """Open or fold the section."""
        self.header.setChecked(on)

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        self.header.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.toggled.emit(self.key, on)
