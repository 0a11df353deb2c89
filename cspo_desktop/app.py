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
import gc
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cspo_desktop import __version__
from cspo_desktop.console import warn
from cspo_desktop.display import display_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from cspo_desktop.persistence.paths import AppDirs
    from cspo_desktop.ui.first_paint import FirstPaintWatcher
    from cspo_desktop.ui.main_window import MainWindow
    from cspo_desktop.ui.settings import Settings

#: Modules the first paint must not wait for: the write path, charts, and the menus' actions.
WATCHED_MODULES = ("sqlmodel", "sqlalchemy", "alembic", "matplotlib", "cspo_desktop.ui.actions")
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
        warn(f"cspo-desktop: {problem}")
        return 1
    # Start-up allocates many long-lived objects (modules, Qt wrappers); collecting garbage
    # among them finds none and costs milliseconds. Collection resumes after the first paint.
    gc.disable()
    try:
        return _run(args, started)
    finally:
        gc.enable()


def _run(args: argparse.Namespace, started: float) -> int:
    # The standard-library half of opening a product, and the pure-Python half of its first
    # screen, are imported before PySide6: its import hook reads the source of every module
    # first named in an import after it (see ui.feature_scan, which spares the app's own), and
    # a product named on the command line is checked on a second core while Qt loads.
    import json  # noqa: F401 - imported before PySide6, see above

    from cspo_desktop import resources  # noqa: F401
    from cspo_desktop.domain import filters, points, readiness, rollup, vocabulary, wording  # noqa: F401
    from cspo_desktop.persistence import paths, product_file, queries  # noqa: F401
    from cspo_desktop.persistence.preflight import Inspection
    from cspo_desktop.ui.feature_scan import settle_feature_scan  # plain Python

    inspection = Inspection(Path(args.file)) if args.file else None

    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:  # Qt's own libraries need a few system ones (GL, fonts)
        warn(
            f"cspo-desktop: Qt cannot load ({exc}); install the system libraries it needs "
            "(Debian/Ubuntu: sudo apt install libegl1 libgl1 libfontconfig1 libxkbcommon0)"
        )
        return 1

    settle_feature_scan()  # before the app's Qt modules are imported

    # isort: split
    from cspo_desktop.ui.crash import install_excepthook
    from cspo_desktop.ui.main_window import MainWindow
    from cspo_desktop.ui.settings import Settings
    from cspo_desktop.ui.theme import STYLE_ARGUMENTS

    QApplication.setOrganizationName("CSPO")
    QApplication.setApplicationName("cspo-desktop")
    QApplication.setApplicationDisplayName("CSPO Desktop")
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("cspo-desktop")
    app = QApplication([*sys.argv[:1], *STYLE_ARGUMENTS])
    dirs = paths.app_dirs(args.data_dir)
    install_excepthook(dirs.logs, interactive=not args.smoke)
    # A smoke run reads the user's settings but leaves no trace in them.
    settings = Settings(dirs.settings_file, read_only=args.smoke)
    target = _choose_product(args, dirs, settings)
    if target is None and (args.demo or args.reset_demo):
        return 1
    if target is not None and inspection is None:
        inspection = Inspection(target)  # overlaps building the window
    window = MainWindow(
        dirs,
        settings,
        base_point_size=None,  # the application font's own size (see MainWindow)
        interactive=not args.smoke,
        product=target,
        inspection=inspection,
    )
    if args.smoke and target is not None and window.document is None:
        return 1
    return _show(app, window, started, smoke=args.smoke)


def _show(app: QApplication, window: MainWindow, started: float, *, smoke: bool) -> int:
    """Show the window and run the event loop (a smoke run stops after the first paint)."""
    from PySide6.QtCore import QTimer

    from cspo_desktop.ui.first_paint import FirstPaintWatcher

    watcher = FirstPaintWatcher(window, started, WATCHED_MODULES)
    if smoke:
        watcher.painted.connect(lambda: _report_smoke(watcher))
        watcher.painted.connect(app.quit)
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(2))
    else:
        watcher.painted.connect(window.after_first_paint)
    window.show()
    status = app.exec()
    if smoke:
        window.release_quietly()
    return status


def _choose_product(args: argparse.Namespace, dirs: AppDirs, settings: Settings) -> Path | None:
    if args.file:
        return Path(args.file)
    if args.demo or args.reset_demo:
        from cspo_desktop.demo import ensure_demo
        from cspo_desktop.domain.errors import CspoError

        try:
            return ensure_demo(dirs.demo_product, reset=args.reset_demo)
        except CspoError as exc:
            warn(f"cspo-desktop: cannot create the demo product: {exc}")
            return None
    last = settings.last_product()
    return last if last is not None and last.exists() else None


def _report_smoke(watcher: FirstPaintWatcher) -> None:
    loaded = ", ".join(
        f"{name} {'loaded' if watcher.modules_at_paint[name] else 'not loaded'}"
        for name in watcher.modules_at_paint
    )
    sys.stdout.write(
        f"smoke ok: first paint after {watcher.elapsed_ms:.0f} ms; at first paint: {loaded}\n"
    )
    sys.stdout.flush()
