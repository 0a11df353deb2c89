"""Acceptance criteria of an item: add, edit, review, reorder, delete — each one transaction.

An item's criteria keep the positions 0 … n-1 without gaps. Every change marks the item as
edited (``updated_at``, ``version``) and writes an ``edited`` history entry naming
``criteria``; a change that leaves everything as it was writes nothing.
"""

from __future__ import annotations

from sqlalchemy import Connection

from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.vocabulary import CriterionState
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.details import load_item, touch_item

MAX_TEXT = 2_000
WHAT = "criteria"


def check_text(text: object) -> str:
    """Check the text of a criterion (kept exactly as typed).

    Raises:
        InvalidInput: not a text, blank, or longer than :data:`MAX_TEXT` characters.
    """
    if not isinstance(text, str) or not text.strip():
        msg = "An acceptance criterion needs some text."
        raise InvalidInput(msg)
    if len(text) > MAX_TEXT:
        msg = f"An acceptance criterion can have at most {MAX_TEXT:,} characters."
        raise InvalidInput(msg)
    return text


def ordered_ids(conn: Connection, item_id: int) -> list[int]:
    """The ids of an item's criteria, in order."""
    sql = "SELECT id FROM acceptance_criterion WHERE item_id = ? ORDER BY position, id"
    return [int(r[0]) for r in conn.exec_driver_sql(sql, (item_id,))]


def renumber(conn: Connection, order: list[int]) -> None:
    """Give the criteria in ``order`` the positions 0, 1, 2 … (only those that change)."""
    if not order:
        return
    sql = "SELECT id, position FROM acceptance_criterion WHERE id IN ({})".format(
        ", ".join("?" * len(order))
    )
    current = {int(r[0]): int(r[1]) for r in conn.exec_driver_sql(sql, tuple(order))}
    updates = [(n, cid) for n, cid in enumerate(order) if current.get(cid) != n]
    if updates:
        conn.exec_driver_sql("UPDATE acceptance_criterion SET position = ? WHERE id = ?", updates)


def _criterion(conn: Connection, criterion_id: int) -> tuple[int, str, str]:
    row = conn.exec_driver_sql(
        "SELECT item_id, text, review_state FROM acceptance_criterion WHERE id = ?",
        (criterion_id,),
    ).first()
    if row is None:
        msg = "That acceptance criterion no longer exists; it may have been deleted."
        raise NotFound(msg)
    return int(row[0]), str(row[1]), str(row[2])


def _changes(item_id: int, criterion_id: int) -> Changes:
    return Changes.of(Entity.ITEM, item_id) | Changes.of(Entity.CRITERION, criterion_id)


def add_criterion(
    db: Database, item_id: int, text: str, position: int | None = None
) -> tuple[int, Changes]:
    """Add a criterion at ``position`` (``None`` or past the end: at the end), as typed.

    Returns:
        The new criterion's id and what changed.

    Raises:
        InvalidInput: blank or over-long text, or a negative position.
        NotFound: the item no longer exists.
    """
    check_text(text)
    if position is not None and position < 0:
        msg = "A criterion's position cannot be negative."
        raise InvalidInput(msg)
    with db.transaction() as session:
        conn = session.connection()
        load_item(conn, item_id)
        order = ordered_ids(conn, item_id)
        at = len(order) if position is None else min(position, len(order))
        result = conn.exec_driver_sql(
            "INSERT INTO acceptance_criterion (item_id, position, text, review_state) "
            "VALUES (?, ?, ?, ?)",
            (item_id, at, text, CriterionState.UNCHECKED.value),
        )
        new_id = result.lastrowid
        assert new_id is not None
        order.insert(at, int(new_id))
        renumber(conn, order)
        touch_item(conn, item_id, WHAT)
    return int(new_id), _changes(item_id, int(new_id))


def edit_criterion(db: Database, criterion_id: int, text: str) -> Changes:
    """Change the text of a criterion, exactly as typed.

    Raises:
        InvalidInput: blank or over-long text.
        NotFound: the criterion no longer exists.
    """
    check_text(text)
    with db.transaction() as session:
        conn = session.connection()
        item_id, old, _state = _criterion(conn, criterion_id)
        if old != text:
            conn.exec_driver_sql(
                "UPDATE acceptance_criterion SET text = ? WHERE id = ?", (text, criterion_id)
            )
            touch_item(conn, item_id, WHAT)
    return _changes(item_id, criterion_id)


def set_criterion_state(db: Database, criterion_id: int, state: CriterionState | str) -> Changes:
    """Mark a criterion as unchecked, passed or failed (the review).

    Raises:
        InvalidInput: an unknown state.
        NotFound: the criterion no longer exists.
    """
    try:
        value = CriterionState(state).value
    except ValueError:
        names = ", ".join(s.value for s in CriterionState)
        msg = f"“{state}” is not a review state; use one of {names}."
        raise InvalidInput(msg) from None
    with db.transaction() as session:
        conn = session.connection()
        item_id, _text, old = _criterion(conn, criterion_id)
        if old != value:
            conn.exec_driver_sql(
                "UPDATE acceptance_criterion SET review_state = ? WHERE id = ?",
                (value, criterion_id),
            )
            touch_item(conn, item_id, WHAT)
    return _changes(item_id, criterion_id)


def move_criterion(db: Database, criterion_id: int, position: int) -> Changes:
    """Move a criterion to ``position`` among its item's criteria (past the end: last).

    Raises:
        InvalidInput: a negative position.
        NotFound: the criterion no longer exists.
    """
    if position < 0:
        msg = "A criterion's position cannot be negative."
        raise InvalidInput(msg)
    with db.transaction() as session:
        conn = session.connection()
        item_id, _text, _state = _criterion(conn, criterion_id)
        order = ordered_ids(conn, item_id)
        old_at = order.index(criterion_id)
        order.pop(old_at)
        at = min(position, len(order))
        order.insert(at, criterion_id)
        if at != old_at:
            renumber(conn, order)
            touch_item(conn, item_id, WHAT)
    return _changes(item_id, criterion_id)


def delete_criterion(db: Database, criterion_id: int) -> Changes:
    """Delete a criterion; the ones below it move up.

    Raises:
        NotFound: the criterion no longer exists.
    """
    with db.transaction() as session:
        conn = session.connection()
        item_id, _text, _state = _criterion(conn, criterion_id)
        conn.exec_driver_sql("DELETE FROM acceptance_criterion WHERE id = ?", (criterion_id,))
        renumber(conn, ordered_ids(conn, item_id))
        touch_item(conn, item_id, WHAT)
    return _changes(item_id, criterion_id)
