"""What an article is about, as a short vector: latent semantic analysis of the archive.

Pure: no index, no files. A :class:`TopicModel` is learnt from the lemma counts of a
sample of the archive's articles (tf-idf, then a truncated SVD): each lemma gets a point
in a space of :data:`DIMENSIONS` topics, where lemmas used in the same articles lie
close together (`АТО` near `бойовий` and `Донбас`, `овоч` near `морква` and `розсада`).
An article's vector is the sum of its lemmas' points weighted by tf-idf; a query's, the
sum of its words' points. Their cosine says how close an article is to the subject of a
query even through words the query does not use, which counting the query's own words
cannot see (see docs/relevance.md, "Ranking by topic").

>>> docs = [{"уряд": 2, "закон": 1}, {"закон": 1, "суд": 2}, {"овоч": 2, "морква": 1},
...         {"морква": 1, "город": 2}, {"суд": 1, "уряд": 1}, {"город": 1, "овоч": 1}]
>>> m = train(docs, dimensions=2)
>>> near = m.similarity(m.query_vector([("суд",)]), m.document_vector({"закон": 1}))
>>> far = m.similarity(m.query_vector([("суд",)]), m.document_vector({"морква": 1}))
>>> near > far
True
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["DIMENSIONS", "MAX_TERMS", "MIN_ARTICLES", "SAMPLE", "Gathered", "TopicModel", "train"]

#: Topics of the space. 50 to 400 ranked alike on the subject sets; 128 keeps an
#: article's vector at 256 bytes (float16).
DIMENSIONS = 128
#: Articles the model is learnt from at most, spread over the archive: the SVD of 3,000
#: articles takes seconds, and more articles add little to what words mean.
SAMPLE = 3000
#: Below this many articles an archive learns no model: its words co-occur too rarely to
#: say anything (and the ranking stays what the words alone give).
MIN_ARTICLES = 50
#: Lemmas of the model at most, the commonest of those in two articles or more.
MAX_TERMS = 40_000

_F32 = NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class TopicModel:
    """Lemmas, their points (rows of ``points``) and inverse document frequencies."""

    terms: tuple[str, ...]
    points: NDArray[np.float16]
    idf: _F32
    articles: int  # the articles it was learnt from
    _row: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_row", {t: i for i, t in enumerate(self.terms)})

    # What only an indexing process needs is made on first use: a search loads the model
    # and reads a few rows of it (loading the 100,000-article home's took 0.10 s with them).
    @functools.cached_property
    def _points(self) -> _F32:
        """The points in float32: each article's vector reads ~300 rows."""
        return self.points.astype(np.float32)

    @functools.cached_property
    def _by_hash(self) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
        """The lemmas' hashes, sorted, and the row of each. An article's ~350 lemmas are
        found by their hashes (cached in each string) in this array: looking each up in
        the dict cost 40 % of the article's analysis. (Hashes are this process's own: an
        unpickled model makes them again.)"""
        hashes = np.fromiter(map(hash, self.terms), dtype=np.int64, count=len(self.terms))
        order = np.argsort(hashes, kind="stable")
        return hashes[order], order.astype(np.intp)

    def __getstate__(self) -> dict[str, object]:
        # (sent to the analysing processes without what each makes again)
        return {"terms": self.terms, "points": self.points, "idf": self.idf, "articles": self.articles}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()

    @classmethod
    def empty(cls, articles: int) -> TopicModel:
        """What ``articles`` that gave no topics learnt (articles that share no words, or
        none that can be read): no lemma has a point, so nothing is reordered, and the
        archive is not asked to learn again until it grows (see
        :func:`searchkit.ingest.topics.outgrown`)."""
        return cls((), np.zeros((0, 0), dtype=np.float16), np.zeros(0, dtype=np.float32), articles)

    @property
    def dimensions(self) -> int:
        return int(self.points.shape[1])

    @property
    def digest(self) -> str:
        """Names this model: two learnt from the same articles have the same digest."""
        h = hashlib.sha256("\n".join(self.terms).encode())
        h.update(self.points.tobytes())
        return h.hexdigest()[:16]

    def document_vector(self, counts: Mapping[str, int]) -> bytes:
        """An article's vector from its lemma counts: unit length, float16; ``b""`` when
        it holds no lemma of the model."""
        sorted_hashes, rows_of = self._by_hash
        if not counts or not len(sorted_hashes):
            return b""
        hashes = np.fromiter(map(hash, counts), dtype=np.int64, count=len(counts))
        at = np.minimum(np.searchsorted(sorted_hashes, hashes), len(sorted_hashes) - 1)
        ns = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        # (a lemma the model lacks with the 64-bit hash of one it has: one lookup in 10^14)
        known = (sorted_hashes[at] == hashes) & (ns > 0)
        if not known.any():
            return b""
        rows = rows_of[at[known]]
        v = (((1.0 + np.log(ns[known])) * self.idf[rows]) @ self._points[rows]).astype(np.float32)
        return _unit(v).astype(np.float16).tobytes() if np.any(v) else b""

    def query_vector(self, words: Sequence[Iterable[str]]) -> _F32 | None:
        """A query's vector: each word (the lemmas and forms it is searched as) weighs
        its rarity once, shared among those the model knows; ``None`` when it knows none."""
        v = np.zeros(self.dimensions, dtype=np.float32)
        for terms in words:
            rows = sorted({i for t in terms if (i := self._row.get(t)) is not None})
            if rows:
                w = self.idf[rows] / len(rows)
                v += w @ self.points[rows].astype(np.float32)
        return _unit(v) if np.any(v) else None

    def similarity(self, query: _F32 | None, document: bytes) -> float:
        """The cosine of a query's and an article's vectors; 0 when either is missing or
        the article's was made by a model of other dimensions."""
        if query is None or len(document) != 2 * self.dimensions:
            return 0.0
        return float(np.frombuffer(document, dtype=np.float16).astype(np.float32) @ query) + 0.0  # (never -0.0)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez(buf, terms=np.frombuffer("\n".join(self.terms).encode(), dtype=np.uint8), points=self.points,
                 idf=self.idf, articles=np.asarray([self.articles], dtype=np.int64))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TopicModel:
        """A model from :meth:`to_bytes`; ``ValueError`` when ``data`` is not one."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                text = z["terms"].tobytes().decode()
                terms = tuple(text.split("\n")) if text else ()  # (an empty model's: none)
                points, idf, articles = z["points"], z["idf"], int(z["articles"][0])
        # (a damaged file fails its zip member's checksum: BadZipFile, not a ValueError)
        except (OSError, ValueError, KeyError, IndexError, UnicodeDecodeError, EOFError, zipfile.BadZipFile) as e:
            raise ValueError(f"not a topic model ({type(e).__name__}: {e})") from None
        if points.ndim != 2 or points.shape[0] != len(terms) or idf.shape != (len(terms),):
            raise ValueError("not a topic model (its arrays do not match)")
        return cls(terms, points.astype(np.float16), idf.astype(np.float32), articles)


def _unit(v: _F32) -> _F32:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n else v


class Gathered:
    """Articles' lemma counts gathered for learning, in any order, each at its place in
    the sample: a model is learnt from them in the order of their places, so articles
    analysed by two processes and sent as each is done learn what one process would.

    Each article is kept as two small arrays (lemma numbers, counts), not as its dict:
    3,000 articles' dicts held 90 MB more at the build's peak."""

    def __init__(self) -> None:
        self._number: dict[str, int] = {}
        self._articles: dict[int, tuple[NDArray[np.int32], NDArray[np.float32]]] = {}

    def add(self, place: int, counts: Mapping[str, int]) -> None:
        """The lemma counts of the article at ``place`` (one that gives none is left out)."""
        number = self._number
        pairs = [(number.setdefault(t, len(number)), c) for t, c in counts.items() if c > 0]
        if pairs:
            self._articles[place] = (np.fromiter((i for i, _ in pairs), dtype=np.int32, count=len(pairs)),
                                     np.fromiter((c for _, c in pairs), dtype=np.float32, count=len(pairs)))

    def __len__(self) -> int:
        return len(self._articles)

    def train(self, *, dimensions: int | None = None, max_terms: int = MAX_TERMS,
              tick: Callable[[], None] | None = None) -> TopicModel | None:
        """See :func:`train`."""
        # (the lemmas' numbers follow the order the articles came in; nothing below
        # depends on them: the vocabulary is ordered by the lemmas themselves)
        kept = [self._articles[place] for place in sorted(self._articles)]
        return _train([ids for ids, _ in kept], [cs for _, cs in kept], list(self._number),
                      dimensions=dimensions, max_terms=max_terms, tick=tick)


def train(documents: Iterable[Mapping[str, int]], *, dimensions: int | None = None,
          max_terms: int = MAX_TERMS, tick: Callable[[], None] | None = None) -> TopicModel | None:
    """A model learnt from articles' lemma counts; ``None`` for fewer than three articles
    or two lemmas shared by two of them. The same articles give the same model. ``tick``
    is called between the steps of the factorisation (seconds for a few thousand
    articles), for a progress display's clock."""
    gathered = Gathered()
    for place, d in enumerate(documents):
        gathered.add(place, d)
    return gathered.train(dimensions=dimensions, max_terms=max_terms, tick=tick)


