"""Spare start-up PySide6's source scan of every module imported after it.

PySide6 replaces ``builtins.__import__`` with a hook serving its opt-in
``from __feature__ import snake_case, true_property``. The first time a module is named in an
import after PySide6 has loaded, the hook reads that module's whole source file
(``inspect.getsource``) to see whether it mentions PySide6, and files the answer in
``__feature__.pyside_feature_dict``: 0 (uses PySide6, default features) or -1 (does not).
This app selects no feature, so for its own modules and the standard library the answers
change nothing, yet reading some seventy source files costs the first paint about 6 ms.

:func:`settle_feature_scan` files the answers in advance: the app's own modules as using
PySide6 (0, PySide's default selection), every module already loaded as not (-1), PySide's own
entries untouched. A PySide6 release without that table leaves the hook as it is.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The hook's answers: the module uses PySide6 (default feature selection), or it does not.
USES_PYSIDE, IGNORED = 0, -1
_PACKAGE = "cspo_desktop"


def app_module_names(root: Path | None = None) -> list[str]:
    """Every module and package name of the app, from its files (nothing is imported)."""
    top = Path(__file__).resolve().parents[1] if root is None else root
    names = [_PACKAGE]
    folders = [(top, _PACKAGE)]
    while folders:
        folder, dotted = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            stem, suffix = os.path.splitext(entry.name)
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                names.append(f"{dotted}.{entry.name}")  # a package (or a folder of data)
                folders.append((Path(entry.path), f"{dotted}.{entry.name}"))
            elif suffix == ".py" and stem != "__init__":
                names.append(f"{dotted}.{stem}")
    return names


def settle_feature_scan() -> int:
    """File the feature hook's answers for the app and the loaded modules; return how many.

    Call right after PySide6 is imported. Returns 0 when PySide6 has no such table.
    """
    feature = sys.modules.get("__feature__")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    before = len(table)
    for name in list(sys.modules):
        if not name.startswith(("PySide6", "shiboken6", _PACKAGE)):
            table.setdefault(name, IGNORED)
    for name in app_module_names():
        table.setdefault(name, USES_PYSIDE)
    return len(table) - before
