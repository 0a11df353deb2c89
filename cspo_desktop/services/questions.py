"""The team's questions about an item: ask, edit, answer, re-open, delete — one transaction each.

A question is open while it has no ``answered_at``; open questions keep an item from being
ready. Questions keep the positions 0 … n-1 without gaps. Every change marks the item as
edited and writes an ``edited`` history entry naming ``questions``.
"""

from __future__ import annotations

from sqlalchemy import Connection

from cspo_desktop.domain.errors import InvalidInput, NotFound
from cspo_desktop.persistence.database import Database
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.services.details import load_item, now_text, touch_item

MAX_TEXT = 2_000
MAX_ASKED_BY = 200
WHAT = "questions"


def _check_question(text: object, asked_by: object) -> None:
    if not isinstance(text, str) or not text.strip():
        msg = "A question needs some text."
        raise InvalidInput(msg)
    if len(text) > MAX_TEXT:
        msg = f"A question can have at most {MAX_TEXT:,} characters."
        raise InvalidInput(msg)
    if not isinstance(asked_by, str):
        msg = "Who asked must be a text (it may be empty)."
        raise InvalidInput(msg)
    if len(asked_by) > MAX_ASKED_BY:
        msg = f"Who asked can have at most {MAX_ASKED_BY} characters."
        raise InvalidInput(msg)


def _question(conn: Connection, question_id: int) -> tuple[int, str, str, str]:
    row = conn.exec_driver_sql(
        "SELECT item_id, text, asked_by, answer FROM question WHERE id = ?", (question_id,)
    ).first()
    if row is None:
        msg = "That question no longer exists; it may have been deleted."
        raise NotFound(msg)
    return int(row[0]), str(row[1]), str(row[2]), str(row[3])


def _changes(item_id: int) -> Changes:
    return Changes.of(Entity.ITEM, item_id)


def add_question(db: Database, item_id: int, text: str, asked_by: str = "") -> tuple[int, Changes]:
    """Add an open question at the end of an item's questions, exactly as typed.

    Returns:
        The new question's id and what changed.

    Raises:
        InvalidInput: blank or over-long text, or an over-long name.
        NotFound: the item no longer exists.
    """
    _check_question(text, asked_by)
    with db.transaction() as session:
        conn = session.connection()
        load_item(conn, item_id)
        (last,) = conn.exec_driver_sql(
            "SELECT coalesce(max(position), -1) FROM question WHERE item_id = ?", (item_id,)
        ).one()
        result = conn.exec_driver_sql(
            "INSERT INTO question (item_id, position, text, asked_by, answer, created_at) "
            "VALUES (?, ?, ?, ?, '', ?)",
            (item_id, int(last) + 1, text, asked_by, now_text()),
        )
        new_id = result.lastrowid
        assert new_id is not None
        touch_item(conn, item_id, WHAT)
    return int(new_id), _changes(item_id)


def edit_question(db: Database, question_id: int, text: str, asked_by: str) -> Changes:
    """Change a question's text and who asked it, exactly as typed.

    Raises:
        InvalidInput: blank or over-long text, or an over-long name.
        NotFound: the question no longer exists.
    """
    _check_question(text, asked_by)
    with db.transaction() as session:
        conn = session.connection()
        item_id, old_text, old_by, _answer = _question(conn, question_id)
        if (old_text, old_by) != (text, asked_by):
            conn.exec_driver_sql(
                "UPDATE question SET text = ?, asked_by = ? WHERE id = ?",
                (text, asked_by, question_id),
            )
            touch_item(conn, item_id, WHAT)
    return _changes(item_id)


def answer_question(db: Database, question_id: int, answer: str) -> Changes:
    """Answer a question (it is no longer open), or re-open it with a blank answer.

    Raises:
        InvalidInput: an over-long answer.
        NotFound: the question no longer exists.
    """
    if len(answer) > MAX_TEXT:
        msg = f"An answer can have at most {MAX_TEXT:,} characters."
        raise InvalidInput(msg)
    reopen = not answer.strip()
    with db.transaction() as session:
        conn = session.connection()
        item_id, _text, _by, old = _question(conn, question_id)
        (answered_at,) = conn.exec_driver_sql(
            "SELECT answered_at FROM question WHERE id = ?", (question_id,)
        ).one()
        if reopen and answered_at is None and old == "":
            return _changes(item_id)
        if not reopen and answered_at is not None and old == answer:
            return _changes(item_id)
        conn.exec_driver_sql(
            "UPDATE question SET answer = ?, answered_at = ? WHERE id = ?",
            ("" if reopen else answer, None if reopen else now_text(), question_id),
        )
        touch_item(conn, item_id, WHAT)
    return _changes(item_id)


def delete_question(db: Database, question_id: int) -> Changes:
    """Delete a question; the ones below it move up.

    Raises:
        NotFound: the question no longer exists.
    """
    with db.transaction() as session:
        conn = session.connection()
        item_id, _text, _by, _answer = _question(conn, question_id)
        conn.exec_driver_sql("DELETE FROM question WHERE id = ?", (question_id,))
        sql = "SELECT id, position FROM question WHERE item_id = ? ORDER BY position, id"
        rows = conn.exec_driver_sql(sql, (item_id,)).all()
        updates = [(n, int(r[0])) for n, r in enumerate(rows) if int(r[1]) != n]
        if updates:
            conn.exec_driver_sql("UPDATE question SET position = ? WHERE id = ?", updates)
        touch_item(conn, item_id, WHAT)
    return _changes(item_id)
