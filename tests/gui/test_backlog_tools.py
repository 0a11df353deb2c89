"""Everyday backlog tools: bulk edit, split, duplicate, copy, paste, accept, new item spot."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from cspo_desktop.domain.filters import BacklogFilter, View
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.models.backlog_columns import TITLE_COLUMN
from cspo_desktop.ui.pages.backlog import BacklogPage, deletion_question
from cspo_desktop.ui.widgets.item_dialogs import BulkEditDialog, SplitDialog
from tests.content import content_hash

from .conftest import Window

CRITERIA = BACKLOG_COLUMNS.index("criteria")


def query(page: BacklogPage, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(page._document.path)) as conn:
        return conn.execute(sql, params).fetchall()


def answer(page: BacklogPage, fill: Callable[[Any], None]) -> list[QDialog]:
    """Answer the next dialogs with ``fill`` and OK; return them for inspection."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        fill(dialog)
        return True

    page.tools.run_dialog = run
    return shown


def path_of(page: BacklogPage) -> Path:
    return page._document.path


def test_bulk_edit_sets_every_ticked_field_as_one_undo_step(
    window: Window, backlog: BacklogPage
) -> None:
    before = content_hash(path_of(backlog))
    ids = [backlog.model.id_at(r) for r in (3, 4, 7)]
    backlog._reselect(ids)

    def fill(dialog: BulkEditDialog) -> None:
        dialog.set_value("points", 5.0)
        dialog.set_value("moscow", "could")
        dialog.set_value("labels", "tax, export")

    shown = answer(backlog, fill)
    window.registry[ActionId.BULK_EDIT].trigger()
    assert isinstance(shown[0], BulkEditDialog)
    marks = ", ".join("?" * len(ids))
    rows = query(backlog, f"SELECT points, moscow, labels FROM item WHERE id IN ({marks})", *ids)
    assert rows == [(5.0, "could", '["tax", "export"]')] * 3
    assert backlog.selected_ids() == ids  # the selection survived the re-read
    window.registry[ActionId.UNDO].trigger()
    assert content_hash(path_of(backlog)) == before


def test_split_moves_the_chosen_criteria_to_a_new_story_right_below(
    window: Window, backlog: BacklogPage
) -> None:
    before = content_hash(path_of(backlog))
    row = next(r for r in range(backlog.model.rowCount()) if backlog.model.rows()[r][CRITERIA] >= 3)
    item = backlog.model.id_at(row)
    backlog._reselect([item])
    criteria = [
        c
        for (c,) in query(
            backlog, "SELECT id FROM acceptance_criterion WHERE item_id = ? ORDER BY position", item
        )
    ]

    def fill(dialog: SplitDialog) -> None:
        dialog.choose(criteria[-2:])
        dialog.title.setText("Second half")

    answer(backlog, fill)
    window.registry[ActionId.SPLIT].trigger()
    new = backlog.current_item()
    assert new is not None
    assert new != item
    assert backlog.model.row_of(new) == row + 1
    moved = query(backlog, "SELECT id FROM acceptance_criterion WHERE item_id = ?", new)
    assert sorted(c for (c,) in moved) == sorted(criteria[-2:])
    assert query(
        backlog, "SELECT kind FROM item_link WHERE item_id = ? AND other_id = ?", new, item
    ) == [("split_from",)]
    window.registry[ActionId.UNDO].trigger()
    assert content_hash(path_of(backlog)) == before
    window.registry[ActionId.REDO].trigger()
    assert query(backlog, "SELECT title FROM item WHERE id = ?", new) == [("Second half",)]


def test_duplicate_copies_below_and_undo_takes_it_away(
    window: Window, backlog: BacklogPage
) -> None:
    before = content_hash(path_of(backlog))
    item = backlog.model.id_at(2)
    backlog._reselect([item])
    window.registry[ActionId.DUPLICATE].trigger()
    copy = backlog.current_item()
    assert copy is not None
    assert backlog.model.row_of(copy) == 3
    ((title,),) = query(backlog, "SELECT title FROM item WHERE id = ?", copy)
    assert title.startswith("Copy of ")
    window.registry[ActionId.UNDO].trigger()
    assert content_hash(path_of(backlog)) == before


