"""File ▸ Import from Jira, Azure DevOps or Taiga: preview, one undo step, re-import, cancel."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QTableWidget, QTableWidgetItem

from cspo_desktop.domain.filters import View
from cspo_desktop.ui.actions import ActionId
from cspo_desktop.ui.interop import TrackerFiles, _Progress
from cspo_desktop.ui.pages.backlog import BacklogPage
from cspo_desktop.ui.widgets.export_options import ExportOptionsDialog
from cspo_desktop.ui.widgets.import_preview import ImportPreview
from tests.content import content_hash

from .conftest import Window

EXPORTS = Path(__file__).parents[1] / "data" / "real-exports"
JIRA_CLOUD = EXPORTS / "jira" / "agile_delivery_sim_cloud_all_fields.csv"


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def jira_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return [dict(zip(header, row, strict=False)) for row in reader if any(row)]


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def answering(
    window: Window, source: Path, fill: Callable[[ImportPreview], bool]
) -> tuple[TrackerFiles, list[ImportPreview]]:
    files = window.tracker_files
    files.ask_source = lambda: source
    shown: list[ImportPreview] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, ImportPreview)
        shown.append(dialog)
        return fill(dialog)

    files.run_dialog = run
    return files, shown


def to_backlog(preview: ImportPreview) -> bool:
    preview.backlog.setChecked(True)
    return True


def test_a_jira_file_imports_in_one_undo_step_and_shows_in_the_backlog(
    window: Window, backlog: BacklogPage
) -> None:
    path = backlog.document.path
    before = content_hash(path)
    shown_before = backlog.model.rowCount()
    _files, shown = answering(window, JIRA_CLOUD, to_backlog)
    window.registry[ActionId.IMPORT_TRACKER].trigger()
    (preview,) = shown
    plan = preview.plan
    assert plan is not None
    assert plan.parsed.tool == "jira"
    stories = [r for r in jira_rows(JIRA_CLOUD) if r["Issue Type"] != "Sub-task"]
    assert len(plan.creates) == len(stories)
    assert preview.summary.text().startswith(f"Will create {len(stories)} items")
    with JIRA_CLOUD.open(encoding="utf-8", newline="") as fh:
        assert preview.columns.rowCount() == len(next(csv.reader(fh)))
    imported = query(path, "SELECT external_key, title FROM item WHERE external_source = 'jira'")
    assert sorted(imported) == sorted((r["Issue key"], r["Summary"]) for r in stories)
    assert backlog.model.rowCount() > shown_before
    assert window.document is not None
    stack = window.document.undo_stack
    assert stack.undoText().startswith(f"Import {len(stories)} items from Jira")
    stack.undo()
    assert content_hash(path) == before
    assert backlog.model.rowCount() == shown_before
    stack.redo()
    assert len(query(path, "SELECT id FROM item WHERE external_source = 'jira'")) == len(stories)


def test_changing_a_choice_in_the_preview_reads_the_file_again(
    window: Window, backlog: BacklogPage
) -> None:
    counts: list[int] = []

    def fill(preview: ImportPreview) -> bool:
        assert preview.plan is not None
        counts.append(len(preview.plan.creates))
        preview.subtasks.setChecked(True)  # sub-tasks come in as items
        assert preview.plan is not None
        counts.append(len(preview.plan.creates))
        headers = [cell(preview.columns, r, 0).text() for r in range(preview.columns.rowCount())]
        row = headers.index("Summary")
        combo = preview.columns.cellWidget(row, 1)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(0)  # "(not imported)": the file has no title any more
        # Reading failed (a message says why): the last good choices and plan are back.
        again = preview.columns.cellWidget(row, 1)
        assert isinstance(again, QComboBox)
        assert again.currentData() == "title"
        assert preview.plan is not None
        counts.append(len(preview.plan.creates))
        return True

    answering(window, JIRA_CLOUD, fill)
    window.registry[ActionId.IMPORT_TRACKER].trigger()
    everything = jira_rows(JIRA_CLOUD)
    subtasks = sum(1 for r in everything if r["Issue Type"] == "Sub-task")
    assert counts == [len(everything) - subtasks, len(everything), len(everything)]
    assert window.messages
    assert "Summary" in window.messages[-1][2]
    titles = query(backlog.document.path, "SELECT title FROM item WHERE external_source = 'jira'")
    assert sorted(t for (t,) in titles) == sorted(r["Summary"] for r in everything)


def test_a_reimport_lists_conflicts_and_takes_the_trackers_value_when_ticked(
    window: Window, backlog: BacklogPage, tmp_path: Path
) -> None:
    answering(window, JIRA_CLOUD, to_backlog)
    window.registry[ActionId.IMPORT_TRACKER].trigger()
    path = backlog.document.path
    (first,) = query(
        path, "SELECT id, external_key, title FROM item WHERE external_key = 'CS4483-54'"
    )
    backlog.select_item(first[0])
    from cspo_desktop.ui.item_commands import EditItems

    backlog.push(
        EditItems(backlog.document, backlog.errors, "Edit", [first[0]], ("details", "set_fields"),
                  [first[0]], {"title": "Edited here"})
    )  # fmt: skip
    changed = tmp_path / "changed.csv"
    with JIRA_CLOUD.open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    key, summary = table[0].index("Issue key"), table[0].index("Summary")
    for row in table:
        if row[key] == "CS4483-54":
            row[summary] = "Edited in Jira"
    with changed.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(table)

    def tick(preview: ImportPreview) -> bool:
        assert preview.plan is not None
        assert [u.external_key for u in preview.plan.conflicts] == ["CS4483-54"]
        assert preview.conflicts.isVisibleTo(preview)
        cell(preview.conflicts, 0, 0).setCheckState(Qt.CheckState.Checked)
        return True

    answering(window, changed, tick)
    window.registry[ActionId.IMPORT_TRACKER].trigger()
    assert query(path, f"SELECT title FROM item WHERE id = {first[0]}") == [("Edited in Jira",)]


def test_a_cancelled_import_changes_nothing_and_offers_no_undo(
    window: Window, backlog: BacklogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = backlog.document.path
    before = content_hash(path)
    answering(window, JIRA_CLOUD, to_backlog)
    moved = _Progress.__call__

    def cancel_while_importing(progress: _Progress, fraction: float) -> None:
        if progress.dialog.labelText().startswith("Importing") and fraction > 0:
            progress.dialog.cancel()
        moved(progress, fraction)

    monkeypatch.setattr(_Progress, "__call__", cancel_while_importing)
    assert window.document is not None
    undo_before = window.document.undo_stack.count()
    window.registry[ActionId.IMPORT_TRACKER].trigger()
    assert content_hash(path) == before
    assert window.document.undo_stack.count() == undo_before
    assert window.messages[-1][2] == "The import was cancelled; nothing was imported."


def test_a_file_that_is_not_an_export_is_refused_with_a_message(
    window: Window, backlog: BacklogPage, tmp_path: Path
) -> None:
    junk = tmp_path / "picture.csv"
    shutil.copyfile(Path(__file__).parents[2] / "docs" / "screenshots" / "backlog.png", junk)
    before = content_hash(backlog.document.path)
    _files, shown = answering(window, junk, to_backlog)
    window.registry[ActionId.IMPORT_TRACKER].trigger()
    assert shown == []
    assert window.messages[-1][0] == "error"
    assert "picture.csv" in window.messages[-1][2]
    assert content_hash(backlog.document.path) == before


def test_export_to_jira_and_ado_writes_files_and_says_so(
    window: Window, backlog: BacklogPage, tmp_path: Path
) -> None:
    files = window.tracker_files
    files.ask_target = lambda _document, tool: tmp_path / f"out-{tool}.csv"
    shown: list[ExportOptionsDialog] = []

    def choose(dialog: QDialog) -> bool:
        assert isinstance(dialog, ExportOptionsDialog)
        shown.append(dialog)
        if len(shown) == 1:  # Jira Cloud's name for the field
            dialog.points.setCurrentText("Story point estimate")
        else:
            dialog.iteration.setText("Bank\\Release 1")
        return True

    files.run_dialog = choose
    window.registry[ActionId.EXPORT_JIRA].trigger()
    window.registry[ActionId.EXPORT_ADO].trigger()
    items = query(backlog.document.path, "SELECT count(*) FROM item")[0][0]
    tables = {}
    for tool, title in (("jira", "Export to Jira"), ("ado", "Export to Azure DevOps")):
        with (tmp_path / f"out-{tool}.csv").open(encoding="utf-8", newline="") as fh:
            tables[tool] = list(csv.reader(fh))
        assert len(tables[tool]) == items + 1
        assert any(m[1] == title and f"{items:,} items" in m[2] for m in window.messages)
    assert "Story point estimate" in tables["jira"][0]
    paths = {row[tables["ado"][0].index("Iteration Path")] for row in tables["ado"][1:]}
    assert "Bank\\Release 1\\Sprint 7" in paths
    # The next export starts from these choices.
    window.registry[ActionId.EXPORT_JIRA].trigger()
    assert shown[-1].points.currentText() == "Story point estimate"


@pytest.mark.parametrize(
    "source",
    [
        EXPORTS / "ado" / "assigned_to_me_iteration_path.csv",
        EXPORTS / "taiga" / "ta_scheduling_userstories.csv",
        EXPORTS / "jira" / "insurance_company_searchrequest.xml",
    ],
    ids=["ado", "taiga", "jira-xml"],
)
def test_every_tracker_imports_through_the_menu_into_the_inbox(
    window: Window, backlog: BacklogPage, source: Path
) -> None:
    from cspo_desktop.interop.detect import detect_tool
    from cspo_desktop.services.importing import read_source

    backlog.startup_finished()  # as after the first paint: the whole list is read
    tool = detect_tool(source)
    expected = read_source(tool, source).items
    answering(window, source, lambda _preview: True)
    window.registry[ActionId.IMPORT_TRACKER].trigger()
    got = query(
        backlog.document.path,
        f"SELECT external_key, title, segment FROM item WHERE external_source = '{tool}' "
        "ORDER BY rank",
    )
    assert got == [(item.external_key, item.title, "inbox") for item in expected]
    # The Backlog page now shows the Inbox, where they landed.
    assert backlog.spec.view is View.INBOX
    inbox = query(
        backlog.document.path,
        "SELECT count(*) FROM item WHERE segment = 'inbox' AND type <> 'epic'",  # epics hidden
    )
    assert backlog.model.rowCount() == inbox[0][0]
