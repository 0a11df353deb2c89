"""The JSON archive of a whole product: every table of the file, written generically.

The archive is one JSON object::

    {"format": "cspo-archive", "format_version": 1, "schema_revision": "0005_import_records",
     "app_version": "0.1.0",
     "tables": {"<table>": {"columns": ["id", ...], "rows": [[1, ...], ...]}, ...}}

Every table of the product file is written (SQLite's own ``sqlite_*`` tables and Alembic's
``alembic_version`` aside; the revision is ``schema_revision``), so tables added by later
migrations are archived without new code. Tables are sorted by name, columns follow the table,
rows follow the primary key (or the rowid), and values are written as SQLite stores them:
integers, floats, text and ``null``; a BLOB as ``{"$base64": "..."}`` and a float JSON cannot
hold (infinity) as ``{"$float": "inf"}``. The output is deterministic (no timestamp), so
export → import → export gives the same bytes.

An archive is imported into a *new* product file only. The file is built aside: the schema of
the archive's revision is created by the migrations, the rows are loaded with foreign keys off
and checked with ``PRAGMA foreign_key_check``, an older archive is then migrated to the head,
and the finished file is renamed into place under the target's product lock. A refused or
interrupted import leaves no file behind.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import math
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cspo_desktop import __version__
from cspo_desktop.domain.errors import CspoError, InvalidInput
from cspo_desktop.persistence import revisions
from cspo_desktop.persistence.atomic import (
    remove_with_sidecars,
    replace_file,
    write_text_atomically,
)
from cspo_desktop.persistence.lock import ProductLock
from cspo_desktop.persistence.paths import make_private
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.product_file import product_target
from cspo_desktop.persistence.sqlite import connect, connect_readonly

FORMAT = "cspo-archive"
FORMAT_VERSION = 1
#: Tables that are bookkeeping, not product content (the revision has its own field).
SKIPPED_TABLES = frozenset({"alembic_version"})
ITEM_TABLE = "item"
PRODUCT_TABLE = "product"

Value = int | float | str | bytes | None


@dataclass(frozen=True, slots=True)
class ArchiveSummary:
    """What an archive holds: how many tables, rows and backlog items."""

    tables: int
    rows: int
    items: int


# ---------------------------------------------------------------- export


def export_archive(source: Path, target: Path) -> ArchiveSummary:
    """Write the JSON archive of the product file ``source`` to ``target``.

    ``source`` is read on a read-only connection in one read transaction (a consistent
    snapshot, even while the app writes to it); no lock is taken and nothing is written to it.
    ``target`` is written beside itself and renamed into place when complete.

    Raises:
        FileRefused: ``source`` is missing, damaged, foreign or too new.
        InvalidInput: ``target`` already exists.
        CspoError: ``target`` cannot be written.
    """
    state = inspect_product(source)
    target = Path(os.path.abspath(target))
    if target.exists():
        msg = f"{target} already exists; choose a new name for the archive."
        raise InvalidInput(msg)
    conn = connect_readonly(source)
    try:
        conn.execute("BEGIN")
        try:
            tables = _read_tables(conn)
        finally:
            conn.execute("ROLLBACK")
    finally:
        conn.close()
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": state.revision,
        "app_version": __version__,
        "tables": tables,
    }
    write_text_atomically(target, dumps(document))
    return _summary(tables)


def dumps(document: dict[str, Any]) -> str:
    """The archive's exact text: the same document always gives the same bytes."""
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _read_tables(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    names = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name"
        )
        if row[0] not in SKIPPED_TABLES
    ]
    tables: dict[str, dict[str, Any]] = {}
    for name in names:
        columns, keys = _table_columns(conn, name)
        order = ", ".join([*map(_quote, keys), *(["rowid"] if _has_rowid(conn, name) else [])])
        select = f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(name)}"
        if order:
            select += f" ORDER BY {order}"
        rows = [[_encode(value) for value in row] for row in conn.execute(select)]
        tables[name] = {"columns": columns, "rows": rows}
    return tables


def _table_columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """The table's columns in their order, and its primary-key columns in key order."""
    info = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    columns = [str(row[1]) for row in info]
    keys = [str(row[1]) for row in sorted((r for r in info if r[5]), key=lambda r: int(r[5]))]
    return columns, keys


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f"SELECT rowid FROM {_quote(table)} LIMIT 0")
    except sqlite3.OperationalError:  # a WITHOUT ROWID table
        return False
    return True


def _encode(value: object) -> object:
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    return value


# ---------------------------------------------------------------- import


