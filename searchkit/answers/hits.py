"""Hits as the user sees them: what the index handed back (:class:`RawResults`), each hit
read from ``corpus/`` and its snippet cut with the query's words marked."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ..advice import INDEX
from ..backends.base import Capability, Compiled, Index, Placed, RawHit, RawResults
from ..errors import ArticleDamaged, InputError
from ..models import DateRange, FacetCount, Hit, Results, Snippet, Span
from ..query import budget
from ..query.explain import MAX_MATCHED
from ..store.corpus import Corpus
from ..text.analysis import Analyzer
from ..text.highlight import Matcher, best_snippet, field_matchers, listed, marked_end, shown

__all__ = ["Told", "results"]


@dataclass(frozen=True, slots=True)
class Told:
    """What a page of results tells besides its hits, as the :class:`Results` fields of
    the same names: how the query was read and searched, and what was left out."""

    warnings: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()
    matched_all: int = 0
    suggestion: str | None = None
    corrected_query: str | None = None
    date_range: DateRange | None = None
    synonyms: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    near_to: str = ""
    months: tuple[tuple[str, int], ...] | None = None
    topic_order: bool = False


def results(index: Index, corpus: Corpus, analyzer: Analyzer, query: str, raw: RawResults, compiled: Compiled,
            page: int, limit: int, t0: float, *, told: Told, snippets: bool | Literal["all"] = True,
            shared: bool = False, scored: bool = True, wider: tuple[int, Compiled] | None = None) -> Results:
    """``raw`` as :class:`Results` telling ``told``: hits deleted from ``corpus/`` since
    indexed left out, snippets (unless ``snippets=False``) while their time lasts (every
    one with ``snippets="all"``), ``shared`` key words for similar articles, no scores when
    sorted by date (``scored=False``). ``wider``:
    from which rank on the hits' snippets mark another query's terms (the near spellings
    after a word's own articles; those mark only the word)."""
    first = (page - 1) * limit + 1
    warnings, cut = told.warnings, told.cut
    if any(corpus.stamp(r.path) is None for r in raw.hits):
        raw, gone = _without_gone(index, corpus, raw)
        warnings += (f"left out {gone} hit(s) deleted from corpus/ since they were indexed; {INDEX} "
                     "updates the index",)
    if snippets:
        matchers = field_matchers(analyzer, compiled.terms)
        order = _key_words(compiled) if shared else None
        # Where the query's lemmas stand in each hit, as the index recorded it: the
        # texts need not be analyzed again (the OpenSearch backend does not say).
        placed_in = index.placed if Capability.PLACED in index.capabilities else None
        placed = placed_in([r.id for r in raw.hits], compiled.terms.lemmas) if placed_in and raw.hits else {}
        after, wide_matchers, wide_placed = len(raw.hits) + first, matchers, placed  # (none, without ``wider``)
        if wider is not None:
            after, wide = wider
            wide_matchers = field_matchers(analyzer, wide.terms)
            later = [r.id for i, r in enumerate(raw.hits) if first + i > after]
            wide_placed = placed_in(later, wide.terms.lemmas) if placed_in and later else {}
        # A long page (-n 1000) reads and marks every hit's text: past a screenful, only
        # while the snippets' time lasts; the rest are listed without one, and said.
        started = time.perf_counter()
        made: list[Hit] = []
        damaged: list[str] = []
        for i, r in enumerate(raw.hits):
            if snippets != "all" and i >= budget.SNIPPETS_ALWAYS \
                    and time.perf_counter() - started > budget.SNIPPET_SECONDS:
                made += [bare_hit(rest, first + k) for k, rest in enumerate(raw.hits[i:], start=i)]
                cut += (budget.SNIPPETS_NOTE.format(n=i, seconds=budget.SNIPPET_SECONDS),)
                break
            m, at = (wide_matchers, wide_placed) if first + i > after else (matchers, placed)
            made.append(_hit(corpus, r, m, first + i, shared=order, placed=at.get(r.id), damaged=damaged))
        hits = tuple(made)
        if damaged:
            warnings += (damaged_note(damaged),)
    else:
        hits = tuple(bare_hit(r, first + i) for i, r in enumerate(raw.hits))
    if not scored:  # sorted by date: the backends' sort keys are no scores
        hits = tuple(replace(h, score=None) for h in hits)
    facets = {name: tuple(FacetCount(v, n) for v, n in counts) for name, counts in raw.facets.items()}
    return Results(query=query, total=raw.total, hits=hits, page=page, limit=limit,
                   elapsed_ms=(time.perf_counter() - t0) * 1000, matched=raw.matched, facets=facets,
                   searched_as=compiled.searched_as, warnings=warnings, cut=cut, matched_all=told.matched_all,
                   suggestion=told.suggestion, corrected_query=told.corrected_query, date_range=told.date_range,
                   synonyms=told.synonyms, missing=told.missing, near=told.near, near_to=told.near_to,
                   months=told.months, topic_order=told.topic_order)


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def _without_gone(index: Index, corpus: Corpus, raw: RawResults) -> tuple[RawResults, int]:
    """``raw`` without the hits deleted from ``corpus/`` since they were indexed (not a hit:
    their text is gone), and how many were left out. A deleted hit's first near-duplicate
    still stored takes its place, so the story stays found."""
    hits: list[RawHit] = []
    gone = 0
    total, matched = raw.total, raw.matched
    for r in raw.hits:
        if corpus.stamp(r.path) is not None:
            hits.append(r)
            continue
        gone += 1
        matched -= 1
        heir = _heir(index, corpus, r)
        if heir is None:
            total -= 1
        else:
            hits.append(heir)
    return replace(raw, hits=hits, total=max(total, 0), matched=max(matched, 0)), gone


def _heir(index: Index, corpus: Corpus, r: RawHit) -> RawHit | None:
    """The first of ``r``'s near-duplicates still in ``corpus/``, as the hit in its place."""
    for i, dup in enumerate(r.duplicates):
        path = index.path_of(dup)
        if not path or corpus.stamp(path) is None:
            continue
        try:
            art = corpus.read(path)
        except (FileNotFoundError, InputError):  # gone or damaged since: the next one
            continue
        return RawHit(id=art.id, title=art.title, day=art.date.isoformat() if art.date else None,
                      source=art.source, path=path, score=r.score,
                      duplicates=tuple(d for d in r.duplicates[i + 1:]), first_day=r.first_day)
    return None


def bare_hit(raw: RawHit, rank: int) -> Hit:
    """A hit without a snippet."""
    return Hit(id=raw.id, title=shown(raw.title).text, date=_day(raw.day), source=raw.source, score=raw.score,
               snippet=Snippet(""), path=f"corpus/{raw.path}", rank=rank, duplicates=raw.duplicates,
               first_published=_day(raw.first_day))


def _title_line(text: str, title: str) -> int:
    """Where the text goes on after its first line when that line is its title (a
    ``.txt`` file's title is its first line, an HTML page's its heading): 0 otherwise.

    >>> _title_line("Мовні табори\\n\\nУчні вивчали мову.", "Мовні табори")
    14
    """
    if not title or not text.startswith(title):
        return 0
    rest = text[len(title):]
    body = rest.lstrip()
    return len(text) - len(body) if rest[:1] == "\n" and body else 0


def damaged_note(paths: Sequence[str]) -> str:
    """The warning of hits whose stored file (``paths``, in ``corpus/``) could not be read."""
    n = len(paths)
    return (f"{n} hit{'s' if n != 1 else ''} listed without a snippet: the stored article file could not be read "
            f"({', '.join(f'corpus/{p}' for p in paths[:3])}{', …' if n > 3 else ''}); {ArticleDamaged.hint}")


def _hit(corpus: Corpus, raw: RawHit, matchers: tuple[Matcher, Matcher], rank: int, *,
         shared: dict[str, str] | None = None, placed: Placed | None = None, damaged: list[str] | None = None) -> Hit:
    """A hit with its snippet; ``matchers``: the query's in the title and in the body
    (:func:`field_matchers`); ``shared``: the key words to report when present, as
    :func:`_key_words` gives them;
    ``placed``: the stamp of the file the index read and where the query's lemmas stand;
    ``damaged`` gets the paths of hits whose file could not be read."""
    try:
        text = corpus.read_text(raw.path)
    except (OSError, InputError) as e:
        text = ""  # deleted or unreadable between the check in results() and now
        placed = None
        if damaged is not None and not isinstance(e, FileNotFoundError):  # (said, not a silent empty snippet)
            damaged.append(raw.path)
    # the snippet and the words matched come from the first MARKED_WORDS words (and
    # MARKED_CHARS characters), as what show and explain mark does: reading a 7.6 MB
    # article's million words took seconds
    end = marked_end(text)
    if end is not None:
        text = text[:end]
    title_matcher, matcher = matchers
    if placed is not None and corpus.as_indexed(raw.path, placed[0], corpus.stamp(raw.path)):
        found = matcher.find_placed(text, placed[1]["body"])
        in_title = title_matcher.find_placed(raw.title, placed[1]["title"])
    else:  # the file changed since it was indexed: analyze what it says now
        found = matcher.find(text)
        in_title = title_matcher.find(raw.title)
    lead = _title_line(text, raw.title)
    # (the snippet goes on from the title the hit shows above it, not through it again)
    snippet = best_snippet(text[lead:], matcher.analyzer, matcher.terms,
                           found=[(a - lead, b - lead, k) for a, b, k in found if a >= lead])
    title = shown(raw.title, [Span(a, b) for a, b, _ in in_title])
    # (word as written, query term), first occurrence of each, title first
    pairs = tuple(dict.fromkeys([(listed(raw.title[a:b]), k) for a, b, k in in_title]
                                + [(listed(text[a:b]), k) for a, b, k in found]))[:MAX_MATCHED]
    keys = [k for _, _, k in [*in_title, *found]] if shared else []
    return Hit(
        id=raw.id, title=title.text, date=_day(raw.day), source=raw.source, score=raw.score, snippet=snippet,
        path=f"corpus/{raw.path}", rank=rank, title_spans=title.spans, matched=pairs,
        duplicates=raw.duplicates, first_published=_day(raw.first_day), shared=_present(shared, keys),
    )


def _key_words(compiled: Compiled) -> dict[str, str]:
    """Each lemma a similar-articles query searched -> its key word, in the key words'
    order: a word written more ways than one (``проект``, ``проєкт``) searched each
    (see :attr:`searchkit.query.similar.KeyWords.readings`) and is shared once."""
    spelt = dict(compiled.readings)
    return {lemma: key for key in compiled.searched_as for lemma in (key, *spelt.get(key, ()))}


def _present(order: dict[str, str] | None, found: Iterable[str]) -> tuple[str, ...]:
    if not order:
        return ()
    have = {order[k] for k in found if k in order}
    return tuple(k for k in dict.fromkeys(order.values()) if k in have)
