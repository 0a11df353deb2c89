"""A whole solo session run under an audit hook that records every network socket.

Run as a script by ``test_startup.py``: opens the demo product (generating it), edits the
vision board, undoes, redoes, makes a backup and closes, with Python's audit hook recording
every socket created or connected. Prints one JSON line with what it saw.
"""

from __future__ import annotations

import json
import socket
import sys
from typing import Any

seen: list[str] = []


def audit(event: str, args: tuple[Any, ...]) -> None:
    """Record sockets of the Internet families and any connect, bind or address lookup."""
    if event == "socket.__new__" and len(args) > 1 and args[1] in (socket.AF_INET, socket.AF_INET6):
        seen.append(f"{event} family={args[1]}")
    elif event in {"socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname"}:
        seen.append(f"{event} {args[1:]!r}")


def main(data_dir: str) -> None:
    """Drive one session and report."""
    sys.addaudithook(audit)
    from PySide6.QtWidgets import QApplication

    from cspo_desktop.persistence.paths import app_dirs
    from cspo_desktop.ui.actions import ActionId
    from cspo_desktop.ui.main_window import MainWindow
    from cspo_desktop.ui.settings import Settings

    app = QApplication([])
    dirs = app_dirs(data_dir)
    window = MainWindow(dirs, Settings(dirs.settings_file), base_point_size=10.0)
    window.interactive = False
    window.show()
    window.open_demo()
    window.after_first_paint()
    assert window.workspace is not None
    page = window.workspace.product_page
    page.panes["vision_needs"].editor.setPlainText("Offline, always")
    page.commit_pending()
    window.registry[ActionId.UNDO].trigger()
    window.registry[ActionId.REDO].trigger()
    window.close()
    app.processEvents()
    sys.stdout.write(json.dumps({"network": seen}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
