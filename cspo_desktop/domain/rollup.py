"""Epic roll-up: how far each epic's items are, by points and by count.

Pure functions over plain values. Only an epic's own children count (items whose parent is the
epic); nothing is summed through deeper levels. An item is done when its status is ``done``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from cspo_desktop.domain.points import format_points
from cspo_desktop.domain.vocabulary import ItemType, Status
from cspo_desktop.domain.wording import plural

#: One item as the roll-up reads it: (id, type, parent id, status, points).
RollupRow = tuple[int, str, int | None, str, float | None]


class Rollup(NamedTuple):
    """How far one epic is (a named tuple: its class is made before the first paint).

    Attributes:
        items: how many items the epic holds (its children).
        points: the children's points, unestimated ones counting 0.
        done_points: the points of the children that are done.
        done_items: how many children are done.
        percent: done share, 0-100 rounded down: by points, or by item count when no child has
            points (0 for an empty epic).
    """

    items: int
    points: float
    done_points: float
    done_items: int
    percent: int

    def summary(self) -> str:
        """One line for a list cell, e.g. ``40% · 12/30 pts · 5 items``."""
        if not self.items:
            return "No items"
        if self.points:
            done, total = format_points(self.done_points), format_points(self.points)
            return f"{self.percent}% · {done}/{total} pts · {plural(self.items, 'item')}"
        return f"{self.percent}% · {self.done_items:,}/{plural(self.items, 'item')}"

    def details(self) -> str:
        """The full numbers, for a tooltip."""
        if not self.items:
            return "No items in this epic yet"
        items = f"{self.done_items:,} of {plural(self.items, 'item')} done"
        if not self.points:
            return f"{items}; no points estimated"
        done, total = format_points(self.done_points), format_points(self.points)
        return f"{items}; {done} of {total} points done"


EMPTY = Rollup(items=0, points=0.0, done_points=0.0, done_items=0, percent=0)


def share(done: float, total: float) -> int:
    """``done`` as a whole percentage of ``total``, rounded down (0 when ``total`` is 0)."""
    if total <= 0:
        return 0
    return min(100, int(done * 100 // total))


def rollups(rows: Iterable[RollupRow]) -> dict[int, Rollup]:
    """Every epic's roll-up, from every item of the product (one pass).

    Args:
        rows: each item as (id, type, parent id, status, points), in any order.

    Returns:
        The roll-up of each epic by its id, every epic included (an empty one has
        :data:`EMPTY`).
    """
    epics: list[int] = []
    # parent id -> [items, points, done points, done items]
    sums: dict[int, list[float]] = {}
    epic, done = ItemType.EPIC.value, Status.DONE.value
    for item, kind, parent, status, points in rows:
        if kind == epic:
            epics.append(item)
        if parent is None:
            continue
        acc = sums.get(parent)
        if acc is None:
            acc = sums[parent] = [0, 0.0, 0.0, 0]
        acc[0] += 1
        if points is not None:
            acc[1] += points
        if status == done:
            acc[3] += 1
            if points is not None:
                acc[2] += points
    out: dict[int, Rollup] = {}
    for item in epics:
        acc = sums.get(item)
        if acc is None:
            out[item] = EMPTY
            continue
        items, total, done_points, done_items = int(acc[0]), acc[1], acc[2], int(acc[3])
        percent = share(done_points, total) if total > 0 else share(done_items, items)
        out[item] = Rollup(items, total, done_points, done_items, percent)
    return out
