"""When SQLite refuses a write, the user is told, nothing is offered for undo, the view is true."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cspo_desktop.persistence import sqlite as product_sqlite
from cspo_desktop.ui.actions import ActionId

from .conftest import Window


def test_a_write_refused_by_a_busy_file_is_reported_and_not_offered_for_undo(
    window: Window, product_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(product_sqlite, "BUSY_TIMEOUT_MS", 50)
    assert window.open_path(product_path)
    assert window.workspace is not None
    assert window.document is not None
    blocker = sqlite3.connect(product_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the file
    try:
        name = window.workspace.product_page.name
        name.setText("Renamed while busy")
        name.editingFinished.emit()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert window.messages
    kind, _title, text = window.messages[-1]
    assert kind == "error"
    assert "not saved" in text
    assert window.document.undo_stack.count() == 0
    assert not window.registry[ActionId.UNDO].isEnabled()
    assert window.document.summary().name == "Pocket Bank"
    assert name.text() == "Pocket Bank"
