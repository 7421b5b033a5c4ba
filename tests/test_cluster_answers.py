"""What the OpenSearch backend makes of the cluster's answers, checked with a stub client
(no cluster needed): a read some shards failed is an error, whichever request it was, with
the shards' reason in words; an index gone between two requests is ``NoIndex`` everywhere."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from searchkit import Engine, IndexError_, NoIndex, QueryError
from searchkit.backends import IndexConfig
from searchkit.backends.records import Compiled
from searchkit.cli import main
from searchkit.query.userlexicon import LexiconState
from searchkit.text.highlight import MatchTerms
from searchkit.text.lexicon import Lexicon

opensearchpy = pytest.importorskip("opensearchpy")

from searchkit.backends.base import INDEX_FORMAT  # noqa: E402 - after the client is known to be there
from searchkit.backends.opensearch.index import OpenSearchIndex  # noqa: E402
from searchkit.backends.opensearch.query import OS_FORMAT, OSQuery  # noqa: E402
from searchkit.text.analysis import ANALYZER_VERSION, Analyzer  # noqa: E402

URL = "http://127.0.0.1:9/news"
LIVE = "news-g0000000000000001"

#: two of three shards answered; the third could not run the query
FAILED_SHARDS = {"total": 3, "successful": 2, "skipped": 0, "failed": 1, "failures": [{
    "shard": 2, "index": LIVE, "node": "n1",
    "reason": {"type": "query_shard_exception", "reason": "failed to create query: слово",
               "caused_by": {"type": "too_many_clauses", "reason": "maxClauseCount is set to 1024"}}}]}

GONE = {"error": {"root_cause": [{"type": "index_not_found_exception", "reason": f"no such index [{LIVE}]"}],
                  "type": "index_not_found_exception", "reason": f"no such index [{LIVE}]"}, "status": 404}

REFUSED = {"error": {"root_cause": [{"type": "illegal_argument_exception", "reason": "поле не для пошуку"}],
                     "type": "search_phase_execution_exception", "reason": "all shards failed"}, "status": 400}


def _answer(body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A search's answer with no hit, as a cluster gives it for ``body``."""
    res: dict[str, Any] = {"took": 1, "timed_out": False, "_shards": {"total": 3, "successful": 3, "failed": 0},
                           "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
    aggs = (body or {}).get("aggs", {})
    if aggs:
        res["aggregations"] = {name: {"buckets": [], "value": None} for name in aggs}
    return res


class StubCluster:
    """A cluster with one live index behind the alias ``news``; ``reads`` say how its
    searches, counts and multi-searches answer (a function of the request's body)."""

    def __init__(self) -> None:
        self.reads: Callable[[dict[str, Any] | None], dict[str, Any]] = _answer
        self.indices = self
        self.meta = {"searchkit": {"analyzer": ANALYZER_VERSION, "format": f"{INDEX_FORMAT}+os{OS_FORMAT}",
                                   "lexicon": Lexicon().index_hash}}

    # (the client's constructor: every client of the index is this stub)
    def __call__(self, *args: Any, **kwargs: Any) -> StubCluster:
        return self

    def get_alias(self, **kw: Any) -> dict[str, Any]:
        return {LIVE: {"aliases": {"news": {}}}}

    def get_mapping(self, **kw: Any) -> dict[str, Any]:
        return {LIVE: {"mappings": {"_meta": self.meta}}}

    def put_mapping(self, *, index: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
        self.meta = body["_meta"]
        return {"acknowledged": True}

    def search(self, *, body: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        return self.reads(body)

    def count(self, *, body: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        res = self.reads(body)
        return {"count": 0, "_shards": res["_shards"]} if "_shards" in res else res

    def msearch(self, *, body: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
        return {"took": 1, "responses": [self.reads(b) for b in body[1::2]]}

    def close(self) -> None:
        pass


def failing_shards(body: dict[str, Any] | None) -> dict[str, Any]:
    return {**_answer(body), "_shards": FAILED_SHARDS}


def gone(body: dict[str, Any] | None) -> dict[str, Any]:
    raise opensearchpy.NotFoundError(404, "index_not_found_exception", GONE)


@pytest.fixture
def cluster(monkeypatch: pytest.MonkeyPatch) -> StubCluster:
    stub = StubCluster()
    monkeypatch.setattr(opensearchpy, "OpenSearch", stub)
    return stub


@pytest.fixture
def index(cluster: StubCluster, tmp_path: Path) -> Iterator[OpenSearchIndex]:
    ix = OpenSearchIndex(IndexConfig("opensearch", URL), LexiconState(Lexicon(), Analyzer()), root=tmp_path)
    yield ix
    ix.close()


WORD = Compiled(OSQuery({"term": {"lemmas": "мова"}}), MatchTerms(frozenset({"мова"})))

#: every read of the index a search, a count or a word's look-up makes
READS: dict[str, Callable[[OpenSearchIndex], object]] = {
    "search": lambda ix: ix.search(WORD, limit=10),
    "count": lambda ix: ix.count(WORD),
    "months": lambda ix: ix.months(WORD),
    "a word's articles": lambda ix: ix.doc_frequency("body", "мова"),
    "a source's articles": lambda ix: ix.doc_frequency("source", "Тест-новини"),
    "a prefix": lambda ix: ix.has_prefix("мов"),
    "near words": lambda ix: ix.near("мова", 1),
    "articles in the index": lambda ix: ix.doc_count(),
    "stored fields": lambda ix: ix.indexed(),
    "the last arrival": lambda ix: ix.last_arrival(),
    "sources": lambda ix: ix.sources(),
}


def test_the_stub_cluster_answers_every_read_when_all_shards_do(index: OpenSearchIndex) -> None:
    for read in READS.values():
        read(index)
    assert index.count(WORD) == 0 and index.months(WORD) == {}


@pytest.mark.parametrize("what", list(READS))
def test_a_read_some_shards_failed_is_an_error_giving_the_shards_reason(
        what: str, cluster: StubCluster, index: OpenSearchIndex) -> None:
    cluster.reads = failing_shards
    with pytest.raises(IndexError_) as e:
        READS[what](index)
    message = str(e.value)
    assert "1 of 3 shards failed" in message
    assert "too_many_clauses: maxClauseCount is set to 1024" in message
    assert f"shard 2 of {LIVE}" in message
    assert "{" not in message  # (the answer in words, not its JSON)


@pytest.mark.parametrize("what", list(READS))
def test_an_index_gone_since_the_alias_was_read_is_no_index_for_every_read(
        what: str, cluster: StubCluster, index: OpenSearchIndex) -> None:
    cluster.reads = gone
    with pytest.raises(NoIndex, match="there is no index 'news' on the cluster"):
        READS[what](index)


def test_a_gone_index_in_a_multi_search_answer_is_no_index_too(cluster: StubCluster, index: OpenSearchIndex) -> None:
    cluster.reads = lambda body: GONE
    with pytest.raises(NoIndex, match="there is no index 'news' on the cluster"):
        index.doc_frequency("body", "мова")


def test_a_search_refused_within_a_multi_search_gives_the_clusters_reason_in_words(
        cluster: StubCluster, index: OpenSearchIndex) -> None:
    cluster.reads = lambda body: REFUSED
    with pytest.raises(IndexError_) as e:
        index.doc_frequency("body", "мова")
    assert str(e.value) == "OpenSearch failed at counting a word: illegal_argument_exception: поле не для пошуку"


def test_a_search_whose_shards_failed_is_one_line_on_the_command_line(cluster: StubCluster, tmp_path: Path) -> None:
    Engine.init(tmp_path / "home", url=URL).close()
    cluster.reads = failing_shards
    res = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "search", "мова"])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "1 of 3 shards failed" in lines[0] and "Traceback" not in res.output


#: a shard that ran out of the search's time while rewriting a word (it cannot stop early there)
TIME_EXCEEDED = {"type": "time_exceeded_exception", "reason": "time_exceeded_exception: null"}


def shards_out_of_time(body: dict[str, Any] | None) -> dict[str, Any]:
    failure = {"shard": 2, "index": LIVE, "node": "n1", "reason": TIME_EXCEEDED}
    return {**_answer(body), "_shards": {"total": 3, "successful": 2, "skipped": 0, "failed": 1,
                                         "failures": [failure]}}


def search_out_of_time(body: dict[str, Any] | None) -> dict[str, Any]:
    raise opensearchpy.TransportError(500, "time_exceeded_exception",
                                      {"error": {"root_cause": [TIME_EXCEEDED], **TIME_EXCEEDED}, "status": 500})


@pytest.mark.parametrize("answer", [shards_out_of_time, search_out_of_time, lambda body: {
    "error": {"root_cause": [TIME_EXCEEDED], **TIME_EXCEEDED}, "status": 500}])
def test_a_search_the_cluster_could_not_finish_in_its_time_is_said_as_a_late_answer(
        answer: Callable[[dict[str, Any] | None], dict[str, Any]], cluster: StubCluster,
        index: OpenSearchIndex) -> None:
    cluster.reads = answer
    for read in (READS["search"], READS["a word's articles"]):  # (a search, and one of a multi-search)
        with pytest.raises(QueryError) as e:
            read(index)
        assert str(e.value).startswith("the cluster did not answer within 2 s; narrow the query, or try again")


def test_a_late_answer_is_one_line_on_the_command_line(cluster: StubCluster, tmp_path: Path) -> None:
    Engine.init(tmp_path / "home", url=URL).close()
    cluster.reads = search_out_of_time
    res = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "search", "мова~2 табір~2"])
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == [
        "Error: the cluster did not answer within 2 s; narrow the query, or try again when the cluster is less busy"]


def _matching(total: int) -> Callable[[dict[str, Any] | None], dict[str, Any]]:
    """Searches that match ``total`` articles, refused past hit 10,000 as a cluster refuses them."""
    def answer(body: dict[str, Any] | None) -> dict[str, Any]:
        body = body or {}
        if body.get("from", 0) + body.get("size", 10) > 10_000:
            raise opensearchpy.RequestError(400, "search_phase_execution_exception", {"error": {
                "root_cause": [{"type": "illegal_argument_exception", "reason": "Result window is too large"}]}})
        res = _answer(body)
        res["hits"]["total"]["value"] = total
        return res
    return answer


def test_a_page_past_the_last_hit_is_empty_on_the_cluster_too(cluster: StubCluster, tmp_path: Path) -> None:
    Engine.init(tmp_path / "home", url=URL).close()
    cluster.reads = _matching(305)
    res = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "search", "мова", "-n", "1000", "-p", "11"])
    assert res.exit_code == 0, res.output
    assert "305 matches (page 11 is empty)" in res.output


