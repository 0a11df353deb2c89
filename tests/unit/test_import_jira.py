"""Jira exports from real teams, read by the Jira readers and checked against an independent count.

Every expectation is computed here from the file with :mod:`csv` or :mod:`xml.etree` (the
files are trusted test data), never copied from the reader's output.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cspo_desktop.interop.jira import read_jira
from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.jira_xml import read_jira_xml
from cspo_desktop.interop.records import ParsedImport, ReadOptions, SourceItem

JIRA = Path(__file__).parents[1] / "data" / "real-exports" / "jira"
CLOUD = JIRA / "agile_delivery_sim_cloud_all_fields.csv"
SERVER = JIRA / "herokudeploy_jwprogram_server_storypoints.csv"
XML = JIRA / "insurance_company_searchrequest.xml"

Row = dict[str, list[str]]


def csv_rows(path: Path) -> list[Row]:
    """Each data row as header → every value under that header (Jira repeats headers)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = []
        for cells in reader:
            row: Row = {}
            for name, value in zip(header, cells, strict=True):
                row.setdefault(name, []).append(value)
            rows.append(row)
    return rows


def one(row: Row, name: str) -> str:
    return row[name][0]


def filled(row: Row, name: str) -> list[str]:
    return [value for value in row.get(name, []) if value.strip()]


def by_key(parsed: ParsedImport) -> dict[str, SourceItem]:
    return {item.external_key: item for item in parsed.items}


def expected_type(jira_type: str) -> str:
    return {"Epic": "epic", "Story": "story", "Task": "story", "Bug": "bug"}[jira_type]


def expected_status(jira_status: str) -> str:
    return {"To Do": "todo", "In Progress": "in_progress", "Done": "done"}[jira_status]


def rank_order(rows: list[Row], keys: set[str]) -> list[str]:
    ranked = [row for row in rows if one(row, "Issue key") in keys]
    ranked.sort(key=lambda row: one(row, "Custom field (Rank)"))
    return [one(row, "Issue key") for row in ranked]


# ------------------------------------------------------------------ Jira Cloud, three levels


def test_cloud_export_every_row_is_an_item_or_a_folded_subtask() -> None:
    rows = csv_rows(CLOUD)
    parsed = read_jira_csv(CLOUD)
    subtasks = [row for row in rows if one(row, "Issue Type") == "Sub-task"]
    assert len(rows) == 68
    assert subtasks
    assert len(parsed.items) == len(rows) - len(subtasks)
    assert [skip.row for skip in parsed.skipped] == [
        number for number, row in enumerate(rows, start=2) if row in subtasks
    ]
    for skip, row in zip(parsed.skipped, subtasks, strict=True):
        assert skip.reason == f"sub-task of {one(row, 'Parent key')}, folded into it"
    assert (parsed.tool, parsed.file_format, parsed.delimiter) == ("jira", "csv", ",")


def test_cloud_export_keeps_titles_types_statuses_sprints_labels_and_parents() -> None:
    rows = csv_rows(CLOUD)
    items = by_key(read_jira_csv(CLOUD))
    for row in rows:
        if one(row, "Issue Type") == "Sub-task":
            continue
        item = items[one(row, "Issue key")]
        sprints = filled(row, "Sprint")
        assert item.title == one(row, "Summary")
        assert item.type == expected_type(one(row, "Issue Type"))
        assert item.status == expected_status(one(row, "Status"))
        assert item.sprint == (sprints[-1] if sprints else None)
        assert item.labels == tuple(filled(row, "Labels"))
        assert item.parent_key == (one(row, "Parent key") or None)
        assert item.points is None  # both story-point columns are empty in this export
        assert item.description.startswith(one(row, "Description").strip().replace("\r\n", "\n"))


def test_cloud_export_has_three_levels_and_subtasks_fold_into_their_story() -> None:
    rows = csv_rows(CLOUD)
    items = by_key(read_jira_csv(CLOUD))
    story = next(row for row in rows if one(row, "Issue key") == "CS4483-54")
    epic_key = one(story, "Parent key")
    assert items[epic_key].type == "epic"
    assert items["CS4483-54"].parent_key == epic_key
    children = [
        one(row, "Summary")
        for row in rows
        if one(row, "Issue Type") == "Sub-task" and one(row, "Parent key") == "CS4483-54"
    ]
    note = f"Sub-tasks in Jira ({len(children)}):\n" + "\n".join(f"- {t}" for t in children)
    assert items["CS4483-54"].description.endswith(note)
    assert "CS4483-55" not in items


def test_cloud_export_is_in_rank_order_with_sprints_in_order_of_first_appearance() -> None:
    rows = csv_rows(CLOUD)
    parsed = read_jira_csv(CLOUD)
    keys = {item.external_key for item in parsed.items}
    assert [item.external_key for item in parsed.items] == rank_order(rows, keys)
    first_seen = list(dict.fromkeys(name for row in rows for name in filled(row, "Sprint")))
    assert parsed.sprints == tuple(first_seen)
    assert "Sprint 4 — Build, Polish & Rep" in parsed.sprints
    assert parsed.warnings == ()


def test_cloud_export_can_keep_subtasks_as_stories_under_their_parent() -> None:
    rows = csv_rows(CLOUD)
    parsed = read_jira_csv(CLOUD, ReadOptions(keep_subtasks=True))
    items = by_key(parsed)
    assert len(parsed.items) == len(rows)
    assert parsed.skipped == ()
    for row in rows:
        if one(row, "Issue Type") == "Sub-task":
            item = items[one(row, "Issue key")]
            assert (item.type, item.parent_key) == ("story", one(row, "Parent key"))
    assert "Sub-tasks in Jira" not in items["CS4483-54"].description


