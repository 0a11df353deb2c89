"""The one way to find the files in ``resources/`` (icons, stylesheet).

In an installed wheel they sit inside the package (``cspo_desktop/resources``, put there by
the build); in a source checkout they are the top-level ``resources/`` folder beside it. The
package's own ``__file__`` locates both: ``importlib.resources`` would do the same at the cost
of importing ``zipfile`` and ``tempfile`` before the first paint, for zip imports the app never
uses (PyInstaller unpacks packages to real folders).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_root() -> Path:
    """The folder holding the app's resources."""
    packaged = _PACKAGE / "resources"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "resources"


def resource_text(name: str) -> str:
    """The text of one resource file, e.g. ``style.qss``."""
    return (resource_root() / name).read_text(encoding="utf-8")
