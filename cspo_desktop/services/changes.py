"""What a service call changed, so views refresh only that."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Entity(enum.StrEnum):
    """The kinds of things a change can touch."""

    PRODUCT = "product"
    ITEM = "item"
    GOAL = "goal"
    SPRINT = "sprint"
    CRITERION = "criterion"


@dataclass(frozen=True, slots=True)
class Changes:
    """Entity kinds and ids a service call changed (empty ids: the whole kind)."""

    entities: dict[Entity, frozenset[int]] = field(default_factory=dict)
    #: Items whose rank is all that changed, with their new rank keys: list views move these
    #: rows in place instead of reloading.
    ranks: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entity: Entity, *ids: int) -> Changes:
        """A change of ``ids`` (or of the whole kind when none are given)."""
        return cls({entity: frozenset(ids)})

    @classmethod
    def reordered(cls, ranks: dict[int, str]) -> Changes:
        """Only the order of these items changed; ``ranks`` holds their new keys."""
        return cls({Entity.ITEM: frozenset(ranks)}, dict(ranks))

    @property
    def only_reordered(self) -> bool:
        """Whether the change is nothing but new ranks for :attr:`ranks`."""
        return bool(self.ranks) and self.entities == {Entity.ITEM: frozenset(self.ranks)}

    def touches(self, entity: Entity) -> bool:
        """Whether anything of this kind changed."""
        return entity in self.entities

    def __or__(self, other: Changes) -> Changes:
        merged = dict(self.entities)
        for entity, ids in other.entities.items():
            merged[entity] = merged.get(entity, frozenset()) | ids
        return Changes(merged, {**self.ranks, **other.ranks})
