"""Jira and Azure DevOps CSV out: columns, hierarchy, risky cells, parts; read back in."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.ado_csv import read_ado_csv
from cspo_desktop.interop.ado_export import MAX_ROWS, export_ado_csv
from cspo_desktop.interop.jira_export import export_jira_csv
from cspo_desktop.interop.records import ExportItem
from cspo_desktop.interop.writing import ExportOptions, ExportResult, points_text


def item(number: int, title: str | None = None, **fields: object) -> ExportItem:
    values: dict[str, object] = {
        "number": number,
        "key": f"PAY-{number}",
        "type": "story",
        "title": title if title is not None else f"Item {number}",
        "description": "",
        "status": "todo",
        "points": None,
        "priority": None,
        "labels": (),
        "sprint": None,
        "parent_number": None,
        "criteria": (),
        "external_source": None,
        "external_key": None,
    }
    values.update(fields)
    return ExportItem(**values)  # type: ignore[arg-type]


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def only_file(result: ExportResult) -> list[list[str]]:
    assert len(result.files) == 1
    suffix, text = result.files[0]
    assert suffix == ""
    return table(text)


BACKLOG = [
    item(3, "Log in", parent_number=1, points=5.0, sprint="Sprint 1", labels=("auth", "web")),
    item(4, "Log out", parent_number=1, points=0.5, labels=("auth", "two words", "web")),
    item(7, "Crash", type="bug", status="done", priority="high"),
    item(1, "Accounts", type="epic", status="in_progress"),
    item(9, "Research", type="spike", parent_number=4),
    item(8, "Tidy", type="chore", parent_number=55),
]

# ---------------------------------------------------------------- Jira


def test_jira_export_puts_parents_before_children_and_keeps_backlog_order() -> None:
    rows = only_file(export_jira_csv(BACKLOG))
    header, body = rows[0], rows[1:]
    column = {name: header.index(name) for name in header}

    assert [row[column["Issue ID"]] for row in body] == ["1", "3", "4", "7", "9", "8"]
    assert [row[column["Parent"]] for row in body] == ["", "1", "1", "", "4", ""]
    types = ["Epic", "Story", "Story", "Bug", "Story", "Task"]
    assert [row[column["Issue Type"]] for row in body] == types
    statuses = ["In Progress", "To Do", "To Do", "Done", "To Do", "To Do"]
    assert [row[column["Status"]] for row in body] == statuses
    assert body[3][column["Priority"]] == "High"
    assert [row[column["Story Points"]] for row in body][:3] == ["", "5", "0.5"]
    assert body[1][column["Sprint"]] == "Sprint 1"
    assert "Issue key" not in header


def test_jira_export_repeats_labels_and_names_the_points_column() -> None:
    result = export_jira_csv(BACKLOG, ExportOptions(points_column="Story point estimate"))
    rows = only_file(result)
    header = rows[0]

    assert header.count("Labels") == 3
    assert "Story point estimate" in header
    assert "Story Points" not in header
    labels = [index for index, name in enumerate(header) if name == "Labels"]
    log_out = next(row for row in rows if row[0] == "4")
    assert [log_out[index] for index in labels] == ["auth", "two_words", "web"]
    assert any("'_'" in warning for warning in result.warnings)
    assert any("not in this export" in warning for warning in result.warnings)
    assert any("not an epic" in warning for warning in result.warnings)
    with pytest.raises(InvalidInput):
        export_jira_csv(BACKLOG, ExportOptions(points_column=" "))
    with pytest.raises(InvalidInput):
        export_jira_csv(BACKLOG, ExportOptions(points_column="summary"))


def test_jira_export_keeps_jira_keys_and_appends_criteria() -> None:
    items = [
        item(1, "From Jira", external_source="jira", external_key="OLD-12"),
        item(2, "From ADO", external_source="ado", external_key="4711", description="Why."),
        item(3, criteria=("Given a card", "Then it pays")),
    ]
    rows = only_file(export_jira_csv(items))
    header = rows[0]
    key, description = header.index("Issue key"), header.index("Description")

    assert [row[key] for row in rows[1:]] == ["OLD-12", "", ""]
    assert rows[2][description] == "Why."
    assert rows[3][description] == "Acceptance criteria:\n* Given a card\n* Then it pays"


def test_jira_export_lists_risky_cells_and_defuses_them_only_when_asked() -> None:
    items = [
        item(1, "=HYPERLINK(evil)", description="-dash first"),
        item(2, "Safe", labels=("@mention",)),
        item(3, "+1 more", sprint="\tTabbed"),
    ]
    plain = export_jira_csv(items)
    expected = {
        ("PAY-1", "Summary"),
        ("PAY-1", "Description"),
        ("PAY-2", "Labels"),
        ("PAY-3", "Summary"),
        ("PAY-3", "Sprint"),
    }
    assert set(plain.risky_cells) == expected
    assert only_file(plain)[1][1] == "=HYPERLINK(evil)"

    safe = export_jira_csv(items, ExportOptions(safe_for_spreadsheets=True))
    assert set(safe.risky_cells) == expected
    rows = only_file(safe)
    assert rows[1][1] == "'=HYPERLINK(evil)"
    assert rows[3][1] == "'+1 more"
    assert rows[2][1] == "Safe"


def test_a_jira_key_is_a_cell_like_any_other_for_spreadsheets() -> None:
    items = [item(1, "Odd", external_source="jira", external_key="=1+2"), item(2, "New")]
    plain = export_jira_csv(items)
    assert plain.risky_cells == (("PAY-1", "Issue key"),)
    assert only_file(plain)[1][1] == "=1+2"
    safe = export_jira_csv(items, ExportOptions(safe_for_spreadsheets=True))
    assert [row[1] for row in only_file(safe)] == ["Issue key", "'=1+2", ""]


def test_exports_are_utf8_csv_with_crlf_and_no_bom() -> None:
    for result in (export_jira_csv(BACKLOG), export_ado_csv(BACKLOG)):
        text = result.files[0][1]
        assert not text.startswith("\ufeff")
        assert text.endswith("\r\n")
        assert text.count("\r\n") == len(BACKLOG) + 1


def test_points_text() -> None:
    assert [points_text(value) for value in (5.0, 0.5, 13.0, 2.25, None, 0.0)] == [
        "5",
        "0.5",
        "13",
        "2.25",
        "",
        "0",
    ]


# ---------------------------------------------------------------- Azure DevOps


def test_ado_export_writes_a_tree_with_ids_states_and_html() -> None:
    items = [
        item(3, "Log in", parent_number=1, points=5.0, sprint="Sprint 1", labels=("a", "b;c")),
        item(7, "Crash", type="bug", status="done", external_source="ado", external_key="4711"),
        item(1, "Accounts", type="epic", description="Line 1\nLine <2>"),
        item(4, "Log out", parent_number=1, criteria=("Given x", "Then y & z")),
        item(5, "Deep", parent_number=4, status="in_progress"),
    ]
    result = export_ado_csv(items, ExportOptions(iteration_root="Fabrikam\\"))
    rows = only_file(result)
    header = rows[0]

    assert header[:6] == ["ID", "Work Item Type", "Title 1", "Title 2", "Title 3", "State"]
    assert [row[2:5] for row in rows[1:]] == [
        ["Accounts", "", ""],
        ["", "Log in", ""],
        ["", "Log out", ""],
        ["", "", "Deep"],
        ["Crash", "", ""],
    ]
    column = {name: header.index(name) for name in header}
    crash = rows[5]
    assert (crash[column["ID"]], crash[column["State"]]) == ("4711", "Closed")
    assert (rows[1][column["ID"]], rows[1][column["State"]]) == ("", "")
    assert rows[2][column["Tags"]] == "a; b,c"
    assert rows[2][column["Iteration Path"]] == "Fabrikam\\Sprint 1"
    assert rows[1][column["Description"]] == "Line 1<br>Line &lt;2&gt;"
    assert (
        rows[3][column["Acceptance Criteria"]] == "<ul><li>Given x</li><li>Then y &amp; z</li></ul>"
    )
    assert any("first state" in warning and "1 item" in warning for warning in result.warnings)


def test_ado_export_without_parents_or_iteration_root_is_flat() -> None:
    items = [item(1, sprint="Sprint 1"), item(2)]
    result = export_ado_csv(items)
    header = only_file(result)[0]
    assert "Title" in header
    assert "Iteration Path" not in header
    assert any("iteration root" in warning for warning in result.warnings)


def test_ado_export_splits_at_a_thousand_rows() -> None:
    items = [item(number, points=float(number % 8)) for number in range(1, 2501)]
    result = export_ado_csv(items)

    assert [suffix for suffix, _text in result.files] == ["-part1", "-part2", "-part3"]
    parts = [table(text) for _suffix, text in result.files]
    assert [len(rows) - 1 for rows in parts] == [MAX_ROWS, MAX_ROWS, 500]
    assert all(rows[0] == parts[0][0] for rows in parts)
    titles = [row[2] for rows in parts for row in rows[1:]]
    assert titles == [f"Item {number}" for number in range(1, 2501)]
    assert any("at most 1,000 rows per file: written as 3 files" in w for w in result.warnings)


def test_ado_export_keeps_families_together_across_parts() -> None:
    items = [item(number) for number in range(1, 999)]  # 998 rows without a parent
    items += [item(1000, "Epic", type="epic"), item(1001, "Child", parent_number=1000)]
    items += [item(1002, "Grandchild", parent_number=1001)]
    result = export_ado_csv(items)

    first, second = (table(text) for _suffix, text in result.files)
    assert len(first) - 1 == 998
    assert [row[2:5] for row in second[1:]] == [
        ["Epic", "", ""],
        ["", "Child", ""],
        ["", "", "Grandchild"],
    ]
    assert not any("different file" in warning for warning in result.warnings)


def test_ado_export_cuts_a_family_longer_than_a_part() -> None:
    items = [item(1, "Huge epic", type="epic")]
    items += [item(number, parent_number=1) for number in range(2, 1203)]
    result = export_ado_csv(items)

    first, second = (table(text) for _suffix, text in result.files)
    assert len(first) - 1 == MAX_ROWS
    assert second[1][2:4] == ["Item 1001", ""]  # starts its family again, one level up
    assert any("different file from their parent: 202 items" in w for w in result.warnings)


def test_ado_export_reads_back_with_the_ado_reader(tmp_path: Path) -> None:
    items = [
        item(1, "Checkout", type="epic"),
        item(2, "Pay by card", parent_number=1, points=5.0, labels=("web", "pay")),
        item(3, "Card declined", type="bug", parent_number=2, points=0.5, priority="high"),
        item(4, "Standalone", points=13.0, criteria=("Given a", "Then b")),
        item(5, "Old one", type="bug", external_source="ado", external_key="4711", status="done"),
        item(6, "Later child", parent_number=1, description="Why\nand how"),
    ]
    result = export_ado_csv(items, ExportOptions(iteration_root="Proj"))
    path = tmp_path / "ado.csv"
    path.write_text(result.files[0][1], encoding="utf-8", newline="")
    parsed = read_ado_csv(path)

    titles = {entry.external_key: entry.title for entry in parsed.items}
    back = {entry.title: entry for entry in parsed.items}
    assert set(back) == {entry.title for entry in items}
    for original in items:
        entry = back[original.title]
        assert (entry.type, entry.points, entry.labels) == (
            original.type,
            original.points,
            original.labels,
        )
        parent = next((p.title for p in items if p.number == original.parent_number), None)
        assert (titles[entry.parent_key] if entry.parent_key else None) == parent
        assert entry.criteria == original.criteria
        assert entry.description == original.description
        assert entry.priority == original.priority
    assert back["Old one"].external_key == "4711"
    assert back["Old one"].status == "done"


def test_ado_export_writes_only_numeric_ids_and_their_states() -> None:
    items = [
        item(1, "Known", external_source="ado", external_key="4711", status="done"),
        item(2, "Came by title", external_source="ado", external_key="title:Checkout"),
        item(3, "Numbered", external_source="ado", external_key="title:Pay #2", status="done"),
        item(4, "From Jira", external_source="jira", external_key="12", status="done"),
    ]
    result = export_ado_csv(items)
    rows = only_file(result)
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("4711", "Closed"),
        ("", ""),
        ("", ""),
        ("", ""),
    ]
    assert any("set the state of 2 items" in warning for warning in result.warnings)


def test_an_empty_backlog_exports_a_header_only() -> None:
    assert only_file(export_jira_csv([]))[0][:3] == ["Issue ID", "Summary", "Issue Type"]
    assert only_file(export_ado_csv([]))[0][:3] == ["ID", "Work Item Type", "Title"]
