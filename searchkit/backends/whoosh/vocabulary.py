"""The index's words in memory, for spelling corrections.

Whoosh finds the terms within N edits of a word by walking a Levenshtein automaton over
its on-disk terms table: every step is a binary search through the file, and a two-edit
correction over a big archive took 0.3-0.7 s. Here the words are a sorted list in memory,
and those within N edits are found by comparing, in C, the slice of it that shares the
word's first letter (see :func:`within`).

The list is every written form and body lemma of a segment. Reading it out of the terms
file takes a third of a second for 160,000 words, so each segment's list is also saved
beside it, as ``<segment>.vocab`` (Whoosh's own clean-up removes it with the segment):
the writer saves it from the terms it has just written, and a reader saves one it had
to build.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
import io
import struct
from collections.abc import Iterable, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.system import pack_ushort

from ...store.atomic import write_atomically
from ..records import VOCABULARY_FIELDS

__all__ = ["FIELDS", "merge", "save", "saved", "segment_words", "within"]

#: The fields whose terms are candidate corrections (the index's vocabulary fields).
FIELDS = VOCABULARY_FIELDS
_HEADER = b"searchkit-vocabulary 1\n"
_LENGTHS = struct.Struct("!ii").unpack_from
#: Bytes of a terms table read at a time.
_CHUNK = 1 << 22
#: Past every word that starts with a given prefix (no character sorts after it).
_LAST = "\U0010ffff"


def _scan(reader: Any) -> list[str]:
    """The terms of :data:`FIELDS` in one segment, read straight from its terms table
    (a few large reads, then the records parsed in a loop: Whoosh's term iterator reads
    the file twice per term)."""
    terms = reader._terms
    table = terms._tindex
    words: set[str] = set()
    for fieldname in FIELDS:
        fnum = terms._fieldmap.get(fieldname)
        if fnum is None:
            continue
        start = table.closest_key_pos(pack_ushort(fnum))
        if start is None:
            continue
        end = table.closest_key_pos(pack_ushort(fnum + 1)) if fnum + 1 < 65535 else None
        if end is None:
            end = table.endofdata
        # A record is (key length, value length, key, value); a key is the field number
        # (2 bytes) and the term. Read in chunks: the table of a big segment is hundreds
        # of megabytes, mostly the values (short posting lists kept inline).
        found = []
        pos = start
        while pos < end:
            buf = table.dbfile.get(pos, min(_CHUNK, end - pos))
            at, n = 0, len(buf)
            while at + 8 <= n:
                keylen, datalen = _LENGTHS(buf, at)
                if at + 8 + keylen > n:
                    if at == 0 and n < 8 + keylen <= end - pos:  # a key longer than a chunk
                        buf = table.dbfile.get(pos, 8 + keylen)
                        n = len(buf)
                        continue
                    break
                found.append(buf[at + 10 : at + 8 + keylen])
                at += 8 + keylen + datalen
            if at == 0:
                break  # damaged: a record that cannot be read
            pos += at
        words.update(b.decode("utf-8") for b in found)
    return sorted(w for w in words if "\n" not in w)


def from_terms(fields: Iterable[Iterable[bytes]]) -> bytes:
    """What :func:`_scan` reads back, encoded as :func:`save_encoded` takes it, from the
    sorted terms of :data:`FIELDS` as a writer streams them (UTF-8 bytes sort as the words
    do): one joined string instead of a list of a million words."""
    out = io.BytesIO()
    first = True
    for term, _ in groupby(heapq.merge(*fields)):
        if b"\n" in term:
            continue
        if not first:
            out.write(b"\n")
        out.write(term)
        first = False
    return out.getvalue()


def _path(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}.vocab"


def _load(path: Path) -> list[str] | None:
    """The word list saved beside a segment at its commit; ``None`` when it is missing or
    damaged (the segment is scanned then, see :func:`_scan`)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_HEADER):
        return None
    try:
        body = data[len(_HEADER) :].decode("utf-8")
    except UnicodeDecodeError:  # (a word list is derived: read again from the segment)
        return None
    return body.split("\n") if body else []


