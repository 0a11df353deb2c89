"""Readers under stress: odd encodings, control characters, broken headers, hostile HTML.

And what the Azure DevOps and Taiga readers tell a re-import: the fields a file provides and
the parents it names without holding them.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.ado_csv import read_ado_csv
from cspo_desktop.interop.html_text import html_to_text
from cspo_desktop.interop.jira import read_jira
from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.reading import Table
from cspo_desktop.interop.taiga_csv import read_taiga_csv
from tests.unit.test_import_jira_quirks import by_key

XML_ITEM = "<rss><channel><item><key id='1'>P-1</key><summary>A</summary></item></channel></rss>"


def write(tmp_path: Path, data: bytes | str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def one_line_refusal(path: Path) -> str:
    with pytest.raises(InvalidInput) as refused:
        read_jira(path)
    message = str(refused.value)
    assert path.name in message
    assert "\n" not in message
    return message


# ------------------------------------------------------------------ Azure DevOps and Taiga


def test_ado_provides_its_columns_and_a_tree_provides_the_parent(tmp_path: Path) -> None:
    flat = write(tmp_path, "ID,Title,State,Tags\n1,A,New,x\n")
    assert read_ado_csv(flat).provided == frozenset({"title", "status", "labels"})
    tree = write(tmp_path, "ID,Work Item Type,Title 1,Title 2,Story Points\n1,Epic,A,,\n2,,,B,3\n")
    assert read_ado_csv(tree).provided == frozenset({"title", "type", "points", "parent"})
    every = "ID,Title,Work Item Type,State,Iteration Path,Effort,Description,Tags,Priority,Parent"
    assert read_ado_csv(write(tmp_path, every + "\n1,A,,,,,,,,\n")).provided == frozenset({
        "title", "type", "status", "sprint", "points", "description", "labels", "priority",
        "parent",
    })  # fmt: skip


def test_taiga_provides_its_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "ref,subject,is_closed,milestone,total-points,epics\n1,A,False,,,\n")
    assert read_taiga_csv(path).provided == frozenset(
        {"title", "status", "sprint", "points", "parent"}
    )
    bare = write(tmp_path, "ref,subject,tags,description\n1,A,,\n")
    assert read_taiga_csv(bare).provided == frozenset({"title", "labels", "description"})


def test_ado_and_taiga_parents_outside_the_file_are_kept_as_references(tmp_path: Path) -> None:
    ado = read_ado_csv(write(tmp_path, "ID,Title,Parent\n1,A,4711\n2,B,1\n"))
    items = by_key(ado)
    assert (items["1"].parent_key, items["1"].parent_ref) == (None, "4711")
    assert (items["2"].parent_key, items["2"].parent_ref) == ("1", None)
    (warning,) = ado.warnings
    assert "not in this file; a re-import keeps the parent the item already has" in warning
    taiga = read_taiga_csv(write(tmp_path, 'ref,subject,epics\n3,A,"#7, #8"\n4,B,#3\n'))
    items = by_key(taiga)
    assert (items["3"].parent_key, items["3"].parent_ref) == (None, "7")
    assert (items["4"].parent_key, items["4"].parent_ref) == ("3", None)


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("declaration", "problem"),
    [("bogus", "unknown encoding: bogus"), ("shift_jis", "multi-byte encodings")],
)
def test_an_xml_file_in_an_unusable_encoding_is_refused(
    tmp_path: Path, declaration: str, problem: str
) -> None:
    text = f'<?xml version="1.0" encoding="{declaration}"?>{XML_ITEM}'
    message = one_line_refusal(write(tmp_path, text, "SearchRequest.xml"))
    assert problem in message


def test_a_utf16_bom_on_bytes_that_are_not_utf16_is_refused(tmp_path: Path) -> None:
    body = "Summary,Issue key\nA,P-1\n".encode("utf-16-le")
    lone_surrogate = "B,P-2\n".encode("utf-16-le") + b"\x00\xd8" + "x,P-3\n".encode("utf-16-le")
    for data in (codecs.BOM_UTF16_LE + body + lone_surrogate, codecs.BOM_UTF16_LE + body + b"\x41"):
        assert "not a text file" in one_line_refusal(write(tmp_path, data))


def test_a_utf16_file_with_any_script_is_read(tmp_path: Path) -> None:
    titles = ["Готово ✓", "\u0100\u0101 \u4e2d\u6587"]
    text = f"Summary,Issue key\n{titles[0]},P-1\n{titles[1]},P-2\n"
    parsed = read_jira_csv(write(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    assert [item.title for item in parsed.items] == titles


def test_a_decoding_error_while_streaming_rows_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "Summary,Issue key\nCafé,P-1\n".encode("cp1252"))
    table = Table(path, "utf-8", ",", ("Summary", "Issue key"), path.stat().st_size)
    with pytest.raises(InvalidInput, match=r"export\.csv") as refused:
        list(table.rows())
    assert "\n" not in str(refused.value)


# ------------------------------------------------------------------ control characters


def test_word_line_breaks_in_a_field_do_not_refuse_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "Summary,Issue key,Description\nA,P-1,one\x0btwo\x0cthree\nB,P-2,\n")
    items = by_key(read_jira_csv(path))
    assert items["P-1"].description == "one\x0btwo\x0cthree"
    assert items["P-2"].title == "B"


def test_a_nul_byte_or_many_control_characters_refuse_the_file(tmp_path: Path) -> None:
    rows = "".join(f"Item {n},P-{n}\n" for n in range(200))
    nul = write(tmp_path, f"Summary,Issue key\n{rows}A\x00,P-999\n", "nul.csv")
    noisy = write(tmp_path, "Summary,Issue key\n" + "\x01\x02,P-1\n" * 50, "noisy.csv")
    for path in (nul, noisy):
        assert "not a text file" in one_line_refusal(path)


# ------------------------------------------------------------------ the header row


def test_a_header_whose_quote_never_closes_is_refused(tmp_path: Path) -> None:
    rows = "".join(f"Item {n},P-{n},To Do\n" for n in range(2000))
    path = write(tmp_path, f'Summary,"Issue key,Status\n{rows}')
    assert "the header row has an unclosed quote" in one_line_refusal(path)


@pytest.mark.timeout(20)
def test_an_unclosed_header_quote_in_a_big_file_is_refused_quickly(tmp_path: Path) -> None:
    rows = "".join(f"Item {n},P-{n},To Do,{'x' * 60}\n" for n in range(60_000))
    path = write(tmp_path, f'Summary,"Issue key,Status,Description\n{rows}"\n')
    assert "the header row has an unclosed quote" in one_line_refusal(path)


def test_header_names_with_line_breaks_stay_on_one_line_in_messages(tmp_path: Path) -> None:
    header = '"Sum\nmary","Issue\r\nkind",Other\nA,B,C\n'
    jira = one_line_refusal(write(tmp_path, header))
    assert "Sum mary" in jira
    for reader in (read_ado_csv, read_taiga_csv):
        with pytest.raises(InvalidInput) as refused:
            reader(write(tmp_path, header))
        assert "\n" not in str(refused.value)
        assert "Sum mary" in str(refused.value)


# ------------------------------------------------------------------ HTML


@pytest.mark.timeout(10)
@pytest.mark.parametrize("junk", ["<b ", '<a x="', "<a '", "<a b=c <", "<!x", "<!--", "</b "])
def test_html_with_unclosed_tags_is_read_in_linear_time(junk: str) -> None:
    junk_text = junk * (200_000 // len(junk))
    assert html_to_text(f"<p>x</p>{junk_text}").startswith("x")
    assert html_to_text(f"<p>x</p>{junk_text}<i>end</i>").startswith("x")


def test_an_unclosed_tag_is_text_and_closed_tags_still_work() -> None:
    assert html_to_text("<p>x</p><b <b <b") == "x\n\n<b <b <b"
    assert html_to_text(
        "<p>a <a href=\"u?a=1&amp;b=2\" title='t'>link</a></p><ul><li>c</li></ul>"
    ) == ("a link\n\n- c")
    assert html_to_text("a < b <i>and</i> c > d") == "a < b and c > d"
