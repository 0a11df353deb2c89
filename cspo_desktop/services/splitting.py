"""Splitting a story in two, and duplicating an item — each one transaction.

A split makes a new item right below the original, of the same type, in the same place
(segment, epic, goal, sprint) with the same labels, MoSCoW class and priority, and moves the
chosen acceptance criteria to it. The new item records where it came from with a
"split from" link, and both items' histories say what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.vocabulary import CriterionState, EventKind, LinkKind, Status
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.criteria import ordered_ids, renumber
from cspo_desktop.services.details import (
    MAX_TITLE,
    bump,
    check_title,
    insert_item,
    keys_after,
    load_item,
    next_keys,
    now_text,
    write_event,
)

COPY_PREFIX = "Copy of "

#: Columns a split item takes over from the original.
_SPLIT_COLUMNS = ("type", "segment", "parent_id", "goal_id", "labels", "moscow", "priority")
#: Columns a duplicate takes over from the original (besides its title).
_COPY_COLUMNS = (
    "type",
    "description",
    "segment",
    "parent_id",
    "goal_id",
    "points",
    "business_value",
    "labels",
    "blocked",
    "blocked_note",
    "moscow",
    "priority",
)


def _new_item(
    conn: Connection, original: dict[str, Any], title: str, columns: Sequence[str], at: str
) -> tuple[int, str, bool]:
    """Insert the new item right below ``original``; return its id, key and whether re-keyed."""
    (key,) = next_keys(conn, 1)
    (rank,), rekeyed = keys_after(conn, int(original["id"]), 1)
    values: dict[str, Any] = {
        "key": key,
        "type": original["type"],
        "title": title,
        "description": "",
        "status": Status.TODO.value,
        "rank": rank,
        "segment": original["segment"],
        "labels": "[]",
        "blocked": 0,
        "blocked_note": "",
        "created_at": at,
        "updated_at": at,
        "version": 1,
    }
    values.update((column, original[column]) for column in columns)
    new_id = insert_item(conn, values)
    write_event(conn, new_id, EventKind.CREATED, None, title, at=at)
    return new_id, key, rekeyed


def _item_changes(rekeyed: bool, *ids: int) -> Changes:
    # A re-key gave every item a new rank key: the whole list reloads.
    return Changes.of(Entity.ITEM) if rekeyed else Changes.of(Entity.ITEM, *ids)


def split_item(
    db: Database, item_id: int, criterion_ids: Sequence[int], title: str
) -> tuple[int, Changes]:
    """Split ``criterion_ids`` off an item into a new item titled ``title``, right below it.

    The new item is to do and unestimated. When the original has acceptance criteria, at
    least one must move and at least one must stay; an item without criteria splits into an
    empty new item.

    Returns:
        The new item's id and what changed.

    Raises:
        InvalidInput: a blank or over-long title, criteria that are not the item's, none
            chosen, or all of them chosen.
        NotFound: the item no longer exists.
    """
    check_title(title)
    chosen = list(dict.fromkeys(criterion_ids))
    with db.transaction() as session:
        conn = session.connection()
        original = load_item(conn, item_id)
        order = ordered_ids(conn, item_id)
        _check_choice(original["key"], order, chosen)
        at = now_text()
        new_id, new_key, rekeyed = _new_item(
            conn, original, title, (*_SPLIT_COLUMNS, "sprint_id"), at
        )
        if chosen:
            moving = [cid for cid in order if cid in set(chosen)]
            marks = ", ".join("?" * len(moving))
            conn.exec_driver_sql(
                f"UPDATE acceptance_criterion SET item_id = ? WHERE id IN ({marks})",
                (new_id, *moving),
            )
            renumber(conn, moving)
            renumber(conn, [cid for cid in order if cid not in set(chosen)])
        conn.exec_driver_sql(
            "INSERT INTO item_link (item_id, other_id, kind, created_at) VALUES (?, ?, ?, ?)",
            (new_id, item_id, LinkKind.SPLIT_FROM.value, at),
        )
        bump(conn, item_id, at=at)
        write_event(conn, item_id, EventKind.SPLIT, None, new_key, at=at)
    changes = _item_changes(rekeyed, item_id, new_id)
    if chosen:
        changes = changes | Changes.of(Entity.CRITERION, *chosen)
    return new_id, changes


def _check_choice(key: str, order: list[int], chosen: list[int]) -> None:
    foreign = [cid for cid in chosen if cid not in set(order)]
    if foreign:
        msg = f"Only acceptance criteria of {key} can move to the new item; the list was changed."
        raise InvalidInput(msg)
    if order and not chosen:
        msg = "Choose the acceptance criteria that move to the new item."
        raise InvalidInput(msg)
    if order and len(chosen) == len(order):
        msg = f"Leave at least one acceptance criterion with {key}."
        raise InvalidInput(msg)


def duplicate_item(db: Database, item_id: int) -> tuple[int, Changes]:
    """Copy an item right below it, titled "Copy of …", to do, with its criteria unchecked.

    The copy has the same fields; it gets a new key, and no questions, links or sprint.

    Returns:
        The copy's id and what changed.

    Raises:
        NotFound: the item no longer exists.
    """
    with db.transaction() as session:
        conn = session.connection()
        original = load_item(conn, item_id)
        title = (COPY_PREFIX + str(original["title"]))[:MAX_TITLE]
        at = now_text()
        new_id, _key, rekeyed = _new_item(conn, original, title, _COPY_COLUMNS, at)
        texts = [
            str(r[0])
            for r in conn.exec_driver_sql(
                "SELECT text FROM acceptance_criterion WHERE item_id = ? ORDER BY position, id",
                (item_id,),
            )
        ]
        if texts:
            conn.exec_driver_sql(
                "INSERT INTO acceptance_criterion (item_id, position, text, review_state) "
                "VALUES (?, ?, ?, ?)",
                [(new_id, n, text, CriterionState.UNCHECKED.value) for n, text in enumerate(texts)],
            )
    return new_id, _item_changes(rekeyed, new_id) | Changes.of(Entity.CRITERION)
