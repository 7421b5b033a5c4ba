"""What one typed query word stands for, shared by every backend's query compiler.

A typed word is resolved once into the analyses it may stand for (itself, and for a Latin
word the Cyrillic words of the archive it may spell) and, for each analysis, the lemmas to
search with their weights: the word's own lemmas, and the lemmas of its other spellings
(``учитель`` also searches ``вчитель``, see :mod:`searchkit.text.variants`) at a lower weight.
The compilers only translate the result into their query language, so a spelling rule is
written once and both backends rank alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Generic, Literal, Protocol, TypeVar

from ..errors import QueryError
from ..text.analysis import HALF, Analyzer, Token, half_of, is_verb_form, tokenize
from ..text.families import is_person_name, relatives
from ..text.translit import candidates as translit_candidates
from ..text.translit import is_latin_word
from ..text.variants import spelling_variants
from . import parse as q
from .limits import distinct
from .suggest import MAX_CORRECTED, match_case

__all__ = ["Knobs", "Partial", "Vocabulary", "WordAnalysis", "WordResolver", "Words", "analysis", "check_fuzzy",
           "half_apart", "is_required", "partial_items", "partial_parts", "several_tokens"]


#: Most relatives of one word looked up in the index (each is a request on a cluster).
MAX_FAMILY_CHECKS = 8
C = TypeVar("C")  # one backend's compiled clause

#: How much the written form of another spelling is lifted, next to the form typed.
VARIANT_FORM = 1.0
#: The weight of a compound's part searched on its own (``президент`` for ``екс-президент``).
PART_WEIGHT = 0.15
#: A word in fewer articles than this is never too common to make a partial match.
MIN_COMMON = 50
#: A word in more articles than this never fills a short page (``WordResolver.split_common``),
#: whatever its share: scoring every article that holds it took 0.72 s for a word in 59,000
#: of 1,010,000 articles (a search for it alone 0.08 s); 20,000 bounds that near 0.15 s.
FILL_MOST = 20_000
#: The weight of a name's foreign spelling (``Гендрикс`` for ``Хендрікс``), times the variant weight.
FOREIGN_WEIGHT = 0.5


class Words(Protocol):
    """What resolving a word asks the index: whether words are there and how common a lemma is."""

    def has_word(self, word: str) -> bool: ...

    def has_prefix(self, prefix: str) -> bool: ...

    def doc_frequency(self, field: str, term: str) -> int: ...

    def doc_count(self) -> int: ...


class Vocabulary(Words, Protocol):
    """What compiling a query asks the index: a word's facts, and the terms a prefix stands for."""

    def prefix_terms(self, fields: Sequence[str], prefix: str, most: int) -> list[list[str]]:
        """For each of ``fields``, its indexed terms starting with ``prefix`` (at most ``most``)."""
        ...


class Knobs(Protocol):
    """The ranking knobs the query side reads (:class:`searchkit.backends.records.Ranking`)."""

    @property
    def translit_limit(self) -> int: ...

    @property
    def title_boost(self) -> float: ...

    @property
    def form_boost(self) -> float: ...

    @property
    def verb_form_boost(self) -> float: ...

    @property
    def near_boost(self) -> float: ...

    @property
    def near_slop(self) -> int: ...

    @property
    def adjacent_boost(self) -> float: ...

    @property
    def partial_bonus(self) -> float: ...

    @property
    def lemma_weighting(self) -> Literal["typed", "equal", "frequency"]: ...

    @property
    def variant_weight(self) -> float: ...

    @property
    def family_weight(self) -> float: ...

    @property
    def partial_common(self) -> float: ...

    @property
    def fill_common(self) -> float: ...

    @property
    def weak_common(self) -> float: ...

    @property
    def stop_words(self) -> bool: ...


#: Fewest letters of each part of a compound typed apart: two shorter words joined are
#: too often another word (``на пиши``, ``по те``); a function word is never a part.
MIN_PART = 3


