"""The index on an OpenSearch cluster: a :class:`searchkit.backends.base.Index`, as the embedded one.

Layout on the cluster: an alias (``searchkit`` or the one named in the URL) points at one
concrete index ``ALIAS-g<time>``. ``index --rebuild`` fills a new concrete index and moves
the alias to it in one atomic ``_aliases`` call, so searches never see a half-built index;
the old one is deleted afterwards. The analyzer version and lexicon the index was built
with live in its mapping's ``_meta``, so a home rebuilds when they change, as with Whoosh.

Writes go in bulk requests of bounded size. Back-pressure: items the cluster rejects with
429 (its write queue is full) are sent again after an exponential pause, and a request that
fails on the connection (a node went away) is sent again to another node; every item is an
index or delete by article id, so sending one twice never duplicates an article.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from ...errors import IndexError_, NoIndex, QueryError, SearchkitError
from ...query import budget, limits
from ...query import parse as q
from ...text import dedup
from ...text.analysis import ANALYZER_VERSION, Analyzer
from ...text.highlight import MatchTerms
from .. import IndexConfig
from ..base import (
    INDEX_FORMAT,
    Capability,
    Compiled,
    IndexMeta,
    IndexStatus,
    Placed,
    Progress,
    Ranking,
    RawContribution,
    RawExplanation,
    RawResults,
    SideWriter,
    status_of,
)
from . import archive as osarchive
from . import groups as osgroups
from . import query as osquery
from .query import OS_FORMAT, STORED, Compiler, OSQuery, dsl_tree, filtered, index_body, to_source

__all__ = ["OpenSearchIndex"]

BULK_DOCS = 500
BULK_BYTES = 8 * 1024 * 1024
#: How long a bulk chunk keeps being retried (cluster busy or a node restarting).
RETRY_FOR = 180.0
META_TTL = 2.0
VOCAB_TTL = 5.0


def _client_module() -> Any:
    try:
        import opensearchpy
    except ImportError:
        raise SearchkitError(
            "the opensearch backend needs the opensearch-py client",
            hint="pip install 'searchkit[opensearch]'",
        ) from None
    # The client logs each failed request with a traceback; searchkit reports failures
    # itself, in one line, so keep those records away from Python's last-resort handler.
    logging.getLogger("opensearch").addHandler(logging.NullHandler())
    return opensearchpy


class OpenSearchIndex:
    """A home's index on a cluster (see the module docstring)."""

    #: no second writer process, no positions of query lemmas in hits, no local word list
    capabilities: frozenset[Capability] = frozenset()

    def __init__(self, config: IndexConfig, analyzer: Analyzer, lexicon_hash: str = "",
                 ranking: Ranking | None = None) -> None:
        self.config = config
        self.analyzer = analyzer
        self.lexicon_hash = lexicon_hash
        self.ranking = ranking or Ranking()
        self._vocab: dict[tuple[str, str], tuple[float, Any]] = {}
        self.hosts, self.alias = config.hosts_and_alias()
        self._os = _client_module()
        self._client: Any = None
        self._meta_cache: tuple[float, str | None, IndexMeta | None] | None = None
        self._mutex = threading.Lock()
        self.groups = osgroups.Keeper(self)
        self._bounded_client: Any = None
        self._late = threading.local()  # words not looked up past this thread's deadline

    # -- the connection -------------------------------------------------------------------
    @property
    def client(self) -> Any:
        """The client; within a search (see :mod:`searchkit.query.budget`), :attr:`bounded`."""
        if budget.answer_left() is not None:
            return self.bounded
        if self._client is None:
            self._client = self._os.OpenSearch(
                hosts=self.hosts, timeout=30, max_retries=3, retry_on_timeout=True,
                retry_on_status=(502, 503, 504), http_compress=True,
            )
        return self._client

    @property
    def bounded(self) -> Any:
        """The client for a search's requests: each one has at most the search's 2 s (the
        count and the search itself what is left of them, see :func:`budget.answer_left`),
        and one that times out is not sent again (the other client's 30 s and three
        retries would keep a search waiting on a node that hangs for two minutes)."""
        if self._bounded_client is None:
            self._bounded_client = self._os.OpenSearch(
                hosts=self.hosts, timeout=budget.ANSWER_SECONDS, max_retries=1, retry_on_timeout=False,
                retry_on_status=(502, 503, 504), http_compress=True,
            )
        return self._bounded_client

    def _call(self, what: str, fn: Callable[[], Any], *, query: bool = False) -> Any:
        """Run one client call; connection and server failures become searchkit errors
        (a bad request made from a user's query is a :class:`QueryError`)."""
        try:
            return fn()
        except self._os.NotFoundError:
            raise
        except self._os.RequestError as e:
            if query:
                raise QueryError(f"the cluster cannot run this query: {_reason(e)}") from None
            raise IndexError_(f"OpenSearch refused {what}: {e.status_code} {_reason(e)}") from None
        except self._os.ConnectionError as e:
            if query and isinstance(e, self._os.ConnectionTimeout):  # a search's query, given its time
                raise QueryError(f"the cluster did not answer within {budget.ANSWER_SECONDS:g} s; "
                                 "narrow the query") from None
            raise IndexError_(f"cannot reach OpenSearch at {', '.join(self.hosts)} ({what}): {e.info or e}",
                              hint="is the cluster running? (scripts/opensearch-up starts a local one)") from None
        except self._os.TransportError as e:
            raise IndexError_(f"OpenSearch refused {what}: {e.status_code} {_reason(e)}") from None

    def request(self, what: str, fn: Callable[[], Any]) -> Any:
        """One client call (see :meth:`_call`), for the backend's other modules."""
        return self._call(what, fn)

    def refresh(self) -> None:
        """Make what was written visible to searches."""
        name = self._require()
        self._call("refreshing", lambda: self.client.indices.refresh(index=name))

    def remove_leftovers(self) -> None:
        """A killed writer leaves no files in the home (the embedded index's generations
        and temporary files are its own), but maybe groups of near-duplicates behind its
        documents: those are brought up to date (see :meth:`.osgroups.Keeper.recover`)."""
        if self._meta()[0] is not None:
            self.groups.recover()

    @property
    def query_seconds(self) -> float:
        """Longer than the embedded index's: each step is a request over the network."""
        return budget.CLUSTER_QUERY_SECONDS

    @contextlib.contextmanager
    def pinned(self) -> Iterator[None]:
        """One search's reads (see :meth:`searchkit.backends.whoosh.SearchIndex.pinned`): a cluster
        has no per-process state to pin; each request reads the alias's newest state."""
        yield

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- generations (concrete indices behind the alias) -----------------------------------
    def _current(self) -> str | None:
        try:
            res = self._call("reading the alias", lambda: self.client.indices.get_alias(name=self.alias))
        except self._os.NotFoundError:
            return None
        names = sorted(res)
        return names[-1] if names else None

    def current_generation(self) -> str | None:
        return self._current()

    def exists(self) -> bool:
        return self._meta()[0] is not None

    def _meta(self) -> tuple[str | None, IndexMeta | None]:
        cached = self._meta_cache
        if cached is not None and time.monotonic() - cached[0] < META_TTL:
            return cached[1], cached[2]
        name = self._current()
        meta = None
        if name is not None:
            try:
                res = self._call("reading the mapping", lambda: self.client.indices.get_mapping(index=name))
                data = res[name]["mappings"].get("_meta", {}).get("searchkit", {})
                meta = IndexMeta(str(data["analyzer"]), str(data["format"]), str(data.get("lexicon", "")))
            except (self._os.NotFoundError, KeyError, TypeError):
                meta = None
        self._meta_cache = (time.monotonic(), name, meta)
        return name, meta

    def meta(self) -> IndexMeta | None:
        return self._meta()[1]

    def expected_meta(self) -> IndexMeta:
        return IndexMeta(ANALYZER_VERSION, f"{INDEX_FORMAT}+os{OS_FORMAT}", self.lexicon_hash)

    def status(self) -> IndexStatus:
        name, meta = self._meta()
        if name is None:
            return IndexStatus.MISSING
        return status_of(meta, self.expected_meta())

    def needs_rebuild(self) -> bool:
        return self.status() is not IndexStatus.CURRENT

    def rebuild_reason(self) -> str | None:
        """Why the index must be rebuilt before use, in words; ``None`` when it is current."""
        name, meta = self._meta()
        status = IndexStatus.MISSING if name is None else status_of(meta, self.expected_meta())
        if status is IndexStatus.UNREADABLE:
            return f"the index {name!r} on the cluster is not a searchkit index"
        return status.reason

    def _require(self) -> str:
        """The alias to read and write through, once it is known to exist. Never the concrete
        index: a rebuild in another process may have replaced it a moment ago."""
        name, _ = self._meta()
        if name is None:
            raise NoIndex(f"there is no index {self.alias!r} on the cluster yet")
        return self.alias

    def size_bytes(self) -> int:
        name = self._current()
        if name is None:
            return 0
        res = self._call("reading index stats", lambda: self.client.indices.stats(index=name, metric="store"))
        return int(res["_all"]["primaries"]["store"]["size_in_bytes"])

    def _replicas(self) -> int:
        if self.config.replicas is not None:
            return self.config.replicas
        health = self._call("reading cluster health", lambda: self.client.cluster.health())
        return 1 if int(health.get("number_of_data_nodes", 1)) > 1 else 0

    # -- writing --------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[dict[str, Any]], *, total: int | None = None,
                progress: Progress | None = None, side: SideWriter | None = None) -> int:
        """Fill a new concrete index from ``docs`` and move the alias to it when complete.
        (``side``, a second writing process, is for the embedded index: the cluster spreads
        the work itself.)"""
        name = f"{self.alias}-g{time.time_ns() // 1000:016d}"
        body = index_body(self.expected_meta().to_json(), shards=self.config.shards, replicas=self._replicas(),
                          k1=self.ranking.k1, b=self.ranking.b)
        body["settings"]["index"]["refresh_interval"] = "-1"  # one refresh at the end
        self._call("creating an index", lambda: self.client.indices.create(index=name, body=body))
        sigs: dict[str, bytes] = {}

        def signed() -> Iterator[tuple[dict[str, Any] | None, str | None]]:
            for doc in docs:
                if doc.get("sig"):
                    sigs[doc["id"]] = doc["sig"]
                yield doc, None

        try:
            n, _ = self._bulk(name, signed(), progress=progress, total=total)
            # the groups before the alias moves: the new index serves folded from its first search
            osgroups.regroup_all(self, name, sigs)
            self._call("finishing the index", lambda: self.client.indices.put_settings(
                index=name, body={"index": {"refresh_interval": None}}))
            self._call("refreshing", lambda: self.client.indices.refresh(index=name))
            self._wait_ready(name)
            # one atomic call: searches see the old index or the new one, never neither
            actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": self.alias}}]
            actions += [{"remove": {"index": o, "alias": self.alias}}
                        for o, live in self._generations().items() if live and o != name]
            self._call("switching the alias", lambda: self.client.indices.update_aliases(body={"actions": actions}))
        except BaseException:
            self._drop(name)
            raise
        self._meta_cache = None
        self._vocab.clear()
        self.groups.forget()
        for o, live in self._generations().items():
            if o != name and not live:
                self._drop(o)
        if progress:
            progress(n, total)
        return n

    def _generations(self) -> dict[str, bool]:
        """Concrete indices of this alias: ``{name: the alias points at it}``. Those it does
        not point at are left from an interrupted rebuild or an old generation."""
        try:
            res = self._call("listing indices", lambda: self.client.indices.get(index=f"{self.alias}-g*"))
        except self._os.NotFoundError:
            return {}
        return {n: self.alias in v.get("aliases", {}) for n, v in sorted(res.items())}

    def _drop(self, name: str) -> None:
        try:
            self.client.indices.delete(index=name)
        except Exception:  # best effort: an orphan is removed by the next rebuild
            pass

    def _wait_ready(self, name: str) -> None:
        """Wait until every primary is started (replicas may still be copying)."""
        # The client takes a ``timeout`` parameter for its own request timeout unless
        # ``request_timeout`` is given as well; only then does ``timeout`` reach the server.
        self._call("waiting for the index", lambda: self.client.cluster.health(
            index=name, params={"wait_for_status": "yellow", "timeout": "60s", "request_timeout": 90}))

    def regroup_deferred(self) -> None:
        """Bring the near-duplicate groups up to date with the updates applied with
        ``regroup=False`` since the last regrouping."""
        self.groups.regroup_deferred()

    def apply(self, updates: Iterable[dict[str, Any]], deletes: Iterable[str] = (),
              *, progress: Progress | None = None, total: int | None = None,
              regroup: bool = True, side: SideWriter | None = None) -> tuple[int, int]:
        """Add or replace ``updates`` and remove ``deletes`` (ids); visible when it returns.

        Near-duplicate groups are brought up to date after the write (see
        :mod:`.groups`), or, with ``regroup=False``, at :meth:`regroup_deferred`. (``side``,
        a second writing process, is for the embedded index.)"""
        name = self._require()
        self.groups.before_write()
        changed: dict[str, None] = {}
        deletes = list(deletes)

        def ops() -> Iterator[tuple[dict[str, Any] | None, str | None]]:
            for art_id in deletes:
                yield None, art_id
            for doc in updates:
                changed[doc["id"]] = None
                yield doc, None

        n_up, n_del = self._bulk(name, ops(), progress=progress, total=total)
        self.refresh()
        self._vocab.clear()
        self.groups.written(changed, deletes)
        if regroup:
            self.groups.regroup_deferred()
        return n_up, n_del

    def update_fields(self, index: str, fields: dict[str, dict[str, Any]]) -> None:
        """Set ``fields`` (``{id: {field: value}}``) on indexed documents by partial
        updates; a document deleted meanwhile is skipped."""
        chunk: list[tuple[str, str, str | None]] = []
        for art_id, values in fields.items():
            chunk.append((art_id, json.dumps({"update": {"_id": art_id}}, ensure_ascii=False),
                          json.dumps({"doc": values}, ensure_ascii=False)))
            if len(chunk) >= BULK_DOCS:
                self._send(index, chunk, [0, 0, 0])
                chunk = []
        if chunk:
            self._send(index, chunk, [0, 0, 0])

    def _bulk(self, index: str, ops: Iterable[tuple[dict[str, Any] | None, str | None]],
              *, progress: Progress | None, total: int | None) -> tuple[int, int]:
        """Send index (doc) and delete (id) operations in bounded chunks; returns
        ``(indexed, deleted)``."""
        chunk: list[tuple[str, str, str | None]] = []  # (id, action line, source line)
        size = 0
        done = [0, 0, 0]  # indexed, deleted, updated
        for doc, del_id in ops:
            if doc is not None:
                src = json.dumps(to_source(doc), ensure_ascii=False)
                chunk.append((doc["id"], json.dumps({"index": {"_id": doc["id"]}}, ensure_ascii=False), src))
                size += len(src)
            else:
                assert del_id is not None
                chunk.append((del_id, json.dumps({"delete": {"_id": del_id}}, ensure_ascii=False), None))
            if len(chunk) >= BULK_DOCS or size >= BULK_BYTES:
                self._send(index, chunk, done)
                chunk, size = [], 0
                if progress:
                    progress(done[0], total)
        if chunk:
            self._send(index, chunk, done)
        return done[0], done[1]

    def _send(self, index: str, chunk: list[tuple[str, str, str | None]], done: list[int]) -> None:
        """One chunk until every item is in: rejected items (429) and lost connections are
        retried with growing pauses; any other item error fails the write."""
        pending = chunk
        pause = 0.5
        deadline = time.monotonic() + RETRY_FOR
        while pending:
            body = "".join(a + "\n" + (s + "\n" if s is not None else "") for _, a, s in pending)
            try:
                res = self.client.bulk(body=body, index=index, params={"timeout": "60s", "request_timeout": 90})
            except (self._os.ConnectionError, self._os.ConnectionTimeout) as e:
                if time.monotonic() > deadline:
                    raise IndexError_(f"cannot reach OpenSearch at {', '.join(self.hosts)}: {e.info or e}",
                                      hint="the import can be resumed with `searchkit index`") from None
                time.sleep(pause)
                pause = min(pause * 2, 10.0)
                continue
            except self._os.TransportError as e:
                if e.status_code in (429, 502, 503, 504) and time.monotonic() < deadline:
                    time.sleep(pause)
                    pause = min(pause * 2, 10.0)
                    continue
                raise IndexError_(f"OpenSearch refused a bulk write: {e.status_code} {_reason(e)}") from None
            retry = []
            for item, op in zip(res["items"], pending, strict=True):
                kind, result = next(iter(item.items()))
                status = int(result.get("status", 500))
                if status < 300:
                    done[{"index": 0, "delete": 1}.get(kind, 2)] += 1
                elif kind in ("delete", "update") and status == 404:
                    pass  # was not indexed (or deleted since): nothing to remove or change
                elif status in (429, 503) or status >= 500:
                    retry.append(op)  # back-pressure or a shard moving: send it again
                else:
                    raise IndexError_(f"OpenSearch rejected article {op[0]!r}: {status} {result.get('error')}")
            if retry and time.monotonic() > deadline:
                raise IndexError_(f"OpenSearch kept rejecting {len(retry)} writes for {RETRY_FOR:.0f} s",
                                  hint="the cluster is overloaded; `searchkit index` resumes the import")
            if retry:
                time.sleep(pause)
                pause = min(pause * 2, 10.0)
            pending = retry

    # -- reading stored fields ------------------------------------------------------------
    def scan(self, fields: list[str], query: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """``fields`` of every indexed article (that ``query`` matches), in pages
        (search_after on the id): from doc values when they all have them, else ``_source``."""
        name = self._require()
        after: list[Any] | None = None
        columns = osquery.DOC_VALUES.issuperset(fields)
        while True:
            body: dict[str, Any] = {"size": 2000, "sort": [{"id": "asc"}], "query": query or {"match_all": {}}}
            if columns:  # no stored field at all: no block of compressed documents is read
                body.update(_source=False, stored_fields="_none_", docvalue_fields=fields)
            else:
                body["_source"] = fields
            if after is not None:
                body["search_after"] = after
            res = self._call("reading stored fields", partial(self.client.search, index=name, body=body))
            hits = res["hits"]["hits"]
            for h in hits:
                if columns:
                    got = h.get("fields", {})
                    yield {f: v if f in osquery.MULTI_VALUED else v[0] for f, v in got.items()}
                else:
                    yield h["_source"]
            if len(hits) < 2000:
                return
            after = hits[-1]["sort"]

    def indexed(self) -> dict[str, tuple[str, str]]:
        return {s["id"]: (s.get("path", ""), s.get("stamp", "")) for s in self.scan(["id", "path", "stamp"])}

    def stored(self) -> Iterator[dict[str, Any]]:
        for s in self.scan(STORED):
            s["title"] = s.pop("title_text", "")
            yield s

    def doc_count(self) -> int:
        name = self._require()
        return int(self._call("counting", lambda: self.client.count(index=name))["count"])

    def path_of(self, article_id: str) -> str | None:
        name = self._require()
        try:
            res = self._call("reading an article", lambda: self.client.get(index=name, id=article_id,
                                                                          _source_includes="path"))
        except self._os.NotFoundError:
            return None
        path = res.get("_source", {}).get("path")
        return str(path) if path else None

    # -- querying -------------------------------------------------------------------------
    def compile(self, parsed: q.ParsedQuery, *, translit: bool = True, families: bool = True) -> Compiled:
        """Turn a parsed query into the query DSL (see :class:`.osquery.Compiler`)."""
        c = Compiler(self.analyzer, parsed, self, self.ranking, translit=translit, families=families)
        self._late.words = 0
        dsl = c.run()
        lemmas, forms = set(c.lemmas), set(c.forms)
        if c.fuzzy:
            for fld, text, reached in self._expand_fuzzy(c.fuzzy):
                (forms if fld == "forms" else lemmas).update(reached | {text})
        terms = MatchTerms(frozenset(lemmas), frozenset(forms), tuple(c.prefixes))
        cut = ((f"stopped after {budget.seconds():g} s: {self._late.words} look-ups of the words' other spellings "
                "and frequencies were left out; narrow the query",) if self._late.words else ())
        return Compiled(OSQuery(dsl, tuple(c.parts)), terms, tuple(dict.fromkeys(c.searched_as.values())),
                        tuple(c.readings.items()), cut=cut)

    def compile_relaxed(self, parsed: q.ParsedQuery, strict: Compiled, *, translit: bool = True,
                        families: bool = True) -> Compiled | None:
        """The partial matches of ``parsed`` (see :meth:`.osquery.Compiler.run_relaxed`)."""
        c = Compiler(self.analyzer, parsed, self, self.ranking, translit=translit, families=families)
        dsl = c.run_relaxed(strict.query.dsl)
        if dsl is None:
            return None
        return Compiled(OSQuery(dsl, tuple(c.parts)), strict.terms, strict.searched_as, strict.readings)

    def _expand_fuzzy(self, items: list[tuple[str, str, int]]) -> Iterator[tuple[str, str, set[str]]]:
        """The indexed terms each fuzzy word reaches (for highlighting), from term suggesters."""
        name = self._require()
        suggest = {
            f"f{i}": {"text": text, "term": {
                "field": fld, "analyzer": "sk_forms", "max_edits": edits, "prefix_length": 1,
                "min_word_length": 1, "suggest_mode": "always", "size": limits.MAX_EXPANSION,
                "max_term_freq": 1.0,
                "min_doc_freq": 0, "string_distance": "levenshtein", "sort": "frequency"}}
            for i, (fld, text, edits) in enumerate(items)
        }
        res = self._call("expanding fuzzy words", lambda: self.client.search(
            index=name, body={"size": 0, "suggest": suggest}))
        for i, (fld, text, _) in enumerate(items):
            reached = {o["text"] for entry in res.get("suggest", {}).get(f"f{i}", []) for o in entry["options"]}
            yield fld, text, reached

    def search(self, compiled: Compiled, *, limit: int, offset: int = 0, since: int | None = None,
               until: int | None = None, source: str | None = None, sort: str = "relevance",
               collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
               exclude: Iterable[str] = ()) -> RawResults:
        """One page of hits. With ``collapse`` each group of near-duplicates that matched is
        one hit, its best-ranked member, with the others as its duplicates (see
        :func:`.osgroups.folded`); ``facets`` are counted over every match; ``arrived_after``
        keeps the articles written since; ``exclude`` ids never match."""
        names = list(dict.fromkeys(facets))
        aggs = osarchive.facet_aggs(names)
        name = self._require()
        dsl = osarchive.restricted(filtered(compiled.query.dsl, since, until, source), arrived_after, exclude)
        body: dict[str, Any] = {"query": dsl, "from": offset,
                                "size": limit, "track_total_hits": True, "_source": STORED}
        if sort == "date":
            body["sort"] = [{"date": "desc"}, "_score", {"id": "asc"}]
        if collapse:
            body["collapse"] = {"field": "group"}
            aggs.update(osgroups.group_count_aggs())
        if aggs:
            body["aggs"] = aggs
        res = self.searched(name, body, bounded=True)
        matched = int(res["hits"]["total"]["value"])
        total, copies = osgroups.folded(self, name, body, res) if collapse else (matched, {})
        cut = (budget.cut_note(matched),) if res.get("timed_out") else ()
        return RawResults(total=total, matched=matched, hits=[osgroups.raw_hit(h, copies) for h in res["hits"]["hits"]],
                          facets=osarchive.facet_counts(names, res.get("aggregations", {})), cut=cut)

    def searched(self, name: str, body: dict[str, Any], *, what: str = "searching", dfs: bool = True,
                 bounded: bool = False) -> Any:
        """The answer to one search request on ``name`` (``dfs``: scored with the whole
        index's term statistics, not each shard's, so the ranking does not depend on how
        articles fall into shards; ``bounded``: within what is left of the search's time,
        the shards stopping at it and saying so)."""
        kwargs: dict[str, Any] = {"search_type": "dfs_query_then_fetch"} if dfs else {}
        params: dict[str, Any] = {"allow_partial_search_results": "false"}
        seconds = budget.answer_left() if bounded else None
        if seconds is not None:
            body["timeout"] = f"{int(seconds * 1000)}ms"
            params = {"allow_partial_search_results": "true", "request_timeout": seconds + 0.3}
        try:
            res = self._call(what, lambda: self.client.search(index=name, body=body, params=params, **kwargs),
                             query=True)
        except self._os.NotFoundError:
            self._meta_cache = None
            raise NoIndex(f"there is no index {self.alias!r} on the cluster") from None
        if res.get("_shards", {}).get("failed"):  # partial results are for time only, never for failures
            raise IndexError_(f"OpenSearch could not search every shard: {_reason(res['_shards'])}")
        return res

    def msearched(self, name: str, lines: list[dict[str, Any]], *, what: str) -> list[dict[str, Any]]:
        """The answers to a multi-search on ``name`` (header and body lines), one per search."""
        res = self._call(what, lambda: self.client.msearch(index=name, body=lines), query=True)
        out: list[dict[str, Any]] = res["responses"]
        for r in out:
            if "error" in r:
                raise IndexError_(f"OpenSearch failed at {what}: {_reason(r)}")
        return out

    def clusters(self) -> dedup.Clusters:
        """The groups of near-duplicates as the documents hold them (see :class:`.osgroups.Keeper`)."""
        self._require()
        return self.groups.clusters()

    def similar_query(self, body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int, *,
                      copies: int = 1, min_shared: int = 3) -> Compiled | None:
        """A query for articles about the same thing as a text (see :func:`.osarchive.similar_query`)."""
        return osarchive.similar_query(self, body, title, n, copies=copies, min_shared=min_shared)

    def last_arrival(self) -> int:
        """When the newest indexed article arrived (ns), 0 for an empty index."""
        res = self.searched(self._require(), {"size": 0, "aggs": {"last": {"max": {"field": "arrived"}}}},
                            what="reading the last arrival", dfs=False)
        return int(res["aggregations"]["last"].get("value") or 0)

    def matched_ids(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
                    source: str | None = None, within: set[str] | None = None) -> set[str]:
        """Ids of every article the query matches (only those in ``within``, if given)."""
        dsl = filtered(compiled.query.dsl, since, until, source)
        if within is None:
            return {str(s["id"]) for s in self.scan(["id"], dsl)}
        wanted = sorted(within)
        step = osgroups.BAND_CHUNK
        return {str(s["id"]) for start in range(0, len(wanted), step) for s in self.scan(
            ["id"], {"bool": {"must": [dsl], "filter": [{"terms": {"id": wanted[start : start + step]}}]}})}

    # Without Capability.PLACED and Capability.VOCABULARY: hits are highlighted by analyzing
    # their texts, and words are looked up on the cluster one request at a time.
    def placed(self, ids: Sequence[str], lemmas: Iterable[str]) -> dict[str, Placed]:
        return {}

    def vocabulary(self) -> list[str]:
        return []

    # -- vocabulary: spelling corrections and transliteration --------------------------------
    # Each answer costs a request; a typed word's correction or transliteration asks many
    # times about the same words, so answers are kept for a moment (and dropped on writes).

    def _cached(self, key: tuple[str, str], fn: Callable[[], Any], unknown: Any) -> Any:
        """``fn()``, kept for a moment; past the search's deadline a word not looked up yet
        is ``unknown`` (absent: no other spelling, relative or correction is added for it),
        counted for the search's note."""
        hit = self._vocab.get(key)
        if hit is not None and time.monotonic() - hit[0] < VOCAB_TTL:
            return hit[1]
        if budget.passed():
            self._late.words = getattr(self._late, "words", 0) + 1
            return unknown
        value = fn()
        if len(self._vocab) > 50_000:
            self._vocab.clear()
        self._vocab[key] = (time.monotonic(), value)
        return value

    def _hits(self, query: dict[str, Any]) -> int:
        name = self._require()
        res = self._call("counting", lambda: self.client.count(index=name, body={"query": query}))
        return int(res["count"])

    def doc_frequency(self, field: str, term: str) -> int:
        return int(self._cached((field, term), lambda: self._hits({"term": {field: term}}), 0))

    def frequency(self, word: str) -> int:
        """How many articles hold ``word`` as a written form or as a lemma."""
        return max(self.doc_frequency(f, word) for f in ("forms", "body", "title"))

    def has_word(self, word: str) -> bool:
        return bool(self._cached(("?word", word), lambda: self._exists(
            {"bool": {"should": [{"term": {f: word}} for f in ("forms", "body", "title")]}}), False))

    def has_prefix(self, prefix: str) -> bool:
        """True when some indexed form or lemma starts with ``prefix``."""
        return bool(self._cached(("?prefix", prefix), lambda: self._exists(
            {"bool": {"should": [{"prefix": {f: prefix}} for f in ("forms", "body")]}}), False))

    def _exists(self, query: dict[str, Any]) -> bool:
        name = self._require()
        res = self._call("looking up a word", lambda: self.client.search(
            index=name, body={"size": 0, "query": query, "track_total_hits": 1, "terminate_after": 1}))
        return int(res["hits"]["total"]["value"]) > 0

    def near(self, word: str, maxdist: int) -> set[str]:
        """Indexed forms and lemmas within ``maxdist`` edits of ``word`` (first letter kept)."""
        items = [(f, word, maxdist) for f in ("forms", "body")]
        return set(self._cached(("~" + str(maxdist), word), lambda: {
            t for _, _, reached in self._expand_fuzzy(items) for t in reached}, set()))

    # -- counts and facets ------------------------------------------------------------------
    def count(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
              source: str | None = None) -> int:
        """How many articles match (unranked)."""
        name = self._require()
        seconds = budget.answer_left()  # in a search: within its time (a count has no partial answer)
        params = {} if seconds is None else {"request_timeout": seconds}
        res = self._call("counting", lambda: self.client.count(
            index=name, body={"query": filtered(compiled.query.dsl, since, until, source)}, params=params),
            query=True)
        return int(res["count"])

    def months(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
               source: str | None = None) -> dict[int, int]:
        """``{yyyymm: matching articles}`` over every match (undated articles left out)."""
        name = self._require()
        query = filtered(compiled.query.dsl, since or 1, until, source)  # date 0: undated
        body = {"size": 0, "query": query,
                "aggs": {"m": {"histogram": {"field": "date", "interval": 100, "min_doc_count": 1}}}}
        res = self._call("counting by month", lambda: self.client.search(index=name, body=body), query=True)
        return {int(b["key"]) // 100: int(b["doc_count"]) for b in res["aggregations"]["m"]["buckets"]}

    def sources(self) -> dict[str, int]:
        """``{source as written: articles}`` for every source in the index."""
        name = self._require()
        body = {"size": 0, "aggs": {"s": {"terms": {"field": "source_key", "size": 10_000},
                                          "aggs": {"name": {"top_hits": {"size": 1, "_source": ["source"]}}}}}}
        res = self._call("listing sources", lambda: self.client.search(index=name, body=body))
        out: dict[str, int] = {}
        for b in res["aggregations"]["s"]["buckets"]:
            top = b["name"]["hits"]["hits"]
            src = (top[0]["_source"].get("source") if top else None) or b["key"]
            out[src] = out.get(src, 0) + int(b["doc_count"])
        return out

    # -- explaining one article's score -----------------------------------------------------
    def explain(self, compiled: Compiled, article_id: str, *, since: int | None = None,
                until: int | None = None, source: str | None = None) -> RawExplanation | None:
        """How ``compiled`` scores the indexed article ``article_id`` (``None``: not indexed).

        Every scoring clause is run on that one article (one multi-search), so the parts
        are the scores the cluster itself gives them; the rank counts the matches that
        score higher.
        """
        name = self._require()
        try:
            doc = self._call("reading an article", lambda: self.client.get(index=name, id=article_id,
                                                                          _source_includes="day"))
        except self._os.NotFoundError:
            return None
        only = {"ids": {"values": [article_id]}}
        q: OSQuery = compiled.query
        leaves = [(f, t) for p in q.parts for f, t in p.terms]
        queries = [q.dsl, *(p.dsl for p in q.parts), *({"term": {f: t}} for f, t in leaves)]
        lines = []
        for dsl in queries:
            lines += [{"search_type": "dfs_query_then_fetch"},
                      {"size": 1, "_source": False, "query": {"bool": {"must": [dsl], "filter": [only]}}}]
        res = self._call("explaining", lambda: self.client.msearch(index=name, body=lines), query=True)

        def score(r: dict[str, Any]) -> float | None:
            if "error" in r:
                raise IndexError_(f"OpenSearch could not score a part of the query: {_reason(r)}")
            hits = r["hits"]["hits"]
            return float(hits[0]["_score"] or 0.0) if hits else None

        scores = [score(r) for r in res["responses"]]
        total, part_scores, leaf_scores = scores[0], scores[1 : 1 + len(q.parts)], scores[1 + len(q.parts) :]
        present = {leaf for leaf, sc in zip(leaves, leaf_scores, strict=True) if sc is not None}
        parts = tuple(RawContribution(p.kind, p.field, p.text, p.boost, sc or 0.0,
                                      tuple(leaf for leaf in p.terms if leaf in present))
                      for p, sc in zip(q.parts, part_scores, strict=True))
        rank = None
        if total is not None:
            flt = filtered(q.dsl, since, until, source)
            inside = self.count(compiled, since=since, until=until, source=source)
            if inside and self._hits({"bool": {"must": [flt], "filter": [only]}}):
                body = {"size": 0, "track_total_hits": True, "min_score": total * (1 + 1e-6) + 1e-9, "query": flt}
                res = self._call("ranking", lambda: self.client.search(
                    index=name, body=body, search_type="dfs_query_then_fetch"), query=True)
                rank = int(res["hits"]["total"]["value"]) + 1
        return RawExplanation(matches_query=total is not None, score=total or 0.0, rank=rank,
                              day=doc.get("_source", {}).get("day"), parts=parts, tree=dsl_tree(q.dsl))


def _reason(e: Any) -> str:
    info = getattr(e, "info", None)
    if isinstance(info, dict):
        err = info.get("error")
        if isinstance(err, dict):
            root = (err.get("root_cause") or [err])[0]
            return f"{root.get('type', '')}: {root.get('reason', '')}".strip(": ")
        if err:
            return str(err)
    return str(getattr(e, "error", "") or e)

