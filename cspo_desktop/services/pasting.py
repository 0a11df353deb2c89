"""Adding many items at once (a paste), in one transaction, right where the user wants them.

The items land right after a chosen item (or at the bottom), in the given order, each with
the next key, its acceptance criteria and a ``created`` history entry. A row that cannot be
used stops the whole paste: nothing is added, and the message names the row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.estimation import EstimationScale
from cspo_desktop.domain.paste import MAX_ITEMS, PastedItem
from cspo_desktop.domain.vocabulary import CriterionState, EventKind, ItemType, Segment, Status
from cspo_desktop.persistence.database import Database
from cspo_desktop.services import criteria
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.details import (
    MAX_BUSINESS_VALUE,
    check_points,
    check_title,
    clean_labels,
    insert_item,
    keys_after,
    labels_json,
    next_keys,
    now_text,
    scale_of,
    write_event,
)

__all__ = ["add_items"]


def _row_of(draft: NewItem, index: int) -> int:
    return draft.row if isinstance(draft, PastedItem) and draft.row > 0 else index + 1


def _check(draft: NewItem, row: int, scale: EstimationScale) -> None:
    where = f"Row {row}: "
    try:
        check_title(draft.title)
        ItemType(draft.type)
        for text in draft.criteria:
            criteria.check_text(text)
        clean_labels(list(draft.labels))
    except (InvalidInput, ValueError) as exc:
        raise InvalidInput(where + str(exc)) from None
    points = draft.points
    if points is not None and (isinstance(points, bool) or not math.isfinite(points) or points < 0):
        msg = f"{where}Points must be a number of zero or more."
        raise InvalidInput(msg)
    check_points(scale, points, where=where)
    value = draft.business_value if isinstance(draft, PastedItem) else None
    if value is not None and not 0 <= value <= MAX_BUSINESS_VALUE:
        msg = f"{where}Business value must be between 0 and {MAX_BUSINESS_VALUE:,}."
        raise InvalidInput(msg)


def add_items(
    db: Database,
    drafts: Sequence[NewItem],
    *,
    after: int | None,
    segment: Segment | str,
) -> tuple[list[int], Changes]:
    """Add ``drafts`` right after item ``after`` (``None``: at the bottom), in their order.

    Every item goes to ``segment`` (the Inbox or the backlog), whatever its draft says.

    Returns:
        The new items' ids, in order, and what changed.

    Raises:
        InvalidInput: more than 5,000 items, an unknown segment, or a draft that cannot be
            used (a blank or over-long title, points off the product's scale…); the message
            names the row. Nothing was added.
        NotFound: the item to add below no longer exists; nothing was added.
    """
    if len(drafts) > MAX_ITEMS:
        msg = f"At most {MAX_ITEMS:,} items can be added at once; these are {len(drafts):,}."
        raise InvalidInput(msg)
    try:
        place = Segment(segment).value
    except ValueError:
        msg = f"“{segment}” is not a place for items; use inbox or backlog."
        raise InvalidInput(msg) from None
    if not drafts:
        return [], Changes()
    with db.transaction() as session:
        conn = session.connection()
        scale = scale_of(conn)
        for index, draft in enumerate(drafts):
            _check(draft, _row_of(draft, index), scale)
        keys = next_keys(conn, len(drafts))
        ranks, rekeyed = keys_after(conn, after, len(drafts))
        at = now_text()
        ids: list[int] = []
        for draft, key, rank in zip(drafts, keys, ranks, strict=True):
            value = draft.business_value if isinstance(draft, PastedItem) else None
            new_id = insert_item(
                conn,
                {
                    "key": key,
                    "type": ItemType(draft.type).value,
                    "title": draft.title,
                    "description": draft.description,
                    "status": Status.TODO.value,
                    "rank": rank,
                    "segment": place,
                    "points": None if draft.points is None else float(draft.points),
                    "business_value": value,
                    "labels": labels_json(clean_labels(list(draft.labels))),
                    "blocked": 0,
                    "blocked_note": "",
                    "created_at": at,
                    "updated_at": at,
                    "version": 1,
                },
            )
            if draft.criteria:
                conn.exec_driver_sql(
                    "INSERT INTO acceptance_criterion (item_id, position, text, review_state) "
                    "VALUES (?, ?, ?, ?)",
                    [
                        (new_id, n, text, CriterionState.UNCHECKED.value)
                        for n, text in enumerate(draft.criteria)
                    ],
                )
            write_event(conn, new_id, EventKind.CREATED, None, draft.title, at=at)
            ids.append(new_id)
    changes = Changes.of(Entity.ITEM) if rekeyed else Changes.of(Entity.ITEM, *ids)
    return ids, changes | Changes.of(Entity.CRITERION)
