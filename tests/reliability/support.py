"""Helpers of the reliability tests: child processes that open products, file digests."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHILD = Path(__file__).with_name("product_child.py")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def child_process(
    mode: str, product: Path, backups: Path, *extra: str
) -> Iterator[subprocess.Popen[str]]:
    """Run ``product_child.py`` in another interpreter; kill it and close its pipes at the end."""
    with subprocess.Popen(
        [sys.executable, str(CHILD), mode, str(product), str(backups), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)  # leaving the with block closes the pipes


def wait_until_ready(proc: subprocess.Popen[str]) -> None:
    """Wait for a ``hold`` child to say it holds the product."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line != "ready\n":
        proc.kill()
        _, err = proc.communicate(timeout=60)
        msg = f"the child did not open the product (said {line!r}): {err}"
        raise AssertionError(msg)


class LineReader(threading.Thread):
    """Collect a child's complete stdout lines as they arrive."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        assert proc.stdout is not None
        self._stream = proc.stdout
        self._changed = threading.Condition()
        self.lines: list[str] = []
        self.partial = ""
        self.ended = False

    def run(self) -> None:
        for line in self._stream:
            with self._changed:
                if line.endswith("\n"):
                    self.lines.append(line[:-1])
                else:  # cut off by the kill: never acknowledged
                    self.partial = line
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` lines arrived (True) or the stream ended or timed out (False)."""
        with self._changed:
            return (
                self._changed.wait_for(
                    lambda: len(self.lines) >= count or self.ended, timeout=timeout
                )
                and len(self.lines) >= count
            )
