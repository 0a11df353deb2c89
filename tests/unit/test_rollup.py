"""Epic roll-up: items, points and done share per epic."""

from __future__ import annotations

from cspo_desktop.domain.rollup import EMPTY, Rollup, RollupRow, rollups, share


def test_an_epic_sums_its_children_and_counts_done_by_status() -> None:
    rows: list[RollupRow] = [
        (1, "epic", None, "todo", 13.0),  # the epic's own points are not its children's
        (2, "story", 1, "done", 3.0),
        (3, "story", 1, "in_progress", 5.0),
        (4, "bug", 1, "todo", None),
        (5, "story", None, "done", 8.0),  # no epic
    ]
    assert rollups(rows) == {
        1: Rollup(items=3, points=8.0, done_points=3.0, done_items=1, percent=37)
    }


def test_children_without_points_count_by_items() -> None:
    rows: list[RollupRow] = [
        (1, "epic", None, "todo", None),
        (2, "story", 1, "done", None),
        (3, "story", 1, "todo", None),
        (4, "story", 1, "todo", None),
        (5, "story", 1, "todo", 0.0),
    ]
    found = rollups(rows)[1]
    assert found == Rollup(items=4, points=0.0, done_points=0.0, done_items=1, percent=25)
    assert found.summary() == "25% · 1/4 items"
    assert found.details() == "1 of 4 items done; no points estimated"


def test_an_empty_epic_is_listed_with_nothing_done() -> None:
    found = rollups([(7, "epic", None, "done", 5.0)])
    assert found == {7: EMPTY}
    assert found[7].summary() == "No items"
    assert found[7].percent == 0


def test_nothing_rolls_up_through_deeper_levels() -> None:
    rows: list[RollupRow] = [
        (3, "story", 1, "todo", 2.0),  # a child listed before its epic
        (1, "epic", None, "todo", None),
        (4, "story", 3, "done", 40.0),  # a grandchild of the epic, through a story
        (2, "epic", None, "todo", None),
        (5, "epic", 2, "done", 1.0),  # an epic under an epic counts as one item of it
    ]
    found = rollups(rows)
    assert found[1] == Rollup(items=1, points=2.0, done_points=0.0, done_items=0, percent=0)
    assert found[2] == Rollup(items=1, points=1.0, done_points=1.0, done_items=1, percent=100)
    assert found[5] == EMPTY
    assert 3 not in found  # a story is not rolled up


def test_the_percentage_rounds_down_and_never_passes_100() -> None:
    assert share(2, 3) == 66
    assert share(0.5, 0.5) == 100
    assert share(1, 0) == 0
    rows: list[RollupRow] = [
        (1, "epic", None, "todo", None),
        (2, "story", 1, "done", 0.5),
        (3, "story", 1, "todo", 99.5),
    ]
    assert rollups(rows)[1].percent == 0


def test_the_cell_text_and_the_tooltip_give_the_numbers() -> None:
    rows: list[RollupRow] = [(1, "epic", None, "todo", None)]
    rows += [(10 + n, "story", 1, "done", 6.0) for n in range(2)]
    rows += [(20 + n, "story", 1, "todo", 6.0) for n in range(3)]
    found = rollups(rows)[1]
    assert found.summary() == "40% · 12/30 pts · 5 items"
    assert found.details() == "2 of 5 items done; 12 of 30 points done"
    one = rollups([(1, "epic", None, "todo", None), (2, "story", 1, "todo", 0.5)])[1]
    assert one.summary() == "0% · 0/0.5 pts · 1 item"
