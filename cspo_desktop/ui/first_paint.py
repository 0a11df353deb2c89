"""Notices the main window's first paint: the moment start-up is measured to."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class FirstPaintWatcher(QObject):
    """Watches a window until it has painted once.

    Signals:
        painted(): emitted once, on the event-loop turn after the first paint.

    Attributes:
        elapsed_ms: milliseconds from ``started`` to the first paint.
        modules_at_paint: for each watched module name, whether it was imported at that moment.
    """

    painted = Signal()

    def __init__(self, window: QWidget, started: float, watched: Sequence[str]) -> None:
        super().__init__(window)
        self._window = window
        self._started = started
        self._watched = tuple(watched)
        self.elapsed_ms = 0.0
        self.modules_at_paint: dict[str, bool] = {}
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Record the first paint event of the window (QObject.eventFilter)."""
        if (
            watched is self._window
            and event.type() == QEvent.Type.Paint
            and not self.modules_at_paint
        ):
            self.elapsed_ms = (time.perf_counter() - self._started) * 1000
            self.modules_at_paint = {name: name in sys.modules for name in self._watched}
            # PySide6 builds its ``Qt`` enum namespace on first touch, at a cost worth knowing.
            self.modules_at_paint["QtCore.Qt"] = "Qt" in vars(sys.modules["PySide6.QtCore"])
            self._window.removeEventFilter(self)
            # What start-up built stays for the app's life: keep it out of future collections,
            # and resume the garbage collection that start-up paused.
            gc.freeze()
            gc.enable()
            QTimer.singleShot(0, self.painted.emit)
        return False
