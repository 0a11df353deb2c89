"""The item detail panel: every field edited in place, each edit undone and redone exactly."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel
from pytestqt.qtbot import QtBot

from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.pages.backlog import BacklogPage
from cspo_desktop.ui.widgets.item_detail import NOTHING_SELECTED
from cspo_desktop.ui.widgets.item_detail.panel import ItemDetailPanel
from tests.content import content_hash

from .conftest import Window


def query(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def select(window: Window, backlog: BacklogPage, row: int) -> None:
    """Select a row as a click does; the panel follows on the next turn of the event loop."""
    backlog.table.selectRow(row)
    assert window.detail_dock is not None
    window.detail_dock.show_now()


@pytest.fixture
def panel(window: Window, backlog: BacklogPage) -> ItemDetailPanel:
    """The detail panel showing the third item of the demo backlog."""
    window.after_first_paint()
    select(window, backlog, 2)
    assert window.detail_dock is not None
    assert window.detail_dock.panel is not None
    return window.detail_dock.panel


def pick(combo: QComboBox, data: object) -> None:
    """Choose an entry as a user would (``activated`` is the user's signal)."""
    index = combo.findData(data)
    assert index >= 0, (data, [combo.itemData(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def pick_other(combo: QComboBox, current: object) -> object:
    """Choose the first entry that is neither empty nor ``current``; return its value."""
    for index in range(combo.count()):
        data = combo.itemData(index)
        if data is not None and data != current:
            pick(combo, data)
            return data
    raise AssertionError(combo.objectName())


def test_the_panel_follows_the_selection(
    window: Window, backlog: BacklogPage, panel: ItemDetailPanel
) -> None:
    item = backlog.model.id_at(2)
    assert panel.item is not None
    assert panel.item.id == item
    assert panel.objectName() == "itemDetail"
    select(window, backlog, 5)
    assert panel.item.id == backlog.model.id_at(5)
    assert panel.title.title() == panel.item.title


def edit_every_field(panel: ItemDetailPanel) -> object:
    """Edit every field of the shown item once, as a user would; return the new status."""
    item = panel.item
    assert item is not None
    panel.title.setFocus()
    panel.title.selectAll()
    QTest.keyClicks(panel.title, "Pay a friend by QR code")
    QTest.keyClick(panel.title, Qt.Key.Key_Return)
    pick(panel.type, "bug")
    status = pick_other(panel.status, item.status)
    pick_other(panel.points, item.points)
    panel.value.setText(str((item.business_value or 0) + 1))
    panel.value.editingFinished.emit()
    pick(panel.moscow, "could" if item.moscow != "could" else "must")
    pick(panel.priority, "highest" if item.priority != "highest" else "low")
    pick_other(panel.epic, item.parent_id)
    pick_other(panel.goal, item.goal_id)
    panel.labels.setText("qr, payments ,  ")
    panel.labels.editingFinished.emit()
    panel.blocked.click()
    panel.blocked_note.setText("Waiting for the bank's API")
    panel.blocked_note.editingFinished.emit()
    panel.description.setPlainText("As a user I **pay** by QR")
    panel.commit_pending()
    panel.criteria.new.setText("QR code scanned in under a second")
    panel.criteria.new.returnPressed.emit()
    panel.questions.new.setText("Which QR standard?")
    panel.questions.asked_by.setText("Ana (dev)")
    panel.questions.new.returnPressed.emit()

    return status


def test_every_field_edits_undoes_redoes_and_survives_reopening(
    window: Window, backlog: BacklogPage, panel: ItemDetailPanel
) -> None:
    path = backlog._document.path
    item = panel.item
    assert item is not None
    before = content_hash(path)
    stack = window.document.undo_stack if window.document else None
    assert stack is not None
    start = stack.count()

    status = edit_every_field(panel)

    edits = stack.count() - start
    assert edits == 15, ([stack.text(i) for i in range(start, stack.count())], window.messages)
    ((title, kind, status, moscow, priority, labels, blocked),) = query(
        path,
        "SELECT title, type, status, moscow, priority, labels, blocked FROM item WHERE id = ?",
        item.id,
    )
    assert (title, kind, status, moscow, priority) == (
        "Pay a friend by QR code",
        "bug",
        status,
        "could",
        "highest",
    )
    assert labels == '["qr", "payments"]'
    assert blocked == 1
    assert panel.item is not None
    assert panel.item.criteria[-1].text == "QR code scanned in under a second"
    assert panel.item.questions[-1].asked_by == "Ana (dev)"
    assert "1 open" in panel.sections["questions"].header.text()
    after = content_hash(path)

    for _ in range(edits):
        window.registry[ActionId.UNDO].trigger()
    assert content_hash(path) == before
    assert panel.title.title() == item.title
    for _ in range(edits):
        window.registry[ActionId.REDO].trigger()
    assert content_hash(path) == after

    window.close_product()
    assert window.open_path(path)
    assert content_hash(path) == after


def test_a_refused_edit_says_why_and_leaves_nothing_to_undo(
    window: Window, panel: ItemDetailPanel, backlog: BacklogPage
) -> None:
    path = backlog._document.path
    before = content_hash(path)
    stack = window.document.undo_stack if window.document else None
    assert stack is not None
    count = stack.count()
    panel.value.setText("lots")
    panel.value.editingFinished.emit()
    panel.title.set_title("   ")
    panel.title._typed = True
    panel.title.committed.emit()
    assert content_hash(path) == before
    assert stack.count() == count
    texts = [text for _kind, _title, text in window.messages]
    assert any("whole number" in t for t in texts)
    assert any("title" in t.lower() for t in texts)


def test_criteria_are_checked_reordered_and_deleted_with_undo(
    window: Window, panel: ItemDetailPanel, backlog: BacklogPage
) -> None:
    path = backlog._document.path
    assert panel.item is not None
    criteria = panel.item.criteria
    assert len(criteria) >= 2
    before = content_hash(path)
    panel.criteria.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert panel.item.criteria[0].review_state == "pass"
    panel.criteria.list.setCurrentRow(0)
    panel.criteria.move_current(1)
    assert [c.id for c in panel.item.criteria][:2] == [criteria[1].id, criteria[0].id]
    panel.criteria.list.setCurrentRow(0)
    panel.criteria.delete_current()
    assert len(panel.item.criteria) == len(criteria) - 1
    for _ in range(3):
        window.registry[ActionId.UNDO].trigger()
    assert content_hash(path) == before


def test_dependencies_are_found_by_search_and_shown_both_ways(
    window: Window, panel: ItemDetailPanel, backlog: BacklogPage
) -> None:
    assert panel.item is not None
    other = backlog.model.id_at(10)
    other_key = backlog.model.rows()[10][1]
    panel.links.add.setText(other_key)  # typed in full and Enter, before any list came up
    panel.links._on_add()
    assert any(link.other_id == other and link.outgoing for link in panel.item.links)
    select(window, backlog, 10)
    assert panel.item.id == other
    assert any(not link.outgoing for link in panel.item.links)


def test_folded_sections_stay_folded_in_the_next_window(
    window: Window, panel: ItemDetailPanel, make_window: Callable[[], Window], backlog: BacklogPage
) -> None:
    panel.sections["history"].header.click()
    assert not panel.sections["history"].body.isVisible()
    assert window.settings.folded_sections() == ["history"]
    path = backlog.document.path
    window.close_product()
    second = make_window()
    assert second.open_path(path)
    second.show()
    second.after_first_paint()
    assert second.workspace is not None
    second.workspace.show_page("backlog")
    second.workspace.backlog_page.table.selectRow(1)
    assert second.detail_dock is not None
    second.detail_dock.show_now()
    assert second.detail_dock.panel is not None
    assert not second.detail_dock.panel.sections["history"].header.isChecked()
    assert second.detail_dock.panel.sections["criteria"].header.isChecked()


def test_a_key_typed_in_full_picks_that_item_among_longer_keys(
    window: Window, panel: ItemDetailPanel, backlog: BacklogPage
) -> None:
    assert panel.item is not None
    prefix = panel.item.key.split("-")[0]
    target = next(
        (i, key)
        for i, key in ((r[0], r[1]) for r in backlog.model.all_rows())
        if i != panel.item.id
        and any(k.startswith(key) and k != key for k in (r[1] for r in backlog.model.all_rows()))
    )
    assert target[1].startswith(prefix)
    before = [link.other_id for link in panel.item.links if link.outgoing]
    panel.links.add.setText(target[1])
    panel.links._on_add()
    after = [link.other_id for link in panel.item.links if link.outgoing]
    assert sorted(after) == sorted([*before, target[0]])


def test_text_typed_for_one_item_never_lands_on_the_next(
    window: Window, panel: ItemDetailPanel, backlog: BacklogPage, qtbot: QtBot
) -> None:
    first = panel.item
    assert first is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    panel.labels.setFocus()
    panel.labels.selectAll()
    QTest.keyClicks(panel.labels, "typed-for-first")
    window.registry[ActionId.DUPLICATE].trigger()  # Ctrl+D while the field has the cursor
    assert window.detail_dock is not None
    window.detail_dock.show_now()
    copy = panel.item
    assert copy is not None
    assert copy.id != first.id
    backlog.table.setFocus()  # the user leaves the field
    path = backlog.document.path
    assert query(path, "SELECT labels FROM item WHERE id = ?", first.id) == [
        ('["typed-for-first"]',)
    ]
    assert (
        "typed-for-first" not in query(path, "SELECT labels FROM item WHERE id = ?", copy.id)[0][0]
    )


def test_an_edit_in_the_not_ready_view_keeps_the_selection(
    window: Window, backlog: BacklogPage
) -> None:
    from cspo_desktop.domain.filters import BacklogFilter, QuickView

    window.after_first_paint()
    backlog.set_filter(BacklogFilter(quick=QuickView.NOT_READY))
    select(window, backlog, 1)
    assert window.detail_dock is not None
    panel = window.detail_dock.panel
    assert panel is not None
    assert panel.item is not None
    shown = panel.item.id
    pick_other(panel.priority, panel.item.priority)
    window.detail_dock.show_now()
    assert backlog.selected_ids() == [shown]
    assert panel.item is not None
    assert panel.item.id == shown


def test_the_dock_says_what_to_do_and_keeps_one_widget_across_products(
    window: Window, backlog: BacklogPage
) -> None:
    window.after_first_paint()
    dock = window.detail_dock
    assert dock is not None
    hint = dock.widget()
    assert isinstance(hint, QLabel)
    assert hint.text().startswith("Select an item")
    select(window, backlog, 1)
    assert isinstance(dock.widget(), ItemDetailPanel)
    assert window.document is not None
    path = window.document.path
    for _ in range(3):  # closed and reopened in one go, as Restore from backup does
        window.close_product()
        closed = dock.widget()
        assert isinstance(closed, QLabel)
        assert closed.text().startswith("Open a product")
        assert window.open_path(path)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the event loop does
    hints = [w.text() for w in dock.findChildren(QLabel) if w.parent() is dock]
    assert hints == [NOTHING_SELECTED]  # only the one shown
    assert not dock.findChildren(ItemDetailPanel)
    assert window.workspace is not None
    assert len(window.workspace.backlog_page.model.all_rows()) > 0
