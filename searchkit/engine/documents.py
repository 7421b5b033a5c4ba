"""Documents as Whoosh takes them: the schema and its pre-analyzed fields, and an
article turned into ready term lists (positions, frequencies, forms)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh import columns, fields

from .. import dedup
from ..analysis import Analyzer
from ..backends.postings import (
    Posting,
    counts_of,
    encode_positions,
    frequency_postings,
    position_postings,
    positions_of,
)
from ..models import Article

__all__ = [
    "FormField",
    "LemmaField",
    "Posting",
    "counts_of",
    "encode_positions",
    "frequency_postings",
    "make_schema",
    "position_postings",
    "positions_of",
    "prepare_document",
]

# -- fields that take pre-analyzed terms ----------------------------------------------------
# (their postings are encoded in searchkit.backends.postings, which needs no Whoosh import)


class LemmaField(fields.TEXT):  # type: ignore[misc]  # Whoosh has no type hints
    """A positional text field fed ``{term: [positions]}`` (or ready postings) instead of
    a string."""

    def index(self, value: Any, **kwargs: Any) -> Iterable[Posting]:
        return value if isinstance(value, list) else position_postings(value)


class FormField(fields.TEXT):  # type: ignore[misc]
    """A frequency-only field fed ``{form: count}`` (or ready postings): the exact forms
    written in the text."""

    def __init__(self) -> None:
        super().__init__(phrase=False)

    def index(self, value: Any, **kwargs: Any) -> Iterable[Posting]:
        return value if isinstance(value, list) else frequency_postings(value)


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),  # column: id of a docnum, fast
        title=LemmaField(stored=True),
        body=LemmaField(),
        forms=FormField(),
        date=fields.NUMERIC(int, bits=32, sortable=True),
        source=fields.ID(stored=True),  # stored: the original spelling
        source_key=fields.ID(sortable=True),  # lowercase: filters and facets
        day=fields.STORED(),
        path=fields.STORED(),
        stamp=fields.STORED(),
        # When the article's file was last written (ns): what "new since" means.
        # A column only: it is read for `saved run --new`, never searched.
        arrived=fields.COLUMN(columns.NumericColumn("q")),
        sig=fields.COLUMN(columns.VarBytesColumn()),  # near-duplicate signature, b"" if none
    )


def _positions(analyzer: Analyzer, text: str, forms: dict[str, int], firsts: list[str]) -> dict[str, list[int]]:
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


def prepare_document(article: Article, analyzer: Analyzer, relpath: str, stamp: str, *,
                     signer: dedup.Signer | None = None, arrived: int = 0) -> dict[str, Any]:
    """The keyword arguments for Whoosh's ``add_document``: ready postings, stored fields,
    columns. Everything is plain data, so any backend can take it.

    With a ``signer`` the body's lemmas, gathered while its postings are made, also give
    the near-duplicate signature: the text is analyzed once for both.
    """
    forms: dict[str, int] = {}
    title_lemmas: list[str] = []
    body_lemmas: list[str] = []
    doc: dict[str, Any] = {
        "id": article.id,
        "title": position_postings(_positions(analyzer, article.title, forms, title_lemmas)),
        "_stored_title": article.title,
        "body": position_postings(_positions(analyzer, article.text, forms, body_lemmas)),
        "forms": frequency_postings(forms),
        "date": int(article.date.strftime("%Y%m%d")) if article.date else 0,
        "day": article.date.isoformat() if article.date else None,
        "path": relpath,
        "stamp": stamp,
        "arrived": arrived,
    }
    # The title is left out: a copy under a new headline is still a copy.
    sig = signer.signature(body_lemmas) if signer is not None else None
    # Always a value, b"" for none: Whoosh's column reader fails on a segment whose last
    # documents have no value.
    doc["sig"] = sig or b""
    if article.source:
        doc["source"] = article.source
        doc["source_key"] = article.source.lower()
    return doc
