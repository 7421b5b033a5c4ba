"""The index on an OpenSearch cluster: a :class:`searchkit.backends.base.Index`, as the embedded one.

Layout on the cluster: an alias (``searchkit`` or the one named in the URL) points at one
concrete index ``ALIAS-g<time>``. ``index --rebuild`` fills a new concrete index and moves
the alias to it in one atomic ``_aliases`` call, so searches never see a half-built index;
the old one is deleted afterwards. The analyzer version and lexicon the index was built
with live in its mapping's ``_meta``, so a home rebuilds when they change, as with Whoosh
(and refuses an index a newer searchkit made: ``base.status_of``).

The connection and its failures are :mod:`.client`'s; writes go in concurrent bulk
requests, retried item by item (:mod:`.bulk`); the analysed documents come from as many
processes as :meth:`OpenSearchIndex.analysis_processes` says.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...advice import REBUILD, SINCE, SOURCE, UNTIL
from ...errors import IndexError_, IndexTaken, NoIndex, QueryError, SearchkitError
from ...models import Sort
from ...query import budget, limits
from ...query import parse as q
from ...query.limits import FUZZY_PREFIX
from ...store.corpus import Corpus
from ...store.saved import home_id
from ...text import dedup
from ...text.analysis import ANALYZER_VERSION
from .. import IndexConfig
from ..base import (
    GROUPING,
    INDEX_FORMAT,
    Capability,
    Compiled,
    IndexMeta,
    IndexStatus,
    Placed,
    Progress,
    Ranking,
    RawExplanation,
    RawResults,
    ReadsLexicon,
    SideWriter,
    TopicsLate,
    WordCounts,
    analysing_in,
    begin_stage,
    status_of,
)
from ..records import LAGGING_GROUPS, VOCABULARY_FIELDS, WORD_FIELDS, iso_day
from . import archive as osarchive
from . import explaining, topicstore
from . import groups as osgroups
from . import owner as osowner
from . import query as osquery
from . import shards as osshards
from .bulk import BulkSender
from .client import Connection
from .query import HIT_FIELDS, MAX_WINDOW, OS_FORMAT, STORED, Compiler, OSQuery, filtered, index_body, to_source
from .shards import ShardsLost

__all__ = ["OpenSearchIndex"]

if TYPE_CHECKING:
    from ...query.userlexicon import LexiconSource
    from ...text.topics import TopicModel

META_TTL = 2.0
VOCAB_TTL = 5.0
#: The terms in a shard's explanation of a rewritten prefix query: ``forms:мова forms:мови``.
_EXPLAINED = re.compile(r"(?<![^\s(+])\w+:([^\s()^*:]+)(?![^\s)^])")
#: A new index's settings while a rebuild fills it (see :meth:`OpenSearchIndex.rebuild`).
BUILDING = {"refresh_interval": "-1", "translog.durability": "async"}
#: How long a finished rebuild waits for its replicas before the alias moves.
REPLICAS_WAIT = 120.0
#: The steps of that wait, between which the index's shards are looked at (see :meth:`OpenSearchIndex._wait_ready`).
READY_STEP = 10.0


#: ``--sort date``: newest first, one day's articles by id, as the embedded index lists
#: them (a relevance tie-break would need every match scored there).
DATE_ORDER = ({"date": "desc"}, {"id": "asc"})

class OpenSearchIndex(ReadsLexicon, WordCounts):
    """A home's index on a cluster (see the module docstring)."""

    #: no second writer process, no positions of query lemmas in hits, no local word list;
    #: an alias other homes may name too
    capabilities: frozenset[Capability] = frozenset({Capability.SHARED})

    def part_writer(self) -> None:
        """None: the nodes index what they are sent; no second process writes a part."""
        return None

    def __init__(self, config: IndexConfig, lexicon: LexiconSource, ranking: Ranking | None = None,
                 root: Path | None = None) -> None:
        self.config = config
        self.lexicon = lexicon
        self.ranking = ranking or Ranking()
        self._vocab: dict[tuple[str, str], tuple[float, Any]] = {}
        self.hosts, self.alias = config.hosts_and_alias()
        self.conn = Connection(self.hosts)
        self._os = self.conn.os
        self._meta_cache: tuple[float, str | None, IndexMeta | None] | None = None
        self._mutex = threading.Lock()
        self.groups = osgroups.Keeper(self)
        self._late = threading.local()  # words not looked up past this thread's deadline
        self._topics: tuple[str | None, TopicModel | None] = ("", None)  # (generation, its model)
        self._reading: dict[str, concurrent.futures.Future[TopicModel | None]] = {}  # (generation: its read)
        self._topics_lock = threading.Lock()
        #: where the home keeps a copy of the live generation's topic model (None: nowhere)
        self.root = root

    # -- the connection (see .client) -------------------------------------------------------
    @property
    def client(self) -> Any:
        """The client; within a search, the one bounded by its time."""
        return self.conn.client

    def _call(self, what: str, fn: Callable[[], Any], *, query: bool = False, absent: bool = False) -> Any:
        """One client call, its failures in searchkit's terms (see :meth:`.Connection.call`):
        every answer checked alike, and a 404 :class:`NoIndex` (the index went away since
        the alias was read: a rebuild in another process, or a user who deleted it), unless
        ``absent``: then the caller answers it (an alias, article or companion index that
        may not be there)."""
        try:
            return self.conn.call(what, fn, query=query)
        except self._os.NotFoundError:
            if absent:
                raise
            self._meta_cache = None
            raise NoIndex(f"there is no index {self.alias!r} on the cluster") from None

    request = _call  # for the backend's other modules

    def refresh(self) -> None:
        """Make what was written visible to searches."""
        name = self.require()
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
        self.conn.close()

    def forget(self) -> None:
        """Drop the word look-ups earlier searches kept (see
        :meth:`searchkit.backends.base.Index.forget`)."""
        self._vocab.clear()

    # -- generations (concrete indices behind the alias) -----------------------------------
    def _current(self) -> str | None:
        names = self._aliased()
        return names[-1] if names else None

    def _aliased(self) -> list[str]:
        """The indices the alias names, sorted (one, unless something else added it to another)."""
        try:
            res = self._call("reading the alias", lambda: self.conn.meta.indices.get_alias(name=self.alias),
                             absent=True)
        except self._os.NotFoundError:
            return []
        return sorted(res)

    def current_generation(self) -> str | None:
        return self._current()

    def exists(self) -> bool:
        return self._meta()[0] is not None

    def _meta(self) -> tuple[str | None, IndexMeta | None]:
        cached = self._meta_cache
        if cached is not None and time.monotonic() - cached[0] < META_TTL:
            return cached[1], cached[2]
        names = self._aliased()
        name = names[-1] if names else None
        meta = None
        if name is not None:
            for other in names[:-1]:  # (the one read below is checked with its mapping)
                self._check_ours(other, {})
            try:
                res = self._call("reading the mapping", lambda: self.conn.meta.indices.get_mapping(index=name),
                                 absent=True)
                whole = dict(res[name]["mappings"].get("_meta", {}))
                data = whole.get("searchkit", {})
            except (self._os.NotFoundError, KeyError, TypeError, AttributeError):
                whole, data = {}, {}
            self._check_ours(name, data, whole)
            try:
                meta = IndexMeta(str(data["analyzer"]), str(data["format"]), str(data.get("lexicon", "")))
            except (KeyError, TypeError):
                meta = None
        self._meta_cache = (time.monotonic(), name, meta)
        return name, meta

    def meta(self) -> IndexMeta | None:
        return self._meta()[1]

    def _home_id(self) -> str | None:
        """The id of the home this index belongs to (None: a home without one, or no home)."""
        return home_id(self.root.parent) if self.root is not None else None

    def _check_ours(self, name: str, data: Any, whole: dict[str, Any] | None = None) -> None:
        """Refuse an alias that names an index searchkit did not make for it, or one another
        home built: two homes on one alias each saw the other's articles as deleted, and
        the ``index`` that advised removed them all from the other's searches. An index
        of an older searchkit, which records no home, is this home's once its documents
        are found to come from this home's files, and refused otherwise (see
        :func:`.owner.claim`; ``whole``: the mapping's ``_meta``, which the claim keeps)."""
        if not self._own(name, "g"):
            raise IndexTaken(f"the alias {self.alias!r} on the cluster names {name!r}, "
                             "an index searchkit did not make for it")
        owner = data.get("home") if isinstance(data, dict) else None
        mine = self._home_id()
        if isinstance(owner, str):
            if mine is not None and owner != mine:
                raise IndexTaken(f"the index {self.alias!r} on the cluster belongs to another searchkit home")
        elif isinstance(data, dict) and "analyzer" in data and mine is not None and self.root is not None \
                and whole is not None:
            with budget.paused():  # (once per index: the first command that meets it records the home)
                osowner.claim(self, name, whole, mine, Corpus(self.root.parent / "corpus"))

    def topic_model(self, *, within: float | None = None) -> TopicModel | None:
        """The live generation's topic model (see :mod:`.topicstore`), read once per
        generation: from the home's copy, or else from the cluster, in a thread of its own
        given :data:`.topicstore.READ_SECONDS`, whose wait ``within`` bounds (see
        :meth:`.base.Index.topic_model`; ``0``: only a model at hand, no read begun). A
        search begins the read once its own requests are answered (11 MB of JSON to
        decode slowed them past their time) and waits only as long as it can still
        answer in time: the read took 2.6 s on a busy machine, and a search that waited
        for it failed, or answered in 3.4 s. A command that ends first waits for the read
        a few seconds more (:func:`.topicstore.read_in_background`), so that the next one
        finds the copy, but never the read's whole time on a node that hangs."""
        name = self._meta()[0]
        with self._topics_lock:
            if self._topics[0] == name:
                return self._topics[1]
            if name is None:
                return None
            reading = self._reading.get(name)
            if reading is None:
                model = None
                if self.root is not None:
                    with budget.paused():  # (a local file, read once per generation)
                        model = topicstore.kept(self.root / topicstore.COPIES, name)
                if model is not None:
                    self._topics = (name, model)
                    return model
                if within == 0:
                    raise TopicsLate("the topic model is not at hand")
                reading = self._reading[name] = concurrent.futures.Future()
                topicstore.read_in_background(partial(self._read_topics, name, reading))
        try:
            if within is None:
                with budget.paused():  # read once per generation: no part of the search that comes first
                    return reading.result()
            return reading.result(timeout=within)
        except concurrent.futures.TimeoutError:
            raise TopicsLate("the topic model is still being read from the cluster (once per index: the next "
                             "searches order by topic too)") from None
        except SearchkitError as e:
            if within is None:
                raise
            raise TopicsLate(f"the topic model could not be read ({e}; the next search tries again)") from None

    def _read_topics(self, name: str, reading: concurrent.futures.Future[TopicModel | None]) -> None:
        """Read ``name``'s topic model from the cluster into memory and the home's copy."""
        from ...text.topics import TopicModel

        try:
            data = topicstore.load(self, topicstore.companion(self.alias, name))
            try:
                model = TopicModel.from_bytes(data) if data else None
            except ValueError:
                model = None
            if model is not None and data and self.root is not None:
                topicstore.keep(self.root / topicstore.COPIES, name, data)
        except BaseException as e:  # noqa: BLE001 - given to whoever waits for it
            with self._topics_lock:
                del self._reading[name]  # (the next one asks again)
            reading.set_exception(e)
            return
        with self._topics_lock:
            self._topics = (name, model)
            del self._reading[name]
        reading.set_result(model)

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

    def require(self) -> str:
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

    # -- writing (requests: see .bulk) ------------------------------------------------------
    def rebuild(self, docs: Iterable[dict[str, Any]], *, total: int | None = None,
                progress: Progress | None = None, side: SideWriter | None = None,
                topics: TopicModel | None = None) -> int:
        """Fill a new concrete index from ``docs`` and move the alias to it when complete.
        (``side``, a second writing process, is for the embedded index: the cluster spreads
        the work itself.)

        It fills with no replicas and no translog sync per request (a failed build is
        dropped whole); committed, it gets its replicas, which copy files instead of
        indexing every article again, and the alias moves once they are in (or after
        :data:`REPLICAS_WAIT`, on a cluster that cannot place them)."""
        name = f"{self.alias}-g{time.time_ns() // 1000:016d}"
        replicas = self._replicas()
        mine = self._home_id()  # (read by _check_ours: the next home on this alias is refused)
        meta = {**self.expected_meta().to_json(), **({"home": mine} if mine else {})}
        body = index_body(meta, shards=self.config.shards, replicas=0, ranking=self.ranking)
        body["settings"]["index"].update(BUILDING)
        self._call("creating an index", lambda: self.client.indices.create(index=name, body=body))
        sigs: dict[str, bytes] = {}
        try:
            if topics is not None:
                data = topicstore.save(self, topicstore.companion(self.alias, name), topics, replicas)
                if self.root is not None:  # (the next process need not read it from the cluster)
                    topicstore.keep(self.root / topicstore.COPIES, name, data)
            with BulkSender(self.conn, name, progress=progress, total=total) as sender, \
                    analysing_in(self.analysis_processes()):
                for doc in docs:
                    if doc.get("sig"):
                        sigs[doc["id"]] = doc["sig"]
                    sender.index_doc(doc["id"], to_source(doc))
                sender.flush()
            n = sender.done[0]
            # the groups before the alias moves: the new index serves folded from its first search
            begin_stage(progress, GROUPING)
            osgroups.regroup_all(self, name, sigs)
            self._call("finishing the index", lambda: self.client.indices.put_settings(
                index=name, body={"index": dict.fromkeys(BUILDING)}))
            # A commit first: a new replica then copies the committed files, where it would
            # otherwise replay the translog, indexing every article again.
            self._call("finishing the index", lambda: self.client.indices.flush(index=name, wait_if_ongoing=True))
            self._call("finishing the index", lambda: self.client.indices.put_settings(
                index=name, body={"index": {"number_of_replicas": replicas}}))
            self._call("refreshing", lambda: self.client.indices.refresh(index=name))
            self._wait_ready(name)
            # one atomic call: searches see the old index or the new one, never neither
            actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": self.alias}}]
            actions += [{"remove": {"index": o, "alias": self.alias}}
                        for o, live in self._generations().items() if live and o != name]
            self._call("switching the alias", lambda: self.client.indices.update_aliases(body={"actions": actions}))
        except BaseException as e:
            lost = e.shards if isinstance(e, ShardsLost) else (
                osshards.lost(self.conn, name) if isinstance(e, SearchkitError) else [])
            self._drop(name)
            if lost:  # (whatever request met it first: the bulk writes, the groups, the commit)
                raise ShardsLost(
                    f"a node left the cluster during the rebuild with the only copy of {osshards.shards_text(lost)} "
                    f"of the new index {name!r} (it has no replicas until it is full): the rebuild is stopped, "
                    f"and the alias {self.alias!r} still names the index as it was", lost,
                    hint=f"start the node again, then run {REBUILD}") from None
            raise
        self._meta_cache = None
        self._vocab.clear()
        self.groups.forget()
        generations = self._generations()
        for o, live in generations.items():
            if o != name and not live:
                self._drop(o)
        for orphan in self._orphan_companions(set(generations)):  # (a drop that failed before)
            self._delete(orphan)
        if progress:
            progress(n, total)
        return n

    def analysis_processes(self) -> int:
        """Processes analysing a big job (:func:`.base.analysing_in`): the config's
        ``analysis``, else one per core, or one when every node is on this machine (they
        share its cores, and more analysis processes cost more CPU than one: measured in
        docs/scale-out.md)."""
        if self.config.analysis:
            return self.config.analysis
        local = all(urlsplit(h).hostname in ("localhost", "127.0.0.1", "::1") for h in self.hosts)
        return 1 if local else os.cpu_count() or 1

    def _generations(self) -> dict[str, bool]:
        """Concrete indices of this alias: ``{name: the alias points at it}``. Those it does
        not point at are left from an interrupted rebuild or an old generation."""
        try:
            res = self._call("listing indices", lambda: self.client.indices.get(index=f"{self.alias}-g*"),
                             absent=True)
        except self._os.NotFoundError:
            return {}
        # (``news-g*`` also lists the generations of an alias ``news-gazette``: not ours)
        return {n: self.alias in v.get("aliases", {}) for n, v in sorted(res.items()) if self._own(n, "g")}

    def _own(self, name: str, kind: str) -> bool:
        """Whether ``name`` is a generation (``kind`` ``g``) or a companion (``t``) of this
        alias: ``ALIAS-g`` or ``ALIAS-t`` and the generation's 16-digit stamp."""
        return re.fullmatch(re.escape(self.alias) + f"-{kind}[0-9]{{16}}", name) is not None

    def _orphan_companions(self, generations: set[str]) -> list[str]:
        """Topic models' companion indices of this alias whose generation is gone."""
        try:
            res = self._call("listing indices", lambda: self.client.indices.get(index=f"{self.alias}-t*"),
                             absent=True)
        except self._os.NotFoundError:
            return []
        return [n for n in sorted(res)
                if self._own(n, "t") and topicstore.generation_of(self.alias, n) not in generations]

    def _drop(self, name: str) -> None:
        """Delete a generation and its topic model's companion index."""
        self._delete(name)
        self._delete(topicstore.companion(self.alias, name))

    def _delete(self, index: str) -> None:
        try:
            self.client.indices.delete(index=index, params={"ignore_unavailable": "true"})
        except Exception:  # best effort: an orphan is removed by the next rebuild
            pass

    def _wait_ready(self, name: str) -> None:
        """Wait until every shard is started; past :data:`REPLICAS_WAIT`, every primary (a
        cluster with fewer nodes than copies stays yellow; its replicas follow). Asked in
        steps of :data:`READY_STEP`, between which a shard whose only copy left with its
        node stops the wait (:class:`.osshards.ShardsLost`): no wait brings it back."""
        # The client takes a ``timeout`` parameter for its own request timeout unless
        # ``request_timeout`` is given as well; only then does ``timeout`` reach the server.
        deadline = time.monotonic() + REPLICAS_WAIT
        while True:
            step = max(1.0, min(READY_STEP, deadline - time.monotonic()))
            params = {"wait_for_status": "green", "timeout": f"{step:.0f}s", "request_timeout": step + 30,
                      "ignore": 408}
            res = self._call("waiting for the index", partial(self.client.cluster.health, index=name, params=params))
            if res.get("status") == "green":
                return
            lost = osshards.lost(self.conn, name)
            if lost:
                raise osshards.refuse_writes(name, lost)
            if time.monotonic() >= deadline:
                break
        self._call("waiting for the index", lambda: self.client.cluster.health(
            index=name, params={"wait_for_status": "yellow", "timeout": "60s", "request_timeout": 90}))

    def regroup_deferred(self) -> None:
        """Bring the near-duplicate groups up to date after ``apply(..., regroup=False)``."""
        self.groups.regroup_deferred()

    def apply(self, updates: Iterable[dict[str, Any]], deletes: Iterable[str] = (),
              *, progress: Progress | None = None, total: int | None = None,
              regroup: bool = True, side: SideWriter | None = None) -> tuple[int, int]:
        """Add or replace ``updates`` and remove ``deletes`` (ids); visible when it returns.

        Near-duplicate groups are brought up to date after the write (see
        :mod:`.groups`), or, with ``regroup=False``, at :meth:`regroup_deferred`. (``side``,
        a second writing process, is for the embedded index.)"""
        name = self.require()
        self.groups.before_write()
        changed: dict[str, None] = {}
        deletes = list(deletes)
        with BulkSender(self.conn, name, progress=progress, total=total) as sender:
            for art_id in deletes:
                sender.delete(art_id)
            sender.flush()  # an id deleted and written again: the delete is in first
            with analysing_in(self.analysis_processes()):
                for doc in updates:
                    changed[doc["id"]] = None
                    sender.index_doc(doc["id"], to_source(doc))
            sender.flush()
        self.refresh()
        self._vocab.clear()
        self.groups.written(changed, deletes)
        if regroup:
            begin_stage(progress, GROUPING)
            self.groups.regroup_deferred()
        return sender.done[0], sender.done[1]

    def update_fields(self, index: str, fields: dict[str, dict[str, Any]]) -> None:
        """Set ``fields`` (``{id: {field: value}}``) by partial updates (a deleted id is skipped)."""
        with BulkSender(self.conn, index) as sender:
            for art_id, values in fields.items():
                sender.update(art_id, values)
            sender.flush()

    # -- reading stored fields ------------------------------------------------------------
    def scan(self, fields: list[str], query: dict[str, Any] | None = None, *,
             order: Sequence[dict[str, str]] = ({"id": "asc"},)) -> Iterator[dict[str, Any]]:
        """``fields`` of every indexed article (that ``query`` matches), in pages
        (search_after on ``order``, which ends in the id): from doc values when they all
        have them, else ``_source``."""
        name = self.require()
        after: list[Any] | None = None
        columns = osquery.DOC_VALUES.issuperset(fields)
        while True:
            body: dict[str, Any] = {"size": 2000, "sort": list(order), "query": query or {"match_all": {}}}
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
        """The stored fields of every indexed article, the first indexed first (as the
        embedded index lists them: the first of a source spells it in ``stats``, as in the
        source facet)."""
        for s in self.scan(STORED, order=osarchive.FIRST_INDEXED):
            s["title"] = s.pop("title_text", "")
            yield s

    def doc_count(self) -> int:
        name = self.require()
        return int(self._call("counting", lambda: self.client.count(index=name))["count"])

    def path_of(self, article_id: str) -> str | None:
        name = self.require()
        try:
            res = self._call("reading an article", lambda: self.client.get(index=name, id=article_id,
                                                                          _source_includes="path"), absent=True)
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
        # (what a fuzzy word reached, in which field: known once the cluster is asked)
        for fld, text, reached in self._expand_fuzzy(c.fuzzy) if c.fuzzy else ():
            words = reached | {text}
            c.searched(() if fld == "forms" else words, words if fld == "forms" else (), field=fld)
        terms = c.match_terms()
        cut = ((f"stopped after {budget.seconds():g} s: {self._late.words} look-ups of the words' other spellings "
                "and frequencies were left out; narrow the query",) if self._late.words else ())
        return Compiled(OSQuery(dsl, tuple(c.parts)), terms, tuple(dict.fromkeys(c.searched_as.values())),
                        tuple(c.readings.items()), cut=cut, ranking_only=tuple(c.ranking_only))

    def compile_relaxed(self, parsed: q.ParsedQuery, strict: Compiled, *, translit: bool = True,
                        families: bool = True, fill: bool = False) -> Compiled | None:
        """The partial matches of ``parsed`` (see :meth:`.osquery.Compiler.run_relaxed`)."""
        c = Compiler(self.analyzer, parsed, self, self.ranking, translit=translit, families=families)
        dsl = c.run_relaxed(strict.query.dsl, fill=fill)
        if dsl is None:
            return None
        return Compiled(OSQuery(dsl, tuple(c.parts), strict=strict.query.dsl), strict.terms, strict.searched_as,
                        strict.readings, fillable=c.fillable)

    def _expand_fuzzy(self, items: list[tuple[str, str, int]]) -> Iterator[tuple[str, str, set[str]]]:
        """The indexed terms each fuzzy word reaches (for highlighting), from term suggesters:
        edits counted as the fuzzy query counts them (a swap of neighbouring letters is one),
        and none left out for being far from a short word (``accuracy`` 0)."""
        name = self.require()
        suggest = {
            f"f{i}": {"text": text, "term": {
                "field": fld, "analyzer": "sk_forms", "max_edits": edits, "prefix_length": FUZZY_PREFIX,
                "min_word_length": 1, "suggest_mode": "always", "size": limits.MAX_EXPANSION,
                "max_term_freq": 1.0, "accuracy": 0.0,
                "min_doc_freq": 0, "string_distance": "damerau_levenshtein", "sort": "frequency"}}
            for i, (fld, text, edits) in enumerate(items)
        }
        res = self._call("expanding fuzzy words", lambda: self.client.search(
            index=name, body={"size": 0, "suggest": suggest}))
        for i, (fld, text, _) in enumerate(items):
            reached = {o["text"] for entry in res.get("suggest", {}).get(f"f{i}", []) for o in entry["options"]}
            yield fld, text, reached

    def search(self, compiled: Compiled, *, limit: int, offset: int = 0, since: int | None = None,
               until: int | None = None, source: str | None = None, sort: Sort = "relevance",
               collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
               exclude: Iterable[str] = ()) -> RawResults:
        """One page of hits. With ``collapse`` each group of near-duplicates that matched is
        one hit, its best-ranked member, with the others as its duplicates (see
        :func:`.osgroups.folded`); ``facets`` are counted over every match; ``arrived_after``
        keeps the articles written since; ``exclude`` ids never match."""
        names = list(dict.fromkeys(facets))
        aggs = osarchive.facet_aggs(names)
        name = self.require()
        dsl = osarchive.restricted(filtered(compiled.query.dsl, since, until, source), arrived_after, exclude)
        strict = compiled.query.strict
        if collapse and strict is not None:
            # a partial match whose near-duplicate holds every word is a copy of a story
            # listed above it: left out, as on the embedded index
            above = osarchive.restricted(filtered(strict, since, until, source), arrived_after, exclude)
            dsl = osgroups.without_groups_of(self, name, dsl, above)
        # (the cluster refuses a page past hit MAX_WINDOW, also one past the last hit: it is
        # asked for what it can list, and the total tells an empty page from one out of reach)
        size = max(0, min(limit, MAX_WINDOW - offset))
        body: dict[str, Any] = {"query": dsl, "from": offset if size else 0,
                                "size": size, "track_total_hits": True, "_source": HIT_FIELDS}
        if sort == "date":
            body["sort"] = list(DATE_ORDER)
        if collapse:
            if size:  # a count alone is folded by the groups' aggregation: no hits to collapse
                body["collapse"] = {"field": "group"}
            aggs.update(osgroups.group_count_aggs())
        if aggs:
            body["aggs"] = aggs
        res = self.searched(name, body, bounded=True)
        cached = self._meta_cache
        if cached is not None and any(h.get("_index") != cached[1] for h in res["hits"]["hits"]):
            # the alias moved to a new generation since its name was read: its topic model
            # (what the hits' vectors are of) is read again, not the old one's
            self._meta_cache = None
        matched = int(res["hits"]["total"]["value"])
        total, copies = osgroups.folded(self, name, body, res) if collapse else (matched, {})
        if size < limit and total > offset + size:
            raise QueryError(f"the cluster lists only the first {MAX_WINDOW:,} hits of a search, and this page "
                             f"goes to hit {offset + limit:,} of {total:,}: narrow the query ({SINCE}, {UNTIL}, "
                             f"{SOURCE}) to reach the others")
        cut = (budget.cut_note(matched),) if res.get("timed_out") else ()
        bonus = self.ranking.partial_bonus if strict is not None and sort == "relevance" else 0.0
        return RawResults(total=total, matched=matched,
                          hits=[osgroups.raw_hit(h, copies, bonus) for h in res["hits"]["hits"]],
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
        return self._call(what, lambda: self.client.search(index=name, body=body, params=params, **kwargs),
                          query=True)

    def msearched(self, name: str, lines: list[dict[str, Any]], *, what: str) -> list[dict[str, Any]]:
        """The answers to a multi-search on ``name`` (header and body lines), one per search."""
        res = self._call(what, lambda: self.client.msearch(index=name, body=lines), query=True)
        out: list[dict[str, Any]] = res["responses"]  # (each checked: see .Connection.checked)
        return out

    def clusters(self) -> dedup.Clusters:
        """The groups of near-duplicates as the documents hold them (see :class:`.osgroups.Keeper`)."""
        self.require()
        return self.groups.clusters()

    def lagging(self) -> str | None:
        """The near-duplicate groups, while a write has not brought them up to date (an
        import running, or one that stopped before it regrouped: see :class:`.osgroups.Keeper`)."""
        self.require()
        return LAGGING_GROUPS if self.groups.behind() else None

    def similar_query(self, body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int, *,
                      copies: int = 1) -> Compiled | None:
        """A query for articles about the same thing as a text (see :func:`.osarchive.similar_query`)."""
        return osarchive.similar_query(self, body, title, n, copies=copies)

    def last_arrival(self) -> int:
        """When the newest indexed article arrived (ns), 0 for an empty index."""
        res = self.searched(self.require(), {"size": 0, "aggs": {"last": {"max": {"field": "arrived"}}}},
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

    def partial_copies(self, relaxed: Compiled, ids: Iterable[str], *, since: int | None = None,
                       until: int | None = None, source: str | None = None
                       ) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """The partial matches among the near-duplicates of ``ids`` (see
        :meth:`Index.partial_copies`): one scan for the hits' groups, one for their copies."""
        shown = sorted(set(ids))
        step = osgroups.BAND_CHUNK
        key_of = {str(s["id"]): str(s["grouped"]) for start in range(0, len(shown), step)
                  for s in self.scan(["id", "grouped"], {"bool": {"filter": [
                      {"terms": {"id": shown[start : start + step]}}, {"exists": {"field": "grouped"}}]}})}
        wanted = sorted(set(key_of.values()))
        if not wanted:
            return {}
        dsl = filtered(relaxed.query.dsl, since, until, source)
        out: dict[str, list[tuple[str, str | None]]] = {}
        for start in range(0, len(wanted), step):
            chunk = {"terms": {"grouped": wanted[start : start + step]}}
            for s in self.scan(["id", "grouped", "date"], {"bool": {"must": [dsl], "filter": [chunk]}}):
                day = int(s.get("date") or 0)
                out.setdefault(str(s["grouped"]), []).append((str(s["id"]), iso_day(day) if day else None))
        return {i: tuple(sorted(out[k])) for i, k in key_of.items() if k in out}

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
        name = self.require()
        res = self._call("counting", lambda: self.client.count(index=name, body={"query": query}))
        return int(res["count"])

    def doc_frequency(self, field: str, term: str) -> int:
        """How many articles hold ``term`` in ``field``. The word fields are counted
        together, in one request: ``frequency`` and ``has_word`` ask each of them."""
        if field in WORD_FIELDS:
            counts = self._cached(("#words", term), lambda: self._word_counts(term), {})
            return int(counts.get(field, 0))
        return int(self._cached((field, term), lambda: self._hits({"term": {field: term}}), 0))

    def _word_counts(self, word: str) -> dict[str, int]:
        """``{field: articles holding word}`` over the word fields."""
        name = self.require()
        lines: list[dict[str, Any]] = []
        for f in WORD_FIELDS:
            lines += [{}, {"size": 0, "query": {"term": {f: word}}, "track_total_hits": True}]
        answers = self.msearched(name, lines, what="counting a word")
        return {f: int(a["hits"]["total"]["value"]) for f, a in zip(WORD_FIELDS, answers, strict=True)}

    def has_prefix(self, prefix: str) -> bool:
        """True when some indexed form or lemma starts with ``prefix``."""
        return bool(self._cached(("?prefix", prefix), lambda: self._exists(
            {"bool": {"should": [{"prefix": {f: prefix}} for f in VOCABULARY_FIELDS]}}), False))

    def prefix_terms(self, fields: Sequence[str], prefix: str, most: int) -> list[list[str]]:
        """For each of ``fields``, its indexed terms starting with ``prefix`` (at most
        ``most``): what each shard rewrites the prefix to (``_validate/query``), so that the
        limits on a prefix word (:mod:`searchkit.query.limits`) count what the embedded
        index counts. Asked past the search's deadline too: a limit is never guessed."""
        name = self.require()
        out = []
        for f in fields:
            key = (f"*{most}:{f}", prefix)
            hit = self._vocab.get(key)
            if hit is None or time.monotonic() - hit[0] >= VOCAB_TTL:
                body = {"query": {"prefix": {f: {"value": prefix, "rewrite": f"top_terms_{most}"}}}}
                res = self._call("counting a prefix's words", partial(
                    self.client.indices.validate_query, index=name, body=body, rewrite=True, all_shards=True))
                if not res.get("valid", False):
                    raise IndexError_(f"OpenSearch refused counting a prefix's words: {res.get('error', '')}")
                # (a shard with no such term explains the prefix as typed, ``body:по*``: no term)
                terms = dict.fromkeys(t for e in res.get("explanations", [])
                                      for t in _EXPLAINED.findall(e.get("explanation", ""))
                                      if t.startswith(prefix))
                hit = self._vocab[key] = (time.monotonic(), list(terms)[:most])
            out.append(list(hit[1]))
        return out

    def _exists(self, query: dict[str, Any]) -> bool:
        name = self.require()
        res = self._call("looking up a word", lambda: self.client.search(
            index=name, body={"size": 0, "query": query, "track_total_hits": 1, "terminate_after": 1}))
        return int(res["hits"]["total"]["value"]) > 0

    def near(self, word: str, maxdist: int) -> set[str]:
        """Indexed forms and lemmas within ``maxdist`` edits of ``word`` (first letter kept)."""
        items = [(f, word, maxdist) for f in VOCABULARY_FIELDS]
        return set(self._cached(("~" + str(maxdist), word), lambda: {
            t for _, _, reached in self._expand_fuzzy(items) for t in reached}, set()))

    # -- counts and facets ------------------------------------------------------------------
    def count(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
              source: str | None = None) -> int:
        """How many articles match (unranked)."""
        name = self.require()
        seconds = budget.answer_left()  # in a search: within its time (a count has no partial answer)
        params = {} if seconds is None else {"request_timeout": seconds}
        res = self._call("counting", lambda: self.client.count(
            index=name, body={"query": filtered(compiled.query.dsl, since, until, source)}, params=params),
            query=True)
        return int(res["count"])

    def months(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
               source: str | None = None, exclude: Iterable[str] = ()) -> dict[int, int]:
        """``{yyyymm: matching articles}`` over every match (undated articles left out);
        ``exclude`` ids never match."""
        name = self.require()
        # (date 0: undated)
        query = osarchive.restricted(filtered(compiled.query.dsl, since or 1, until, source), None, exclude)
        body = {"size": 0, "query": query,
                "aggs": {"m": {"histogram": {"field": "date", "interval": 100, "min_doc_count": 1}}}}
        res = self._call("counting by month", lambda: self.client.search(index=name, body=body), query=True)
        return {int(b["key"]) // 100: int(b["doc_count"]) for b in res["aggregations"]["m"]["buckets"]}

    def sources(self) -> dict[str, int]:
        """``{source as written: articles}`` for every source in the index."""
        return osarchive.sources(self)

    # -- explaining one article's score -----------------------------------------------------
    def explain(self, compiled: Compiled, article_id: str, *, since: int | None = None,
                until: int | None = None, source: str | None = None) -> RawExplanation | None:
        """How ``compiled`` scores the indexed article ``article_id`` (``None``: not indexed;
        see :func:`.explaining.explain`)."""
        return explaining.explain(self, compiled, article_id, since=since, until=until, source=source)
