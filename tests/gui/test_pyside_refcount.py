"""Guards against a Qt binding that miscounts references to None (PySide6 6.12.0 did).

On Python 3.11 None is an ordinary object: a binding that returns it without a new reference
from every void method brings its count to zero during a long session, and the app dies with
"Fatal Python error: none_dealloc". The app pins such a release out; this test fails on one.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

CALLS = 2_000


def test_void_qt_methods_leave_the_count_of_none_alone(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    action = QAction("x", window)
    action.setCheckable(True)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        window.setWindowTitle("CSPO Desktop")
        action.setChecked(True)
        window.statusBar().showMessage("Saved", 10)
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 10, f"{lost} references to None lost in {3 * CALLS} calls"
