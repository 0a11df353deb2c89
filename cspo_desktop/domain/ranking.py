"""Backlog order as string fractional-index keys.

A move writes one key between its new neighbours. Keys are compared byte by byte (SQLite's
BINARY collation, Python's ``str`` order), never with a locale-aware comparison.
"""

from __future__ import annotations

from fractional_indexing import generate_key_between, generate_n_keys_between

#: A key longer than this makes the command that produced it re-key the whole list.
MAX_KEY_LENGTH = 64


def key_between(before: str | None, after: str | None) -> str:
    """Return a key that sorts strictly between two neighbours (``None`` = open end)."""
    return generate_key_between(before, after)


def keys_between(before: str | None, after: str | None, count: int) -> list[str]:
    """Return ``count`` ascending keys strictly between two neighbours."""
    if count <= 0:
        return []
    return list(generate_n_keys_between(before, after, count))


def needs_rekey(key: str) -> bool:
    """Tell whether a freshly made key is long enough to warrant re-keying the list."""
    return len(key) > MAX_KEY_LENGTH
