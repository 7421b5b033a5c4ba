"""Why an article matched a query, or did not: the values ``searchkit explain`` shows (pure).

The engine scores each part of the compiled query on the article; this module ties those
parts back to the words the user typed and to the words of the article that carry them
(``таборі ← табір``), using the same matching as the hits' ``matched`` pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import DateRange
from ..text.analysis import Analyzer, Token
from ..text.highlight import MatchTerms, listed, matches
from . import parse as q

__all__ = [
    "Contribution",
    "Explanation",
    "QueryWord",
    "contributions",
    "matched_pairs",
    "missing_words",
    "excluded_words",
    "query_words",
]

#: How many (surface form, query term) pairs a hit carries in ``matched``.
MAX_MATCHED = 20


@dataclass(frozen=True, slots=True)
class QueryWord:
    """How one word of the query was understood.

    ``role``: ``word``, ``required`` (typed ``+word``: every match holds it), ``ranks`` (a
    word that lifts the articles holding it but does not decide which match: a function
    word, or one in over a quarter of the archive beside rarer words), ``phrase`` (one
    word of a quoted phrase), ``prefix``, ``fuzzy`` or ``synonym`` (added from the
    lexicon); ``origin``: where the lemmas came from (``lexicon``, ``uk`` or ``ru``
    dictionary, ``""`` for numbers and Latin); ``searched_as``: other spellings searched
    for it (transliteration, corrections).
    """

    text: str
    form: str
    lemmas: tuple[str, ...]
    known: bool
    origin: str = "uk"
    role: str = "word"
    field: str | None = None
    negated: bool = False
    searched_as: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "form": self.form, "lemmas": list(self.lemmas),
                               "known": self.known, "origin": self.origin, "role": self.role}
        if self.field:
            out["field"] = self.field
        if self.negated:
            out["negated"] = True
        if self.searched_as:
            out["searched_as"] = list(self.searched_as)
        return out


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one part of the query added to the article's score.

    ``kind``: ``lemma`` (any form of the word), ``form`` (the very form typed), ``phrase``
    (the words in order), ``near`` (the words close together), ``prefix``, ``fuzzy``.
    ``found`` holds the article's words that carry it, as a hit lists them (``listed``).
    """

    query_word: str
    kind: str
    field: str
    term: str
    score: float
    found: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"query_word": self.query_word, "kind": self.kind, "field": self.field, "term": self.term,
                "score": round(self.score, 4), "found": list(self.found)}


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a query was understood and how it scores one article.

    ``rank``: the article's place in the search (what ``search`` numbers it, near-duplicates
    folded and the first results ordered by topic), or, when ``in_search_order`` is false
    (past the results looked through), ``score_rank``; ``None``: not among the results.
    ``score_rank``: its rank by score alone among every match, near-duplicates not folded.
    ``listed_under``: the hit it is folded into as a near-duplicate, listed at ``rank``.
    """

    query: str
    article_id: str
    title: str
    words: tuple[QueryWord, ...]
    tree: str
    matches_query: bool
    score: float
    rank: int | None
    contributions: tuple[Contribution, ...]
    matched: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = ()
    #: the words the query leaves out that the article holds (``Крим (Криму)``): why it
    #: does not match
    excluded: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    searched_as: tuple[str, ...] = ()
    corrected_query: str | None = None
    date_range: DateRange | None = None
    in_date_range: bool = True
    warnings: tuple[str, ...] = field(default=())
    #: the cosine of the article's and the query's topic vectors (``None``: no topic
    #: model), and what it multiplies the score by to order the first ``topic_window`` results
    topic: float | None = None
    topic_factor: float = 1.0
    topic_window: int = 0
    score_rank: int | None = None
    in_search_order: bool = True
    listed_under: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "id": self.article_id,
            "title": self.title,
            "words": [w.to_json() for w in self.words],
            "tree": self.tree,
            "matches_query": self.matches_query,
            "score": round(self.score, 4),
            "rank": self.rank,
            "rank_in": "search" if self.in_search_order else "score",
            "score_rank": self.score_rank,
            "contributions": [c.to_json() for c in self.contributions],
            "matched": [list(m) for m in self.matched],
            "missing": list(self.missing),
        }
        if self.listed_under is not None:
            out["listed_under"] = self.listed_under
        if self.excluded:
            out["excluded"] = list(self.excluded)
        if self.synonyms:
            out["synonyms"] = list(self.synonyms)
        if self.searched_as:
            out["searched_as"] = list(self.searched_as)
        if self.corrected_query:
            out["corrected_query"] = self.corrected_query
        if self.date_range is not None:
            out["date_range"] = self.date_range.to_json()
            out["in_date_range"] = self.in_date_range
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.topic is not None:
            out["topic"] = {"cosine": round(self.topic, 4), "factor": round(self.topic_factor, 4),
                            "window": self.topic_window}
        return out


def matched_pairs(title: tuple[str, Sequence[Token]], body: tuple[str, Sequence[Token]], terms: MatchTerms,
                  limit: int = MAX_MATCHED) -> tuple[tuple[str, str], ...]:
    """``(word as written in the article, query term it matched)``, first occurrence of each
    pair, title first (``title`` and ``body``: each text with its tokens), each field's
    words matched as :meth:`MatchTerms.within` it says, each word as a hit shows it
    (:func:`~searchkit.text.highlight.listed`, as the hits' ``matched`` pairs)."""
    out: dict[tuple[str, str], None] = {}
    if not terms:
        return ()
    for (text, tokens), within in ((title, terms.within("title")), (body, terms.within("body"))):
        for t, key in matches(tokens, within):
            out.setdefault((listed(text[t.start : t.end]), key))
            if len(out) >= limit:
                return tuple(out)
    return tuple(out)


def query_words(root: q.Node, analyzer: Analyzer, *, synonyms: Iterable[str] = (),
                readings: dict[str, tuple[str, ...]] | None = None,
                ranking_only: Iterable[str] = ()) -> tuple[QueryWord, ...]:
    """Every word of a parsed query as the analyzer sees it, negated ones included.

    Words that only came from synonym expansion (their text is in ``synonyms``) get the
    ``synonym`` role, those in ``ranking_only`` (``Compiled.ranking_only``) the ``ranks``
    role; ``readings`` maps a typed word to the other spellings searched for it.
    """
    syn = set(synonyms)
    ranks = set(ranking_only)
    readings = readings or {}
    out: list[QueryWord] = []

    def add(text: str, role: str, fld: str | None, negated: bool) -> None:
        for t in analyzer.analyze(text):
            out.append(QueryWord(text[t.start : t.end], t.form, t.lemmas, t.known, analyzer.origin(t.form), role,
                                 fld, negated, readings.get(text, ())))

    def walk(node: q.Node, negated: bool, in_synonym: bool) -> None:
        if isinstance(node, q.Word):
            role = ("synonym" if in_synonym else "prefix" if node.prefix else "fuzzy" if node.fuzzy
                    else "ranks" if node.text in ranks and not negated else "required" if node.required else "word")
            add(node.text, role, node.field, negated)
        elif isinstance(node, q.Phrase):
            for w in node.words:
                add(w, "synonym" if in_synonym else "phrase", node.field, negated)
        elif isinstance(node, q.Not):
            walk(node.item, not negated, in_synonym)
        else:
            for n in node.items:
                is_syn = in_synonym or _text_of(n) in syn
                walk(n, negated, is_syn)

    walk(root, False, _text_of(root) in syn)
    return tuple(out)


def _text_of(node: q.Node) -> str:
    if isinstance(node, q.Word):
        return node.text
    if isinstance(node, q.Phrase):
        return " ".join(node.words)
    return ""


def contributions(parts: Iterable[Any], words: Sequence[QueryWord],
                  texts: dict[str, Sequence[tuple[str, Sequence[Token]]]],
                  also: dict[str, set[str]] | None = None) -> tuple[Contribution, ...]:
    """Tie the engine's scored parts to query words and to the article's words.

    ``texts`` maps a field (``title``, ``body``, ``forms``) to the ``(text, tokens)`` it holds;
    ``also`` maps a typed word to the forms and lemmas of its other spellings (``Kyiv``:
    ``київ``). Parts that did not match the article are left out.
    """
    also = also or {}
    out = []
    for p in parts:
        if p.score <= 0:
            continue
        terms = p.terms if p.kind != "term" else ((p.field, p.text),)
        owners: list[str] = []
        found: dict[str, None] = {}
        for fld, term in terms:
            for w in words:
                if w.negated:
                    continue
                mine = term == w.form if fld == "forms" else term in w.lemmas or term == w.form
                if (mine or term in also.get(w.text, ())) and w.text not in owners:
                    owners.append(w.text)
            for text, tokens in texts.get(fld, ()):
                for t in tokens:
                    if (t.form == term) if fld == "forms" else (term in t.lemmas):
                        found.setdefault(listed(text[t.start : t.end]))
        kind = p.kind
        if kind == "term":
            kind = "form" if p.field == "forms" else "lemma"
        if kind in ("prefix", "fuzzy") and not owners:
            owners = [w.text for w in words if w.role == kind and not w.negated][:1]
        out.append(Contribution(" ".join(owners), kind, p.field, p.text, p.score, tuple(list(found)[:8])))
    out.sort(key=lambda c: -c.score)
    return tuple(out)


def missing_words(words: Sequence[QueryWord], texts: Sequence[tuple[str, Sequence[Token]]],
                  covered: Iterable[str] = (), also: dict[str, set[str]] | None = None) -> tuple[str, ...]:
    """Positive query words of which the article holds no form (by lemma or form).
    Words in ``covered`` (found through a synonym) do not count as missing, nor words one
    of whose other spellings (``also``, as for :func:`contributions`) the article holds."""
    skip = set(covered)
    also = also or {}
    present_lemmas: set[str] = set()
    present_forms: set[str] = set()
    for _, tokens in texts:
        for t in tokens:
            present_lemmas.update(t.lemmas)
            present_forms.add(t.form)
    present = present_lemmas | present_forms
    out = []
    for w in words:
        if w.negated or w.role == "synonym" or w.text in skip:
            continue
        if w.role == "prefix":
            if any(x.startswith(w.form) for x in present):  # (as the search: forms and lemmas)
                continue
        elif w.role == "fuzzy":
            continue  # its expansions are listed as contributions; no cheap test here
        elif w.form in present_forms or present & {*w.lemmas, *also.get(w.text, ())}:
            continue
        out.append(w.text)
    return tuple(dict.fromkeys(out))


def excluded_words(words: Sequence[QueryWord], texts: Sequence[tuple[str, Sequence[Token]]],
                   also: dict[str, set[str]] | None = None) -> tuple[str, ...]:
    """The negated query words (not phrases) the article holds, each with the forms it
    holds them in: ``Крим (Криму)``. A phrase left out is not judged word by word."""
    also = also or {}
    out: dict[str, dict[str, None]] = {}
    for w in words:
        if not w.negated or w.role in ("phrase", "synonym", "fuzzy"):
            continue
        wanted = {*w.lemmas, *also.get(w.text, ())}
        for text, tokens in texts:
            for t in tokens:
                hit = any(x.startswith(w.form) for x in (t.form, *t.lemmas)) if w.role == "prefix" else (
                    t.form == w.form or bool(wanted & {t.form, *t.lemmas}))
                if hit:
                    typed = w.text + ("*" if w.role == "prefix" else "")
                    out.setdefault(typed, {}).setdefault(listed(text[t.start : t.end]))
    return tuple(f"{word} ({', '.join(list(forms)[:3])})" for word, forms in out.items())
