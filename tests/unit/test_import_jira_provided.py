"""What a Jira file carries for a re-import: fields provided, tracker ids, parents elsewhere.

Also the status category Jira writes next to a status, and the acceptance criteria this app's
own Jira export appends to a description.
"""

from __future__ import annotations

from pathlib import Path

from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.jira_xml import read_jira_xml
from cspo_desktop.interop.records import ReadOptions
from tests.unit.test_import_jira_quirks import by_key, write_csv
from tests.unit.test_import_jira_xml import custom, item, write_xml

EVERY = frozenset(
    {"title", "description", "type", "status", "points", "priority", "labels", "sprint", "parent"}
)

# ------------------------------------------------------------------ provided fields


def test_an_all_fields_export_provides_every_tracker_field(tmp_path: Path) -> None:
    header = [
        "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Description",
        "Labels", "Sprint", "Custom field (Story point estimate)", "Parent",
    ]  # fmt: skip
    parsed = read_jira_csv(write_csv(tmp_path, [header, ["A", "P-1", "1", *[""] * 8]]))
    assert parsed.provided == EVERY


def test_a_current_fields_export_provides_only_its_columns(tmp_path: Path) -> None:
    header = ["Issue Type", "Issue key", "Issue id", "Summary", "Assignee", "Priority", "Status"]
    parsed = read_jira_csv(write_csv(tmp_path, [header, ["Story", "P-1", "1", "A", "", "", ""]]))
    assert parsed.provided == frozenset({"title", "type", "priority", "status"})


def test_provided_follows_the_users_mapping(tmp_path: Path) -> None:
    header = ["Summary", "Issue key", "Priority", "Estimate", "Epic Link", "Notes"]
    path = write_csv(tmp_path, [header, ["A", "P-1", "High", "3", "", ""]])
    options = ReadOptions(
        mapping={"Priority": "ignore", "Notes": "sprint"}, points_column="Estimate"
    )
    parsed = read_jira_csv(path, options)
    assert parsed.provided == frozenset({"title", "points", "sprint", "parent"})
    assert by_key(parsed)["P-1"].priority is None


def test_any_parent_column_provides_the_parent(tmp_path: Path) -> None:
    for column in (
        "Parent",
        "Parent id",
        "Parent key",
        "Custom field (Epic Link)",
        "Parent summary",
    ):
        parsed = read_jira_csv(
            write_csv(tmp_path, [["Summary", "Issue key", column], ["A", "P-1", ""]])
        )
        assert parsed.provided == frozenset({"title", "parent"}), column


def test_an_xml_export_provides_the_elements_it_has(tmp_path: Path) -> None:
    path = write_xml(
        tmp_path,
        item("PAY-1", "Epic", "Epic", "<description>x</description><labels></labels>"),
        item("PAY-2", "Story", "Story", "<labels/>", custom("Story Points", "3")),
    )
    parsed = read_jira_xml(path)
    assert parsed.provided == frozenset(
        {"title", "description", "type", "status", "labels", "points"}
    )


# ------------------------------------------------------------------ ids and parents elsewhere


def test_the_issue_id_rides_along_as_tracker_id(tmp_path: Path) -> None:
    rows = [["Summary", "Issue key", "Issue id"], ["A", "P-1", "10001"], ["B", "P-2", ""]]
    items = by_key(read_jira_csv(write_csv(tmp_path, rows)))
    assert (items["P-1"].tracker_id, items["P-2"].tracker_id) == ("10001", None)
    xml = by_key(read_jira_xml(write_xml(tmp_path, item("PAY-7", "Seven"))))
    assert xml["PAY-7"].tracker_id == "10007"


def test_a_parent_outside_the_file_is_kept_as_a_reference(tmp_path: Path) -> None:
    header = ["Summary", "Issue key", "Issue id", "Parent id", "Epic Link", "Parent summary"]
    rows = [
        header,
        ["A", "P-1", "1", "", "OLD-9", ""],
        ["B", "P-2", "2", "999", "OLD-8", ""],
        ["C", "P-3", "3", "", "", "Somewhere else"],
        ["D", "P-4", "4", "1", "", ""],
    ]  # fmt: skip
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    items = by_key(parsed)
    assert [(items[k].parent_key, items[k].parent_ref) for k in ("P-1", "P-2", "P-3", "P-4")] == [
        (None, "OLD-9"),
        (None, "999"),
        (None, "Somewhere else"),
        ("P-1", None),
    ]
    (warning,) = parsed.warnings
    assert "not in this file; a re-import keeps the parent the item already has" in warning
    assert "P-1 (parent OLD-9), P-2 (parent 999), P-3 (parent Somewhere else)" in warning
    assert "\n" not in warning


