"""Product goals: add, rename, rank, change status, delete — each one transaction.

Goals are ranked like items, by string fractional-index keys (``ORDER BY rank, id``): a move
writes one key between the new neighbours, and undo writes the old key back. Deleting a goal
keeps its items; they lose their link (``item.goal_id`` is ``ON DELETE SET NULL``), and
:func:`restore_goal` brings the goal back with the same id and re-links those items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from cspo_desktop.domain.errors import Conflict, InvalidInput, NotFound
from cspo_desktop.domain.ranking import key_between, keys_between, needs_rekey
from cspo_desktop.domain.vocabulary import GoalStatus
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.tables import Item, ProductGoal, utcnow
from cspo_desktop.services.changes import Changes, Entity

MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class GoalSnapshot:
    """A deleted goal, with the items that traced to it: what undo puts back."""

    id: int
    title: str
    description: str
    status: str
    rank: str
    created_at: dt.datetime
    item_ids: tuple[int, ...]


def check_title(title: str) -> str:
    """Check a goal title (kept exactly as typed).

    Raises:
        InvalidInput: the title is blank or too long.
    """
    if not title.strip():
        msg = "A product goal needs a title."
        raise InvalidInput(msg)
    if len(title) > MAX_TITLE:
        msg = f"A product goal title can have at most {MAX_TITLE} characters."
        raise InvalidInput(msg)
    return title


def _status(value: str) -> str:
    try:
        return GoalStatus(value).value
    except ValueError:
        names = ", ".join(s.value for s in GoalStatus)
        msg = f"“{value}” is not a goal status; use one of {names}."
        raise InvalidInput(msg) from None


def _goal(session: Session, goal_id: int) -> ProductGoal:
    goal = session.get(ProductGoal, goal_id)
    if goal is None:
        msg = "That product goal no longer exists; it may have been deleted."
        raise NotFound(msg)
    return goal


def _ranked(session: Session) -> list[ProductGoal]:
    return list(
        session.exec(select(ProductGoal).order_by(col(ProductGoal.rank), col(ProductGoal.id)))
    )


def add_goal(
    db: Database, title: str, status: str = GoalStatus.PROPOSED.value
) -> tuple[int, Changes]:
    """Add a goal at the bottom of the ranked list.

    Returns:
        The new goal's id and what changed.

    Raises:
        InvalidInput: a blank or over-long title, or an unknown status.
    """
    check_title(title)
    status = _status(status)
    with db.transaction() as session:
        last = session.exec(select(ProductGoal.rank).order_by(col(ProductGoal.rank).desc())).first()
        goal = ProductGoal(
            title=title, status=status, rank=key_between(last, None), created_at=utcnow()
        )
        session.add(goal)
        session.flush()
        assert goal.id is not None
    return goal.id, Changes.of(Entity.GOAL, goal.id)


def rename_goal(db: Database, goal_id: int, title: str) -> Changes:
    """Give a goal a new title, exactly as typed.

    Raises:
        InvalidInput: a blank or over-long title.
        NotFound: the goal no longer exists.
    """
    check_title(title)
    with db.transaction() as session:
        goal = _goal(session, goal_id)
        goal.title = title
        session.add(goal)
    return Changes.of(Entity.GOAL, goal_id)


def set_goal_status(db: Database, goal_id: int, status: str) -> Changes:
    """Mark a goal as proposed, active, achieved or abandoned.

    Raises:
        InvalidInput: an unknown status.
        NotFound: the goal no longer exists.
    """
    value = _status(status)
    with db.transaction() as session:
        goal = _goal(session, goal_id)
        goal.status = value
        session.add(goal)
    return Changes.of(Entity.GOAL, goal_id)


def move_goal(db: Database, goal_id: int, offset: int) -> tuple[dict[int, str], Changes]:
    """Move a goal ``offset`` places (negative: up) in the ranked list.

    One key is written, between the new neighbours; when the neighbours leave no room (equal
    keys, as only a foreign-made file has) or the key would pass 64 characters, the same
    transaction re-keys every goal.

    Returns:
        Every key the move changed, as it was before (what undo writes back), and what changed.

    Raises:
        InvalidInput: the move would leave the list (already at the top or bottom) or is zero.
        NotFound: the goal no longer exists.
    """
    with db.transaction() as session:
        goal = _goal(session, goal_id)
        ranked = _ranked(session)
        index = next(n for n, g in enumerate(ranked) if g.id == goal_id)
        target = index + offset
        if offset == 0 or not 0 <= target < len(ranked):
            where = "top" if offset < 0 else "bottom"
            msg = f"“{goal.title}” is already at the {where} of the product goals."
            raise InvalidInput(msg)
        others = [g for g in ranked if g.id != goal_id]
        before = others[target - 1].rank if target > 0 else None
        after = others[target].rank if target < len(others) else None
        new_key = None
        if before is None or after is None or before < after:
            new_key = key_between(before, after)
        if new_key is not None and not needs_rekey(new_key):
            old = {goal_id: goal.rank}
            goal.rank = new_key
            session.add(goal)
        else:
            order = [*others[:target], goal, *others[target:]]
            old = _rekey(session, order)
    return old, Changes.of(Entity.GOAL, *old)


def _rekey(session: Session, order: list[ProductGoal]) -> dict[int, str]:
    """Give every goal a fresh, short key in ``order``; return the old keys of those changed."""
    old: dict[int, str] = {}
    for goal, key in zip(order, keys_between(None, None, len(order)), strict=True):
        if goal.rank != key:
            assert goal.id is not None
            old[goal.id] = goal.rank
            goal.rank = key
            session.add(goal)
    return old


def set_goal_ranks(db: Database, ranks: Mapping[int, str]) -> Changes:
    """Write rank keys back (the undo of a move).

    Raises:
        NotFound: one of the goals no longer exists; nothing was written.
    """
    with db.transaction() as session:
        for goal_id, rank in ranks.items():
            goal = _goal(session, goal_id)
            goal.rank = rank
            session.add(goal)
    return Changes.of(Entity.GOAL, *ranks)


def delete_goal(db: Database, goal_id: int) -> tuple[GoalSnapshot, Changes]:
    """Delete a goal; its items stay and lose their link to it.

    Returns:
        What :func:`restore_goal` needs to put everything back, and what changed.

    Raises:
        NotFound: the goal no longer exists.
    """
    with db.transaction() as session:
        goal = _goal(session, goal_id)
        item_ids = tuple(
            session.exec(
                select(Item.id).where(col(Item.goal_id) == goal_id).order_by(col(Item.id))
            ).all()
        )
        snapshot = GoalSnapshot(
            id=goal_id,
            title=goal.title,
            description=goal.description,
            status=goal.status,
            rank=goal.rank,
            created_at=goal.created_at,
            item_ids=tuple(i for i in item_ids if i is not None),
        )
        # What ON DELETE SET NULL does, done explicitly so it never depends on the pragma.
        # Losing the link is not an edit of the items: ``updated_at`` and ``version`` stay.
        session.exec(update(Item).where(col(Item.goal_id) == goal_id).values(goal_id=None))
        session.delete(goal)
    changes = Changes.of(Entity.GOAL, goal_id)
    if snapshot.item_ids:
        changes = changes | Changes.of(Entity.ITEM, *snapshot.item_ids)
    return snapshot, changes


def restore_goal(db: Database, snapshot: GoalSnapshot) -> Changes:
    """Put a deleted goal back with its id, and link its items to it again.

    Items deleted in the meantime are skipped.

    Raises:
        Conflict: a goal with that id exists already.
    """
    with db.transaction() as session:
        if session.get(ProductGoal, snapshot.id) is not None:
            msg = f"The product goal “{snapshot.title}” is already there."
            raise Conflict(msg)
        session.add(
            ProductGoal(
                id=snapshot.id,
                title=snapshot.title,
                description=snapshot.description,
                status=snapshot.status,
                rank=snapshot.rank,
                created_at=snapshot.created_at,
            )
        )
        session.flush()
        if snapshot.item_ids:
            session.exec(
                update(Item).where(col(Item.id).in_(snapshot.item_ids)).values(goal_id=snapshot.id)
            )
    changes = Changes.of(Entity.GOAL, snapshot.id)
    if snapshot.item_ids:
        changes = changes | Changes.of(Entity.ITEM, *snapshot.item_ids)
    return changes