def compound_of(first: str, second: str, analyzer: Analyzer, held: Callable[[str], bool]) -> str | None:
    """The one word two normalised query words are, typed apart: joined, or by a hyphen,
    as the dictionary knows it and some article holds it (in that form or another:
    ``held``). A prefix or a compound's first part typed apart is a common slip that no
    one-word correction sees, since each part is a word.

    >>> an = Analyzer()
    >>> compound_of("веб", "сайт", an, {"вебсайт"}.__contains__)
    'вебсайт'
    >>> compound_of("віце", "прем'єр", an, {"віце-прем'єр"}.__contains__)
    "віце-прем'єр"
    >>> compound_of("віце", "прем'єр", an, {"віце", "прем'єр"}.__contains__)  # (the parts held apart)
    >>> compound_of("мовний", "табір", an, bool), compound_of("на", "пиши", an, bool)
    (None, None)
    """
    if any(len(w) < MIN_PART or not w.replace("'", "").isalpha() or w in q.STOP_WORDS for w in (first, second)):
        return None
    for word in (first + second, f"{first}-{second}"):
        # Only a word the dictionary knows (no guess: most pairs make none) is looked up
        # in the index, a request on a cluster. A hyphenated word's lemmas hold its parts'
        # too: ``прем'єр`` is no ``віце-прем'єр``.
        lemmas, known = analyzer.known(word)
        if known and any(map(held, dict.fromkeys((word, *(x for x in lemmas if "-" in x or "-" not in word))))):
            return word
    return None


