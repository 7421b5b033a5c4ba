"""The engines the TUI's workers search with: one at a time each (a Whoosh searcher is not
safe to share between threads), and a spare while a slow search holds the first."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..library import Engine


class Engines:
    """The app's engine, and a second one for a search that would otherwise wait behind a
    slow older one (a Whoosh searcher serves one thread at a time, and a running search
    cannot be stopped): a newer query overtakes instead of queueing. Its results are
    those of the same home; the older search finishes unseen."""

    #: Seconds a search waits for the busy main engine before it takes the second one.
    PATIENCE = 0.1

    def __init__(self, engine: Engine, lock: threading.Lock, *, spares: int = 1) -> None:
        self.main = engine
        self.main_lock = lock
        self.spares = spares
        self._spare: list[Engine] = []
        self._busy: set[int] = set()  # indexes into _spare
        self._cond = threading.Condition()
        self._making = False

    def acquire(self, cancelled: Callable[[], bool]) -> Engine | None:
        """An engine for this thread alone (``None``: the request was superseded meanwhile);
        give it back with :meth:`release`."""
        if self.main_lock.acquire(timeout=self.PATIENCE):
            return self.main
        while not cancelled():
            if self.main_lock.acquire(blocking=False):
                return self.main
            make = False
            with self._cond:
                for i, spare in enumerate(self._spare):
                    if i not in self._busy:
                        self._busy.add(i)
                        return spare
                if len(self._spare) < self.spares and not self._making:
                    self._making = make = True
                else:
                    self._cond.wait(0.02)
            if make:
                try:
                    spare = Engine(self.main.home, backend=self.main.config.backend, url=self.main.config.url)
                except Exception:  # no second reader: wait for the main engine, as before
                    with self._cond:
                        self._making, self.spares = False, 0
                    continue
                with self._cond:
                    self._making = False
                    self._spare.append(spare)
                    self._busy.add(len(self._spare) - 1)
                    return spare
        return None

    def release(self, engine: Engine) -> None:
        if engine is self.main:
            self.main_lock.release()
            return
        with self._cond:
            self._busy.discard(self._spare.index(engine))
            self._cond.notify_all()

    def close(self) -> None:
        for spare in self._spare:
            spare.close()
