"""The home's ``lexicon.tsv`` as a long-lived engine follows it: read again whenever the
file changes, so no search runs with a lexicon the user has since edited; the analyzer
and the synonym groups made from it.

One reading of the file and all that is made of it is one :class:`LexiconState`, never
changed, replaced whole under a lock: the index reads its analyzer and fingerprint from
the same state the searches' snippets do, so no thread sees the new analyzer beside the
old fingerprint or the old analyzer, and a search holds the state it first read
(:meth:`UserLexicon.held`) while another thread reads an edited file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from ..errors import HomeError
from ..text.analysis import Analyzer
from ..text.lexicon import Lexicon
from .synonyms import Synonyms, synonyms_of

__all__ = ["LexiconSource", "LexiconState", "UserLexicon"]


@dataclass(frozen=True, eq=False)
class LexiconState:
    """One reading of ``lexicon.tsv`` (``stamp``: the file's, ``None`` when there was
    none) and what is made of it. Also a :class:`LexiconSource` that never changes."""

    lexicon: Lexicon
    analyzer: Analyzer
    stamp: tuple[int, int, int] | None = None

    @cached_property
    def index_hash(self) -> str:
        """The fingerprint an index built with this state has (:attr:`Lexicon.index_hash`)."""
        return self.lexicon.index_hash

    @cached_property
    def synonyms(self) -> Synonyms:
        """The synonym groups, analyzed (once per state) for query expansion."""
        return synonyms_of(self.lexicon, self.analyzer)

    @property
    def state(self) -> LexiconState:
        return self


class LexiconSource(Protocol):
    """Where an index reads the analyzer and fingerprint of the moment."""

    @property
    def state(self) -> LexiconState: ...


class UserLexicon:
    """``lexicon.tsv`` (which may not exist), its analyzer and its synonyms; shared by the
    threads of one engine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._state = LexiconState(Lexicon(), Analyzer())
        self._lock = threading.Lock()  # one thread reads the file and publishes what it made
        self._held = threading.local()  # a search's state (see held)

    @property
    def state(self) -> LexiconState:
        """The state this thread's search holds (see :meth:`held`), else the last read."""
        if getattr(self._held, "active", False):
            if self._held.state is None:
                self._held.state = self._state
            held: LexiconState = self._held.state
            return held
        return self._state

    @property
    def lexicon(self) -> Lexicon:
        return self.state.lexicon

    @property
    def analyzer(self) -> Analyzer:
        return self.state.analyzer

    def synonyms(self) -> Synonyms:
        """The synonym groups of :attr:`state`, analyzed once per lexicon."""
        return self.state.synonyms

    @contextmanager
    def held(self) -> Iterator[None]:
        """Within the block this thread keeps one state: the first it reads (after the
        search's own :meth:`refresh`, the file as it is then), whatever other threads
        read meanwhile. A block within another keeps the outer one's."""
        if getattr(self._held, "active", False):
            yield
            return
        self._held.active, self._held.state = True, None
        try:
            yield
        finally:
            self._held.active, self._held.state = False, None

    def refresh(self, *, force: bool = False) -> bool:
        """Read the file again if it changed since it was last read (or ``force``);
        ``True`` when that replaced the analyzer (the lemmas changed). Raises
        :class:`LexiconError` for a file that cannot be used."""
        with self._lock:  # (a second thread waits for the state the first is making)
            changed = self._reread(force)
        if getattr(self._held, "active", False) and self._held.state is None:
            self._held.state = self._state  # a search holds the lexicon it checked
        return changed

    def _reread(self, force: bool) -> bool:
        try:
            st = self.path.stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        except OSError as e:
            raise HomeError(f"{self.path}: cannot read ({e.strerror or e})") from None
        now = self._state
        if not force and stamp == now.stamp:
            return False
        lexicon = Lexicon.load(self.path) if stamp is not None else Lexicon()
        changed = force or lexicon.lemmas != now.lexicon.lemmas
        analyzer = Analyzer(lexicon if lexicon.lemmas else None) if changed else now.analyzer
        self._state = LexiconState(lexicon, analyzer, stamp)  # published whole, in one assignment
        return changed
