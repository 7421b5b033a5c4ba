"""One writer at a time per home, across processes.

An advisory ``fcntl.flock`` on ``HOME/.searchkit.lock``: the kernel releases it when the
holder exits, however it exits (kill -9 included), so a lock can never go stale. A second
writer waits up to a timeout, then gets :class:`IndexBusy`. Readers never take it: searches
answer from the last committed index while a writer works.

A flock belongs to the open file, and a forked child (the second indexing process, the
index writer's helper) inherits it: if the writer were killed, an orphaned child would hold the
lock for as long as it lived. Children therefore close their copy at once
(``os.register_at_fork``), and helpers call :func:`die_with_parent`.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import TracebackType

from .errors import IndexBusy

__all__ = ["HomeLock", "die_with_parent", "lock_timeout"]

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock, single-user use
    fcntl = None  # type: ignore[assignment]


#: File descriptors of the locks this process holds.
_held: set[int] = set()


def _drop_inherited_locks() -> None:
    # Close, never unlock: LOCK_UN on the shared open file would free the parent's lock.
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_locks)


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this (child) process when its parent dies, however it
    dies: the second process of a killed import must not live on, writing for nobody.
    Linux only; elsewhere a no-op. ``parent`` is the pid the child expects as parent (it
    exits at once if that one is already gone)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the request was made


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
        _held.add(fd)

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            _held.discard(self._fd)
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> HomeLock:
        self.acquire()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