def test_a_page_beyond_the_clusters_first_ten_thousand_hits_is_refused_in_one_line(
        cluster: StubCluster, tmp_path: Path) -> None:
    Engine.init(tmp_path / "home", url=URL).close()
    cluster.reads = _matching(12_000)
    res = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "search", "мова", "-n", "1000", "-p", "11"])
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == [
        "Error: the cluster lists only the first 10,000 hits of a search, and this page goes to hit 11,000 of "
        "12,000: narrow the query (--since, --until, --source) to reach the others"]


class RejectingWriter:
    """A cluster that takes no write: each item rejected with ``status`` and ``error``."""

    def __init__(self, status: int, error: dict[str, Any]) -> None:
        self.status, self.error = status, error

    def bulk(self, *, body: str, **kw: Any) -> dict[str, Any]:
        n = sum(1 for line in body.splitlines() if line.startswith('{"index"'))
        return {"errors": True, "items": [{"index": {"status": self.status, "error": self.error}}] * n}


#: ``_cat/shards`` of an index whose three primaries are on running nodes (one of them moving)
SHARDS_UP = [{"shard": "0", "prirep": "p", "state": "STARTED", "unassigned.reason": None},
             {"shard": "1", "prirep": "p", "state": "RELOCATING", "unassigned.reason": None},
             {"shard": "2", "prirep": "p", "state": "STARTED", "unassigned.reason": None}]
