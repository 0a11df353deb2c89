"""Definition of Ready: the product's rules, and why an item does not meet them yet.

The rules are switches on the Product page; each one that is on must hold for an item to be
ready. They are stored as columns of ``product`` (``ready_*``); ``ready_max_points`` is NULL
when the size rule is off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.points import format_points

DEFAULT_MAX_POINTS = 8
MAX_POINTS_LIMIT = 1000

#: The switchable rules, in the order the Product page shows them, with their labels.
#: ``max_points`` reads "Not bigger than N points" and carries N.
RULE_LABELS: dict[str, str] = {
    "needs_criteria": "Has acceptance criteria",
    "needs_estimate": "Estimated",
    "max_points": "Not bigger than N points",
    "no_open_questions": "No open question",
    "no_unfinished_dependencies": "No unfinished dependency",
    "not_blocked": "Not blocked",
}


class ReadyRules(NamedTuple):
    """The Definition of Ready rules of a product; a rule that is ``False`` / ``None`` is off.

    A named tuple: its class is made before the first paint, where a dataclass costs ~1 ms.

    Attributes:
        needs_criteria: an item needs at least one acceptance criterion.
        needs_estimate: an item needs points.
        max_points: an item may not be bigger than this many points (``None``: no limit).
        no_open_questions: every question of the team has been answered.
        no_unfinished_dependencies: every item it depends on is done.
        not_blocked: it is not marked as blocked.
    """

    needs_criteria: bool = True
    needs_estimate: bool = True
    max_points: int | None = DEFAULT_MAX_POINTS
    no_open_questions: bool = True
    no_unfinished_dependencies: bool = True
    not_blocked: bool = True

    @classmethod
    def from_row(cls, row: Sequence[object]) -> ReadyRules:
        """Build from the stored columns, in field order (see ``queries.ready_rules_row``)."""
        (criteria, estimate, max_points, questions, dependencies, blocked) = row
        return cls(
            needs_criteria=bool(criteria),
            needs_estimate=bool(estimate),
            max_points=None if max_points is None else int(str(max_points)),
            no_open_questions=bool(questions),
            no_unfinished_dependencies=bool(dependencies),
            not_blocked=bool(blocked),
        )

    def with_rule(self, name: str, value: bool | int | None) -> ReadyRules:
        """A copy with one rule changed (``max_points`` takes a number or ``None``)."""
        if name not in RULE_LABELS:
            msg = f"“{name}” is not a Definition of Ready rule."
            raise InvalidInput(msg)
        if name == "max_points":
            if isinstance(value, bool):
                msg = "The size limit is a number of points."
                raise InvalidInput(msg)
            return self._replace(max_points=value)
        return self._replace(**{name: bool(value)})

    def is_on(self, name: str) -> bool:
        """Whether the rule ``name`` is switched on."""
        value = getattr(self, name)
        return value is not None and value is not False

    def active(self) -> list[str]:
        """The names of the rules that are on, in page order."""
        return [name for name in self._fields if self.is_on(name)]


def check_max_points(value: int) -> int:
    """Check a size limit for "not bigger than N points".

    Raises:
        InvalidInput: the limit is not between 1 and :data:`MAX_POINTS_LIMIT`.
    """
    if not 1 <= value <= MAX_POINTS_LIMIT:
        msg = f"The size limit must be between 1 and {MAX_POINTS_LIMIT:,} points."
        raise InvalidInput(msg)
    return value


def rule_label(name: str, rules: ReadyRules | None = None) -> str:
    """A rule's label, with the size limit filled in when ``rules`` carries one."""
    if name == "max_points":
        limit = rules.max_points if rules is not None else None
        return f"Not bigger than {limit} points" if limit is not None else "Not too big"
    return RULE_LABELS[name]


def describe_change(old: ReadyRules, new: ReadyRules) -> str:
    """Name a change of rules, for an undo entry: ``Turn on ready rule 'Estimated'``."""
    changed = [name for name in old._fields if getattr(old, name) != getattr(new, name)]
    if len(changed) != 1:
        return "Change Definition of Ready"
    name = changed[0]
    if name == "max_points" and old.max_points is not None and new.max_points is not None:
        return f"Set ready size limit to {new.max_points} points"
    verb = "on" if new.is_on(name) else "off"
    return f"Turn {verb} ready rule '{rule_label(name, new if new.is_on(name) else old)}'"


class ItemFacts(NamedTuple):
    """What readiness looks at in one item (a named tuple: made before the first paint).

    Attributes:
        criteria: how many acceptance criteria it has.
        points: its estimate, or ``None``.
        open_questions: how many of its questions are still open.
        unfinished_dependencies: how many items it depends on are not done.
        blocked: whether it is marked as blocked.
    """

    criteria: int = 0
    points: float | None = None
    open_questions: int = 0
    unfinished_dependencies: int = 0
    blocked: bool = False


def reasons_not_ready(rules: ReadyRules, item: ItemFacts) -> list[str]:
    """Why ``item`` is not ready under ``rules``, in rule order; empty when it is ready."""
    reasons: list[str] = []
    if rules.needs_criteria and item.criteria == 0:
        reasons.append("No acceptance criteria")
    if rules.needs_estimate and item.points is None:
        reasons.append("Not estimated")
    if rules.max_points is not None and item.points is not None and item.points > rules.max_points:
        reasons.append(
            f"Bigger than {rules.max_points} points ({format_points(item.points)}): split it"
        )
    if rules.no_open_questions and item.open_questions:
        count = item.open_questions
        reasons.append(f"{count} open question{'s' if count != 1 else ''}")
    if rules.no_unfinished_dependencies and item.unfinished_dependencies:
        count = item.unfinished_dependencies
        reasons.append(f"Depends on {count} unfinished item{'s' if count != 1 else ''}")
    if rules.not_blocked and item.blocked:
        reasons.append("Blocked")
    return reasons
