"""The topic model kept with a concrete index on the cluster (:mod:`searchkit.text.topics`).

A model is several megabytes: too big for the mapping's ``_meta`` (which lives in the
cluster state every node holds), so it is kept in a companion index named after the
generation (``news-g…`` → ``news-t…``), in parts of :data:`PART` bytes, written before
the alias moves to the generation and dropped with it. The companion's name does not
match the generations' pattern (``ALIAS-g*``), so listing them never sees it.

Reading it takes seconds on a busy machine (11 MB at 1,396 articles), so a home keeps a
copy of its live generation's model (:func:`keep`, :func:`kept`), named after the
generation: a rebuild makes a new generation, and a copy of another one is never read.
A process reads a model it has no copy of in the background (:func:`read_in_background`),
and ending, waits for that read at most :data:`EXIT_SECONDS`.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...store.atomic import write_atomically

if TYPE_CHECKING:
    from ...text.topics import TopicModel
    from .index import OpenSearchIndex

__all__ = ["COPIES", "EXIT_SECONDS", "PART", "READ_SECONDS", "companion", "generation_of", "keep", "kept", "load",
           "read_in_background", "save"]

#: Bytes of the model per document of the companion index.
PART = 4 << 20
#: How long reading a model may take: its own time, never a search's (a search goes on
#: without it meanwhile, see :meth:`.index.OpenSearchIndex.topic_model`).
READ_SECONDS = 60.0
#: How long a process that ends waits for a read still going (:func:`read_in_background`),
#: so that its home keeps the copy: a read on a busy machine took 2.6 s.
EXIT_SECONDS = 3.0
#: The folder, in the home's ``index/``, of the copy of the live generation's model.
COPIES = "cluster-topics"

_reads: set[threading.Thread] = set()  # (the reads still going)
_reads_lock = threading.Lock()
_writing = threading.Lock()  # (held by keep() while it writes, and by the process ending)
_ending = False  # (set at exit: keep() writes nothing after)


def companion(alias: str, generation: str) -> str:
    """The companion index of ``generation`` (``ALIAS-g<stamp>``).

    >>> companion("news", "news-g0001733400000000")
    'news-t0001733400000000'
    """
    return f"{alias}-t{generation[len(alias) + 2:]}"


def generation_of(alias: str, companion_name: str) -> str:
    """The generation a companion index belongs to (:func:`companion` turned back).

    >>> generation_of("news", "news-t0001733400000000")
    'news-g0001733400000000'
    """
    return f"{alias}-g{companion_name[len(alias) + 2:]}"


def save(ix: OpenSearchIndex, name: str, model: TopicModel, replicas: int) -> bytes:
    """Keep ``model`` in the companion index ``name`` (created here); its bytes."""
    data = model.to_bytes()
    body = {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas}},
            "mappings": {"dynamic": "strict",
                         "properties": {"part": {"type": "integer"}, "data": {"type": "binary"}}}}
    ix.request("creating the topic model's index", lambda: ix.client.indices.create(index=name, body=body))
    for i in range(0, max(len(data), 1), PART):
        store_part(ix, name, i // PART, data[i:i + PART])
    ix.request("storing the topic model", lambda: ix.client.indices.refresh(index=name))
    return data


def store_part(ix: OpenSearchIndex, name: str, part: int, data: bytes) -> None:
    doc = {"part": part, "data": base64.b64encode(data).decode("ascii")}
    ix.request("storing the topic model", lambda: ix.client.index(index=name, id=str(part), body=doc))


def load(ix: OpenSearchIndex, name: str) -> bytes | None:
    """The model kept in ``name``, as bytes; ``None`` when there is none. Given
    :data:`READ_SECONDS`, asked once (the client that sends a request again on a timeout
    would wait minutes on a node that hangs)."""
    try:
        res: Any = ix.request("reading the topic model", lambda: ix.conn.meta.search(
            index=name, body={"size": 1000, "sort": [{"part": "asc"}], "query": {"match_all": {}}},
            request_timeout=READ_SECONDS), absent=True)
    except ix.conn.os.NotFoundError:
        return None
    parts = [base64.b64decode(h["_source"]["data"]) for h in res["hits"]["hits"]]
    return b"".join(parts) if parts else None


def read_in_background(read: Callable[[], None]) -> None:
    """Run ``read`` (of a model, into memory and the home's copy) in a thread of its own,
    which the process's end waits for at most :data:`EXIT_SECONDS`."""
    # Why a daemon thread and a bounded wait at exit: the read has READ_SECONDS, and a
    # thread the interpreter must join held a command on a hanging node for that long
    # after its answer was printed. The client cannot cancel a request in flight (only
    # close the connection pool it shares with the searches under it). A read cut short
    # at exit loses nothing but the copy, which the next process reads again.
    def run() -> None:
        try:
            read()
        finally:
            with _reads_lock:
                _reads.discard(thread)

    thread = threading.Thread(target=run, name="searchkit-topics", daemon=True)
    with _reads_lock:
        _reads.add(thread)
    thread.start()


@atexit.register
def _wait_at_exit() -> None:
    """Give the reads still going :data:`EXIT_SECONDS` in all; after that no copy is
    begun, and one being written is finished (a daemon thread stops wherever it is when
    the interpreter ends: a file half written would be left)."""
    global _ending
    deadline = time.monotonic() + EXIT_SECONDS
    with contextlib.suppress(KeyboardInterrupt):  # (Ctrl-C: no wait)
        with _reads_lock:
            going = list(_reads)
        for thread in going:
            thread.join(max(0.0, deadline - time.monotonic()))
    with _writing:
        _ending = True


def kept(folder: Path, generation: str) -> TopicModel | None:
    """The home's copy of ``generation``'s model (:func:`keep`); ``None`` when it has none
    or it is damaged (it is read from the cluster again)."""
    from ...text.topics import TopicModel

    try:
        return TopicModel.from_bytes((folder / f"{generation}.npz").read_bytes())
    except (OSError, ValueError):
        return None


def keep(folder: Path, generation: str, data: bytes) -> None:
    """Keep a copy of ``generation``'s model (``data``, its bytes) in ``folder``, in place of
    any other generation's; written whole or not at all (several processes may write it).
    A home that cannot be written reads the model from the cluster in each process."""
    with _writing:
        if not _ending:  # (the process is ending: see _wait_at_exit)
            _keep(folder, generation, data)


def _keep(folder: Path, generation: str, data: bytes) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / f"{generation}.npz", data)
    except OSError:
        return
    with contextlib.suppress(OSError):
        for old in folder.iterdir():
            if old.name != f"{generation}.npz" and not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)
