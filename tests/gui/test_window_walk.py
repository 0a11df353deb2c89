"""A seeded random walk over the main window, as an impatient user drives it.

Menu actions that need no dialog, page switches, selections (one row or several), filters, quick
views, lists, sorting, detail-panel edits, closing and reopening the product in one go, with and
without the event loop turning between steps. pytest-qt fails the test on any exception raised
inside Qt's callbacks; at the end the list on screen is the file's order.
"""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.pages.backlog import BacklogPage
from cspo_desktop.ui.widgets.item_dialogs import BulkEditDialog

from .conftest import Window

#: Actions that open no dialog (the others wait for a user's answer).
NO_DIALOG = (
    ActionId.OPEN_DEMO,
    ActionId.CLOSE_PRODUCT,
    ActionId.NEW_ITEM,
    ActionId.MOVE_UP,
    ActionId.MOVE_DOWN,
    ActionId.MOVE_TOP,
    ActionId.MOVE_BOTTOM,
    ActionId.DUPLICATE,
    ActionId.COPY_ITEMS,
    ActionId.PASTE_ITEMS,
    ActionId.START_REFINEMENT,
    ActionId.UNDO,
    ActionId.REDO,
    ActionId.ZOOM_IN,
    ActionId.ZOOM_OUT,
    ActionId.ZOOM_RESET,
    ActionId.DETAIL_PANEL,
    ActionId.THEME_DARK,
    ActionId.THEME_LIGHT,
    ActionId.NEW_AT_TOP,
    ActionId.NEW_AFTER_SELECTION,
)
#: Picked twice as often: what changes the list, and undoing it.
EDITING = (
    ActionId.MOVE_UP,
    ActionId.MOVE_DOWN,
    ActionId.MOVE_TOP,
    ActionId.DUPLICATE,
    ActionId.UNDO,
    ActionId.REDO,
    ActionId.UNDO,
)
STEPS = 200
_ID = BACKLOG_COLUMNS.index("id")


class Walker:
    """One walk: a random choice of what to do next, and of whether to let events run."""

    def __init__(self, window: Window, seed: int) -> None:
        self.window = window
        self.rng = random.Random(seed)
        self.done: list[str] = []  # what took effect (an enabled action, a reopen, ...)

    def page(self) -> BacklogPage | None:
        workspace = self.window.workspace
        if workspace is None or workspace.current_page() != "backlog":
            return None
        return workspace.backlog_page

    def step(self) -> None:
        rng = self.rng
        kind = rng.choice(["action"] * 6 + ["page", "select", "select", "several", "list", "tool"])
        if rng.random() < 0.03:
            kind = "reopen"
        if self.window.document is None and rng.random() < 0.5:
            self.window.registry[ActionId.OPEN_DEMO].trigger()  # a user reopens soon
            self.done.append("file.open_demo")
            return
        page = self.page()
        if kind == "action":
            action = self.window.registry[rng.choice(NO_DIALOG + EDITING)]
            if action.isEnabled():
                action.trigger()
                self.done.append(action.objectName())
        elif kind == "page" and self.window.workspace is not None:
            self.window.workspace.show_page_number(rng.choice((1, 2)))
        elif kind == "reopen" and self.window.document is not None:
            path = self.window.document.path
            self.window.close_product()  # and open again before the event loop turns
            assert self.window.open_path(path)
            self.done.append("reopen")
        elif page is not None:
            self._on_backlog(kind, page)
        if rng.random() < 0.7:
            QTest.qWait(rng.choice((0, 0, 1, 130)))

    def _on_backlog(self, kind: str, page: BacklogPage) -> None:
        rng = self.rng
        rows = page.model.rowCount()
        if kind == "select" and rows:
            page.table.selectRow(rng.randrange(rows))
            if self.window.detail_dock is not None and rng.random() < 0.5:
                self._edit_in_panel()
        elif kind == "several" and rows > 3:
            selection = page.table.selectionModel()
            selection.clearSelection()
            flag = QItemSelectionModel.SelectionFlag
            for row in rng.sample(range(rows), 3):
                selection.select(page.model.index(row, 0), flag.Select | flag.Rows)
        elif kind == "tool" and page.selected_ids():
            self._use_a_tool(page)
        elif kind == "list":
            choice = rng.randrange(4)
            if choice == 0:
                page.filter_bar.text.setText(rng.choice(["", "pay", "label:savings", "zzz"]))
            elif choice == 1:
                page.filter_bar.quick.setCurrentIndex(rng.randrange(page.filter_bar.quick.count()))
            elif choice == 2:
                page.table.horizontalHeader().sectionClicked.emit(rng.randrange(5))
            else:
                page.filter_bar.findChildren(type(page.filter_bar.show_epics))[0].click()

    def _use_a_tool(self, page: BacklogPage) -> None:
        """Delete, move to a position or bulk-edit the selection, answering as a user would."""
        rng = self.rng
        choice = rng.randrange(3)
        if choice == 0:

            def yes(_question: str) -> bool:
                return True

            setattr(page, "confirm_delete", yes)  # noqa: B010 - answers as a user would
            self.window.registry[ActionId.DELETE_ITEMS].trigger()
            self.done.append("delete")
        elif choice == 1:
            page.move_selection_to_position(rng.randint(1, max(1, page.model.rowCount())))
            self.done.append("position")
        else:

            def fill(dialog: QDialog) -> bool:
                assert isinstance(dialog, BulkEditDialog)
                dialog.set_value("points", rng.choice((1.0, 3.0, 8.0)))
                dialog.set_value("labels", rng.choice(("", "walk", "walk, twice")))
                return True

            page.tools.run_dialog = fill
            self.window.registry[ActionId.BULK_EDIT].trigger()
            self.done.append("bulk")

    def _edit_in_panel(self) -> None:
        dock = self.window.detail_dock
        assert dock is not None
        dock.show_now()
        panel = dock.panel
        if panel is None or panel.item is None:
            return
        if self.rng.random() < 0.5:
            panel.title.setPlainText(f"Walked {self.rng.randrange(1000)}")
            panel.title.committed.emit()
        elif panel.points.count():
            index = self.rng.randrange(panel.points.count())
            panel.points.setCurrentIndex(index)
            panel.points.activated.emit(index)


@pytest.mark.parametrize("seed", [11, 29])
def test_a_random_walk_over_the_window_raises_nothing_and_shows_the_file(
    window: Window, seed: int
) -> None:
    window.show()
    window.after_first_paint()
    window.registry[ActionId.OPEN_DEMO].trigger()
    walker = Walker(window, seed)
    for _ in range(STEPS):
        walker.step()
    QTest.qWait(0)
    moves = {"backlog.move_up", "backlog.move_down", "backlog.move_top", "backlog.move_bottom"}
    done = set(walker.done)
    assert len(walker.done) > STEPS // 4  # the walk did things, not only no-ops
    assert moves & done
    assert {"delete", "position", "bulk"} & done
    assert {"edit.undo", "edit.redo", "reopen", "file.close"} <= done, " ".join(sorted(done))
    if window.document is None:
        window.registry[ActionId.OPEN_DEMO].trigger()
    assert window.document is not None
    assert window.workspace is not None
    window.workspace.show_page("backlog")
    page = window.workspace.backlog_page
    page.ensure_complete()
    shown = [row[_ID] for row in page.model.all_rows()]
    with closing(sqlite3.connect(window.document.path)) as conn:
        stored = [r[0] for r in conn.execute("SELECT id FROM item ORDER BY rank, id")]
    assert shown == stored
