"""A fingerprint of a product file's content, for "undo restores everything" checks."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

#: Bookkeeping, not content: edit stamps, optimistic-lock counters, the next key number
#: (an item key is never reused, so undoing an add leaves the counter where it is).
IGNORED = frozenset({"updated_at", "version", "next_item_number", "refinement_started_at"})
#: The history is append-only: undo adds compensating entries instead of removing any.
SKIPPED = frozenset({"item_event", "alembic_version"})


def content_hash(path: Path) -> str:
    """A hash over every table but the event log, ignoring bookkeeping columns."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if r[0] not in SKIPPED and not r[0].startswith("sqlite_")
        ]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY id'):
                kept = {k: v for k, v in dict(row).items() if k not in IGNORED}
                digest.update(repr(sorted(kept.items())).encode())
    return digest.hexdigest()
