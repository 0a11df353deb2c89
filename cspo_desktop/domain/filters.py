"""Which backlog items a view shows: segment views, text filter and quick views.

Pure functions over plain values, called once per item on every keystroke: they avoid any
per-call allocation beyond what the match needs.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import NamedTuple

from cspo_desktop.domain.vocabulary import ItemType, Segment


class View(enum.StrEnum):
    """The three lists of the Backlog page."""

    BACKLOG = "backlog"
    INBOX = "inbox"
    EPICS = "epics"


class QuickView(enum.StrEnum):
    """Ready-made filters for grooming."""

    ALL = "all"
    NOT_READY = "not-ready"
    MISSING_ESTIMATE = "missing-estimate"
    BLOCKED = "blocked"
    OPEN_QUESTIONS = "open-questions"
    ORPHANS = "orphans"
    STALE = "stale"


QUICK_VIEW_LABELS: dict[QuickView, str] = {
    QuickView.ALL: "All items",
    QuickView.NOT_READY: "Not ready",
    QuickView.MISSING_ESTIMATE: "Missing estimate",
    QuickView.BLOCKED: "Blocked",
    QuickView.OPEN_QUESTIONS: "Open questions",
    QuickView.ORPHANS: "No product goal (orphans)",
    QuickView.STALE: "Stale (untouched for {days} days)",
}


class BacklogFilter(NamedTuple):
    """What the Backlog page shows.

    A named tuple: its class is made before the first paint, where a dataclass costs ~1 ms.
    """

    view: View = View.BACKLOG
    text: str = ""
    quick: QuickView = QuickView.ALL
    show_epics: bool = False
    stale_days: int = 30

    @property
    def narrows(self) -> bool:
        """Whether rows of the view are hidden (a drop then lands after the row above)."""
        return bool(self.text.strip()) or self.quick is not QuickView.ALL


#: Fields a filter text can name (``label:payments``, ``type: bug``, ``epic:"savings pots"``),
#: with the other names they answer to.
FIELD_NAMES: dict[str, str] = {
    "type": "type",
    "status": "status",
    "label": "label",
    "labels": "label",
    "epic": "epic",
    "goal": "goal",
    "sprint": "sprint",
    "moscow": "moscow",
}
_FIELD = re.compile(r'(?<!\S)(\w+):\s*("[^"]*"|\S+)?')


def split_query(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """A filter text's free words and its ``field:value`` terms, case-folded.

    A field the app does not know (``foo:bar``) stays a word; a field with no value is ignored.
    Values are matched loosely: ``status:inprogress`` and ``status:"in progress"`` both work.
    """
    fields: dict[str, list[str]] = {}
    rest: list[str] = []
    last = 0
    for match in _FIELD.finditer(text):
        name = FIELD_NAMES.get(match.group(1).casefold())
        if name is None:
            continue
        rest.append(text[last : match.start()])
        last = match.end()
        value = _loose((match.group(2) or "").strip('"'))
        if value:  # "label:" or "label:-" alone asks for nothing
            fields.setdefault(name, []).append(value)
    rest.append(text[last:])
    return " ".join(rest).casefold().split(), fields


def _loose(text: str) -> str:
    """Case-folded, without spaces, dashes or underscores: ``In-progress`` → ``inprogress``."""
    return re.sub(r"[\s_\-']+", "", text.casefold())


def fields_match(fields: dict[str, list[str]], values: dict[str, list[str]]) -> bool:
    """Whether an item's ``values`` (per field, any number) satisfy every ``field:value`` term.

    Each term must be found (loosely, as part of the text) in one of the item's values.
    """
    for name, wanted in fields.items():
        have = [_loose(v) for v in values.get(name, []) if v]
        if not all(any(term in value for value in have) for term in wanted):
            return False
    return True


def terms(text: str) -> list[str]:
    """The free words of a filter text, case-folded (every word must match)."""
    return split_query(text)[0]


def text_matches(words: list[str], haystack: str) -> bool:
    """Whether every word occurs in ``haystack`` (already case-folded)."""
    return all(word in haystack for word in words)


def in_view(view: View, item_type: str, segment: str, *, show_epics: bool) -> bool:
    """Whether an item belongs to ``view`` (epics show in the Backlog only when asked)."""
    if view is View.EPICS:
        return item_type == ItemType.EPIC
    if segment != (Segment.INBOX if view is View.INBOX else Segment.BACKLOG):
        return False
    return show_epics or item_type != ItemType.EPIC


def quick_matches(
    quick: QuickView,
    *,
    points: float | None,
    blocked: bool,
    goal: str | None,
    updated_at: str,
    stale_before: str,
    not_ready: bool = False,
    open_questions: int = 0,
) -> bool:
    """Whether an item passes a quick view (``stale_before``: ISO time of the stale cut-off).

    ``not_ready`` serves "Not ready" and ``open_questions`` (unanswered questions) "Open
    questions"; callers may leave them out for the other views.
    """
    if quick is QuickView.NOT_READY:
        passes = not_ready
    elif quick is QuickView.MISSING_ESTIMATE:
        passes = points is None
    elif quick is QuickView.BLOCKED:
        passes = blocked
    elif quick is QuickView.OPEN_QUESTIONS:
        passes = open_questions > 0
    elif quick is QuickView.ORPHANS:
        passes = goal is None
    elif quick is QuickView.STALE:
        passes = updated_at < stale_before
    else:
        passes = True
    return passes


def stale_cutoff(now: dt.datetime, days: int) -> str:
    """The ISO timestamp before which an untouched item counts as stale."""
    return (now - dt.timedelta(days=days)).astimezone(dt.UTC).isoformat(timespec="microseconds")
