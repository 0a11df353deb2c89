"""Storage: product files on SQLite, their schema, migrations, backups and read queries.

The modules split along the start-up path. ``paths``, ``sqlite``, ``preflight``, ``lock``,
``revisions``, ``queries``, ``backups`` and ``product_file`` use only the standard library and
``filelock``, so a product can be inspected, opened and shown before SQLAlchemy is imported.
``tables``, ``database`` and ``migrate`` bring SQLModel and Alembic in when writes or a
migration need them.
"""
