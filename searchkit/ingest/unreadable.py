"""Article files in ``corpus/`` that cannot be read (bad JSON, bad encoding, ...).

``index`` names each such file and goes on without it, so while one is there the index
stays behind ``corpus/`` and running ``index`` again changes nothing: fixing or deleting
the file does. :func:`count_unreadable` is the one rule for "behind only because of
unreadable files", for ``stats`` (which walks ``corpus/`` and knows the files behind) and
a search's note (which only counts them, see :meth:`.sync.IndexSync.backlog`).

A search must not walk ``corpus/`` to learn which files the index lacks, so each build
records the files it could not read and left out (:func:`record`, in the home's
:data:`UNREADABLE_FILE`); a search that finds the index behind reads only those.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from ..errors import InputError
from ..store.corpus import Corpus

__all__ = ["READ_AT_MOST", "UNREADABLE_FILE", "count_unreadable", "record", "recorded"]

#: The files the last build of the index could not read and left out, and which index
#: that was (JSON). Only advice hangs on it: lost, torn or foreign, it is ignored.
UNREADABLE_FILE = ".searchkit.unreadable"
#: How many files behind the index :func:`count_unreadable` reads at most: more would cost
#: each search too much, and the advice then stays "run `searchkit index`".
READ_AT_MOST = 100


def count_unreadable(corpus: Corpus, relpaths: Sequence[str]) -> int:
    """How many of ``relpaths`` (article files the index lacks, or holds as they were)
    cannot be read, when that is so of every one still there (else 0): then they are all
    that keeps the index behind, and "run `searchkit index`" is advice that never helps."""
    if len(relpaths) > READ_AT_MOST:
        return 0
    damaged = present = 0
    for relpath in relpaths:
        try:
            corpus.read(relpath)
        except InputError:
            damaged += 1
        except FileNotFoundError:  # (deleted: no longer behind)
            continue
        present += 1
    return damaged if damaged == present else 0


def record(home: Path, index: str | None, relpaths: Iterable[str]) -> None:
    """Note that the build of ``index`` (its generation) left out ``relpaths``, which it
    could not read; with none, the note goes."""
    path = home / UNREADABLE_FILE
    files = sorted(set(relpaths))[:READ_AT_MOST + 1]  # (one more than is ever read: "too many")
    try:
        if files:
            # (written in place: a torn file is no JSON, and ignored)
            path.write_text(json.dumps({"index": index, "files": files}, ensure_ascii=False), encoding="utf-8")
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # only advice: a search then says to run `index`, which tries again


def recorded(home: Path, index: str | None) -> list[str]:
    """The files :func:`record` noted for ``index`` (none for another index: a rebuild
    elsewhere, or the home's other backend)."""
    try:
        data = json.loads((home / UNREADABLE_FILE).read_bytes())
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("index") != index or not isinstance(data.get("files"), list):
        return []
    return [f for f in data["files"] if isinstance(f, str) and _inside(f)]


def _inside(relpath: str) -> bool:
    """Whether ``relpath`` names a file inside ``corpus/`` (the note is read, not trusted)."""
    p = PurePosixPath(relpath)
    return bool(p.parts) and not p.is_absolute() and ".." not in p.parts and "\\" not in relpath
