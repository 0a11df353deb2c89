"""Points as a Product Owner writes them.

Apart from :mod:`estimation` (scales, parsing), which the backlog's first paint need not load.
"""

from __future__ import annotations


def format_points(points: float | None) -> str:
    """Show points the way a PO writes them: ``5``, ``0.5``, or empty when unestimated."""
    if points is None:
        return ""
    if float(points).is_integer():
        return str(int(points))
    return f"{points:g}"