# ------------------------------------------------------------------ Jira Server, two projects


def test_server_export_reads_every_row_of_both_projects() -> None:
    rows = csv_rows(SERVER)
    parsed = read_jira_csv(SERVER)
    assert len(parsed.items) == len(rows) == 90
    assert parsed.skipped == ()
    projects = {item.external_key.split("-")[0] for item in parsed.items}
    assert projects == {one(row, "Project key") for row in rows} == {"JWP", "INNT"}


def test_server_export_keeps_points_last_sprint_epic_links_and_epic_titles() -> None:
    rows = csv_rows(SERVER)
    items = by_key(read_jira_csv(SERVER))
    for row in rows:
        item = items[one(row, "Issue key")]
        points = one(row, "Custom field (Story Points)")
        sprints = filled(row, "Sprint")
        assert item.title == one(row, "Summary")
        assert item.type == expected_type(one(row, "Issue Type"))
        assert item.points == (float(points) if points else None)
        assert item.sprint == (sprints[-1] if sprints else None)
        assert item.parent_key == (one(row, "Custom field (Epic Link)") or None)
    assert len(csv_rows(SERVER)[0]["Sprint"]) == 3
    assert items["JWP-13"].sprint == "JwProgra Sprint 3"
    assert items["JWP-13"].points == 5.0
    assert items["JWP-98"].title == "The user wants some nice features for his Homescreen"
    assert items["JWP-110"].title == "User zu Rollen hinzufügen"


def test_server_export_is_in_rank_order() -> None:
    rows = csv_rows(SERVER)
    parsed = read_jira_csv(SERVER)
    keys = {item.external_key for item in parsed.items}
    assert [item.external_key for item in parsed.items] == rank_order(rows, keys)
    assert parsed.sprints[:3] == ("JwProgra Sprint 1", "JwProgra Sprint 2", "JwProgra Sprint 3")


def test_server_export_samples_and_columns_describe_the_file() -> None:
    rows = csv_rows(SERVER)
    parsed = read_jira_csv(SERVER)
    header = [name for name in rows[0] for _ in rows[0][name]]
    assert len(parsed.columns) == sum(len(values) for values in rows[0].values())
    assert sorted(use.header for use in parsed.columns) == sorted(header)
    assert [use.header for use in parsed.columns if use.field == "sprint"] == ["Sprint"] * 3
    assert len(parsed.sample) == 5
    assert parsed.sample[0][0] == one(rows[0], "Summary")


# ------------------------------------------------------------------ Jira XML (RSS)


def xml_items() -> list[ET.Element]:
    return ET.parse(XML).getroot().findall("channel/item")


def test_xml_export_accounts_for_every_item() -> None:
    elements = xml_items()
    parsed = read_jira_xml(XML)
    subtasks = [n for n, item in enumerate(elements, 1) if item.findtext("type") == "Subtask"]
    assert len(elements) == 15
    assert len(parsed.items) + len(parsed.skipped) == len(elements)
    assert [skip.row for skip in parsed.skipped] == subtasks
    for skip in parsed.skipped:
        parent = elements[skip.row - 1].findtext("parent")
        assert skip.reason == f"sub-task of {parent}, folded into it"
    assert (parsed.file_format, parsed.delimiter) == ("xml", None)


def test_xml_export_keeps_titles_statuses_sprints_and_rank_order() -> None:
    elements = xml_items()
    parsed = read_jira_xml(XML)
    items = by_key(parsed)
    kept = [item for item in elements if item.findtext("type") != "Subtask"]
    for element in kept:
        item = items[element.findtext("key") or ""]
        assert item.title == element.findtext("summary")
        assert item.status == expected_status(element.findtext("status") or "")
        assert item.sprint == "Capstone"
        assert item.row == elements.index(element) + 1

    def rank(element: ET.Element) -> str:
        for custom in element.iter("customfield"):
            if custom.findtext("customfieldname") == "Rank":
                return custom.findtext("customfieldvalues/customfieldvalue") or ""
        return ""

    expected = [element.findtext("key") for element in sorted(kept, key=rank)]
    assert [item.external_key for item in parsed.items] == expected
    assert parsed.sprints == ("Capstone",)


def test_xml_export_folds_subtasks_listed_under_their_parent() -> None:
    elements = xml_items()
    items = by_key(read_jira_xml(XML))
    for element in elements:
        listed = [sub.text for sub in element.iterfind("subtasks/subtask")]
        if not listed:
            continue
        titles = [
            other.findtext("summary", "").strip()
            for other in elements
            if other.findtext("key") in listed
        ]
        note = f"Sub-tasks in Jira ({len(listed)}):\n" + "\n".join(f"- {t}" for t in titles)
        assert items[element.findtext("key") or ""].description.endswith(note)


@pytest.mark.parametrize("path", [CLOUD, SERVER, XML], ids=["cloud", "server", "xml"])
def test_read_jira_tells_csv_from_xml_by_content(path: Path, tmp_path: Path) -> None:
    renamed = tmp_path / ("export.csv" if path.suffix == ".xml" else "export.xml")
    renamed.write_bytes(path.read_bytes())
    parsed = read_jira(renamed)
    assert parsed.file_format == path.suffix.lstrip(".")
    assert parsed.items == read_jira(path).items
