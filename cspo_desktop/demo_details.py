"""Item details of the demo product: team questions, dependencies, MoSCoW and priority.

:func:`add_details` runs after the items are numbered and ranked and reads them in rank
order. It draws from the demo's random generator after everything else, so the items
themselves come out as they would without details.

* About one in six unfinished stories has one or two team questions. Questions on items in
  the active sprint were answered before it was planned; on the backlog about half are.
* About one in ten unfinished stories depends on one or two other items: a done one, or an
  unfinished one ranked above it. Done items depend on nothing, so there is never a cycle.
* A few backlog stories were split from an older story of the same epic.
* Most stories carry a MoSCoW class (more Must near the top, more Won't near the bottom);
  every bug and some stories a tracker priority, as if imported from Jira.
* The first :data:`SHOWCASE` backlog items show the Definition of Ready at work: two wait
  for an answer, one for an unfinished item, and the others are ready unless their size or
  a block says otherwise.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cspo_desktop.demo_text import EPIC_QUESTIONS, EPICS, QUESTIONS, TEAM
from cspo_desktop.domain.vocabulary import (
    ItemType,
    LinkKind,
    MoSCoW,
    Priority,
    Segment,
    Status,
)

#: How many backlog items at the top are arranged to show every kind of readiness.
SHOWCASE = 15
_NEAR = 20  # a split story's parts are ranked close to each other
_MAX_POINTS = 8  # the default Definition of Ready's size limit
_HOUR = dt.timedelta(hours=1)
_SECOND = dt.timedelta(seconds=1)
_EIGHT = dt.time(8, 0, tzinfo=dt.UTC)
_OFFICE = 10 * 3600  # seconds from 8:00 to 18:00
_DAY = dt.timedelta(days=1)
#: MoSCoW odds (must, should, could, won't) by where an item sits in the backlog.
_MOSCOW = tuple(m.value for m in MoSCoW)
_MOSCOW_ODDS = tuple(
    tuple(itertools.accumulate(odds))
    for odds in (
        (60, 30, 10, 0),  # the top quarter of the backlog
        (25, 45, 25, 5),  # the second quarter
        (8, 30, 45, 17),  # the third quarter
        (2, 13, 40, 45),  # the bottom quarter
        (65, 30, 5, 0),  # items that were taken into a sprint
    )
)
_WITH_MOSCOW = 0.85  # the share of refined items with a MoSCoW class
_PRIORITIES = tuple(p.value for p in Priority)
_WITH_PRIORITY = 0.3  # the share of items other than bugs with a tracker priority
_PRIORITY_JITTER = (0, 0, 0, -1, 1)  # a priority roughly follows the business value
_EPIC_QUESTIONS = tuple(EPIC_QUESTIONS.get(epic.label) or QUESTIONS for epic in EPICS)

QuestionRow = tuple[int, int, str, str, str, str | None, str]
LinkRow = tuple[int, int, str, str]


class Detailed(Protocol):
    """The parts of a demo item that its details depend on (``demo._Draft``)."""

    id: int
    type: str
    epic: int
    status: str
    segment: str
    sprint: int | None
    points: int | None
    value: int | None
    blocked: bool
    created: dt.datetime
    moscow: str | None
    priority: str | None


@dataclass(slots=True)
class _Question:
    text: str
    asked_by: str
    reply: str  # the answer, once it is answered
    created: dt.datetime
    answered: dt.datetime | None = None


@dataclass(slots=True)
class _Details:
    """Questions and links by item id, while they are being drawn."""

    rng: random.Random
    now: dt.datetime
    planned: dt.datetime  # the active sprint's planning: its items were refined before
    questions: dict[int, list[_Question]] = field(default_factory=dict)
    links: dict[int, list[tuple[Detailed, str, dt.datetime]]] = field(default_factory=dict)

    def moment(self, item: Detailed, after: dt.datetime) -> dt.datetime:
        """A moment in office hours from ``after`` until the item's refinement ended."""
        last = self.planned if item.sprint is not None else self.now
        days = max(0, (last.date() - after.date()).days)
        chance = self.rng.random
        day = dt.datetime.combine(after.date(), _EIGHT) + int(chance() * (days + 1)) * _DAY
        return max(after, min(last, day + int(chance() * _OFFICE) * _SECOND))

    def answer(self, item: Detailed, question: _Question) -> None:
        question.answered = self.moment(item, question.created + _HOUR)

    def ask(self, item: Detailed, *, answered: bool) -> None:
        own = self.questions.setdefault(item.id, [])
        pool = _EPIC_QUESTIONS[item.epic] if self.rng.random() < 0.3 else QUESTIONS
        role, text, reply = self.rng.choice(pool)
        while any(q.text == text for q in own):  # an item has only a few questions
            role, text, reply = self.rng.choice(QUESTIONS)
        question = _Question(
            text, self.rng.choice(TEAM[role]), reply, self.moment(item, item.created)
        )
        own.append(question)
        if answered:
            self.answer(item, question)

    def open_questions(self, item: Detailed) -> list[_Question]:
        return [q for q in self.questions.get(item.id, ()) if q.answered is None]

    def link(
        self, item: Detailed, other: Detailed, kind: str, at: dt.datetime | None = None
    ) -> bool:
        """Link ``item`` to ``other`` unless it is linked so already; whether it was new."""
        own = self.links.setdefault(item.id, [])
        if other.id == item.id or any(o is other and k == kind for o, k, _at in own):
            return False
        own.append((other, kind, at or self.moment(item, max(item.created, other.created))))
        return True

    def unfinished(self, item: Detailed) -> list[Detailed]:
        return [
            other
            for other, kind, _at in self.links.get(item.id, ())
            if kind == LinkKind.DEPENDS_ON and other.status != Status.DONE
        ]