@dataclass
class WordResolver:
    """Resolves a query's words against one index; remembers what it read for the query's
    explanation (``searched_as``, ``readings``, ``variants``). ``translit=False`` (an
    exact search) reads every word only as typed: no transliteration, no other spellings."""

    analyzer: Analyzer
    vocab: Words
    ranking: Knobs
    translit: bool = True
    #: whether words also stand for their families: for subjects of several words, where a
    #: text names one of them through a relative (a lone word is searched as typed)
    with_families: bool = True
    #: the analyzer call to use (a compiler counts words against its budget through it)
    analyze: Callable[[str], list[Token]] | None = None
    searched_as: dict[str, str] = field(default_factory=dict)
    readings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: variant lemma -> the typed form it was found for (``вчитель`` -> ``учитель``)
    variants: dict[str, str] = field(default_factory=dict)
    #: family lemma -> the typed form it was found for (``архів`` -> ``архівні``)
    families: dict[str, str] = field(default_factory=dict)
    _alts: dict[str, list[list[Token]]] = field(default_factory=dict)
    _weights: dict[Token, dict[str, float]] = field(default_factory=dict)
    _forms: dict[Token, dict[str, float]] = field(default_factory=dict)
    #: each token's own relatives (a lemma may be one word's relative and another's own)
    _relatives: dict[Token, set[str]] = field(default_factory=dict)
    #: tokens of words typed with a capital first letter (``Зеленський``, not ``ЗЕЛЕНСЬКИЙ``)
    _capitalised: set[Token] = field(default_factory=set)

    def _analyze(self, text: str) -> list[Token]:
        return (self.analyze or self.analyzer.analyze)(text)

    def alternatives(self, text: str) -> list[list[Token]]:
        """The analyses a typed word stands for: itself and, for a Latin word, the
        Cyrillic words of the index it may spell (``Kyiv`` -> ``київ``)."""
        hit = self._alts.get(text)
        if hit is not None:
            return hit
        out = [self._analyze(text)]
        if self.translit and is_latin_word(text):
            cands = translit_candidates(text, has_prefix=self.vocab.has_prefix, exists=self.vocab.has_word,
                                        limit=self.ranking.translit_limit)
            if cands:
                self.searched_as[text] = match_case(text, cands[0])
                self.readings[text] = tuple(cands)
                out += [[spelt(t) for t in self.analyzer.analyze(c)] for c in cands]
        out = [toks for toks in out if toks]
        if text[:1].isupper() and not text.isupper():
            self._capitalised.update(out[0] if out else ())
        self._alts[text] = out
        return out

    def weights(self, tok: Token, typed: str | None = None) -> dict[str, float]:
        """Lemma -> weight for one token: its own lemmas (see :meth:`lemma_weights`), then
        the lemmas of its other spellings that the archive holds, then (in a query of
        several words) its family's. ``typed``: the query word as typed, under which the
        other spellings and relatives are listed in :attr:`readings` (for ``explain``)."""
        hit = self._weights.get(tok)
        if hit is None:
            hit = self._weights[tok] = self._resolve(tok)
        if typed is not None:
            self._read(typed, [*self._forms.get(tok, {}),
                               *(lemma for lemma in hit if lemma in self._relatives.get(tok, ()))])
        return hit

    def _read(self, typed: str, others: Sequence[str]) -> None:
        """List ``others`` among what the query word ``typed`` was searched as (:attr:`readings`)."""
        if others:
            self.readings[typed] = tuple(dict.fromkeys([*self.readings.get(typed, ()), *others]))

    @property
    def other_spellings(self) -> bool:
        """Whether a word stands for its other spellings too: not in an exact search, nor
        when their weight is 0."""
        return self.translit and bool(self.ranking.variant_weight)

    def spellings(self, tok: Token) -> tuple[str, ...]:
        """The other spellings of ``tok`` a search for it finds too (``учитель``:
        ``вчитель``, ``півроку``: ``пів року``): those whose lemmas it searches beside the
        word's own, and a joined ``пів`` word written apart."""
        self.weights(tok)
        apart = self.half_apart(tok)
        return (*self._forms.get(tok, ()), *((apart,) if apart else ()))

    def half_apart(self, tok: Token, typed: str | None = None) -> str | None:
        """``півроку`` also as the 2019 orthography writes it, ``пів року`` (the two words
        side by side; see :func:`half_apart`); ``None`` for another word, or when other
        spellings are off. ``typed``: the query word it is listed under in :attr:`readings`."""
        apart = half_apart(tok.form) if self.other_spellings else None
        if apart is not None and typed is not None:
            self._read(typed, [apart])
        return apart

    def half_joined(self, first: q.Word, second: q.Word) -> str | None:
        """Two plain words of one field that are one word typed apart, also as that word:
        ``пів року`` as the older ``півроку``, and a compound's parts (``веб сайт``,
        ``теле канал``, ``віце прем'єр``) as the word the dictionary knows and the archive
        holds (``вебсайт``, ``телеканал``, ``віце-прем'єр``; see :func:`compound_of`). The
        joined word, listed under both in :attr:`readings`; ``None`` for other words, or
        when other spellings are off."""
        if not self.other_spellings or first.field != second.field or any(
                w.prefix or w.fuzzy or w.required for w in (first, second)):
            return None
        a, b = self.analyzer.form(first.text), self.analyzer.form(second.text)
        joined = (HALF + b if half_of(HALF + b) is not None else None) if a == HALF else \
            compound_of(a, b, self.analyzer, self.vocab.has_word)
        if joined is None:
            return None
        self._read(first.text, [joined])
        self._read(second.text, [joined])
        return joined

    def _resolve(self, tok: Token) -> dict[str, float]:
        out = self.lemma_weights(tok)
        if self.other_spellings:  # off for exact searches
            top = max(out.values(), default=1.0)
            typed_held: bool | None = None  # asked once, when some variant is found
            for v in spelling_variants(tok.form, tok.lemmas, tok.known, lookup=self.analyzer.known,
                                       exists=self.vocab.has_word):
                # a foreign name's other spelling is likelier another person than a
                # Ukrainian word's other spelling is another word
                weight = top * self.ranking.variant_weight * (FOREIGN_WEIGHT if v.rule.startswith("foreign") else 1.0)
                added = False
                for lemma in v.lemmas:
                    if lemma not in out and self.vocab.has_word(lemma):
                        out[lemma] = weight
                        self.variants.setdefault(lemma, tok.form)
                        added = True
                if added and typed_held is None:
                    typed_held = self.vocab.doc_frequency("forms", tok.form) > 0
                if added:  # the very form typed still ranks first, when the archive has it
                    self._forms.setdefault(tok, {})[v.form] = weight * (
                        VARIANT_FORM if typed_held else 1.0)
        if self.translit and self.with_families and self.ranking.family_weight and tok.known:
            self._add_family(tok, out)
        return out

    def _add_family(self, tok: Token, out: dict[str, float]) -> None:
        """The derivational relatives of the word's main lemmas (``архівний`` -> ``архів``),
        weak alternatives (see :mod:`searchkit.text.families`)."""
        checked = 0
        for lemma, weight in list(out.items()):
            if weight < 0.5 or lemma in self.variants:  # a rarer reading or another spelling
                continue
            if tok in self._capitalised and is_person_name(lemma):  # ``Зеленський``: not ``зелень``
                continue
            for rel in relatives(lemma):
                if rel in out or checked >= MAX_FAMILY_CHECKS:
                    continue
                checked += 1
                if self.vocab.has_word(rel):
                    out[rel] = weight * self.ranking.family_weight
                    self.families.setdefault(rel, tok.form)
                    self._relatives.setdefault(tok, set()).add(rel)

    def forms(self, tok: Token) -> dict[str, float]:
        """The written forms to lift: the token's own (weight 1) and its variants'
        (``учителів`` lifts ``вчителів`` as well), so the very form typed, in either
        spelling, ranks first."""
        self.weights(tok)
        return {tok.form: 1.0, **self._forms.get(tok, {})}

    def lifts(self, tok: Token) -> list[tuple[str, float]]:
        """:meth:`forms` with the boost each lifts its articles by: ``form_boost``, or
        ``verb_form_boost`` for an inflected verb's form (``Ranking``); none when off."""
        boost = self.ranking.verb_form_boost if tok.known and is_verb_form(tok.form) else self.ranking.form_boost
        return [(form, boost * w) for form, w in self.forms(tok).items()] if boost else []

    def split_common(self, items: tuple[q.Node, ...],
                     doc_count: int) -> tuple[list[q.Node], list[q.Node], list[q.Node]]:
        """The words of a partial-match query that make a match on their own, those that
        may fill a short first page, and those in so many articles that holding them alone
        makes no partial match.

        A word in over ``partial_common`` of the articles (and over :data:`MIN_COMMON`) is
        too common: ``розташуватися`` in ``ятка лавандовий розташуватися`` (it still adds to
        the score of the articles that hold it). One in up to ``fill_common`` of them (and
        in at most :data:`FILL_MOST`) may fill a page the rarer words leave short:
        ``фінансовий`` in ``фінансова грамотність``. When every word is common, any of them
        makes a match."""
        limit = max(self.ranking.partial_common * doc_count, MIN_COMMON)
        fill_limit = max(limit, min(self.ranking.fill_common * doc_count, FILL_MOST))  # never below ``limit``
        freq = {i: self._frequency(i) for i in items}
        rare = [i for i in items if freq[i] <= limit]
        if not rare:
            return list(items), [], []
        return rare, [i for i in items if limit < freq[i] <= fill_limit], [i for i in items if freq[i] > fill_limit]

    def group(self, n: q.And | q.Or) -> tuple[tuple[q.Node, ...], tuple[q.Node, ...]]:
        """The items of a group that decide its matches, and those that only rank: a word or
        group typed twice is searched once (``київ~2 київ~2 ...`` is one word); in an
        all-words group, stop words (unless only negations would be left) and
        :meth:`weak` words only rank. Both backends build their groups from this."""
        items = distinct(n.items)
        if not isinstance(n, q.And):
            return items, ()
        optional: tuple[q.Node, ...] = ()
        if self.ranking.stop_words:
            content = tuple(i for i in items if not q.is_stop_word(i))
            if any(not isinstance(i, q.Not) for i in content):  # never leave only negations
                optional = tuple(i for i in items if q.is_stop_word(i))
                items = content
        weak = self.weak(items)
        if weak:
            optional += tuple(weak)
            items = tuple(i for i in items if i not in weak)
        return items, optional

    def weak(self, items: tuple[q.Node, ...]) -> list[q.Node]:
        """The words of an all-words group so common that they only rank, as function
        words do: in over ``weak_common`` of the articles (and over :data:`MIN_COMMON`),
        like ``перша`` (half of the archive) in ``перша медична допомога``. Never every
        word of the group, none typed ``+word``, and none in an exact search."""
        if not (self.translit and self.ranking.weak_common):
            return []
        content: list[q.Node] = [i for i in items if not isinstance(i, q.Not)]
        common = [(i, n) for i in content if not is_required(i) and (n := self._frequency(i)) > MIN_COMMON]
        if not common:  # the archive's size is not asked (a request on a cluster)
            return []
        limit = self.ranking.weak_common * self.vocab.doc_count()
        weak = [i for i, n in common if n > limit]
        return weak if len(weak) < len(content) else []

    def _frequency(self, item: q.Node) -> int:
        """How many articles hold a plain query word's own lemmas (at most) in the field it is
        searched in (``title:мова`` is rare where ``мова`` is common); 0 for others.

        Of a word's several lemmas the rarest counts; of its several readings (a Latin word
        and the Cyrillic words it may spell) the commonest, so that ``pravylne`` is as
        common as ``правильне``: the Latin spelling, which no article holds, does not make
        it rare."""
        if not isinstance(item, q.Word) or item.prefix or item.fuzzy:
            return 0
        field = item.field or "body"  # a word of title and body: the body holds most of it
        readings = []
        for tokens in self.alternatives(item.text):
            if len(tokens) != 1:
                return 0
            weights = self.lemma_weights(tokens[0])
            dfs = [self.vocab.doc_frequency(field, lemma) for lemma in tokens[0].lemmas if weights[lemma] >= 0.5]
            readings.append(min(dfs, default=0))
        return max(readings, default=0)

    def slot(self, tok: Token) -> tuple[str, ...]:
        """The lemmas one position of a phrase may hold: the token's and its variants' (a
        relative is another word: ``архів`` does not make ``архівні документи`` a phrase).
        Only the token's own relatives are left out: in ``метеоритної метеорити``,
        ``метеоритний`` is one word's relative and the other's own lemma."""
        weights = self.weights(tok)
        relatives = self._relatives.get(tok, set())
        return tuple(lemma for lemma in weights if lemma not in relatives)

    def compound_parts(self, tok: Token) -> tuple[tuple[Token, ...], frozenset[str]]:
        """The parts of a compound that a reading of the whole does not cover
        (``Харків-Київ``: ``харків``, ``київ``), for an article to hold them all where it
        lacks the compound, and the lemmas of ``tok`` they give; ``((), ∅)`` for a word of
        one part. A joined word whose other spelling has a hyphen is taken by that one
        (``вебсайт``: ``веб``, ``сайт``). Each part is a token of its own, so its other
        spellings count (``демон-вбивця``: ``убивця``)."""
        form = next((f for f in self.forms(tok) if "-" in f.strip("-")), "")
        found = self._analyze(form) if form else []
        if len(found) != 1 or len(found[0].lemmas) < 2:
            return (), frozenset()
        own, split = self._split(form)
        held = set(found[0].lemmas) - own
        parts = tuple(t for t in split if held & set(t.lemmas))
        if len(parts) < 2:
            return (), frozenset()
        return parts, frozenset(lemma for t in parts for lemma in t.lemmas if lemma in held)

    def _split(self, form: str) -> tuple[set[str], list[Token]]:
        """A hyphenated ``form``'s lemmas as one word the dictionary knows (written joined),
        and the tokens of its parts."""
        whole = self._analyze(form.replace("-", ""))
        own = set(whole[0].lemmas) if len(whole) == 1 and whole[0].known else set()
        return own, [t for part in form.split("-") if part for t in self._analyze(part)]

    def lemma_weights(self, tok: Token) -> dict[str, float]:
        """How much each of a word's own lemmas counts: a compound's parts :data:`PART_WEIGHT`,
        the rest as ``Ranking.lemma_weighting`` says."""
        rk = self.ranking
        if "-" in tok.form.strip("-") and len(tok.lemmas) > 1 and PART_WEIGHT < 1:
            # a compound's parts (``президент`` in ``екс-президента``) are searchable on
            # their own, as weaker evidence than the compound as a whole
            own, split = self._split(tok.form)
            parts = {lemma for t in split for lemma in t.lemmas} - own
            if parts and parts != set(tok.lemmas):
                return {lemma: PART_WEIGHT if lemma in parts else 1.0 for lemma in tok.lemmas}
        if len(tok.lemmas) == 1 or rk.lemma_weighting == "equal":
            return dict.fromkeys(tok.lemmas, 1.0)
        if rk.lemma_weighting == "typed":
            if tok.form in tok.lemmas:
                return {lemma: 1.0 if lemma == tok.form else 0.1 for lemma in tok.lemmas}
            return dict.fromkeys(tok.lemmas, 1.0)
        dfs = {lemma: self.vocab.doc_frequency("body", lemma) for lemma in tok.lemmas}  # ("frequency")
        top = max(dfs.values()) or 1
        return {lemma: max(0.1, dfs[lemma] / top) for lemma in tok.lemmas}


