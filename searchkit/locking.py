"""One writer at a time per home, across processes.

An advisory ``fcntl.flock`` on ``HOME/.searchkit.lock``: the kernel releases it when the
holder exits, however it exits (kill -9 included), so a lock can never go stale. A second
writer waits up to a timeout, then gets :class:`IndexBusy`. Readers never take it: searches
answer from the last committed index while a writer works.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import TracebackType

from .errors import IndexBusy

__all__ = ["HomeLock", "lock_timeout"]

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock, single-user use
    fcntl = None  # type: ignore[assignment]


def lock_timeout() -> float:
    """Seconds a second writer waits (``SEARCHKIT_LOCK_TIMEOUT``, default 10)."""
    try:
        return max(0.0, float(os.environ.get("SEARCHKIT_LOCK_TIMEOUT", "10")))
    except ValueError:
        return 10.0


class HomeLock:
    """A re-entrant (within one object) exclusive lock on a home directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0

    def acquire(self, timeout: float | None = None) -> None:
        if self._depth:
            self._depth += 1
            return
        timeout = lock_timeout() if timeout is None else timeout
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        os.close(fd)
                        raise IndexBusy(
                            f"index is busy: another searchkit process is writing (waited {timeout:g} s)"
                        ) from None
                    time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> HomeLock:
        self.acquire()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
