"""Jira CSV rows, hand-written: skipped rows, trackers' words, rank order, parents, sub-tasks.

The files are written by the helpers of :mod:`tests.unit.test_import_jira_quirks`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.records import ImportCancelled, ReadOptions
from tests.unit.test_import_jira_quirks import by_key, keys, write_csv

# ------------------------------------------------------------------ rows and words


def test_rows_without_title_or_key_and_duplicate_keys_are_skipped_with_reasons(
    tmp_path: Path,
) -> None:
    rows = [
        ["Summary", "Issue key", "Status"],
        ["A", "P-1", "Done"],
        ["", "P-2", "Done"],
        ["   ", "P-3", "Done"],
        ["B", "", "Done"],
        ["C", "P-1", "Done"],
        ["D", "P-4", ""],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert keys(parsed) == ["P-1", "P-4"]
    assert by_key(parsed)["P-1"].title == "A"
    assert [(skip.row, skip.reason) for skip in parsed.skipped] == [
        (3, "P-2 has no title (Summary is empty)"),
        (4, "P-3 has no title (Summary is empty)"),
        (5, "'B' has no issue key"),
        (6, "the key P-1 is used by an earlier row; this one is left out"),
    ]


def test_unknown_statuses_come_in_as_to_do_with_one_warning(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Status", "Issue Type", "Priority"],
        ["A", "P-1", "Awaiting Legal", "Story", "P0"],
        ["B", "P-2", "Awaiting Legal", "Gizmo", ""],
        ["C", "P-3", "Parked", "Story", "Low"],
        ["D", "P-4", "Waiting for review", "Story", ""],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert [item.status for item in parsed.items] == ["todo", "todo", "todo", "in_progress"]
    assert [item.type for item in parsed.items] == ["story"] * 4
    assert [item.priority for item in parsed.items] == [None, None, "low", None]
    status_warnings = [w for w in parsed.warnings if w.startswith("Statuses")]
    assert len(status_warnings) == 1
    assert "Awaiting Legal, Parked." in status_warnings[0]
    assert any("Gizmo" in w and "stories" in w for w in parsed.warnings)
    assert any("P0" in w for w in parsed.warnings)


def test_epic_name_does_not_replace_the_summary(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Issue Type", "Custom field (Epic Name)"],
        ["Let customers pay by card", "P-1", "Epic", "Cards"],
    ]
    item = read_jira_csv(write_csv(tmp_path, rows)).items[0]
    assert (item.title, item.type) == ("Let customers pay by card", "epic")


# ------------------------------------------------------------------ order and hierarchy


def test_lexorank_order_differs_from_file_order_and_unranked_go_last(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Custom field (Rank)"],
        ["A", "P-1", "0|i0000f:"],
        ["B", "P-2", ""],
        ["C", "P-3", "0|hzzzzz:"],
        ["D", "P-4", "0|i00007:"],
        ["E", "P-5", ""],
        ["F", "P-6", "0|i0000e:od"],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert keys(parsed) == ["P-3", "P-4", "P-6", "P-1", "P-2", "P-5"]


def test_file_order_is_kept_when_the_rank_column_is_empty_or_absent(tmp_path: Path) -> None:
    rows = [["Summary", "Issue key", "Rank"], ["B", "P-2", ""], ["A", "P-1", ""]]
    assert keys(read_jira_csv(write_csv(tmp_path, rows))) == ["P-2", "P-1"]
    rows = [["Summary", "Issue key"], ["B", "P-2"], ["A", "P-1"]]
    assert keys(read_jira_csv(write_csv(tmp_path, rows, name="b.csv"))) == ["P-2", "P-1"]


def test_parents_by_id_key_epic_link_and_title_even_when_epics_come_after(
    tmp_path: Path,
) -> None:
    rows = [
        [
            "Summary",
            "Issue key",
            "Issue id",
            "Issue Type",
            "Parent",
            "Custom field (Epic Link)",
            "Parent summary",
        ],
        ["Child by id", "P-1", "11", "Story", "19", "", ""],
        ["Child by epic link", "P-2", "12", "Story", "", "P-9", ""],
        ["Child by title", "P-3", "13", "Bug", "", "", "Payments"],
        ["Child by key", "P-4", "14", "Story", "P-9", "", ""],
        ["Payments", "P-9", "19", "Epic", "", "", ""],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert [item.parent_key for item in parsed.items] == ["P-9", "P-9", "P-9", "P-9", None]
    assert parsed.warnings == ()


def test_parents_not_in_the_file_or_ambiguous_titles_give_no_parent_and_a_warning(
    tmp_path: Path,
) -> None:
    rows = [
        ["Summary", "Issue key", "Parent key", "Parent summary"],
        ["A", "P-1", "OTHER-7", ""],
        ["Twin", "P-2", "", ""],
        ["Twin", "P-3", "", ""],
        ["B", "P-4", "", "Twin"],
        ["C", "P-5", "P-5", ""],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert all(item.parent_key is None for item in parsed.items)
    (warning,) = parsed.warnings
    assert warning.startswith("3 items name a parent that is not in this file; a re-import")
    refs = {item.external_key: item.parent_ref for item in parsed.items}
    assert refs == {"P-1": "OTHER-7", "P-2": None, "P-3": None, "P-4": "Twin", "P-5": "P-5"}
    assert "P-1 (parent OTHER-7), P-4 (parent Twin), P-5 (parent P-5)" in warning


def test_parent_links_in_a_circle_are_cut_once(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Parent key"],
        ["A", "P-1", "P-2"],
        ["B", "P-2", "P-3"],
        ["C", "P-3", "P-1"],
        ["D", "P-4", "P-1"],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    parents = {item.external_key: item.parent_key for item in parsed.items}
    assert sum(parent is None for parent in parents.values()) == 1
    assert parents["P-4"] == "P-1"
    assert any("circle" in warning for warning in parsed.warnings)


def test_subtasks_fold_into_their_parent_or_come_in_when_kept(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Issue id", "Issue Type", "Parent id", "Description"],
        ["Write tests", "P-2", "2", "Sub-task", "1", ""],
        ["Pay by card", "P-1", "1", "Story", "", "As a customer…"],
        ["Review", "P-3", "3", "Subtask", "1", ""],
        ["Orphan", "P-4", "4", "Sub-task", "99", ""],
        ["Empty", "P-5", "5", "Story", "", ""],
        ["Only child", "P-6", "6", "Sub-task", "5", ""],
    ]
    path = write_csv(tmp_path, rows)
    parsed = read_jira_csv(path)
    items = by_key(parsed)
    assert keys(parsed) == ["P-1", "P-4", "P-5"]
    assert items["P-1"].description == (
        "As a customer…\n\nSub-tasks in Jira (2):\n- Write tests\n- Review"
    )
    assert items["P-5"].description == "Sub-tasks in Jira (1):\n- Only child"
    assert (items["P-4"].type, items["P-4"].parent_key) == ("story", None)
    assert [(skip.row, skip.reason) for skip in parsed.skipped] == [
        (2, "sub-task of P-1, folded into it"),
        (4, "sub-task of P-1, folded into it"),
        (7, "sub-task of P-5, folded into it"),
    ]
    assert "1 sub-task whose parent is not in this file came in as a story: P-4." in parsed.warnings
    kept = by_key(read_jira_csv(path, ReadOptions(keep_subtasks=True)))
    assert (kept["P-2"].type, kept["P-2"].parent_key) == ("story", "P-1")
    assert kept["P-1"].description == "As a customer…"


# ------------------------------------------------------------------ size and progress


def test_progress_is_reported_while_streaming_and_can_cancel(tmp_path: Path) -> None:
    rows = [["Summary", "Issue key"]] + [[f"Item {n}", f"P-{n}"] for n in range(1, 10_001)]
    path = write_csv(tmp_path, rows)
    seen: list[float] = []
    parsed = read_jira_csv(path, progress=seen.append)
    assert len(parsed.items) == 10_000
    assert len(seen) >= 5
    assert seen == sorted(seen)
    assert 0 < seen[0] < 1
    assert seen[-1] == 1.0

    def cancel(fraction: float) -> None:
        raise ImportCancelled("stopped")

    with pytest.raises(ImportCancelled):
        read_jira_csv(path, progress=cancel)


def test_a_long_parent_chain_and_many_rows_are_read_in_linear_time(tmp_path: Path) -> None:
    count = 30_000
    rows = [["Summary", "Issue key", "Issue id", "Parent", "Custom field (Rank)"]]
    rows += [
        [f"Item {n}", f"P-{n}", str(n), str(n - 1) if n > 1 else "", f"0|{count - n:08d}:"]
        for n in range(1, count + 1)
    ]
    path = write_csv(tmp_path, rows)
    started = time.perf_counter()
    parsed = read_jira_csv(path)
    assert time.perf_counter() - started < 20
    assert len(parsed.items) == count
    assert parsed.items[0].external_key == f"P-{count}"
    assert parsed.items[-1].parent_key is None
    assert parsed.items[0].parent_key == f"P-{count - 1}"
