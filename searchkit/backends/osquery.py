"""searchkit's documents and queries in OpenSearch's terms (pure: no client, no network).

OpenSearch never analyzes Ukrainian here: searchkit's analyzer does, and OpenSearch gets
the result as text its simplest analyzer can split back into the very same terms:

- ``title``/``body``: one whitespace-separated slot per word, the word's lemmas joined
  by ``|`` (``рік|рок мова``). The ``sk_stacked`` analyzer splits on spaces, then a
  ``pattern_capture`` filter emits each lemma of a slot AT THE SAME POSITION, the way
  Lucene's own synonym filters stack tokens. Positions therefore equal the Whoosh index's
  and phrase and proximity queries behave alike.
- ``forms``: the normal forms written in the text, frequency only.

A query is compiled from the parsed tree exactly as :mod:`searchkit.engine` compiles it for
Whoosh (same clauses, boosts and slops), into the query DSL; both rank with BM25.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import query as q
from ..analysis import Analyzer
from ..engine import FORM_BOOST, MIN_PREFIX, PROXIMITY_BOOST, TITLE_BOOST
from ..errors import QueryError

__all__ = ["OS_FORMAT", "SEP", "STORED", "Compiler", "index_body", "stacked_text", "to_source"]

#: Bump when the mapping or the document layout changes: indices of another format are rebuilt.
OS_FORMAT = "2"
#: Joins the lemmas of one word; never part of a term (terms are runs of word characters,
#: apostrophes and hyphens).
SEP = "|"
FUZZY_PREFIX = 1
MAX_EXPANSION = 200
# The Whoosh index stores no text: bodies stay in corpus/. Neither does this one.
STORED = ["id", "title_text", "day", "source", "path", "stamp"]


def index_body(meta: dict[str, str], *, shards: int, replicas: int) -> dict[str, Any]:
    """Settings and mappings of a new searchkit index."""
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas},
            # Whoosh counts every stacked lemma in a field's length; so must Lucene.
            "similarity": {"sk_bm25": {"type": "BM25", "k1": 1.2, "b": 0.75, "discount_overlaps": False}},
            "analysis": {
                "tokenizer": {
                    # a slot holds several lemmas of up to 64 characters each
                    "sk_slots": {"type": "whitespace", "max_token_length": 4096},
                },
                "filter": {
                    "sk_lemmas": {"type": "pattern_capture", "preserve_original": False,
                                  "patterns": [r"([^|]+)"]},
                },
                "analyzer": {
                    "sk_stacked": {"type": "custom", "tokenizer": "sk_slots", "filter": ["sk_lemmas"]},
                    "sk_forms": {"type": "custom", "tokenizer": "sk_slots"},
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"searchkit": meta},
            "_source": {"excludes": ["title", "body", "forms"]},
            "properties": {
                "id": {"type": "keyword"},
                "title": {"type": "text", "analyzer": "sk_stacked", "similarity": "sk_bm25"},
                "body": {"type": "text", "analyzer": "sk_stacked", "similarity": "sk_bm25"},
                "forms": {"type": "text", "analyzer": "sk_forms", "index_options": "freqs", "similarity": "sk_bm25"},
                "title_text": {"type": "keyword", "index": False, "doc_values": False},
                "date": {"type": "integer"},
                "day": {"type": "keyword", "index": False, "doc_values": False},
                "source": {"type": "keyword", "index": False, "doc_values": False},
                "source_key": {"type": "keyword"},
                "path": {"type": "keyword", "index": False, "doc_values": False},
                "stamp": {"type": "keyword", "index": False, "doc_values": False},
            },
        },
    }


def stacked_text(terms: dict[str, list[int]]) -> str:
    """``{lemma: [positions]}`` -> one slot per position, its lemmas joined by ``|``.

    >>> stacked_text({"рік": [0], "рок": [0], "новий": [1]})
    'рік|рок новий'
    """
    slots: dict[int, list[str]] = {}
    for term, poses in terms.items():
        for p in poses:
            slots.setdefault(p, []).append(term)
    return " ".join(SEP.join(slots[p]) for p in sorted(slots))


def to_source(doc: dict[str, Any]) -> dict[str, Any]:
    """A document prepared for the Whoosh schema (:func:`searchkit.engine.prepare_document`)
    -> the ``_source`` OpenSearch indexes."""
    forms: dict[str, int] = doc["forms"]
    return {
        "id": doc["id"],
        "title": stacked_text(doc["title"]),
        "body": stacked_text(doc["body"]),
        "forms": " ".join(f for f, n in forms.items() for _ in range(n)),
        "title_text": doc["_stored_title"],
        "date": doc["date"],
        "day": doc["day"],
        "source": doc.get("source"),
        "source_key": doc.get("source_key"),
        "path": doc["path"],
        "stamp": doc["stamp"],
    }


def _or(subs: list[dict[str, Any]]) -> dict[str, Any]:
    return subs[0] if len(subs) == 1 else {"bool": {"should": subs, "minimum_should_match": 1}}


def _term(field: str, value: str, boost: float = 1.0) -> dict[str, Any]:
    return {"term": {field: {"value": value, "boost": boost}}}


class Compiler:
    """One query's compilation into the DSL; mirrors :class:`searchkit.engine._Compiler`.

    Whoosh's ``Sequence(slop=1)`` (adjacent words) is a Lucene phrase with slop 0; its
    ``slop=3, ordered=False`` is an unordered span with slop 2. Prefix and fuzzy words score
    a constant, as Whoosh's do. Fuzzy words are listed in ``fuzzy`` so the caller can ask
    the index which terms they reach (for highlighting).
    """

    def __init__(self, analyzer: Analyzer, parsed: q.ParsedQuery) -> None:
        self.analyzer = analyzer
        self.parsed = parsed
        self.lemmas: set[str] = set()
        self.forms: set[str] = set()
        self.prefixes: list[str] = []
        self.fuzzy: list[tuple[str, str, int]] = []  # (field, term, max edits)

    def run(self) -> dict[str, Any]:
        required = self.node(self.parsed.root)
        if required is None:
            raise QueryError("nothing searchable in the query")
        boosters = self.boosters(self.parsed.root)
        if not boosters:
            return required
        return {"bool": {"must": [required], "should": boosters}}

    @staticmethod
    def fields_for(fld: str | None) -> list[tuple[str, float]]:
        if fld == "title":
            return [("title", 1.0)]
        if fld == "body":
            return [("body", 1.0)]
        return [("title", TITLE_BOOST), ("body", 1.0)]

    def word(self, w: q.Word) -> dict[str, Any] | None:
        tokens = self.analyzer.analyze(w.text)
        if not tokens:
            return None
        if len(tokens) > 1:
            return self.sequence([(t.form, t.lemmas) for t in tokens], w.field)
        tok = tokens[0]
        if w.prefix:
            if len(tok.form) < MIN_PREFIX:
                raise QueryError(f"prefix {w.text!r} is too short: give at least {MIN_PREFIX} letters")
            self.prefixes.append(tok.form)
            subs = [{"prefix": {f: {"value": tok.form, "boost": b}}} for f, b in self.fields_for(w.field)]
            subs.append({"prefix": {"forms": {"value": tok.form}}})
            return _or(subs)
        if w.fuzzy:
            subs = []
            targets = [(f, b, lemma) for f, b in self.fields_for(w.field) for lemma in tok.lemmas[:1]]
            targets.append(("forms", 1.0, tok.form))
            for f, b, text in targets:
                self.fuzzy.append((f, text, w.fuzzy))
                subs.append({"fuzzy": {f: {"value": text, "fuzziness": w.fuzzy, "prefix_length": FUZZY_PREFIX,
                                           "max_expansions": MAX_EXPANSION, "transpositions": False,
                                           "rewrite": "constant_score", "boost": b}}})
            return _or(subs)
        self.lemmas.update(tok.lemmas)
        self.forms.add(tok.form)
        return _or([_term(f, lemma, b) for f, b in self.fields_for(w.field) for lemma in tok.lemmas])

    def sequence(self, words: list[tuple[str, tuple[str, ...]]], fld: str | None) -> dict[str, Any]:
        for _form, lemmas in words:
            self.lemmas.update(lemmas)
        # The query text goes through the field's own analyzer, so each slot becomes a
        # position with alternatives: a MultiPhraseQuery, as Whoosh's Sequence of Ors.
        text = " ".join(SEP.join(lemmas) for _form, lemmas in words)
        return _or([
            _positional({"match_phrase": {f: {"query": text, "slop": 0}}}, f, [lem for _, lem in words], b)
            for f, b in self.fields_for(fld)
        ])

    def phrase(self, p: q.Phrase) -> dict[str, Any] | None:
        words = [(t.form, t.lemmas) for w in p.words for t in self.analyzer.analyze(w)]
        if not words:
            return None
        if len(words) == 1:
            return self.word(q.Word(p.words[0], p.field))
        return self.sequence(words, p.field)

    def node(self, n: q.Node) -> dict[str, Any] | None:
        if isinstance(n, q.Word):
            return self.word(n)
        if isinstance(n, q.Phrase):
            return self.phrase(n)
        if isinstance(n, q.Not):
            inner = self.node(n.item)
            return None if inner is None else {"bool": {"must_not": [inner]}}
        subs = [s for s in (self.node(i) for i in n.items) if s is not None]
        if not subs:
            return None
        if len(subs) == 1:
            return subs[0]
        if isinstance(n, q.And):
            return _and(subs)
        return _or(subs)

    def boosters(self, root: q.Node) -> list[dict[str, Any]]:
        """The very forms typed, and the query words standing close together (optional)."""
        words = [w for w in q.words_of(root) if isinstance(w, q.Word) and not (w.prefix or w.fuzzy)]
        out: list[dict[str, Any]] = []
        analyzed = []
        for w in words:
            toks = self.analyzer.analyze(w.text)
            if len(toks) == 1:
                analyzed.append(toks[0])
                out.append(_term("forms", toks[0].form, FORM_BOOST))
        for a, b in zip(analyzed, analyzed[1:], strict=False):
            pair = [{"span_or": {"clauses": [{"span_term": {"body": lemma}} for lemma in t.lemmas]}} for t in (a, b)]
            near = {"span_near": {"clauses": pair, "slop": 2, "in_order": False}}
            out.append(_positional(near, "body", [a.lemmas, b.lemmas], PROXIMITY_BOOST))
        return out


def _positional(match: dict[str, Any], field: str, slots: list[tuple[str, ...]], boost: float) -> dict[str, Any]:
    """A positional match scored as Whoosh scores its ``Sequence``: the boost times the sum
    of the words' own term scores (Lucene would score the phrase as one pseudo-term)."""
    words = [_or([_term(field, lemma) for lemma in lemmas]) for lemmas in slots]
    return {"bool": {"filter": [match], "must": words, "boost": boost}}


def _and(subs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Conjunction; a negated item becomes a ``must_not`` of the same bool (Whoosh's AndNot)."""
    must: list[dict[str, Any]] = []
    must_not: list[dict[str, Any]] = []
    for s in subs:
        b = s.get("bool")
        if b is not None and set(b) == {"must_not"}:
            must_not.extend(b["must_not"])
        else:
            must.append(s)
    out: dict[str, Any] = {"must": must}
    if must_not:
        out["must_not"] = must_not
    return {"bool": out}

