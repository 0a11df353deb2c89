"""The Inbox: items not yet accepted into the backlog (ideas, feedback, imports)."""

from __future__ import annotations

from collections.abc import Sequence

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.ordering import Anchor
from cspo_desktop.domain.vocabulary import Segment
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.details import apply_fields, check_values
from cspo_desktop.services.ranking import move_in


def accept_into_backlog(db: Database, ids: Sequence[int], anchor: Anchor | None) -> Changes:
    """Move Inbox items into the backlog, placed as one block at ``anchor``, in one transaction.

    ``anchor`` names a backlog item to land before or after (``None``: keep their ranks).

    Raises:
        InvalidInput: nothing selected, or the anchor is one of the accepted items.
        NotFound: an item or the anchor no longer exists; nothing was written.
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        msg = "Select the Inbox items to accept first."
        raise InvalidInput(msg)
    target = None if anchor is None else (anchor.after or anchor.before)
    if target is not None and target in wanted:
        msg = "Items cannot be placed next to themselves."
        raise InvalidInput(msg)
    checked = check_values({"segment": Segment.BACKLOG.value})
    with db.transaction() as session:
        conn = session.connection()
        apply_fields(conn, wanted, checked)
        if anchor is not None:
            move_in(conn, wanted, anchor)
    return Changes.of(Entity.ITEM)