@dataclass(frozen=True, slots=True)
class _Archive:
    revision: str
    tables: dict[str, tuple[list[str], list[list[Value]]]]


def import_archive(source: Path, target: Path) -> tuple[Path, ArchiveSummary]:
    """Create the new product file ``target`` from the archive ``source``.

    Args:
        source: the JSON archive.
        target: the product file to create (``.cspo`` is added if missing); it must not exist.

    Returns:
        The product file written and what it holds.

    Raises:
        InvalidInput: the archive cannot be read or does not fit the schema, or ``target``
            exists. Nothing was written.
        FileRefused: ``target`` is being created by another window or program.
        CspoError: the file could not be written; no file was left behind.
    """
    archive = read_archive(source)
    target = product_target(target)
    _refuse_existing(target)
    tmp = target.with_name(f".{target.name}.importing-{os.getpid()}")
    try:
        remove_with_sidecars(tmp)
        _build(tmp, archive, source.name)
        make_private(tmp)
        with ProductLock(target):
            _refuse_existing(target)
            replace_file(tmp, target)
    except OSError as exc:
        msg = f"Cannot create “{target.name}” in the folder {target.parent}: {exc.strerror}."
        raise CspoError(msg) from exc
    except sqlite3.Error as exc:
        msg = f"Cannot create “{target.name}” in the folder {target.parent}: {exc}."
        raise CspoError(msg) from exc
    finally:
        with contextlib.suppress(OSError):
            remove_with_sidecars(tmp)
    summary = ArchiveSummary(
        tables=len(archive.tables),
        rows=sum(len(rows) for _, rows in archive.tables.values()),
        items=len(archive.tables.get(ITEM_TABLE, ([], []))[1]),
    )
    return target, summary


def _refuse_existing(target: Path) -> None:
    if target.exists():
        msg = (
            f"{target} already exists; an archive is imported into a new product file only. "
            "Choose a new name."
        )
        raise InvalidInput(msg)


def read_archive(source: Path) -> _Archive:
    """Parse and check the archive's structure (not yet against the schema).

    Raises:
        InvalidInput: the file is missing, not JSON, not a CSPO archive, of a newer format or
            schema, or its structure is wrong; the message says which.
    """
    name = source.name
    try:
        raw = source.read_bytes()
    except OSError as exc:
        msg = f"“{name}” cannot be read: {exc.strerror or exc}."
        raise InvalidInput(msg) from exc
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        msg = f"“{name}” is not a CSPO archive (it is not valid JSON: {_short(exc)})."
        raise InvalidInput(msg) from exc
    except RecursionError as exc:  # nested deeper than any archive is
        msg = f"“{name}” is not a CSPO archive (its JSON is nested far too deeply)."
        raise InvalidInput(msg) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        msg = f"“{name}” is not a CSPO archive (its “format” is not “{FORMAT}”)."
        raise InvalidInput(msg)
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _odd(name, "its “format_version” is not a positive whole number")
    if version > FORMAT_VERSION:
        msg = (
            f"“{name}” was made by a newer version of CSPO Desktop (archive format {version}); "
            "update the app to import it."
        )
        raise InvalidInput(msg)
    revision = document.get("schema_revision")
    if not isinstance(revision, str) or not revision:
        raise _odd(name, "its “schema_revision” is missing")
    if not revisions.is_known(revision):
        msg = (
            f"“{name}” was made by a newer version of CSPO Desktop (schema {revision}); "
            "update the app to import it."
        )
        raise InvalidInput(msg)
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise _odd(name, "its “tables” is not an object")
    checked: dict[str, tuple[list[str], list[list[Value]]]] = {}
    for table, body in tables.items():
        checked[table] = _check_table(name, table, body)
    return _Archive(revision=revision, tables=checked)