def _train(lemmas: list[NDArray[np.int32]], counts: list[NDArray[np.float32]], names: list[str], *,
           dimensions: int | None, max_terms: int, tick: Callable[[], None] | None) -> TopicModel | None:
    """:func:`train` of articles given as their lemmas' numbers (into ``names``) and counts."""
    # (SciPy loads in a third of a second: only a build that learns a model needs it)
    from scipy.sparse import csr_matrix

    n = len(lemmas)
    df = np.bincount(np.concatenate(lemmas), minlength=len(names)) if n else np.zeros(0, dtype=np.int64)
    # lemmas in one article say nothing of what goes with what; ties broken by the
    # lemma, so that the vocabulary does not depend on the order of the articles
    shared = sorted((int(i) for i in np.flatnonzero(df >= 2)), key=lambda i: (-int(df[i]), names[i]))[:max_terms]
    if n < 3 or len(shared) < 2:
        return None
    shared.sort(key=names.__getitem__)
    terms = tuple(names[i] for i in shared)
    row = np.full(len(names), -1, dtype=np.int64)
    row[shared] = np.arange(len(shared))
    idf = np.log(n / df[shared]).astype(np.float32)
    rows, cols, vals = [], [], []
    for r, (ids, cs) in enumerate(zip(lemmas, counts, strict=True)):
        col = row[ids]
        known = col >= 0
        cols.append(col[known])
        rows.append(np.full(int(known.sum()), r, dtype=np.int64))
        vals.append((1.0 + np.log(cs[known])) * idf[col[known]])
    x = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                   shape=(n, len(terms)), dtype=np.float32)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = csr_matrix(x.multiply(1.0 / norms[:, None]))
    # BLAS on one thread: a build's second process (or any other work) has the other
    # core, and OpenBLAS's threads spinning against it made this 1.6x slower (2.0 s
    # against 1.25 s for 1,396 articles with one busy process beside it; 8.5 s of QR
    # in a first import on a loaded machine)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        points = _right_singular_vectors(x, dimensions or DIMENSIONS, tick or (lambda: None))
    if points.shape[1] == 0:
        return None
    return TopicModel(terms, points.astype(np.float16), idf, n)


