"""Synonyms at query time: a query word (or words) that matches one name of a thing in the
user lexicon (``HOME/lexicon.tsv``, read by :mod:`searchkit.text.lexicon`) also searches its
other names, matched by lemma (``Збройних сил України`` also searches ``ЗСУ``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeGuard

from ..errors import QueryError
from ..text.analysis import Analyzer, Token
from ..text.lexicon import LEXICON_FILE, Lexicon, SynonymGroup
from . import parse as q

__all__ = ["SynonymUse", "Synonyms", "synonyms_of"]


@dataclass(frozen=True, slots=True)
class SynonymUse:
    """One synonym expansion of a query: the words as typed and what was searched besides."""

    matched: str
    alternatives: tuple[str, ...]

    def __str__(self) -> str:
        return " = ".join((self.matched, *self.alternatives))


def _keys(tok: Token) -> frozenset[str]:
    """What a token may be matched by: its form and lemmas. The parts of a compound
    (``франківськ`` in ``Івано-Франківськ``) do not count, or ``Франківськ`` would match."""
    lemmas = tok.lemmas if "-" not in tok.form else tuple(x for x in tok.lemmas if "-" in x)
    return frozenset((tok.form, *lemmas))


@dataclass(frozen=True, slots=True)
class _Member:
    text: str
    keys: tuple[frozenset[str], ...]
    group: int


class Synonyms:
    """Synonym groups matched by lemma: ``Збройних сил України`` matches the member
    ``Збройні сили України`` and the query also searches ``ЗСУ``."""

    def __init__(self, groups: Sequence[SynonymGroup], analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.groups = tuple(groups)
        self.members: list[_Member] = []
        for gi, g in enumerate(self.groups):
            for m in g.members:
                keys = tuple(_keys(t) for t in analyzer.analyze(m))
                if keys:
                    self.members.append(_Member(m, keys, gi))
        self.longest = max((len(m.keys) for m in self.members), default=0)

    def __bool__(self) -> bool:
        return bool(self.members)

    def expand(self, parsed: q.ParsedQuery) -> tuple[q.ParsedQuery, tuple[SynonymUse, ...]]:
        """``parsed`` with every synonym found in it OR-ed with the rest of its group.

        The words as typed stay as they were (all of them must still match), so a synonym
        only ever adds results.
        """
        if not self.members:
            return parsed, ()
        uses: list[SynonymUse] = []
        root = self._node(parsed.root, uses)
        if not uses:
            return parsed, ()
        words = sum(len(w.words) if isinstance(w, q.Phrase) else 1 for w in q.words_of(root))
        if words > q.MAX_WORDS:  # said as the lexicon's doing, not as a query typed too long
            raise QueryError(f"with the synonyms of {LEXICON_FILE} ({'; '.join(map(str, dict.fromkeys(uses)))}), "
                             f"the query has {words} words, more than {q.MAX_WORDS}",
                             hint=f"search fewer words, or split the synonym groups of {LEXICON_FILE}")
        return q.ParsedQuery(parsed.text, root, parsed.warnings), tuple(dict.fromkeys(uses))

    # -- matching -------------------------------------------------------------------------
    def _alternatives(self, tokens: Sequence[Token]) -> tuple[list[str], tuple[str, ...]] | None:
        """The members matched by exactly ``tokens`` and the other members of their groups."""
        found: list[str] = []
        groups: list[int] = []
        for m in self.members:
            if len(m.keys) == len(tokens) and all(k & _keys(t) for k, t in zip(m.keys, tokens, strict=True)):
                found.append(m.text)
                if m.group not in groups:
                    groups.append(m.group)
        if not found:
            return None
        alts = tuple(dict.fromkeys(x for g in groups for x in self.groups[g].members if x not in found))
        return (found, alts) if alts else None

    def _alt_nodes(self, alts: Sequence[str], fld: str | None) -> list[q.Node]:
        out: list[q.Node] = []
        for a in alts:
            words = tuple(a.split())
            out.append(q.Word(words[0], fld) if len(words) == 1 else q.Phrase(words, fld))
        return out

    def _plain(self, node: q.Node) -> TypeGuard[q.Word]:
        return isinstance(node, q.Word) and not node.prefix and not node.fuzzy

    def _node(self, node: q.Node, uses: list[SynonymUse]) -> q.Node:
        if isinstance(node, q.Word):
            if not self._plain(node):
                return node
            return self._replace([node], node.text, node.field, uses) or node
        if isinstance(node, q.Phrase):
            return self._replace([node], " ".join(node.words), node.field, uses) or node
        if isinstance(node, q.Not):
            return q.Not(self._node(node.item, uses))
        if isinstance(node, q.Or):
            return q.Or(tuple(self._node(n, uses) for n in node.items))
        return q.And(self._and_items(node.items, uses))

    def _and_items(self, items: Sequence[q.Node], uses: list[SynonymUse]) -> tuple[q.Node, ...]:
        """Runs of plain words with one field may spell a synonym of several words."""
        out: list[q.Node] = []
        i = 0
        while i < len(items):
            run = 0
            field = first.field if self._plain(first := items[i]) else None
            while (i + run < len(items) and run < self.longest and self._plain(item := items[i + run])
                   and item.field == field):
                run += 1
            for n in range(run, 1, -1):
                words = [w for w in items[i : i + n] if isinstance(w, q.Word)]
                node = self._replace(words, " ".join(w.text for w in words), words[0].field, uses)
                if node is not None:
                    out.append(node)
                    i += n
                    break
            else:
                out.append(self._node(items[i], uses))
                i += 1
        return tuple(out)

    def _replace(self, nodes: Sequence[q.Word | q.Phrase], typed: str, fld: str | None,
                 uses: list[SynonymUse]) -> q.Node | None:
        words = [w for n in nodes for w in ((n.text,) if isinstance(n, q.Word) else n.words)]
        tokens = [t for w in words for t in self.analyzer.analyze(w)]
        if not tokens or len(tokens) > self.longest:
            return None
        hit = self._alternatives(tokens)
        if hit is None:
            return None
        _, alts = hit
        uses.append(SynonymUse(typed, alts))
        typed_node: q.Node = nodes[0] if len(nodes) == 1 else q.And(tuple(nodes))
        return q.Or((typed_node, *self._alt_nodes(alts, fld)))


def synonyms_of(lexicon: Lexicon, analyzer: Analyzer) -> Synonyms:
    """The lexicon's synonym groups analyzed with ``analyzer``, ready to expand queries."""
    return Synonyms(lexicon.synonyms, analyzer)