@dataclass(frozen=True, slots=True)
class WordAnalysis:
    """One word of a text as a search reads it (``searchkit analyze``)."""

    token: Token
    #: where its lemmas come from: ``lexicon``, ``uk``, ``ru`` or ``""`` (:meth:`Analyzer.origin`)
    origin: str
    #: the other spellings a search for it finds too (``учитель``: ``вчитель``)
    spellings: tuple[str, ...]

    # The token's own fields, as :meth:`searchkit.Engine.analyze` gave them when it returned
    # tokens: code written against that keeps working.
    @property
    def start(self) -> int:
        return self.token.start

    @property
    def end(self) -> int:
        return self.token.end

    @property
    def form(self) -> str:
        return self.token.form

    @property
    def lemmas(self) -> tuple[str, ...]:
        return self.token.lemmas

    @property
    def known(self) -> bool:
        return self.token.known


def analysis(text: str, analyzer: Analyzer, resolver: WordResolver | None) -> list[WordAnalysis]:
    """Each word of ``text`` with the other spellings the search uses for it: as
    ``resolver`` resolves them against an archive; with none (no home, no index yet), those
    the dictionary confirms, as a search would try them."""
    out = []
    for tok in analyzer.analyze(text):
        if resolver is not None:
            spellings = (*resolver.spellings(tok), *_searched_as(text[tok.start:tok.end], resolver))
        else:
            apart = half_apart(tok.form)
            spellings = (*(v.form for v in spelling_variants(tok.form, tok.lemmas, tok.known, lookup=analyzer.known)),
                         *((apart,) if apart else ()))
        out.append(WordAnalysis(tok, analyzer.origin(tok.form), spellings))
    return out


