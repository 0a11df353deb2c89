"""The main window: welcome page, opening and refusing files, reopening as it was left."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cspo_desktop.persistence.backups import BackupKind, list_backups
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.product_file import open_product
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.main_window import MainWindow, first_size
from cspo_desktop.ui.settings import Settings
from cspo_desktop.ui.theme import ThemeMode
from tests.content import content_hash

from .conftest import Window


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_without_a_product_the_welcome_page_shows(window: Window) -> None:
    assert window.central.currentWidget() is window.welcome
    assert window.windowTitle() == "CSPO Desktop"
    assert not window.registry[ActionId.CLOSE_PRODUCT].isEnabled()
    assert not window.registry[ActionId.UNDO].isEnabled()
    assert window.welcome.empty_recent.isVisibleTo(window.welcome)


def test_a_bad_file_is_refused_with_a_message_and_left_untouched(
    window: Window, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.cspo"
    bad.write_bytes(b"These are my meeting notes, not a database.\n" * 40)
    before = sha(bad)
    assert not window.open_path(bad)
    assert sha(bad) == before
    kind, _title, text = window.messages[-1]
    assert kind == "error"
    assert "notes.cspo" in text
    assert "not a CSPO Desktop product file" in text
    assert window.central.currentWidget() is window.welcome


def test_a_product_open_elsewhere_is_refused(
    window: Window, product_path: Path, dirs: AppDirs
) -> None:
    elsewhere = open_product(product_path, backups_root=dirs.backups)
    try:
        assert not window.open_path(product_path)
        assert "already open" in window.messages[-1][2]
    finally:
        elsewhere.close()
    assert window.open_path(product_path)


def test_everything_is_as_it_was_left_after_reopening(
    make_window: Callable[[], Window], product_path: Path, qtbot: QtBot
) -> None:
    first = make_window()
    assert first.open_path(product_path)
    first.resize(790, 503)
    first.show()
    qtbot.waitExposed(first)
    assert first.workspace is not None
    first.workspace.show_page("backlog")
    first.set_theme(ThemeMode.DARK)
    first.set_scale(1.3)
    page = first.workspace.product_page
    page.panes["vision_needs"].editor.setPlainText("Fast payments")
    first.close()

    second = make_window()
    last = second.settings.last_product()
    assert last == product_path
    assert second.open_path(last)
    assert second.workspace is not None
    assert second.workspace.current_page() == "backlog"
    assert second.workspace.product_page.panes["vision_needs"].editor.toPlainText() == (
        "Fast payments"
    )
    assert second.settings.theme() is ThemeMode.DARK
    assert second.settings.scale() == pytest.approx(1.3)
    assert (second.width(), second.height()) == (790, 503)
    assert second.settings.recent()[0].path == product_path


def test_closing_after_changes_makes_a_backup(opened: Window, dirs: AppDirs) -> None:
    assert opened.document is not None
    assert opened.workspace is not None
    path = opened.document.path
    opened.workspace.product_page.panes["vision_needs"].editor.setPlainText("Speed")
    opened.registry[ActionId.CLOSE_PRODUCT].trigger()
    kinds = [b.kind for b in list_backups(path, dirs.backups)]
    assert kinds == [BackupKind.CLOSE]
    assert opened.central.currentWidget() is opened.welcome


def test_closing_without_changes_makes_no_backup(opened: Window, dirs: AppDirs) -> None:
    assert opened.document is not None
    path = opened.document.path
    opened.registry[ActionId.CLOSE_PRODUCT].trigger()
    assert list_backups(path, dirs.backups) == []


def test_the_daily_backup_is_made_after_the_first_paint(opened: Window, dirs: AppDirs) -> None:
    assert opened.document is not None
    opened.after_first_paint()
    opened.after_first_paint()  # a second call the same day makes none
    kinds = [b.kind for b in list_backups(opened.document.path, dirs.backups)]
    assert kinds == [BackupKind.OPEN]


def test_restore_from_backup_brings_the_old_content_back(
    opened: Window, dirs: AppDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert opened.document is not None
    assert opened.workspace is not None
    path = opened.document.path
    backup = opened.document.backup_if_due()
    assert backup is not None
    page = opened.workspace.product_page
    page.name.setText("Renamed after the backup")
    page.name.editingFinished.emit()
    monkeypatch.setattr(opened.files, "ask_backup", lambda _product: backup)
    opened.registry[ActionId.RESTORE_BACKUP].trigger()
    assert opened.document is not None
    assert opened.document.summary().name == "Pocket Bank"
    kinds = {b.kind for b in list_backups(path, dirs.backups)}
    assert BackupKind.RESTORE in kinds


def test_save_a_copy_writes_an_intact_product(
    opened: Window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "copy.cspo"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName",
        lambda *_args, **_kwargs: (str(target), ""),
    )
    opened.registry[ActionId.SAVE_COPY].trigger()
    assert inspect_product(target).revision
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT name FROM product").fetchone()[0] == "Pocket Bank"
    conn.close()


def test_new_product_is_created_and_opened(
    window: Window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "Roadmap.cspo"
    monkeypatch.setattr(window.files, "ask_new_product", lambda: ("Roadmap", target))
    window.registry[ActionId.NEW_PRODUCT].trigger()
    assert window.document is not None
    assert window.document.path == target
    assert window.windowTitle() == "Roadmap — CSPO Desktop"
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_demo_product_is_generated_once_then_reopened(window: Window, dirs: AppDirs) -> None:
    window.registry[ActionId.OPEN_DEMO].trigger()
    assert window.document is not None
    demo = dirs.demo_product
    assert window.document.path == demo
    first = window.document.summary()
    assert first.item_count > 100
    window.close_product()
    stamp = demo.stat().st_mtime_ns
    window.registry[ActionId.OPEN_DEMO].trigger()
    assert demo.stat().st_mtime_ns == stamp


def test_presentation_scale_grows_the_font_and_is_bounded(window: Window) -> None:
    base = window.font().pointSizeF()
    window.registry[ActionId.ZOOM_IN].trigger()
    assert window.settings.scale() == pytest.approx(1.1)
    assert window.font().pointSizeF() > base
    for _ in range(16):
        window.registry[ActionId.ZOOM_IN].trigger()
    assert window.settings.scale() == pytest.approx(2.5)
    window.registry[ActionId.ZOOM_RESET].trigger()
    assert window.settings.scale() == pytest.approx(1.0)


def test_shortcuts_follow_the_keyboard_map(window: Window) -> None:
    def keys(action_id: ActionId) -> set[str]:
        return {seq.toString() for seq in window.registry[action_id].shortcuts()}

    assert "Ctrl+Shift+N" in keys(ActionId.NEW_PRODUCT)
    assert "Ctrl+O" in keys(ActionId.OPEN_PRODUCT)
    assert "Ctrl+Z" in keys(ActionId.UNDO)
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= keys(ActionId.REDO)
    assert "F11" in keys(ActionId.FULL_SCREEN)
    assert "Ctrl+Q" in keys(ActionId.QUIT)
    assert "Ctrl+0" in keys(ActionId.ZOOM_RESET)


def test_a_fresh_install_opens_a_product_on_the_backlog(dirs: AppDirs, product_path: Path) -> None:
    settings = Settings(dirs.settings_file)
    assert settings.page() == "backlog"
    window = MainWindow(dirs, settings, base_point_size=10.0, interactive=False)
    try:
        assert window.open_path(product_path)
        assert window.workspace is not None
        assert window.workspace.current_page() == "backlog"
    finally:
        window.release_quietly()
        window.deleteLater()


def test_export_an_archive_and_import_it_as_a_new_product(
    window: Window, backlog_path_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.open_path(backlog_path_fixture)
    archive = tmp_path / "shared.json"
    monkeypatch.setattr(window.files, "ask_archive_target", lambda _document: archive)
    window.registry[ActionId.EXPORT_ARCHIVE].trigger()
    assert archive.exists()
    target = tmp_path / "copy.cspo"
    monkeypatch.setattr(window.files, "ask_archive_source", lambda: (archive, target))
    window.registry[ActionId.IMPORT_ARCHIVE].trigger()
    assert window.document is not None
    assert window.document.path == target.resolve()
    assert content_hash(target) == content_hash(backlog_path_fixture)
    # A second import onto the same name is refused with a message; nothing is replaced.
    before = target.read_bytes()
    window.close_product()
    window.registry[ActionId.IMPORT_ARCHIVE].trigger()
    assert window.messages[-1][1] == "Import archive"
    assert target.read_bytes() == before


@pytest.fixture
def backlog_path_fixture(tmp_path: Path, _demo_template: Path) -> Path:
    """A copy of the 120-item demo product, closed."""
    path = tmp_path / "demo.cspo"
    path.write_bytes(_demo_template.read_bytes())
    return path


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        ((1920, 1080), (1280, 800)),
        ((1440, 900), (1280, 800)),
        ((1366, 768), (1229, 691)),
        ((1280, 800), (1152, 720)),
        ((800, 800), (720, 720)),
    ],
)
def test_the_first_window_fits_the_screen(
    screen: tuple[int, int], expected: tuple[int, int]
) -> None:
    assert first_size(*screen) == expected


def test_a_first_start_opens_within_the_screen(window: Window) -> None:
    area = window.screen().availableGeometry()
    assert window.width() <= area.width()
    assert window.height() <= area.height()