def _check_table(name: str, table: str, body: object) -> tuple[list[str], list[list[Value]]]:
    if not isinstance(body, dict) or set(body) != {"columns", "rows"}:
        raise _odd(name, f"table {table} needs exactly “columns” and “rows”")
    columns, rows = body["columns"], body["rows"]
    if (
        not isinstance(columns, list)
        or not all(isinstance(c, str) for c in columns)
        or len(set(columns)) != len(columns)
    ):
        raise _odd(name, f"the columns of table {table} are not a list of distinct names")
    if not isinstance(rows, list):
        raise _odd(name, f"the rows of table {table} are not a list")
    decoded: list[list[Value]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            what = f"row {number} of table {table} does not have {len(columns)} values"
            raise _odd(name, what)
        decoded.append([_decode(name, table, number, value) for value in row])
    return list(columns), decoded


def _decode(name: str, table: str, number: int, value: object) -> Value:
    if value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if not -(2**63) <= value < 2**63:
            raise _odd(name, f"row {number} of table {table} has a number too large for SQLite")
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "$base64" and isinstance(text, str):
            with contextlib.suppress(binascii.Error, ValueError):
                return base64.b64decode(text.encode("ascii"), validate=True)
        if tag == "$float" and text in {"inf", "-inf"}:
            return float(text)
    raise _odd(name, f"row {number} of table {table} holds a value that is not text or a number")


def _no_constant(constant: str) -> object:
    msg = f"{constant} is not a number JSON allows"
    raise ValueError(msg)


def _odd(name: str, detail: str) -> InvalidInput:
    return InvalidInput(f"“{name}” is not a valid CSPO archive: {detail}.")


def _short(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _build(tmp: Path, archive: _Archive, name: str) -> None:
    """Create the schema of the archive's revision in ``tmp``, load the rows, bring it to head."""
    from cspo_desktop.persistence.migrate import MigrationError, upgrade

    try:
        upgrade(tmp, archive.revision, create=True)
    except MigrationError as exc:
        msg = f"Cannot create a product file from “{name}”: {exc.reason}."
        raise CspoError(msg) from exc
    _load(tmp, archive, name)
    if not revisions.is_current(archive.revision):
        try:
            upgrade(tmp)
        except MigrationError as exc:
            msg = f"“{name}” cannot be brought to the current schema: {exc.reason}."
            raise InvalidInput(msg) from exc
    _check_integrity(tmp, name)


def _load(tmp: Path, archive: _Archive, name: str) -> None:
    conn = connect(tmp, foreign_keys=False)
    try:
        schema = {table: set(_table_columns(conn, table)[0]) for table in _schema_tables(conn)}
        unknown = sorted(set(archive.tables) - set(schema))
        if unknown:
            noun = "table" if len(unknown) == 1 else "tables"
            detail = f"{noun} {', '.join(unknown)} that schema {archive.revision} does not have"
            raise _odd(name, f"it holds {detail}")
        for table, (columns, _) in sorted(archive.tables.items()):
            extra = [c for c in columns if c not in schema[table]]
            if extra:
                noun = "column" if len(extra) == 1 else "columns"
                detail = f"table {table} has {noun} {', '.join(extra)} that the schema lacks"
                raise _odd(name, detail)
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table, (columns, rows) in sorted(archive.tables.items()):
                _insert(conn, name, table, columns, rows)
            _check_links(conn, name)
            _check_product(conn, name)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def _schema_tables(conn: sqlite3.Connection) -> Iterator[str]:
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\'"
    ):
        if table not in SKIPPED_TABLES:
            yield str(table)


def _insert(
    conn: sqlite3.Connection,
    name: str,
    table: str,
    columns: list[str],
    rows: list[list[Value]],
) -> None:
    if not rows:
        return
    if not columns:
        raise _odd(name, f"table {table} has rows but no columns")
    sql = (
        f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, columns))}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    for number, row in enumerate(rows, start=1):
        try:
            conn.execute(sql, row)
        except sqlite3.IntegrityError as exc:
            raise _odd(name, f"row {number} of table {table} breaks a rule ({exc})") from exc


def _check_links(conn: sqlite3.Connection, name: str) -> None:
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
        more = f" and {len(broken) - 1} more" if len(broken) > 1 else ""
        detail = f"row {rowid} of table {table} points at a missing {parent}{more}"
        raise _odd(name, detail)


def _check_product(conn: sqlite3.Connection, name: str) -> None:
    count = int(conn.execute(f"SELECT count(*) FROM {PRODUCT_TABLE}").fetchone()[0])
    if count != 1:
        detail = "it holds no product" if count == 0 else f"it holds {count} products, not one"
        raise _odd(name, detail)


def _check_integrity(tmp: Path, name: str) -> None:
    conn = connect(tmp)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if [r[0] for r in rows] != ["ok"]:
        msg = f"The product file made from “{name}” failed SQLite's check ({rows[0][0]})."
        raise CspoError(msg)


# ---------------------------------------------------------------- helpers


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _summary(tables: dict[str, dict[str, Any]]) -> ArchiveSummary:
    return ArchiveSummary(
        tables=len(tables),
        rows=sum(len(body["rows"]) for body in tables.values()),
        items=len(tables[ITEM_TABLE]["rows"]) if ITEM_TABLE in tables else 0,
    )
