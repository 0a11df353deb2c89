"""Jira export then Jira import: what a Product Owner typed comes back, for any backlog."""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.jira_export import export_jira_csv
from cspo_desktop.interop.records import ExportItem

# Text a title may hold: any letter, digit, mark, punctuation or symbol in any script, blanks,
# and line breaks; no control characters (no export holds them, and the reader refuses them).
TEXT = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn"), whitelist_characters="\n ,\"'=+-@;"
)
TITLES = st.text(TEXT, min_size=1, max_size=40).filter(str.strip)
RISKY_TITLES = st.builds(lambda start, rest: start + rest, st.sampled_from("=+-@"), TITLES)
SPRINTS = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=12)
LABELS = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=8))
POINTS = st.one_of(st.none(), st.integers(0, 200).map(lambda halves: halves / 2))
DESCRIPTIONS = st.one_of(st.just(""), st.text(TEXT, max_size=60).map(str.strip))
CRITERIA = st.lists(TITLES.map(lambda text: " ".join(text.split())).filter(bool), max_size=3)


@st.composite
def backlogs(draw: st.DrawFn) -> list[ExportItem]:
    """A backlog in some order; each item's parent, if any, has a smaller number (a tree)."""
    size = draw(st.integers(1, 25))
    items = []
    for number in range(1, size + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, number - 1))) if number > 1 else None
        from_jira = draw(st.booleans())
        items.append(
            ExportItem(
                number=number,
                key=f"PAY-{number}",
                type=draw(st.sampled_from(("epic", "story", "bug"))),
                title=draw(st.one_of(TITLES, RISKY_TITLES)),
                description=draw(DESCRIPTIONS),
                status=draw(st.sampled_from(("todo", "in_progress", "done"))),
                points=draw(POINTS),
                priority=draw(
                    st.sampled_from((None, "highest", "high", "medium", "low", "lowest"))
                ),
                labels=tuple(dict.fromkeys(draw(LABELS))),
                sprint=draw(st.one_of(st.none(), SPRINTS)),
                parent_number=parent,
                criteria=tuple(draw(CRITERIA)),
                external_source="jira" if from_jira else None,
                external_key=f"JIRA-{number * 7}" if from_jira else None,
            )
        )
    return draw(st.permutations(items))


@settings(max_examples=80, deadline=None)
@given(backlogs())
def test_a_jira_export_reads_back_as_it_was(items: list[ExportItem]) -> None:
    text = export_jira_csv(items).files[0][1]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "jira.csv"
        path.write_text(text, encoding="utf-8", newline="")
        parsed = read_jira_csv(path)

    assert parsed.skipped == ()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    # Items that came from Jira keep their key; the others are known by their Issue ID.
    expected_keys = [row.get("Issue key") or row["Issue ID"] for row in rows]
    assert [item.external_key for item in parsed.items] == expected_keys
    key_of = {item.number: item.external_key or str(item.number) for item in items}
    by_key = {key_of[item.number]: item for item in items}
    place = {item.external_key: index for index, item in enumerate(parsed.items)}
    for read in parsed.items:
        original = by_key[read.external_key]
        assert read.title == original.title
        assert read.points == original.points
        assert read.sprint == original.sprint
        assert read.type == original.type
        assert read.status == original.status
        assert read.priority == original.priority
        assert read.labels == original.labels
        assert read.description == original.description
        assert read.criteria == original.criteria
        parent = original.parent_number
        assert read.parent_key == (None if parent is None else key_of[parent])
        if read.parent_key is not None:
            assert place[read.parent_key] < place[read.external_key]
    # The backlog order comes back for the items below no one: the export only moves each
    # parent up to just before its first child. (Parents among themselves follow their first
    # children, which is the one order change a "parents first" file must make.)
    parents = {item.parent_number for item in items if item.parent_number is not None}
    wanted = [key_of[i.number] for i in items if i.number not in parents]
    got = [i.external_key for i in parsed.items if i.external_key in set(wanted)]
    assert got == wanted


def test_criteria_come_back_as_criteria_not_as_description(tmp_path: Path) -> None:
    first = ExportItem(
        number=1,
        key="PAY-1",
        type="story",
        title="Pay by card",
        description="Why it matters.\n\n* a bullet of the description",
        status="todo",
        points=None,
        priority=None,
        labels=(),
        sprint=None,
        parent_number=None,
        criteria=("Given a card", "Then it\npays"),
        external_source="jira",
        external_key="PAY-1",
    )
    path = tmp_path / "jira.csv"
    for _round in range(2):
        path.write_text(export_jira_csv([first]).files[0][1], encoding="utf-8", newline="")
        (read,) = read_jira_csv(path).items
        assert read.description == first.description
        assert read.criteria == ("Given a card", "Then it pays")
        first = replace(first, description=read.description, criteria=read.criteria)
