"""Alembic environment: migrations always run on a connection handed over by ``migrate``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import cspo_desktop.persistence.tables  # noqa: F401 - puts the tables on SQLModel.metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    msg = "Product migrations run through cspo_desktop.persistence.migrate, not the alembic CLI."
    raise RuntimeError(msg)

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
