"""The topic model kept with a concrete index on the cluster (:mod:`searchkit.text.topics`).

A model is several megabytes: too big for the mapping's ``_meta`` (which lives in the
cluster state every node holds), so it is kept in a companion index named after the
generation (``news-g…`` → ``news-t…``), in parts of :data:`PART` bytes, written before
the alias moves to the generation and dropped with it. The companion's name does not
match the generations' pattern (``ALIAS-g*``), so listing them never sees it.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...text.topics import TopicModel
    from .index import OpenSearchIndex

__all__ = ["PART", "companion", "generation_of", "load", "save"]

#: Bytes of the model per document of the companion index.
PART = 4 << 20


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


def save(ix: OpenSearchIndex, name: str, model: TopicModel, replicas: int) -> None:
    """Keep ``model`` in the companion index ``name`` (created here)."""
    data = model.to_bytes()
    body = {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas}},
            "mappings": {"dynamic": "strict",
                         "properties": {"part": {"type": "integer"}, "data": {"type": "binary"}}}}
    ix.request("creating the topic model's index", lambda: ix.client.indices.create(index=name, body=body))
    for i in range(0, max(len(data), 1), PART):
        store_part(ix, name, i // PART, data[i:i + PART])
    ix.request("storing the topic model", lambda: ix.client.indices.refresh(index=name))


def store_part(ix: OpenSearchIndex, name: str, part: int, data: bytes) -> None:
    doc = {"part": part, "data": base64.b64encode(data).decode("ascii")}
    ix.request("storing the topic model", lambda: ix.client.index(index=name, id=str(part), body=doc))


def load(ix: OpenSearchIndex, name: str) -> TopicModel | None:
    """The model kept in ``name``; ``None`` when there is none or it is not one."""
    from ...text.topics import TopicModel

    try:
        res: Any = ix.request("reading the topic model", lambda: ix.client.search(
            index=name, body={"size": 1000, "sort": [{"part": "asc"}], "query": {"match_all": {}}}))
    except ix.conn.os.NotFoundError:
        return None
    parts = [base64.b64decode(h["_source"]["data"]) for h in res["hits"]["hits"]]
    try:
        return TopicModel.from_bytes(b"".join(parts)) if parts else None
    except ValueError:
        return None
