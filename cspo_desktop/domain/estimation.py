"""Estimation scales: which point values an item may carry, and T-shirt sizes as points.

A product estimates in Fibonacci points, in T-shirt sizes (each size counts as points through
an editable table, so totals and velocity always add up) or in a custom list of numbers the
Product Owner types. The scale is stored as its kind plus a JSON text (``product.scale_values``):
empty for Fibonacci, an object ``{"XS": 1, …}`` for T-shirt sizes (in size order), an array
``[1, 2, 4]`` for a custom scale. Reading a stored scale never fails: anything unreadable falls
back to the kind's default, so a damaged setting cannot stop a product from opening.
"""

from __future__ import annotations

import enum
import itertools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.points import format_points as format_points  # noqa: PLC0414 - re-export


class ScaleKind(enum.StrEnum):
    """The estimation scales a product can use."""

    FIBONACCI = "fibonacci"
    TSHIRT = "tshirt"
    CUSTOM = "custom"


FIBONACCI_POINTS: tuple[float, ...] = (0, 0.5, 1, 2, 3, 5, 8, 13, 20, 40, 100)

#: A T-shirt size counts as points through this (editable) table, so totals always add up.
DEFAULT_TSHIRT_POINTS: dict[str, float] = {"XS": 1, "S": 2, "M": 3, "L": 5, "XL": 8}

#: Limits that keep a scale usable in a picker (and a typo from making a 10,000-entry menu).
MIN_VALUES = 2
MAX_VALUES = 30
MAX_POINTS = 10_000
MAX_SIZE_NAME = 12

#: What separates the numbers of a typed custom scale: commas, semicolons, spaces, middle dots.
_SEPARATORS = re.compile(r"[,;·\s]+")
#: A plain decimal number with ASCII digits ("3", "0.5", ".5", "2."); no signs, no exponents.
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
_EXAMPLE = "e.g. 1, 2, 3, 5, 8"


def point_label(points: float) -> str:
    """Points as a card of a planning-poker deck shows them: ``½`` for a half, else the number."""
    return "½" if points == 0.5 else format_points(points)


def _quoted(token: str) -> str:
    return f"“{token}”"


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def parse_custom_values(text: str) -> tuple[float, ...]:
    """Read a custom scale as typed: ``"1, 2, 3, 5, 8"`` → ``(1.0, 2.0, 3.0, 5.0, 8.0)``.

    Numbers may be separated by commas, semicolons, spaces or middle dots, in any order; the
    result is sorted. ``½`` reads as 0.5.

    Raises:
        InvalidInput: a word that is not a number, a negative number, a value typed twice, too
            few or too many values, or a value that is too large. The message names them all.
    """
    tokens = [t for t in _SEPARATORS.split(text) if t]
    if not tokens:
        msg = f"Type the values of the scale, separated by commas ({_EXAMPLE})."
        raise InvalidInput(msg)
    values: list[float] = []
    not_numbers: list[str] = []
    negatives: list[str] = []
    for token in tokens:
        if token == "½":
            values.append(0.5)
        elif _NUMBER.match(token):
            values.append(float(token))
        elif token.startswith(("-", "\N{MINUS SIGN}")) and _NUMBER.match(token[1:]):
            negatives.append(token)
        else:
            not_numbers.append(token)
    problems: list[str] = []
    if not_numbers:
        verb = "is not a number" if len(not_numbers) == 1 else "are not numbers"
        problems.append(f"{_and([_quoted(t) for t in not_numbers])} {verb}")
    if negatives:
        verb = "is negative" if len(negatives) == 1 else "are negative"
        problems.append(f"{_and([_quoted(t) for t in negatives])} {verb}")
    if problems:
        msg = (
            f"{_sentence(_and(problems))}. "
            f"Type numbers of zero or more, separated by commas ({_EXAMPLE})."
        )
        raise InvalidInput(msg)
    return validate_values(values)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def validate_values(values: Iterable[float]) -> tuple[float, ...]:
    """Check the values of a custom scale and return them sorted.

    Raises:
        InvalidInput: a negative, non-finite or too large value, a value given twice, fewer
            than :data:`MIN_VALUES` or more than :data:`MAX_VALUES` values.
    """
    numbers = [float(v) for v in values]
    bad = [v for v in numbers if not math.isfinite(v) or v < 0]
    if bad:
        msg = f"Points are numbers of zero or more; {_and([str(v) for v in bad])} cannot be used."
        raise InvalidInput(msg)
    too_big = [v for v in numbers if v > MAX_POINTS]
    if too_big:
        msg = f"Points can be at most {MAX_POINTS:,}; {format_points(max(too_big))} is too large."
        raise InvalidInput(msg)
    seen: set[float] = set()
    twice: list[str] = []
    for v in numbers:
        if v in seen and format_points(v) not in twice:
            twice.append(format_points(v))
        seen.add(v)
    if twice:
        verb = "appears" if len(twice) == 1 else "appear"
        msg = f"{_and(twice)} {verb} more than once; each value can be on the scale only once."
        raise InvalidInput(msg)
    if len(numbers) < MIN_VALUES:
        msg = f"A scale needs at least {MIN_VALUES} values ({_EXAMPLE})."
        raise InvalidInput(msg)
    if len(numbers) > MAX_VALUES:
        msg = f"A scale can have at most {MAX_VALUES} values; this one has {len(numbers)}."
        raise InvalidInput(msg)
    return tuple(sorted(numbers))


