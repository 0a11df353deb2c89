"""What changed in the backlog since a moment: added, removed, moved and re-estimated items.

Pure arithmetic over the items as they are now and the ``item_event`` entries written after
the moment ``T``. The backlog at ``T`` is rebuilt backwards from those entries:

- an item's rank at ``T`` is the ``old_value`` of its first ``moved`` event after ``T``, else
  its rank now (a deleted item's rank comes from ``ranks_at``: its last move up to ``T``);
- its points at ``T`` are the ``old_value`` of its first ``points`` event after ``T``;
- it existed at ``T`` unless its first ``created``/``deleted``/``restored`` event after ``T``
  is ``created`` or ``restored`` (an item deleted after ``T`` existed at ``T`` unless it was
  also created after ``T``).

Positions count, from 1, the items of the ranked backlog: the Backlog segment without epics,
in ``(rank, id)`` order, as the Backlog page shows them.

Limitations, accepted:

- An item's type and segment are taken as they are now, not as they were at ``T``.
- A deleted item's rank at ``T`` is known only if it was moved at least once before it was
  deleted (creation events carry no rank); otherwise it is left out of the positions at ``T``,
  so the items below it do not show the one place they gained.
- A re-key of the whole list (bookkeeping that writes no events) after ``T`` gives every item
  a new key while ``moved`` events keep the old ones; old and new keys are then not comparable
  and the positions at ``T`` can be wrong. Re-keys are rare (only when keys run out of room).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cspo_desktop.domain.estimation import format_points
from cspo_desktop.domain.vocabulary import EventKind, ItemType, Segment


@dataclass(frozen=True, slots=True)
class CurrentItem:
    """An item as it is now."""

    id: int
    key: str
    title: str
    rank: str
    points: float | None = None
    type: str = ItemType.STORY.value
    segment: str = Segment.BACKLOG.value

    @property
    def ranked(self) -> bool:
        """Whether the item has a place in the ranked backlog (Backlog segment, not an epic)."""
        return self.segment == Segment.BACKLOG and self.type != ItemType.EPIC


@dataclass(frozen=True, slots=True)
class Event:
    """One ``item_event`` entry written after the moment asked about."""

    item_id: int
    at: str
    kind: str
    old_value: str | None = None
    new_value: str | None = None


@dataclass(frozen=True, slots=True)
class Added:
    """An item created since, still there; ``position`` is ``None`` outside the ranked backlog."""

    id: int
    key: str
    title: str
    position: int | None
    segment: str


@dataclass(frozen=True, slots=True)
class Removed:
    """An item that was there and is gone; its key is not in the history (``None``)."""

    id: int
    key: str | None
    title: str
    at: str
    position: int | None


@dataclass(frozen=True, slots=True)
class Moved:
    """An item whose place changed; ``places`` > 0 means it went up by that many places.

    ``moved_itself`` is ``False`` when the item was not moved but pushed by others (items
    added, removed or moved around it).
    """

    id: int
    key: str
    title: str
    old_position: int
    new_position: int
    moved_itself: bool

    @property
    def places(self) -> int:
        """Places gained (positive: up towards the top) or lost (negative)."""
        return self.old_position - self.new_position


@dataclass(frozen=True, slots=True)
class Reestimated:
    """An item whose points changed; points as a PO writes them, ``""`` when unestimated."""

    id: int
    key: str
    title: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Since:
    """The backlog's changes since :attr:`at` (ISO 8601 UTC)."""

    at: str
    added: tuple[Added, ...] = ()
    removed: tuple[Removed, ...] = ()
    moved: tuple[Moved, ...] = ()
    reestimated: tuple[Reestimated, ...] = ()

    @property
    def nothing(self) -> bool:
        """Whether nothing changed at all."""
        return not (self.added or self.removed or self.moved or self.reestimated)


_LIFE = {EventKind.CREATED, EventKind.DELETED, EventKind.RESTORED}


