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

    @classmethod
    def of(cls, entity: Entity, *ids: int) -> Changes:
        """A change of ``ids`` (or of the whole kind when none are given)."""
        return cls({entity: frozenset(ids)})

    def touches(self, entity: Entity) -> bool:
        """Whether anything of this kind changed."""
        return entity in self.entities

    def __or__(self, other: Changes) -> Changes:
        merged = dict(self.entities)
        for entity, ids in other.entities.items():
            merged[entity] = merged.get(entity, frozenset()) | ids
        return Changes(merged)
