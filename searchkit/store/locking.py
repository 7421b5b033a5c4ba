"""One writer at a time per home, across processes.

An advisory ``fcntl.flock`` on the home directory itself and on ``HOME/.searchkit.lock``:
the kernel releases it when the holder exits, however it exits (kill -9 included), so a
lock can never go stale, and removing the lock file does not let a second writer in.
Threads of one process sharing an ``Engine`` take turns too. A second
writer waits up to a timeout, then gets :class:`IndexBusy`. Readers never take it: searches
answer from the last committed index while a writer works.

A flock belongs to the open file, and a forked child (the second indexing process, the
index writer's helper) inherits it: if the writer were killed, an orphaned child would hold the
lock for as long as it lived. Children therefore close their copy at once
(``os.register_at_fork``), and helpers call :func:`die_with_parent`.
"""

from __future__ import annotations

import errno
import math
import os
import signal
import threading
import time
from pathlib import Path
from types import TracebackType

from ..errors import HomeError, IndexBusy, SearchkitError

__all__ = ["ENV", "HomeLock", "check_lock_timeout", "die_with_parent", "lock_timeout"]

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock, single-user use
    fcntl = None  # type: ignore[assignment]


#: File descriptors of the locks this process holds.
_held: set[int] = set()
#: The homes (their real paths) this process's writers hold, by any of its HomeLocks: a
#: writer kept waiting is told it waits for its own program, not for another process.
_homes_held: set[str] = set()


def _drop_inherited_locks() -> None:
    # Close, never unlock: LOCK_UN on the shared open file would free the parent's lock.
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()
    _homes_held.clear()


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


def _let_go(fd: int | None) -> None:
    """Unlock and close ``fd``, one of the locks this process holds."""
    if fd is None:
        return
    _held.discard(fd)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


#: Why a home cannot be written to: a read-only disk or mount, or no permission.
_READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})

#: The longest wait ``SEARCHKIT_LOCK_TIMEOUT`` (or ``lock_timeout``) may ask for: a day (a
#: longer one overflows the clock's arithmetic, and no writer holds a home so long).
MAX_LOCK_TIMEOUT = 86_400.0
#: The environment variable that sets the wait when no ``lock_timeout`` is given.
ENV = "SEARCHKIT_LOCK_TIMEOUT"


def lock_timeout() -> float:
    """Seconds a second writer waits (``SEARCHKIT_LOCK_TIMEOUT``, default 10); a value
    that is no number of seconds from 0 to :data:`MAX_LOCK_TIMEOUT` is refused, not
    silently read as another wait."""
    text = os.environ.get(ENV) or "10"  # (set but empty: the default)
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not _in_range(seconds):
        raise SearchkitError(f"{ENV}={text!r}: give seconds from 0 to {MAX_LOCK_TIMEOUT:,.0f}")
    return seconds


