"""A real mouse drag in the Backlog table, run under Xvfb by ``test_real_drag.py``.

Presses on a row, moves past the drag distance (which starts Qt's own ``QDrag`` loop), and
releases over another row from a timer, as a person would. Prints one JSON line: the order
shown, the order in the file, the number of undo steps and rows, before and after.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from cspo_desktop.persistence.paths import app_dirs
from cspo_desktop.ui.main_window import MainWindow
from cspo_desktop.ui.settings import Settings


def _mouse(
    kind: QEvent.Type, local: QPoint, global_pos: QPoint, buttons: Qt.MouseButton
) -> QMouseEvent:
    return QMouseEvent(
        kind,
        QPointF(local),
        QPointF(global_pos),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )


def main(product: str, data: str, rows: list[int], target: int) -> None:
    """Drag ``rows`` (selected) and drop them above ``target``; report what happened."""
    app = QApplication([])
    dirs = app_dirs(data)
    window = MainWindow(dirs, Settings(dirs.settings_file), 10.0, interactive=False)
    window.resize(1100, 700)
    window.show()
    assert window.open_path(Path(product))
    assert window.workspace is not None
    window.workspace.show_page("backlog")
    page = window.workspace.backlog_page
    table, model = page.table, page.model
    for _ in range(20):
        app.processEvents()
    before = model.ids()
    selection = table.selectionModel()
    for row in rows:
        selection.select(
            model.index(row, 2), selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        )
    viewport = table.viewport()
    start = table.visualRect(model.index(rows[0], 2)).center()
    drop_rect = table.visualRect(model.index(target, 2))
    end = QPoint(drop_rect.center().x(), drop_rect.top() + 2)  # just inside the top edge
    handle = window.windowHandle()

    def finish() -> None:
        to_window = viewport.mapTo(window, end)
        glob = viewport.mapToGlobal(end)
        for dy in (6, 3, 0):
            QApplication.sendEvent(
                handle,
                _mouse(
                    QEvent.Type.MouseMove,
                    to_window + QPoint(0, dy),
                    glob + QPoint(0, dy),
                    Qt.MouseButton.LeftButton,
                ),
            )
        QApplication.sendEvent(
            handle, _mouse(QEvent.Type.MouseButtonRelease, to_window, glob, Qt.MouseButton.NoButton)
        )

    QTimer.singleShot(300, finish)
    QApplication.sendEvent(
        viewport,
        _mouse(
            QEvent.Type.MouseButtonPress,
            start,
            viewport.mapToGlobal(start),
            Qt.MouseButton.LeftButton,
        ),
    )
    moved_to = start + QPoint(0, QApplication.startDragDistance() * 3)
    QApplication.sendEvent(
        viewport,
        _mouse(
            QEvent.Type.MouseMove,
            moved_to,
            viewport.mapToGlobal(moved_to),
            Qt.MouseButton.LeftButton,
        ),
    )
    for _ in range(20):
        app.processEvents()
    conn = sqlite3.connect(product)
    shown = set(model.ids())  # the Backlog view: epics and the Inbox are other views
    ordered = [row[0] for row in conn.execute("SELECT id FROM item ORDER BY rank, id")]
    stored = [item for item in ordered if item in shown]
    conn.close()
    assert window.document is not None
    report = {
        "before": before,
        "shown": model.ids(),
        "stored": stored,
        "rows": model.rowCount(),
        "undo_steps": window.document.undo_stack.count(),
    }
    window.release_quietly()
    sys.stdout.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [int(r) for r in sys.argv[3].split(",")], int(sys.argv[4]))
