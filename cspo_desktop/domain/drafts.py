"""What a user gives to create things, before the product file has them."""

from __future__ import annotations

from dataclasses import dataclass

from cspo_desktop.domain.vocabulary import ItemType, Segment


@dataclass(frozen=True, slots=True)
class NewItem:
    """What a user gives to create an item."""

    title: str
    type: ItemType = ItemType.STORY
    description: str = ""
    points: float | None = None
    segment: Segment = Segment.BACKLOG
    labels: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
