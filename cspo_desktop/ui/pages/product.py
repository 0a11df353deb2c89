"""The Product page: name, vision board, product goals, Definition of Done and Ready, scale.

Text is saved as the user types: an edit is committed when the field loses focus or after a
short pause, as one undoable command per field; the commits of one uninterrupted edit merge
into a single undo step.

The page is built before the app's first paint, so it shows the name and the vision board
only; the editors below them (goals, Definition of Done and Ready, estimation scale) live in
``ui/widgets`` and are built on the event-loop turn after the window first paints with the
page on it. Their modules touch PySide6's ``Qt`` namespace, whose creation costs tens of
milliseconds that the first paint does not pay. :meth:`ProductPage.ensure_sections` builds
them at once when asked (tests, or code that needs them before they appeared).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
    QUndoCommand,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.vocabulary import VISION_FIELDS
from cspo_desktop.domain.wording import plural, scale_name
from cspo_desktop.persistence.queries import ProductSummary
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.ui.commands import CommandErrors, SetProductText, new_edit_session
from cspo_desktop.ui.document import ProductDocument

if TYPE_CHECKING:
    from cspo_desktop.ui.widgets.definitions_editor import (
        DefinitionOfDoneEditor,
        DefinitionOfReadyEditor,
    )
    from cspo_desktop.ui.widgets.goals_editor import GoalsEditor
    from cspo_desktop.ui.widgets.scale_editor import EstimationEditor

COMMIT_PAUSE_MS = 1200
#: A vision pane grows with its text from this many lines to that many, then scrolls.
PANE_MIN_LINES, PANE_MAX_LINES = 4, 12
#: The editors sit side by side when each column gets at least this many average characters.
COLUMN_CHARS = 62


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
        # Ctrl+Z belongs to the product's undo stack (every commit is a step there), not to a
        # second, private history inside the text box.
        self.editor.setUndoRedoEnabled(False)
        self.editor.setAccessibleName(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(self.editor, 1)
        #: The pane beside this one on the board: both keep the height of the longer text.
        self.partner: VisionPane | None = None
        self.editor.textChanged.connect(self.fit_text)
        self.fit_text()

    def text_height(self) -> int:
        """The editor height that shows the text, from :data:`PANE_MIN_LINES` to the maximum."""
        editor = self.editor
        document = editor.document()
        layout = document.documentLayout()
        height = 0.0
        block = document.begin()
        while block.isValid():
            height += layout.blockBoundingRect(block).height()
            block = block.next()
        line = editor.fontMetrics().lineSpacing()
        text = min(max(height, line * PANE_MIN_LINES), line * PANE_MAX_LINES)
        return round(text + 2 * document.documentMargin() + 2 * editor.frameWidth())

    @Slot()
    def fit_text(self) -> None:
        """Grow with the text; the pane beside this one gets the same height."""
        panes = (self,) if self.partner is None else (self, self.partner)
        wanted = max(pane.text_height() for pane in panes)
        for pane in panes:
            if pane.editor.minimumHeight() != wanted or pane.editor.maximumHeight() != wanted:
                pane.editor.setFixedHeight(wanted)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new width wraps the text anew (QWidget.resizeEvent)."""
        super().resizeEvent(event)
        self.fit_text()

    def changeEvent(self, event: QEvent) -> None:
        """Keep room for the same lines at any presentation scale (QWidget.changeEvent)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_text()


class ProductPage(QWidget):
    """Name, vision board and working agreements of the open product."""

    def __init__(
        self,
        document: ProductDocument,
        push: Callable[[QUndoCommand], None],
        errors: CommandErrors,
        parent: QWidget | None = None,
        *,
        during_startup: bool = False,
    ) -> None:
        """Build the page; ``during_startup`` leaves the editors to :meth:`build_sections_soon`.

        At start-up the app calls that once its first paint is on screen, so nothing but the
        vision board stands between launching and a painted window (and a smoke run, which
        exits after that paint, builds no editors at all).
        """
        super().__init__(parent)
        self.setObjectName("productPage")
        self._wait_for_startup = during_startup
        self._document = document
        self._push = push
        self._errors = errors
        self._saved: dict[str, str] = {}
        self._sessions: dict[str, int] = {}
        self._goals: GoalsEditor | None = None
        self._done: DefinitionOfDoneEditor | None = None
        self._ready: DefinitionOfReadyEditor | None = None
        self._scale: EstimationEditor | None = None
        self._build_pending = False
        self._closed = False  # the product closed (see close_down)
        self._stale = False
        self._columns = 0

        self.name = QLineEdit()
        self.name.installEventFilter(self)
        self.name.setObjectName("name")
        self.name.setProperty("role", "title-edit")
        self.name.setAccessibleName("Product name")
        self.name.setFrame(False)
        self.name.editingFinished.connect(self._on_name_edited)
        self.counts = QLabel()
        self.counts.setProperty("role", "subtitle")

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(COMMIT_PAUSE_MS)
        self._pause.timeout.connect(self.commit_pending)

        self.scroll_area = self._lay_out()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        document.changed.connect(self._on_document_changed)
        self.refresh()

    def _lay_out(self) -> QScrollArea:
        """Name, counts and vision board, then room for the editors, in a scroll area."""
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
        left, right = list(self.panes.values())[0::2], list(self.panes.values())[1::2]
        for a, b in zip(left, right, strict=True):
            a.partner, b.partner = b, a
            a.fit_text()

        content = QWidget()
        content.setObjectName("productContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(8)
        layout.addWidget(self.name)
        layout.addWidget(self.counts)
        layout.addSpacing(12)
        layout.addWidget(board_title)
        layout.addLayout(grid)
        layout.addSpacing(16)
        self._sections = QGridLayout()
        self._sections.setSpacing(16)
        layout.addLayout(self._sections)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("productScroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        return scroll

    # ---- Public API
    def refresh(self) -> None:
        """Show what the product file holds now (after an edit, undo or redo)."""
        summary = self._document.summary()
        self._show(summary)
        self._refresh_sections()

    @property
    def sections_built(self) -> bool:
        """Whether the editors below the vision board exist yet."""
        return self._goals is not None

    def ensure_sections(self) -> None:
        """Build the goals, Definition of Done / Ready and estimation editors if not yet built."""
        if self._goals is not None:
            return
        from cspo_desktop.ui.widgets.definitions_editor import (
            DefinitionOfDoneEditor,
            DefinitionOfReadyEditor,
        )
        from cspo_desktop.ui.widgets.goals_editor import GoalsEditor
        from cspo_desktop.ui.widgets.scale_editor import EstimationEditor

        args = (self._document, self._push, self._errors)
        self._goals = GoalsEditor(*args)
        self._done = DefinitionOfDoneEditor(*args)
        self._ready = DefinitionOfReadyEditor(*args)
        self._scale = EstimationEditor(*args)
        self._arrange()

    @property
    def goals(self) -> GoalsEditor:
        """The product goals editor (built on first use)."""
        self.ensure_sections()
        assert self._goals is not None
        return self._goals

    @property
    def done(self) -> DefinitionOfDoneEditor:
        """The Definition of Done editor (built on first use)."""
        self.ensure_sections()
        assert self._done is not None
        return self._done

    @property
    def ready(self) -> DefinitionOfReadyEditor:
        """The Definition of Ready editor (built on first use)."""
        self.ensure_sections()
        assert self._ready is not None
        return self._ready

    @property
    def scale(self) -> EstimationEditor:
        """The estimation scale editor (built on first use)."""
        self.ensure_sections()
        assert self._scale is not None
        return self._scale

    def commit_pending(self) -> None:
        """Save every pane whose text differs from the file (before undo, closing, leaving)."""
        self._pause.stop()
        for field, pane in self.panes.items():
            self._commit(field, pane.editor.toPlainText())

    # ---- Sections
    def _refresh_sections(self) -> None:
        if self._goals is None:
            return
        if self.isHidden():
            # Another page is in front: read when this one is shown again.
            self._stale = True
            return
        self._stale = False
        for editor in (self._goals, self._done, self._ready, self._scale):
            if editor is not None:
                editor.refresh()

    def _arrange(self) -> None:
        """Put the editors side by side when there is room, else one below the other."""
        editors = (self._goals, self._done, self._ready, self._scale)
        if editors[0] is None:
            return
        room = self.width() - 64
        columns = 2 if room >= 2 * COLUMN_CHARS * self.fontMetrics().averageCharWidth() else 1
        if columns == self._columns:
            return
        self._columns = columns
        for n, editor in enumerate(editors):
            if editor is not None:
                self._sections.removeWidget(editor)
                self._sections.addWidget(editor, n // columns, n % columns)
        for column in range(2):
            self._sections.setColumnStretch(column, 1 if column < columns else 0)

    def build_sections_soon(self) -> None:
        """Build the editors on the next event-loop turn (start-up is over)."""
        self._wait_for_startup = False
        if self._goals is None and not self._build_pending:
            self._build_pending = True
            QTimer.singleShot(0, self, self._build_after_paint)

    @Slot()
    def _build_after_paint(self) -> None:
        self._build_pending = False
        if not self._closed:
            self.ensure_sections()

    def close_down(self) -> None:
        """The product is closing: editors still waiting for the event loop are not built."""
        self._closed = True

    @Slot(object)
    def _on_document_changed(self, changes: Changes) -> None:
        # Goals count items, so item changes (made on the Backlog) matter here too.
        if changes.touches(Entity.GOAL) or changes.touches(Entity.ITEM):
            if self.isHidden():
                self._stale = True
                return
            # Only the counts: text being typed into the vision board is left alone.
            self._show_counts(self._document.summary())
            if self._goals is not None:
                self._goals.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up on changes made while hidden; build the editors after the paint (QWidget)."""
        super().showEvent(event)
        if self._stale:
            self.refresh()
        if self._goals is None and not self._build_pending and not self._wait_for_startup:
            self._build_pending = True
            self.window().installEventFilter(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-arrange the editors for the new width (QWidget.resizeEvent)."""
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:
        """Re-arrange the editors when the presentation scale changes (QWidget.changeEvent)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._columns = 0
            self._arrange()

    # ---- Internals
    def _show(self, summary: ProductSummary) -> None:
        values = {"name": summary.name} | {f: getattr(summary, f) for f, _l, _h in VISION_FIELDS}
        self._saved = values
        if self.name.text() != summary.name:
            self.name.setText(summary.name)
        for field, pane in self.panes.items():
            if pane.editor.toPlainText() != values[field]:
                _replace_text(pane.editor, values[field])
        self._show_counts(summary)

    def _show_counts(self, summary: ProductSummary) -> None:
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
        """End an edit session when a pane loses focus; notice the window's paint (QObject)."""
        if event.type() == QEvent.Type.Paint and watched is self.window():
            # The vision board is on screen: build the editors on the next event-loop turn.
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._build_after_paint)
        elif event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                QKeySequence.StandardKey.Redo
            ):
                # Let the window's Undo/Redo shortcut have the key, not the text box.
                return True
        elif event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
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
