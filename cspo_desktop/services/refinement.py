"""Refinement use cases: remembering when the Product Owner started the last refinement.

"What changed since I last pressed *Start refinement*" starts from that moment.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.tables import Product, utcnow
from cspo_desktop.services.changes import Changes, Entity


def _product(session: Session) -> Product:
    product = session.exec(select(Product).order_by(col(Product.id))).first()
    if product is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    return product


def start_refinement(db: Database, at: dt.datetime | None = None) -> Changes:
    """Remember ``at`` (now by default) as the start of the current refinement.

    Raises:
        InvalidInput: ``at`` has no time zone.
    """
    return set_refinement_started(db, utcnow() if at is None else at)


def set_refinement_started(db: Database, at: dt.datetime | None) -> Changes:
    """Set (or, with ``None``, forget) when refinement last started; undo uses it too.

    Raises:
        InvalidInput: ``at`` has no time zone.
    """
    if at is not None and at.tzinfo is None:
        msg = "The start of a refinement needs a time zone."
        raise InvalidInput(msg)
    with db.transaction() as session:
        product = _product(session)
        product.refinement_started_at = at
        session.add(product)
    return Changes.of(Entity.PRODUCT)


def refinement_started(db: Database) -> dt.datetime | None:
    """When refinement last started, if ever (for undo: the value to write back)."""
    with db.transaction() as session:
        return _product(session).refinement_started_at