def test_copy_gives_spreadsheet_rows_with_formulas_neutralised(
    window: Window, backlog: BacklogPage
) -> None:
    item = backlog.model.id_at(0)
    with closing(sqlite3.connect(path_of(backlog))) as conn:
        conn.execute("UPDATE item SET title = '=HYPERLINK(\"x\")' WHERE id = ?", (item,))
        conn.commit()
    backlog.refresh()
    backlog._reselect([item, backlog.model.id_at(1)])
    window.registry[ActionId.COPY_ITEMS].trigger()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:3] == ["Key", "Type", "Title"]
    assert not {"Ready", "Progress"} & set(lines[0].split("\t"))  # drawn by the view only
    assert len(lines) == 3
    assert lines[1].split("\t")[2] == '\'=HYPERLINK("x")'


def test_paste_makes_one_item_per_row_after_the_current_item(
    window: Window, backlog: BacklogPage
) -> None:
    before = content_hash(path_of(backlog))
    anchor = backlog.model.id_at(4)
    backlog._reselect([anchor])
    QGuiApplication.clipboard().setText("Title\tPoints\nExport to CSV\t3\nImport from Jira\t5\n")
    window.registry[ActionId.PASTE_ITEMS].trigger()
    new = backlog.selected_ids()
    assert [backlog.model.row_of(i) for i in new] == [5, 6]
    marks = ", ".join("?" * len(new))
    assert query(
        backlog, f"SELECT title, points FROM item WHERE id IN ({marks}) ORDER BY rank", *new
    ) == [("Export to CSV", 3.0), ("Import from Jira", 5.0)]
    window.registry[ActionId.UNDO].trigger()
    assert content_hash(path_of(backlog)) == before


def test_a_bad_paste_says_which_row_and_adds_nothing(window: Window, backlog: BacklogPage) -> None:
    before = content_hash(path_of(backlog))
    backlog.tools.paste("Title\tPoints\nA\t3\nB\tlots\n")
    assert content_hash(path_of(backlog)) == before
    assert window.messages
    assert "3" in window.messages[-1][2]


def test_accept_into_backlog_places_inbox_items_at_a_position(
    window: Window, backlog: BacklogPage
) -> None:
    before = content_hash(path_of(backlog))
    backlog.set_filter(BacklogFilter(view=View.INBOX))
    inbox = backlog.model.ids()
    assert inbox
    backlog._reselect(inbox[:1])
    backlog.tools.ask_number = lambda *_args: 2
    window.registry[ActionId.ACCEPT_INBOX].trigger()
    assert inbox[0] not in backlog.model.ids()
    backlog.set_filter(BacklogFilter())
    assert backlog.model.row_of(inbox[0]) == 1
    window.registry[ActionId.UNDO].trigger()
    assert content_hash(path_of(backlog)) == before


def test_new_items_land_where_the_user_chose(window: Window, backlog: BacklogPage) -> None:
    window.registry[ActionId.NEW_AT_TOP].trigger()
    backlog.quick_add.setText("Top idea")
    backlog.quick_add.returnPressed.emit()
    assert backlog.model.rows()[0][3] == "Top idea"
    window.registry[ActionId.NEW_AFTER_SELECTION].trigger()
    backlog._reselect([backlog.model.id_at(5)])
    backlog.quick_add.setText("Right after")
    backlog.quick_add.returnPressed.emit()
    assert backlog.model.rows()[6][3] == "Right after"
    stack = window.document.undo_stack if window.document else None
    assert stack is not None
    assert stack.undoText() == "Add 'Right after'"  # add and place: one step
    assert window.settings.new_item_spot() == "after"


def test_the_delete_question_names_questions_and_links(backlog: BacklogPage) -> None:
    ((item,),) = query(
        backlog,
        "SELECT item_id FROM question GROUP BY item_id ORDER BY count(*) DESC LIMIT 1",
    )
    text = deletion_question("X", backlog._document.deletion_preview([item]))
    assert "question" in text


def test_at_the_top_means_the_top_of_the_rank_even_in_a_sorted_view(
    window: Window, backlog: BacklogPage
) -> None:
    window.registry[ActionId.NEW_AT_TOP].trigger()
    first_by_rank = backlog.model.id_at(0)
    backlog.model.set_sort(TITLE_COLUMN)  # sorted by title: not the rank
    backlog.quick_add.setText("Top idea")
    backlog.quick_add.returnPressed.emit()
    backlog.model.set_sort(None)
    assert backlog.model.rows()[0][3] == "Top idea"
    assert backlog.model.id_at(1) == first_by_rank
