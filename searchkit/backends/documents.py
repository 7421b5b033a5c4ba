"""The analysed document both backends take: an article turned into terms with positions,
once, by whoever analyses it (the importing process or an analysis process).

A plain ``dict`` of plain values (it pickles cheaply between processes, and each backend
turns it into its own form: Whoosh postings in its writer, a ``_source`` on the cluster)::

    id           the article's id
    title, body  {lemma: [word positions]}: every lemma of a word at that word's position
    forms        {normal form written in the text: count} (title and body)
    _stored_title  the title as written (a leading ``_``: kept for display, not analysed)
    date         YYYYMMDD as an int, 0 when undated; day: the ISO date or None
    source, source_key   the source as written and lowercased (absent without a source)
    path, stamp  the article's file under corpus/ and its stamp when analysed
    arrived      when the file was written (ns): what "new since" means
    sig          the near-duplicate signature of the body's lemmas, b"" for none
    topic        what the article is about (:mod:`searchkit.text.topics`), b"" for none

It is a ``dict`` rather than a class because it crosses the library untyped
(``Index.rebuild`` and ``Index.apply`` take ``dict[str, Any]``); :data:`KEYS` lists the
keys every document has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import Article
from ..text import dedup
from ..text.analysis import Analyzer
from ..text.normalize import APOSTROPHES, fold_lookalikes

if TYPE_CHECKING:  # (NumPy loads only where a topic model is used)
    from ..text.topics import TopicModel

__all__ = ["KEYS", "analysed_document", "date_bounds", "set_topic", "source_key", "source_keys", "topic_counts"]


def source_key(source: str) -> str:
    """What sources are told apart by in filters, facets, ``sources()`` and ``stats``:
    ``Музика`` and ``МУЗИКА`` are one source, and so are ``Вісті Придніпров'я`` and
    ``Вісті Придніпров’я`` (an apostrophe is one whichever was typed), and ``Час  Київщини``
    and ``Час Київщини`` (spaces are one however many were typed; a change of the index's
    contents that came with analyzer version 7, so every index is rebuilt for it)."""
    return " ".join(source.lower().translate(_ONE_APOSTROPHE).split())


_ONE_APOSTROPHE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))


def source_keys(source: str) -> tuple[str, ...]:
    """The keys a ``--source`` filter of ``source`` matches, in both backends and in the
    note on a source no article has: its :func:`source_key`, and when a word of it mixes
    Latin look-alike letters into Cyrillic ones (``Вiсті`` with a Latin ``i``, as a mixed
    keyboard types it) that key with them folded to the rest of the word's script, by
    the rule query words follow (:func:`~searchkit.text.normalize.fold_lookalikes`).
    Folded here, when the filter is made, not in the index: no index is rebuilt for it,
    and a source stored with such letters is still found as written."""
    key = source_key(source)
    folded = " ".join(fold_lookalikes(word) for word in key.split(" "))
    return (key,) if folded == key else (key, folded)


def date_bounds(since: int | None, until: int | None) -> tuple[int, int]:
    """A date filter's range (``yyyymmdd``) with an open end closed: both backends'."""
    return since or 1, until or 99991231

KEYS = ("id", "title", "body", "forms", "_stored_title", "date", "day", "path", "stamp", "arrived", "sig", "topic")


def _positions(analyzer: Analyzer, text: str, forms: dict[str, int], firsts: list[str]) -> dict[str, list[int]]:
    """``{lemma: [positions]}`` of ``text``; counts its forms into ``forms`` and appends each
    word's first lemma to ``firsts`` (for the signature)."""
    terms: dict[str, list[int]] = {}
    append = firsts.append
    for pos, (form, lemmas, _) in enumerate(analyzer.words(text)):
        for lemma in lemmas:
            poses = terms.get(lemma)
            if poses is None:
                terms[lemma] = [pos]
            else:
                poses.append(pos)
        forms[form] = forms.get(form, 0) + 1
        append(lemmas[0])
    return terms


def topic_counts(doc: dict[str, Any]) -> dict[str, int]:
    """``{lemma: words}`` of an analysed document, title and body: what its topic vector,
    and the topic model's training, count (one rule for both)."""
    counts = {lemma: len(poses) for lemma, poses in doc["body"].items()}
    for lemma, poses in doc["title"].items():
        counts[lemma] = counts.get(lemma, 0) + len(poses)
    return counts


def set_topic(doc: dict[str, Any], topics: TopicModel | None) -> dict[str, Any]:
    """``doc`` (analysed) given its topic vector by ``topics``, ``b""`` for none: one rule for
    an article analysed with the model and for one analysed while the model was learnt."""
    doc["topic"] = topics.document_vector(topic_counts(doc)) if topics is not None else b""
    return doc


def analysed_document(article: Article, analyzer: Analyzer, relpath: str, stamp: str, *,
                      signer: dedup.Signer | None = None, arrived: int = 0,
                      topics: TopicModel | None = None) -> dict[str, Any]:
    """``article`` analysed (see the module docstring). With a ``signer`` the body's lemmas,
    gathered while its positions are listed, also give the near-duplicate signature: the
    text is analysed once for both; with ``topics``, the lemmas give its topic vector."""
    forms: dict[str, int] = {}
    title_lemmas: list[str] = []
    body_lemmas: list[str] = []
    doc: dict[str, Any] = {
        "id": article.id,
        "title": _positions(analyzer, article.title, forms, title_lemmas),
        "_stored_title": article.title,
        "body": _positions(analyzer, article.text, forms, body_lemmas),
        "forms": forms,
        "date": int(article.date.strftime("%Y%m%d")) if article.date else 0,
        "day": article.date.isoformat() if article.date else None,
        "path": relpath,
        "stamp": stamp,
        "arrived": arrived,
    }
    # The title is left out of a text long enough to compare (a copy under a new headline
    # is still a copy); a short one's exact signature holds it.
    sig = signer.signature(body_lemmas, title=title_lemmas) if signer is not None else None
    # Always a value, b"" for none: the embedded index's column reader fails on a segment
    # whose last documents have no value.
    doc["sig"] = sig or b""
    set_topic(doc, topics)
    if article.source:
        doc["source"] = article.source
        doc["source_key"] = source_key(article.source)
    return doc
