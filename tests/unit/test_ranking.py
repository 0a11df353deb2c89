"""Ranking: where moved items land, one rank row per moved item, exact undo, re-keying.

Service tests run on real demo product files and read the results back through a separate
``sqlite3`` connection; what a move wrote is measured by diffing the item table's
``(id, rank)`` pairs before and after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Connection, event

from benchmarks.ranking import RowTally, list_problems
from cspo_desktop.demo import generate_demo
from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.ordering import (
    Anchor,
    block_keys,
    changed_keys,
    fresh_keys,
    in_rank_order,
    reorder,
)
from cspo_desktop.domain.ranking import MAX_KEY_LENGTH
from cspo_desktop.domain.vocabulary import EventKind
from cspo_desktop.persistence.database import Database, StorageError
from cspo_desktop.services import ranking
from cspo_desktop.services.ranking import Move, move_items, write_keys

TODAY = dt.date(2026, 3, 2)
DEMO_ITEMS = 300
ADVERSARIAL_MOVES = 2_000


# ---------------------------------------------------------------- reading the file back


def read(path: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, tuple(params)).fetchall()


def order(path: Path) -> list[int]:
    return [int(i) for (i,) in read(path, "SELECT id FROM item ORDER BY rank, id")]


def ranks(path: Path) -> dict[int, str]:
    return {int(i): str(k) for i, k in read(path, "SELECT id, rank FROM item")}


def stamps(path: Path) -> dict[int, tuple[str, int]]:
    rows = read(path, "SELECT id, updated_at, version FROM item")
    return {int(i): (str(at), int(version)) for i, at, version in rows}


def moved_events(path: Path) -> list[tuple[int, str | None, str | None, str]]:
    """``(item_id, old_value, new_value, at)`` of every ``moved`` event, oldest first."""
    return read(
        path,
        "SELECT item_id, old_value, new_value, at FROM item_event WHERE kind = ? ORDER BY id",
        (EventKind.MOVED.value,),
    )


def digest(path: Path) -> str:
    """A hash over every row of ``item`` and ``item_event``."""
    sha = hashlib.sha256()
    for table in ("item", "item_event"):
        for row in read(path, f"SELECT * FROM {table} ORDER BY id"):
            sha.update(repr(row).encode())
    return sha.hexdigest()


def written(before: dict[int, str], after: dict[int, str]) -> dict[int, str]:
    """The rows whose rank differs between two snapshots, with their new keys."""
    assert before.keys() == after.keys()
    return {item: key for item, key in after.items() if before[item] != key}


def assert_well_formed(path: Path) -> None:
    keys = list(ranks(path).values())
    assert len(set(keys)) == len(keys), "duplicate rank"
    assert max(map(len, keys)) <= MAX_KEY_LENGTH


DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def long_keys(count: int, length: int) -> list[str]:
    """``count`` ascending keys of ``length`` characters; most neighbours leave no room."""
    head = "a0" + "1" * (length - 4)
    keys = [head + high + low for high in DIGITS for low in DIGITS][:count]
    assert len(keys) == count
    return keys


def set_ranks(path: Path, keys: dict[int, str]) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executemany("UPDATE item SET rank = ? WHERE id = ?", [(k, i) for i, k in keys.items()])


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ranking") / "demo.cspo"
    generate_demo(path, items=DEMO_ITEMS, today=TODAY)
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    target = tmp_path / "demo.cspo"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def db(demo_path: Path) -> Iterator[Database]:
    database = Database(demo_path)
    yield database
    database.close()


def count_commits(db: Database) -> list[int]:
    """A list that grows by one element per committed transaction of ``db``."""
    commits: list[int] = []

    @event.listens_for(db.engine, "commit")
    def _count(_conn: Connection) -> None:
        commits.append(1)

    return commits


# ---------------------------------------------------------------- domain: reorder


ABCDE = [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("moved", "anchor", "expected"),
    [
        pytest.param([4], Anchor(after=1), [1, 4, 2, 3, 5], id="after"),
        pytest.param([2], Anchor(before=5), [1, 3, 4, 2, 5], id="before"),
        pytest.param([2], Anchor(), [1, 3, 4, 5, 2], id="end"),
        pytest.param([4], Anchor(before=1), [4, 1, 2, 3, 5], id="before-first"),
        pytest.param([2], Anchor(after=5), [1, 3, 4, 5, 2], id="after-last"),
        pytest.param([5], Anchor(), ABCDE, id="last-to-end"),
        pytest.param([2], Anchor(after=1), ABCDE, id="already-there"),
        pytest.param([5, 2], Anchor(after=3), [1, 3, 5, 2, 4], id="several-in-given-order"),
        pytest.param([1, 3, 5], Anchor(before=2), [1, 3, 5, 2, 4], id="several-before"),
        pytest.param([2, 4], Anchor(), [1, 3, 5, 2, 4], id="several-to-end"),
        pytest.param(ABCDE, Anchor(), ABCDE, id="everything"),
    ],
)
def test_reorder(moved: list[int], anchor: Anchor, expected: list[int]) -> None:
    assert reorder(ABCDE, moved, anchor) == expected


def test_reorder_leaves_its_input_alone() -> None:
    given = list(ABCDE)
    reorder(given, [5], Anchor(after=1))
    assert given == ABCDE


def test_reorder_of_an_empty_list() -> None:
    assert reorder([], [], Anchor()) == []
    assert reorder([], [7], Anchor()) == [7]


def test_an_anchor_is_after_or_before_not_both() -> None:
    with pytest.raises(ValueError, match="not both"):
        Anchor(after=1, before=2)
    assert Anchor() == Anchor(None, None)


# ---------------------------------------------------------------- domain: keys


@pytest.mark.parametrize(
    ("low", "high"),
    [(None, None), ("a0", None), (None, "a0"), ("a0", "a1"), ("Zz", "a0"), ("a0V", "a0W")],
)
@pytest.mark.parametrize("count", [1, 2, 7, 100])
def test_block_keys_ascend_strictly_between_the_neighbours(
    low: str | None, high: str | None, count: int
) -> None:
    keys = block_keys(low, high, count)
    assert keys is not None
    assert len(keys) == count
    assert keys == sorted(keys)
    assert len(set(keys)) == count
    assert low is None or low < keys[0]
    assert high is None or keys[-1] < high


def test_block_keys_of_nothing_is_empty() -> None:
    assert block_keys("a0", "a1", 0) == []


@pytest.mark.parametrize(("low", "high"), [("a1", "a1"), ("a2", "a1"), ("b00", "a9")])
def test_block_keys_is_none_when_the_neighbours_leave_no_room(low: str, high: str) -> None:
    assert block_keys(low, high, 1) is None
    assert block_keys(low, high, 3) is None


def test_block_keys_is_none_past_64_characters() -> None:
    # Adjacent neighbours: the key between them is one character longer than they are.
    at_limit = block_keys("a0" + "1" * 61, "a0" + "1" * 60 + "2", 1)
    assert at_limit is not None
    assert len(at_limit[0]) == MAX_KEY_LENGTH
    assert block_keys("a0" + "1" * 62, "a0" + "1" * 61 + "2", 1) is None


def test_block_keys_is_none_for_keys_the_library_cannot_read() -> None:
    # A damaged or foreign-made key: the list must be re-keyed, not the move crash.
    assert block_keys("x", None, 1) is None
    assert block_keys("a0", "x", 1) is None


def test_fresh_keys_are_short_ascending_and_unique() -> None:
    keys = fresh_keys(list(range(10_000, 0, -1)))
    assert list(keys) == list(range(10_000, 0, -1))
    values = list(keys.values())
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    assert max(map(len, values)) <= 4


def test_in_rank_order_is_bytewise_with_id_tie_break() -> None:
    pairs = [(1, "a0"), (2, "Zz"), (3, "a0"), (4, "A0"), (5, "a0V"), (6, "a1")]
    # Upper case sorts before lower case; equal keys by id.
    assert in_rank_order(pairs) == [4, 2, 1, 3, 5, 6]


def test_changed_keys() -> None:
    assert changed_keys({1: "a0", 2: "a1"}, {1: "a0", 2: "a2", 3: "a3"}) == {2: "a2", 3: "a3"}


# ---------------------------------------------------------------- service: single moves


def anchor_at(current: list[int], kind: str, index: int) -> Anchor:
    if kind == "after":
        return Anchor(after=current[index])
    if kind == "before":
        return Anchor(before=current[index])
    return Anchor()


SINGLE_MOVES = [
    pytest.param(150, "after", 10, id="down-to-after"),
    pytest.param(10, "after", 150, id="up-to-after"),
    pytest.param(150, "before", 10, id="down-to-before"),
    pytest.param(10, "before", 150, id="up-to-before"),
    pytest.param(150, "before", 0, id="before-first"),
    pytest.param(150, "after", -1, id="after-last"),
    pytest.param(0, "end", 0, id="first-to-end"),
    pytest.param(150, "end", 0, id="middle-to-end"),
    pytest.param(-1, "before", 0, id="last-to-top"),
]


@pytest.mark.parametrize(("index", "kind", "anchor_index"), SINGLE_MOVES)
def test_a_single_move_writes_one_rank_and_one_event(
    db: Database, demo_path: Path, index: int, kind: str, anchor_index: int
) -> None:
    start, keys, stamped = order(demo_path), ranks(demo_path), stamps(demo_path)
    events = len(moved_events(demo_path))
    item = start[index]
    anchor = anchor_at(start, kind, anchor_index)
    commits = count_commits(db)

    move, changes = move_items(db, [item], anchor)

    assert order(demo_path) == reorder(start, [item], anchor)
    now = ranks(demo_path)
    assert written(keys, now) == {item: now[item]}
    assert move == Move((item,), {item: keys[item]}, {item: now[item]}, rekeyed=False)
    assert move.changed_anything
    assert changes.ranks == {item: now[item]}
    assert changes.only_reordered
    assert commits == [1]
    # One event, saying where from and where to; only the moved item is stamped.
    [(event_item, old, new, _at)] = moved_events(demo_path)[events:]
    assert (event_item, old, new) == (item, keys[item], now[item])
    restamped = written_stamps(stamped, stamps(demo_path))
    assert list(restamped) == [item]
    assert restamped[item][1] == stamped[item][1] + 1
    assert restamped[item][0] != stamped[item][0]
    assert_well_formed(demo_path)


def written_stamps(
    before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]]
) -> dict[int, tuple[str, int]]:
    return {item: stamp for item, stamp in after.items() if before[item] != stamp}


@pytest.mark.parametrize(
    ("ids", "kind", "anchor_index"),
    [
        pytest.param([250, 3, 120], "after", 40, id="scattered-after"),
        pytest.param([5, 6, 7, 8], "before", 200, id="block-down"),
        pytest.param([280, 5, 140], "before", 0, id="to-the-top"),
        pytest.param([0, 299, 1, 2], "end", 0, id="to-the-end"),
        pytest.param([10, 12], "after", 11, id="around-the-anchor"),
    ],
)
def test_a_multi_move_keeps_relative_order_in_one_transaction(
    db: Database, demo_path: Path, ids: list[int], kind: str, anchor_index: int
) -> None:
    start, keys, stamped = order(demo_path), ranks(demo_path), stamps(demo_path)
    events = len(moved_events(demo_path))
    chosen = [start[i] for i in ids]  # given out of rank order on purpose
    in_order = [item for item in start if item in chosen]
    anchor = anchor_at(start, kind, anchor_index)
    commits = count_commits(db)

    move, changes = move_items(db, chosen, anchor)

    assert move.moved == tuple(in_order)
    assert order(demo_path) == reorder(start, in_order, anchor)
    now = ranks(demo_path)
    # One rank per moved item, none for the others; a moved item that already sat in the
    # landing gap may get its own key again (written, but not changed).
    assert move.before == {item: keys[item] for item in in_order}
    assert move.after == {item: now[item] for item in in_order}
    assert set(written(keys, now)) <= set(in_order)
    assert not move.rekeyed
    assert changes.ranks == move.after
    assert commits == [1]
    new_events = moved_events(demo_path)[events:]
    assert sorted(e[0] for e in new_events) == sorted(in_order)
    assert len({e[3] for e in new_events}) == 1  # one transaction, one time stamp
    assert set(written_stamps(stamped, stamps(demo_path))) == set(in_order)
    assert_well_formed(demo_path)


def test_duplicate_ids_move_once(db: Database, demo_path: Path) -> None:
    start = order(demo_path)
    events = len(moved_events(demo_path))
    move, _ = move_items(db, [start[9], start[9], start[4]], Anchor())
    assert move.moved == (start[4], start[9])
    assert order(demo_path)[-2:] == [start[4], start[9]]
    assert len(moved_events(demo_path)) == events + 2


# ---------------------------------------------------------------- service: what is refused


@pytest.mark.parametrize(
    ("ids", "kind", "anchor_index"),
    [
        pytest.param([20], "after", 19, id="after-its-predecessor"),
        pytest.param([20], "before", 21, id="before-its-successor"),
        pytest.param([-1], "end", 0, id="last-to-end"),
        pytest.param([0], "before", 1, id="first-to-top"),
        pytest.param([20, 21, 22], "after", 19, id="block-in-place"),
        pytest.param([22, 20, 21], "before", 23, id="block-given-shuffled"),
        pytest.param([-3, -2, -1], "end", 0, id="tail-to-end"),
    ],
)
def test_a_move_to_where_the_items_already_are_writes_nothing(
    db: Database, demo_path: Path, ids: list[int], kind: str, anchor_index: int
) -> None:
    start = order(demo_path)
    before = digest(demo_path)
    commits = count_commits(db)
    move, changes = move_items(db, [start[i] for i in ids], anchor_at(start, kind, anchor_index))
    assert not move.changed_anything
    assert move == Move()
    assert not changes.entities
    assert not changes.ranks
    assert digest(demo_path) == before
    assert len(commits) <= 1  # a read-only transaction at most


@pytest.mark.parametrize("kind", ["after", "before"])
def test_moving_next_to_itself_is_refused(db: Database, demo_path: Path, kind: str) -> None:
    start = order(demo_path)
    before = digest(demo_path)
    with pytest.raises(InvalidInput, match="themselves"):
        move_items(db, [start[5], start[9]], anchor_at(start, kind, 9))
    assert digest(demo_path) == before


def test_moving_nothing_is_refused(db: Database, demo_path: Path) -> None:
    before = digest(demo_path)
    with pytest.raises(InvalidInput):
        move_items(db, [], Anchor())
    assert digest(demo_path) == before


@pytest.mark.parametrize("where", ["moved", "anchor-after", "anchor-before"])
def test_a_missing_item_is_not_found_and_nothing_changes(
    db: Database, demo_path: Path, where: str
) -> None:
    start = order(demo_path)
    missing = max(start) + 1
    before = digest(demo_path)
    ids, anchor = [start[3], missing], Anchor(after=start[100])
    if where == "anchor-after":
        ids, anchor = [start[3]], Anchor(after=missing)
    elif where == "anchor-before":
        ids, anchor = [start[3]], Anchor(before=missing)
    with pytest.raises(NotFound):
        move_items(db, ids, anchor)
    assert digest(demo_path) == before
    # The connection is still usable.
    move_items(db, [start[3]], Anchor())
    assert order(demo_path)[-1] == start[3]


def test_writing_keys_of_a_missing_item_is_not_found(db: Database, demo_path: Path) -> None:
    start = order(demo_path)
    keys = ranks(demo_path)
    before = digest(demo_path)
    with pytest.raises(NotFound):
        write_keys(db, {start[0]: keys[start[1]] + "V", max(start) + 1: "a0"}, [start[0]])
    assert digest(demo_path) == before


# ---------------------------------------------------------------- service: undo and redo


def test_undo_restores_every_key_and_redo_the_new_ones(db: Database, demo_path: Path) -> None:
    start, keys = order(demo_path), ranks(demo_path)
    move, _ = move_items(db, [start[7], start[100], start[3]], Anchor(before=start[50]))
    moved_keys, moved_order = ranks(demo_path), order(demo_path)
    events = len(moved_events(demo_path))

    undone = write_keys(db, move.before, move.moved)
    assert ranks(demo_path) == keys
    assert order(demo_path) == start
    assert undone.ranks == move.before
    assert len(moved_events(demo_path)) == events + 3  # undo appends, never deletes

    redone = write_keys(db, move.after, move.moved)
    assert ranks(demo_path) == moved_keys
    assert order(demo_path) == moved_order
    assert redone.ranks == move.after
    assert len(moved_events(demo_path)) == events + 6


# ---------------------------------------------------------------- service: re-keying


Snapshot = tuple[list[int], dict[int, str], dict[int, tuple[str, int]]]


def snapshot(conn: sqlite3.Connection) -> Snapshot:
    """The list order, every rank and every edit stamp, read in one query."""
    rows = conn.execute("SELECT id, rank, updated_at, version FROM item ORDER BY rank, id")
    table = [(int(i), str(k), (str(at), int(v))) for i, k, at, v in rows]
    return [i for i, _, _ in table], {i: k for i, k, _ in table}, {i: s for i, _, s in table}


def test_adversarial_same_spot_moves_re_key_rarely_and_undo_exactly(
    db: Database, demo_path: Path
) -> None:
    events = len(moved_events(demo_path))
    rekeys = 0
    with closing(sqlite3.connect(demo_path)) as reader:
        model, keys, stamped = snapshot(reader)
        for _ in range(ADVERSARIAL_MOVES):
            top, bottom = model[0], model[-1]
            anchor = Anchor(after=top)
            move, changes = move_items(db, [bottom], anchor)
            model = reorder(model, [bottom], anchor)
            now_order, now, now_stamps = snapshot(reader)
            rows = written(keys, now)
            assert now_order == model
            assert len(set(now.values())) == len(now), "duplicate rank"
            assert max(map(len, now.values())) <= MAX_KEY_LENGTH
            assert move.moved == (bottom,)
            assert move.after == rows
            assert move.before == {item: keys[item] for item in rows}
            assert changes.ranks == rows
            # Only the moved item is an edit; re-keyed bystanders keep their stamps.
            assert list(written_stamps(stamped, now_stamps)) == [bottom]
            if move.rekeyed:
                rekeys += 1
                assert len(rows) > 1
                # Undo restores every old key, redo every new one.
                write_keys(db, move.before, move.moved)
                assert snapshot(reader)[1] == keys
                write_keys(db, move.after, move.moved)
                now_order, again, now_stamps = snapshot(reader)
                assert (now_order, again) == (model, now)
            else:
                assert list(rows) == [bottom], "a move writes exactly one rank"
            keys, stamped = now, now_stamps
    # About one character per six same-spot inserts: 64 characters last some 370 moves.
    assert 1 <= rekeys <= ADVERSARIAL_MOVES // 250
    # One event per move (and one per undo and redo of a re-keying move), none per re-key row.
    assert len(moved_events(demo_path)) == events + ADVERSARIAL_MOVES + 2 * rekeys


def test_a_list_near_the_key_limit_re_keys_within_the_move(db: Database, demo_path: Path) -> None:
    start, stamped = order(demo_path), stamps(demo_path)
    # Keys of 64 characters: nothing fits between the first two without a longer key.
    set_ranks(demo_path, dict(zip(start, long_keys(len(start), MAX_KEY_LENGTH), strict=True)))
    assert order(demo_path) == start
    keys, events = ranks(demo_path), len(moved_events(demo_path))
    assert block_keys(keys[start[0]], keys[start[1]], 1) is None
    anchor, item = Anchor(after=start[0]), start[-1]

    move, _ = move_items(db, [item], anchor)

    assert move.rekeyed
    assert order(demo_path) == reorder(start, [item], anchor)
    now = ranks(demo_path)
    assert max(map(len, now.values())) <= 4
    assert move.after == written(keys, now)
    assert [e[0] for e in moved_events(demo_path)[events:]] == [item]
    assert list(written_stamps(stamped, stamps(demo_path))) == [item]
    write_keys(db, move.before, move.moved)
    assert ranks(demo_path) == keys


def test_a_damaged_list_with_equal_keys_is_re_keyed_by_the_move(
    db: Database, demo_path: Path
) -> None:
    start = order(demo_path)
    first, second, third = min(start[:2]), max(start[:2]), start[2]
    # Two items share a key; the third has the very key a re-key gives it after the move.
    set_ranks(demo_path, {first: "a0", second: "a0", third: "a1"})
    current = order(demo_path)
    assert current[:3] == [first, second, third]
    stamped, events = stamps(demo_path), len(moved_events(demo_path))
    move, _ = move_items(db, [third], Anchor(after=first))
    assert move.rekeyed
    assert order(demo_path) == reorder(current, [third], Anchor(after=first))
    assert_well_formed(demo_path)
    # The moved item moved: it gets its event and its stamp although its key came out equal.
    assert [e[0] for e in moved_events(demo_path)[events:]] == [third]
    assert list(written_stamps(stamped, stamps(demo_path))) == [third]
    assert move.before[third] == move.after[third] == "a1"


def test_a_foreign_key_is_re_keyed_by_the_move(db: Database, demo_path: Path) -> None:
    start = order(demo_path)
    set_ranks(demo_path, {start[-1]: "x"})  # not a fractional-indexing key
    current = order(demo_path)
    move, _ = move_items(db, [start[5]], Anchor(after=start[-1]))
    assert move.rekeyed
    assert order(demo_path) == reorder(current, [start[5]], Anchor(after=start[-1]))
    assert_well_formed(demo_path)


# ---------------------------------------------------------------- service: atomicity


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param((OSError("disk I/O error"), OSError), id="any-error"),
        pytest.param((sqlite3.OperationalError("disk I/O error"), StorageError), id="sqlite-error"),
    ],
)
@pytest.mark.parametrize("rekey", [False, True], ids=["plain", "re-keying"])
def test_a_failure_inside_the_move_leaves_the_file_unchanged(
    db: Database,
    demo_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rekey: bool,
    failure: tuple[Exception, type[Exception]],
) -> None:
    raised, reported = failure
    start = order(demo_path)
    anchor = Anchor(after=min(start[:2]))
    if rekey:  # two equal keys leave no room
        set_ranks(demo_path, {start[0]: "a0", start[1]: "a0"})
    before = digest(demo_path)
    original = ranking._write

    def write_then_fail(
        conn: sqlite3.Connection, keys: dict[int, str], moved: list[int], old: dict[int, str]
    ) -> None:
        original(conn, keys, moved, old)
        raise raised

    monkeypatch.setattr(ranking, "_write", write_then_fail)
    with pytest.raises(reported, match="disk I/O"):
        move_items(db, [start[200], start[201]], anchor)
    with pytest.raises(reported, match="disk I/O"):
        write_keys(db, {start[5]: ranks(demo_path)[start[4]] + "V"}, [start[5]])
    assert digest(demo_path) == before

    monkeypatch.setattr(ranking, "_write", original)
    move, _ = move_items(db, [start[200], start[201]], anchor)
    assert move.rekeyed == rekey
    assert digest(demo_path) != before


# ---------------------------------------------------------------- state machine


class RankingMachine(RuleBasedStateMachine):
    """Moves, undo and redo against a Python model of the list (``domain.ordering.reorder``)."""

    def __init__(self, template: Path) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="cspo-ranking-"))
        self.path = self.folder / "machine.cspo"
        shutil.copyfile(template, self.path)
        self.db = Database(self.path)
        self.model = order(self.path)
        self.start = ranks(self.path)
        self.done: list[tuple[Move, list[int], list[int]]] = []  # move, order before, after
        self.undone: list[tuple[Move, list[int], list[int]]] = []
        self.consistent = True  # no step has failed: the final undo check is meaningful

    def teardown(self) -> None:
        try:
            if self.consistent:
                self.undo_everything()
        finally:
            self.db.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _anchor(self, kind: str, pick: int) -> Anchor:
        if kind == "end":
            return Anchor()
        if kind == "top":
            return Anchor(before=self.model[0])
        target = self.model[pick % len(self.model)]
        return Anchor(after=target) if kind == "after" else Anchor(before=target)

    def _move(self, chosen: list[int], anchor: Anchor) -> None:
        self.consistent = False
        target = anchor.after if anchor.after is not None else anchor.before
        if target in chosen:
            before = digest(self.path)
            with pytest.raises(InvalidInput):
                move_items(self.db, chosen, anchor)
            assert digest(self.path) == before
            return
        in_order = [item for item in self.model if item in set(chosen)]
        expected = reorder(self.model, in_order, anchor)
        keys = ranks(self.path)
        move, _ = move_items(self.db, chosen, anchor)
        now = ranks(self.path)
        assert move.changed_anything == (expected != self.model)
        if not move.changed_anything:
            assert now == keys
            return
        assert move.moved == tuple(in_order)
        assert set(written(keys, now)) <= set(move.after)
        assert move.after == {item: now[item] for item in move.after}
        assert move.before == {item: keys[item] for item in move.after}
        assert set(in_order) <= set(move.after)
        if not move.rekeyed:
            assert set(move.after) == set(in_order), "one rank per moved item"
        self.done.append((move, self.model, expected))
        self.undone.clear()
        self.model = expected

    @rule(
        pick=st.integers(0, 10_000),
        kind=st.sampled_from(["after", "before", "end", "top"]),
        at=st.integers(0, 10_000),
    )
    def move_one(self, pick: int, kind: str, at: int) -> None:
        item = self.model[pick % len(self.model)]
        self._move([item], self._anchor(kind, at))

    @rule(
        picks=st.lists(st.integers(0, 10_000), min_size=2, max_size=8),
        kind=st.sampled_from(["after", "before", "end", "top"]),
        at=st.integers(0, 10_000),
    )
    def move_several(self, picks: list[int], kind: str, at: int) -> None:
        chosen = [self.model[p % len(self.model)] for p in picks]
        self._move(chosen, self._anchor(kind, at))

    @rule(times=st.integers(1, 12))
    def bottom_after_top(self, times: int) -> None:
        for _ in range(times):
            self._move([self.model[-1]], Anchor(after=self.model[0]))

    @precondition(lambda self: bool(self.done))
    @rule()
    def undo(self) -> None:
        self.consistent = False
        move, previous, following = self.done.pop()
        write_keys(self.db, move.before, move.moved)
        self.model = previous
        self.undone.append((move, previous, following))

    @precondition(lambda self: bool(self.undone))
    @rule()
    def redo(self) -> None:
        self.consistent = False
        move, previous, following = self.undone.pop()
        write_keys(self.db, move.after, move.moved)
        self.model = following
        self.done.append((move, previous, following))

    @rule()
    def undo_everything(self) -> None:
        while self.done:
            self.undo()
        assert ranks(self.path) == self.start

    @invariant()
    def database_matches_the_model(self) -> None:
        assert order(self.path) == self.model
        assert_well_formed(self.path)
        self.consistent = True


def run_machine(template: Path) -> None:
    class Machine(RankingMachine):
        def __init__(self) -> None:
            super().__init__(template)

    run_state_machine_as_test(
        Machine,
        settings=settings(max_examples=15, stateful_step_count=25, deadline=None, database=None),
    )


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("machine") / "small.cspo"
    generate_demo(path, items=40, today=TODAY)
    return path


def test_state_machine_short_keys(small_template: Path) -> None:
    run_machine(small_template)


def test_state_machine_keys_near_the_limit(small_template: Path, tmp_path: Path) -> None:
    # Keys of 62 characters: a few same-spot moves force a re-key.
    path = tmp_path / "long.cspo"
    shutil.copyfile(small_template, path)
    current = order(path)
    set_ranks(path, dict(zip(current, long_keys(len(current), 62), strict=True)))
    assert order(path) == current
    run_machine(path)


# ---------------------------------------------------------------- cost per move, structurally


def vm_steps(db: Database, ids: list[int], anchor: Anchor) -> int:
    """SQLite virtual-machine progress ticks spent by one move (a structural cost counter)."""
    ticks = [0]
    connections: list[sqlite3.Connection] = []

    def tick() -> int:
        ticks[0] += 1
        return 0

    def install(_conn: Connection, cursor: Any, *_args: Any) -> None:
        raw: sqlite3.Connection = cursor.connection
        raw.set_progress_handler(tick, 1)
        connections.append(raw)

    event.listen(db.engine, "before_cursor_execute", install)
    try:
        move_items(db, ids, anchor)
    finally:
        event.remove(db.engine, "before_cursor_execute", install)
        for raw in connections:
            raw.set_progress_handler(None, 1)
    return ticks[0]


def test_a_move_costs_the_same_wherever_it_lands(db: Database, demo_path: Path) -> None:
    # The neighbour look-ups must search the rank index, not scan it: landing near the far end
    # of the list costs what landing near the near end does.
    start = order(demo_path)
    item = start[150]
    near_after = vm_steps(db, [item], Anchor(after=start[3]))
    far_after = vm_steps(db, [item], Anchor(after=start[-3]))
    near_before = vm_steps(db, [item], Anchor(before=start[-3]))
    far_before = vm_steps(db, [item], Anchor(before=start[3]))
    assert order(demo_path) == reorder(start, [item], Anchor(before=start[3]))
    assert far_after <= 1.5 * near_after
    assert far_before <= 1.5 * near_before


# ---------------------------------------------------------------- benchmark bookkeeping


def test_row_tally_counts_moved_rows_and_leaves_re_key_rows_out() -> None:
    tally = RowTally()
    tally.record([1], [1], rekeyed=False, placed=True)
    tally.record([2], [], rekeyed=False, placed=False)  # a no-op
    tally.record([3], [3, 4, 5, 6], rekeyed=True, placed=True)
    tally.record([7], [4], rekeyed=True, placed=True)  # the moved item kept its key
    assert (tally.moves, tally.moved_items, tally.counted) == (4, 3, 2)
    assert (tally.rekeys, tally.rekey_rows) == (2, 4)
    assert tally.writes_per_moved_item == pytest.approx(2 / 3)
    assert tally.rekeys_per_thousand == 500
    assert not tally.problems


def test_row_tally_flags_bystander_writes_without_a_re_key() -> None:
    assert RowTally().writes_per_moved_item is None
    tally = RowTally()
    tally.record([1], [1, 2], rekeyed=False, placed=True)
    tally.record([3], [3], rekeyed=False, placed=False)
    assert tally.counted == 3
    assert tally.writes_per_moved_item == 3
    assert len(tally.problems) == 2


def test_list_problems(demo_path: Path) -> None:
    start = order(demo_path)
    with closing(sqlite3.connect(demo_path)) as conn:
        assert list_problems(conn, start) == []
        assert list_problems(conn, start[::-1]) == ["the stored order differs from the model order"]
    set_ranks(demo_path, {start[0]: "a0", start[1]: "a0", start[2]: "a0" + "V" * 70})
    with closing(sqlite3.connect(demo_path)) as conn:
        found = list_problems(conn, order(demo_path))
    assert found == ["1 duplicate ranks", "a key of 72 characters"]