def validate_sizes(sizes: Iterable[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    """Check a T-shirt size → points table (in size order) and return it.

    Size names are kept exactly as typed. Each size must be worth more points than the one
    before, so a number of points always names exactly one size.

    Raises:
        InvalidInput: a blank, too long or repeated size name, bad points, points that do not
            grow from size to size, fewer than :data:`MIN_VALUES` or more than
            :data:`MAX_VALUES` sizes.
    """
    table = [(str(name), float(points)) for name, points in sizes]
    if len(table) < MIN_VALUES:
        msg = f"T-shirt sizes need at least {MIN_VALUES} sizes."
        raise InvalidInput(msg)
    if len(table) > MAX_VALUES:
        msg = f"T-shirt sizes can have at most {MAX_VALUES} sizes."
        raise InvalidInput(msg)
    seen: set[str] = set()
    for name, points in table:
        if not name.strip():
            msg = "Every T-shirt size needs a name, such as M or XL."
            raise InvalidInput(msg)
        if len(name) > MAX_SIZE_NAME:
            msg = f"A size name can have at most {MAX_SIZE_NAME} characters; “{name}” is longer."
            raise InvalidInput(msg)
        if name.casefold() in seen:
            msg = f"The size “{name}” is in the table twice; each size can be there only once."
            raise InvalidInput(msg)
        seen.add(name.casefold())
        if not math.isfinite(points) or points < 0 or points > MAX_POINTS:
            msg = f"Size “{name}” needs points between 0 and {MAX_POINTS:,}."
            raise InvalidInput(msg)
    for (small, low), (big, high) in itertools.pairwise(table):
        if high <= low:
            msg = (
                f"Each size must be worth more points than the one before: {big} "
                f"({format_points(high)}) is not more than {small} ({format_points(low)})."
            )
            raise InvalidInput(msg)
    return tuple(table)


def _stored_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True, slots=True)
class EstimationScale:
    """A product's estimation scale.

    Attributes:
        kind: Fibonacci, T-shirt sizes or custom.
        values: the point values an item may carry, ascending.
        sizes: for T-shirt sizes, each size with its points, in size order; else empty.
    """

    kind: ScaleKind
    values: tuple[float, ...]
    sizes: tuple[tuple[str, float], ...] = ()

    # ---- Making
    @classmethod
    def fibonacci(cls) -> EstimationScale:
        """The Fibonacci-like planning-poker deck."""
        return cls(ScaleKind.FIBONACCI, tuple(float(v) for v in FIBONACCI_POINTS))

    @classmethod
    def tshirt(cls, sizes: Iterable[tuple[str, float]] | None = None) -> EstimationScale:
        """T-shirt sizes with their points (the default table when none is given).

        Raises:
            InvalidInput: see :func:`validate_sizes`.
        """
        table = validate_sizes(DEFAULT_TSHIRT_POINTS.items() if sizes is None else sizes)
        return cls(ScaleKind.TSHIRT, tuple(points for _name, points in table), table)

    @classmethod
    def custom(cls, values: Iterable[float]) -> EstimationScale:
        """A custom list of point values.

        Raises:
            InvalidInput: see :func:`validate_values`.
        """
        return cls(ScaleKind.CUSTOM, validate_values(values))

    @classmethod
    def default(cls, kind: ScaleKind) -> EstimationScale:
        """The scale a product gets when it switches to ``kind`` with nothing else to go on."""
        if kind is ScaleKind.TSHIRT:
            return cls.tshirt()
        if kind is ScaleKind.CUSTOM:
            return cls(ScaleKind.CUSTOM, tuple(float(v) for v in FIBONACCI_POINTS))
        return cls.fibonacci()

    # ---- Storing
    def to_stored(self) -> str:
        """The JSON text kept in ``product.scale_values`` (empty for Fibonacci)."""
        if self.kind is ScaleKind.TSHIRT:
            table = {name: _stored_number(points) for name, points in self.sizes}
            return json.dumps(table, ensure_ascii=False, separators=(", ", ": "))
        if self.kind is ScaleKind.CUSTOM:
            return json.dumps([_stored_number(v) for v in self.values], separators=(", ", ": "))
        return ""

    @classmethod
    def from_stored(cls, kind: str, text: str) -> EstimationScale:
        """Read a stored scale; anything unreadable gives the kind's default (never fails)."""
        try:
            scale_kind = ScaleKind(kind)
        except ValueError:
            return cls.fibonacci()
        try:
            data = json.loads(text) if text.strip() else None
            if scale_kind is ScaleKind.TSHIRT and isinstance(data, dict):
                return cls.tshirt((str(k), _as_number(v)) for k, v in data.items())
            if scale_kind is ScaleKind.CUSTOM and isinstance(data, list):
                return cls.custom(_as_number(v) for v in data)
        except (ValueError, TypeError, InvalidInput):
            pass
        return cls.default(scale_kind)

    # ---- Showing
    def label(self, points: float | None) -> str:
        """How an estimate reads on this scale: ``M`` for T-shirt sizes, else the number."""
        if points is None:
            return ""
        for name, size_points in self.sizes:
            if size_points == points:
                return name
        return point_label(points)

    def choices(self) -> tuple[tuple[str, float], ...]:
        """What a points picker offers: each allowed value with its label, smallest first."""
        if self.sizes:
            return self.sizes
        return tuple((point_label(v), v) for v in self.values)

    def describe(self) -> str:
        """The scale in one line: ``0 · ½ · 1 · 2 …`` or ``XS 1 · S 2 · M 3 …``."""
        if self.sizes:
            return " · ".join(f"{name} {format_points(p)}" for name, p in self.sizes)
        return " · ".join(point_label(v) for v in self.values)

    def typed(self) -> str:
        """The values as a user would type them: ``1, 2, 4, 8``."""
        return ", ".join(format_points(v) for v in self.values)


def _as_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{value!r} is not a number"
        raise TypeError(msg)
    return float(value)