def add_details(
    rng: random.Random, order: Sequence[Detailed], *, planned: dt.datetime, now: dt.datetime
) -> tuple[list[QuestionRow], list[LinkRow]]:
    """Give the items in rank ``order`` their MoSCoW class, priority, questions and links.

    Args:
        rng: the demo's random generator.
        order: every item, in rank order.
        planned: when the active sprint was planned (its items were refined before).
        now: nothing happened later than this.

    Returns:
        The ``question`` rows (item id, position, text, asked by, answer, answered at,
        created at) and the ``item_link`` rows (item id, other id, kind, created at), each
        in the order they were created.
    """
    items = [d for d in order if d.type != ItemType.EPIC]
    done = [d for d in items if d.status == Status.DONE]
    unfinished = [d for d in items if d.status != Status.DONE and d.segment == Segment.BACKLOG]
    backlog = [d for d in unfinished if d.sprint is None]
    _classify(rng, items, backlog)
    details = _Details(rng, now=now, planned=planned)
    _ask_questions(details, unfinished)
    _depend(details, unfinished, done)
    _split(details, backlog)
    _showcase(details, unfinished, backlog[:SHOWCASE])
    return _question_rows(details), _link_rows(details)


def _classify(rng: random.Random, items: list[Detailed], backlog: list[Detailed]) -> None:
    """MoSCoW on most refined items, a tracker priority on every bug and some stories."""
    quarter = {d.id: 4 * n // len(backlog) for n, d in enumerate(backlog)}
    chance = rng.random  # one draw decides both whether and which, for speed
    for item in items:
        if item.segment == Segment.INBOX:
            continue
        draw = chance()
        if draw < _WITH_MOSCOW:
            odds = _MOSCOW_ODDS[4 if item.sprint is not None else quarter[item.id]]
            item.moscow = _MOSCOW[bisect.bisect(odds, draw / _WITH_MOSCOW * odds[-1])]
        draw = chance()
        if item.type == ItemType.BUG or draw < _WITH_PRIORITY:
            value = item.value or 10
            level = 0 if value >= 17 else 1 if value >= 12 else 2 if value >= 7 else 3
            level += _PRIORITY_JITTER[int(chance() * len(_PRIORITY_JITTER))]
            item.priority = _PRIORITIES[min(max(level, 0), len(_PRIORITIES) - 1)]


def _ask_questions(details: _Details, unfinished: list[Detailed]) -> None:
    rng = details.rng
    for item in unfinished:
        if item.type == ItemType.STORY and rng.random() < 1 / 6:
            for _ in range(rng.choice((1, 1, 2))):
                details.ask(item, answered=item.sprint is not None or rng.random() < 0.5)


def _depend(details: _Details, unfinished: list[Detailed], done: list[Detailed]) -> None:
    """Let one in ten unfinished stories depend on done work or on unfinished work above."""
    rng = details.rng
    done_by_epic: dict[int, list[Detailed]] = {}
    for item in done:
        done_by_epic.setdefault(item.epic, []).append(item)
    above: list[Detailed] = []
    above_by_epic: dict[int, list[Detailed]] = {}
    for item in unfinished:
        if item.type == ItemType.STORY and rng.random() < 0.1:
            for _ in range(rng.choice((1, 1, 1, 2))):
                if done and rng.random() < 0.5:
                    mine = done_by_epic.get(item.epic)
                    other = rng.choice(mine if mine and rng.random() < 0.8 else done)
                elif above:
                    mine = above_by_epic.get(item.epic)
                    near = mine if mine and rng.random() < 0.8 else above
                    other = rng.choice(near[-10:])
                else:
                    continue
                details.link(item, other, LinkKind.DEPENDS_ON.value)
        above.append(item)
        above_by_epic.setdefault(item.epic, []).append(item)


def _split(details: _Details, backlog: list[Detailed]) -> None:
    """A few backlog stories were split from an older story of the same epic ranked nearby."""
    stories = [d for d in backlog if d.type == ItemType.STORY]
    wanted = min(len(stories) // 2, max(3, len(backlog) // 50))
    made = 0
    for _ in range(10 * wanted):  # some stories have no older one of their epic nearby
        if made == wanted:
            break
        n = details.rng.randrange(len(stories))
        part = stories[n]
        near = [*reversed(stories[max(0, n - _NEAR) : n]), *stories[n + 1 : n + 1 + _NEAR]]
        original = next((d for d in near if d.epic == part.epic and d.id < part.id), None)
        if original is not None:
            made += details.link(part, original, LinkKind.SPLIT_FROM.value, at=part.created)


def _showcase(details: _Details, unfinished: list[Detailed], top: list[Detailed]) -> None:
    """Arrange the top of the backlog: two open questions, one unfinished dependency.

    The other items there have their questions answered and wait for no unfinished item,
    so they are ready unless they are too big, unestimated or blocked.
    """
    rng = details.rng
    fit = [
        n
        for n, d in enumerate(top)
        if d.type == ItemType.STORY
        and d.points is not None
        and d.points <= _MAX_POINTS
        and not d.blocked
    ]
    chosen = sorted(rng.sample(fit[:8], min(3, len(fit))))  # near the top: on screen
    # The one that waits for another item is not the first: it needs an unfinished item above.
    waiting = chosen.pop(rng.randrange(1, len(chosen))) if len(chosen) >= 2 else None
    for n, item in enumerate(top):
        for question in details.open_questions(item):
            if n not in chosen:
                details.answer(item, question)
        links = details.links.get(item.id, [])
        if n != waiting and details.unfinished(item):
            links[:] = [
                (other, kind, at)
                for other, kind, at in links
                if other.status == Status.DONE or kind != LinkKind.DEPENDS_ON
            ]
    for n in chosen:
        if not details.open_questions(top[n]):
            details.ask(top[n], answered=False)
    if waiting is not None and not details.unfinished(top[waiting]):
        item = top[waiting]
        above = unfinished[: unfinished.index(item)]
        mine = [d for d in above if d.epic == item.epic]
        details.link(item, (mine or above)[-1], LinkKind.DEPENDS_ON.value)


def _iso(moment: dt.datetime) -> str:
    """A UTC timestamp as ``persistence.tables.UtcDateTime`` stores it (all demo times are UTC)."""
    return moment.isoformat(timespec="microseconds")


def _question_rows(details: _Details) -> list[QuestionRow]:
    stamped = [
        (q.created, item, position, q)
        for item, own in details.questions.items()
        for position, q in enumerate(sorted(own, key=lambda q: q.created))
    ]
    stamped.sort(key=lambda s: s[:3])
    return [
        (
            item,
            position,
            q.text,
            q.asked_by,
            "" if q.answered is None else q.reply,
            None if q.answered is None else _iso(q.answered),
            _iso(q.created),
        )
        for _at, item, position, q in stamped
    ]


def _link_rows(details: _Details) -> list[LinkRow]:
    stamped = [
        (at, item, other.id, kind) for item, own in details.links.items() for other, kind, at in own
    ]
    stamped.sort()
    return [(item, other, kind, _iso(at)) for at, item, other, kind in stamped]


def write_details(
    conn: sqlite3.Connection, questions: list[QuestionRow], links: list[LinkRow]
) -> None:
    """Insert the rows :func:`add_details` returned (inside the caller's transaction)."""
    conn.executemany(
        "INSERT INTO question (item_id, position, text, asked_by, answer, answered_at, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        questions,
    )
    conn.executemany(
        "INSERT INTO item_link (item_id, other_id, kind, created_at) VALUES (?, ?, ?, ?)",
        links,
    )
