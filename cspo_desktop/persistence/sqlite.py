"""Connections to a product file through the standard library ``sqlite3`` module.

Every read-write connection, whether used directly or handed to SQLAlchemy as its ``creator``,
is set up here: WAL journal, ``synchronous=FULL`` (``fullfsync`` on macOS), foreign keys on,
a busy timeout, and autocommit at the driver level so that transactions are opened explicitly
with ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


def file_uri(path: Path, *, mode: str) -> str:
    """Return a ``file:`` URI for ``path`` opened in ``mode`` (``ro``, ``rw`` or ``rwc``).

    SQLite reads the path part literally except for ``%`` escapes and the ``?`` and ``#``
    that end it, so exactly those three are escaped.
    """
    text = str(path.resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    if sys.platform == "win32":
        text = "/" + text.replace("\\", "/")
    return f"file:{text}?mode={mode}"


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open ``path`` read-only, with no pragma that could write to it."""
    conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def connect(path: Path, *, foreign_keys: bool = True, create: bool = False) -> sqlite3.Connection:
    """Open ``path`` for reading and writing with the app's durability settings.

    Args:
        path: the product file.
        foreign_keys: ``False`` only for migrations, whose table rebuilds would otherwise
            cascade deletes into child tables.
        create: allow creating a file that does not exist yet.
    """
    conn = sqlite3.connect(
        file_uri(path, mode="rwc" if create else "rw"),
        uri=True,
        isolation_level=None,
        check_same_thread=False,
    )
    configure(conn, foreign_keys=foreign_keys)
    return conn


def configure(conn: sqlite3.Connection, *, foreign_keys: bool = True) -> None:
    """Apply the app's pragmas to a fresh connection (outside any transaction)."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    if sys.platform == "darwin":
        conn.execute("PRAGMA fullfsync = ON")
        conn.execute("PRAGMA checkpoint_fullfsync = ON")
    conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
