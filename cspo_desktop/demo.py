"""The demo product: Pocket Bank, a mobile banking app, generated deterministically.

:func:`generate_demo` writes a complete product file: a vision board, the Definition of Done,
product goals, epics, stories with a few bugs, spikes and chores, acceptance criteria, six
closed sprints and an active one, and the item history that burndowns are computed from;
:mod:`cspo_desktop.demo_details` adds team questions, dependencies, MoSCoW and priority. The
same seed and the same ``today`` give the same content, byte for byte: every timestamp is
derived from ``today``, never from the clock.

The history (``item_event``) reads:

* ``created``: ``new_value`` is the title.
* ``sprint``: the item joined the sprint whose id is ``new_value`` (and ``sprint_id``).
* ``scope``: the item joined after the sprint had started; ``new_value`` is its points.
* ``status``: ``old_value`` → ``new_value`` (``todo``, ``in_progress``, ``done``).
* ``points``: a re-estimate from ``old_value`` to ``new_value`` points.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import json
import random
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cspo_desktop.demo_details import LinkRow, QuestionRow, add_details, write_details
from cspo_desktop.demo_text import (
    BLOCKED_NOTES,
    BUG_CRITERIA,
    BUG_DEVICES,
    BUG_PROBLEMS,
    BUG_REPORTERS,
    CHORE_ACTIONS,
    CHORE_CRITERIA,
    DONE_CRITERIA,
    EPICS,
    EXTRA_LABELS,
    GENERIC_CRITERIA,
    GOALS,
    KEY_PREFIX,
    PRODUCT_NAME,
    SPIKE_CRITERIA,
    SPRINT_GOALS,
    VISION,
    EpicText,
)
from cspo_desktop.domain.errors import CspoError
from cspo_desktop.domain.estimation import format_points
from cspo_desktop.domain.keys import item_key
from cspo_desktop.domain.ranking import keys_between
from cspo_desktop.domain.vocabulary import (
    CriterionState,
    EventKind,
    ItemType,
    Segment,
    SprintState,
    Status,
)
from cspo_desktop.persistence.atomic import remove_with_sidecars, replace_file
from cspo_desktop.persistence.lock import ProductLock, lock_path
from cspo_desktop.persistence.paths import PRODUCT_SUFFIX, make_private
from cspo_desktop.persistence.product_file import create_product, product_target
from cspo_desktop.persistence.sqlite import connect

#: The story points a demo item can carry, and how often each is used.
POINTS: tuple[int, ...] = (1, 2, 3, 5, 8, 13)
_POINT_ODDS = tuple(itertools.accumulate((10, 20, 25, 25, 13, 7)))
#: Of every hundred items below the epics: stories, bugs, spikes, chores.
_KINDS = (ItemType.STORY, ItemType.BUG, ItemType.SPIKE, ItemType.CHORE)
_KIND_WEIGHTS = (90, 5, 3, 2)
_SPRINT_WORKDAYS = 10
_LARGEST = 8  # bigger items are split before a sprint takes them
_ACTIVE = len(SPRINT_GOALS)  # the last sprint is the active one; its number is its id
_DAY = dt.timedelta(days=1)
_SECOND = dt.timedelta(seconds=1)
_MIDNIGHT = dt.time(0, 0, tzinfo=dt.UTC)
_UNDATED = dt.datetime.min.replace(tzinfo=dt.UTC)

#: One history entry: when, kind, old value, new value, sprint id.
_Event = tuple[dt.datetime, str, str | None, str | None, int | None]


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What :func:`generate_demo` wrote, as ``cspo demo`` reports it."""

    stories: int
    epics: int
    goals: int
    sprints: int

    def __str__(self) -> str:
        return ", ".join(
            _count(n, word)
            for n, word in (
                (self.stories, "story"),
                (self.epics, "epic"),
                (self.goals, "product goal"),
                (self.sprints, "sprint"),
            )
        )