#: the same when the node of shard 1, which had no replica, left the cluster
SHARD_1_LOST = [SHARDS_UP[0], {"shard": "1", "prirep": "p", "state": "UNASSIGNED", "unassigned.reason": "NODE_LEFT"},
                SHARDS_UP[2]]


class WriterConnection:
    """A :class:`.client.Connection` whose writes go to ``writer`` and whose
    ``_cat/shards`` answers ``shards``."""

    os = opensearchpy
    hosts = ["http://127.0.0.1:9"]
    shown = "http://127.0.0.1:9"

    def __init__(self, writer: Any, shards: list[dict[str, Any]]) -> None:
        self.writer = writer
        self.meta = self
        self.cat = self
        self._shards = shards

    def shards(self, **kw: Any) -> list[dict[str, Any]]:
        return self._shards

    def call(self, what: str, fn: Callable[[], Any], **kw: Any) -> Any:
        return fn()


def _written(writer: Any, shards: list[dict[str, Any]]) -> list[int]:
    """What two articles written to ``writer`` came to (``[indexed, deleted, updated]``)."""
    from searchkit.backends.opensearch import bulk

    conn = WriterConnection(writer, shards)
    with bulk.BulkSender(conn, LIVE) as sender:  # type: ignore[arg-type]
        sender.index_doc("k1", {"id": "k1"})
        sender.index_doc("k2", {"id": "k2"})
        sender.flush()
    return sender.done


