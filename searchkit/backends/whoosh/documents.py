"""Documents as Whoosh takes them: the schema and its fields, which take the analysed
document's term lists (:mod:`searchkit.backends.documents`) and encode them as postings."""

from __future__ import annotations

import operator
import sys
from collections.abc import Iterable
from pickle import dumps
from typing import Any

from whoosh import columns, fields, formats

from ..documents import analysed_document
from ..postings import Posting, counts_of, pack_uint, positions_of

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


_WEIGHTS = tuple(float(i) for i in range(64))


def encode_positions(poses: list[int]) -> bytes:
    """Whoosh's ``Positions`` value: the count, then the pickled position deltas (any
    pickle of a sequence of numbers: Whoosh's reader and ours load them alike)."""
    if len(poses) == 1:
        pos = poses[0]
        if pos < _ONE_POSITION_MAX:
            value = _one_position.get(pos)
            if value is None:
                value = _one_position[pos] = _ONE + _pickled((pos,))
            return value
        return _ONE + _pickled((pos,))
    return pack_uint(len(poses)) + _pickled((poses[0], *map(operator.sub, poses[1:], poses[:-1])))


def _pickled(deltas: tuple[int, ...]) -> bytes:
    """``deltas`` pickled without the protocol mark and the memo entry, which Whoosh's own
    encoding (a list at protocol 2) spends 5 bytes of every value on: ``K\x05\x85.`` for
    one position instead of ``\x80\x02]q\x00K\x05a.``. A posting block's data is 15-40 %
    shorter before zlib (which reads it back that much faster); the postings file of a
    million articles, compressed, 2 % smaller."""
    raw = dumps(deltas, 2)  # b"\x80\x02" ... b"q\x00." (the tuple is the one object memoized)
    return raw[2:-3] + b"."


# Most terms occur once in a document: their values repeat across documents.
_ONE_POSITION_MAX = 1 << 14
_one_position: dict[int, bytes] = {}
_ONE = pack_uint(1)


def position_postings(terms: dict[str, list[int]]) -> list[Posting]:
    """``{term: [positions]}`` -> postings for a :class:`LemmaField`."""
    out = []
    for term, poses in terms.items():
        n = len(poses)
        out.append((term.encode("utf-8"), n, _WEIGHTS[n] if n < 64 else float(n), encode_positions(poses)))
    return out


def frequency_postings(counts: dict[str, int]) -> list[Posting]:
    """``{term: count}`` -> postings for a :class:`FormField`: the count is the weight,
    and there is no value."""
    return [(term.encode("utf-8"), n, _WEIGHTS[n] if n < 64 else float(n), b"") for term, n in counts.items()]


class LemmaField(fields.TEXT):
    """A positional text field fed ``{term: [positions]}`` (or ready postings) instead of
    a string."""

    def index(self, value: Any, **kwargs: Any) -> Iterable[Posting]:
        return value if isinstance(value, list) else position_postings(value)


class FormField(fields.TEXT):
    """A field of weights only, fed ``{form: count}`` (or ready postings): the exact forms
    written in the text. Each posting's weight is the form's count, which is all BM25F
    reads; Whoosh's ``Frequency`` format would store the count a second time as the
    posting's value (4 bytes a posting, 5 % of an index), which nothing reads."""

    def __init__(self) -> None:
        super().__init__(phrase=False)
        self.format = formats.Existence()

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
        topic=fields.STORED(),  # topic vector (searchkit.text.topics), b"" if none: read with each hit
    )


# The analysed document (:mod:`searchkit.backends.documents`) is what this index takes: its
# term lists become postings in the fields above, as the writer adds it. Named here too,
# as the embedded index's callers have always named it.
prepare_document = analysed_document


# Whoosh pickles the schema, field classes included, into every index. Indexes written
# before this backend moved under searchkit.backends name these classes by their old
# module: keep that name loadable, so those indexes open as they are, without a rebuild.
sys.modules.setdefault("searchkit.engine.documents", sys.modules[__name__])
