"""Product-level use cases: name and vision board."""

from __future__ import annotations

from sqlmodel import Session, col, select

from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.vocabulary import VISION_LABELS
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.tables import Product, utcnow
from cspo_desktop.services.changes import Changes, Entity

MAX_NAME = 200

#: Product fields a user edits as text, with the words an undo entry uses for them.
TEXT_FIELDS: dict[str, str] = {"name": "product name", **VISION_LABELS}


def _product(session: Session) -> Product:
    product = session.exec(select(Product).order_by(col(Product.id))).first()
    if product is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    return product


def get_text(db: Database, field: str) -> str:
    """Read one text field of the product (its name or a vision board pane)."""
    _check_field(field)
    with db.transaction() as session:
        return str(getattr(_product(session), field))


def set_text(db: Database, field: str, value: str) -> Changes:
    """Set the product's name or one vision board pane, exactly as typed.

    Raises:
        InvalidInput: an unknown field, an empty name or a name that is too long.
    """
    _check_field(field)
    if field == "name":
        if not value.strip():
            msg = "The product needs a name."
            raise InvalidInput(msg)
        if len(value) > MAX_NAME:
            msg = f"A product name can have at most {MAX_NAME} characters."
            raise InvalidInput(msg)
    with db.transaction() as session:
        product = _product(session)
        if getattr(product, field) != value:
            setattr(product, field, value)
            product.updated_at = utcnow()
            product.version += 1
            session.add(product)
    return Changes.of(Entity.PRODUCT)


def _check_field(field: str) -> None:
    if field not in TEXT_FIELDS:
        msg = f"“{field}” is not a text field of the product."
        raise InvalidInput(msg)
