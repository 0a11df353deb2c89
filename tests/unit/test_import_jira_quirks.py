"""Jira CSV files as they arrive in the wild: hand-written here, one quirk per test."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.jira import read_jira
from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.records import ParsedImport, SourceItem

HEADER = ["Summary", "Issue key", "Issue id", "Issue Type", "Status"]


def write_csv(
    folder: Path,
    rows: Sequence[Sequence[str]],
    *,
    name: str = "export.csv",
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\r\n",
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path = folder / name
    path.write_bytes(codecs.BOM_UTF8 + data if bom else data)
    return path


def by_key(parsed: ParsedImport) -> dict[str, SourceItem]:
    return {item.external_key: item for item in parsed.items}


def keys(parsed: ParsedImport) -> list[str]:
    return [item.external_key for item in parsed.items]


# ------------------------------------------------------------------ encodings and layout


def test_bom_crlf_and_quoted_multiline_fields(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            [*HEADER, "Description"],
            ["Pay by card", "PAY-1", "100", "Story", "To Do", "First line\r\n\r\n* a bullet"],
            ['Say "hi", twice', "PAY-2", "101", "Bug", "Done", ""],
        ],
        bom=True,
    )
    parsed = read_jira_csv(path)
    items = by_key(parsed)
    assert parsed.encoding == "utf-8-sig"
    assert parsed.columns[0].header == "Summary"
    assert items["PAY-1"].description == "First line\n\n* a bullet"
    assert items["PAY-2"].title == 'Say "hi", twice'
    assert (items["PAY-2"].type, items["PAY-2"].status) == ("bug", "done")
    assert [item.row for item in parsed.items] == [2, 3]


def test_semicolon_delimited_cp1252_file_from_a_spreadsheet(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            ["Summary", "Issue key", "Custom field (Story Points)", "Description"],
            ["Café payé", "PAY-1", "2,5", "Prix: 5 €; taxes"],
            ["Straße", "PAY-2", "", ""],
        ],
        delimiter=";",
        encoding="cp1252",
    )
    parsed = read_jira_csv(path)
    items = by_key(parsed)
    assert (parsed.encoding, parsed.delimiter) == ("cp1252", ";")
    assert items["PAY-1"].title == "Café payé"
    assert items["PAY-1"].points == 2.5
    assert items["PAY-1"].description == "Prix: 5 €; taxes"
    assert items["PAY-2"].title == "Straße"


def test_empty_rows_are_counted_in_a_warning_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Summary,Issue key\r\nOne,P-1\r\n\r\n,\r\n  ,  \r\nTwo,P-2\r\n\r\n", encoding="utf-8"
    )
    parsed = read_jira_csv(path)
    assert keys(parsed) == ["P-1", "P-2"]
    assert parsed.skipped == ()
    assert parsed.warnings == ("4 empty rows ignored.",)


def test_non_ascii_and_right_to_left_titles_are_kept_exactly(tmp_path: Path) -> None:
    titles = ["تسجيل الدخول بالبصمة", "התחברות עם טביעת אצבע", "支付 — ünïcödé 🚀", "  spaced  "]
    rows = [["Summary", "Issue key"]] + [[t, f"P-{n}"] for n, t in enumerate(titles, 1)]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert [item.title for item in parsed.items] == titles


def test_a_two_megabyte_cell_and_cells_starting_with_equals_stay_as_typed(tmp_path: Path) -> None:
    big = "x" * (2 * 1024 * 1024)
    rows = [
        [*HEADER, "Description", "Labels"],
        ["=SUM(A1:A9)", "P-1", "1", "Story", "To Do", big, "=cmd|' /C calc'!A0"],
        ["+1 more", "P-2", "2", "Story", "To Do", "=1+1", "@risk"],
    ]
    items = by_key(read_jira_csv(write_csv(tmp_path, rows)))
    assert items["P-1"].title == "=SUM(A1:A9)"
    assert items["P-1"].description == big
    assert items["P-1"].labels == ("=cmd|'", "/C", "calc'!A0")
    assert (items["P-2"].title, items["P-2"].description) == ("+1 more", "=1+1")


def test_binary_junk_and_a_png_renamed_csv_are_refused(tmp_path: Path) -> None:
    png = tmp_path / "screenshot.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 40)
    for path in (png, junk):
        with pytest.raises(InvalidInput, match="not a text file"):
            read_jira(path)


def test_an_empty_file_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput, match="empty"):
        read_jira_csv(empty)
    with pytest.raises(InvalidInput, match="does not exist"):
        read_jira(tmp_path / "missing.csv")
