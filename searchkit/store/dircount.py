"""How many files the folders of ``corpus/`` hold, without listing the folders that did
not change since they were last counted.

Every search from the command line says when some stored articles are not searchable
yet, which needs the number of files in ``corpus/``: listing the 256 folders of 100,000
articles costs about 50 ms of system time in each fresh process. A folder's list of
names changes only with its ctime (which no one can set back), so each folder's count is
kept with its inode and ctime in a small file in the user's cache folder, and a folder
whose inode and ctime are unchanged is not listed again. A stale or foreign cache costs
a listing, never a wrong count. A count is kept only for a folder whose last change
happened well before it was listed: file times are coarse (a few milliseconds), and a
name added in the same tick as the listing would leave the ctime as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from .atomic import write_atomically

__all__ = ["cache_dir", "count_in_folders"]

#: A folder's count is kept when its last change is this much older than its listing.
SETTLED_NS = 2_000_000_000


def cache_dir() -> Path:
    """``$SEARCHKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/searchkit``, else ``~/.cache/searchkit``."""
    explicit = os.environ.get("SEARCHKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "searchkit"


def count_in_folders(root: Path, count: Callable[[str], int]) -> int:
    """The sum of ``count(folder path)`` over the folders of ``root`` (not those whose
    names start with a dot), from the cache for the folders that did not change."""
    try:
        where = cache_dir() / f"counts-{hashlib.sha1(os.fsencode(root.resolve())).hexdigest()[:16]}.json"
    except (OSError, RuntimeError):  # no home folder to find the cache in
        where = None
    known = _load(where) if where is not None else {}
    kept: dict[str, list[int]] = {}
    total = 0
    for folder in os.scandir(root):
        name = folder.name
        if name.startswith(".") or not folder.is_dir(follow_symlinks=False):
            continue
        try:
            st = folder.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed while we looked
        hit = known.get(name)
        if hit is not None and hit[0] == st.st_ino and hit[1] == st.st_ctime_ns:
            # (the cached entry itself kept: no new list per folder, and the comparison
            # with the cache below meets the same objects; a long-lived process counts
            # before every search)
            kept[name] = hit
            total += hit[2]
            continue
        listed_at = time.time_ns()
        try:
            n = count(folder.path)
        except FileNotFoundError:
            continue
        total += n
        if listed_at - st.st_ctime_ns >= SETTLED_NS:
            kept[name] = [st.st_ino, st.st_ctime_ns, n]
    if where is not None and kept != known:
        _save(where, kept)
    return total


#: The cache file as last read by this process, with the stamp it had: a long-lived
#: process (the TUI, a library user) counts before every search, and reading and checking
#: the file again was half of a count's time at 100,000 articles (1 ms).
_read: dict[Path, tuple[tuple[int, int, int], dict[str, list[int]]]] = {}


def _load(where: Path) -> dict[str, list[int]]:
    """The cache file's counts (never changed by the caller: ``kept`` is a new dict)."""
    try:
        st = where.stat()
    except OSError:
        return {}
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    hit = _read.get(where)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    known = {k: v for k, v in data.items()
             if isinstance(v, list) and len(v) == 3 and all(type(x) is int for x in v)}
    _read[where] = (stamp, known)
    return known


def _save(where: Path, kept: dict[str, list[int]]) -> None:
    """Write the cache atomically; a cache that cannot be written is only slower."""
    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(where, json.dumps(kept, separators=(",", ":")))