def save(folder: Path, segment_id: str, words: list[str]) -> None:
    """Write a segment's words beside it (atomically; a read-only index is left as is)."""
    save_encoded(folder, segment_id, "\n".join(words).encode("utf-8"))


def save_encoded(folder: Path, segment_id: str, body: bytes) -> None:
    """:func:`save` of words already joined by newlines and encoded."""
    with contextlib.suppress(OSError):
        write_atomically(_path(folder, segment_id), _HEADER + body)


def saved(folder: Path, segment_id: str) -> bool:
    return _path(folder, segment_id).exists()


def segment_words(folder: Path, segment_id: str, reader: Any, *, store: bool = True) -> list[str]:
    """A segment's sorted words: from its saved list, else read from the index (and saved
    when ``store``)."""
    words = _load(_path(folder, segment_id))
    if words is None:
        words = _scan(reader)
        if store:
            save(folder, segment_id, words)
    return words


def merge(lists: Iterable[list[str]]) -> list[str]:
    """One sorted list without repeats from sorted lists (each a run for Timsort)."""
    lists = list(lists)
    if len(lists) <= 1:
        return lists[0] if lists else []
    return [w for w, _ in groupby(sorted(w for words in lists for w in words))]


def within(words: Sequence[str], word: str, maxdist: int, prefix: int = 1) -> set[str]:
    """The words of the sorted list ``words`` that share the first ``prefix`` letters of
    ``word`` and are within ``maxdist`` edits of it, a swap of two neighbouring letters
    counting as one edit (the commonest slip): the optimal string alignment distance,
    which Lucene's fuzzy query counts too, so that a fuzzy word finds the same articles on
    a cluster.

    The words sharing the prefix are a slice of the list (two bisections), each compared
    in C by rapidfuzz, which gives up on a word as soon as it is past ``maxdist``. A
    Levenshtein automaton walked over the list (Whoosh's way, in Python, plus a walk per
    swapped spelling) found the same words: 36-40 ms for a two-edit search over the
    159,000 words of 100,000 articles, against 2-3 ms. One edit, first letter kept (what
    every correction asks) compares only the words sharing two letters: :func:`_within_one`.
    """
    if not word or not words:
        return set()
    if maxdist == 1 and prefix == 1 and len(word) > 1:
        return _within_one(words, word)
    start = word[:prefix]
    lo = bisect.bisect_left(words, start)
    hi = bisect.bisect_left(words, start + _LAST, lo) if start else len(words)
    candidates = words[lo:hi]
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    return {candidates[i] for _, _, i in found}


def _within_one(words: Sequence[str], word: str) -> set[str]:
    """:func:`within` one edit, first letter kept, without comparing the whole slice of
    that letter (a tenth of the list for a common one: 2 ms a correction at 100,000
    articles, and every correction asks). A word one edit away either keeps the first two
    letters too, and is among the words that share them, compared in C; or the edit is
    at the second letter: it is dropped, swapped with the third, replaced, or another
    letter comes before it. Those are looked up one by one, with each letter that stands
    second in some word of the list (found by skipping from one to the next)."""
    first, rest, after = word[0], word[1:], word[2:]
    lo = bisect.bisect_left(words, word[:2])
    hi = bisect.bisect_left(words, word[:2] + _LAST, lo)
    candidates = words[lo:hi]
    found = {candidates[i] for _, _, i in
             process.extract(word, candidates, scorer=OSA.distance, score_cutoff=1, limit=None)}
    spelt = [first + after]  # the second letter dropped
    if after:
        spelt.append(first + after[0] + word[1] + after[1:])  # swapped with the third
    lo = bisect.bisect_left(words, first)
    end = bisect.bisect_left(words, first + _LAST, lo)
    while lo < end:
        if len(words[lo]) < 2:  # (the first letter alone)
            lo += 1
            continue
        second = words[lo][1]
        spelt += [first + second + after, first + second + rest]  # replaced, or put before
        lo = bisect.bisect_left(words, first + second + _LAST, lo, end)
    for w in spelt:
        i = bisect.bisect_left(words, w)
        if i < len(words) and words[i] == w:
            found.add(w)
    return found