def _sent_to(writer: RejectingWriter, monkeypatch: pytest.MonkeyPatch, shards: list[dict[str, Any]] = SHARDS_UP,
             retry_for: float = 0.0) -> str:
    """The error of two articles written to ``writer``, retried for ``retry_for`` seconds."""
    from searchkit.backends.opensearch import bulk

    monkeypatch.setattr(bulk, "RETRY_FOR", retry_for)
    with pytest.raises(IndexError_) as e:
        _written(writer, shards)
    return f"{e.value} — {e.value.hint}"


def test_writes_rejected_for_a_lost_shard_say_why_and_do_not_blame_overload(monkeypatch: pytest.MonkeyPatch) -> None:
    said = _sent_to(RejectingWriter(503, {"type": "unavailable_shards_exception",
                                          "reason": f"[{LIVE}][1] primary shard is not active"}), monkeypatch)
    assert said == (f"OpenSearch kept rejecting 2 writes for 0 s: 503 unavailable_shards_exception: [{LIVE}][1] "
                    "primary shard is not active — check that every node is up; `Engine.index()` resumes the import")


def test_writes_the_cluster_is_too_busy_for_are_said_to_be_overload(monkeypatch: pytest.MonkeyPatch) -> None:
    said = _sent_to(RejectingWriter(429, {"type": "es_rejected_execution_exception", "reason": "queue full"}),
                    monkeypatch)
    assert said.endswith("429 es_rejected_execution_exception: queue full — the cluster is overloaded; "
                         "`Engine.index()` resumes the import")


def test_writes_to_a_shard_whose_only_copy_left_with_its_node_stop_at_once_saying_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import bulk

    began = time.monotonic()
    said = _sent_to(RejectingWriter(503, {"type": "unavailable_shards_exception",
                                          "reason": f"[{LIVE}][1] primary shard is not active"}),
                    monkeypatch, SHARD_1_LOST, retry_for=bulk.RETRY_FOR)
    assert time.monotonic() - began < 5  # (the sender tried for three minutes)
    assert said == (f"a node left the cluster with the only copy of shard 1 of the index '{LIVE}': writes to it "
                    "cannot go on until that node is back — start the node again, then `Engine.index()` resumes "
                    "the import")


class MovingShardWriter(RejectingWriter):
    """A cluster whose shard is moving: it turns writes away ``times`` times, then takes them."""

    def __init__(self, times: int) -> None:
        super().__init__(503, {"type": "unavailable_shards_exception", "reason": "primary shard is not active"})
        self.left = times

    def bulk(self, *, body: str, **kw: Any) -> dict[str, Any]:
        if self.left:
            self.left -= 1
            return super().bulk(body=body, **kw)
        n = sum(1 for line in body.splitlines() if line.startswith('{"index"'))
        return {"errors": False, "items": [{"index": {"status": 201}}] * n}


def test_writes_a_moving_shard_turns_away_are_sent_again_until_they_are_in() -> None:
    writer = MovingShardWriter(times=2)
    assert _written(writer, SHARDS_UP) == [2, 0, 0]
    assert writer.left == 0
