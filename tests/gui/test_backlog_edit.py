"""Adding items from the quick-add line and deleting them with everything that hangs off them."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from cspo_desktop.domain.filters import BacklogFilter, View
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.pages.backlog import BacklogPage
from tests.content import content_hash as file_content_hash

from .conftest import Window


def query(page: BacklogPage, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(page._document.path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def content_hash(page: BacklogPage) -> str:
    """Every table but the event log, ignoring bookkeeping columns."""
    return file_content_hash(page._document.path)


def test_quick_add_puts_the_item_at_the_bottom_and_undo_takes_it_back(
    window: Window, backlog: BacklogPage
) -> None:
    before = content_hash(backlog)
    ((number,),) = query(backlog, "SELECT next_item_number FROM product")
    count = backlog.model.rowCount()
    window.registry[ActionId.NEW_ITEM].trigger()
    assert backlog.quick_add.hasFocus()
    backlog.quick_add.setText("  Pay a friend with a QR code  ")
    backlog.quick_add.returnPressed.emit()
    assert backlog.quick_add.text() == ""
    assert backlog.model.rowCount() == count + 1
    added = backlog.model.ids()[-1]
    ((title, segment),) = query(backlog, "SELECT title, segment FROM item WHERE id = ?", added)
    assert title == "  Pay a friend with a QR code  "  # kept exactly as typed
    assert segment == "backlog"
    assert backlog.selected_ids() == [added]
    window.registry[ActionId.UNDO].trigger()
    # Everything is as before; only next_item_number moved on (keys are never reused).
    assert content_hash(backlog) == before
    assert query(backlog, "SELECT next_item_number FROM product") == [(number + 1,)]
    assert query(backlog, "SELECT count(*) FROM item WHERE id = ?", added) == [(0,)]
    window.registry[ActionId.REDO].trigger()
    assert query(backlog, "SELECT title FROM item WHERE id = ?", added) == [(title,)]


def test_quick_add_in_the_inbox_lands_in_the_inbox(backlog: BacklogPage) -> None:
    backlog.set_filter(BacklogFilter(view=View.INBOX))
    backlog.quick_add.setText("Idea from the sales team")
    backlog.quick_add.returnPressed.emit()
    added = backlog.model.ids()[-1]
    assert query(backlog, "SELECT segment FROM item WHERE id = ?", added) == [("inbox",)]


def test_deleting_says_what_goes_and_undo_brings_everything_back(
    window: Window, backlog: BacklogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    backlog.set_filter(BacklogFilter(view=View.EPICS))
    epic = backlog.model.ids()[0]
    children = query(backlog, "SELECT count(*) FROM item WHERE parent_id = ?", epic)[0][0]
    assert children
    before = content_hash(backlog)
    events = query(backlog, "SELECT count(*) FROM item_event WHERE item_id = ?", epic)[0][0]
    asked: list[str] = []

    def confirm(text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(backlog, "confirm_delete", confirm)
    backlog._reselect([epic])
    window.registry[ActionId.DELETE_ITEMS].trigger()
    assert asked
    assert f"{children} items lose their epic" in asked[0]
    assert "Ctrl+Z brings everything back" in asked[0]
    assert epic not in backlog.model.ids()
    assert query(backlog, "SELECT count(*) FROM item WHERE parent_id = ?", epic) == [(0,)]
    kept = query(backlog, "SELECT count(*) FROM item_event WHERE item_id = ?", epic)[0][0]
    assert kept == events + 1  # the history stays, with a "deleted" entry
    window.registry[ActionId.UNDO].trigger()
    assert content_hash(backlog) == before
    assert epic in backlog.model.ids()


def test_a_story_takes_its_criteria_and_comes_back_with_them(
    window: Window, backlog: BacklogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = backlog.model.ids()[2]
    criteria = query(backlog, "SELECT count(*) FROM acceptance_criterion WHERE item_id = ?", story)
    assert criteria[0][0] >= 2
    before = content_hash(backlog)
    monkeypatch.setattr(backlog, "confirm_delete", lambda _text: True)
    backlog._reselect([story])
    window.registry[ActionId.DELETE_ITEMS].trigger()
    assert query(backlog, "SELECT count(*) FROM acceptance_criterion WHERE item_id = ?", story) == [
        (0,)
    ]
    window.registry[ActionId.UNDO].trigger()
    assert content_hash(backlog) == before
    window.registry[ActionId.REDO].trigger()
    assert story not in backlog.model.ids()


def test_cancelling_the_question_deletes_nothing(
    window: Window, backlog: BacklogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = content_hash(backlog)
    monkeypatch.setattr(backlog, "confirm_delete", lambda _text: False)
    backlog._reselect(backlog.model.ids()[:3])
    window.registry[ActionId.DELETE_ITEMS].trigger()
    assert content_hash(backlog) == before
    assert window.document is not None
    assert window.document.undo_stack.count() == 0
