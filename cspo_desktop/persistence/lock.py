"""The product lock: one writer per product file, GUI and ``cspo`` alike.

An OS-level lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on ``<product>.lock``
beside the file. The operating system releases it when the process ends, however it ends, so a
crash never leaves a product locked. A second writer is told the product is already open
instead of racing the first one. The lock file itself stays (deleting it would open a race
between two openers); it is empty and user-only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from cspo_desktop.domain.errors import FileRefused, Refusal
from cspo_desktop.persistence.paths import PRIVATE_FILE_MODE, make_private

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(product: Path) -> Path:
    """Return the lock file that guards ``product``."""
    return product.with_name(product.name + ".lock")


class ProductLock:
    """Holds the lock of one product file until :meth:`release`."""

    def __init__(self, product: Path) -> None:
        self.path = lock_path(product)
        self._product = product
        self._fd: int | None = None

    def acquire(self) -> ProductLock:
        """Take the lock now or raise :class:`FileRefused` (``LOCKED``)."""
        if self._fd is not None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        except OSError as exc:
            raise FileRefused(
                Refusal.UNREADABLE,
                str(self._product),
                f"“{self._product.name}” cannot be locked for writing ({exc.strerror}); "
                "is its folder read-only?",
            ) from exc
        if not _try_lock(fd):
            os.close(fd)
            raise FileRefused(
                Refusal.LOCKED,
                str(self._product),
                f"“{self._product.name}” is already open in another window or by another "
                "program. Close it there first.",
            )
        self._fd = fd
        make_private(self.path)
        return self

    def release(self) -> None:
        """Let other windows and programs open the product (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def __enter__(self) -> ProductLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
