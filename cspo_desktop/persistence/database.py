"""The write path: an SQLAlchemy engine over the app's own ``sqlite3`` connections.

Each :meth:`Database.transaction` is one ``BEGIN IMMEDIATE`` … ``COMMIT``: a user action either
lands whole or not at all, and a concurrent writer waits (busy timeout) instead of failing later
on a deferred lock upgrade.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.persistence.sqlite import connect


class StorageError(CspoError):
    """SQLite refused a write; the transaction was rolled back."""


def make_engine(path: Path, *, foreign_keys: bool = True, create: bool = False) -> Engine:
    """Return an engine whose connections carry the app's pragmas and open transactions IMMEDIATE.

    Args:
        path: the product file.
        foreign_keys: off only for migrations (see :mod:`migrate`).
        create: allow the file to be created (new products are built in a temporary file).
    """

    def creator() -> sqlite3.Connection:
        return connect(path, foreign_keys=foreign_keys, create=create)

    engine = create_engine("sqlite://", creator=creator, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """A session factory for one open product file: what services receive."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        self._connection: Connection | None = None

    def _conn(self) -> Connection:
        # One long-lived connection: the pragmas run once, and every write reuses it.
        if self._connection is None or self._connection.closed:
            self._connection = self.engine.connect()
        return self._connection

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Run one user action in one transaction; commit on success, roll back on error.

        Raises:
            StorageError: SQLite refused the write (disk full, read-only file, locked, damaged);
                the transaction was rolled back, so nothing of the action was saved.
        """
        try:
            conn = self._conn()
            with conn.begin(), Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.flush()
        except (DBAPIError, sqlite3.Error) as exc:
            detail = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
            msg = f"The change was not saved ({detail}); the product is as it was before."
            raise StorageError(msg) from exc

    def close(self) -> None:
        """Close the connection; WAL content is checkpointed by SQLite on the last close."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()
