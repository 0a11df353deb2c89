"""Bring a product file to the schema head with Alembic (imported only when a migration is due).

Migrations run with ``PRAGMA foreign_keys=OFF`` (set on the connection before the transaction,
where SQLite honours it) and end with ``PRAGMA foreign_key_check`` inside the same transaction:
batch mode rebuilds a table by DROP + rename, and with foreign keys on, ``ON DELETE CASCADE``
would silently delete every child row.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.persistence.database import make_engine

SCRIPT_LOCATION = "cspo_desktop.persistence:migrations"


class MigrationError(CspoError):
    """A migration could not run; the transaction was rolled back and the file is unchanged.

    Attributes:
        reason: what went wrong, without the file name (callers rephrase the message).
    """

    def __init__(self, path: Path, reason: str) -> None:
        message = f"“{path.name}” cannot be upgraded: {reason}; the file was left unchanged."
        super().__init__(message)
        self.reason = reason


def alembic_config() -> Config:
    """An Alembic configuration pointing at the migrations inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def history() -> list[str]:
    """Every revision Alembic knows, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade(path: Path, target: str = "head", *, create: bool = False) -> None:
    """Migrate ``path`` to ``target`` in one transaction, or leave it unchanged.

    Raises:
        MigrationError: SQLite refused the migration (data that break a new CHECK constraint
            or a foreign key, a file that cannot be opened or written); nothing was changed.
    """
    engine = make_engine(path, foreign_keys=False, create=create)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                table = broken[0][0]
                reason = f"it would break links in table {table} ({len(broken)} rows)"
                raise MigrationError(path, reason)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        detail = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        raise MigrationError(path, str(detail)) from exc
    finally:
        engine.dispose()
