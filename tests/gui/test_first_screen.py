"""The app's first screen: the backlog paints through a light model, the full one follows.

A window made with a product to open (the app's start-up) paints its frame and the Backlog
page's first rows first; menus, actions, drag and drop, sorting and the rest of the list follow
:meth:`MainWindow.after_first_paint`. What the user sees must not change when they do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QLabel,
    QMenu,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.main_window import MainWindow
from cspo_desktop.ui.models import backlog_columns
from cspo_desktop.ui.models.first_rows import FirstRowsModel
from cspo_desktop.ui.pages import backlog as backlog_module
from cspo_desktop.ui.settings import Settings

HORIZONTAL = Qt.Orientation.Horizontal


@pytest.fixture
def demo_path(tmp_path: Path, _demo_template: Path) -> Path:
    """A fresh copy of the 120-item demo product."""
    path = tmp_path / "demo.cspo"
    path.write_bytes(_demo_template.read_bytes())
    return path


def start(dirs: AppDirs, product: Path, qtbot: QtBot) -> MainWindow:
    """A window as the app makes it at start-up, shown."""
    window = MainWindow(
        dirs, Settings(dirs.settings_file), None, interactive=False, product=product
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def file_menu(window: MainWindow) -> QMenu:
    """The window's File menu."""
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    return menu


def header_titles(window: MainWindow) -> list[str]:
    """The column titles the backlog table's header shows, in model order."""
    assert window.workspace is not None
    header = window.workspace.backlog_page.table.horizontalHeader()
    return [str(header.model().headerData(c, HORIZONTAL)) for c in range(header.count())]


def test_the_first_screen_shows_the_first_rows_then_the_full_model_takes_over(
    dirs: AppDirs, demo_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backlog_module, "PAINT_ROWS", 40)
    window = start(dirs, demo_path, qtbot)
    assert window.workspace is not None
    page = window.workspace.backlog_page
    table = page.table
    first = table.model()
    assert isinstance(first, FirstRowsModel)
    shown = first.rowCount()
    assert 0 < shown == page.model.rowCount() < len(page.model.all_rows()) + 1
    assert len(page.model.all_rows()) == 40  # the top of the list only
    assert header_titles(window) == [page.model.column_title(c) for c in range(13)]
    for column in range(first.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole):
            assert first.index(1, column).data(role) == page.model.index(1, column).data(role)
    header = table.horizontalHeader()
    layout = [
        (header.logicalIndex(v), header.sectionSize(header.logicalIndex(v))) for v in range(13)
    ]
    hidden = [c for c in range(13) if table.isColumnHidden(c)]
    assert hidden == sorted(backlog_columns.DEFAULT_HIDDEN)
    assert page.current_item() is None
    assert page.selected_ids() == []
    assert not file_menu(window).actions()  # filled after the paint
    views = page.filter_bar.findChildren(QPushButton)
    assert sorted(b.text() for b in views) == ["Backlog", "Epics", "Inbox"]  # no partial counts
    assert window.findChild(QDockWidget) is None  # made after the paint

    window.after_first_paint()
    QTest.qWait(0)
    QApplication.processEvents()
    assert table.model() is page.model
    assert len(page.model.all_rows()) == 120  # the rest of the list was read
    assert page.model.rowCount() > shown
    assert page.summary.text() != "Reading the whole backlog…"
    assert all(b.text().split()[-1].replace(",", "").isdigit() for b in views)  # whole counts
    dock = window.detail_dock
    assert dock is not None
    hint = dock.widget()
    assert isinstance(hint, QLabel)
    assert "Select an item" in hint.text()  # not a blank panel
    assert header_titles(window) == [page.model.column_title(c) for c in range(13)]
    assert [
        (header.logicalIndex(v), header.sectionSize(header.logicalIndex(v))) for v in range(13)
    ] == layout
    assert [c for c in range(13) if table.isColumnHidden(c)] == hidden
    assert table.dragDropMode() is QAbstractItemView.DragDropMode.DragDrop
    assert header.contextMenuPolicy() is Qt.ContextMenuPolicy.CustomContextMenu
    assert file_menu(window).actions()
    assert window.registry[ActionId.CLOSE_PRODUCT].isEnabled()
    page.select_item(page.model.id_at(2))
    assert page.current_item() == page.model.id_at(2)
    window.close()  # detaches the detail panel before the product closes


def test_a_start_up_file_that_cannot_open_leaves_a_finished_welcome_window(
    dirs: AppDirs, tmp_path: Path, qtbot: QtBot
) -> None:
    bad = tmp_path / "notes.cspo"
    bad.write_bytes(b"not a database\n" * 40)
    window = start(dirs, bad, qtbot)
    assert window.document is None
    assert window.central.currentWidget() is window.welcome
    assert file_menu(window).actions()
    assert not window.registry[ActionId.CLOSE_PRODUCT].isEnabled()


def test_without_a_base_size_the_scale_starts_from_the_application_font(
    dirs: AppDirs, qtbot: QtBot
) -> None:
    window = MainWindow(dirs, Settings(dirs.settings_file), None, interactive=False)
    qtbot.addWidget(window)
    base = QGuiApplication.font().pointSizeF()
    window.set_scale(1.5)
    assert QGuiApplication.font().pointSizeF() == pytest.approx(base * 1.5)
    window.set_scale(1.0)
    assert QGuiApplication.font().pointSizeF() == pytest.approx(base)


def test_the_plain_roles_and_alignments_are_qts() -> None:
    role, align = Qt.ItemDataRole, Qt.AlignmentFlag
    assert role.DisplayRole.value == backlog_columns.DISPLAY_ROLE
    assert role.ToolTipRole.value == backlog_columns.TOOLTIP_ROLE
    assert role.TextAlignmentRole.value == backlog_columns.ALIGNMENT_ROLE
    assert role.UserRole.value == backlog_columns.USER_ROLE
    assert (align.AlignLeft | align.AlignVCenter).value == backlog_columns.LEFT
    assert (align.AlignRight | align.AlignVCenter).value == backlog_columns.RIGHT
