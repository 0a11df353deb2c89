"""The read-only backlog list."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.services.items import NewItem, add_item
from cspo_desktop.ui.models.backlog import BacklogModel
from cspo_desktop.ui.models.backlog_columns import COLUMNS
from cspo_desktop.ui.pages.backlog import BacklogPage

from .conftest import Window, check_model


def test_the_backlog_lists_every_item_in_rank_order(
    opened: Window, product_path: Path, qtmodeltester: ModelTester
) -> None:
    assert opened.document is not None
    assert opened.workspace is not None
    page = opened.workspace.backlog_page
    opened.show()
    opened.workspace.show_page("backlog")
    assert page.isVisible()
    assert page.empty.isVisible()
    for title in ("Pay by QR code", "Freeze a lost card", "Split a bill"):
        opened.document.apply_returning(add_item, NewItem(title, points=3))
    model = page.model
    assert model.rowCount() == 3
    titles = [model.index(row, 2).data() for row in range(3)]
    conn = sqlite3.connect(product_path)
    expected = [r[0] for r in conn.execute("SELECT title FROM item ORDER BY rank, id")]
    conn.close()
    assert titles == expected
    assert page.summary.text().startswith("3 items · 9 points")
    assert not page.empty.isVisible()
    check_model(qtmodeltester, model)


def test_the_backlog_is_read_only_when_its_page_is_shown(opened: Window) -> None:
    assert opened.document is not None
    assert opened.workspace is not None
    opened.show()
    opened.workspace.show_page("product")
    opened.document.apply_returning(add_item, NewItem("Pay by QR code"))
    page = opened.workspace.backlog_page
    assert page.model.rowCount() == 0  # not read while another page is shown
    opened.workspace.show_page("backlog")
    assert page.model.rowCount() == 1


def test_blocked_items_say_so_in_words_and_rows_are_numbered(qtmodeltester: ModelTester) -> None:
    values = {"id": 1, "key": "PB-1", "type": "story", "title": "Pay", "points": 3.0}
    values |= {"business_value": 5, "status": "todo", "segment": "backlog", "blocked": 1}
    values |= {"labels": '["a", "b"]', "rank": "a0", "description": "", "moscow": "wont"}
    values |= {"updated_at": "2026-01-01", "criteria": 0, "open_questions": 0}
    values |= {"unfinished_dependencies": 0}
    model = BacklogModel([tuple(values.get(name) for name in BACKLOG_COLUMNS)])
    shown = {header: model.index(0, c).data() for c, (header, *_rest) in enumerate(COLUMNS)}
    assert shown["Status"] == "⊘ To do (blocked)"
    assert shown["Labels"] == "a, b"
    assert shown["Pts"] == "3"
    assert shown["MoSCoW"] == "Won't"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    check_model(qtmodeltester, model)


def test_columns_and_rows_grow_with_the_presentation_scale(
    window: Window, backlog: BacklogPage, qtbot: QtBot
) -> None:
    table = backlog.table
    width, height = table.columnWidth(4), table.verticalHeader().defaultSectionSize()
    window.set_scale(1.5)
    qtbot.waitUntil(lambda: table.columnWidth(4) > width)
    assert table.verticalHeader().defaultSectionSize() > height
    header = table.horizontalHeader().fontMetrics()
    assert table.columnWidth(4) >= header.horizontalAdvance("Value")


def test_at_start_up_only_the_top_is_read_and_the_rest_after_the_first_paint(
    window: Window, backlog: BacklogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cspo_desktop.ui.pages import backlog as backlog_module

    monkeypatch.setattr(backlog_module, "PAINT_ROWS", 10)
    document = backlog.document
    page = BacklogPage(document, document.undo_stack.push, backlog.errors, during_startup=True)
    page.show()
    assert page.model.rowCount() <= 10
    assert page.summary.text() == "Reading the whole backlog…"
    page.startup_finished()
    QTest.qWait(0)
    QApplication.processEvents()
    assert page.model.ids() == backlog.model.ids()
    assert page.summary.text() == backlog.summary.text()
    page.close()


def test_a_product_closed_before_the_rest_is_read_is_not_read_again(
    window: Window, backlog: BacklogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cspo_desktop.ui.pages import backlog as backlog_module

    monkeypatch.setattr(backlog_module, "PAINT_ROWS", 10)
    path = backlog.document.path
    window.close_product()
    assert window.open_path(path)  # opened at start-up: the top of the list only
    assert window.workspace is not None
    first = window.workspace.backlog_page
    assert len(first.model.all_rows()) == 10
    reads: list[int | None] = []

    def read(limit: int | None = None) -> list[tuple[object, ...]]:
        reads.append(limit)
        return []

    monkeypatch.setattr(first.document, "backlog_rows", read)
    window.after_first_paint()  # asks for the rest of the list on the next turn...
    window.close_product()  # ...but the product closes first (Restore from backup does this)
    assert window.open_path(path)
    QTest.qWait(0)
    QApplication.processEvents()
    assert reads == []  # the closed file was not read again
    assert window.workspace is not None
    assert len(window.workspace.backlog_page.model.all_rows()) > 10
