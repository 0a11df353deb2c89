"""The demo product: deterministic, believable, consistent, and fast enough for 100,000 items."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from cspo_desktop.cli import main
from cspo_desktop.demo import DemoSummary, generate_demo
from cspo_desktop.domain.readiness import ReadyRules
from cspo_desktop.persistence import queries

TODAY = dt.date(2025, 3, 12)  # a Wednesday: the active sprint began on Monday
FIBONACCI = {1.0, 2.0, 3.0, 5.0, 8.0, 13.0}
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")

Rows = list[tuple[Any, ...]]


def dump(path: Path) -> dict[str, Rows]:
    """Every row of every table, in storage order."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def rows(path: Path, sql: str, *params: object) -> Rows:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def has_cycle(edges: Rows) -> bool:
    """Whether the ``(item, other)`` edges hold a cycle (an iterative depth-first search)."""
    graph: dict[int, list[int]] = {}
    for item, other in edges:
        graph.setdefault(item, []).append(other)
    state: dict[int, int] = {}  # 1: on the current path, 2: finished
    for start, others in graph.items():
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(others))]
        while stack:
            node, todo = stack[-1]
            nxt = next(todo, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return True
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(graph.get(nxt, ()))))
    return False


def details(path: Path) -> dict[str, Rows]:
    """The demo's questions, links and MoSCoW / priority values."""
    return {
        "question": rows(path, "SELECT * FROM question ORDER BY id"),
        "item_link": rows(path, "SELECT * FROM item_link ORDER BY id"),
        "classes": rows(path, "SELECT id, moscow, priority FROM item ORDER BY id"),
    }


