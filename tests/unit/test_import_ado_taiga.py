"""Azure DevOps and Taiga CSV exports in: real files row for row, and the quirks of others."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.ado_csv import read_ado_csv, sprint_of
from cspo_desktop.interop.html_text import html_to_text, text_lines
from cspo_desktop.interop.records import ImportCancelled, ParsedImport, ReadOptions, SourceItem
from cspo_desktop.interop.row_drafts import in_rank_order
from cspo_desktop.interop.taiga_csv import read_taiga_csv
from cspo_desktop.interop.words import parse_rank

REAL = Path(__file__).resolve().parents[1] / "data" / "real-exports"
ADO_REAL = REAL / "ado" / "assigned_to_me_iteration_path.csv"
TAIGA_REAL = REAL / "taiga" / "ta_scheduling_userstories.csv"


def records(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    """The file's data rows as dictionaries, read independently of the readers under test."""
    with path.open(encoding=encoding, newline="") as text:
        return [row for row in csv.DictReader(text) if any(value.strip() for value in row.values())]


def write(tmp_path: Path, text: str, *, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def by_key(parsed: ParsedImport) -> dict[str, SourceItem]:
    return {item.external_key: item for item in parsed.items}


# ---------------------------------------------------------------- Azure DevOps: the real file


def test_real_ado_export_reads_every_row_exactly() -> None:
    rows = records(ADO_REAL)
    parsed = read_ado_csv(ADO_REAL)

    assert len(rows) == 142
    assert [item.external_key for item in parsed.items] == [row["ID"] for row in rows]
    assert [item.title for item in parsed.items] == [row["Title"] for row in rows]
    assert parsed.skipped == ()
    assert parsed.warnings == ()
    assert parsed.encoding == "utf-8-sig"
    assert parsed.delimiter == ","
    assert all(item.type == "story" and item.parent_key is None for item in parsed.items)
    states = {"New": "todo", "Active": "in_progress", "Closed": "done"}
    assert [item.status for item in parsed.items] == [states[row["State"]] for row in rows]


def test_real_ado_export_takes_the_sprint_from_the_iteration_path() -> None:
    items = {item.external_key: item for item in read_ado_csv(ADO_REAL).items}

    assert items["2019112"].sprint == "DD_PI25B_Sprint2 (w18-w20)"
    assert items["2017591"].sprint is None  # on the project root "DSBS"
    assert items["1971240"].sprint == "DD_PI25C_w25-w34"  # on a program-increment node
    for row in records(ADO_REAL):
        nodes = row["Iteration Path"].split("\\")
        assert items[row["ID"]].sprint == (nodes[-1] if len(nodes) > 1 else None)


def test_real_ado_export_keeps_tags_and_sprint_order() -> None:
    parsed = read_ado_csv(ADO_REAL)
    items = {item.external_key: item for item in parsed.items}

    assert items["2017591"].labels == ("Phrase request", "Release 25W09")
    assert items["2011907"].labels == ("Illustration Order", "IN SAFT")
    assert items["2013575"].title == "EVCM2 update according to OCEPS BEV dev "
    assert parsed.sprints[:2] == ("DD_PI25B_Sprint2 (w18-w20)", "DD_PI25B_Sprint3 (w21-w23)")
    assert len(parsed.sprints) == len(set(parsed.sprints))
    assert parsed.columns[4].header == "Area Path"
    assert parsed.columns[4].field is None
    assert len(parsed.sample) == 5


def test_sprint_of_an_iteration_path() -> None:
    assert sprint_of("Proj\\Sprint 3") == "Sprint 3"
    assert sprint_of("Proj") is None
    assert sprint_of("Proj\\PI 1\\Sprint 2") == "Sprint 2"
    assert sprint_of("") is None


# ---------------------------------------------------------------- Azure DevOps: quirks

ADO_FULL = (
    "ID,Work Item Type,Title,State,Story Points,Backlog Priority,Priority,Tags,"
    "Acceptance Criteria,Description,Area Path,Iteration Path\r\n"
    "11,User Story,Pay by card,Active,5,300,1,payments; web ;payments,"
    '"<ul><li>Card is charged</li><li>Receipt &amp; e-mail sent</li></ul>",'
    '"<div>First line</div><div>Second&nbsp;line</div>",P\\A,P\\Sprint 1\r\n'
    '12,Bug,Crash on login,Resolved,2.5,100,2,,"<div>- [ ] no crash</div><div>1. log kept</div>",'
    ",P,P\r\n"
    "13,Epic,Payments,New,,,3,,,,P,P\r\n"
    '14,Product Backlog Item,"Export, ""quoted""",Done,,200.5,4,,,,P,P\\PI 1\\Sprint 2\r\n'
)


def test_ado_fields_html_tags_priorities_and_rank_order(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeff" + ADO_FULL)
    parsed = read_ado_csv(path)
    items = by_key(parsed)

    assert [item.external_key for item in parsed.items] == ["12", "14", "11", "13"]
    card = items["11"]
    assert card.criteria == ("Card is charged", "Receipt & e-mail sent")
    assert card.description == "First line\nSecond line"
    assert card.labels == ("payments", "web")
    assert (card.points, card.priority, card.status, card.sprint) == (
        5.0,
        "high",
        "in_progress",
        "Sprint 1",
    )
    crash = items["12"]
    assert crash.criteria == ("no crash", "log kept")
    assert (crash.type, crash.status, crash.points, crash.priority) == (
        "bug",
        "done",
        2.5,
        "medium",
    )
    assert items["13"].type == "epic"
    assert items["13"].priority == "low"
    assert items["14"].title == 'Export, "quoted"'
    assert (items["14"].priority, items["14"].sprint, items["14"].status) == (
        "lowest",
        "Sprint 2",
        "done",
    )
    assert parsed.encoding == "utf-8-sig"


def test_ado_semicolons_cp1252_and_rtl_titles(tmp_path: Path) -> None:
    text = "ID;Work Item Type;Title;State;Effort\n1;User Story;Café für Müller;New;3\n"
    parsed = read_ado_csv(write(tmp_path, text, encoding="cp1252"))
    assert parsed.encoding == "cp1252"
    assert parsed.delimiter == ";"
    assert parsed.items[0].title == "Café für Müller"
    assert parsed.items[0].points == 3.0

    titles = ["שלום עולם", "مرحبا بالعالم", "日本語のタイトル", "Émoji 🚀 ok"]
    lines = "".join(f'{n},Bug,"{title}",New\r\n' for n, title in enumerate(titles, start=1))
    parsed = read_ado_csv(
        write(tmp_path, "ID,Work Item Type,Title,State\r\n" + lines, name="u.csv")
    )
    assert [item.title for item in parsed.items] == titles


def test_ado_tree_export_gives_levels_and_folds_tasks(tmp_path: Path) -> None:
    text = (
        "ID,Work Item Type,Title 1,Title 2,Title 3,Title 4,State,Size\n"
        "1,Epic,Checkout,,,,New,\n"
        "2,Feature,,Cart,,,New,\n"
        "3,User Story,,,Add to cart,,New,3\n"
        "4,Task,,,,Write the API,Active,\n"
        ",,,,,,,\n"
        "5,User Story,,,Remove from cart,,New,2\n"
        "6,Feature,,Payment,,,New,\n"
        "7,Epic,Search,,,,New,\n"
        "8,Task,,Index products,,,New,\n"
    )
    parsed = read_ado_csv(write(tmp_path, text))
    parents = {item.external_key: item.parent_key for item in parsed.items}

    assert parents == {"1": None, "2": "1", "3": "2", "5": "2", "6": "1", "7": None, "8": "7"}
    assert [skip.row for skip in parsed.skipped] == [5]
    assert parsed.skipped[0].reason == "task of 3, folded into it"
    story = by_key(parsed)["3"]
    assert story.description == "Tasks in Azure DevOps (1):\n- Write the API"
    assert story.points == 3.0
    assert by_key(parsed)["8"].type == "story"  # a task under an epic is kept, as a story
    assert "1 empty row ignored." in parsed.warnings

    kept = read_ado_csv(write(tmp_path, text, name="kept.csv"), ReadOptions(keep_subtasks=True))
    assert {item.external_key: item.parent_key for item in kept.items}["4"] == "3"
    assert kept.skipped == ()


def test_ado_parent_column_missing_parents_circles_and_duplicates(tmp_path: Path) -> None:
    text = (
        "ID,Work Item Type,Title,Parent\n"
        "1,Epic,Epic one,\n"
        "2,User Story,Child,1\n"
        "3,User Story,Orphan,999\n"
        "4,User Story,Loop A,5\n"
        "5,User Story,Loop B,4\n"
        "2,User Story,Duplicate,\n"
        "6,User Story,,\n"
    )
    parsed = read_ado_csv(write(tmp_path, text))
    parents = {item.external_key: item.parent_key for item in parsed.items}

    assert parents["2"] == "1"
    assert parents["3"] is None
    assert [parents["4"], parents["5"]].count(None) == 1
    assert any("3 (parent 999)" in warning for warning in parsed.warnings)
    assert any("circle" in warning for warning in parsed.warnings)
    reasons = {skip.row: skip.reason for skip in parsed.skipped}
    assert "used by an earlier row" in reasons[7]
    assert "no title" in reasons[8]


def test_ado_rows_without_id_are_known_by_title(tmp_path: Path) -> None:
    text = "ID,Work Item Type,Title\n,User Story,Same\n,User Story,Same\n42,Bug,Known\n"
    parsed = read_ado_csv(write(tmp_path, text))
    assert [item.external_key for item in parsed.items] == ["title:Same", "title:Same #2", "42"]
    assert any("2 rows have no ID" in warning for warning in parsed.warnings)


def test_ado_unknown_words_and_bad_points_are_reported(tmp_path: Path) -> None:
    text = "ID,Work Item Type,Title,State,Story Points,Priority\n1,Test Case,T,Limbo,lots,9\n"
    parsed = read_ado_csv(write(tmp_path, text))
    item = parsed.items[0]
    assert (item.type, item.status, item.points, item.priority) == ("story", "todo", None, None)
    joined = " ".join(parsed.warnings)
    for word in ("Test Case", "Limbo", "rows 2", "left empty: 9"):
        assert word in joined


def test_ado_missing_columns_are_refused_with_the_columns_found(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"no ID column.*Work Item Type, Title, State"):
        read_ado_csv(write(tmp_path, "Work Item Type,Title,State\nBug,x,New\n"))
    with pytest.raises(InvalidInput, match="no Title column"):
        read_ado_csv(write(tmp_path, "ID,State\n1,New\n", name="b.csv"))
    mapped = read_ado_csv(
        write(tmp_path, "Key,Name\n7,Mapped\n", name="c.csv"),
        ReadOptions(mapping={"Key": "key", "Name": "title"}),
    )
    assert mapped.items[0].title == "Mapped"


def test_taiga_missing_columns_are_refused_and_a_mapping_fills_them(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"no ref and no subject column.*status, tags"):
        read_taiga_csv(write(tmp_path, "status,tags\nNew,x\n"))
    with pytest.raises(InvalidInput, match="no subject column"):
        read_taiga_csv(write(tmp_path, "ref,status\n1,New\n", name="b.csv"))
    mapped = read_taiga_csv(
        write(tmp_path, "ref,Story,total-points\n7,Mapped,5\n", name="c.csv"),
        ReadOptions(mapping={"Story": "title"}),
    )
    assert (mapped.items[0].title, mapped.items[0].points) == ("Mapped", 5)
    chosen = read_ado_csv(
        write(tmp_path, "ID,Title,Story Points,Estimate\n1,x,8,3\n", name="d.csv"),
        ReadOptions(points_column="Estimate"),
    )
    assert chosen.items[0].points == 3.0


def test_a_png_renamed_csv_is_refused(tmp_path: Path) -> None:
    png = tmp_path / "backlog.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(64)))
    with pytest.raises(InvalidInput):
        read_ado_csv(png)
    with pytest.raises(InvalidInput):
        read_taiga_csv(png)


def test_ado_reading_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    lines = "".join(f"{n},User Story,Item {n}\n" for n in range(1, 5001))
    path = write(tmp_path, "ID,Work Item Type,Title\n" + lines)
    seen: list[float] = []
    assert len(read_ado_csv(path, progress=seen.append).items) == 5000
    assert seen[-1] == 1.0
    assert seen == sorted(seen)

    def stop(fraction: float) -> None:
        raise ImportCancelled("stopped")

    with pytest.raises(ImportCancelled):
        read_ado_csv(path, progress=stop)


# ---------------------------------------------------------------- Taiga: the real file


def test_real_taiga_export_reads_every_row_in_backlog_order() -> None:
    rows = records(TAIGA_REAL)
    parsed = read_taiga_csv(TAIGA_REAL)

    assert len(rows) == 23
    expected = sorted(rows, key=lambda row: int(row["backlog_order"]))
    assert [item.external_key for item in parsed.items] == [row["ref"] for row in expected]
    assert [item.title for item in parsed.items] == [row["subject"] for row in expected]
    items = {item.external_key: item for item in parsed.items}
    for row in rows:
        item = items[row["ref"]]
        assert item.points == (float(row["total-points"]) if row["total-points"] else None)
        assert item.sprint == (row["sprint"] or None)
        assert item.description == row["description"].strip()
        assert item.type == "story"
    assert (items["3"].points, items["7"].points) == (43.0, 25.0)
    assert parsed.sprints == ("Sprint 1",)
    assert parsed.skipped == ()
    assert parsed.warnings == ()


# ---------------------------------------------------------------- Taiga: quirks


def test_taiga_milestone_points_tags_closed_and_order(tmp_path: Path) -> None:
    text = (
        "\ufeffref;subject;status;is_closed;milestone;total-points;tags;backlog_order\r\n"
        "5;Nine;New;False;Sprint 2;?;;9\r\n"
        "6;Ten;Archived;True;;n/a;a, b ,a;10\r\n"
        ";;;;;;;\r\n"
        "7;Shipped story;Shipped;True;;3.0;;\r\n"
        "8;Eleven;In progress;False;Sprint 2;abc;x;1.1e1\r\n"
    )
    parsed = read_taiga_csv(write(tmp_path, text))

    assert parsed.delimiter == ";"
    assert [item.external_key for item in parsed.items] == ["5", "6", "8", "7"]
    items = by_key(parsed)
    assert (items["5"].points, items["5"].sprint, items["5"].status) == (None, "Sprint 2", "todo")
    assert (items["6"].points, items["6"].labels, items["6"].status) == (None, ("a", "b"), "done")
    assert (items["7"].status, items["7"].points) == ("done", 3.0)
    assert items["8"].status == "in_progress"
    assert parsed.sprints == ("Sprint 2",)
    warnings = " ".join(parsed.warnings)
    assert "1 empty row ignored." in warnings
    assert "rows 6" in warnings  # "abc" points; "?" and "n/a" are simply unestimated
    assert "Shipped" in warnings


def test_taiga_epics_become_parents_only_when_in_the_file(tmp_path: Path) -> None:
    text = 'ref,subject,epics\n1,Epic-like story,\n2,Child,1\n3,Stray,40\n4,Two epics,"41,1"\n'
    parsed = read_taiga_csv(write(tmp_path, text))
    parents = {item.external_key: item.parent_key for item in parsed.items}
    assert parents == {"1": None, "2": "1", "3": None, "4": None}
    assert any(
        "3 (parent 40)" in warning and "4 (parent 41)" in warning for warning in parsed.warnings
    )


def test_taiga_missing_subject_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"no subject column.*ref, status"):
        read_taiga_csv(write(tmp_path, "ref,status\n1,New\n"))


# ---------------------------------------------------------------- shared helpers


def test_html_to_text_keeps_lines_and_list_items() -> None:
    assert html_to_text("<div>a</div><div>b<br>c</div>") == "a\nb\nc"
    assert html_to_text("<p>one</p><p>two &amp; <b>three</b></p>") == "one\n\ntwo & three"
    assert html_to_text("<ul><li><div>x</div></li><li>y</li></ul>") == "- x\n- y"
    assert html_to_text("<script>alert(1)</script>kept") == "kept"
    assert html_to_text("plain\r\nlines &lt;3") == "plain\nlines <3"
    assert html_to_text("") == ""


def test_text_lines_strips_bullets_and_drops_blanks() -> None:
    text = "- a\n* b\n• c\n1. d\n2) e\n[ ] f\n- [x] g\n\n   \n-5 stays\nplain"
    assert text_lines(text) == ["a", "b", "c", "d", "e", "f", "g", "-5 stays", "plain"]


def test_ranks_sort_numerically_with_unranked_last() -> None:
    assert [parse_rank(text) for text in ("10", "9", "1,5", "-2", "", "x")] == [
        10.0,
        9.0,
        1.5,
        -2.0,
        None,
        None,
    ]
    entries = [("a", None), ("b", 10.0), ("c", 9.0), ("d", None), ("e", 9.0)]
    assert [name for name, _ in in_rank_order(entries, lambda entry: entry[1])] == list("cebad")
