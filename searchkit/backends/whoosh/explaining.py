"""Why an article scores what it does: the compiled query taken apart per document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whoosh import query

from ..records import Compiled, RawContribution, RawExplanation
from .bulkeval import BulkEvaluator, Unsupported
from .compiler import date_filter
from .folding import rank_key
from .store import release, reported_as_damage

if TYPE_CHECKING:
    from .store import IndexStore

# The records moved to searchkit.backends.records (the OpenSearch backend hands them back
# too); searchkit.backends.whoosh still imports them from here.
__all__ = ["RawContribution", "RawExplanation", "explain_document", "query_tree"]


def _words(node: Any) -> str:
    """The terms of a positional query as words: ``мовний табір|табори``."""
    out = []
    for sub in node.subqueries:
        terms = [t.text for t in sub.leaves() if isinstance(t, query.Term)]
        out.append("|".join(dict.fromkeys(terms)) or str(sub))
    return " ".join(out)


def _label(node: Any) -> str:
    if isinstance(node, query.Term):
        return f"{node.fieldname}:{node.text}"
    if isinstance(node, query.Sequence):
        kind = "PHRASE" if node.ordered else "NEAR"
        return f"{kind}(slop={node.slop}) " + " ".join(_label(s) for s in node.subqueries)
    if isinstance(node, query.Prefix):
        return f"{node.fieldname}:{node.text}*"
    if isinstance(node, query.FuzzyTerm):
        return f"{node.fieldname}:{node.text}~{node.maxdist}"
    if isinstance(node, query.Or):
        return "(" + " | ".join(_label(s) for s in node.subqueries) + ")"
    if isinstance(node, query.ConstantScoreQuery):
        return f"HOLDS {_held(node.child)} +{node.score:g}"
    return str(node)


def _held(node: Any) -> str:
    """The lemmas of one query word's clause, once each: ``проект|проєкт``."""
    return "|".join(dict.fromkeys(t.text for t in node.leaves() if isinstance(t, query.Term)))


def query_tree(node: Any, depth: int = 0) -> str:
    """An indented text picture of a Whoosh query (for ``searchkit explain``)."""
    pad = "  " * depth
    boost = f" ^{node.boost:g}" if getattr(node, "boost", 1.0) != 1.0 else ""
    if isinstance(node, query.Not):
        return f"{pad}NOT\n" + query_tree(node.query, depth + 1)
    if isinstance(node, query.Sequence) or not isinstance(node, query.CompoundQuery):
        return f"{pad}{_label(node)}{boost}"
    names = {query.And: "ALL OF", query.Or: "ANY OF", query.AndMaybe: "MUST ... MAY ALSO (boosts)",
             query.AndNot: "BUT NOT", query.DisjunctionMax: "BEST OF"}
    name = names.get(type(node), type(node).__name__.upper())
    return "\n".join([f"{pad}{name}{boost}", *(query_tree(s, depth + 1) for s in node.subqueries)])


