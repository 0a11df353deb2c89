"""Item keys such as ``PAY-42``: a product prefix and a number."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+")
MAX_PREFIX = 5


def suggest_prefix(product_name: str) -> str:
    """Suggest a key prefix from a name: ``Pocket Bank`` → ``PB``, ``Payments`` → ``PAY``."""
    words = _WORD.findall(product_name)
    if len(words) >= 2:
        prefix = "".join(w[0] for w in words)[:MAX_PREFIX]
    elif words:
        prefix = words[0][:3]
    else:
        prefix = "ITEM"
    prefix = prefix.upper()
    return prefix if prefix[0].isalpha() else "P" + prefix[: MAX_PREFIX - 1]


def item_key(prefix: str, number: int) -> str:
    """The key of the ``number``-th item of a product."""
    return f"{prefix}-{number}"
