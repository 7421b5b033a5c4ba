"""searchkit's documents and queries in OpenSearch's terms (pure: no client, no network).

OpenSearch never analyzes Ukrainian here: searchkit's analyzer does, and OpenSearch gets
the result as text its simplest analyzer can split back into the very same terms:

- ``title``/``body``: one whitespace-separated slot per word, the word's lemmas joined
  by ``|`` (``рік|рок мова``). The ``sk_stacked`` analyzer splits on spaces, then a
  ``pattern_capture`` filter emits each lemma of a slot AT THE SAME POSITION, the way
  Lucene's own synonym filters stack tokens. Positions therefore equal the Whoosh index's
  and phrase and proximity queries behave alike.
- ``forms``: the normal forms written in the text, frequency only.

A query is compiled from the parsed tree exactly as :mod:`searchkit.backends.whoosh` compiles it for
Whoosh (same clauses, boosts and slops), into the query DSL, within the same limits
(:mod:`searchkit.query.limits`); both rank with BM25.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...query import limits
from ...query import parse as q
from ...query.compiling import TreeCompiler
from ...query.limits import FUZZY_PREFIX
from ...query.resolve import Vocabulary
from ...text import dedup
from ...text.analysis import Analyzer
from ..base import Ranking
from ..documents import date_bounds, source_keys
from ..postings import counts_of, positions_of

__all__ = [
    "HELD",
    "OS_FORMAT",
    "SEP",
    "DOC_VALUES",
    "MULTI_VALUED",
    "HIT_FIELDS",
    "STORED",
    "Compiler",
    "OSQuery",
    "Part",
    "Vocabulary",
    "band_terms",
    "dsl_tree",
    "filtered",
    "index_body",
    "stacked_text",
    "to_source",
]

#: The name of a partial match's clause for a word it holds: a hit's ``matched_queries``
#: count them (``RawHit.held``).
HELD = "held:"

#: Bump when the mapping or the document layout changes: indices of an earlier format are
#: rebuilt, of a later one refused (``base.status_of``).
OS_FORMAT = "5"
#: Joins the lemmas of one word; never part of a term (terms are runs of word characters,
#: apostrophes and hyphens).
SEP = "|"
# What a hit reads; the bodies themselves stay in corpus/.
STORED = ["id", "title_text", "day", "source", "path", "stamp"]
#: What a hit reads: the stored fields and its topic vector (searchkit.answers.topical).
HIT_FIELDS = [*STORED, "topic"]
#: The most hits a search can list from its first (a cluster's ``index.max_result_window``).
MAX_WINDOW = 10_000
#: Fields with doc values, read without loading a document's _source (which holds its
#: whole analysed text), and those of them that hold several values.
DOC_VALUES = frozenset({"id", "path", "stamp", "date", "arrived", "sig", "bands", "group", "grouped"})
MULTI_VALUED = frozenset({"bands"})


def index_body(meta: dict[str, str], *, shards: int, replicas: int,
               ranking: Ranking | None = None) -> dict[str, Any]:
    """Settings and mappings of a new searchkit index; its BM25 parameters are ``ranking``'s
    (the embedded index reads them at search time, a cluster index fixes them here)."""
    rk = ranking or Ranking()
    k1, b = rk.k1, rk.b
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas},
            # DEFLATE for stored fields: _source holds each article's analysed text (see the
            # mapping), which compresses well and is read only to update a document
            "index.codec": "best_compression",
            # Whoosh counts every stacked lemma in a field's length; so must Lucene.
            "similarity": {"sk_bm25": {"type": "BM25", "k1": k1, "b": b, "discount_overlaps": False}},
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
            # The whole document stays in _source: regrouping near-duplicates rewrites a
            # document's group fields by a partial update, which re-indexes it from _source.
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
                # read from doc values (see DOC_VALUES): listing the index reads no _source
                "path": {"type": "keyword", "index": False},
                "stamp": {"type": "keyword", "index": False},
                # when the article's file was written (ns): what `saved run --new` filters on
                "arrived": {"type": "long"},
                # near-duplicates (see searchkit.backends.opensearch.groups): the MinHash signature, its
                # LSH bands as terms (to find candidates), and the group: the group's key for
                # a member of a group, the article's own id otherwise (so collapsing folds
                # each group into one hit), and ``grouped`` only on members of a group
                "sig": {"type": "binary", "doc_values": True},
                "bands": {"type": "keyword"},
                "group": {"type": "keyword"},
                "grouped": {"type": "keyword"},
                # what the article is about (searchkit.text.topics): read with each hit
                "topic": {"type": "binary"},
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
    """An analysed document (:func:`searchkit.backends.documents.analysed_document`, as both backends take it)
    -> the ``_source`` OpenSearch indexes."""
    forms = counts_of(doc["forms"])
    sig: bytes = doc.get("sig") or b""
    return {
        "id": doc["id"],
        "title": stacked_text(positions_of(doc["title"])),
        "body": stacked_text(positions_of(doc["body"])),
        "forms": " ".join(f for f, n in forms.items() for _ in range(n)),
        "title_text": doc["_stored_title"],
        "date": doc["date"],
        "day": doc["day"],
        "source": doc.get("source"),
        "source_key": doc.get("source_key"),
        "path": doc["path"],
        "stamp": doc["stamp"],
        "arrived": int(doc.get("arrived") or 0),
        "sig": base64.b64encode(sig).decode("ascii") if sig else None,
        "bands": band_terms(sig) if sig else [],
        "group": doc["id"],  # a group of its own until the groups are brought up to date
        "topic": base64.b64encode(topic).decode("ascii") if (topic := doc.get("topic")) else None,
    }


def band_terms(sig: bytes) -> list[str]:
    """The LSH bands of a signature as keyword terms (``"07:" + hex``): articles that share
    one are candidate near-duplicates (see :func:`searchkit.text.dedup.bands`)."""
    return [f"{j:02d}:{chunk.hex()}" for j, chunk in dedup.bands(sig)]


def _or(subs: list[dict[str, Any]]) -> dict[str, Any]:
    return subs[0] if len(subs) == 1 else {"bool": {"should": subs, "minimum_should_match": 1}}


def _term(field: str, value: str, boost: float = 1.0) -> dict[str, Any]:
    return {"term": {field: {"value": value, "boost": boost}}}


@dataclass(frozen=True, slots=True)
class Part:
    """One scoring clause of a compiled query, for ``explain``: what
    :class:`searchkit.backends.whoosh.RawContribution` describes, plus the clause itself."""

    kind: str  # term, phrase, near, prefix, fuzzy
    field: str
    text: str
    boost: float
    dsl: dict[str, Any]
    terms: tuple[tuple[str, str], ...] = ()


class Compiler(TreeCompiler[dict[str, Any]]):
    """One query's compilation into the OpenSearch DSL: the walk is
    :class:`~searchkit.query.compiling.TreeCompiler`'s, shared with the Whoosh backend.

    Whoosh's ordered ``Sequence(slop=n)`` is a Lucene span in order with slop ``n - 1``, its
    unordered one a span in any order with slop ``n - 1``; both are scored as Whoosh scores a
    Sequence (see :func:`_positional`). Prefix and fuzzy words score a constant (the
    embedded index adds up their words' scores: Lucene would need a clause per word, and
    refuses a query of over 1,024; see docs/scale-out.md). Fuzzy words are listed in
    ``fuzzy`` so the caller can ask the index which terms they reach (for highlighting);
    every scoring clause is listed in ``parts`` (for explain).
    """

    def __init__(self, analyzer: Analyzer, parsed: q.ParsedQuery, vocab: Vocabulary,
                 ranking: Ranking | None = None, *, translit: bool = True, families: bool = True) -> None:
        self.vocab = vocab
        self.fuzzy: list[tuple[str, str, int]] = []  # (field, term, max edits)
        self.parts: list[Part] = []
        super().__init__(analyzer, parsed, vocab, ranking or Ranking(), translit=translit, families=families)
        #: set by :meth:`run_relaxed` (see ``Compiled.fillable``)
        self.fillable = False

    def run(self) -> dict[str, Any]:
        return self.ranked(self.required())

    def run_relaxed(self, strict: dict[str, Any], *, fill: bool = False) -> dict[str, Any] | None:
        """The partial matches (see :meth:`TreeCompiler.relaxed`)."""
        got = self.relaxed(strict, fill=fill)
        if got is None:
            return None
        self.fillable = got.parts.fillable
        return got.query

    def held(self, clause: dict[str, Any], bonus: float) -> dict[str, Any]:
        # named, so that each hit says which words it holds (``RawHit.held``)
        held = {"constant_score": {"filter": clause, "boost": bonus, "_name": f"{HELD}{len(self.parts)}"}}
        lemmas = tuple(dict.fromkeys(t for t in _terms_of(clause)))
        self.parts.append(Part("held", "", "|".join(dict.fromkeys(t for _, t in lemmas)), bonus, held, lemmas))
        return _or([clause, held])

    def matching_part(self, compiled: dict[str, Any]) -> dict[str, Any]:
        return compiled["bool"]["must"][0] if _has_boosters(compiled) else compiled

    def excluding(self, query: dict[str, Any], excluded: list[dict[str, Any]]) -> dict[str, Any]:
        b = query.get("bool", {})
        if set(b) == {"should", "minimum_should_match"}:  # (one bool: any of the words, none of these)
            return {"bool": {**b, "must_not": excluded}}
        return {"bool": {"must": [query], "must_not": excluded}}

    def requiring(self, query: dict[str, Any], required: list[dict[str, Any]]) -> dict[str, Any]:
        return {"bool": {"must": [query], "filter": required}}

    def term(self, field: str, value: str, boost: float = 1.0) -> dict[str, Any]:
        t = _term(field, value, boost)
        self.parts.append(Part("term", field, value, boost, t))
        return t

    def expanding(self, w: q.Word) -> dict[str, Any] | None:
        """``word*`` and ``word~``: over lemmas and written forms."""
        subs = []
        if w.prefix:
            got = self.prefix_terms(w)  # (counted as the embedded index counts them; searched inside Lucene)
            if got is None:
                return None
            form, fields, found = got
            # (each is searched whole, inside Lucene: all of them marked)
            self.searched_terms([f for f, _ in fields], found, prefix=True)
            for f, b in fields:
                clause = {"prefix": {f: {"value": form, "boost": b}}}
                self.parts.append(Part("prefix", f, f"{f}:{form}*", b, clause))
                subs.append(clause)
            return _or(subs)
        aimed = self.fuzzy_targets(w)
        if aimed is None:
            return None
        for f, b, text in aimed[1]:
            self.fuzzy.append((f, text, w.fuzzy))
            clause = {"fuzzy": {f: {"value": text, "fuzziness": w.fuzzy, "prefix_length": FUZZY_PREFIX,
                                    "max_expansions": limits.MAX_EXPANSION, "transpositions": True,
                                    "rewrite": "constant_score", "boost": b}}}
            self.parts.append(Part("fuzzy", f, f"{f}:{text}~{w.fuzzy}", b, clause))
            subs.append(clause)
        return _or(subs)

    def any_of(self, subs: list[dict[str, Any]]) -> dict[str, Any]:
        return _or(subs)

    def all_of(self, subs: list[dict[str, Any]]) -> dict[str, Any]:
        return _and(subs)

    def negate(self, sub: dict[str, Any]) -> dict[str, Any]:
        return {"bool": {"must_not": [sub]}}

    def ranked_by(self, required: dict[str, Any], optional: list[dict[str, Any]]) -> dict[str, Any]:
        # Whoosh's AndMaybe: stop words (and weak words) add to the score, never required
        return {"bool": {"must": [required], "should": [_or(optional)]}}

    def adjacent(self, field: str, slots: list[tuple[str, ...]], boost: float) -> dict[str, Any]:
        # The query text goes through the field's own analyzer, so each slot becomes a
        # position with alternatives: a MultiPhraseQuery, as Whoosh's Sequence of Ors.
        text = " ".join(SEP.join(lemmas) for lemmas in slots)
        clause = _positional({"match_phrase": {field: {"query": text, "slop": 0}}}, field, slots, boost)
        self.parts.append(Part("phrase", field, text, boost, clause, _leaves(field, slots)))
        return clause

    def near(self, field: str, slots: list[tuple[str, ...]], between: int, *, ordered: bool,
             boost: float) -> dict[str, Any]:
        spans = [{"span_or": {"clauses": [{"span_term": {field: lemma}} for lemma in slot]}} for slot in slots]
        clause = _positional({"span_near": {"clauses": spans, "slop": between, "in_order": ordered}}, field, slots,
                             boost)
        text = " ".join(SEP.join(dict.fromkeys(slot)) for slot in slots)
        self.parts.append(Part("phrase" if ordered else "near", field, text, boost, clause, _leaves(field, slots)))
        return clause


def _terms_of(dsl: Any) -> list[tuple[str, str]]:
    """The ``(field, term)`` of every term clause in ``dsl``."""
    if isinstance(dsl, dict):
        term = dsl.get("term")
        if isinstance(term, dict) and len(term) == 1:
            (fld, value), = term.items()
            return [(fld, value["value"] if isinstance(value, dict) else value)]
        return [t for v in dsl.values() for t in _terms_of(v)]
    if isinstance(dsl, list):
        return [t for v in dsl for t in _terms_of(v)]
    return []


def _has_boosters(dsl: dict[str, Any]) -> bool:
    """Whether ``dsl`` is :meth:`Compiler.run`'s ``must`` + ranking-only ``should``."""
    b = dsl.get("bool", {})
    return set(b) == {"must", "should"} and len(b["must"]) == 1


