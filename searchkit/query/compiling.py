"""The walk from a parsed query to a backend's query, written once.

Which words a query searches, in which fields, with which lemmas, spellings and weights,
which items of a group decide its matches and which only rank, and every query limit: all
of it is decided here and in :mod:`.resolve` / :mod:`.boosts`. A backend's compiler
subclasses :class:`TreeCompiler` and only says how to write a term, a group, a negation,
an optional part, a run of positions and a prefix or fuzzy word in its own query language
(:mod:`searchkit.backends.whoosh.compiler`, :mod:`searchkit.backends.opensearch.query`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..text.analysis import Analyzer, Token
from ..text.highlight import MatchTerms
from . import parse as q
from .boosts import boosts
from .limits import MAX_EXPANSION, QueryBudget
from .resolve import PART_WEIGHT, Knobs, Partial, Vocabulary, WordResolver, check_fuzzy, partial_items, partial_parts

__all__ = ["Relaxation", "TreeCompiler"]

C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class Relaxation(Generic[C]):
    """A partial-match query (:meth:`TreeCompiler.relaxed`) and what it is made of: the
    words' clauses (``parts``, see :func:`searchkit.query.resolve.partial_parts`), what
    must not match (``excluded``: the all-words query's matching part, then the negated
    words) and the boosters."""

    query: C
    parts: Partial[C]
    excluded: list[C]
    boosters: list[C]


class TreeCompiler(ABC, Generic[C]):
    """One query's compilation into clauses of type ``C``; remembers every lemma, form and
    prefix it searched (for highlighting) and what the resolver read (for ``explain``).

    ``translit`` turns Latin words into the Cyrillic words they may spell as well (off for
    an exact search); ``families`` lets word families in (only where a partial match is
    possible: a group of two words or more)."""

    def __init__(self, analyzer: Analyzer, parsed: q.ParsedQuery, vocab: Vocabulary, ranking: Knobs, *,
                 translit: bool = True, families: bool = True) -> None:
        self.analyzer = analyzer
        self.parsed = parsed
        self.vocab = vocab
        self.rk = ranking
        self.translit = translit
        self.lemmas: set[str] = set()
        self.forms: set[str] = set()
        self.prefixes: list[str] = []
        #: the lemmas and forms searched for function words that only rank beside
        #: subject words, and those searched for any other word (see :meth:`searched`)
        self.function_terms: set[str] = set()
        self.subject_terms: set[str] = set()
        #: the lemmas, forms and prefixes searched in the title, and in the body
        self.in_field: dict[str, set[str]] = {"title": set(), "body": set()}
        #: the lemmas and forms searched for a prefix's expansion, and those for anything else
        self.by_prefix: set[str] = set()
        self.by_other: set[str] = set()
        #: the lemmas searched as a word's lesser reading (weighed below its first:
        #: ``кий`` for ``Київ``), and those searched as a word's first or only one
        self.lesser: set[str] = set()
        self.greater: set[str] = set()
        self._function_word = False  # compiling such a function word now
        self.budget = QueryBudget()
        #: how many negations the word being compiled is under (a word left out must be
        #: left out in full: see :meth:`QueryBudget.take_postings`)
        self.negations = 0
        self.analyze = self.budget.counting(analyzer.analyze)
        self.resolver = WordResolver(analyzer, vocab, ranking, translit, analyze=self.analyze)
        self.resolver.with_families = families and partial_items(parsed.root) is not None
        self.searched_as = self.resolver.searched_as
        self.readings = self.resolver.readings
        #: typed words that only rank: function words and words too common to filter
        #: (``перша`` in ``перша медична допомога``), for explain
        self.ranking_only: dict[str, None] = {}
        self._halved: set[q.And] = set()  # ``пів року`` pairs put beside their joined word

    # -- what a backend writes in its own language ------------------------------------------

    @abstractmethod
    def term(self, field: str, value: str, boost: float = 1.0) -> C:
        """One indexed term."""

    @abstractmethod
    def any_of(self, subs: list[C]) -> C:
        """At least one of ``subs`` (``subs`` itself when it is one)."""

    @abstractmethod
    def all_of(self, subs: list[C]) -> C:
        """Every one of ``subs`` (two or more)."""

    @abstractmethod
    def negate(self, sub: C) -> C:
        """Not ``sub``."""

    @abstractmethod
    def ranked_by(self, required: C, optional: list[C]) -> C:
        """``required`` decides the matches; ``optional`` only adds to their scores."""

    @abstractmethod
    def adjacent(self, field: str, slots: list[tuple[str, ...]], boost: float) -> C:
        """The positions side by side in ``field``, each holding one of its slot's lemmas."""

    @abstractmethod
    def held(self, clause: C, bonus: float) -> C:
        """``clause`` (a word of a partial-match query), adding ``bonus`` to the score of
        every article that holds it: what ranks the articles holding more words first."""

    @abstractmethod
    def matching_part(self, compiled: C) -> C:
        """What decides the matches of a query :meth:`run` built (its boosters only rank)."""

    @abstractmethod
    def excluding(self, query: C, excluded: list[C]) -> C:
        """The matches of ``query`` that match none of ``excluded``."""

    @abstractmethod
    def requiring(self, query: C, required: list[C]) -> C:
        """The matches of ``query`` that match every one of ``required``, scored by
        ``query`` alone (``required`` only filters)."""

    @abstractmethod
    def near(self, field: str, slots: list[tuple[str, ...]], between: int, *, ordered: bool, boost: float) -> C:
        """The slots (each one of its lemmas) within ``between`` other words of one another
        in ``field``, in their order if ``ordered``: an optional clause that only lifts
        scores (each backend turns ``between`` into its own slop)."""

    @abstractmethod
    def expanding(self, w: q.Word) -> C | None:
        """A prefix (``word*``) or fuzzy (``word~``) word."""

    # -- written once -----------------------------------------------------------------------

    def required(self) -> C:
        """What decides the matches of the query: every word (in any form)."""
        required = self.node(self.parsed.root)
        if required is None:
            raise q.nothing_searchable()
        return required

    def ranked(self, required: C, boosters: list[C] | None = None) -> C:
        """``required`` with the boosters that lift its better matches (made here when not
        given)."""
        boosters = self.boosters(self.parsed.root) if boosters is None else boosters
        return self.ranked_by(required, boosters) if boosters else required

    def relaxed(self, strict: C, *, fill: bool = False) -> Relaxation[C] | None:
        """The articles holding some of the query's words but not all of them (``strict``:
        the all-words query :meth:`ranked` built), each word held adding
        ``partial_bonus`` so that more words rank first, with what it is made of. ``None``
        when the query has fewer than two words to leave out."""
        found = partial_parts(self.parsed.root, self.resolver, self.vocab.doc_count(), self.node, fill=fill)
        if found is None:
            return None
        bonus = self.rk.partial_bonus

        def scored(clauses: list[C]) -> list[C]:
            return [self.held(c, bonus) for c in clauses] if bonus else list(clauses)

        # a filling word matches alone and adds, but holds no bonus (see ``Partial``)
        some = self.any_of(scored(found.rare) + found.filling)
        if found.common:  # common words add to a match, never make one alone
            some = self.ranked_by(some, scored(found.common))
        if found.required:  # ``+word``: held by every match (and scored and counted above)
            some = self.requiring(some, found.required)
        excluded = [self.matching_part(strict), *found.negated]
        boosters = self.boosters(self.parsed.root)
        return Relaxation(self.ranked(self.excluding(some, excluded), boosters), found, excluded, boosters)

    def boosters(self, root: q.Node) -> list[C]:
        """Optional clauses that lift better matches (see :mod:`searchkit.query.boosts`): the
        very forms typed, and each pair of neighbouring words near each other and side by
        side (``pair.gap``: the words the query has between them, stop words left out)."""
        plan = boosts(root, self.resolver, stop_words=self.rk.stop_words)
        out: list[C] = []
        out += [self.term("forms", form, w) for form, w in plan.forms]
        for pair in plan.pairs:
            if self.rk.near_boost:
                out.append(self.near("body", list(pair.wide), self.rk.near_slop + pair.gap - 2, ordered=False,
                                     boost=self.rk.near_boost))
            if self.rk.adjacent_boost:
                out.append(self.near("body", list(pair.slots), pair.gap - 1, ordered=True,
                                     boost=self.rk.adjacent_boost))
        return out

    def fields_for(self, fld: str | None) -> list[tuple[str, float]]:
        """The fields a word is searched in, with their weights."""
        if fld == "title":
            return [("title", 1.0)]
        if fld == "body":
            return [("body", 1.0)]
        return [("title", self.rk.title_boost), ("body", 1.0)]

    def searched(self, lemmas: Iterable[str], forms: Iterable[str] = (), *, function: bool = False,
                 field: str | None = None, prefix: bool = False) -> None:
        """Remember ``lemmas`` (or a word's lemma -> weight, whose lesser readings a word
        of a text counts as only when it matches no other) and written ``forms`` as
        searched, to be marked in texts;
        ``function``: for a function word (or while compiling one that only ranks);
        ``field``: searched in the title or the body alone (else in both); ``prefix``: a
        prefix's expansion."""
        if self.negations % 2:  # a word left out is no match: never marked (`--Крим` is `Крим`)
            return
        if isinstance(lemmas, Mapping) and lemmas:  # (lemma -> weight: a word's readings, its first weighed most)
            top = max(lemmas.values())
            self.lesser.update(lemma for lemma, weight in lemmas.items() if weight < top)
            self.greater.update(lemma for lemma, weight in lemmas.items() if weight >= top)
        else:
            self.greater.update(lemmas)
        lemmas, forms = set(lemmas), set(forms)
        self.lemmas |= lemmas
        self.forms |= forms
        (self.function_terms if function or self._function_word else self.subject_terms).update(lemmas, forms)
        (self.by_prefix if prefix else self.by_other).update(lemmas, forms)
        self._searched_in(field, lemmas | forms)

    def searched_terms(self, fields: Sequence[str], found: Sequence[Iterable[str]], *, prefix: bool) -> None:
        """Remember the index terms a prefix (``prefix``) or fuzzy word searched (``found``,
        per field of ``fields``) as searched, to be marked: a title's or a body's are
        lemmas, the written forms' are forms. So ``табір*`` marks ``табори`` (its lemma
        ``табір`` starts so), every word the search itself matched, and no dictionary is
        walked to mark it."""
        for f, terms in zip(fields, found, strict=True):
            self.searched(() if f == "forms" else terms, terms if f == "forms" else (), field=f, prefix=prefix)

    def _searched_in(self, field: str | None, terms: set[str]) -> None:
        for name, seen in self.in_field.items():
            if field not in ("title", "body") or field == name:  # (``forms`` is the title's and the body's)
                seen |= terms

    def match_terms(self) -> MatchTerms:
        """What marks this query's matches in a text: a term only function words brought
        is weak (matched only between other matches: see
        :func:`searchkit.text.highlight.in_runs`); one searched in one field alone
        (``title:санкції``) is marked only there. A query of function words alone has
        none weak: they are what was asked."""
        title, body = self.in_field["title"], self.in_field["body"]
        return MatchTerms(frozenset(self.lemmas), frozenset(self.forms), tuple(self.prefixes),
                          frozenset(self.function_terms - self.subject_terms),
                          frozenset(title - body), frozenset(body - title), frozenset(self.by_prefix - self.by_other),
                          frozenset(self.lesser - self.greater))

    def alternatives(self, text: str) -> list[list[Token]]:
        return self.resolver.alternatives(text)

    def node(self, n: q.Node) -> C | None:
        if isinstance(n, q.Word):
            return self.word(n)
        if isinstance(n, q.Phrase):
            return self.phrase(n)
        if isinstance(n, q.Not):
            self.negations += 1
            try:
                inner = self.node(n.item)
            finally:
                self.negations -= 1
            return None if inner is None else self.negate(inner)
        if isinstance(n, q.And):
            n = self.halves(n)
        items, ranked = self.resolver.group(n)
        self.ranking_only.update((i.text, None) for i in ranked if isinstance(i, q.Word))
        optional = [s for s in (self.ranking(i) for i in ranked) if s is not None]
        subs = [s for s in (self.node(i) for i in items) if s is not None]
        if not subs:
            return None
        out = subs[0] if len(subs) == 1 else self.all_of(subs) if isinstance(n, q.And) else self.any_of(subs)
        return self.ranked_by(out, optional) if optional else out

    def halves(self, n: q.And) -> q.And:
        """``пів року`` (the 2019 spelling) also as the older ``півроку``: the two words, or
        the joined one (:meth:`WordResolver.half_joined`, which says when)."""
        if n in self._halved:
            return n
        out: list[q.Node] = []
        items = n.items
        i = 0
        while i < len(items):
            a, b = items[i], items[i + 1] if i + 1 < len(items) else None
            if (isinstance(a, q.Word) and isinstance(b, q.Word)
                    and (joined := self.resolver.half_joined(a, b)) is not None):
                pair = q.And((a, b))
                self._halved.add(pair)  # (the pair as typed is not read again)
                out.append(q.Or((pair, q.Word(joined, a.field))))
                i += 2
                continue
            out.append(a)
            i += 1
        return q.And(tuple(out)) if len(out) < len(items) else n

    def ranking(self, n: q.Node) -> C | None:
        """An item of a group that only ranks; a function word's terms are weak."""
        if not q.is_stop_word(n):
            return self.node(n)
        self._function_word = True
        try:
            return self.node(n)
        finally:
            self._function_word = False

    def word(self, w: q.Word) -> C | None:
        """Any of the word's lemmas (each spelling's, weighted) in its fields."""
        if w.prefix:
            return self.expanding(w)
        if w.fuzzy:
            # the word itself in every form and spelling, and what lies a few edits away:
            # ``люди~`` finds all that ``люди`` does (``людей``, ``людина``) and more, even
            # when the budget cuts the far spellings
            found = [c for c in (self.word(q.Word(w.text, w.field)), self.expanding(w)) if c is not None]
            return self.any_of(found) if found else None
        subs = []
        for tokens in self.alternatives(w.text):
            if len(tokens) > 1:  # "COVID-19/2020", "в'язнів,": a word that is several tokens
                subs.append(self.sequence(tokens, w.field))
                continue
            tok = tokens[0]
            weights = self.resolver.weights(tok, w.text)
            self.searched(weights, (tok.form,), field=w.field)
            fields = self.fields_for(w.field)
            parts, apart = self.resolver.compound_parts(tok)
            # a compound (``Харків-Київ``, ``фан-клуб``): the whole, or all of its parts
            # (weaker, each in any of its spellings), never one part alone
            subs += [self.term(f, lemma, b * weight) for f, b in fields
                     for lemma, weight in weights.items() if lemma not in apart]
            if parts:
                each = []
                for part in parts:
                    part_weights = self.resolver.weights(part)
                    self.searched(part_weights, field=w.field)
                    each.append(self.any_of([self.term(f, lemma, b * PART_WEIGHT * weight) for f, b in fields
                                             for lemma, weight in part_weights.items()]))
                subs.append(self.all_of(each))
            elif (written_apart := self.resolver.half_apart(tok, w.text)) is not None:
                # ``півроку`` also as the 2019 orthography writes it, ``пів року``
                subs.append(self.sequence(self.analyze(written_apart), w.field))
        return self.any_of(subs) if subs else None

    def sequence(self, words: list[Token], fld: str | None) -> C:
        """The words side by side, each position any of its spellings' lemmas."""
        slots = [self.resolver.slot(t) for t in words]
        # a function word of a phrase is marked where it stands between the phrase's
        # other words, as one typed beside them is (unless the phrase is all such words)
        subject = [t.form not in q.STOP_WORDS for t in words]
        for lemmas, own in zip(slots, subject, strict=True):
            self.searched(lemmas, function=any(subject) and not own, field=fld)
        return self.any_of([self.adjacent(f, slots, b) for f, b in self.fields_for(fld)])

    def prefix_form(self, w: q.Word) -> str | None:
        """The written form a prefix word (``word*``) expands, its limits checked and
        counted (``None``: nothing searchable). No dictionary look-up: a prefix needs no
        lemmas, and in a fresh process the dictionaries take 70-100 ms to load."""
        forms = self.budget.forms(w.text, self.analyzer.form)
        if not forms:
            return None
        self.budget.count_pattern()
        self.budget.check_prefix(w.text, forms[0])
        if not self.negations % 2:  # (as :meth:`searched`: a prefix left out marks nothing)
            self.prefixes.append(forms[0])
            self._searched_in(w.field, {forms[0]})
        return forms[0]

    def prefix_terms(self, w: q.Word) -> tuple[str, list[tuple[str, float]], list[list[str]]] | None:
        """A prefix word's written form, the fields it searches (the written forms are the
        title's and the body's together: not for ``title:``) and the index terms it stands
        for in each, counted against the limits here for every backend, so that both
        refuse ``по*`` when it stands for over :data:`~searchkit.query.limits.MAX_EXPANSION`
        words (``None``: nothing searchable)."""
        form = self.prefix_form(w)
        if form is None:
            return None
        fields = [*self.fields_for(w.field), *([("forms", 1.0)] if w.field is None else [])]
        found = self.vocab.prefix_terms([f for f, _ in fields], form, MAX_EXPANSION + 1)
        for terms in found:
            self.budget.count_expansion(f"{form}*", len(terms))
        return form, fields, found

    def fuzzy_token(self, w: q.Word) -> Token | None:
        """The token a fuzzy word (``word~``) expands from, its limits checked and counted
        (``None``: nothing searchable)."""
        tokens = self.analyze(w.text)
        if not tokens:
            return None
        check_fuzzy(tokens[0].form, w.fuzzy)
        self.budget.count_pattern()
        return tokens[0]

    def fuzzy_targets(self, w: q.Word) -> tuple[Token, list[tuple[str, float, str]]] | None:
        """The token a fuzzy word (``word~``) expands from, and the ``(field, boost, text)``
        it is searched as in every backend: the form typed and its first lemma in each of
        its fields, and the form among the written forms (the title's and the body's
        together: not for ``title:`` or ``body:``); ``None``: nothing searchable."""
        tok = self.fuzzy_token(w)
        if tok is None:
            return None
        texts = dict.fromkeys((tok.form, *tok.lemmas[:1]))
        targets = [(f, b, text) for f, b in self.fields_for(w.field) for text in texts]
        if w.field is None:
            targets.append(("forms", 1.0, tok.form))
        return tok, targets

    def phrase(self, p: q.Phrase) -> C | None:
        words = [t for w in p.words for t in self.analyze(w)]
        self.budget.check_phrase(len(words))
        if not words:
            return None
        if len(words) == 1:  # (the word that has one: "— табори" is табори)
            return self.word(q.Word(next(w for w in p.words if self.analyze(w)), p.field))
        return self.sequence(words, p.field)
