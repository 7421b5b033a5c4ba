"""The home at a glance: articles, sources and dates as the index stores them, the index's
size, and whether it is up to date with ``corpus/`` (and if not, why)."""

from __future__ import annotations

import datetime as dt

from ..backends.documents import source_key
from ..ingest import topics
from ..ingest.sync import AT_WORK, IndexSync
from ..ingest.unreadable import count_unreadable
from ..models import Stats

__all__ = ["stats"]


def stats(sync: IndexSync, lexicon_error: str | None) -> Stats:
    """See :meth:`searchkit.Engine.stats`; ``lexicon_error``: why ``lexicon.tsv`` cannot be
    read (then whether its lemmas changed cannot be told), else ``None``."""
    index, corpus = sync.index, sync.corpus
    if lexicon_error is None:  # (what it holds is read as this searchkit writes it)
        sync.refuse_newer()
    unindexed = {f.relpath: f.stamp for f in corpus.scan()}  # emptied as the index is read
    stored = len(unindexed)
    reason = index.rebuild_reason() if lexicon_error is None else None
    # (a search waits for that writer, and says the same if it is not done in time)
    building = sync.building_elsewhere()
    if building:
        reason = "; ".join(filter(None, (reason, sync.building_said())))
    if not index.exists():
        return Stats(0, {}, None, None, 0, False, stored, 0, reason, lexicon_error, index_building=building)
    sources: dict[str, int] = {}
    names: dict[str, str] = {}  # each key as the first article with it spells it, as facets show it
    days = []
    undated = 0
    fresh = reason is None
    seen = 0
    changed: list[str] = []  # indexed, and changed since
    gone = False
    for f in index.stored():
        seen += 1
        if f.get("source"):
            name = names.setdefault(source_key(f["source"]), f["source"])
            sources[name] = sources.get(name, 0) + 1
        if f.get("day"):
            days.append(f["day"])
        else:
            undated += 1
        path = f.get("path", "")
        stamp = unindexed.pop(path, None)
        if not corpus.as_indexed(path, f.get("stamp"), stamp):
            fresh = False
            if stamp is None:
                gone = True  # (deleted from corpus/: `index` is the advice)
            else:
                changed.append(path)
    unreadable = 0
    if reason is None and (changed or unindexed) and not gone:
        fresh = False
        # (the rule a search's note follows too: none of the files behind can be read)
        unreadable = count_unreadable(corpus, changed + list(unindexed))
    if reason is None and not fresh:
        reason = ("corpus/ has changed since it was indexed" if not unreadable else
                  f"{unreadable} article file{'s' if unreadable > 1 else ''} in corpus/ cannot be read")
    elif fresh and (lag := index.lagging()) is not None:  # every article in, not all it needs
        fresh, reason = False, lag
    model = index.topic_model()
    # (the rule `index` and an import follow: such an index is rebuilt to learn its model)
    due = topics.outgrown(model, seen)
    if fresh and due:
        fresh, reason = False, topics.UNLEARNT
    if not fresh and not building and not unreadable and sync.writer_at_work():
        # (what a search's note says then: nothing to run meanwhile, `index` would wait for it)
        reason, building = f"{reason}; {AT_WORK.format('the changes')}", True
    return Stats(
        articles=seen, sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
        first_date=dt.date.fromisoformat(min(days)) if days else None,
        last_date=dt.date.fromisoformat(max(days)) if days else None,
        index_bytes=index.size_bytes(), index_up_to_date=fresh, corpus_articles=stored,
        undated=undated, index_outdated_reason=reason, lexicon_error=lexicon_error,
        topics_learnt_from=model.articles if model is not None and model.dimensions else 0, topics_due=due,
        unreadable=unreadable, index_building=building,
    )