def spelt(tok: Token) -> Token:
    """A Latin word's Cyrillic reading as the word it spells: where the reading is a
    dictionary form of its own (``Kyiv``: ``київ``), that word alone, not the other words
    it is an inflected form of (``київ``, the genitive plural of ``кий``, a cue). A Latin
    spelling is how passports, maps and foreign news write a name or a word, in its own
    form; the reading is a guess already, and another word's inflection a second guess
    on top of it (``Kyiv`` found the articles on billiards, and marked ``Києві`` as ``кий``).
    A reading that is an inflected form only (``Kyieva``: ``києва``) keeps its lemmas.

    >>> spelt(Token(0, 4, "київ", ("київ", "кий"), True)).lemmas
    ('київ',)
    """
    return replace(tok, lemmas=(tok.form,)) if len(tok.lemmas) > 1 and tok.form in tok.lemmas else tok


def _searched_as(typed: str, resolver: WordResolver) -> tuple[str, ...]:
    """The archive's Cyrillic words a Latin word is searched as too (``Kyiv``: ``київ``),
    as :meth:`WordResolver.alternatives` reads it for a search."""
    if not is_latin_word(typed):
        return ()
    return tuple(t.form for toks in resolver.alternatives(typed)[1:] for t in toks)


def half_apart(form: str) -> str | None:
    """A joined ``пів`` word as the 2019 orthography writes it, apart (``півроку``: ``пів
    року``; see :func:`searchkit.text.analysis.half_of`), or ``None`` for another word.

    >>> half_apart("півроку"), half_apart("північ")
    ('пів року', None)
    """
    rest = half_of(form)
    return None if rest is None else f"{HALF} {rest}"


