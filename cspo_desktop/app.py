"""The desktop app's entry point and composition root.

Start-up order, chosen so the first window paints before heavy libraries load:

1. Parse the command line (no Qt yet: ``--help`` and ``--version`` answer at once).
2. Check that a display can be opened; Qt would abort the process otherwise.
3. Create the QApplication, with organisation and application names set before anything
   touches settings or paths.
4. Open the product through the standard-library path (inspect, lock, plain-SQL reads).
5. Build and show the main window: the first paint.
6. Then load the write path (SQLModel services) and make the daily backup.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cspo_desktop import __version__
from cspo_desktop.display import display_problem

if TYPE_CHECKING:
    from cspo_desktop.ui.first_paint import FirstPaintWatcher
    from cspo_desktop.ui.main_window import MainWindow

WATCHED_MODULES = ("sqlmodel", "sqlalchemy", "alembic", "matplotlib")
SMOKE_TIMEOUT_MS = 30_000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The ``cspo-desktop`` command line."""
    parser = argparse.ArgumentParser(
        prog="cspo-desktop", description="CSPO Desktop — the Product Owner's offline workbench."
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="product file (.cspo) to open")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep data, backups, logs and settings here"
    )
    parser.add_argument("--demo", action="store_true", help="open the demo product")
    parser.add_argument(
        "--reset-demo", action="store_true", help="regenerate the demo product and open it"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="build the main window, paint it once and exit (for CI)",
    )
    parser.add_argument("--version", action="version", version=f"cspo-desktop {__version__}")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app; return its exit status."""
    started = time.perf_counter()
    args = parse_args(argv)
    problem = display_problem()
    if problem is not None:
        sys.stderr.write(f"cspo-desktop: {problem}\n")
        return 1
    return _run(args, started)


def _run(args: argparse.Namespace, started: float) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cspo_desktop.persistence.paths import app_dirs
    from cspo_desktop.ui.crash import install_excepthook
    from cspo_desktop.ui.first_paint import FirstPaintWatcher
    from cspo_desktop.ui.main_window import MainWindow
    from cspo_desktop.ui.settings import Settings

    QApplication.setOrganizationName("CSPO")
    QApplication.setApplicationName("cspo-desktop")
    QApplication.setApplicationDisplayName("CSPO Desktop")
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("cspo-desktop")
    app = QApplication(sys.argv[:1])
    dirs = app_dirs(args.data_dir)
    install_excepthook(dirs.logs, interactive=not args.smoke)
    # A smoke run leaves no trace in the user's settings.
    settings_file = (
        Path(tempfile.mkdtemp(prefix="cspo-smoke-")) / "settings.ini"
        if args.smoke
        else dirs.settings_file
    )
    window = MainWindow(dirs, Settings(settings_file), base_point_size=app.font().pointSizeF())
    window.interactive = not args.smoke

    target = _choose_product(args, window)
    if target is not None and not window.open_path(target) and args.smoke:
        return 1

    watcher = FirstPaintWatcher(window, started, WATCHED_MODULES)
    if args.smoke:
        watcher.painted.connect(lambda: _report_smoke(watcher))
        watcher.painted.connect(app.quit)
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(2))
    else:
        watcher.painted.connect(window.after_first_paint)
    window.show()
    status = app.exec()
    if args.smoke:
        window.release_quietly()
    return status


def _choose_product(args: argparse.Namespace, window: MainWindow) -> Path | None:
    if args.file:
        return Path(args.file)
    if args.demo or args.reset_demo:
        return window.files.ensure_demo(reset=args.reset_demo)
    last = window.settings.last_product()
    return last if last is not None and last.exists() else None


def _report_smoke(watcher: FirstPaintWatcher) -> None:
    loaded = ", ".join(
        f"{name} {'loaded' if watcher.modules_at_paint[name] else 'not loaded'}"
        for name in WATCHED_MODULES
    )
    sys.stdout.write(
        f"smoke ok: first paint after {watcher.elapsed_ms:.0f} ms; at first paint: {loaded}\n"
    )
    sys.stdout.flush()
