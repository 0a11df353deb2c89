"""Which backlog items a view shows: segment views, text filter and quick views.

Pure functions over plain values, called once per item on every keystroke: they avoid any
per-call allocation beyond what the match needs.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class BacklogFilter:
    """What the Backlog page shows."""

    view: View = View.BACKLOG
    text: str = ""
    quick: QuickView = QuickView.ALL
    show_epics: bool = False
    stale_days: int = 30

    @property
    def narrows(self) -> bool:
        """Whether rows of the view are hidden (a drop then lands after the row above)."""
        return bool(self.text.strip()) or self.quick is not QuickView.ALL


def terms(text: str) -> list[str]:
    """The words of a filter text, case-folded (every word must match)."""
    return text.casefold().split()


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