def check_fuzzy(form: str, edits: int) -> None:
    """Refuse a fuzzy word too long to expand quickly (each comparison grows with it)."""
    if edits and len(form) > MAX_CORRECTED:
        raise QueryError(f"a fuzzy word may have at most {MAX_CORRECTED} letters")


class Partial(Generic[C]):
    """A partial-match query's parts, compiled by one backend: the clauses of the words
    that make a match alone (``rare``), of those too common to (``common``), and of the
    negated words (``negated``, which still hold); ``fillable``: some of ``common`` would
    make a match alone to fill a short page; ``filling``: those words, when they do. An
    article holding only them is listed after every one holding a rarer word: they count
    as no word held (which of two words names the subject is no matter of which is rarer,
    and the rarer one's articles were listed before the page was filled)."""

    def __init__(self, rare: list[C], common: list[C], negated: list[C], fillable: bool = False,
                 filling: list[C] | None = None, required: list[C] | None = None) -> None:
        self.rare, self.common, self.negated, self.fillable = rare, common, negated, fillable
        self.filling = filling or []
        #: the clauses of the words typed ``+word``, which every partial match holds (they
        #: are among the parts above too: that is what they score and count)
        self.required = required or []


def partial_parts(root: q.Node, resolver: WordResolver, doc_count: int,
                  compile_node: Callable[[q.Node], C | None], *, fill: bool = False) -> Partial[C] | None:
    """What a partial-match query is made of, each part compiled by ``compile_node`` (the
    backend's own); ``None`` when the query has fewer than two words to leave out. ``fill``
    lets the words that may fill a short page make a match (see :meth:`WordResolver.split_common`)."""
    split = partial_items(root)
    if split is None:
        return None
    content, nots = split
    rare_items, filling_items, common_items = resolver.split_common(content, doc_count)
    fillable = bool(filling_items) and not fill
    if not fill:  # they only add, as the commoner words do
        filling_items, common_items = [], filling_items + common_items
    clauses = {i: compile_node(i) for i in (*rare_items, *common_items, *filling_items)}
    rare = [c for c in map(clauses.__getitem__, rare_items) if c is not None]
    common = [c for c in map(clauses.__getitem__, common_items) if c is not None]
    filling = [c for c in map(clauses.__getitem__, filling_items) if c is not None]
    if len(rare) + len(common) + len(filling) < 2 or not rare:
        return None
    negated = [c for c in (compile_node(i.item) for i in nots if isinstance(i, q.Not)) if c is not None]
    # (each clause compiled once: it is scored and counted with the others, and filters)
    required = [c for c in (clauses.get(i) for i in content if is_required(i)) if c is not None]
    return Partial(rare, common, negated, fillable, filling, required)


