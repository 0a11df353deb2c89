"""Small helpers for the words the app shows."""

from __future__ import annotations

SCALE_NAMES = {
    "fibonacci": "Fibonacci points",
    "tshirt": "T-shirt sizes",
    "custom": "a custom scale",
}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 item``, ``2 items``; numbers get thousands separators."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def scale_name(kind: str) -> str:
    """How an estimation scale is named in sentences."""
    return SCALE_NAMES.get(kind, kind)


#: Names in undo entries and messages are cut to this many characters.
NAME_LENGTH = 40


def short(text: str, length: int = NAME_LENGTH) -> str:
    """A name on one line, cut with … when long: what undo entries and messages quote."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"
