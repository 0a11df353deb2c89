"""Editing items from the detail panel: one field of one item, or the same values on many.

Every call is one transaction: a bulk edit lands on every item or on none. A value equal to
the stored one writes nothing; a real change bumps the item's ``updated_at`` and ``version``
and writes one history entry per changed field (``status``, ``points``, ``title`` and
``segment`` with old and new values, any other field as ``edited`` naming the field).

The helpers below (:func:`load_item`, :func:`touch_item`, :func:`scale_of`,
:func:`check_points`…) are shared by the other item-detail services (criteria, questions,
links, splitting, pasting).
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.domain.estimation import EstimationScale, ScaleKind, format_points
from cspo_desktop.domain.keys import item_key
from cspo_desktop.domain.ordering import block_keys, changed_keys, in_rank_order
from cspo_desktop.domain.ranking import keys_between
from cspo_desktop.domain.vocabulary import EventKind, ItemType, MoSCoW, Priority, Segment, Status
from cspo_desktop.domain.wording import scale_name
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.tables import utcnow
from cspo_desktop.services.changes import Changes, Entity

MAX_TITLE = 500
MAX_BUSINESS_VALUE = 1_000_000

#: The item fields the detail panel edits, with the names a user reads for them.
FIELDS: dict[str, str] = {
    "type": "Type",
    "title": "Title",
    "description": "Description",
    "status": "Status",
    "points": "Estimate",
    "business_value": "Business value",
    "moscow": "MoSCoW",
    "priority": "Priority",
    "labels": "Labels",
    "parent_id": "Epic",
    "goal_id": "Product goal",
    "blocked": "Blocked",
    "blocked_note": "Blocked note",
    "segment": "Inbox or backlog",
}

#: Fields whose history entry carries the old and new value under its own kind.
_OWN_KIND: dict[str, EventKind] = {
    "status": EventKind.STATUS,
    "points": EventKind.POINTS,
    "title": EventKind.TITLE,
    "segment": EventKind.SEGMENT,
}

Row = dict[str, Any]


# ---------------------------------------------------------------- shared helpers


def now_text() -> str:
    """The current UTC time as the product file stores it."""
    return utcnow().isoformat(timespec="microseconds")


def marks(count: int) -> str:
    """``?, ?, ?``: placeholders for ``count`` parameters."""
    return ", ".join("?" * count)


def load_item(conn: Connection, item_id: int) -> Row:
    """Read every column of one item.

    Raises:
        NotFound: the item no longer exists.
    """
    row = conn.exec_driver_sql("SELECT * FROM item WHERE id = ?", (item_id,)).mappings().first()
    if row is None:
        msg = "That item no longer exists; it may have been deleted."
        raise NotFound(msg)
    return dict(row)


def write_event(
    conn: Connection,
    item_id: int,
    kind: EventKind,
    old: str | None = None,
    new: str | None = None,
    *,
    at: str,
) -> None:
    """Append one history entry for an item, with the sprint it is in now."""
    conn.exec_driver_sql(
        "INSERT INTO item_event (item_id, at, kind, old_value, new_value, sprint_id) "
        "SELECT id, ?, ?, ?, ?, sprint_id FROM item WHERE id = ?",
        (at, kind.value, old, new, item_id),
    )


def bump(conn: Connection, item_id: int, *, at: str) -> None:
    """Mark an item as edited: a new ``updated_at`` and the next ``version``."""
    conn.exec_driver_sql(
        "UPDATE item SET updated_at = ?, version = version + 1 WHERE id = ?", (at, item_id)
    )


def touch_item(conn: Connection, item_id: int, what: str) -> None:
    """Mark an item as edited and write an ``edited`` entry naming ``what`` changed."""
    at = now_text()
    bump(conn, item_id, at=at)
    write_event(conn, item_id, EventKind.EDITED, None, what, at=at)


def scale_of(conn: Connection) -> EstimationScale:
    """The product's estimation scale, read in the running transaction.

    Raises:
        NotFound: the file holds no product.
    """
    sql = "SELECT estimation_scale, scale_values FROM product ORDER BY id LIMIT 1"
    row = conn.exec_driver_sql(sql).first()
    if row is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    return EstimationScale.from_stored(str(row[0]), str(row[1] or ""))


def allowed_points(scale: EstimationScale) -> str:
    """The values a scale allows, as a sentence lists them."""
    if scale.kind is ScaleKind.TSHIRT:
        return ", ".join(f"{name} ({format_points(points)})" for name, points in scale.sizes)
    return scale.typed()


def check_points(scale: EstimationScale, points: float | None, *, where: str = "") -> None:
    """Refuse points the product's scale does not allow (``None`` is always allowed).

    Args:
        scale: the product's estimation scale.
        points: the estimate to check.
        where: a prefix naming the place, such as ``"Row 3: "``.

    Raises:
        InvalidInput: the value is not on the scale; the message lists the allowed values.
    """
    if points is None or float(points) in scale.values:
        return
    msg = (
        f"{where}{format_points(points)} is not on the product's estimation scale "
        f"({scale_name(scale.kind.value)}); use one of {allowed_points(scale)}."
    )
    raise InvalidInput(msg)


def labels_json(labels: Sequence[str]) -> str:
    """Labels as stored: a JSON array, not ASCII-escaped."""
    return json.dumps(list(labels), ensure_ascii=False)


def clean_labels(value: object) -> list[str]:
    """Labels as a list: each stripped of surrounding spaces, empty ones and repeats dropped.

    Raises:
        InvalidInput: ``value`` is not a list of texts.
    """
    if isinstance(value, str) or not isinstance(value, list | tuple):
        msg = "Labels must be a list of texts."
        raise InvalidInput(msg)
    out: list[str] = []
    for label in value:
        if not isinstance(label, str):
            msg = "Every label must be a text."
            raise InvalidInput(msg)
        text = label.strip()
        if text and text not in out:
            out.append(text)
    return out


def check_title(title: object) -> str:
    """Check an item title (kept exactly as typed).

    Raises:
        InvalidInput: not a text, blank, or longer than :data:`MAX_TITLE` characters.
    """
    if not isinstance(title, str) or not title.strip():
        msg = "An item needs a title."
        raise InvalidInput(msg)
    if len(title) > MAX_TITLE:
        msg = f"A title can have at most {MAX_TITLE:,} characters; this one has {len(title):,}."
        raise InvalidInput(msg)
    return title


def next_keys(conn: Connection, count: int) -> list[str]:
    """Take the product's next ``count`` item keys (``PB-7``, ``PB-8``…), skipping taken ones.

    Raises:
        NotFound: the file holds no product.
    """
    sql = "SELECT id, key_prefix, next_item_number FROM product ORDER BY id LIMIT 1"
    row = conn.exec_driver_sql(sql).first()
    if row is None:
        msg = "This file holds no product."
        raise NotFound(msg)
    product_id, prefix, number = int(row[0]), str(row[1]), int(row[2])
    keys: list[str] = []
    while len(keys) < count:
        key = item_key(prefix, number)
        number += 1
        taken = conn.exec_driver_sql("SELECT 1 FROM item WHERE key = ?", (key,)).first()
        if taken is None:
            keys.append(key)
    conn.exec_driver_sql(
        "UPDATE product SET next_item_number = ? WHERE id = ?", (number, product_id)
    )
    return keys


def keys_after(conn: Connection, after: int | None, count: int) -> tuple[list[str], bool]:
    """Rank keys for ``count`` new items placed right after item ``after`` (``None``: bottom).

    One key range between the two neighbours when there is room; otherwise (equal or foreign
    neighbour keys, or keys that would pass 64 characters) every existing item is re-keyed in
    the running transaction: bookkeeping without history entries or edit stamps.

    Returns:
        The keys, in order, and whether the existing items were re-keyed.

    Raises:
        NotFound: the item ``after`` no longer exists.
    """
    if count <= 0:
        return [], False
    if after is None:
        sql = "SELECT rank FROM item ORDER BY rank DESC, id DESC LIMIT 1"
        last = conn.exec_driver_sql(sql).first()
        low, high = (None if last is None else str(last[0])), None
    else:
        row = conn.exec_driver_sql("SELECT rank FROM item WHERE id = ?", (after,)).first()
        if row is None:
            msg = "The item to add below no longer exists."
            raise NotFound(msg)
        low = str(row[0])
        nxt = conn.exec_driver_sql(
            "SELECT rank FROM item WHERE rank >= ? AND (rank > ? OR id > ?) "
            "ORDER BY rank, id LIMIT 1",
            (low, low, after),
        ).first()
        high = None if nxt is None else str(nxt[0])
    keys = block_keys(low, high, count)
    if keys is not None:
        return keys, False
    return _rekey_around(conn, after, count), True


def _rekey_around(conn: Connection, after: int | None, count: int) -> list[str]:
    current = {int(i): str(k) for i, k in conn.exec_driver_sql("SELECT id, rank FROM item")}
    order = in_rank_order(current.items())
    at = len(order) if after is None else order.index(after) + 1
    fresh = keys_between(None, None, len(order) + count)
    new_keys = fresh[at : at + count]
    existing = dict(zip(order, fresh[:at] + fresh[at + count :], strict=True))
    updates = [(key, item) for item, key in changed_keys(current, existing).items()]
    if updates:
        conn.exec_driver_sql("UPDATE item SET rank = ? WHERE id = ?", updates)
    return new_keys


def insert_item(conn: Connection, values: Mapping[str, Any]) -> int:
    """Insert one item row (``values`` by column name) and return its id."""
    columns = list(values)
    names = ", ".join(f'"{column}"' for column in columns)
    result = conn.exec_driver_sql(
        f"INSERT INTO item ({names}) VALUES ({marks(len(columns))})",
        tuple(values[column] for column in columns),
    )
    new_id = result.lastrowid
    assert new_id is not None
    return int(new_id)


# ---------------------------------------------------------------- value checks


def _choice(
    enum_type: type[enum.StrEnum], what: str, *, optional: bool = False
) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if value is None and optional:
            return None
        if isinstance(value, str):
            try:
                return str(enum_type(value).value)
            except ValueError:
                pass
        names = ", ".join(member.value for member in enum_type)
        msg = f"“{value}” is not {what}; use one of {names}."
        raise InvalidInput(msg)

    return check


def _text(name: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            msg = f"{name} must be a text."
            raise InvalidInput(msg)
        return value

    return check


def _points(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = "An estimate must be a number of points."
        raise InvalidInput(msg)
    if not math.isfinite(value) or value < 0:
        msg = "An estimate must be a number of zero or more points."
        raise InvalidInput(msg)
    return float(value)


def _business_value(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        msg = "Business value must be a whole number."
        raise InvalidInput(msg)
    if not 0 <= value <= MAX_BUSINESS_VALUE:
        msg = f"Business value must be between 0 and {MAX_BUSINESS_VALUE:,}."
        raise InvalidInput(msg)
    return value


def _reference(name: str) -> Callable[[object], int | None]:
    def check(value: object) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            msg = f"{name} must be chosen from the list."
            raise InvalidInput(msg)
        return value

    return check


def _blocked(value: object) -> bool:
    if not isinstance(value, bool):
        msg = "Blocked is either on or off."
        raise InvalidInput(msg)
    return value


_CHECKS: dict[str, Callable[[object], Any]] = {
    "type": _choice(ItemType, "an item type"),
    "title": check_title,
    "description": _text("A description"),
    "status": _choice(Status, "a status"),
    "points": _points,
    "business_value": _business_value,
    "moscow": _choice(MoSCoW, "a MoSCoW class", optional=True),
    "priority": _choice(Priority, "a priority", optional=True),
    "labels": lambda value: labels_json(clean_labels(value)),
    "parent_id": _reference("An epic"),
    "goal_id": _reference("A product goal"),
    "blocked": _blocked,
    "blocked_note": _text("A blocked note"),
    "segment": _choice(Segment, "a place (inbox or backlog)"),
}


def check_values(values: Mapping[str, object]) -> dict[str, Any]:
    """Check field values without reading the product; return them as they are stored.

    Raises:
        InvalidInput: an unknown field or a value the field cannot take.
    """
    checked: dict[str, Any] = {}
    for field, value in values.items():
        if field not in _CHECKS:
            known = ", ".join(FIELDS)
            msg = f"“{field}” is not a field of an item; the fields are {known}."
            raise InvalidInput(msg)
        checked[field] = _CHECKS[field](value)
    # In the panel's order, so history entries come out the same whatever order was given.
    return {field: checked[field] for field in FIELDS if field in checked}


# ---------------------------------------------------------------- editing


def set_field(db: Database, item_id: int, field: str, value: object) -> Changes:
    """Set one field of one item (see :func:`set_fields`).

    Raises:
        InvalidInput: an unknown field or a value the field cannot take.
        NotFound: the item no longer exists.
    """
    return set_fields(db, [item_id], {field: value})


def set_fields(db: Database, ids: Sequence[int], values: Mapping[str, object]) -> Changes:
    """Set the same values on every item of ``ids``, in one transaction (all or nothing).

    Text is stored exactly as typed; labels are stripped, with empty and repeated ones left
    out. An epic cannot belong to another epic, and an epic with items below it keeps its type.

    Raises:
        InvalidInput: nothing selected, an unknown field, or a value the field cannot take
            (points off the product's scale, an epic or goal that does not exist…); nothing
            was written.
        NotFound: one of the items no longer exists; nothing was written.
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        msg = "Select the items to edit first."
        raise InvalidInput(msg)
    checked = check_values(values)
    with db.transaction() as session:
        apply_fields(session.connection(), wanted, checked)
    return Changes.of(Entity.ITEM, *wanted)


def apply_fields(conn: Connection, ids: list[int], checked: Mapping[str, Any]) -> None:
    """The body of :func:`set_fields` inside a caller's transaction (values already checked)."""
    rows = _load_items(conn, ids)
    _check_references(conn, checked, ids)
    at = now_text()
    for item_id in ids:
        row = rows[item_id]
        _check_epic_rules(conn, row, checked, ids)
        changed = {
            field: value for field, value in checked.items() if not _same(field, row[field], value)
        }
        if changed:
            _write(conn, row, changed, at)


def _load_items(conn: Connection, ids: list[int]) -> dict[int, Row]:
    found: dict[int, Row] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        result = conn.exec_driver_sql(
            f"SELECT * FROM item WHERE id IN ({marks(len(chunk))})", tuple(chunk)
        )
        found.update((int(row["id"]), dict(row)) for row in result.mappings())
    if len(found) != len(ids):
        if len(ids) == 1:
            msg = "That item no longer exists; it may have been deleted."
        else:
            missing = len(ids) - len(found)
            msg = f"{missing} of the selected items no longer exist; nothing was changed."
        raise NotFound(msg)
    return found


def _check_references(conn: Connection, checked: Mapping[str, Any], ids: list[int]) -> None:
    if checked.get("points") is not None:
        check_points(scale_of(conn), checked["points"])
    parent = checked.get("parent_id")
    if parent is not None:
        if parent in ids:
            msg = "An item cannot be its own epic."
            raise InvalidInput(msg)
        row = conn.exec_driver_sql("SELECT type FROM item WHERE id = ?", (parent,)).first()
        if row is None:
            msg = "That epic no longer exists; choose another one."
            raise InvalidInput(msg)
        if row[0] != ItemType.EPIC:
            msg = "Only an epic can have items below it; choose an epic."
            raise InvalidInput(msg)
    goal = checked.get("goal_id")
    if goal is not None:
        row = conn.exec_driver_sql("SELECT 1 FROM product_goal WHERE id = ?", (goal,)).first()
        if row is None:
            msg = "That product goal no longer exists; choose another one."
            raise InvalidInput(msg)


def _check_epic_rules(
    conn: Connection, row: Row, checked: Mapping[str, Any], ids: list[int]
) -> None:
    item_type = checked.get("type", row["type"])
    parent = checked.get("parent_id", row["parent_id"])
    if item_type == ItemType.EPIC and parent is not None:
        msg = f"{row['key']} is an epic, and an epic cannot belong to another epic."
        raise InvalidInput(msg)
    if row["type"] == ItemType.EPIC and item_type != ItemType.EPIC:
        sql = "SELECT id FROM item WHERE parent_id = ?"
        children = {int(r[0]) for r in conn.exec_driver_sql(sql, (row["id"],))}
        if "parent_id" in checked:  # the same edit moves the selected items away from it
            children -= set(ids)
        if children:
            msg = (
                f"{row['key']} has items below it, so it stays an epic; "
                "move those items to another epic first."
            )
            raise InvalidInput(msg)


def _same(field: str, old: object, new: object) -> bool:
    if field == "points":
        return (old is None and new is None) or (
            old is not None and new is not None and float(str(old)) == new
        )
    if field == "blocked":
        return bool(old) == new
    if field == "labels":
        try:
            return bool(json.loads(str(old)) == json.loads(str(new)))
        except ValueError:
            return False
    return old == new


def event_text(field: str, value: object) -> str | None:
    """A value as a history entry writes it (points as the scale shows them)."""
    if value is None:
        return None
    if field == "points":
        return format_points(float(str(value)))
    return str(value)


def _write(conn: Connection, row: Row, changed: Mapping[str, Any], at: str) -> None:
    item_id = int(row["id"])
    assignments = ", ".join(f'"{field}" = ?' for field in changed)
    params = [int(v) if isinstance(v, bool) else v for v in changed.values()]
    conn.exec_driver_sql(
        f"UPDATE item SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ?",
        (*params, at, item_id),
    )
    for field, value in changed.items():
        kind = _OWN_KIND.get(field)
        if kind is None:
            write_event(conn, item_id, EventKind.EDITED, None, field, at=at)
        else:
            old, new = event_text(field, row[field]), event_text(field, value)
            write_event(conn, item_id, kind, old, new, at=at)
