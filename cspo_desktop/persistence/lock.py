"""The product lock: one writer per product file, GUI and ``cspo`` alike.

An OS-level lock on ``<product>.lock`` beside the file. A second writer is told the product is
already open instead of racing the first one.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import filelock

from cspo_desktop.domain.errors import FileRefused, Refusal
from cspo_desktop.persistence.paths import PRIVATE_FILE_MODE, make_private


def lock_path(product: Path) -> Path:
    """Return the lock file that guards ``product``."""
    return product.with_name(product.name + ".lock")


class ProductLock:
    """Holds the lock of one product file until :meth:`release`."""

    def __init__(self, product: Path) -> None:
        self.path = lock_path(product)
        self._product = product
        self._lock = filelock.FileLock(
            self.path, timeout=0, mode=PRIVATE_FILE_MODE, thread_local=False
        )

    def acquire(self) -> ProductLock:
        """Take the lock now or raise :class:`FileRefused` (``LOCKED``)."""
        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout as exc:
            raise FileRefused(
                Refusal.LOCKED,
                str(self._product),
                f"“{self._product.name}” is already open in another window or by another "
                "program. Close it there first.",
            ) from exc
        except OSError as exc:
            raise FileRefused(
                Refusal.UNREADABLE,
                str(self._product),
                f"“{self._product.name}” cannot be locked for writing ({exc.strerror}); "
                "is its folder read-only?",
            ) from exc
        make_private(self.path)
        return self

    def release(self) -> None:
        """Let other windows and programs open the product."""
        if self._lock.is_locked:
            self._lock.release()

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return bool(self._lock.is_locked)

    def __enter__(self) -> ProductLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
