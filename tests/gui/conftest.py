"""GUI test fixtures: offscreen Qt, a main window with private settings, captured messages."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest
from PySide6.QtCore import QAbstractItemModel
from pytestqt.qtbot import QtBot

from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.ui.main_window import MainWindow
from cspo_desktop.ui.settings import Settings

if TYPE_CHECKING:
    # pytest-qt's modeltest module needs its Qt binding set up, which happens after import.
    from pytestqt.modeltest import ModelTester

    from cspo_desktop.ui.pages.backlog import BacklogPage

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Window(MainWindow):
    """The real main window, with messages collected instead of shown in modal boxes."""

    def __init__(self, dirs: AppDirs) -> None:
        settings = Settings(dirs.settings_file)
        if not dirs.settings_file.exists():
            # Most tests here drive the Product page; the app's own first page is the Backlog.
            settings.set_page("product")
        super().__init__(dirs, settings, base_point_size=10.0)
        self.interactive = False
        self.messages: list[tuple[str, str, str]] = []

    def show_message(self, kind: str, title: str, text: str) -> None:
        """Collect instead of showing (MainWindow.show_message)."""
        self.messages.append((kind, title, text))


@pytest.fixture
def make_window(qtbot: QtBot, dirs: AppDirs) -> Iterator[Callable[[], Window]]:
    """Build windows sharing one data folder (so a second window sees the first one's settings)."""
    made: list[Window] = []

    def build() -> Window:
        window = Window(dirs)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield build
    for window in made:
        window.release_quietly()


@pytest.fixture
def window(make_window: Callable[[], Window]) -> Window:
    """One main window on the welcome page."""
    return make_window()


@pytest.fixture
def opened(window: Window, product_path: Path) -> Window:
    """A main window with the test product open."""
    assert window.open_path(product_path), window.messages
    return window


def check_model(tester: ModelTester, model: QAbstractItemModel) -> None:
    """Run pytest-qt's model tester (its ``check`` carries no type information)."""
    check = cast(Callable[[QAbstractItemModel], None], tester.check)
    check(model)


@pytest.fixture(autouse=True)
def _collect_qt_garbage() -> Iterator[None]:
    """Collect each test's reference cycles while Qt is still running.

    Left to the interpreter's final collection, after QApplication is gone, PySide6 wrappers
    of already-deleted Qt objects can crash the process at exit ("none_dealloc").
    """
    yield
    gc.collect()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Generated once: a demo product of 120 items, copied for every test that edits one.
    from cspo_desktop.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "template.cspo"
    generate_demo(path, items=120)
    return path


@pytest.fixture
def backlog(window: Window, tmp_path: Path, _demo_template: Path) -> BacklogPage:
    """The Backlog page of a fresh copy of the demo product, shown."""
    path = tmp_path / "demo.cspo"
    path.write_bytes(_demo_template.read_bytes())
    assert window.open_path(path), window.messages
    assert window.workspace is not None
    window.show()
    window.workspace.show_page("backlog")
    return window.workspace.backlog_page