def _right_singular_vectors(x: Any, k: int, tick: Callable[[], None]) -> NDArray[np.float64]:
    """The top ``k`` right singular vectors of the sparse matrix ``x`` as columns, by a
    randomized SVD (Halko, Martinsson, Tropp 2011) with a fixed seed: the same matrix
    gives the same vectors, and a matrix of lower rank (articles that repeat one another)
    gives fewer vectors instead of failing, as ARPACK's ``svds`` did."""
    rng = np.random.default_rng(0)
    k = min(k, *x.shape)
    sketch = min(k + 10, *x.shape)
    xt = x.T.tocsr()
    # the range of x found on the side of the articles (a few thousand rows): QR there is
    # cheap, where the side of the lemmas (tens of thousands) took seconds. In float32:
    # float64 arrays of lemmas × sketch doubled the build's peak memory.
    q, _ = np.linalg.qr(x @ rng.standard_normal((x.shape[1], sketch), dtype=np.float32))
    for _ in range(4):  # power iterations: the spectrum of a tf-idf matrix decays slowly
        tick()
        q, _ = np.linalg.qr(x @ (xt @ q))
    tick()
    b = (xt @ q).T  # sketch × lemmas: x ≈ q b
    eigenvalues, w = np.linalg.eigh(b @ b.T)  # b's singular values squared, ascending
    order = np.argsort(eigenvalues)[::-1]
    sigma = np.sqrt(np.clip(eigenvalues[order], 0.0, None))
    vt = (w[:, order].T @ b) / np.where(sigma > 0, sigma, 1.0)[:, None]
    keep = sigma[:k] > 1e-6 * (sigma[0] if len(sigma) else 0.0)
    points = np.ascontiguousarray(vt[:k][keep].T)
    # a singular vector's sign is arbitrary: fix it, so the model does not depend on it
    points *= np.where(points.sum(axis=0) < 0, -1.0, 1.0)
    return points
