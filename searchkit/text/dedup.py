"""Near-duplicate detection: MinHash signatures over lemma shingles, LSH bands, clusters.

Pure: no Whoosh, no files. The indexing path hands :meth:`Signer.signature` the lemma of
every word it has just analyzed, so a signature costs hashing only, never a second
analysis. Two articles are near-duplicates when the estimated Jaccard similarity of their
sets of lemma trigrams is at least :data:`THRESHOLD`; lemmas (not surface forms) make a
copy whose words were put into other cases or tenses look identical.

>>> s = Signer()
>>> words = "уряд ухвалити новий закон про мова який набути чинність з січень".split() * 3
>>> a, b = s.signature(words), s.signature(words[:-4])
>>> similarity(a, b) > THRESHOLD
True

The signature is one-permutation MinHash (Li, Owen, Zhang 2012): each shingle is hashed
once, the low bits pick one of :data:`BINS` bins and each bin keeps its smallest value.
That is one hash per shingle instead of one per shingle and permutation, which is what
keeps it cheap enough to compute in pure Python at import time.

A text too short (or too repetitive) for MinHash to say anything gets an exact signature
instead: every bin from a hash of its title and text, so only an identical copy shares it
(similarity 1) and anything else shares no bin:

>>> short = "у місті відключили світло".split()
>>> similarity(s.signature(short, title=["світло"]), s.signature(short, title=["світло"]))
1.0
>>> similarity(s.signature(short, title=["світло"]), s.signature(short, title=["вода"]))
0.0
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

__all__ = [
    "BINS",
    "EMPTY",
    "ROWS",
    "SHINGLE",
    "THRESHOLD",
    "Clusters",
    "Signer",
    "Stars",
    "bands",
    "exact_signature",
    "group_all",
    "grouped",
    "neighbours",
    "similarity",
]

#: Words per shingle. Trigrams keep unrelated articles on one topic apart (they share
#: words, rarely three in a row) while a copy with a few words changed keeps most of them.
SHINGLE = 3
#: Bins of the signature (32 bits each): 256 bytes per article.
BINS = 64
#: Bins per LSH band. Two rows over 32 bands make a pair at the threshold a candidate
#: with probability 1 - (1 - 0.3²)^32 ≈ 0.95.
ROWS = 2
#: Estimated Jaccard similarity at or above which two articles are near-duplicates.
THRESHOLD = 0.3
#: Texts with fewer shingles get no MinHash signature (a few words say nothing about
#: copying), only an exact one (:meth:`Signer.signature`).
MIN_SHINGLES = 12
#: Nor do texts whose shingles fill fewer bins than this (the same few words repeated).
MIN_BINS = 8
#: The value of a bin that no shingle fell into.
EMPTY = 0xFFFFFFFF

_MASK = (1 << 64) - 1
_BIN_MASK = BINS - 1
_FORMAT = f"<{BINS}I"
_BAND_BYTES = ROWS * 4
_EMPTY_BAND = b"\xff" * _BAND_BYTES
#: An empty band as bytes, and as the unsigned number of its 8 bytes.
EMPTY_BAND_BYTES = _EMPTY_BAND
EMPTY_BAND_INT = (1 << (8 * _BAND_BYTES)) - 1
N_BANDS = BINS // ROWS


#: An article's key while grouping: its id, or its document number in an index.
K = TypeVar("K", str, int)
#: A key of :class:`Stars`.
H = TypeVar("H", bound=Hashable)


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _MASK


class Signer:
    """Computes signatures; caches the hash of each lemma (bounded)."""

    def __init__(self, *, cache_size: int = 400_000) -> None:
        self._cache_size = cache_size
        # lemma -> its 64-bit hash rotated for shingle positions 0, 1 and 2, so that a
        # shingle's hash is two XORs and the word order still matters.
        self._hashes: dict[str, tuple[int, int, int]] = {}

    def _lemma_hash(self, lemma: str) -> tuple[int, int, int]:
        h = self._hashes.get(lemma)
        if h is None:
            # blake2b, not hash(): str hashes change from one process to the next.
            x = int.from_bytes(hashlib.blake2b(lemma.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                               "little")
            h = (x, _rotl(x, 21), _rotl(x, 42))
            if len(self._hashes) >= self._cache_size:
                self._hashes.clear()
            self._hashes[lemma] = h
        return h

    def signature(self, lemmas: Sequence[str], *, title: Sequence[str] = ()) -> bytes | None:
        """The signature of a text given as its lemmas in order: MinHash over its
        shingles, or, for a text too short or repetitive for that, the exact signature of
        the title's lemmas and its own (``None``: no words at all). Three copies of one
        nine-word notice under three ids were three hits: an exact copy folds at any
        length, but a short text one word apart, or under another title, is not taken for
        a copy (too few words to tell an edit from another notice)."""
        sig = self._minhash(lemmas)
        if sig is None and lemmas:
            sig = exact_signature([*title, "\n", *lemmas])
        return sig

    def _minhash(self, lemmas: Sequence[str]) -> bytes | None:
        if len(lemmas) < SHINGLE + MIN_SHINGLES - 1:
            return None
        get = self._hashes.get
        hs = [get(lemma) or self._lemma_hash(lemma) for lemma in lemmas]
        mins = [EMPTY] * BINS
        # One loop, no set of shingles: a repeated shingle only repeats a comparison, and
        # this is the part of an import that the signature adds.
        for a, b, c in zip(hs, hs[1:], hs[2:], strict=False):
            s = a[0] ^ b[1] ^ c[2]
            i = s & _BIN_MASK
            v = s >> 32
            if v < mins[i]:
                mins[i] = v
        if BINS - mins.count(EMPTY) < MIN_BINS:
            return None  # a text that repeats a few words
        return struct.pack(_FORMAT, *mins)


def exact_signature(lemmas: Sequence[str]) -> bytes:
    """A signature whose every bin comes from one hash of ``lemmas``: equal for equal
    sequences, and for any other sharing no band and no bin but by a 1 in 2³² chance.
    None of its bins is empty (an empty band is never a candidate)."""
    digest = hashlib.shake_256("\x1f".join(lemmas).encode("utf-8", "surrogatepass")).digest(4 * BINS)
    return struct.pack(_FORMAT, *(min(v, EMPTY - 1) for v in struct.unpack(_FORMAT, digest)))


#: The lowest bit of every bin, and every bit, of a signature read as one number.
_LOW_BITS = sum(1 << (32 * i) for i in range(BINS))
_ALL_BITS = (1 << (32 * BINS)) - 1


def _zero_bins(x: int) -> int:
    """How many of the 32-bit bins of ``x`` (a signature-sized number) are zero: each
    bin's bits are or-ed down into its lowest bit (shifts of 1+2+4+8+16 never reach the
    next bin's), then those bits are counted: a few operations on one big number, in C,
    instead of unpacking 64 numbers and comparing them pair by pair."""
    x |= x >> 1
    x |= x >> 2
    x |= x >> 4
    x |= x >> 8
    x |= x >> 16
    return BINS - (x & _LOW_BITS).bit_count()


def _unpacked(sig: bytes) -> tuple[int, int]:
    """A signature as one number and how many of its bins are empty, for :func:`_similar`."""
    n = int.from_bytes(sig, "little")
    return n, _zero_bins(_ALL_BITS & ~n)  # an empty bin is all ones


def _ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """The share of equal bins among those not empty in both (see :func:`similarity`)."""
    (x, ex), (y, ey) = a, b
    same = _zero_bins(x ^ y)
    both_empty = _zero_bins(_ALL_BITS & ~(x & y)) if ex and ey else 0
    used = BINS - both_empty
    return (same - both_empty) / used if used else 0.0


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures: the share
    of equal bins, the bins empty in both counted neither way."""
    return _ratio(_unpacked(a), _unpacked(b))