def check_lock_timeout(seconds: object) -> float:
    """``seconds``, a ``lock_timeout`` given in Python, if it is a number of seconds from 0
    to :data:`MAX_LOCK_TIMEOUT` (``TypeError`` or ``ValueError`` saying what it is not)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"lock_timeout must be a number of seconds or None, not {type(seconds).__name__}")
    if not _in_range(seconds):
        raise ValueError(f"lock_timeout={seconds!r}: give seconds from 0 to {MAX_LOCK_TIMEOUT:,.0f}")
    return float(seconds)


def _in_range(seconds: float) -> bool:
    return 0.0 <= seconds <= MAX_LOCK_TIMEOUT  # (nan, too, compares false)


def _locked(path: Path) -> bool:
    """Whether a process holds a write lock on ``path`` (``False`` when it cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


class HomeLock:
    """An exclusive lock on a home, re-entrant within one thread, across threads and
    processes.

    With ``directory`` (the home), the lock is a ``flock`` on the directory itself, which
    nobody can remove while it holds ``corpus/``; the file at ``path`` is locked too,
    for older versions of searchkit that lock only the file, and holds the writer's pid.
    A lock file removed or replaced while a writer holds it no longer lets a second writer
    in, and a file removed between opening and locking it is opened again (the file locked
    must be the one at ``path``).

    ``timeout``: the seconds a second writer waits (:func:`check_lock_timeout`); ``None``,
    as long as ``SEARCHKIT_LOCK_TIMEOUT`` says (:func:`lock_timeout`, read at each wait).
    """

    def __init__(self, path: Path, *, directory: Path | None = None, timeout: float | None = None) -> None:
        self.path = path
        self.directory = directory
        self.timeout = timeout
        self._fd: int | None = None
        self._dir_fd: int | None = None
        # The threads of this process take turns on ``_thread``; the one holding it, and
        # how many times it has acquired the lock, are kept here (a thread that acquires
        # again only counts), read without ``_thread`` only to ask "is it this thread?",
        # which only the holder's own writes can make true.
        self._thread = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._held_as = ""  # the home as :data:`_homes_held` named it when this lock took it
        self._before = b""  # what the lock file held when this lock last took it: its last holder's pid

    def _mine(self) -> bool:
        """Whether this thread holds the lock."""
        return self._owner == threading.get_ident()

    def wait(self) -> float:
        """The seconds a writer waits for the lock: ``timeout``, else ``SEARCHKIT_LOCK_TIMEOUT``'s."""
        return lock_timeout() if self.timeout is None else self.timeout

    def setting(self) -> str:
        """What chose the wait, for an error's advice on waiting longer: the environment
        variable, or the Engine's ``lock_timeout``."""
        return ENV if self.timeout is None else "lock_timeout"

    def acquire(self, timeout: float | None = None) -> None:
        if self._mine():
            self._depth += 1
            return
        timeout = self.wait() if timeout is None else timeout
        deadline = time.monotonic() + timeout
        if not self._thread.acquire(timeout=timeout):  # another thread of this process writes
            raise self._busy(timeout, here=True)
        try:
            dir_fd = self._lock_directory(deadline, timeout)
            fd: int | None = None
            try:
                fd = self._lock_file(deadline, timeout)
                self._write_pid(fd)
            except BaseException:
                # Whatever failed (a full disk refusing the pid), nothing stays locked.
                for held in (fd, dir_fd):
                    _let_go(held)
                raise
        except BaseException:
            self._thread.release()
            raise
        self._fd, self._dir_fd = fd, dir_fd
        self._owner, self._depth = threading.get_ident(), 1
        self._held_as = self._home()
        _homes_held.add(self._held_as)

    def _home(self) -> str:
        """What this lock locks, as :data:`_homes_held` names it: the home's real path."""
        return os.path.realpath(self.directory or self.path)

    def held_here(self) -> bool:
        """Whether the writer holding the home is of this process (another of its threads,
        or another Engine of the home), not another process; asked without waiting."""
        return not self._mine() and (self._thread.locked() or self._home() in _homes_held)

    def holder(self) -> str:
        """Who holds the home, in words, for a search kept waiting by it."""
        return "another thread or Engine of this program" if self.held_here() else "another searchkit process"

    def taken_between(self) -> bool:
        """Whether another process took the home between the last two times this lock took
        it (the lock file held another pid than this process's): it may have written to it."""
        return self._before.strip() != str(os.getpid()).encode()

    def _write_pid(self, fd: int) -> None:
        try:
            self._before = os.read(fd, 32)  # (at its start: opened just now)
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError as e:  # (os.write names no file: say which)
            raise OSError(e.errno, e.strerror, str(self.path)) from None

    def _busy(self, timeout: float, *, here: bool = False) -> IndexBusy:
        """The error of a writer that waited ``timeout`` in vain: for another thread of this
        lock (``here``), or for the home's file locks, which another HomeLock of this
        process may hold (this thread holds its own ``_thread`` meanwhile: not asked)."""
        here = here or self._home() in _homes_held
        holder = "another thread or Engine of this program" if here else "another searchkit process"
        return IndexBusy(f"index is busy: {holder} is writing (waited {timeout:g} s)",
                         hint=f"wait for it to finish, or set {self.setting()} to wait longer")

    def _flock(self, fd: int, deadline: float, timeout: float) -> None:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise self._busy(timeout) from None
                time.sleep(0.05)

    def _lock_directory(self, deadline: float, timeout: float) -> int | None:
        if self.directory is None or fcntl is None:
            return None
        try:
            fd = os.open(self.directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return None  # not a directory we can open: the file lock alone
        _held.add(fd)
        try:
            self._flock(fd, deadline, timeout)
        except BaseException:
            _held.discard(fd)
            os.close(fd)
            raise
        return fd

    def _open_file(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            if self.directory is None or e.errno not in _READ_ONLY:
                raise
            # (said as what it means: the path of the lock file and "Read-only file
            # system" do not say that the command must write to the home)
            raise HomeError(f"{self.directory}: cannot write to the home ({e.strerror}): import, index and delete "
                            "write to it (so does the build of the index a first search needs)",
                            hint="make it writable, or work on a copy of it") from None

    def _lock_file(self, deadline: float, timeout: float) -> int:
        while True:
            fd = self._open_file()
            if fcntl is None:
                return fd
            _held.add(fd)
            try:
                self._flock(fd, deadline, timeout)
                st, now = os.fstat(fd), None
                try:
                    now = os.stat(self.path)
                except FileNotFoundError:
                    pass
            except BaseException:
                _held.discard(fd)
                os.close(fd)
                raise
            if now is not None and (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino):
                return fd
            # Removed or replaced after we opened it: the lock we hold is on a file
            # nobody else will open. Lock the one at the path.
            _held.discard(fd)
            os.close(fd)

    def held_elsewhere(self) -> bool:
        """Whether another process or thread holds the lock now (a writer at work), asked
        without taking it: a shared lock tried at once on what the writers lock, the
        directory and the file (which alone an older version locks), as :meth:`acquire`
        would find them."""
        if fcntl is None or self._mine():
            return False
        return any(_locked(place) for place in (self.directory, self.path) if place is not None)

    def release(self) -> None:
        """Let go once; the last release of the thread that holds it unlocks (a thread
        that does not hold it changes nothing)."""
        if not self._mine():
            return
        self._depth -= 1
        if self._depth:
            return
        self._owner = None
        _homes_held.discard(self._held_as)  # (as named when taken: the home may have moved since)
        try:
            for fd in (self._fd, self._dir_fd):
                _let_go(fd)
        finally:
            self._fd = self._dir_fd = None
            self._thread.release()

    def __enter__(self) -> HomeLock:
        self.acquire()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
