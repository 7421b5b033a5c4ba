"""The index's words: lookups and the in-memory vocabulary for spelling corrections,
transliteration and fuzzy words."""

from __future__ import annotations

from typing import Any

from ...errors import IndexDamaged
from ...query import budget
from ..base import WordCounts
from ..records import VOCABULARY_FIELDS
from . import vocabulary
from .compiler import FUZZY_PREFIX
from .store import IndexStore, reported_as_damage, retried


class Words(IndexStore, WordCounts):
    """Which words the index holds, and how often."""

    @retried
    def doc_frequency(self, field: str, term: str) -> int:
        """How many articles hold ``term`` in ``field``."""
        memo = self.looked_up()  # (a word is looked up in each field, as it is asked of the terms file)
        key = (field, term)
        hit = memo.get(key) if memo is not None else None
        if hit is None:
            hit = int(self.searcher().reader().doc_frequency(field, term))
            if memo is not None:
                memo[key] = hit
        return int(hit)

    def looked_up(self) -> dict[tuple[str, str], Any] | None:
        """This search's answers to word look-ups (``None`` outside a search). A search
        compiles its query a dozen times (the query, each correction tried, each word
        left out), and each compile asked the terms file again for the same words: about
        100 look-ups, 18 ms of a search at 100,000 articles. Never shared with the next
        search, nor across a change of the index within one."""
        scope = budget.scope()
        if scope is None:
            return None
        s = self.searcher()
        held = self._lookups
        if held is None or held[0] is not scope or held[1] is not s:
            held = self._lookups = (scope, s, {})
        return held[2]

    @retried
    def has_prefix(self, prefix: str) -> bool:
        """True when some indexed form or lemma starts with ``prefix``."""
        r = self.searcher().reader()
        return any(next(iter(r.expand_prefix(f, prefix)), None) is not None for f in VOCABULARY_FIELDS)

    @retried
    def near(self, word: str, maxdist: int) -> set[str]:
        """Indexed forms and lemmas within ``maxdist`` edits of ``word`` (a swap of two
        neighbouring letters is one edit), from the vocabulary in memory.

        The first letter must match: the search is five times faster, and first-letter
        slips are found among the dictionary's neighbours instead (see :mod:`.suggest`).
        """
        return vocabulary.within(self.vocabulary(), word, maxdist, FUZZY_PREFIX)

    def fuzzy_terms(self, fieldname: str, word: str, maxdist: int) -> list[str]:
        """The terms of ``fieldname`` within ``maxdist`` edits of ``word`` (first letter kept),
        sorted; kept for the searcher's life (see :mod:`.expansions`)."""
        return self._expansions.fuzzy(self.searcher(), self.near, fieldname, word, maxdist)

    def vocabulary(self) -> tuple[str, ...]:
        """Every indexed form and body lemma, sorted (see :mod:`.vocabulary`); kept while
        the index is unchanged."""
        with self._mutex:
            s = self.searcher()
            stamp = (self._gen, s.reader().generation())
            if self._vocab is not None and self._vocab[0] == stamp:
                return self._vocab[1]
            assert self._gen is not None
            folder = self.root / self._gen
            lists = []
            for leaf, _ in s.leaf_searchers():
                r = leaf.reader()
                if r.segment() is not None:  # an empty index has a reader without one
                    seg = r.segment().segment_id()
                    try:
                        lists.append(vocabulary.segment_words(folder, seg, r))
                    except OSError:  # a read-only home: the list is not saved, only used
                        lists.append(vocabulary.segment_words(folder, seg, r, store=False))
            # a tuple of strings, which the garbage collector stops visiting (see read_column)
            words = tuple(vocabulary.merge(lists))
            self._vocab = (stamp, words)
            return words

    def _save_vocabularies(self) -> None:
        """Save the word list of every segment that has none yet (after a commit, under
        the write lock), so that no search has to read it out of the index. The writer
        saves its new segment's list itself; this covers segments written before it did."""
        try:
            with reported_as_damage():
                s = self.searcher()
                assert self._gen is not None
                folder = self.root / self._gen
                for leaf, _ in s.leaf_searchers():
                    r = leaf.reader()
                    if r.segment() is None:
                        continue
                    seg = r.segment().segment_id()
                    if not vocabulary.saved(folder, seg):
                        vocabulary.save(folder, seg, vocabulary.segment_words(folder, seg, r, store=False))
        except (OSError, IndexDamaged):
            # A cache, written after the commit that matters: a disk that is full or
            # read-only, or a segment that cannot be read, leaves a list unsaved, which the
            # next search that needs it builds (and the next search, or `index --rebuild`,
            # reports the damage). A bug here is no such case, and shows.
            pass
