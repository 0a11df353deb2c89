"""The Backlog page: every item of the product in rank order, ranked by drag and drop or keys.

Rows are read when the page is shown, and again on changes while it is shown: a product opened
on another page paints without reading its whole backlog first. Moves of any kind (a drop,
Ctrl+↑/↓, Ctrl+Home/End, Move to position…) push one :class:`MoveItems` command.

As the app's first screen, the page paints through :class:`FirstRowsModel` and takes its full
model (drag and drop, sorting, the header menu) in :meth:`BacklogPage.startup_finished`;
until then it leaves PySide6's ``Qt`` namespace alone (see :mod:`ui.models.first_rows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from cspo_desktop.domain.filters import BacklogFilter, QuickView, View
from cspo_desktop.domain.points import format_points
from cspo_desktop.domain.readiness import ReadyRules
from cspo_desktop.domain.vocabulary import ItemType, Segment
from cspo_desktop.domain.wording import plural
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.models.backlog import BacklogModel
from cspo_desktop.ui.models.backlog_columns import DEFAULT_HIDDEN_BY_VIEW
from cspo_desktop.ui.models.backlog_filter import make_predicate
from cspo_desktop.ui.widgets.backlog_table import (
    BacklogTable,
    configure_drag_and_drop,
    configure_look,
    size_table,
)
from cspo_desktop.ui.widgets.column_chooser import apply_hidden
from cspo_desktop.ui.widgets.filter_bar import FilterBar, view_counts

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent, QUndoCommand

    from cspo_desktop.domain.anchor import Anchor
    from cspo_desktop.persistence.previews import DeletionPreview
    from cspo_desktop.ui.models.first_rows import FirstRowsModel
    from cspo_desktop.ui.pages.backlog_tools import BacklogTools

#: Rows read for the first paint at start-up: more than any screen shows.
PAINT_ROWS = 150
_POINTS = BACKLOG_COLUMNS.index("points")
_STATUS = BACKLOG_COLUMNS.index("status")
_TITLE = BACKLOG_COLUMNS.index("title")
_C_TYPE = BACKLOG_COLUMNS.index("type")
_C_SEGMENT = BACKLOG_COLUMNS.index("segment")


class BacklogPage(QWidget):
    """The backlog list with a one-line summary.

    Signals:
        said(str): a line for the status bar (what a move did).
        current_item_changed(object): the item under the cursor (an id, or ``None``).
        hidden_columns_changed(str, list): the user hid or showed columns of a view.
    """

    said = Signal(str)
    current_item_changed = Signal(object)
    hidden_columns_changed = Signal(str, list)

    def __init__(
        self,
        document: ProductDocument,
        push: Callable[[QUndoCommand], None],
        errors: CommandErrors,
        parent: QWidget | None = None,
        *,
        during_startup: bool = False,
        first_screen: bool = False,
    ) -> None:
        """Build the page; ``first_screen`` paints through a light model until start-up ends."""
        super().__init__(parent)
        self.setObjectName("backlogPage")
        #: At start-up the first read takes only the top of the list (the rest follows the
        #: first paint), so a 10,000-item product paints as fast as a small one.
        self._during_startup = during_startup or first_screen
        self._partial = False
        self._tools: BacklogTools | None = None
        self._new_item_spot = "bottom"
        self._document = document
        self._push = push
        self._errors = errors
        self._stale = True
        self._loading = False
        self._closed = False  # the product closed: no more reads (see close_down)
        title = QLabel("Backlog")
        title.setProperty("role", "title")
        self.summary = QLabel()
        self.summary.setProperty("role", "subtitle")
        self.empty = QLabel(
            "No items yet. Open the demo product (File ▸ Open the demo product) to see a living "
            "backlog."
        )
        self.empty.setProperty("role", "hint")
        self.empty.setWordWrap(True)
        self.empty.hide()  # until a read finds no rows (see _show_summary)

        self.model = BacklogModel()
        self.model.move_requested.connect(self._on_move_requested)
        self.model.modelReset.connect(self._on_current_changed)
        self.table = BacklogTable()
        self.table.setObjectName("backlogTable")
        self._first_rows: FirstRowsModel | None = None
        self._show_model(first_screen=first_screen)
        self._hidden_prefs: dict[str, list[int]] = {}
        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self._on_filter_changed)
        self._spec = BacklogFilter()
        self._rules: ReadyRules | None = None
        self.model.set_filter(make_predicate(self._spec, dt.datetime.now(dt.UTC)))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.quick_add = QLineEdit()
        self.quick_add.setObjectName("backlogQuickAdd")
        self.quick_add.setPlaceholderText("+ Add an item: type a title and press Enter (Ctrl+N)")
        self.quick_add.returnPressed.connect(self._on_quick_add)
        layout.addWidget(self.quick_add)
        self._apply_columns()

    def _show_model(self, *, first_screen: bool) -> None:
        """Give the table the full model, or as the first screen its first rows (see above)."""
        if not first_screen:
            self.table.setModel(self.model)
            configure_look(self.table)
            self._take_full_model()
            return
        from cspo_desktop.ui.models.first_rows import FirstRowsModel

        self._first_rows = FirstRowsModel(self.model)
        self.table.setModel(self._first_rows)
        self.table.horizontalHeader().setModel(self._first_rows.titles)
        configure_look(self.table)

    def _take_full_model(self) -> None:
        """Show the full model: drag and drop, header clicks, selection, the column menu."""
        if self._first_rows is not None:
            self.table.setModel(self.model)  # a new selection model; columns stay as they are
            self._first_rows.deleteLater()
            self._first_rows = None
        configure_drag_and_drop(self.table)
        self.table.horizontalHeader().sectionClicked.connect(self._on_header_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_current_changed)

    # ---- Columns
    def set_hidden_preferences(self, prefs: dict[str, list[int]]) -> None:
        """The columns the user hid, per view (from the settings)."""
        self._hidden_prefs = dict(prefs)
        self._apply_columns()

    def _apply_columns(self) -> None:
        view = self._spec.view
        hidden = self._hidden_prefs.get(view.value, sorted(DEFAULT_HIDDEN_BY_VIEW[view]))
        if self._first_rows is not None:  # the header's menu comes with the full model
            apply_hidden(self.table, hidden)
            return
        from cspo_desktop.ui.widgets.column_chooser import install_column_chooser

        install_column_chooser(self.table, hidden, self._on_columns_chosen)

    def _on_columns_chosen(self, hidden: list[int]) -> None:
        view = self._spec.view.value
        self._hidden_prefs[view] = list(hidden)
        self.hidden_columns_changed.emit(view, list(hidden))

    @Slot(int)
    def _on_header_clicked(self, column: int) -> None:
        """A click on a header cycles: sorted up, sorted down, back to rank order."""
        self.model.toggle_sort(column)
        self._show_summary()
        if self.model.is_sorted:
            self.said.emit("Sorted view: read-only order; click the header again for rank order")
        else:
            self.said.emit("Back in rank order: drag and Ctrl+↑/↓ rank items again")

    def _refuse_move_when_sorted(self) -> bool:
        if self.model.is_sorted:
            self.said.emit("Sorted view: return to rank order (click the header) to move items")
            return True
        return False

    # ---- Reading
    def refresh(self) -> None:
        """Re-read the backlog from the product file now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._load()

    def apply_ranks(self, ranks: dict[int, str]) -> None:
        """Show moved items at their new places (or re-read when next shown)."""
        if self._stale or not self.isVisible():
            self._stale = True
            return
        self.model.apply_ranks(ranks)

    def changeEvent(self, event: QEvent) -> None:
        """Follow the presentation scale: rows and columns grow with the font (QWidget)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # After the children have their new font too (they hear of it after the page).
            QTimer.singleShot(0, self, lambda: size_table(self.table))

    def showEvent(self, event: QShowEvent) -> None:
        """Read the rows on first show and after changes made elsewhere (QWidget.showEvent)."""
        if self._stale:
            self._load()
        super().showEvent(event)

    def close_down(self) -> None:
        """The product is closing: a read still waiting for the event loop does nothing."""
        self._closed = True

    def _load(self) -> None:
        if self._closed:
            return
        self._stale = False
        self._partial = self._during_startup
        rows = self._document.backlog_rows(limit=PAINT_ROWS if self._partial else None)
        self._partial = self._partial and len(rows) == PAINT_ROWS
        self._rules = self._document.ready_rules()
        self.model.set_rules(self._rules)
        # The selection survives a re-read (an edit in the detail panel re-reads the list).
        selected, current = self.selected_ids(), self.current_item()
        self._loading = True
        try:
            if self._spec.quick is QuickView.NOT_READY:  # judged by the rules just read
                predicate = make_predicate(self._spec, dt.datetime.now(dt.UTC), self._rules)
                self.model.set_filter(predicate)
            self.model.set_rows(rows)
            if selected:
                self._reselect(selected, current=current, scroll=False)
        finally:
            self._loading = False
        self._on_current_changed()
        if not self._partial:  # the top of the list alone would give wrong counts
            self.filter_bar.set_counts(view_counts(rows))
        self._show_summary()

    def _show_summary(self) -> None:
        rows = self.model.rows()
        points = sum(r[_POINTS] or 0 for r in rows)
        done = sum(1 for r in rows if r[_STATUS] == "done")
        text = f"{plural(len(rows), 'item')} · {format_points(points)} points · {done:,} done"
        if self._spec.view is View.EPICS:
            text = self._epics_summary()
        if self._partial:
            text = "Reading the whole backlog…"
        if self.model.is_sorted:
            text += " · sorted view (read-only order): click the header again for rank order"
        elif self._spec.narrows:
            text += " · filtered view: a drop lands right after the row above it"
        self.summary.setText(text)
        has_rows = bool(rows)
        # Only on a change: showing a shown table shows its parts again (milliseconds).
        if self.table.isHidden() == has_rows:
            self.table.setVisible(has_rows)
        if self.empty.isHidden() != has_rows:
            self.empty.setVisible(not has_rows)
        if self._spec.narrows or self.model.all_rows():
            self.empty.setText("No items match this filter.")
        else:
            self.empty.setText(
                "No items yet. Open the demo product (File ▸ Open the demo product) to see a "
                "living backlog."
            )

    def _epics_summary(self) -> str:
        rollups = [self.model.rollup_of(self.model.id_at(r)) for r in range(self.model.rowCount())]
        found = [r for r in rollups if r is not None]
        points = sum(r.points for r in found)
        done = sum(r.done_points for r in found)
        items = sum(r.items for r in found)
        return (
            f"{plural(len(found), 'epic')} · {plural(items, 'item')} below them · "
            f"{format_points(done)} of {format_points(points)} points done"
        )

    # ---- Filtering
    def set_filter(self, spec: BacklogFilter) -> None:
        """Show the items ``spec`` selects (the filter bar follows)."""
        self.filter_bar.show_spec(spec)
        self._on_filter_changed(spec)

    @Slot(object)
    def _on_filter_changed(self, spec: BacklogFilter) -> None:
        view_changed = spec.view is not self._spec.view
        self._spec = spec
        if view_changed:
            self._apply_columns()
        self.model.set_filter(make_predicate(spec, dt.datetime.now(dt.UTC), self._rules))
        self._show_summary()

    def focus_filter(self) -> None:
        """Put the cursor in the text filter (Ctrl+F)."""
        self.filter_bar.text.setFocus()
        self.filter_bar.text.selectAll()

    # ---- Selection
    def current_item(self) -> int | None:
        """The item under the cursor (the detail panel shows it)."""
        if self._first_rows is not None:  # nothing is selected before the first paint
            return None
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.id_at(index.row())

    @Slot()
    def _on_current_changed(self) -> None:
        if not self._loading:
            self.current_item_changed.emit(self.current_item())

    def select_item(self, item_id: int) -> None:
        """Select ``item_id`` and scroll to it, if the view lists it."""
        self._reselect([item_id])

    # ---- Moving
    def selected_ids(self) -> list[int]:
        """The selected items, in list order."""
        if self._first_rows is not None:  # nothing is selected before the first paint
            return []
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.id_at(row) for row in rows]

    def move_selection_by(self, step: int) -> None:
        """Move the selection one place up (``-1``) or down (``+1``) among the shown rows."""
        ids = self.selected_ids()
        if not ids or self._refuse_move_when_sorted():
            return
        from cspo_desktop.domain.anchor import Anchor  # not needed for the first paint

        moving = set(ids)
        rows = [self.model.row_of(i) for i in ids]
        if step < 0:
            above = [r for r in range(rows[0] - 1, -1, -1) if self.model.id_at(r) not in moving]
            if above:
                self._move(ids, Anchor(before=self.model.id_at(above[0])))
        else:
            count = self.model.rowCount()
            below = [r for r in range(rows[-1] + 1, count) if self.model.id_at(r) not in moving]
            if below:
                self._move(ids, Anchor(after=self.model.id_at(below[0])))

    def move_selection_to_top(self) -> None:
        """Move the selection above every other shown row."""
        self._move_to_row(0)

    def move_selection_to_bottom(self) -> None:
        """Move the selection below every other shown row."""
        self._move_to_row(self.model.rowCount())

    def ask_move_to_position(self) -> None:
        """Ask for a position (1 = top) and move the selection there."""
        if not self.selected_ids():
            return
        from PySide6.QtWidgets import QInputDialog

        count = self.model.rowCount()
        position, ok = QInputDialog.getInt(
            self, "Move to position", f"Position (1 to {count}):", 1, 1, count
        )
        if ok:
            self.move_selection_to_position(position)

    def move_selection_to_position(self, position: int) -> None:
        """Move the selection so that it starts at ``position`` (1-based) among the other rows."""
        ids = self.selected_ids()
        if not ids or self._refuse_move_when_sorted():
            return
        from cspo_desktop.domain.anchor import Anchor

        others = [i for i in self.model.ids() if i not in set(ids)]
        at = max(0, min(position - 1, len(others)))
        anchor = (
            Anchor(before=others[at])
            if at < len(others)
            else Anchor(after=others[-1])
            if others
            else None
        )
        if anchor is not None:
            self._move(ids, anchor)

    def _move_to_row(self, row: int) -> None:
        ids = self.selected_ids()
        if self._refuse_move_when_sorted():
            return
        anchor = self.model.anchor_for_drop(row, set(ids)) if ids else None
        if anchor is not None:
            self._move(ids, anchor)

    # ---- Adding and deleting
    def focus_quick_add(self) -> None:
        """Put the cursor in the quick-add line (Ctrl+N)."""
        self.quick_add.setFocus()

    @Slot()
    def _on_quick_add(self) -> None:
        title = self.quick_add.text()
        if not title.strip():
            return
        segment = Segment.INBOX if self._spec.view is View.INBOX else Segment.BACKLOG
        added = self.tools.add_item(title, segment)
        if added is None:
            return
        self.quick_add.clear()
        self._reselect([added])
        where = self.model.row_of(added) + 1
        self.said.emit(f"Added '{title.strip()}' at position {where} — Ctrl+Z to undo")

    @property
    def tools(self) -> BacklogTools:
        """Bulk edit, split, duplicate, clipboard, accept (made on first use)."""
        if self._tools is None:
            from cspo_desktop.ui.pages.backlog_tools import BacklogTools, NewItemSpot

            self._tools = BacklogTools(self)
            self._tools.new_item_spot = NewItemSpot(self._new_item_spot)
        return self._tools

    def set_new_item_spot(self, spot: str) -> None:
        """Put new items at the ``top``, the ``bottom`` or ``after`` the selected item."""
        self._new_item_spot = spot
        if self._tools is not None:
            from cspo_desktop.ui.pages.backlog_tools import NewItemSpot

            self._tools.new_item_spot = NewItemSpot(spot)

    def startup_finished(self) -> None:
        """The first paint is on screen: take the full model, read the rest of the list."""
        self._during_startup = False
        if self._first_rows is not None:
            self._take_full_model()
            self._apply_columns()
        if self._partial:
            QTimer.singleShot(0, self, self._load)  # dropped if the page goes first

    @property
    def document(self) -> ProductDocument:
        """The product the page shows."""
        return self._document

    @property
    def errors(self) -> CommandErrors:
        """Where the page's commands report refusals."""
        return self._errors

    def push(self, command: QUndoCommand) -> None:
        """Run ``command`` and keep it for undo."""
        self._push(command)

    @property
    def spec(self) -> BacklogFilter:
        """What the page shows (view, filter text, quick view)."""
        return self._spec

    def backlog_ids(self) -> list[int]:
        """The items of the Backlog view (epics left out), in rank order, filters ignored."""
        self.ensure_complete()
        kind, segment = _C_TYPE, _C_SEGMENT
        return [
            int(r[0])
            for r in self.model.all_rows()
            if r[segment] == Segment.BACKLOG and r[kind] != ItemType.EPIC
        ]

    def delete_selection(self) -> None:
        """Delete the selected items after saying what goes with them."""
        ids = self.selected_ids()
        if not ids:
            return
        preview = self._document.deletion_preview(ids)
        first = self.model.rows()[self.model.row_of(ids[0])]
        title = str(first[_TITLE])
        if not self.confirm_delete(deletion_question(title, preview)):
            return
        row = self.model.row_of(ids[0])
        from cspo_desktop.ui.backlog_commands import DeleteItems

        command = DeleteItems(self._document, self._errors, ids, title)
        self._push(command)
        if not command.failed:
            what = f"'{title}'" if len(ids) == 1 else f"{len(ids)} items"
            self.said.emit(f"Deleted {what} — Ctrl+Z brings it all back")
            if self.model.rowCount():
                self._reselect([self.model.id_at(min(row, self.model.rowCount() - 1))])

    def confirm_delete(self, question: str) -> bool:
        """Ask before deleting (tests answer for the user)."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, "Delete items", question)
        return answer == QMessageBox.StandardButton.Yes

    @Slot(list, object)
    def _on_move_requested(self, ids: list[int], anchor: Anchor) -> None:
        self._move(ids, anchor)

    def ensure_complete(self) -> None:
        """Read the whole list now if start-up read only its top (before moves and positions)."""
        if self._partial:
            self._load()

    def _move(self, ids: list[int], anchor: Anchor) -> None:
        self.ensure_complete()
        if self.model.already_at(ids, anchor):
            self.said.emit("Already there: nothing moved")
            self._reselect(ids)
            return
        first = self.model.row_of(ids[0])
        title = str(self.model.rows()[first][_TITLE]) if first >= 0 else ""
        from cspo_desktop.ui.backlog_commands import MoveItems

        command = MoveItems(self._document, self._errors, ids, anchor, title)
        self._push(command)
        if not command.failed:
            position = self.model.row_of(ids[0]) + 1
            what = f"'{title}'" if len(ids) == 1 else f"{len(ids)} items"
            self.said.emit(f"Moved {what} to position {position} — Ctrl+Z to undo")
        self._reselect(ids)

    def _reselect(self, ids: list[int], *, current: int | None = None, scroll: bool = True) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for item in ids:
            row = self.model.row_of(item)
            if row >= 0:
                selection.select(self.model.index(row, 0), flags)
        focus = current if current is not None and current in ids else (ids[0] if ids else None)
        if focus is not None and (row := self.model.row_of(focus)) >= 0:
            flag = selection.SelectionFlag.NoUpdate
            selection.setCurrentIndex(self.model.index(row, 0), flag)
            if scroll:
                self.table.scrollTo(self.model.index(row, 0))


def deletion_question(title: str, preview: DeletionPreview) -> str:
    """The confirmation text: what goes with the items, and that undo brings it back."""
    what = f"“{title}”" if preview.items == 1 else f"{preview.items} items"
    parts = []
    if preview.criteria:
        parts.append(plural(preview.criteria, "acceptance criterion", "acceptance criteria"))
    if preview.questions:
        questions = plural(preview.questions, "question")
        if preview.open_questions:
            questions += f" ({preview.open_questions:,} open)"
        parts.append(questions)
    if preview.links:
        parts.append(plural(preview.links, "link"))
    if preview.children:
        parts.append(f"{plural(preview.children, 'item')} lose their epic")
    goes = f" With it: {', '.join(parts)}." if parts else ""
    return f"Delete {what}?{goes} Its history is kept, and Ctrl+Z brings everything back."
