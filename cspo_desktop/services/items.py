"""Item use cases that the foundation needs: adding an item at the bottom of a segment."""

from __future__ import annotations

import json

from sqlmodel import col, func, select

from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.keys import item_key
from cspo_desktop.domain.ranking import key_between
from cspo_desktop.domain.vocabulary import EventKind
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.tables import AcceptanceCriterion, Item, ItemEvent, Product, utcnow
from cspo_desktop.services.changes import Changes, Entity

__all__ = ["MAX_TITLE", "NewItem", "add_item"]

MAX_TITLE = 500


def add_item(db: Database, new: NewItem) -> tuple[int, Changes]:
    """Add an item at the bottom of its segment, with its criteria and a "created" event.

    Returns:
        The new item's id and what changed.

    Raises:
        InvalidInput: an empty or over-long title, or negative points.
    """
    title = new.title  # kept exactly as typed; only a blank title is refused
    if not title.strip():
        msg = "An item needs a title."
        raise InvalidInput(msg)
    if len(title) > MAX_TITLE:
        msg = f"A title can have at most {MAX_TITLE} characters."
        raise InvalidInput(msg)
    if new.points is not None and new.points < 0:
        msg = "Points cannot be negative."
        raise InvalidInput(msg)
    with db.transaction() as session:
        product = session.exec(select(Product).order_by(col(Product.id))).first()
        if product is None:
            msg = "This file holds no product."
            raise NotFound(msg)
        last = session.exec(select(func.max(Item.rank))).one()
        now = utcnow()
        item = Item(
            key=item_key(product.key_prefix, product.next_item_number),
            type=new.type.value,
            title=title,
            description=new.description,
            points=new.points,
            segment=new.segment.value,
            rank=key_between(last, None),
            labels=json.dumps(list(new.labels), ensure_ascii=False),
            created_at=now,
            updated_at=now,
        )
        product.next_item_number += 1
        session.add(product)
        session.add(item)
        session.flush()
        assert item.id is not None
        for position, text in enumerate(new.criteria):
            session.add(AcceptanceCriterion(item_id=item.id, position=position, text=text))
        session.add(
            ItemEvent(item_id=item.id, at=now, kind=EventKind.CREATED.value, new_value=title)
        )
    return item.id, Changes.of(Entity.ITEM, item.id)