def several_tokens(text: str) -> bool:
    """Whether a typed word is more than one word to the analyzer (``24/7``, ``3.14``)."""
    return sum(1 for _ in islice(tokenize(text), 2)) > 1


def partial_items(root: q.Node) -> tuple[tuple[q.Node, ...], tuple[q.Node, ...]] | None:
    """The words (or groups) of an all-words query that a partial match may hold, and
    its negated items, which still hold: ``None`` for a query with fewer than two such
    words, or none that may be left out (every one typed ``+word``), with prefix or fuzzy
    words (they are broad already) or with a quoted phrase or a word that is several
    (``київ&в``): who quotes asks for exactly that, and a phrase cannot be looked up a
    posting block at a time (the partial matches of one, and counting the query without
    each word, took seconds at 100,000 articles)."""
    if not isinstance(root, q.And):
        return None
    items = tuple(dict.fromkeys(root.items))
    nots = tuple(i for i in items if isinstance(i, q.Not))
    content = tuple(i for i in items if not isinstance(i, q.Not) and not q.is_stop_word(i))
    if len(content) < 2 or any(isinstance(w, q.Phrase) or w.prefix or w.fuzzy or several_tokens(w.text)
                               for w in q.words_of(root)):
        return None
    if all(is_required(i) for i in content):  # (``+школа +мова``: no word may be left out)
        return None
    if any(_negates_inside(i) for i in content):
        # ``школа (мова OR -Київ)``: the group "holds" every article without Київ, so its
        # partial matches would be articles holding none of the words
        return None
    return content, nots


def is_required(node: q.Node) -> bool:
    """A word typed ``+word``: every partial match holds it too."""
    return isinstance(node, q.Word) and node.required


def _negates_inside(node: q.Node) -> bool:
    """Whether a minus stands inside ``node`` (a group), where it can make it match an
    article holding none of its words."""
    if isinstance(node, q.Not):
        return True
    if isinstance(node, (q.And, q.Or)):
        return any(_negates_inside(n) for n in node.items)
    return False
