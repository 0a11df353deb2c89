"""Putting a finished product file in place in one step, so no one ever sees half of it.

A new file is written beside its target, flushed to disk and renamed over it. The target's
``-wal``/``-shm`` sidecars go first: a WAL left by a crash of the replaced file would otherwise
be replayed into the new file when it is next opened. That is only safe while no one has the
target open, so the caller holds the target's product lock (:func:`copy_product` takes it
itself). The folder is flushed after the rename so the new name survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.persistence.backups import vacuum_into
from cspo_desktop.persistence.lock import ProductLock
from cspo_desktop.persistence.paths import make_private, private_dir

SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")


def remove_sidecars(path: Path) -> None:
    """Delete SQLite's sidecar files of ``path`` (never the file itself)."""
    for suffix in SIDECAR_SUFFIXES:
        Path(str(path) + suffix).unlink(missing_ok=True)


def remove_with_sidecars(path: Path) -> None:
    """Delete ``path`` and its sidecars."""
    path.unlink(missing_ok=True)
    remove_sidecars(path)


def fsync_file(path: Path) -> None:
    """Flush a finished file's content to disk, so the rename never exposes unwritten pages."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (where the OS allows opening folders)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_file(finished: Path, target: Path) -> None:
    """Flush ``finished`` and rename it over ``target`` after removing ``target``'s sidecars.

    The caller holds the target's product lock when the target may be a product in use.
    """
    fsync_file(finished)
    remove_sidecars(target)
    os.replace(finished, target)
    fsync_folder(target.parent)


def copy_product(source: Path, target: Path, *, lock: bool = True) -> Path:
    """Write a consistent copy of ``source`` to ``target``, replacing it in one step.

    Args:
        source: the product file to copy (it may be open in this process).
        target: where the copy goes; a product there is replaced.
        lock: take ``target``'s product lock for the replacement. Pass ``False`` only when
            the caller already holds it (a second lock on another descriptor would refuse
            this very process).

    Raises:
        FileRefused: ``target`` is open in another window or program (``LOCKED``) or cannot
            be locked; it is unchanged.
        CspoError: the copy could not be written; ``target`` is unchanged.
    """
    guard = ProductLock(target).acquire() if lock else None
    tmp = target.with_name(f".{target.name}.copying-{os.getpid()}")
    try:
        remove_with_sidecars(tmp)
        vacuum_into(source, tmp)
        replace_file(tmp, target)
    except OSError as exc:
        msg = f"Could not write {target}: {exc.strerror}."
        raise CspoError(msg) from exc
    finally:
        remove_with_sidecars(tmp)
        if guard is not None:
            guard.release()
    return target


def write_text_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8, line ends as given) aside, then rename it over ``target``.

    A reader of ``target`` sees the old file or the whole new one, never half of it.

    Raises:
        CspoError: the folder cannot be written (the message names the file).
    """
    tmp = target.with_name(f".{target.name}.writing-{os.getpid()}")
    try:
        private_dir(target.parent)
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        make_private(tmp)
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_folder(target.parent)
    except OSError as exc:
        msg = f"Could not write {target}: {exc.strerror or exc}."
        raise CspoError(msg) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