def _similar(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """``similarity(...) >= THRESHOLD`` of two :func:`_unpacked` signatures (grouping
    compares each bucket's signatures pairwise: most of its time)."""
    return _ratio(a, b) >= THRESHOLD


def bands(sig: bytes) -> list[tuple[int, bytes]]:
    """The LSH bands of a signature, ``(band number, its bins as bytes)``: articles that
    share one are candidates.

    A band whose bins are all empty is left out: it would pair every pair of short texts.
    """
    out = []
    for j in range(N_BANDS):
        chunk = sig[j * _BAND_BYTES : (j + 1) * _BAND_BYTES]
        if chunk != _EMPTY_BAND:
            out.append((j, chunk))
    return out


#: Seeds whose bands are looked up in one pass over the signatures: their band tables
#: take about 150 bytes per seed and band (32 bands), so a regrouping of many thousands
#: of changed articles makes several passes instead of one table of gigabytes.
SEED_CHUNK = 16_384


def similar_pairs(seeds: Sequence[str], sigs: dict[str, bytes],
                  joined: Callable[[str, str], bool] | None = None) -> Iterator[tuple[str, str]]:
    """``(seed, other)`` for each of ``sigs`` that is a near-duplicate of one of ``seeds``
    (ids with a signature in ``sigs``), found lazily: passes over every signature that
    only look up the bands of the seeds, so an import of a few articles into a large
    archive does not band the whole archive. A pair for which ``joined`` says true is
    not compared (the caller knows it would change nothing). The pairs come in the same
    order in every process (the order the caller links them in decides groups)."""
    for start in range(0, len(seeds), SEED_CHUNK):
        wanted: list[dict[bytes, list[str]]] = [{} for _ in range(N_BANDS)]
        for seed in seeds[start : start + SEED_CHUNK]:
            for j, chunk in bands(sigs[seed]):
                wanted[j].setdefault(chunk, []).append(seed)
        for other, sig in sigs.items():
            hits: set[str] = set()
            for j in range(N_BANDS):
                hit = wanted[j].get(sig[j * _BAND_BYTES : (j + 1) * _BAND_BYTES])
                if hit:
                    hits.update(hit)
            hits.discard(other)
            for seed in sorted(hits):
                if (joined is None or not joined(seed, other)) and similarity(sigs[seed], sig) >= THRESHOLD:
                    yield seed, other


def neighbours(seeds: Iterable[str], sigs: dict[str, bytes]) -> dict[str, list[str]]:
    """The near-duplicates among ``sigs`` of each of ``seeds`` (ids that are in ``sigs``)."""
    found: dict[str, list[str]] = {seed: [] for seed in dict.fromkeys(seeds) if sigs.get(seed)}
    for seed, other in similar_pairs(list(found), sigs):
        found[seed].append(other)
    return {seed: sorted(others) for seed, others in found.items()}


def group_all(sigs: dict[str, bytes]) -> Clusters:
    """The near-duplicate groups among all of ``sigs`` (see :func:`grouped`)."""

    def band(j: int) -> Iterator[tuple[str, bytes]]:
        lo = j * _BAND_BYTES
        return ((art_id, sig[lo : lo + _BAND_BYTES]) for art_id, sig in sigs.items())

    return Clusters(grouped(band, sigs.__getitem__))


class Stars(Generic[H]):
    """Groups formed around a centre: every member is a near-duplicate of its group's
    centre, the member that comes first by ``rank`` (an article's id: what
    :meth:`Clusters.key` names a group by).

    Grouping by "near-duplicate of a near-duplicate" chains: articles that share a
    paragraph with the next one and nothing with the one after it. Among 100,000
    synthetic articles one such chain held 3,815 articles whose random pairs shared
    nothing (median similarity 0.00), and a search folded them all into one hit. Here two
    near-duplicates meet in one group only if every member is a near-duplicate of the
    centre the group would have; so two members are at most two steps apart, through
    the centre. Copies that are all near-duplicates of one another always end in one
    group, in whatever order their pairs are met.

    ``similar(a, b)`` says whether two keys are near-duplicates (called only for pairs not
    already known to be).
    """

    def __init__(self, similar: Callable[[H, H], bool], rank: Callable[[H], Any]) -> None:
        self._similar = similar
        self._rank = rank
        self.centre: dict[H, H] = {}  # member -> its group's centre
        self.members: dict[H, list[H]] = {}  # centre -> its group, centre first
        #: pairs of centres whose groups could not be one (either way round), not tried
        #: again while both lead
        self.apart: set[tuple[H, H]] = set()

    def add_group(self, group: Sequence[H]) -> None:
        """Take a group formed earlier as it is (its members already meet the rule)."""
        centre = min(group, key=self._rank)
        self.members[centre] = [centre, *[k for k in group if k != centre]]
        for k in group:
            self.centre[k] = centre

    def together(self, a: H, b: H) -> bool:
        """Whether a pair can change nothing: both in one group, or in two groups (or an
        article alone) already found unable to be one."""
        ca, cb = self.centre.get(a, a), self.centre.get(b, b)
        return ca == cb or (ca, cb) in self.apart or (cb, ca) in self.apart

    def link(self, a: H, b: H) -> None:
        """``a`` and ``b`` are near-duplicates: put their groups (or themselves) in one
        group if every member would be a near-duplicate of its centre."""
        ca, cb = self.centre.get(a, a), self.centre.get(b, b)
        if ca == cb or (ca, cb) in self.apart or (cb, ca) in self.apart:
            return
        if self._rank(cb) < self._rank(ca):
            a, b, ca, cb = b, a, cb, ca
        ga: list[H] = self.members.get(ca, [a])
        gb: list[H] = self.members.get(cb, [b])
        # ca comes first: it leads the group if every member of b's side copies it (a
        # member known to be its near-duplicate: b when a is the centre)
        if all((m == b and a == ca) or self._similar(ca, m) for m in gb):
            for m in gb:
                self.centre[m] = ca
            self.centre[ca] = ca
            self.members.pop(cb, None)
            self.members[ca] = [*ga, *gb]
        else:  # a group only grows harder to join, while its centre stays
            self.apart.add((ca, cb))  # one way round: a million of them at a million articles

    def groups(self) -> list[list[H]]:
        return list(self.members.values())


def grouped(band: Callable[[int], Iterable[tuple[K, Hashable]]], signature: Callable[[K], bytes],
            empty: Hashable = EMPTY_BAND_BYTES, rank: Callable[[K], Any] | None = None) -> list[list[K]]:
    """The near-duplicate groups (:class:`Stars` of the pairs that share a band and pass
    :data:`THRESHOLD`), found one band at a time: ``band(j)`` gives each article's key and
    the bins of its band ``j`` (any value that is equal exactly when the bins are;
    ``empty`` for a band no shingle fell into), ``signature(key)`` its signature, and
    ``rank(key)`` what orders keys as their ids do (the key itself by default). Memory
    holds one band's buckets (an article's key and its band), not every signature: the
    caller may read both from disk. A pair in one group already is not compared (nor two
    groups found unable to be one), nor a bucket whose members are all in one group; a bucket's
    signatures are read and unpacked once each."""
    unpacked: dict[K, tuple[int, int]] = {}

    def sig(k: K) -> tuple[int, int]:
        got = unpacked.get(k)
        if got is None:
            got = unpacked[k] = _unpacked(signature(k))
        return got

    stars: Stars[K] = Stars(lambda a, b: _similar(sig(a), sig(b)), rank or (lambda k: k))
    in_group, apart = stars.centre, stars.apart
    for j in range(N_BANDS):
        first: dict[Hashable, K] = {}
        more: dict[Hashable, list[K]] = {}
        for key, chunk in band(j):
            if chunk == empty:
                continue
            seen = first.setdefault(chunk, key)
            if seen is not key:  # setdefault hands back the key it stored
                got = more.get(chunk)
                if got is None:
                    more[chunk] = [seen, key]
                else:
                    got.append(key)
        del first
        for ids in more.values():
            # each member's centre (itself when alone), found again only after a link:
            # the pairs of a bucket are many, its links few
            centres = [in_group.get(x, x) for x in ids]
            if len(set(centres)) == 1:
                continue
            for i, a in enumerate(ids):
                for j in range(i + 1, len(ids)):
                    ca, cb = centres[i], centres[j]
                    if ca == cb or (ca, cb) in apart or (cb, ca) in apart:
                        continue
                    b = ids[j]
                    if _similar(sig(a), sig(b)):
                        stars.link(a, b)
                        centres = [in_group.get(x, x) for x in ids]
            unpacked.clear()  # one bucket's signatures at a time: memory stays one band's
    return [g for g in stars.groups() if len(g) > 1]


class Clusters:
    """Groups of near-duplicate article ids, kept sorted; an id in no group has no
    near-duplicate that it could join (see :class:`Stars`)."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._of: dict[str, tuple[str, ...]] = {}
        self._key: dict[str, str] | None = None  # what key() answers, made for keys_of
        for g in groups:
            group = tuple(sorted(set(g)))
            if len(group) > 1:
                for art_id in group:
                    self._of[art_id] = group

    def __len__(self) -> int:
        return len(self.groups())

    def __bool__(self) -> bool:
        return bool(self._of)

    def group(self, art_id: str) -> tuple[str, ...]:
        """Every id in ``art_id``'s group, itself included; ``()`` when it has none."""
        return self._of.get(art_id, ())

    def key(self, art_id: str) -> str | None:
        """A name shared by the whole group (its smallest id), or ``None``."""
        g = self._of.get(art_id)
        return g[0] if g else None

    def keys_of(self, ids: Iterable[str]) -> list[str | None]:
        """:meth:`key` of each of ``ids``, looked up in C: every article of a big index at once."""
        if self._key is None:
            self._key = {art_id: g[0] for art_id, g in self._of.items()}
        return list(map(self._key.get, ids))

    def _distinct(self) -> list[tuple[str, ...]]:
        # Every member of a group holds the same tuple: tell them apart by identity. A set
        # of the tuples would hash each member's whole group, quadratic in a big group
        # (a 100,000-member group took minutes).
        return list({id(g): g for g in self._of.values()}.values())

    def groups(self) -> list[tuple[str, ...]]:
        return sorted(self._distinct())

    def to_json(self) -> list[list[str]]:
        return [list(g) for g in self.groups()]

    def updated(self, seeds: Iterable[str], gone: Iterable[str],
                neighbours: Callable[[str], Iterable[str]]) -> Clusters:
        """The groups after ``seeds`` were added or changed and ``gone`` were removed.

        ``neighbours(id)`` lists the near-duplicates of an article as the index now holds
        them (it is asked about the live ``seeds`` and the members of the groups they and
        ``gone`` were in). Those groups are re-formed from their remaining members; every
        other group stays as it is, and takes in a re-formed article that is a
        near-duplicate of its centre (see :class:`Stars`).
        """
        lists: dict[str, frozenset[str]] = {}

        def near(art_id: str) -> frozenset[str]:
            got = lists.get(art_id)
            if got is None:
                got = lists[art_id] = frozenset(neighbours(art_id))
            return got

        def similar(a: str, b: str) -> bool:
            # one of them is re-formed, or asked about: its list is complete (two articles
            # outside the re-formed groups are taken for apart: they stay as they were)
            return b in near(a) or a in near(b)

        return self._relinked(seeds, gone, similar,
                              lambda live, _grouped: ((a, b) for a in live for b in sorted(near(a))))

    def regrouped(self, changed: Iterable[str], gone: Iterable[str], sigs: dict[str, bytes]) -> Clusters:
        """:meth:`updated` with the near-duplicates found in ``sigs`` (every signature the
        index now holds) as they are met, without listing them: a seed can have thousands
        of near-duplicates (stories that share paragraphs), and the lists of tens of
        thousands of seeds took hundreds of megabytes. A pair that can change nothing
        is not compared."""
        unpacked: dict[str, tuple[int, int]] = {}

        def sig(art_id: str) -> tuple[int, int]:
            got = unpacked.get(art_id)
            if got is None:
                if len(unpacked) >= SEED_CHUNK:
                    unpacked.clear()
                got = unpacked[art_id] = _unpacked(sigs[art_id])
            return got

        return self._relinked(changed, gone, lambda a, b: _similar(sig(a), sig(b)),
                              lambda live, grouped: similar_pairs([i for i in live if sigs.get(i)], sigs, grouped))

    def _relinked(self, seeds: Iterable[str], gone: Iterable[str], similar: Callable[[str, str], bool],
                  pairs: Callable[[list[str], Callable[[str, str], bool]], Iterable[tuple[str, str]]]) -> Clusters:
        """The groups re-formed around ``seeds`` and ``gone`` (and the groups they were
        in), linking the pairs ``pairs(live seeds, together)`` gives; ``together(a, b)``
        says whether a pair can change nothing (see :meth:`Stars.together`)."""
        gone = set(gone)
        touched = set(seeds) | gone
        for art_id in list(touched):
            touched.update(self._of.get(art_id, ()))
        stars: Stars[str] = Stars(similar, lambda k: k)
        for g in self._distinct():
            if touched.isdisjoint(g):
                stars.add_group(g)
        for a, b in pairs(sorted(touched - gone), stars.together):
            if b not in gone and a != b:
                stars.link(a, b)
        return Clusters(stars.groups())
