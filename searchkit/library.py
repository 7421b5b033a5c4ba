"""The object users and both shells call: :class:`Engine`, one home of articles.

>>> eng = Engine.init("my-archive")                       # doctest: +SKIP
>>> eng.import_paths(["feed.jsonl"])                      # doctest: +SKIP
ImportReport(added=120, updated=0, unchanged=0, failed=0, ...)
>>> [h.title for h in eng.search("політв'язні", limit=3)] # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .analysis import Analyzer, Token
from .corpus import Corpus, article_filename
from .engine import RawHit, SearchIndex, prepare_document
from .errors import ArticleNotFound, HomeError, InputError, SearchkitError
from .formats import iter_input_files, parse_date, read_file
from .highlight import MatchTerms, best_snippet, highlight_all, matches
from .locking import HomeLock
from .models import Article, Hit, ImportReport, IndexReport, Results, Snippet, Span, Stats
from .query import parse_query
from .understand import plan_search

__all__ = ["Engine", "Progress"]

#: ``progress(done, total_or_None)``, called now and then during long work.
Progress = Callable[[int, int | None], None]
MAX_LIMIT = 1000


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except ValueError as e:
        raise SearchkitError(f"--{name}: {e}") from None


def _date_int(d: dt.date | None) -> int | None:
    return int(d.strftime("%Y%m%d")) if d else None


class Engine:
    """A searchkit home: ``corpus/`` (the articles) and ``index/`` (derived, rebuildable)."""

    def __init__(self, home: str | os.PathLike[str] = ".") -> None:
        self.home = Path(home)
        if not (self.home / "corpus").is_dir():
            raise HomeError(
                f"{self.home}: not a searchkit home (no corpus/ folder)",
                hint=f"run `searchkit init {self.home}` or pass --home",
            )
        self.corpus = Corpus(self.home / "corpus")
        self.analyzer = Analyzer()
        self.lock = HomeLock(self.home / ".searchkit.lock")
        self._index = SearchIndex(self.home / "index", self.analyzer)

    @classmethod
    def init(cls, home: str | os.PathLike[str]) -> Engine:
        """Create an empty home (``corpus/``) at ``home`` and open it."""
        path = Path(home)
        try:
            (path / "corpus").mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise HomeError(f"{path}: cannot create ({e.strerror})") from None
        return cls(path)

    # -- importing ------------------------------------------------------------------------
    def import_paths(self, paths: Iterable[str | os.PathLike[str]], *, index: bool = True,
                     progress: Progress | None = None) -> ImportReport:
        """Import ``.txt``/``.jsonl``/``.csv`` files or folders into ``corpus/``.

        Unchanged articles are skipped, an article with a known id and new content replaces
        the old one, and bad records are counted and reported (file and line) while the rest
        goes on. With ``index=True`` the index is updated in the same run.
        """
        report = ImportReport()
        with self.lock:
            for item in iter_input_files([Path(p) for p in paths]):
                if isinstance(item, InputError):
                    report.failed += 1
                    report.errors.append(str(item))
                    continue
                for rec in read_file(item):
                    if isinstance(rec, InputError):
                        report.failed += 1
                        report.errors.append(str(rec))
                        continue
                    try:
                        outcome = self.corpus.put(rec)
                    except OSError as e:
                        report.failed += 1
                        report.errors.append(f"{item}: cannot store article {rec.id!r}: {e.strerror or e}")
                        continue
                    if outcome == "unchanged":
                        report.unchanged += 1
                    else:
                        setattr(report, outcome, getattr(report, outcome) + 1)
                        report.changed_ids.append(rec.id)
                    if progress:
                        progress(report.added + report.updated + report.unchanged + report.failed, None)
            if report.changed_ids:
                self.corpus.sync()
            if index and (report.changed_ids or self._index.needs_rebuild()):
                self._index_changed(report.changed_ids)
        return report

    def _index_changed(self, ids: list[str]) -> None:
        if self._index.needs_rebuild():
            self._rebuild(IndexReport(), None)
            return
        docs = (self._prepare(article_filename(i)) for i in dict.fromkeys(ids))
        self._index.apply(d for d in docs if d is not None)

    def _prepare(self, relpath: str, report: IndexReport | None = None) -> dict[str, Any] | None:
        path = self.corpus.root / relpath
        try:
            st = path.stat()
            article = self.corpus.read(relpath)
        except FileNotFoundError:
            return None
        except InputError as e:
            if report is not None:
                report.failed += 1
                report.errors.append(str(e))
            return None
        return prepare_document(article, self.analyzer, relpath, f"{st.st_mtime_ns}-{st.st_size}")

    # -- indexing -------------------------------------------------------------------------
    def index(self, *, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
        """Bring the index in line with ``corpus/``: add new and changed articles, drop
        deleted ones. ``rebuild=True`` builds a fresh index and swaps it in when done."""
        report = IndexReport()
        with self.lock:
            if rebuild or self._index.needs_rebuild():
                self._rebuild(report, progress)
                return report
            indexed = self._index.indexed()
            by_path = {path: (art_id, stamp) for art_id, (path, stamp) in indexed.items()}
            seen: set[str] = set()
            changed: list[str] = []
            for f in self.corpus.scan():
                seen.add(f.relpath)
                old = by_path.get(f.relpath)
                if old is None or old[1] != f.stamp:
                    changed.append(f.relpath)
            deletes = [art_id for path, (art_id, _) in by_path.items() if path not in seen]

            def docs() -> Iterator[dict[str, Any]]:
                for relpath in changed:
                    doc = self._prepare(relpath, report)
                    if doc is None:
                        continue
                    old = by_path.get(relpath)
                    if old is not None and old[0] != doc["id"]:
                        deletes_extra.append(old[0])
                    yield doc

            deletes_extra: list[str] = []
            if changed or deletes:
                n_up, n_del = self._index.apply(docs(), deletes, progress=progress, total=len(changed))
                if deletes_extra:
                    self._index.apply((), deletes_extra)
                report.indexed, report.deleted = n_up, n_del + len(deletes_extra)
        return report

    def _rebuild(self, report: IndexReport, progress: Progress | None) -> None:
        files = list(self.corpus.scan())

        def docs() -> Iterator[dict[str, Any]]:
            for f in files:
                doc = self._prepare(f.relpath, report)
                if doc is not None:
                    yield doc

        report.indexed = self._index.rebuild(docs(), total=len(files), progress=progress)
        report.rebuilt = True

    def ensure_index(self, progress: Progress | None = None) -> bool:
        """Build the index if there is none (or it is from another analyzer version).
        Returns ``True`` when it had to build."""
        if not self._index.needs_rebuild():
            return False
        with self.lock:
            if self._index.needs_rebuild():  # another process may have built it meanwhile
                self._rebuild(IndexReport(), progress)
                return True
        return False

    # -- searching ------------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 10, page: int = 1,
               since: dt.date | str | None = None, until: dt.date | str | None = None,
               source: str | None = None, sort: str = "relevance", exact: bool = False) -> Results:
        """Search; all words must match (see :mod:`searchkit.query` for the language).

        When nothing matches, a word no article contains is taken for a typo: the query is
        searched with its closest indexed correction and ``corrected_query`` says so.
        Latin words are also searched as the Cyrillic words they spell (``searched_as``).
        ``exact=True`` turns off correction and transliteration.

        >>> Engine("archive").search("мовні табори", limit=5, sort="date")  # doctest: +SKIP
        """
        t0 = time.perf_counter()
        if sort not in ("relevance", "date"):
            raise SearchkitError(f"unknown sort {sort!r}: use relevance or date")
        if not 1 <= limit <= MAX_LIMIT:
            raise SearchkitError(f"limit must be between 1 and {MAX_LIMIT}")
        if page < 1:
            raise SearchkitError("page must be 1 or more")
        d_since, d_until = _as_date(since, "since"), _as_date(until, "until")
        parsed = parse_query(query)
        self.ensure_index()
        filters: dict[str, Any] = {"since": _date_int(d_since), "until": _date_int(d_until), "source": source}
        plan = plan_search(self._index, self.analyzer, parsed, exact=exact, **filters)
        total, raw = self._index.search(plan.compiled, limit=limit, offset=(page - 1) * limit, sort=sort,
                                        **filters)
        terms = plan.compiled.terms
        hits = tuple(self._hit(r, terms, (page - 1) * limit + i + 1) for i, r in enumerate(raw))
        return Results(
            query=query, total=total, hits=hits, page=page, limit=limit,
            elapsed_ms=(time.perf_counter() - t0) * 1000, warnings=parsed.warnings,
            searched_as=plan.compiled.searched_as, suggestion=plan.suggestion,
            corrected_query=plan.corrected_query,
        )

    def _hit(self, raw: RawHit, terms: MatchTerms, rank: int) -> Hit:
        try:
            text = self.corpus.read(raw.path).text
        except (OSError, InputError):
            text = ""  # deleted since indexed: still list it, without a snippet
        snippet = best_snippet(text, self.analyzer, terms)
        body_matches = matches(self.analyzer.analyze(text), terms) if terms else []
        pairs = dict.fromkeys((text[t.start : t.end], key) for t, key in body_matches)
        title_spans = tuple(Span(t.start, t.end) for t, _ in matches(self.analyzer.analyze(raw.title), terms))
        return Hit(
            id=raw.id, title=raw.title, date=dt.date.fromisoformat(raw.day) if raw.day else None,
            source=raw.source, score=raw.score, snippet=snippet, path=f"corpus/{raw.path}", rank=rank,
            title_spans=title_spans, matched=tuple(list(pairs)[:20]),
        )

    # -- articles -------------------------------------------------------------------------
    def get(self, article_id: str) -> Article:
        """The stored article with ``article_id`` (:class:`ArticleNotFound` if none)."""
        article = self.corpus.get(article_id)
        if article is None and self._index.exists():
            path = self._index.path_of(article_id)
            if path:
                article = self.corpus.read(path)
        if article is None or article.id != article_id:
            raise ArticleNotFound(f"no article with id {article_id!r}", hint="`searchkit search` lists ids")
        return article

    def highlight(self, article: Article, query: str | None) -> tuple[Snippet, Snippet]:
        """The title and the full text of ``article`` with ``query``'s matches marked."""
        if not query:
            return Snippet(article.title), Snippet(article.text)
        self.ensure_index()
        terms = self._index.compile(parse_query(query)).terms
        return highlight_all(article.title, self.analyzer, terms), highlight_all(article.text, self.analyzer, terms)

    def delete(self, ids: Iterable[str]) -> int:
        """Remove articles from ``corpus/`` and the index; returns how many existed."""
        ids = list(ids)
        with self.lock:
            n = sum(self.corpus.delete(i) for i in ids)
            if self._index.exists() and not self._index.needs_rebuild():
                self._index.apply((), ids)
        return n

    def analyze(self, text: str) -> list[Token]:
        """Tokens of ``text`` as the index sees them (form and lemmas per word)."""
        return self.analyzer.analyze(text)

    def stats(self) -> Stats:
        """Counts, date range, sources, index size and whether the index is up to date."""
        files = {f.relpath: f.stamp for f in self.corpus.scan()}
        if not self._index.exists():
            return Stats(0, {}, None, None, 0, False, len(files), 0)
        sources: dict[str, int] = {}
        days = []
        undated = 0
        fresh = not self._index.needs_rebuild()
        seen = 0
        for f in self._index.stored():
            seen += 1
            if f.get("source"):
                sources[f["source"]] = sources.get(f["source"], 0) + 1
            if f.get("day"):
                days.append(f["day"])
            else:
                undated += 1
            if fresh and files.get(f.get("path", "")) != f.get("stamp"):
                fresh = False
        fresh = fresh and seen == len(files)
        return Stats(
            articles=seen, sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=dt.date.fromisoformat(min(days)) if days else None,
            last_date=dt.date.fromisoformat(max(days)) if days else None,
            index_bytes=self._index.size_bytes(), index_up_to_date=fresh, corpus_articles=len(files),
            undated=undated,
        )

    def close(self) -> None:
        self._index.close()
