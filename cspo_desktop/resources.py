"""The one way to find the files in ``resources/`` (icons, stylesheet).

In an installed wheel they sit inside the package (``cspo_desktop/resources``, put there by
the build); in a source checkout they are the top-level ``resources/`` folder beside it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_root() -> Path:
    """The folder holding the app's resources."""
    package = Path(str(files("cspo_desktop")))
    packaged = package / "resources"
    return packaged if packaged.is_dir() else package.parent / "resources"


def resource_text(name: str) -> str:
    """The text of one resource file, e.g. ``style.qss``."""
    return (resource_root() / name).read_text(encoding="utf-8")
