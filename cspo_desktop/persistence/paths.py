"""Where the app keeps its files, and how they are made private to the user.

One naming source for GUI and CLI alike (platformdirs, which needs no Qt): the data folder
holds the demo product and automatic backups, the state folder holds logs, the config folder
holds settings. ``--data-dir`` puts all three in one folder (portable use, tests, demos).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import NamedTuple

APP_NAME = "cspo-desktop"
APP_AUTHOR = "CSPO"
PRODUCT_SUFFIX = ".cspo"

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class AppDirs(NamedTuple):
    """The folders the app writes to.

    A named tuple: its class is made before the first paint, where a dataclass costs ~1 ms.
    """

    data: Path
    state: Path
    config: Path

    @property
    def backups(self) -> Path:
        """Folder of automatic and pre-migration backups."""
        return self.data / "backups"

    @property
    def logs(self) -> Path:
        """Folder of the crash and error log."""
        return self.state / "logs"

    @property
    def settings_file(self) -> Path:
        """The settings file (window geometry, recent files, theme)."""
        return self.config / "settings.ini"

    @property
    def demo_product(self) -> Path:
        """Where ``--demo`` generates and reopens the demo product."""
        return self.data / f"demo{PRODUCT_SUFFIX}"


def app_dirs(override: str | os.PathLike[str] | None = None) -> AppDirs:
    """Return the app's folders; ``override`` (``--data-dir``) holds all of them."""
    if override is not None:
        root = Path(override).expanduser().resolve()
        return AppDirs(data=root, state=root, config=root)
    import platformdirs

    return AppDirs(
        data=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        state=Path(platformdirs.user_state_dir(APP_NAME, APP_AUTHOR)),
        config=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
    )


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; a folder the app creates is user-only (0700)."""
    # ``mkdir(parents=True)`` would create the missing parents with the default mode
    # (``mode`` applies to the last folder only), so each missing level is made here.
    missing: list[Path] = []
    folder = path
    while not folder.is_dir() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True, mode=PRIVATE_DIR_MODE)
        make_private(folder, PRIVATE_DIR_MODE)
    return path


def make_private(path: Path, mode: int = PRIVATE_FILE_MODE) -> None:
    """Restrict a file the app created to its user (0600), where the file system allows it."""
    with contextlib.suppress(OSError):
        path.chmod(mode)


def backup_folder_name(product: Path) -> str:
    """Name of the folder holding one product's backups: readable stem + a short path hash."""
    import hashlib

    digest = hashlib.sha256(str(product.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{product.stem}-{digest[:8]}"


NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "afs", "sshfs", "fuse.sshfs"}
)


def looks_like_network_share(path: Path) -> bool:
    """Tell whether ``path`` is on a network file system, where WAL must not be used."""
    if os.name == "nt":
        return str(path.resolve()).startswith("\\\\")
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return mount_fstype(path.resolve(), mounts) in NETWORK_FILE_SYSTEMS


def mount_fstype(resolved: Path, mounts: list[str]) -> str:
    r"""The file system type of the mount that holds ``resolved`` (``""`` if none matches).

    Args:
        resolved: an absolute path with symbolic links resolved.
        mounts: lines in ``/proc/mounts`` format (device, mount point, type, …; a space in a
            mount point is written ``\040``).

    Mount points are compared component by component, so ``/mnt/n`` does not hold
    ``/mnt/nas-local``; the deepest mount that holds the path wins (of two on the same
    point, the later one, which hides the first).
    """
    best_depth, fstype = -1, ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = Path(_unescape_mount(parts[1]))
        if resolved.is_relative_to(point) and len(point.parts) >= best_depth:
            best_depth, fstype = len(point.parts), parts[2]
    return fstype


def _unescape_mount(field: str) -> str:
    r"""Undo the octal escapes (``\040`` for a space…) of a ``/proc/mounts`` field."""
    import re

    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)