def backlog_json(path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["--data-dir", str(data), "backlog", str(path), "--json"]) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo (150 items: 8 epics, 142 below them; seed 7), generated once."""
    path = tmp_path_factory.mktemp("demo") / "pocket.cspo"
    generate_demo(path, today=TODAY)
    return path


# ---------------------------------------------------------------- determinism


def test_the_same_seed_and_day_give_the_same_product(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, other = tmp_path / "a.cspo", tmp_path / "b.cspo", tmp_path / "c.cspo"
    generate_demo(first, seed=11, today=TODAY)
    generate_demo(second, seed=11, today=TODAY)
    generate_demo(other, seed=12, today=TODAY)

    assert dump(first) == dump(second)
    assert dump(first) != dump(other)
    data = tmp_path / "data"
    assert backlog_json(first, data, capsys) == backlog_json(second, data, capsys)
    assert backlog_json(first, data, capsys) != backlog_json(other, data, capsys)


def test_the_sprints_follow_today(tmp_path: Path) -> None:
    for offset in range(7):
        today = TODAY + dt.timedelta(days=offset)
        path = tmp_path / f"{today.isoformat()}.cspo"
        generate_demo(path, items=40, today=today)
        (start, end), *_ = rows(
            path, "SELECT start_date, end_date FROM sprint WHERE state = 'active'"
        )
        assert start <= today.isoformat() <= end
        (latest,), *_ = rows(path, "SELECT max(at) FROM item_event")
        assert latest < today.isoformat(), "nothing happened later than yesterday"


def test_today_defaults_to_the_utc_date(tmp_path: Path) -> None:
    path = tmp_path / "now.cspo"
    generate_demo(path, items=20)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    (start, end), *_ = rows(path, "SELECT start_date, end_date FROM sprint WHERE state = 'active'")
    assert start <= today <= end


# ---------------------------------------------------------------- content


def test_the_summary_reads_like_a_sentence(tmp_path: Path) -> None:
    assert str(DemoSummary(150, 8, 3, 7)) == "150 stories, 8 epics, 3 product goals, 7 sprints"
    assert str(DemoSummary(1, 1, 1, 1)) == "1 story, 1 epic, 1 product goal, 1 sprint"
    assert str(generate_demo(tmp_path / "s.cspo", items=12, today=TODAY)).startswith(
        "11 stories, 1 epic,"
    )


def test_the_default_demo_has_the_documented_counts(demo: Path) -> None:
    types: dict[str, int] = dict(rows(demo, "SELECT type, count(*) FROM item GROUP BY type"))
    assert types["epic"] == 8
    assert sum(types.values()) == 150
    assert types["epic"] == 8
    assert types["story"] > 120
    assert {"bug", "spike", "chore"} <= types.keys()
    goals = rows(demo, "SELECT status FROM product_goal ORDER BY rank")
    assert [g[0] for g in goals] == ["active", "active", "proposed"]
    sprints = rows(demo, "SELECT name, state, goal FROM sprint ORDER BY id")
    assert [s[0] for s in sprints] == [f"Sprint {n}" for n in range(1, 8)]
    assert [s[1] for s in sprints] == ["closed"] * 6 + ["active"]
    assert all(len(s[2]) > 20 for s in sprints)
    assert len(rows(demo, "SELECT * FROM done_criterion")) == 6


def test_the_product_has_a_filled_vision_board(demo: Path) -> None:
    with closing(sqlite3.connect(demo)) as conn:
        summary = queries.product_summary(conn)
    assert summary.name == "Pocket Bank"
    assert summary.key_prefix == "PAY"
    assert summary.estimation_scale == "fibonacci"
    for pane in (
        summary.vision_target_group,
        summary.vision_needs,
        summary.vision_product,
        summary.vision_business_goals,
    ):
        assert pane.count(". ") >= 2, "several real sentences"
    (next_number,), *_ = rows(demo, "SELECT next_item_number FROM product")
    assert next_number == summary.item_count + 1 == 151


def test_every_item_below_the_epics_has_two_to_five_criteria(demo: Path) -> None:
    criteria: dict[int, list[int]] = {}
    for item_id, position in rows(
        demo, "SELECT item_id, position FROM acceptance_criterion ORDER BY item_id, position"
    ):
        criteria.setdefault(item_id, []).append(position)
    items = [r[0] for r in rows(demo, "SELECT id FROM item WHERE type != 'epic'")]
    assert len(items) == 142
    for item_id in items:
        positions = criteria[item_id]
        assert 2 <= len(positions) <= 5
        assert positions == list(range(len(positions)))


def test_keys_number_the_items_in_creation_order(demo: Path) -> None:
    found = rows(demo, "SELECT id, key, created_at FROM item ORDER BY id")
    assert [key for _id, key, _at in found] == [f"PAY-{n}" for n in range(1, 151)]
    assert [i for i, _key, _at in found] == list(range(1, 151))
    created = [at for _id, _key, at in found]
    assert created[8:] == sorted(created[8:])
    assert max(created[:8]) <= min(created[8:])


def test_titles_read_like_a_real_backlog(demo: Path) -> None:
    found = rows(demo, "SELECT type, title, description FROM item")
    titles = [title for _type, title, _text in found]
    assert len(set(titles)) == len(titles)
    assert not [t for t in titles if re.search(r"Item \d+", t)]
    assert all(t[0].isupper() for t in titles)
    assert all(len(title.split()) >= 3 for kind, title, _text in found if kind != "epic")
    stories = [text for kind, _title, text in found if kind == "story"]
    assert all(re.match(r"As an? .+, I want to .+ so that .+\.", text) for text in stories)


def test_points_values_and_labels(demo: Path) -> None:
    found = rows(demo, "SELECT points, business_value, labels FROM item WHERE type != 'epic'")
    points = [p for p, _v, _l in found]
    assert {p for p in points if p is not None} <= FIBONACCI
    assert 3 <= points.count(None) <= 35  # about 10%, and the Inbox is unestimated
    values = [v for _p, v, _l in found if v is not None]
    assert len(values) >= 120
    assert all(1 <= v <= 20 for v in values)
    for _p, _v, labels in found:
        parsed = json.loads(labels)
        assert parsed
        assert all(isinstance(label, str) for label in parsed)
        assert labels == json.dumps(parsed, ensure_ascii=False)


def test_parents_goals_blocked_and_inbox(demo: Path) -> None:
    epics = {r[0] for r in rows(demo, "SELECT id FROM item WHERE type = 'epic'")}
    found = rows(
        demo,
        "SELECT parent_id, goal_id, blocked, blocked_note, segment, status FROM item "
        "WHERE type != 'epic'",
    )
    assert all(parent in epics for parent, *_ in found)
    orphans = sum(1 for _p, goal, *_ in found if goal is None)
    assert 1 <= orphans <= 15
    blocked = [(note, status) for _p, _g, flag, note, _s, status in found if flag]
    assert 1 <= len(blocked) <= 15
    assert all(note and status != "done" for note, status in blocked)
    inbox = [status for *_, segment, status in found if segment == "inbox"]
    assert 3 <= len(inbox) <= 5
    assert set(inbox) == {"todo"}
    assert rows(demo, "SELECT count(*) FROM item WHERE type = 'epic' AND goal_id IS NULL") == [(0,)]


def test_closed_sprints_hold_done_work_and_the_active_one_a_mix(demo: Path) -> None:
    sprints = rows(demo, "SELECT id, state, start_date, end_date FROM sprint ORDER BY id")
    for sprint_id, state, start, end in sprints:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        assert first.weekday() == 0
        assert (last - first).days == 11  # Monday of week one to Friday of week two
        statuses: Counter[str] = Counter(
            dict(
                rows(
                    demo,
                    "SELECT status, count(*) FROM item WHERE sprint_id = ? GROUP BY 1",
                    sprint_id,
                )
            )
        )
        (points,), *_ = rows(demo, "SELECT sum(points) FROM item WHERE sprint_id = ?", sprint_id)
        assert 15 <= points <= 32
        if state == "closed":
            assert set(statuses) == {"done"}
        else:
            assert set(statuses) == {"todo", "in_progress", "done"}
    velocities = rows(demo, "SELECT sum(points) FROM item WHERE sprint_id < 7 GROUP BY sprint_id")
    assert len({v[0] for v in velocities}) >= 3, "velocity varies"
    assert rows(
        demo,
        "SELECT count(*) FROM item WHERE sprint_id IS NULL AND status != 'todo' AND type != 'epic'",
    ) == [(0,)]


def test_ranks_put_epics_the_sprint_the_backlog_by_value_then_done_work(demo: Path) -> None:
    ranks = [r[0] for r in rows(demo, "SELECT rank FROM item")]
    assert len(set(ranks)) == len(ranks) == 150
    found = rows(
        demo,
        "SELECT type, sprint_id, segment, business_value, status FROM item ORDER BY rank, id",
    )
    groups = []
    for kind, sprint, segment, _value, _status in found:
        if kind == "epic":
            groups.append("epics")
        elif sprint == 7:
            groups.append("sprint")
        elif sprint is not None:
            groups.append("done")
        else:
            groups.append(segment)
    order = ["epics", "sprint", "backlog", "inbox", "done"]
    assert groups == sorted(groups, key=order.index)
    assert groups.count("epics") == 8
    backlog = [
        value or 0
        for kind, sprint, segment, value, _s in found
        if sprint is None and segment == "backlog" and kind != "epic"
    ]
    assert backlog == sorted(backlog, reverse=True)
    sprint = [status for _k, s, _seg, _v, status in found if s == 7]
    assert sprint[0] == "done"
    assert sprint[-1] == "todo"


def test_the_history_tells_each_item_story(demo: Path) -> None:
    events: dict[int, Rows] = {}
    for item_id, at, kind, old, new, sprint in rows(
        demo,
        "SELECT item_id, at, kind, old_value, new_value, sprint_id FROM item_event ORDER BY id",
    ):
        assert STAMP.fullmatch(at)
        events.setdefault(item_id, []).append((at, kind, old, new, sprint))
    items = rows(
        demo, "SELECT id, title, status, sprint_id, created_at, updated_at, version FROM item"
    )
    for item_id, title, status, sprint, created, updated, version in items:
        history = events[item_id]
        assert history[0] == (created, "created", None, title, None)
        assert [e[0] for e in history] == sorted(e[0] for e in history)
        assert updated == history[-1][0]
        assert version == len(history)
        steps = [(old, new) for _at, kind, old, new, _s in history if kind == "status"]
        if sprint is not None:
            joined = [e for e in history if e[1] == "sprint"]
            assert [(e[3], e[4]) for e in joined] == [(str(sprint), sprint)]
            assert joined[0][0] <= min((e[0] for e in history if e[1] == "status"), default="~")
            flow = {"todo": [], "in_progress": [("todo", "in_progress")]}
            assert steps == flow.get(status, [("todo", "in_progress"), ("in_progress", "done")])
    kinds = Counter(r[0] for r in rows(demo, "SELECT kind FROM item_event"))
    assert kinds["created"] == 150
    assert kinds["points"] >= 1
    assert kinds["scope"] >= 1
    for stamp_sql in (
        "SELECT created_at FROM product UNION ALL SELECT updated_at FROM product",
        "SELECT created_at FROM product_goal UNION ALL SELECT created_at FROM sprint",
    ):
        assert all(STAMP.fullmatch(r[0]) for r in rows(demo, stamp_sql))


def test_scope_changes_happen_after_the_sprint_started(demo: Path) -> None:
    found = rows(
        demo,
        "SELECT e.at, s.start_date FROM item_event AS e JOIN sprint AS s ON s.id = e.sprint_id "
        "WHERE e.kind = 'scope'",
    )
    assert found
    assert all(at[:10] > start for at, start in found)


def test_the_file_is_intact(demo: Path) -> None:
    assert rows(demo, "PRAGMA foreign_key_check") == []
    assert rows(demo, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("count", [0, 1, 5])
def test_tiny_demos_are_still_consistent(tmp_path: Path, count: int) -> None:
    path = tmp_path / "tiny.cspo"
    generate_demo(path, items=count, today=TODAY)
    assert rows(path, "SELECT count(*) FROM item") == [(count,)]
    assert rows(path, "SELECT count(*) FROM sprint") == [(7,)]
    assert rows(path, "PRAGMA foreign_key_check") == []


def test_a_demo_replaces_the_file_at_its_path(tmp_path: Path) -> None:
    path = tmp_path / "again.cspo"
    generate_demo(path, items=30, today=TODAY)
    generate_demo(path, items=10, today=TODAY)
    assert rows(path, "SELECT count(*) FROM item") == [(10,)]


# ---------------------------------------------------------------- questions, links, MoSCoW


def test_the_same_seed_gives_the_same_questions_and_links(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.cspo", tmp_path / "b.cspo", tmp_path / "c.cspo"
    for path, seed in ((first, 3), (second, 3), (other, 4)):
        generate_demo(path, items=120, seed=seed, today=TODAY)
    assert details(first) == details(second)
    assert details(first)["question"]
    assert details(first)["item_link"]
    assert details(first) != details(other)


def test_unfinished_stories_have_open_and_answered_questions(demo: Path) -> None:
    found = rows(
        demo,
        "SELECT q.item_id, q.position, q.text, q.asked_by, q.answer, q.answered_at, "
        "q.created_at, i.type, i.status, i.segment, i.sprint_id, i.created_at "
        "FROM question AS q JOIN item AS i ON i.id = q.item_id ORDER BY q.id",
    )
    answered = [r for r in found if r[5] is not None]
    still_open = [r for r in found if r[5] is None]
    assert len(answered) >= 3
    assert len(still_open) >= 3
    positions: dict[int, list[int]] = {}
    for item, position, text, asked_by, answer, answered_at, created, *rest in found:
        kind, status, segment, sprint, item_created = rest
        assert (kind, segment) == ("story", "backlog")
        assert status != "done"
        assert text.endswith("?")
        assert re.fullmatch(r"\w+ \((dev|QA|UX)\)", asked_by)
        assert STAMP.fullmatch(created)
        assert item_created <= created < TODAY.isoformat()
        if answered_at is None:
            assert answer == ""
            assert sprint is None, "the sprint's questions were answered before planning"
        else:
            assert answer
            assert STAMP.fullmatch(answered_at)
            assert created <= answered_at < TODAY.isoformat()
        positions.setdefault(item, []).append(position)
    assert all(sorted(p) == list(range(len(p))) for p in positions.values())
    assert {len(p) for p in positions.values()} == {1, 2}
    (stories,), *_ = rows(
        demo,
        "SELECT count(*) FROM item WHERE type = 'story' AND status != 'done' "
        "AND segment = 'backlog'",
    )
    assert stories / 12 <= len(positions) <= stories / 3, "about one in six"


def test_dependencies_never_form_a_cycle(demo: Path) -> None:
    found = rows(
        demo,
        "SELECT l.item_id, l.other_id, i.status, o.status, o.type, l.created_at "
        "FROM item_link AS l JOIN item AS i ON i.id = l.item_id "
        "JOIN item AS o ON o.id = l.other_id WHERE l.kind = 'depends_on'",
    )
    assert found
    assert all(item != other for item, other, *_ in found)
    assert all(status != "done" for _i, _o, status, *_ in found), "done work waits for nothing"
    assert all(kind != "epic" for *_, kind, _at in found)
    assert all(STAMP.fullmatch(at) and at < TODAY.isoformat() for *_, at in found)
    targets = Counter(other_status == "done" for _i, _o, _s, other_status, *_ in found)
    assert targets[True] >= 1, "some depend on done work"
    assert targets[False] >= 1, "some on unfinished work"
    assert not has_cycle([(item, other) for item, other, *_ in found])
    assert has_cycle([(1, 2), (2, 3), (3, 1)])
    assert not has_cycle([(1, 2), (2, 3), (1, 3)])
    unfinished = rows(
        demo,
        "SELECT i.rank, o.rank FROM item_link AS l JOIN item AS i ON i.id = l.item_id "
        "JOIN item AS o ON o.id = l.other_id WHERE l.kind = 'depends_on' AND o.status != 'done'",
    )
    assert all(other < item for item, other in unfinished), "unfinished work ranks above"


def test_some_stories_were_split_from_another(demo: Path) -> None:
    found = rows(
        demo,
        "SELECT l.item_id, l.other_id, i.parent_id, o.parent_id, l.created_at, i.created_at "
        "FROM item_link AS l JOIN item AS i ON i.id = l.item_id "
        "JOIN item AS o ON o.id = l.other_id WHERE l.kind = 'split_from'",
    )
    assert len(found) >= 2
    for item, other, parent, other_parent, at, created in found:
        assert other < item, "a story is split from an older one"
        assert parent == other_parent
        assert at == created, "the split created it"


def test_moscow_and_priority(demo: Path) -> None:
    found = rows(
        demo,
        "SELECT type, segment, sprint_id, moscow, priority FROM item ORDER BY rank, id",
    )
    assert all(m is None for kind, _seg, _s, m, _p in found if kind == "epic")
    assert all(m is None and p is None for _k, segment, _s, m, p in found if segment == "inbox")
    backlog = [
        m
        for kind, seg, sprint, m, _p in found
        if kind != "epic" and seg == "backlog" and not sprint
    ]
    assert {m for m in backlog if m} == {"must", "should", "could", "wont"}
    assert sum(1 for m in backlog if m) >= 0.7 * len(backlog), "most have a class"
    half = len(backlog) // 2
    top, bottom = Counter(backlog[:half]), Counter(backlog[half:])
    assert top["must"] > bottom["must"]
    assert top["wont"] < bottom["wont"]
    priorities = [p for kind, *_, p in found if kind != "epic"]
    assert 10 <= sum(1 for p in priorities if p) < len(priorities) / 2, "some, as from Jira"
    assert {p for p in priorities if p} <= {"highest", "high", "medium", "low", "lowest"}
    bugs = [p for kind, seg, *_, p in found if kind == "bug" and seg == "backlog"]
    assert all(bugs)


def test_the_top_of_the_backlog_shows_every_kind_of_readiness(demo: Path) -> None:
    with closing(sqlite3.connect(demo)) as conn:
        rules = ReadyRules.from_row(queries.ready_rules_row(conn))
        found = queries.backlog_rows(conn)
    column = queries.BACKLOG_COLUMNS.index
    backlog = [
        queries.readiness_of(rules, row)
        for row in found
        if row[column("segment")] == "backlog"
        and row[column("sprint")] is None
        and row[column("type")] != "epic"
    ]
    assert all(reasons is not None for reasons in backlog)
    top = [", ".join(reasons or []) for reasons in backlog[:15]]
    assert top.count("") >= 5, "ready"
    assert sum(1 for text in top if "open question" in text) >= 2
    assert sum(1 for text in top if "Depends on" in text) == 1
    everywhere = [", ".join(reasons) for reasons in backlog if reasons]
    assert sum(1 for text in everywhere if "open question" in text) >= 3
    assert sum(1 for text in everywhere if "Depends on" in text) >= 2


def test_the_details_keep_their_foreign_keys(demo: Path) -> None:
    assert rows(demo, "PRAGMA foreign_key_check(question)") == []
    assert rows(demo, "PRAGMA foreign_key_check(item_link)") == []
    assert rows(
        demo,
        "SELECT count(*) FROM item_link WHERE item_id NOT IN (SELECT id FROM item) "
        "OR other_id NOT IN (SELECT id FROM item)",
    ) == [(0,)]
    (duplicates,), *_ = rows(
        demo,
        "SELECT count(*) - count(DISTINCT item_id || '/' || other_id || '/' || kind) "
        "FROM item_link",
    )
    assert duplicates == 0


@pytest.mark.slow
def test_ten_thousand_items_are_exactly_ten_thousand(tmp_path: Path) -> None:
    path = tmp_path / "big.cspo"
    generate_demo(path, items=10_000, today=TODAY)
    assert rows(path, "SELECT count(*), count(DISTINCT key), count(DISTINCT rank) FROM item") == [
        (10_000, 10_000, 10_000)
    ]
    (distinct,), *_ = rows(path, "SELECT count(DISTINCT title) FROM item")
    assert distinct > 5_000, "titles repeat only once the combinations run out"
    assert rows(path, "PRAGMA foreign_key_check") == []
    (stories,), *_ = rows(
        path,
        "SELECT count(*) FROM item WHERE type = 'story' AND status != 'done' "
        "AND segment = 'backlog'",
    )
    (asked, open_questions), *_ = rows(
        path, "SELECT count(DISTINCT item_id), count(*) - count(answered_at) FROM question"
    )
    assert stories / 8 <= asked <= stories / 4, "about one in six"
    assert open_questions > 300
    links: dict[str, int] = dict(
        rows(path, "SELECT kind, count(DISTINCT item_id) FROM item_link GROUP BY kind")
    )
    assert stories / 15 <= links["depends_on"] <= stories / 7, "about one in ten"
    assert links["split_from"] >= 50
    edges = rows(path, "SELECT item_id, other_id FROM item_link WHERE kind = 'depends_on'")
    assert not has_cycle(edges)
    (classified,), *_ = rows(path, "SELECT count(moscow) FROM item")
    assert classified > 7_000
