"""Unexpected errors: logged to a private file, shown in a dialog, never a silent exit."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from cspo_desktop.console import warn
from cspo_desktop.persistence.paths import make_private, private_dir

LOG_NAME = "cspo-desktop.log"


def write_log(logs: Path, text: str) -> Path:
    """Append ``text`` with a timestamp to the app's log (user-only)."""
    private_dir(logs)
    path = logs / LOG_NAME
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n{text}\n")
    make_private(path)
    return path


def install_excepthook(logs: Path, *, interactive: bool = True) -> None:
    """Log any uncaught exception and tell the user (a dialog when ``interactive``)."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        import traceback

        details = "".join(traceback.format_exception(kind, value, tb))
        try:
            path = write_log(logs, details)
            where = f"The details were written to {path}."
        except OSError:
            where = "The details could not be written to the log."
        warn(details)
        if interactive and QApplication.instance() is not None:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "Something went wrong",
                f"CSPO Desktop hit an unexpected problem: {value}\n\n"
                f"Your saved work is safe. {where}",
            )
            box.setDetailedText(details)
            box.exec()

    sys.excepthook = hook
