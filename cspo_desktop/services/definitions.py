"""The product's working agreements: Definition of Done, Definition of Ready, estimation scale.

Each function is one transaction and returns what undo needs to write the old state back
exactly: deleted lines come back with their id and position, a reorder returns the old
positions, a change of rules or scale returns the old values as they were stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from cspo_desktop.domain.errors import Conflict, InvalidInput, NotFound
from cspo_desktop.domain.estimation import EstimationScale, ScaleKind
from cspo_desktop.domain.readiness import ReadyRules, check_max_points
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.tables import DoneCriterion, Product, utcnow
from cspo_desktop.services.changes import Changes, Entity

MAX_DONE_TEXT = 500


@dataclass(frozen=True, slots=True)
class DoneLine:
    """One line of the Definition of Done as stored: what undo of a delete puts back."""

    id: int
    position: int
    text: str


# ---------------------------------------------------------------- Definition of Done


def _check_text(text: str) -> str:
    if not text.strip():
        msg = "A line of the Definition of Done needs some text."
        raise InvalidInput(msg)
    if len(text) > MAX_DONE_TEXT:
        msg = f"A line of the Definition of Done can have at most {MAX_DONE_TEXT} characters."
        raise InvalidInput(msg)
    return text


def _line(session: Session, line_id: int) -> DoneCriterion:
    line = session.get(DoneCriterion, line_id)
    if line is None:
        msg = "That line of the Definition of Done no longer exists."
        raise NotFound(msg)
    return line


def add_done_criterion(db: Database, text: str) -> tuple[int, Changes]:
    """Add a line at the end of the Definition of Done, exactly as typed.

    Raises:
        InvalidInput: blank or over-long text.
    """
    _check_text(text)
    with db.transaction() as session:
        last = session.exec(select(func.coalesce(func.max(DoneCriterion.position), -1))).one()
        line = DoneCriterion(position=int(last) + 1, text=text)
        session.add(line)
        session.flush()
        assert line.id is not None
    return line.id, Changes.of(Entity.PRODUCT)


def edit_done_criterion(db: Database, line_id: int, text: str) -> Changes:
    """Change the text of one line, exactly as typed.

    Raises:
        InvalidInput: blank or over-long text.
        NotFound: the line no longer exists.
    """
    _check_text(text)
    with db.transaction() as session:
        line = _line(session, line_id)
        line.text = text
        session.add(line)
    return Changes.of(Entity.PRODUCT)


def reorder_done_criteria(
    db: Database, ordered_ids: Sequence[int]
) -> tuple[dict[int, int], Changes]:
    """Put the lines in this order (positions 0, 1, 2 …).

    Returns:
        The old position of every line whose position changed (what undo writes back).

    Raises:
        InvalidInput: ``ordered_ids`` is not exactly the lines of the Definition of Done.
    """
    with db.transaction() as session:
        lines = {
            line.id: line for line in session.exec(select(DoneCriterion)) if line.id is not None
        }
        if sorted(ordered_ids) != sorted(lines):
            msg = "The Definition of Done changed meanwhile; nothing was reordered."
            raise InvalidInput(msg)
        old: dict[int, int] = {}
        for position, line_id in enumerate(ordered_ids):
            line = lines[line_id]
            if line.position != position:
                old[line_id] = line.position
                line.position = position
                session.add(line)
    return old, Changes.of(Entity.PRODUCT)


def set_done_positions(db: Database, positions: Mapping[int, int]) -> Changes:
    """Write positions back (the undo of a reorder).

    Raises:
        NotFound: one of the lines no longer exists; nothing was written.
    """
    with db.transaction() as session:
        for line_id, position in positions.items():
            line = _line(session, line_id)
            line.position = position
            session.add(line)
    return Changes.of(Entity.PRODUCT)


def delete_done_criterion(db: Database, line_id: int) -> tuple[DoneLine, Changes]:
    """Delete one line; the others keep their positions.

    Raises:
        NotFound: the line no longer exists.
    """
    with db.transaction() as session:
        line = _line(session, line_id)
        gone = DoneLine(line_id, line.position, line.text)
        session.delete(line)
    return gone, Changes.of(Entity.PRODUCT)


def restore_done_criterion(db: Database, line: DoneLine) -> Changes:
    """Put a deleted line back with its id and position.

    Raises:
        Conflict: a line with that id exists already.
    """
    with db.transaction() as session:
        if session.get(DoneCriterion, line.id) is not None:
            msg = "That line of the Definition of Done is already there."
            raise Conflict(msg)
        session.add(DoneCriterion(id=line.id, position=line.position, text=line.text))
    return Changes.of(Entity.PRODUCT)


# ---------------------------------------------------------------- product settings


def _product(session: Session) -> Product:
    product = session.exec(select(Product).order_by(col(Product.id))).first()
    if product is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    return product


def _touch(session: Session, product: Product) -> None:
    product.updated_at = utcnow()
    product.version += 1
    session.add(product)


def _rules_of(product: Product) -> ReadyRules:
    return ReadyRules(
        needs_criteria=product.ready_needs_criteria,
        needs_estimate=product.ready_needs_estimate,
        max_points=product.ready_max_points,
        no_open_questions=product.ready_no_open_questions,
        no_unfinished_dependencies=product.ready_no_unfinished_dependencies,
        not_blocked=product.ready_not_blocked,
    )


def set_ready_rules(db: Database, rules: ReadyRules) -> tuple[ReadyRules, Changes]:
    """Switch the Definition of Ready rules.

    Returns:
        The rules as they were (what undo writes back), and what changed.

    Raises:
        InvalidInput: a size limit outside 1 … 1,000 points.
    """
    if rules.max_points is not None:
        check_max_points(rules.max_points)
    with db.transaction() as session:
        product = _product(session)
        old = _rules_of(product)
        if rules != old:
            product.ready_needs_criteria = rules.needs_criteria
            product.ready_needs_estimate = rules.needs_estimate
            product.ready_max_points = rules.max_points
            product.ready_no_open_questions = rules.no_open_questions
            product.ready_no_unfinished_dependencies = rules.no_unfinished_dependencies
            product.ready_not_blocked = rules.not_blocked
            _touch(session, product)
    return old, Changes.of(Entity.PRODUCT)


def set_estimation_scale(db: Database, scale: EstimationScale) -> tuple[tuple[str, str], Changes]:
    """Switch the estimation scale or change its values.

    Returns:
        The scale's kind and stored values as they were (for
        :func:`restore_estimation_scale`), and what changed.

    Raises:
        InvalidInput: values that do not make a scale (see ``domain.estimation``).
    """
    if scale.kind is ScaleKind.TSHIRT:
        scale = EstimationScale.tshirt(scale.sizes)
    elif scale.kind is ScaleKind.CUSTOM:
        scale = EstimationScale.custom(scale.values)
    else:
        scale = EstimationScale.fibonacci()
    with db.transaction() as session:
        product = _product(session)
        old = (product.estimation_scale, product.scale_values)
        new = (scale.kind.value, scale.to_stored())
        if new != old:
            product.estimation_scale, product.scale_values = new
            _touch(session, product)
    return old, Changes.of(Entity.PRODUCT)


def restore_estimation_scale(db: Database, kind: str, stored: str) -> Changes:
    """Write a scale back exactly as it was stored (the undo of :func:`set_estimation_scale`).

    Raises:
        InvalidInput: an unknown kind of scale.
    """
    try:
        ScaleKind(kind)
    except ValueError:
        msg = f"“{kind}” is not an estimation scale."
        raise InvalidInput(msg) from None
    with db.transaction() as session:
        product = _product(session)
        if (product.estimation_scale, product.scale_values) != (kind, stored):
            product.estimation_scale, product.scale_values = kind, stored
            _touch(session, product)
    return Changes.of(Entity.PRODUCT)
