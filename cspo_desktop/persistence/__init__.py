"""Storage: product files on SQLite, their schema, migrations, backups and read queries.

The modules split along the start-up path. ``paths``, ``sqlite``, ``preflight``, ``lock``
(the product lock: ``flock`` on POSIX, ``msvcrt.locking`` on Windows), ``revisions``,
``queries``, ``backups``, ``atomic``, ``restore`` and ``product_file`` use only the standard
library (``paths`` also ``platformdirs``, when no data folder is given), so a product can be
inspected, opened and shown before SQLAlchemy is imported.
``tables``, ``database`` and ``migrate`` bring SQLModel and Alembic in when writes or a
migration need them.
"""
