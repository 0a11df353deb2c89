"""Where moved items land in a ranked list, and the keys they get there.

Pure list arithmetic over ``(id, key)`` pairs in rank order; the services read and write
the keys. A move of several items keeps their relative order and puts them, as one block,
right after an anchor item (or right before one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fractional_indexing import FIError

from cspo_desktop.domain.anchor import Anchor
from cspo_desktop.domain.ranking import MAX_KEY_LENGTH, keys_between

__all__ = ["Anchor", "block_keys", "changed_keys", "fresh_keys", "in_rank_order", "reorder"]


def block_keys(low: str | None, high: str | None, count: int) -> list[str] | None:
    """Keys for ``count`` items between two neighbour keys, or ``None`` if the list needs re-keying.

    ``None`` when the neighbours leave no room (equal or out of order, which only a damaged or
    foreign-made list has), when a neighbour's key is malformed, or when a key would pass
    :data:`MAX_KEY_LENGTH` characters.
    """
    if low is not None and high is not None and low >= high:
        return None
    try:
        keys = keys_between(low, high, count)
    except FIError:  # a neighbour's key is not one this library makes (foreign or damaged)
        return None
    if any(len(key) > MAX_KEY_LENGTH for key in keys):
        return None
    return keys


def reorder(order: Sequence[int], moved: Sequence[int], anchor: Anchor) -> list[int]:
    """The list order after moving ``moved`` (kept in their given order) to ``anchor``."""
    moving = set(moved)
    rest = [item for item in order if item not in moving]
    if anchor.after is not None:
        at = rest.index(anchor.after) + 1
    elif anchor.before is not None:
        at = rest.index(anchor.before)
    else:
        at = len(rest)
    return [*rest[:at], *moved, *rest[at:]]


def fresh_keys(order: Sequence[int]) -> dict[int, str]:
    """Evenly spread, short keys for a whole list in the given order (a re-key)."""
    return dict(zip(order, keys_between(None, None, len(order)), strict=True))


def changed_keys(old: dict[int, str], new: dict[int, str]) -> dict[int, str]:
    """The entries of ``new`` that differ from ``old``."""
    return {item: key for item, key in new.items() if old.get(item) != key}


def in_rank_order(pairs: Iterable[tuple[int, str]]) -> list[int]:
    """Ids sorted by ``(key, id)``: the order every list shows (byte-wise key comparison)."""
    return [item for item, _key in sorted(pairs, key=lambda pair: (pair[1], pair[0]))]