def test_an_orphan_sub_task_comes_in_as_a_story_with_its_reference(tmp_path: Path) -> None:
    rows = [["Summary", "Issue key", "Issue Type", "Parent"], ["Fix", "P-4", "Sub-task", "77"]]
    (only,) = read_jira_csv(write_csv(tmp_path, rows)).items
    assert (only.type, only.parent_key, only.parent_ref) == ("story", None, "77")


# ------------------------------------------------------------------ status categories


def test_the_status_category_decides_before_the_status_name(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Status", "Status Category", "Status Category Changed"],
        ["A", "P-1", "Waiting for vendor", "In Progress", "01/Mar/24 10:00 AM"],
        ["B", "P-2", "Shipped to the moon", "Done", ""],
        ["C", "P-3", "Parked", "To Do", ""],
        ["D", "P-4", "In Progress", "", ""],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert [entry.status for entry in parsed.items] == [
        "in_progress",
        "done",
        "todo",
        "in_progress",
    ]
    assert parsed.warnings == ()


def test_localised_status_categories_are_read(tmp_path: Path) -> None:
    for header, value, status in [
        ("Categoría de estado", "Listo", "done"),
        ("Statuskategorie", "In Arbeit", "in_progress"),
        ("Catégorie d'état", "Terminé", "done"),
        ("Categoria de status", "Em andamento", "in_progress"),
        ("Categoria di stato", "Completato", "done"),
        ("Категория статуса", "Готово", "done"),
    ]:
        rows = [["Summary", "Issue key", "Status", header], ["A", "P-1", "Zzz", value]]
        (only,) = read_jira_csv(write_csv(tmp_path, rows)).items
        assert only.status == status, header


def test_the_xml_status_category_key_decides(tmp_path: Path) -> None:
    path = write_xml(
        tmp_path,
        item("P-1", "A", "Story", '<statusCategory id="4" key="indeterminate"/>', status="Zzz"),
        item("P-2", "B", "Story", '<statusCategory id="3" key="done"/>', status="Yyy"),
        item("P-3", "C", "Story", '<statusCategory id="2" key="new"/>', status="In Progress"),
    )
    parsed = read_jira_xml(path)
    assert [entry.status for entry in parsed.items] == ["in_progress", "done", "todo"]
    assert not any("Statuses" in warning for warning in parsed.warnings)


# ------------------------------------------------------------------ criteria in the description


def test_an_exported_criteria_section_becomes_criteria_again(tmp_path: Path) -> None:
    section = "Acceptance criteria:\n* Receipt by mail\n* * starred"
    rows = [
        ["Summary", "Issue key", "Description"],
        ["A", "P-1", f"Pay by card.\n\nMore.\n\n{section}"],
        ["B", "P-2", section],
        ["C", "P-3", f"{section}\nnot a bullet"],
        ["D", "P-4", "Acceptance criteria: none yet"],
    ]
    items = by_key(read_jira_csv(write_csv(tmp_path, rows)))
    criteria = ("Receipt by mail", "* starred")
    assert (items["P-1"].description, items["P-1"].criteria) == ("Pay by card.\n\nMore.", criteria)
    assert (items["P-2"].description, items["P-2"].criteria) == ("", criteria)
    assert (items["P-3"].description, items["P-3"].criteria) == (f"{section}\nnot a bullet", ())
    assert items["P-4"].criteria == ()


def test_a_mapped_criteria_column_leaves_the_description_alone(tmp_path: Path) -> None:
    text = "Intro\n\nAcceptance criteria:\n* One"
    rows = [
        ["Summary", "Issue key", "Description", "Acceptance Criteria"],
        ["A", "P-1", text, "Two"],
    ]
    (only,) = read_jira_csv(write_csv(tmp_path, rows)).items
    assert (only.description, only.criteria) == (text, ("Two",))
