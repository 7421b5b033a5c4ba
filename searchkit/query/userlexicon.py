"""The home's ``lexicon.tsv`` as a long-lived engine follows it: read again whenever the
file changes, so no search runs with a lexicon the user has since edited; the analyzer
and the synonym groups made from it."""

from __future__ import annotations

from pathlib import Path

from ..errors import HomeError
from ..text.analysis import Analyzer
from ..text.lexicon import Lexicon
from .synonyms import Synonyms, synonyms_of

__all__ = ["UserLexicon"]


class UserLexicon:
    """``lexicon.tsv`` (which may not exist), its analyzer and its synonyms."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lexicon = Lexicon()
        self.analyzer = Analyzer()
        self._stamp: tuple[int, int, int] | None = None
        self._synonyms: Synonyms | None = None

    def refresh(self, *, force: bool = False) -> bool:
        """Read the file again if it changed since it was last read (or ``force``);
        ``True`` when that replaced the analyzer (the lemmas changed), which the index
        must then be handed. Raises :class:`LexiconError` for a file that cannot be used."""
        try:
            st = self.path.stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        except OSError as e:
            raise HomeError(f"{self.path}: cannot read ({e.strerror or e})") from None
        if not force and stamp == self._stamp:
            return False
        lexicon = Lexicon.load(self.path) if stamp is not None else Lexicon()
        changed = force or lexicon.lemmas != self.lexicon.lemmas
        if changed:
            self.analyzer = Analyzer(lexicon if lexicon.lemmas else None)
        self.lexicon, self._stamp, self._synonyms = lexicon, stamp, None
        return changed

    def synonyms(self) -> Synonyms:
        """The synonym groups as of the last :meth:`refresh`, analyzed once per lexicon
        for query expansion."""
        if self._synonyms is None:
            self._synonyms = synonyms_of(self.lexicon, self.analyzer)
        return self._synonyms
