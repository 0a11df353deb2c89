"""Bring a product file to the schema head with Alembic (imported only when a migration is due).

Migrations run with ``PRAGMA foreign_keys=OFF`` (set on the connection before the transaction,
where SQLite honours it) and end with ``PRAGMA foreign_key_check`` inside the same transaction:
batch mode rebuilds a table by DROP + rename, and with foreign keys on, ``ON DELETE CASCADE``
would silently delete every child row.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.persistence.database import make_engine

SCRIPT_LOCATION = "cspo_desktop.persistence:migrations"


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
        CspoError: the migrated data break a foreign key; nothing was changed.
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
                msg = (
                    f"Upgrading “{path.name}” would break links in table {table} "
                    f"({len(broken)} rows); the file was left unchanged."
                )
                raise CspoError(msg)
    finally:
        engine.dispose()