def _leaves(field: str, slots: list[tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    return tuple(dict.fromkeys((field, lemma) for slot in slots for lemma in slot))


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


@dataclass(frozen=True, slots=True)
class OSQuery:
    """A compiled query: the DSL and its scoring clauses (for explain); a partial-match
    query also carries the all-words query it ranks after (``strict``)."""

    dsl: dict[str, Any]
    parts: tuple[Part, ...] = ()
    strict: dict[str, Any] | None = None


def filtered(dsl: dict[str, Any], since: int | None, until: int | None, source: str | None) -> dict[str, Any]:
    """``dsl`` restricted to a date range (``yyyymmdd``; undated articles are 0) and a source."""
    filters: list[dict[str, Any]] = []
    if since is not None or until is not None:
        first, last = date_bounds(since, until)
        filters.append({"range": {"date": {"gte": first, "lte": last}}})
    if source:
        keys = source_keys(source)
        filters.append({"term": {"source_key": keys[0]}} if len(keys) == 1 else {"terms": {"source_key": list(keys)}})
    return {"bool": {"must": [dsl], "filter": filters}} if filters else dsl


def dsl_tree(node: Any, depth: int = 0) -> str:
    """An indented text picture of a query in the DSL (for ``searchkit explain``)."""
    pad = "  " * depth
    kind, spec = next(iter(node.items()))
    if kind == "bool":
        lines = [f"{pad}BOOL" + (f" ^{spec['boost']:g}" if spec.get("boost", 1.0) != 1.0 else "")]
        for clause, label in (("filter", "WHERE"), ("must", "ALL OF"), ("should", "ANY OF"),
                              ("must_not", "BUT NOT")):
            if spec.get(clause):
                lines.append(f"{pad}  {label}")
                lines += [dsl_tree(sub, depth + 2) for sub in spec[clause]]
        return "\n".join(lines)
    if kind in ("span_near", "span_or"):
        return f"{pad}{kind.upper()} " + json.dumps({k: v for k, v in spec.items()}, ensure_ascii=False)
    field, value = next(iter(spec.items()))
    if isinstance(value, dict):
        text = value.get("value", value.get("query", ""))
        extra = {k: v for k, v in value.items() if k not in ("value", "query", "boost")}
        boost = f" ^{value['boost']:g}" if value.get("boost", 1.0) != 1.0 else ""
        return f"{pad}{kind.upper()} {field}:{text}{boost}" + (f" {json.dumps(extra)}" if extra else "")
    return f"{pad}{kind.upper()} {field}:{value}"