def _count(n: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{n:,} {word if n == 1 else plural}"


@dataclass(frozen=True, slots=True)
class _Calendar:
    starts: tuple[dt.date, ...]  # each sprint's first day (a Monday), oldest first
    elapsed: int  # working days of the active sprint before today
    origin: dt.datetime  # when the product was created
    now: dt.datetime  # nothing happened later than this (yesterday evening)

    def workday(self, sprint: int, day: int) -> dt.date:
        start = self.starts[sprint - 1]
        return start + dt.timedelta(days=day + 2 * (day // 5))


@dataclass(slots=True)
class _Draft:
    type: str
    epic: int
    title: str
    description: str
    criteria: tuple[str, ...]
    labels: str
    points: int | None = None
    value: int | None = None
    goal: int | None = None
    segment: str = Segment.BACKLOG.value
    status: str = Status.TODO.value
    sprint: int | None = None
    blocked: bool = False
    note: str = ""
    created: dt.datetime = _UNDATED
    events: list[_Event] = field(default_factory=list)
    slot: int = 0  # place in its sprint's plan
    id: int = 0
    moscow: str | None = None
    priority: str | None = None


def generate_demo(
    path: Path, *, items: int = 150, seed: int = 7, today: dt.date | None = None
) -> DemoSummary:
    """Create the Pocket Bank demo product at ``path``, replacing a file that is there.

    The demo is built complete in a temporary file beside ``path`` and then renamed over it
    under ``path``'s product lock, so a failed or killed generation leaves ``path`` as it was.

    Args:
        path: the product file to write (``.cspo`` is added if missing).
        items: how many backlog items to create in all: up to eight epics, and below them
            stories, with about one in ten a bug, spike or chore.
        seed: the random seed; the same seed and ``today`` give the same content.
        today: the day the active sprint contains (default: today, UTC).

    Returns:
        How many stories, epics, goals and sprints were written.

    Raises:
        FileRefused: ``path`` is open in another window or program; it is unchanged.
        CspoError: the file cannot be created or written; ``path`` is unchanged.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    rng = random.Random(seed)
    cal = _calendar(today)
    epic_count = min(len(EPICS), max(1, items // 10)) if items > 0 else 0
    epics = _draft_epics(epic_count)
    drafts = _draft_items(rng, items - epic_count, epic_count)
    _to_inbox(rng, drafts, cal)
    _plan_sprints(rng, drafts, cal)
    _block_some(rng, drafts)
    _date(rng, drafts, cal)
    _start_epics(epics, drafts, cal)
    everything = _number(epics, drafts)
    order = _ranked(epics, drafts)
    ranks = {d.id: key for d, key in zip(order, keys_between(None, None, len(order)), strict=True)}
    planned = dt.datetime.combine(cal.starts[-1], dt.time(8, 0), dt.UTC)
    details = add_details(rng, order, planned=planned, now=cal.now)
    path = product_target(path)
    with ProductLock(path):
        _build_and_replace(path, cal, everything, ranks, details)
    return DemoSummary(
        stories=items - epic_count, epics=epic_count, goals=len(GOALS), sprints=_ACTIVE
    )


# ---------------------------------------------------------------- the calendar


def _calendar(today: dt.date) -> _Calendar:
    monday = today - dt.timedelta(days=today.weekday())
    if today.weekday() < 2:  # on Monday and Tuesday the sprint began the week before
        monday -= dt.timedelta(days=7)
    starts = tuple(monday - dt.timedelta(days=14 * (_ACTIVE - n)) for n in range(1, _ACTIVE + 1))
    elapsed = sum(1 for d in range((today - monday).days) if (monday + d * _DAY).weekday() < 5)
    origin = dt.datetime.combine(starts[0] - 21 * _DAY, dt.time(8, 30), dt.UTC)
    now = dt.datetime.combine(today - _DAY, dt.time(18, 0), dt.UTC)
    return _Calendar(starts=starts, elapsed=elapsed, origin=origin, now=now)


def _at(rng: random.Random, day: dt.date, first_hour: int, last_hour: int) -> dt.datetime:
    """A moment on ``day`` between ``first_hour``:00 and ``last_hour``:59 UTC."""
    second = rng.randrange(first_hour * 3600, (last_hour + 1) * 3600)
    return dt.datetime.combine(day, _MIDNIGHT) + second * _SECOND


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.datetime:
    """A moment in office hours on a day from ``first`` to ``last``."""
    days = max(0, (last - first).days)
    return _at(rng, first + rng.randint(0, days) * _DAY, 8, 17)


def _iso(moment: dt.datetime) -> str:
    """A timestamp as ``persistence.tables.UtcDateTime`` stores it."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


# ---------------------------------------------------------------- the items and their words


def _draft_epics(count: int) -> list[_Draft]:
    return [
        _Draft(
            type=ItemType.EPIC.value,
            epic=index,
            title=epic.name,
            description=epic.description,
            criteria=(),
            labels=_labels((epic.label,)),
            value=epic.value,
            goal=epic.goal,
        )
        for index, epic in enumerate(EPICS[:count])
    ]


def _draft_items(rng: random.Random, count: int, epic_count: int) -> list[_Draft]:
    weights = [e.weight for e in EPICS[:epic_count]]
    epics = rng.choices(range(epic_count), weights=weights, k=count) if count else []
    kinds = rng.choices(_KINDS, weights=_KIND_WEIGHTS, k=count)
    deck = _Deck(rng)
    return [_draft(rng, kind, epic, deck) for kind, epic in zip(kinds, epics, strict=True)]


class _Deck:
    """Deals title parts per (kind, epic) from shuffled combinations, repeating only when spent."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._decks: dict[tuple[str, int], list[tuple[str, ...]]] = {}
        self._dealt: Counter[tuple[str, int]] = Counter()

    def deal(self, kind: str, epic: int) -> tuple[str, ...]:
        key = (kind, epic)
        deck = self._decks.get(key)
        if deck is None:
            deck = list(itertools.product(*_title_parts(kind, EPICS[epic])))
            self._rng.shuffle(deck)
            self._decks[key] = deck
        dealt = self._dealt[key]
        self._dealt[key] = dealt + 1
        return deck[dealt % len(deck)]


def _title_parts(kind: str, epic: EpicText) -> tuple[tuple[str, ...], ...]:
    if kind == ItemType.BUG:
        return (epic.screens, BUG_PROBLEMS)
    if kind == ItemType.SPIKE:
        return (("Investigate",), epic.spikes)
    if kind == ItemType.CHORE:
        return (CHORE_ACTIONS, epic.components)
    return (epic.actions, epic.objects, epic.qualifiers)


def _draft(rng: random.Random, kind: ItemType, index: int, deck: _Deck) -> _Draft:
    epic = EPICS[index]
    parts = deck.deal(kind.value, index)
    title = " ".join(part for part in parts if part)
    description, criteria = _WRITERS[kind](rng, epic, parts)
    extra = rng.sample(EXTRA_LABELS, rng.choice((0, 1, 1, 2)))
    if kind == ItemType.CHORE:
        extra.append("tech-debt")
    return _Draft(
        type=kind.value,
        epic=index,
        title=title,
        description=description,
        criteria=criteria,
        labels=_labels((epic.label, *extra)),
        points=_estimate(rng, kind),
        value=None if rng.random() < 0.07 else rng.randint(1, 20),
        goal=None if rng.random() < 0.05 else epic.goal,
    )


def _estimate(rng: random.Random, kind: ItemType) -> int | None:
    if rng.random() < 0.1:
        return None
    if kind == ItemType.SPIKE:  # spikes are time-boxed, so they stay small
        return rng.choice(POINTS[:3])
    return rng.choices(POINTS, cum_weights=_POINT_ODDS)[0]


@functools.cache
def _labels(labels: tuple[str, ...]) -> str:
    return json.dumps(labels, ensure_ascii=False)


def _pick(rng: random.Random, own: tuple[str, ...], shared: tuple[str, ...]) -> tuple[str, ...]:
    """Two to five criteria, most of them from ``own``."""
    count = rng.randint(2, 5)
    mine = min(len(own), rng.randint(1, count)) if shared else count
    return (*rng.sample(own, mine), *rng.sample(shared, count - mine))


def _write_story(
    rng: random.Random, epic: EpicText, parts: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    wish = " ".join(part for part in parts if part)
    text = (
        f"As {rng.choice(epic.personas)}, I want to {wish[0].lower()}{wish[1:]} "
        f"so that {rng.choice(epic.benefits)}."
    )
    if rng.random() < 0.3:
        text += f"\n\nThe designs are in Figma under “{epic.name}”."
    return text, _pick(rng, epic.criteria, GENERIC_CRITERIA)


def _write_bug(
    rng: random.Random, epic: EpicText, parts: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    screen, problem = parts
    text = (
        f"Reported by {rng.choice(BUG_REPORTERS)} on {rng.choice(BUG_DEVICES)}, "
        f"app version 4.{rng.randint(2, 9)}.{rng.randint(0, 3)}.\n\n"
        f"Steps: open the {screen[0].lower()}{screen[1:]} and use it as usual.\n"
        f"Expected: it works as on other devices.\nActual: it {problem}."
    )
    return text, _pick(rng, BUG_CRITERIA, ())


def _write_spike(
    rng: random.Random, epic: EpicText, parts: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    text = (
        f"Time-box: {rng.choice((2, 3, 5))} days. We need to learn about {parts[1]} before we "
        f"can split and estimate the next stories of “{epic.name}”."
    )
    return text, _pick(rng, SPIKE_CRITERIA, ())


def _write_chore(
    rng: random.Random, epic: EpicText, parts: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    text = (
        f"Technical work to keep {parts[1]} healthy. Customers see no change, but the team "
        "ships faster and sleeps better."
    )
    return text, _pick(rng, CHORE_CRITERIA, ())


_Writer = Callable[[random.Random, EpicText, tuple[str, ...]], tuple[str, tuple[str, ...]]]
_WRITERS: dict[ItemType, _Writer] = {
    ItemType.STORY: _write_story,
    ItemType.BUG: _write_bug,
    ItemType.SPIKE: _write_spike,
    ItemType.CHORE: _write_chore,
}


def _to_inbox(rng: random.Random, drafts: list[_Draft], cal: _Calendar) -> None:
    """Leave three to five fresh, unrefined items in the Inbox."""
    for draft in rng.sample(drafts, min(len(drafts), rng.randint(3, 5))):
        draft.segment = Segment.INBOX.value
        draft.points = draft.value = None
        draft.created = _between(rng, cal.now.date() - 3 * _DAY, cal.now.date())


def _block_some(rng: random.Random, drafts: list[_Draft]) -> None:
    for draft in drafts:
        if draft.status != Status.DONE and draft.segment == Segment.BACKLOG and rng.random() < 0.04:
            draft.blocked = True
            draft.note = rng.choice(BLOCKED_NOTES)


# ---------------------------------------------------------------- sprints and history


def _plan_sprints(rng: random.Random, drafts: list[_Draft], cal: _Calendar) -> None:
    """Fill six closed sprints and the active one, and write their history."""
    pool = [d for d in drafts if d.segment == Segment.BACKLOG and (d.points or 99) <= _LARGEST]
    # Sprints take at most 40% of the estimated work, so that small demos keep a backlog.
    budget = 0.4 * sum(d.points or 0 for d in pool) / _ACTIVE
    for number, (_goal, focus) in enumerate(SPRINT_GOALS, start=1):
        velocity = rng.randint(24, 28) if number == _ACTIVE else rng.randint(17, 24) + number
        picked = _fill(pool, number, focus, min(velocity, budget))
        if number == _ACTIVE:
            _run_active(rng, cal, picked)
        else:
            _run_closed(rng, cal, number, picked)


def _fill(pool: list[_Draft], number: int, focus: int, target: float) -> list[_Draft]:
    """Pick items for a sprint: about 70% of ``target`` from the focus epic, then any."""
    picked: list[_Draft] = []
    total = 0
    for share, mine in ((0.7, True), (1.0, False)):
        for draft in pool:
            if total >= share * target - 1:
                break
            points = draft.points or 0
            if (
                draft.sprint is None
                and (draft.epic == focus) is mine
                and total + points <= target + 1
            ):
                draft.sprint = number
                draft.slot = len(picked)
                picked.append(draft)
                total += points
    return picked


def _join(rng: random.Random, cal: _Calendar, draft: _Draft, number: int, day: int) -> None:
    """Add ``draft`` to the sprint on its ``day``; after day 0 that changes the scope."""
    at = _at(rng, cal.workday(number, day), 9, 10)
    draft.events.append((at, EventKind.SPRINT.value, None, str(number), number))
    if day > 0:
        points = format_points(draft.points)
        draft.events.append((at, EventKind.SCOPE.value, None, points, number))


def _work(
    rng: random.Random, cal: _Calendar, draft: _Draft, number: int, days: Iterable[int]
) -> None:
    """Move ``draft`` through the statuses, one step on each of ``days`` (in order)."""
    flow = (Status.TODO.value, Status.IN_PROGRESS.value, Status.DONE.value)
    for step, day in enumerate(days):
        hours = (12, 13) if step == 0 else (14, 17)
        at = _at(rng, cal.workday(number, day), *hours)
        draft.events.append((at, EventKind.STATUS.value, flow[step], flow[step + 1], number))
        draft.status = flow[step + 1]


def _reestimate(rng: random.Random, cal: _Calendar, draft: _Draft, number: int, day: int) -> None:
    if draft.points is None or rng.random() >= 0.08:
        return
    old = rng.choice([p for p in POINTS if p != draft.points])
    at = _at(rng, cal.workday(number, day), 11, 11)
    draft.events.append(
        (at, EventKind.POINTS.value, format_points(old), format_points(draft.points), number)
    )


def _run_closed(rng: random.Random, cal: _Calendar, number: int, picked: list[_Draft]) -> None:
    scoped = picked[-1] if len(picked) >= 4 and rng.random() < 0.6 else None
    last = _SPRINT_WORKDAYS - 1
    for draft in picked:
        joined = rng.randint(2, 5) if draft is scoped else 0
        _join(rng, cal, draft, number, joined)
        start = rng.randint(joined, last - 2)
        end = min(last, start + rng.choice((0, 1, 1, 2, 2, 3, 4)))
        _reestimate(rng, cal, draft, number, start)
        _work(rng, cal, draft, number, (start, end))


def _run_active(rng: random.Random, cal: _Calendar, picked: list[_Draft]) -> None:
    """The active sprint so far: the top items done, the next ones started, the rest to do."""
    picked.sort(key=lambda d: -(d.value or 0))  # the team works in order of value
    for slot, draft in enumerate(picked):
        draft.slot = slot
    last = cal.elapsed - 1  # the last working day before today
    done = round(len(picked) * 0.6 * cal.elapsed / _SPRINT_WORKDAYS)
    started = done + max(1, round(len(picked) * 0.3))
    scoped = picked[-1] if len(picked) >= 4 else None
    for position, draft in enumerate(picked):
        joined = rng.randint(1, last) if draft is scoped else 0
        _join(rng, cal, draft, _ACTIVE, joined)
        first = rng.randint(joined, last)
        if position < done:
            _work(rng, cal, draft, _ACTIVE, (first, rng.randint(first, last)))
        elif position < started:
            _work(rng, cal, draft, _ACTIVE, (max(first, last - 2),))


def _date(rng: random.Random, drafts: list[_Draft], cal: _Calendar) -> None:
    """Give every item a creation moment before its sprint began, and a "created" event."""
    for draft in drafts:
        if draft.segment == Segment.INBOX:
            pass  # dated when it went to the Inbox
        elif draft.sprint is not None:
            last = cal.starts[draft.sprint - 1] - 3 * _DAY
            draft.created = _between(rng, cal.origin.date() + _DAY, last)
        else:
            draft.created = _between(rng, cal.origin.date() + _DAY, cal.now.date())
            _refine(rng, draft, cal)
        draft.events.insert(0, (draft.created, EventKind.CREATED.value, None, draft.title, None))


def _refine(rng: random.Random, draft: _Draft, cal: _Calendar) -> None:
    """Now and then, a backlog item was re-estimated in a refinement after it was created."""
    if draft.points is None or rng.random() >= 0.04:
        return
    at = min(cal.now, draft.created + rng.randint(1, 20) * _DAY)
    old = rng.choice([p for p in POINTS if p != draft.points])
    draft.events.append(
        (at, EventKind.POINTS.value, format_points(old), format_points(draft.points), None)
    )


def _start_epics(epics: list[_Draft], drafts: list[_Draft], cal: _Calendar) -> None:
    """An epic is in progress from the moment its first item was started."""
    first: dict[int, dt.datetime] = {}
    for draft in drafts:
        for at, kind, _old, _new, _sprint in draft.events:
            if kind == EventKind.STATUS and (draft.epic not in first or at < first[draft.epic]):
                first[draft.epic] = at
    for epic in epics:
        epic.created = cal.origin + epic.epic * dt.timedelta(minutes=3)
        epic.events.append((epic.created, EventKind.CREATED.value, None, epic.title, None))
        if epic.epic in first:
            epic.status = Status.IN_PROGRESS.value
            epic.events.append(
                (first[epic.epic], EventKind.STATUS.value, Status.TODO.value, epic.status, None)
            )


def _number(epics: list[_Draft], drafts: list[_Draft]) -> list[_Draft]:
    """Number every item in creation order: the ids are the key numbers (PAY-1 …)."""
    ordered = epics + sorted(drafts, key=lambda d: d.created)  # stable: ties keep draft order
    for number, draft in enumerate(ordered, start=1):
        draft.id = number
    return ordered


def _ranked(epics: list[_Draft], drafts: list[_Draft]) -> list[_Draft]:
    """Epics, the active sprint, the backlog by value, the Inbox, then done work."""
    active = sorted((d for d in drafts if d.sprint == _ACTIVE), key=lambda d: d.slot)
    ahead = [d for d in drafts if d.sprint is None and d.segment == Segment.BACKLOG]
    ahead.sort(key=lambda d: (-(d.value or 0), d.id))
    inbox = sorted((d for d in drafts if d.segment == Segment.INBOX), key=lambda d: d.id)
    done = [d for d in drafts if d.sprint is not None and d.sprint < _ACTIVE]
    done.sort(key=lambda d: (d.sprint or 0, max(e[0] for e in d.events), d.id))
    return [*epics, *active, *ahead, *inbox, *done]


# ---------------------------------------------------------------- writing


_DetailRows = tuple[list[QuestionRow], list[LinkRow]]


def _build_and_replace(
    path: Path, cal: _Calendar, items: list[_Draft], ranks: dict[int, str], details: _DetailRows
) -> None:
    """Build the whole demo in a file beside ``path``, then put it in place in one step.

    The caller holds ``path``'s lock, so the building file's name needs no process id: one
    left behind by a killed generation is simply replaced.
    """
    building = path.with_name(f".{path.name}.generating{PRODUCT_SUFFIX}")
    try:
        _discard(building)
        create_product(building, PRODUCT_NAME, key_prefix=KEY_PREFIX)
        conn = connect(building)
        try:
            _write(conn, cal, items, ranks, details)
        except sqlite3.Error as exc:
            msg = f"Cannot write the demo product to “{path.name}”: {exc}."
            raise CspoError(msg) from exc
        finally:
            conn.close()
        replace_file(building, path)
        make_private(path)
    except OSError as exc:
        msg = f"Cannot write the demo product to “{path.name}”: {exc.strerror or exc}."
        raise CspoError(msg) from exc
    finally:
        with contextlib.suppress(OSError):
            _discard(building)


def _discard(building: Path) -> None:
    """Remove a half-built demo file, its sidecars and its lock file."""
    remove_with_sidecars(building)
    lock_path(building).unlink(missing_ok=True)


def _write(
    conn: sqlite3.Connection,
    cal: _Calendar,
    items: list[_Draft],
    ranks: dict[int, str],
    details: _DetailRows,
) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        _write_product(conn, cal, len(items))
        _write_sprints(conn, cal)
        conn.executemany(
            "INSERT INTO item (id, key, type, title, description, status, rank, segment, "
            "sprint_id, parent_id, goal_id, points, business_value, labels, blocked, "
            "blocked_note, external_source, external_key, created_at, updated_at, version, "
            "moscow, priority) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)",
            (_item_row(d, ranks[d.id]) for d in items),
        )
        conn.executemany(
            "INSERT INTO acceptance_criterion (item_id, position, text, review_state) "
            "VALUES (?, ?, ?, ?)",
            _criterion_rows(items),
        )
        conn.executemany(
            "INSERT INTO item_event (item_id, at, kind, old_value, new_value, sprint_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            _event_rows(items),
        )
        write_details(conn, *details)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _write_product(conn: sqlite3.Connection, cal: _Calendar, item_count: int) -> None:
    conn.execute(
        "UPDATE product SET vision_target_group = ?, vision_needs = ?, vision_product = ?, "
        "vision_business_goals = ?, estimation_scale = 'fibonacci', scale_values = '', "
        "next_item_number = ?, created_at = ?, updated_at = ?, version = ?",
        (
            VISION["vision_target_group"],
            VISION["vision_needs"],
            VISION["vision_product"],
            VISION["vision_business_goals"],
            item_count + 1,
            _iso(cal.origin),
            _iso(cal.origin + dt.timedelta(hours=2)),
            5,  # created, then the four vision panes were written
        ),
    )
    conn.executemany(
        "INSERT INTO done_criterion (position, text) VALUES (?, ?)", enumerate(DONE_CRITERIA)
    )
    ranks = keys_between(None, None, len(GOALS))
    conn.executemany(
        "INSERT INTO product_goal (id, title, description, status, rank, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (n, title, text, status, rank, _iso(cal.origin + n * dt.timedelta(minutes=40)))
            for n, ((title, text, status), rank) in enumerate(zip(GOALS, ranks, strict=True), 1)
        ),
    )


def _write_sprints(conn: sqlite3.Connection, cal: _Calendar) -> None:
    rows = []
    for number, ((goal, _focus), start) in enumerate(zip(SPRINT_GOALS, cal.starts, strict=True), 1):
        state = SprintState.ACTIVE if number == _ACTIVE else SprintState.CLOSED
        end = cal.workday(number, _SPRINT_WORKDAYS - 1)
        created = dt.datetime.combine(start - 3 * _DAY, dt.time(15, 0), dt.UTC)
        rows.append(
            (
                number,
                f"Sprint {number}",
                goal,
                start.isoformat(),
                end.isoformat(),
                state.value,
                _iso(created),
            )
        )
    conn.executemany(
        "INSERT INTO sprint (id, name, goal, start_date, end_date, state, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _item_row(draft: _Draft, rank: str) -> tuple[object, ...]:
    updated = max(event[0] for event in draft.events)
    return (
        draft.id,
        item_key(KEY_PREFIX, draft.id),
        draft.type,
        draft.title,
        draft.description,
        draft.status,
        rank,
        draft.segment,
        draft.sprint,
        None if draft.type == ItemType.EPIC else draft.epic + 1,
        None if draft.goal is None else draft.goal + 1,
        None if draft.points is None else float(draft.points),
        draft.value,
        draft.labels,
        int(draft.blocked),
        draft.note,
        _iso(draft.created),
        _iso(updated),
        len(draft.events),
        draft.moscow,
        draft.priority,
    )


def _criterion_rows(items: list[_Draft]) -> Iterable[tuple[int, int, str, str]]:
    for draft in items:
        reviewed = (
            draft.status == Status.DONE and draft.sprint is not None and draft.sprint < _ACTIVE
        )
        state = (CriterionState.PASS if reviewed else CriterionState.UNCHECKED).value
        for position, text in enumerate(draft.criteria):
            yield draft.id, position, text, state


def _event_rows(
    items: list[_Draft],
) -> list[tuple[int, str, str, str | None, str | None, int | None]]:
    """Every history entry, oldest first (the log is append-only, so ids follow time)."""
    stamped = [
        (at, draft.id, seq, kind, old, new, sprint)
        for draft in items
        for seq, (at, kind, old, new, sprint) in enumerate(draft.events)
    ]
    stamped.sort(key=lambda e: e[:3])
    return [
        (item, _iso(at), kind, old, new, sprint)
        for at, item, _seq, kind, old, new, sprint in stamped
    ]


def ensure_demo(path: Path, *, reset: bool = False) -> Path:
    """Generate the demo product at ``path`` the first time (or again when ``reset``).

    Raises:
        CspoError: the demo could not be written.
    """
    if reset or not path.exists():
        generate_demo(path)
    return path
