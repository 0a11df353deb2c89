"""Writing to the console, which a GUI launch on Windows does not have."""

from __future__ import annotations

import sys


def warn(text: str) -> None:
    """Write one line to stderr when there is one (``pythonw`` and frozen GUI apps have none)."""
    if sys.stderr is not None:
        sys.stderr.write(text.rstrip("\n") + "\n")
