"""The user lexicon: ``HOME/lexicon.tsv``, the words and synonyms a dictionary cannot know.

A plain UTF-8 text file, one entry per line; ``#`` starts a comment, blank lines are skipped::

    # lemma overrides: this form has this lemma (and no other)
    можна -> можна
    року -> рік
    # new words and names, with their lemma; several forms may share one line
    Байрактара, Байрактаром -> Байрактар
    # a word the dictionary lacks that is its own lemma
    русня
    # synonyms and abbreviations: searching any side finds them all
    ЗСУ = Збройні сили України
    ВР = Верховна Рада

A tab may stand for the arrow (``form<TAB>lemma``), so a two-column spreadsheet export works.

Lemma overrides and new words change what is indexed, so they are fingerprinted
(:attr:`Lexicon.index_hash`) and the index is rebuilt when they change. Synonyms only widen
queries (a synonym of several words is searched as a phrase; see :mod:`searchkit.query.synonyms`),
so editing them takes effect on the next search without a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import LexiconError
from .analysis import tokenize
from .normalize import normalize_word

__all__ = ["LEXICON_FILE", "MAX_SYNONYM_WORDS", "Lexicon", "SynonymGroup"]

LEXICON_FILE = "lexicon.tsv"
#: Most words on one side of a synonym group: each side is searched as a phrase, and a
#: longer one would make every search for the group fail.
MAX_SYNONYM_WORDS = 32
_HASH_VERSION = "1"


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """Names for one thing (``ЗСУ``, ``Збройні сили України``), as written on ``line``."""

    members: tuple[str, ...]
    line: int


class Lexicon:
    """Lemma overrides and synonym groups read from a lexicon file (empty when none)."""

    def __init__(self, lemmas: dict[str, tuple[str, ...]] | None = None,
                 synonyms: Sequence[SynonymGroup] = (), *, path: Path | None = None) -> None:
        self.lemmas = dict(lemmas or {})
        self.synonyms = tuple(synonyms)
        self.path = path

    def __bool__(self) -> bool:
        return bool(self.lemmas or self.synonyms)

    def __repr__(self) -> str:
        return f"Lexicon({len(self.lemmas)} lemma overrides, {len(self.synonyms)} synonym groups)"

    # -- reading --------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Lexicon:
        """Read ``path``; a missing file is an empty lexicon. Raises :class:`LexiconError`."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            return cls(path=p)
        except OSError as e:
            raise LexiconError(str(p), f"cannot read ({e.strerror or e})") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise LexiconError(str(p), "not UTF-8 text; save the lexicon as UTF-8", line=line) from None
        return cls.parse(text, name=str(p), path=p)

    @classmethod
    def parse(cls, text: str, *, name: str = LEXICON_FILE, path: Path | None = None) -> Lexicon:
        """Parse lexicon ``text``; errors name ``name`` and the line.

        >>> Lexicon.parse("можна -> можна\\nВР = Верховна Рада").lemmas
        {'можна': ('можна',)}
        """
        lemmas: dict[str, tuple[str, ...]] = {}
        groups: list[SynonymGroup] = []
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue

            def bad(message: str, lineno: int = lineno) -> LexiconError:
                return LexiconError(name, message, line=lineno)

            if "=>" in line or "<=" in line or "==" in line:  # (a synonym side would end in ">")
                raise bad("`=>`, `<=` or `==` is no separator: write `ЗСУ = армія` (synonyms) or `form -> lemma`")
            has_arrow, has_eq = "->" in line, "=" in line.replace("->", "")
            if has_arrow and has_eq:
                raise bad("use either `->` (a lemma) or `=` (synonyms) on one line, not both")
            if has_eq:
                members = tuple(" ".join(m.split()) for m in line.split("="))
                if any(not m for m in members):
                    raise bad(f"empty side in synonym group {line!r}: write `ЗСУ = Збройні сили України`")
                for m in members:
                    words = sum(1 for _ in tokenize(m))
                    if not words:
                        raise bad(f"{m!r} has no words")
                    if words > MAX_SYNONYM_WORDS:
                        raise bad(f"a side of {words} words: a synonym may have at most {MAX_SYNONYM_WORDS} "
                                  "(it is searched as a phrase)")
                if len(set(members)) < 2:
                    raise bad("a synonym group needs two different sides: `ВР = Верховна Рада`")
                total = sum(1 for m in members for _ in tokenize(m))
                if total > MAX_SYNONYM_WORDS:  # a query for one word of it searches them all
                    raise bad(f"a synonym group of {total} words: a group may have at most {MAX_SYNONYM_WORDS} "
                              "(a search for one of them searches every one); split it")
                groups.append(SynonymGroup(members, lineno))
                continue
            if has_arrow:
                left, _, right = line.partition("->")
                if "->" in right:
                    raise bad("more than one `->`: write `form -> lemma`")
            elif "\t" in raw.split("#", 1)[0]:
                cols = [c.strip() for c in raw.split("#", 1)[0].split("\t") if c.strip()]
                if len(cols) != 2:
                    raise bad(f"expected two columns, form and lemma, found {len(cols)}")
                left, right = cols
            else:
                left = right = line
                if len(list(tokenize(line))) > 1:
                    raise bad(f"{line!r} is several words: write `form -> lemma` or `A = B` for synonyms")
            forms = [_one_word(f, "form", bad) for f in _items(left)]
            targets = [_one_word(x, "lemma", bad) for x in _items(right)]
            if not forms:
                raise bad("no word before `->`: write `form -> lemma`")
            if not targets:
                raise bad("no lemma after `->`: write `form -> lemma`")
            for form in forms:
                old = lemmas.get(form, ())
                lemmas[form] = old + tuple(t for t in targets if t not in old)
        return cls(lemmas, groups, path=path)

    # -- the analyzer hook ----------------------------------------------------------------
    def lemmas_for(self, form: str) -> tuple[str, ...]:
        """The lemmas the user gave for a normalised word form (empty when none)."""
        return self.lemmas.get(form, ())

    @property
    def index_hash(self) -> str:
        """A fingerprint of what changes the index (lemmas, not synonyms); ``""`` when none,
        so a home without a lexicon matches an index built before lexicons existed."""
        if not self.lemmas:
            return ""
        blob = json.dumps(sorted(self.lemmas.items()), ensure_ascii=False)
        return f"{_HASH_VERSION}:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _items(side: str) -> list[str]:
    return [x.strip() for x in side.split(",") if x.strip()]


def _one_word(text: str, what: str, bad: Callable[[str], LexiconError]) -> str:
    toks = list(tokenize(text))
    if len(toks) != 1 or toks[0][2] != text:
        raise bad(f"{what} {text!r} is not one word (use `=` for synonyms of several words)")
    return normalize_word(text)