class _Explainer:
    """Scores each scoring part of a compiled query on one document as the search scores
    it, so the parts add up to the search's score: by the block evaluator where it
    evaluates the part, else by Whoosh's own matchers. (Whoosh's span matchers are
    quadratic in a document's positions: the parts of a query of two common words took
    tens of seconds on an article of 400,000 words.)"""

    def __init__(self, searcher: Any, docnum: int) -> None:
        self.s = searcher
        self.docnum = docnum
        self.ev = BulkEvaluator(searcher)

    def score(self, node: Any) -> float | None:
        """``node``'s score on the document, or ``None`` when it does not match there."""
        try:
            self.ev.check(node)
            # (the scores of the documents asked about that match: each part read once, a
            # phrase's positions in a long article are many)
            return self.ev.scores(node, {self.docnum}).get(self.docnum)
        except Unsupported:  # (also a field the index lacks, found while reading)
            return self.whoosh_score(node)

    def rank(self, node: Any, flt: Any) -> int | None:
        """The document's place among the matches of ``node`` under the filter ``flt``,
        best score first and ties in document order, as the search ranks them
        (``None``: the filter leaves it out)."""
        try:
            self.ev.check(node)
            docs = self.ev.docs(node)  # (a term's own set, kept by the evaluator: not changed here)
            if flt is not None:
                docs = docs & set(self.s.docs_for_query(flt))
            scores = self.ev.scores(node, docs)
        except Unsupported:
            for i, hit in enumerate(self.s.search(node, limit=None, filter=flt), 1):
                if hit.docnum == self.docnum:
                    return i
            return None
        if self.docnum not in scores:
            return None
        mine = rank_key((self.docnum, scores[self.docnum]))
        return 1 + sum(1 for item in scores.items() if rank_key(item) < mine)

    def whoosh_score(self, node: Any) -> float | None:
        """:meth:`score` by Whoosh's matchers, for a part the block evaluator refuses."""
        m = node.matcher(self.s, self.s.context())
        if not m.is_active():
            return None
        try:
            m.skip_to(self.docnum)
        except IndexError:
            # Whoosh's skip through a constant-score list inside a union past its end
            # (a partial match's "held" words beside a minus) reads past the list: step
            # to the document instead, on a fresh matcher (one article, once)
            m = node.matcher(self.s, self.s.context())
            while m.is_active() and m.id() < self.docnum:
                m.next()
        if m.is_active() and m.id() == self.docnum:
            return float(m.score())
        return None

    def present(self, fieldname: str, text: str) -> bool:
        return self.score(query.Term(fieldname, text)) is not None

    def parts(self, node: Any) -> list[RawContribution]:
        if isinstance(node, query.Not):
            return []  # a word left out adds nothing to a score (compiler.Without)
        if isinstance(node, (query.AndNot, query.Require)):
            return self.parts(node.a)  # only the first side scores
        if isinstance(node, query.Term):
            return [RawContribution("term", node.fieldname, node.text, node.boost, self.score(node) or 0.0)]
        if isinstance(node, (query.Sequence, query.Ordered)):
            leaves = [leaf for leaf in node.leaves() if isinstance(leaf, query.Term)]
            kind = "phrase" if getattr(node, "ordered", True) else "near"
            fld = leaves[0].fieldname if leaves else ""
            found = tuple(dict.fromkeys((t.fieldname, t.text) for t in leaves if self.present(t.fieldname, t.text)))
            return [RawContribution(kind, fld, _words(node), node.boost, self.score(node) or 0.0, found)]
        if isinstance(node, query.DisjunctionMax):
            # Only the best-scoring alternative counts (plus a tie-breaker share of the rest).
            groups = [self.parts(s) for s in node.subqueries]
            best = max(groups, key=lambda g: sum(p.score for p in g), default=[])
            return [p if g is best else RawContribution(p.kind, p.field, p.text, p.boost, p.score * node.tiebreak,
                                                         p.terms)
                    for g in groups for p in g]
        if isinstance(node, query.And) and self.score(node) is None:
            # a group that needs all its words and lacks one adds nothing, though some of
            # its words are in the article (``Київ OR Харків обстріл`` without обстріл)
            return []
        if isinstance(node, query.CompoundQuery):
            return [p for s in node.subqueries for p in self.parts(s)]
        if isinstance(node, query.ConstantScoreQuery):
            # a partial match: each query word the article holds adds the same constant
            leaves = [leaf for leaf in node.child.leaves() if isinstance(leaf, query.Term)]
            found = tuple(dict.fromkeys((t.fieldname, t.text) for t in leaves if self.present(t.fieldname, t.text)))
            score = self.score(node)
            return [RawContribution("held", "", _held(node.child), node.score, score or 0.0, found)] if score else []
        if isinstance(node, query.MultiTerm):
            kind = "prefix" if isinstance(node, query.Prefix) else "fuzzy" if isinstance(node, query.FuzzyTerm) \
                else "other"
            terms = [(node.fieldname, t) for _, t in node.expanded_terms(self.s.reader())]
            found = tuple((f, t) for f, t in terms if self.present(f, t))
            return [RawContribution(kind, node.fieldname, _label(node), node.boost, self.score(node) or 0.0, found)]
        return [RawContribution("other", getattr(node, "fieldname", "") or "", str(node),
                                getattr(node, "boost", 1.0), self.score(node) or 0.0)]


def explain_document(ix: IndexStore, compiled: Compiled, article_id: str, *, since: int | None = None,
                     until: int | None = None, source: str | None = None) -> RawExplanation | None:
    """How ``compiled`` scores the indexed article ``article_id`` (``None``: not indexed)."""
    s = ix.searcher()
    docnum = s.document_number(id=article_id)
    if docnum is None:
        return None
    ex = _Explainer(s, docnum)
    try:
        with reported_as_damage():
            total = ex.score(compiled.query)
            parts = tuple(ex.parts(compiled.query))
            rank = ex.rank(compiled.query, date_filter(since, until, source)) if total is not None else None
    finally:
        release([ex.ev])
    stored = s.stored_fields(docnum)
    return RawExplanation(matches_query=total is not None, score=total or 0.0, rank=rank, day=stored.get("day"),
                          parts=parts, tree=query_tree(compiled.query), topic=stored.get("topic") or b"")


# -- search helpers -------------------------------------------------------------------------