@dataclass(slots=True)
class _Story:
    """What the events after ``T`` tell about one item."""

    first_life: str | None = None
    rank_at: str | None = None
    moved: bool = False
    points_at: str = ""
    points_changed: bool = False
    deleted: Event | None = None


def _normal_points(text: str | None) -> str:
    """Points text in one spelling ("5.0" and "5" are the same estimate)."""
    if text is None or not text.strip():
        return ""
    try:
        return format_points(float(text))
    except ValueError:
        return text.strip()


def _stories(events: Iterable[Event]) -> dict[int, _Story]:
    stories: dict[int, _Story] = {}
    for event in events:
        story = stories.setdefault(event.item_id, _Story())
        if event.kind in _LIFE:
            if story.first_life is None:
                story.first_life = event.kind
            story.deleted = event if event.kind == EventKind.DELETED else None
        elif event.kind == EventKind.MOVED and not story.moved:
            story.moved = True
            story.rank_at = event.old_value
        elif event.kind == EventKind.POINTS and not story.points_changed:
            story.points_changed = True
            story.points_at = _normal_points(event.old_value)
    return stories


def _positions(ranks: Mapping[int, str]) -> dict[int, int]:
    order = sorted(ranks.items(), key=lambda pair: (pair[1], pair[0]))
    return {item: place for place, (item, _rank) in enumerate(order, start=1)}


def what_changed(
    at: str,
    items: Iterable[CurrentItem],
    events: Iterable[Event],
    ranks_at: Mapping[int, str] | None = None,
) -> Since:
    """Compare the backlog now with the backlog at ``at``.

    Args:
        at: the moment, ISO 8601 UTC text (only carried into the report).
        items: every item as it is now.
        events: the history entries written after ``at``, in the order they happened.
        ranks_at: rank keys at ``at`` of items deleted since, where the history knows them.

    Returns:
        Added and re-estimated items in rank order, removed ones in the order they went,
        moved ones by the size of the move (largest first).
    """
    now = sorted(items, key=lambda item: (item.rank, item.id))
    stories = _stories(events)
    blank = _Story()

    def existed(item_id: int, exists_now: bool) -> bool:
        first = stories.get(item_id, blank).first_life
        return exists_now if first is None else first == EventKind.DELETED

    current = {item.id: item for item in now}
    gone = [
        s.deleted
        for item_id, s in stories.items()
        if s.deleted is not None and item_id not in current and existed(item_id, False)
    ]
    ranks_then = {
        item.id: stories.get(item.id, blank).rank_at or item.rank
        for item in now
        if item.ranked and existed(item.id, True)
    }
    for event in gone:
        rank = stories[event.item_id].rank_at or (ranks_at or {}).get(event.item_id)
        if rank is not None:
            ranks_then[event.item_id] = rank
    then = _positions(ranks_then)
    positions = _positions({item.id: item.rank for item in now if item.ranked})

    added = tuple(
        Added(item.id, item.key, item.title, positions.get(item.id), item.segment)
        for item in now
        if not existed(item.id, True)
    )
    removed = tuple(
        Removed(e.item_id, None, e.old_value or e.new_value or "", e.at, then.get(e.item_id))
        for e in sorted(gone, key=lambda e: e.at)
    )
    moved = sorted(
        (
            Moved(
                item.id,
                item.key,
                item.title,
                then[item.id],
                positions[item.id],
                stories.get(item.id, blank).moved,
            )
            for item in now
            if item.id in then and item.id in positions and then[item.id] != positions[item.id]
        ),
        key=lambda m: (-abs(m.places), m.new_position),
    )
    reestimated: list[Reestimated] = []
    for item in now:
        story = stories.get(item.id, blank)
        new = format_points(item.points)
        if story.points_changed and story.points_at != new and existed(item.id, True):
            reestimated.append(Reestimated(item.id, item.key, item.title, story.points_at, new))
    return Since(at, added, removed, tuple(moved), tuple(reestimated))
