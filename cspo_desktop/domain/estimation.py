"""Estimation scales: which point values an item may carry, and T-shirt sizes as points."""

from __future__ import annotations

import enum


class ScaleKind(enum.StrEnum):
    """The estimation scales a product can use."""

    FIBONACCI = "fibonacci"
    TSHIRT = "tshirt"
    CUSTOM = "custom"


FIBONACCI_POINTS: tuple[float, ...] = (0, 0.5, 1, 2, 3, 5, 8, 13, 20, 40, 100)

#: A T-shirt size counts as points through this (editable) table, so totals always add up.
DEFAULT_TSHIRT_POINTS: dict[str, float] = {"XS": 1, "S": 2, "M": 3, "L": 5, "XL": 8}


def format_points(points: float | None) -> str:
    """Show points the way a PO writes them: ``5``, ``0.5``, or empty when unestimated."""
    if points is None:
        return ""
    if float(points).is_integer():
        return str(int(points))
    return f"{points:g}"
