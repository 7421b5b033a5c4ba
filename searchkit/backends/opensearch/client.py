"""The connection to a cluster: the opensearch-py clients (one for writes and listings, one
bounded by a search's time) and what their failures become in searchkit's terms.

The client spreads requests over the hosts and sends one that fails on the connection
(a node went away) again to another node; this module decides how long each kind of
request may wait and turns what still fails into one-line errors.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from ...errors import IndexError_, QueryError, SearchkitError
from ...query import budget
from .. import shown_url

__all__ = ["META_SECONDS", "RETRIED_STATUSES", "Connection", "client_module", "reason", "shards_failed"]

#: How long the alias and mapping reads wait (see :attr:`Connection.meta`).
META_SECONDS = 5.0
#: The answers of a node that a client sends its request again for (to the next node, in
#: time): a gateway's or an overloaded node's, not the cluster's refusal of the request.
RETRIED_STATUSES = (502, 503, 504)


def client_module() -> Any:
    """The opensearch-py package, or an error that says how to install it."""
    try:
        import opensearchpy
    except ImportError:
        raise SearchkitError(
            "the opensearch backend needs the opensearch-py client",
            # (as README installs it: the extra from the repository root)
            hint="pip install '.[opensearch]' from searchkit's repository (or pip install opensearch-py)",
        ) from None
    # The client logs each failed request with a traceback; searchkit reports failures
    # itself, in one line, so keep those records away from Python's last-resort handler.
    logging.getLogger("opensearch").addHandler(logging.NullHandler())
    return opensearchpy


class Connection:
    """The clients of one index's hosts, made on first use; safe to share between threads
    (each client keeps a pool of connections per host)."""

    def __init__(self, hosts: list[str]) -> None:
        self.hosts = hosts
        #: the hosts as messages name them (no password)
        self.shown = shown_url(", ".join(hosts))
        self.os = client_module()
        self._client: Any = None
        self._bounded: Any = None
        self._meta: Any = None
        self._writer: Any = None
        self._making = threading.Lock()

    def _made(self, attr: str, **options: Any) -> Any:
        """The client kept in ``attr``, made with ``options`` on first use: under a lock, so
        that threads asking at once (a search and the topic model read beside it) share
        one, not each make one and leave all but the last open."""
        client = getattr(self, attr)
        if client is None:
            with self._making:
                client = getattr(self, attr)
                if client is None:
                    client = self.os.OpenSearch(hosts=self.hosts, retry_on_status=RETRIED_STATUSES, **options)
                    setattr(self, attr, client)
        return client

    @property
    def client(self) -> Any:
        """The client; within a search (see :mod:`searchkit.query.budget`), :attr:`bounded`."""
        if budget.answer_left() is not None:
            return self.bounded
        return self._made("_client", timeout=30, max_retries=3, retry_on_timeout=True, http_compress=True)

    @property
    def bounded(self) -> Any:
        """The client for a search's requests: each one has at most the search's 2 s (the
        count and the search itself what is left of them, see :func:`budget.answer_left`),
        and one that times out is not sent again (the other client's 30 s and three
        retries would keep a search waiting on a node that hangs for two minutes)."""
        return self._made("_bounded", timeout=budget.ANSWER_SECONDS, max_retries=1, retry_on_timeout=False,
                          http_compress=True)

    @property
    def meta(self) -> Any:
        """The client for reading which index the alias names and its mapping, the first
        request of every command: small reads a node answers from memory, so one that
        does not answer in :data:`META_SECONDS` is not waited on for the other client's 30 s
        and three retries (a node that hung kept `stats` or `index` silent for two
        minutes). Within a search, :attr:`bounded`."""
        if budget.answer_left() is not None:
            return self.bounded
        return self._made("_meta", timeout=META_SECONDS, max_retries=1, retry_on_timeout=False, http_compress=True)

    @property
    def writer(self) -> Any:
        """The client for bulk writes, as :attr:`client` but with bodies sent as they are
        (compressing them cost the importer a quarter of its CPU, gzip of every megabyte
        of JSON, to save bytes a cluster's own network carries in milliseconds) and a
        connection for each sending thread (see :class:`.bulk.BulkSender`)."""
        return self._made("_writer", timeout=30, max_retries=3, retry_on_timeout=True, http_compress=False,
                          pool_maxsize=16)

    def call(self, what: str, fn: Callable[[], Any], *, query: bool = False) -> Any:
        """Run one client call; connection and server failures become searchkit errors
        (a bad request made from a user's query is a :class:`QueryError`), and so does an
        answer that reports one (see :meth:`checked`). A 404 is the caller's to judge."""
        os_ = self.os
        try:
            return self.checked(what, fn())
        except os_.NotFoundError:
            raise
        except os_.RequestError as e:
            if query:
                raise QueryError(f"the cluster cannot run this query: {reason(e)}") from None
            raise IndexError_(f"OpenSearch refused {what}: {e.status_code} {reason(e)}") from None
        except os_.ConnectionError as e:
            if query and isinstance(e, os_.ConnectionTimeout):  # a search's query, given its time
                raise _late() from None
            raise IndexError_(f"cannot reach OpenSearch at {self.shown} ({what}): {_why(e, os_)}",
                              hint="is the cluster running? (scripts/opensearch-up starts a local one)") from None
        except os_.TransportError as e:
            if _time_exceeded(e.info):  # (a search's own timeout, met in a phase that cannot stop early)
                raise _late() from None
            raise IndexError_(f"OpenSearch refused {what}: {e.status_code} {reason(e)}") from None

    def checked(self, what: str, res: Any) -> Any:
        """``res``, unless it reports a failure, which becomes an :class:`IndexError_`: a
        shard that failed (an answer from the others alone is not the answer: partial
        results are for a search's time only), or in a multi-search one search that failed
        (a missing index there is the client's :class:`NotFoundError`, as when alone)."""
        if not isinstance(res, dict):
            return res
        answers = res.get("responses")
        for r in [*(answers if isinstance(answers, list) else ()), res]:
            if not isinstance(r, dict):
                continue
            if _time_exceeded(r):
                raise _late()
            if r.get("error"):
                if r.get("status") == 404:
                    raise self.os.NotFoundError(404, "index_not_found_exception", r)
                raise IndexError_(f"OpenSearch failed at {what}: {reason(r)}")
            shards = r.get("_shards")
            # (a document write's shards are its copies: the primary took it, and the
            # cluster copies it again to a replica that failed)
            if isinstance(shards, dict) and shards.get("failed") and "result" not in r:
                raise IndexError_(f"OpenSearch could not answer from every shard ({what}): {shards_failed(shards)}")
        return res

    def close(self) -> None:
        for c in (self._client, self._bounded, self._meta, self._writer):
            if c is not None:
                c.close()
        self._client = self._bounded = self._meta = self._writer = None


def _late() -> QueryError:
    """A search's request that ran out of the search's time, said alike however it ended."""
    return QueryError(f"the cluster did not answer within {budget.ANSWER_SECONDS:g} s; "
                      "narrow the query, or try again when the cluster is less busy")


def _time_exceeded(answer: Any) -> bool:
    """Whether ``answer`` failed only because the search's ``timeout`` ran out where a shard
    cannot stop with what it found (rewriting a prefix or fuzzy word, the dfs phase):
    OpenSearch then says ``time_exceeded_exception``, as a 500 or as failed shards, where a
    shard stopped while collecting answers with ``timed_out`` instead."""
    if not isinstance(answer, dict):
        return False
    if answer.get("error"):
        return _TIME_EXCEEDED in json.dumps(answer["error"])
    shards = answer.get("_shards")
    failures = shards.get("failures") if isinstance(shards, dict) and shards.get("failed") else None
    return isinstance(failures, list) and bool(failures) and all(_TIME_EXCEEDED in json.dumps(f) for f in failures)


_TIME_EXCEEDED = "time_exceeded_exception"


def _why(e: Any, os_: Any) -> str:
    """A connection failure in words, not the HTTP library's repr of its pool."""
    if isinstance(e, os_.ConnectionTimeout):
        return "no answer in time (the node may hang)"
    text = str(e.info or e)
    low = text.lower()
    if "refused" in low:
        return "connection refused (nothing listens there)"
    if "name or service not known" in low or "nodename nor servname" in low:
        return "unknown host name"
    return text


def reason(e: Any) -> str:
    """The cluster's reason for a failure (its root cause), in one line: of a client's
    exception, or of an answer that holds an ``error`` (one search of a multi-search)."""
    info = e if isinstance(e, dict) else getattr(e, "info", None)
    if isinstance(info, dict):
        err = info.get("error")
        if isinstance(err, dict):
            root = (err.get("root_cause") or [err])[0]
            return f"{root.get('type', '')}: {root.get('reason', '')}".strip(": ")
        if err:
            return str(err)
    return str(getattr(e, "error", "") or e)


def shards_failed(shards: dict[str, Any]) -> str:
    """An answer's ``_shards`` that report failures, in one line: how many failed, and each
    distinct reason (the innermost cause) with the first shard it came from."""
    said: dict[str, str] = {}
    for f in shards.get("failures") or ():
        cause = f.get("reason") if isinstance(f, dict) else None
        while isinstance(cause, dict) and isinstance(cause.get("caused_by"), dict):
            cause = cause["caused_by"]
        text = (f"{cause.get('type', '')}: {cause.get('reason', '')}".strip(": ") if isinstance(cause, dict)
                else str(cause or "no reason given"))
        said.setdefault(" ".join(text.split()), f"shard {f.get('shard', '?')} of {f.get('index', '?')}")
    reasons = "; ".join(f"{text} ({where})" for text, where in said.items()) or "no reason given"
    return f"{shards.get('failed')} of {shards.get('total', '?')} shards failed: {reasons}"
