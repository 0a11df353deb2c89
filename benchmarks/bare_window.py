"""The cold-start baseline: a bare PySide6 window that exits right after its first paint.

Run as a script by the ``cold_start`` benchmark, with the same interpreter and environment as
the app. It prints ``bare ok`` on the event-loop turn after its first paint (the whole frame
drawn), as the app prints its ``smoke ok`` line.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

TIMEOUT_MS = 30_000


class _FirstPaint(QObject):
    """Reports and quits on the event-loop turn after the window's first paint."""

    def __init__(self, window: QMainWindow, app: QApplication) -> None:
        super().__init__(window)
        self._window = window
        self._app = app
        self.painted = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Notice the window's first paint event (QObject.eventFilter)."""
        if watched is self._window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        # As the app's smoke line: on the event-loop turn after the paint, the frame complete.
        sys.stdout.write("bare ok\n")
        sys.stdout.flush()
        self._app.quit()


def main() -> int:
    """Show the window, wait for its first paint, exit."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.setCentralWidget(QLabel("bare window"))
    watcher = _FirstPaint(window, app)
    QTimer.singleShot(TIMEOUT_MS, lambda: app.exit(2))
    window.show()
    status = app.exec()
    return status if watcher.painted else 1


if __name__ == "__main__":
    sys.exit(main())
