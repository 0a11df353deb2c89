"""Services behind the Product page editors: goals, Definition of Done and Ready, scale.

Every call is one transaction; what a call returns is enough to write the old state back
exactly, which is what the undo commands do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cspo_desktop.domain.errors import Conflict, InvalidInput, NotFound
from cspo_desktop.domain.estimation import EstimationScale
from cspo_desktop.domain.ranking import MAX_KEY_LENGTH
from cspo_desktop.domain.readiness import ReadyRules
from cspo_desktop.persistence import queries
from cspo_desktop.persistence.database import Database
from cspo_desktop.services import definitions, goals, items
from cspo_desktop.services.changes import Entity

Rows = list[tuple[object, ...]]


@pytest.fixture
def db(product_path: Path) -> Iterator[Database]:
    database = Database(product_path)
    yield database
    database.close()


def rows(path: Path, sql: str) -> Rows:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def goal_rows(path: Path) -> Rows:
    return rows(path, "SELECT * FROM product_goal ORDER BY id")


def item_rows(path: Path) -> Rows:
    return rows(path, "SELECT * FROM item ORDER BY id")


def ranked_titles(path: Path) -> list[object]:
    return [r[0] for r in rows(path, "SELECT title FROM product_goal ORDER BY rank, id")]


def product_settings(path: Path) -> Rows:
    return rows(
        path,
        "SELECT estimation_scale, scale_values, ready_needs_criteria, ready_needs_estimate, "
        "ready_max_points, ready_no_open_questions, ready_no_unfinished_dependencies, "
        "ready_not_blocked FROM product",
    )


def add_goals(db: Database, *titles: str) -> list[int]:
    return [goals.add_goal(db, title)[0] for title in titles]


def link(path: Path, goal_id: int, *item_ids: int) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executemany(
            "UPDATE item SET goal_id = ? WHERE id = ?", [(goal_id, i) for i in item_ids]
        )


# ---------------------------------------------------------------- goals


def test_goals_are_added_at_the_bottom_as_typed(db: Database, product_path: Path) -> None:
    ids = add_goals(db, "Grow P2P", "  Spaces kept  ", "Ünïcödé 💸")
    assert ranked_titles(product_path) == ["Grow P2P", "  Spaces kept  ", "Ünïcödé 💸"]
    with closing(sqlite3.connect(product_path)) as conn:
        listed = queries.product_goals(conn)
    assert [g.id for g in listed] == ids
    assert {g.status for g in listed} == {"proposed"}
    assert {g.item_count for g in listed} == {0}


@pytest.mark.parametrize("title", ["", "  ", "\t", "x" * (goals.MAX_TITLE + 1)])
def test_a_bad_title_is_refused_and_nothing_changes(
    db: Database, product_path: Path, title: str
) -> None:
    [goal_id] = add_goals(db, "Grow P2P")
    before = goal_rows(product_path)
    with pytest.raises(InvalidInput):
        goals.add_goal(db, title)
    with pytest.raises(InvalidInput):
        goals.rename_goal(db, goal_id, title)
    assert goal_rows(product_path) == before


def test_rename_and_status_change_one_goal(db: Database, product_path: Path) -> None:
    first, second = add_goals(db, "Grow P2P", "Fewer calls")
    changes = goals.rename_goal(db, first, "Grow payments between friends")
    assert changes.entities == {Entity.GOAL: frozenset({first})}
    goals.set_goal_status(db, second, "achieved")
    assert rows(product_path, "SELECT title, status FROM product_goal ORDER BY id") == [
        ("Grow payments between friends", "proposed"),
        ("Fewer calls", "achieved"),
    ]
    with pytest.raises(InvalidInput, match="not a goal status"):
        goals.set_goal_status(db, second, "done")
    with pytest.raises(NotFound):
        goals.rename_goal(db, 999, "Gone")


def test_a_move_writes_one_key_and_undo_writes_it_back(db: Database, product_path: Path) -> None:
    a, _b, c = add_goals(db, "A", "B", "C")
    before = goal_rows(product_path)
    old, changes = goals.move_goal(db, c, -1)
    assert ranked_titles(product_path) == ["A", "C", "B"]
    assert list(old) == [c]
    assert changes.entities == {Entity.GOAL: frozenset({c})}
    after = goal_rows(product_path)
    assert sum(x != y for x, y in zip(before, after, strict=True)) == 1
    goals.set_goal_ranks(db, old)
    assert goal_rows(product_path) == before
    goals.move_goal(db, a, 2)
    assert ranked_titles(product_path) == ["B", "C", "A"]


@pytest.mark.parametrize(("index", "offset", "edge"), [(0, -1, "top"), (2, 1, "bottom")])
def test_a_move_past_the_edge_is_refused(
    db: Database, product_path: Path, index: int, offset: int, edge: str
) -> None:
    ids = add_goals(db, "A", "B", "C")
    before = goal_rows(product_path)
    with pytest.raises(InvalidInput, match=f"already at the {edge}"):
        goals.move_goal(db, ids[index], offset)
    assert goal_rows(product_path) == before


def test_equal_keys_make_a_move_rekey_the_list_and_undo_restores_them(
    db: Database, product_path: Path
) -> None:
    _a, b, c = add_goals(db, "A", "B", "C")
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute("UPDATE product_goal SET rank = 'a0'")  # as a foreign tool might leave it
    before = goal_rows(product_path)
    old, _changes = goals.move_goal(db, c, -1)
    assert ranked_titles(product_path) == ["A", "C", "B"]
    keys = [r[0] for r in rows(product_path, "SELECT rank FROM product_goal ORDER BY rank")]
    assert len(set(keys)) == 3
    assert set(old) == {b, c}  # A keeps "a0", the first fresh key
    goals.set_goal_ranks(db, old)
    assert goal_rows(product_path) == before


def test_a_key_past_64_characters_rekeys(db: Database, product_path: Path) -> None:
    a, b, c = add_goals(db, "A", "B", "C")
    low, high = "a0" + "V" * 70, "a0" + "V" * 70 + "1"
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute("UPDATE product_goal SET rank = ? WHERE id = ?", (low, a))
        conn.execute("UPDATE product_goal SET rank = ? WHERE id = ?", (high, b))
    goals.move_goal(db, c, -1)
    assert ranked_titles(product_path) == ["A", "C", "B"]
    keys = [str(r[0]) for r in rows(product_path, "SELECT rank FROM product_goal")]
    assert all(len(k) <= MAX_KEY_LENGTH for k in keys)


def test_deleting_a_goal_keeps_its_items_and_restoring_relinks_them(
    db: Database, product_path: Path
) -> None:
    keep, drop = add_goals(db, "Keep", "Drop")
    item_ids = [items.add_item(db, items.NewItem(title=f"Story {n}"))[0] for n in range(4)]
    link(product_path, drop, item_ids[0], item_ids[2])
    link(product_path, keep, item_ids[1])
    goals_before, items_before = goal_rows(product_path), item_rows(product_path)

    snapshot, changes = goals.delete_goal(db, drop)
    assert snapshot.item_ids == (item_ids[0], item_ids[2])
    assert changes.entities == {
        Entity.GOAL: frozenset({drop}),
        Entity.ITEM: frozenset({item_ids[0], item_ids[2]}),
    }
    assert [r[0] for r in goal_rows(product_path)] == [keep]
    assert rows(product_path, "SELECT id, goal_id FROM item ORDER BY id") == [
        (item_ids[0], None),
        (item_ids[1], keep),
        (item_ids[2], None),
        (item_ids[3], None),
    ]
    # Losing the link is not an edit: updated_at and version stay as they were.
    unlinked = [r[:10] + r[11:] for r in item_rows(product_path)]
    assert unlinked == [r[:10] + r[11:] for r in items_before]

    goals.restore_goal(db, snapshot)
    assert goal_rows(product_path) == goals_before
    assert item_rows(product_path) == items_before
    with pytest.raises(Conflict):
        goals.restore_goal(db, snapshot)


def test_counts_per_goal(db: Database, product_path: Path) -> None:
    first, second = add_goals(db, "First", "Second")
    item_ids = [items.add_item(db, items.NewItem(title=f"Story {n}"))[0] for n in range(3)]
    link(product_path, second, *item_ids)
    with closing(sqlite3.connect(product_path)) as conn:
        counts = {g.id: g.item_count for g in queries.product_goals(conn)}
    assert counts == {first: 0, second: 3}


# ---------------------------------------------------------------- Definition of Done


def done(path: Path) -> Rows:
    return rows(path, "SELECT id, position, text FROM done_criterion ORDER BY position, id")


def test_done_lines_are_added_edited_reordered_and_deleted(
    db: Database, product_path: Path
) -> None:
    ids = [definitions.add_done_criterion(db, t)[0] for t in ("Reviewed", "Tested", "Shipped")]
    assert done(product_path) == [
        (ids[0], 0, "Reviewed"),
        (ids[1], 1, "Tested"),
        (ids[2], 2, "Shipped"),
    ]
    definitions.edit_done_criterion(db, ids[1], "  Tested on iOS ✓ ")
    before = done(product_path)

    old, changes = definitions.reorder_done_criteria(db, [ids[2], ids[0], ids[1]])
    assert changes.touches(Entity.PRODUCT)
    assert [r[2] for r in done(product_path)] == ["Shipped", "Reviewed", "  Tested on iOS ✓ "]
    definitions.set_done_positions(db, old)
    assert done(product_path) == before

    line, _ = definitions.delete_done_criterion(db, ids[1])
    assert [r[0] for r in done(product_path)] == [ids[0], ids[2]]
    definitions.restore_done_criterion(db, line)
    assert done(product_path) == before


def test_bad_done_edits_are_refused(db: Database, product_path: Path) -> None:
    [line_id] = [definitions.add_done_criterion(db, "Reviewed")[0]]
    before = done(product_path)
    with pytest.raises(InvalidInput, match="needs some text"):
        definitions.add_done_criterion(db, "   ")
    with pytest.raises(InvalidInput, match="at most"):
        definitions.edit_done_criterion(db, line_id, "x" * (definitions.MAX_DONE_TEXT + 1))
    with pytest.raises(InvalidInput, match="changed meanwhile"):
        definitions.reorder_done_criteria(db, [line_id, line_id + 1])
    with pytest.raises(NotFound):
        definitions.delete_done_criterion(db, line_id + 1)
    assert done(product_path) == before


# ---------------------------------------------------------------- Ready rules and scale


def test_a_new_product_has_every_ready_rule_on(product_path: Path) -> None:
    with closing(sqlite3.connect(product_path)) as conn:
        assert ReadyRules.from_row(queries.ready_rules_row(conn)) == ReadyRules()
        assert queries.estimation_scale_row(conn) == ("fibonacci", "")


def test_ready_rules_are_switched_and_the_old_ones_returned(
    db: Database, product_path: Path
) -> None:
    before = product_settings(product_path)
    new = ReadyRules(needs_estimate=False, max_points=13)
    old, changes = definitions.set_ready_rules(db, new)
    assert old == ReadyRules()
    assert changes.touches(Entity.PRODUCT)
    with closing(sqlite3.connect(product_path)) as conn:
        assert ReadyRules.from_row(queries.ready_rules_row(conn)) == new
    definitions.set_ready_rules(db, ReadyRules(max_points=None))
    assert product_settings(product_path)[0][4] is None
    definitions.set_ready_rules(db, old)
    assert product_settings(product_path) == before
    with pytest.raises(InvalidInput, match="between 1 and"):
        definitions.set_ready_rules(db, ReadyRules(max_points=0))


def test_the_scale_is_switched_and_written_back_exactly(db: Database, product_path: Path) -> None:
    with closing(sqlite3.connect(product_path)) as conn, conn:
        conn.execute("UPDATE product SET scale_values = ' '")  # a stored form we would not write
    before = product_settings(product_path)
    old, _ = definitions.set_estimation_scale(db, EstimationScale.tshirt())
    assert old == ("fibonacci", " ")
    assert product_settings(product_path)[0][:2] == (
        "tshirt",
        '{"XS": 1, "S": 2, "M": 3, "L": 5, "XL": 8}',
    )
    definitions.set_estimation_scale(db, EstimationScale.custom([1, 2, 4]))
    assert product_settings(product_path)[0][:2] == ("custom", "[1, 2, 4]")
    definitions.restore_estimation_scale(db, *old)
    assert product_settings(product_path) == before


def test_a_scale_that_skipped_validation_is_refused(db: Database, product_path: Path) -> None:
    before = product_settings(product_path)
    bad = EstimationScale(EstimationScale.custom([1, 2]).kind, (3.0, -1.0))
    with pytest.raises(InvalidInput):
        definitions.set_estimation_scale(db, bad)
    with pytest.raises(InvalidInput):
        definitions.restore_estimation_scale(db, "poker", "")
    assert product_settings(product_path) == before
