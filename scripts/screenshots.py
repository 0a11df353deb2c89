"""Render the README screenshots from the demo product (offscreen, light theme, scale 1.0).

Usage: ``.venv/bin/python scripts/screenshots.py [OUT_DIR]`` (default ``docs/screenshots``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(out: Path) -> None:
    """Open the demo product in the real main window and grab each page."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cspo_desktop.persistence.paths import app_dirs
    from cspo_desktop.ui.main_window import MainWindow
    from cspo_desktop.ui.settings import Settings
    from cspo_desktop.ui.theme import ThemeMode

    app = QApplication([])
    dirs = app_dirs(tempfile.mkdtemp(prefix="cspo-shots-"))
    window = MainWindow(dirs, Settings(dirs.settings_file), base_point_size=10.0)
    window.interactive = False
    window.set_theme(ThemeMode.LIGHT)
    window.resize(1280, 780)
    window.show()
    app.processEvents()
    out.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out / "welcome.png"))
    window.open_demo()
    window.after_first_paint()  # as the app does: the Product page's editors, the daily backup
    for _ in range(5):
        app.processEvents()
    workspace = window.workspace
    assert workspace is not None
    workspace.show_page("product")
    app.processEvents()
    window.grab().save(str(out / "product.png"))
    _backlog_shots(window, out)
    window.set_theme(ThemeMode.LIGHT)
    workspace.show_page("product")
    window.resize(1280, 1180)  # tall enough for the goals and definitions below the vision
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(out / "product-editors.png"))
    _import_preview(window, out / "import-preview.png")
    window.release_quietly()


def _backlog_shots(window: object, out: Path) -> None:
    """The backlog with the detail panel on an item that is not ready (it has an open question).

    Then the same page in the dark look.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from cspo_desktop.ui.main_window import MainWindow
    from cspo_desktop.ui.models.backlog_columns import READY_COLUMN as READY
    from cspo_desktop.ui.theme import ThemeMode

    assert isinstance(window, MainWindow)
    workspace = window.workspace
    assert workspace is not None
    app = QApplication.instance()
    assert app is not None
    TOOLTIP = Qt.ItemDataRole.ToolTipRole  # noqa: N806 - a Qt constant
    window.resize(1560, 900)
    workspace.show_page("backlog")
    page = workspace.backlog_page
    app.processEvents()
    row = next(
        r
        for r in range(page.model.rowCount())
        if "open question" in str(page.model.index(r, READY).data(TOOLTIP) or "")
    )
    page.table.selectRow(row)
    assert window.detail_dock is not None
    window.detail_dock.show()  # the offscreen screen is small: the window keeps it hidden
    window.detail_dock.show_now()
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(out / "backlog.png"))
    window.resize(1280, 780)
    workspace.backlog_page.table.selectRow(2)
    window.set_theme(ThemeMode.DARK)
    app.processEvents()
    window.grab().save(str(out / "backlog-dark.png"))


def _import_preview(window: object, target: Path) -> None:
    """The import preview of a real Jira export, as File ▸ Import… shows it."""
    from PySide6.QtWidgets import QApplication, QDialog

    from cspo_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    assert window.document is not None
    source = Path(__file__).parents[1] / "tests/data/real-exports/jira"
    files = window.tracker_files

    def grab(dialog: QDialog) -> bool:
        dialog.resize(900, 700)
        dialog.show()
        for _ in range(5):
            QApplication.processEvents()
        dialog.grab().save(str(target))
        return False

    files.run_dialog = grab
    files.import_file(window.document, source / "herokudeploy_jwprogram_server_storypoints.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
