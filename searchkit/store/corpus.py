"""The canonical article store: ``corpus/``, one pretty-printed JSON file per article.

Human-readable and lossless (unknown input fields are kept), and the one place of truth:
the index is derived from it and can be rebuilt at any time.

Layout: ``corpus/<2 hex of sha1(id)>/<name>.json``. ``<name>`` is the id itself when it is
a safe lowercase file name, else a slug of it plus a hash, so an id such as
``../../etc/passwd`` or ``CON`` can never escape ``corpus/`` or collide on a case-insensitive
file system. Writes go to a temporary file in the same folder, are flushed, then renamed over
the old file: a crash leaves either the old or the new article, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import ArticleDamaged, InputError
from ..interrupts import leave_ctrl_c_to_parent
from ..models import Article
from .atomic import write_atomically
from .dircount import count_in_folders
from .fields import record_text
from .formats import MAX_RECORD_BYTES, article_from_record

__all__ = ["Corpus", "StoredFile", "article_filename", "file_stamp", "indexed_stamp"]

_SAFE = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
Outcome = Literal["added", "updated", "unchanged"]


def article_filename(article_id: str) -> str:
    """Path of an article relative to ``corpus/`` (always ``xx/name.json``)."""
    digest = hashlib.sha1(article_id.encode("utf-8", "surrogatepass")).hexdigest()
    stem = article_id
    if not _SAFE.fullmatch(stem) or stem.split(".")[0] in _RESERVED or stem.endswith("."):
        slug = _SLUG.sub("-", article_id).strip("-.").lower()[:60] or "article"
        if slug.split(".")[0] in _RESERVED:
            slug = f"id-{slug}"
        stem = f"{slug}~{digest[:12]}"
    return f"{digest[:2]}/{stem}.json"


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file in the store as seen by a scan: where it is and a cheap change stamp."""

    relpath: str
    stamp: str  # see file_stamp

    @property
    def size(self) -> int:
        """The file's size in bytes (from the stamp)."""
        return int(self.stamp.rpartition("-")[2])


def file_stamp(st: os.stat_result) -> str:
    """A file's cheap change stamp: its time (ns) and size, which any rewrite changes."""
    return f"{st.st_mtime_ns}-{st.st_size}"


def fingerprint(data: bytes) -> str:
    """A short digest of an article file's bytes: what tells a file whose times alone
    changed (a home copied without them) from one rewritten."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def indexed_stamp(stamp: str, data: bytes) -> str:
    """The stamp the index keeps for a file: its :meth:`Corpus.scan` stamp when it was
    read, and the :func:`fingerprint` of the bytes read (see :meth:`Corpus.as_indexed`)."""
    return f"{stamp}+{fingerprint(data)}"


#: The largest article file stored: an article within the record limit, pretty-printed.
MAX_STORED_BYTES = 2 * MAX_RECORD_BYTES


def _encode(article: Article) -> bytes:
    data = (json.dumps(article.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if len(data) > MAX_STORED_BYTES:
        raise ValueError(f"too large to store: {len(data) / 2**20:.0f} MB as a file (the limit is "
                         f"{MAX_STORED_BYTES // 2**20} MB; an extra field holds too many small values)")
    return data


def _read_regular(path: str | Path) -> bytes:
    """The bytes of ``path``, which must be a regular file: opening a FIFO does not wait
    (``O_NONBLOCK``), and anything else is refused."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


@contextlib.contextmanager
def _read_as_stored(path: str) -> Iterator[None]:
    """What goes wrong reading the stored article file ``path`` as the error that says
    so (a file gone stays :class:`FileNotFoundError`: deleted since it was listed)."""
    try:
        yield
    except FileNotFoundError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as e:  # JSONDecodeError is a ValueError
        raise ArticleDamaged(path, f"damaged article file ({e})") from None
    except OSError as e:
        raise InputError(path, f"cannot read article file: {e.strerror or e}") from None


class Corpus:
    """The article store under ``root`` (usually ``HOME/corpus``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, article_id: str) -> Path:
        return self.root / article_filename(article_id)

    # -- writing --------------------------------------------------------------------------
    def put(self, article: Article) -> Outcome:
        """Store ``article``; an unchanged article is not rewritten (so re-import is cheap)."""
        path = self.path_for(article.id)
        data = _encode(article)
        try:
            old = _read_regular(path)
        except FileNotFoundError:
            old = None
        if old == data:
            return "unchanged"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent.is_symlink():
            raise ValueError(f"{path.parent} is a symbolic link; articles are written only inside corpus/")
        write_atomically(path, data)
        return "added" if old is None else "updated"

    def delete(self, article_id: str) -> bool:
        """Remove an article; ``False`` when there was none."""
        try:
            self.path_for(article_id).unlink()
            return True
        except FileNotFoundError:
            return False

    def remove_temporary(self) -> int:
        """Delete temporary files left by a writer that was killed mid-write. Call only while
        holding the home's write lock (no other writer can be mid-write then)."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for shard in os.scandir(self.root):
            if not shard.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(shard.path):
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                        removed += 1
        return removed

    def sync(self) -> None:
        """Ask the OS to put written articles on disk (once per import, not per file)."""
        if hasattr(os, "sync"):
            os.sync()

    def sync_aside(self) -> Callable[[], None]:
        """Start :meth:`sync` beside this process's work (a sync waits for every dirty page
        of the machine) and return what waits for it to end. In a child process when this
        one can fork: a thread would keep it from forking while the sync lasts (a build's
        second process, its commit's helper), and a spawned process costs seconds more."""
        if not hasattr(os, "sync"):
            return lambda: None
        if not hasattr(os, "fork") or threading.active_count() > 1:
            thread = threading.Thread(target=self.sync, name="searchkit-sync", daemon=True)
            thread.start()
            return thread.join
        pid = os.fork()
        if pid == 0:  # the child: sync, never return
            try:
                leave_ctrl_c_to_parent()
                os.sync()
            finally:
                os._exit(0)

        def wait() -> None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)

        return wait

    # -- reading --------------------------------------------------------------------------
    def read(self, relpath: str) -> Article:
        """The article stored at ``relpath`` (relative to the store)."""
        return self.read_bytes(relpath)[0]

    def read_bytes(self, relpath: str) -> tuple[Article, bytes]:
        """The article stored at ``relpath``, and the file's bytes it was read from."""
        path = os.path.join(self.root, relpath)  # (a string: a Path made per hit cost as much)
        with _read_as_stored(path):
            data = _read_regular(path)
            article = article_from_record(json.loads(data.decode("utf-8")), stored=True)
        own = article_filename(article.id)
        if own != relpath and os.path.lexists(os.path.join(self.root, own)):
            # (an id edited by hand into another article's: the two were one article in the
            # index, and each `index` run indexed this file again; a file of an older name,
            # whose article has no other, is read as it is)
            raise ArticleDamaged(path, f"damaged article file (it holds the id {article.id!r}, whose article is "
                                 f"stored in corpus/{own})")
        return article, data

    def read_text(self, relpath: str) -> str:
        """The text of the article stored at ``relpath``, checked as :meth:`read` checks
        it, without the rest of the record: a hit's snippet needs nothing else, and making
        and checking the whole article was a tenth of a page's snippets."""
        path = os.path.join(self.root, relpath)
        with _read_as_stored(path):
            return record_text(json.loads(_read_regular(path).decode("utf-8")))

    def stamp(self, relpath: str) -> str | None:
        """The change stamp :meth:`scan` gives the file (``None`` if it is gone)."""
        try:
            st = os.stat(os.path.join(self.root, relpath))
        except OSError:
            return None
        return file_stamp(st)

    def as_indexed(self, relpath: str, indexed: str | None, stamp: str | None, *, settle: bool = False) -> bool:
        """Whether the file at ``relpath``, whose stamp is now ``stamp``, holds what the
        index read from it (``indexed``: the stamp the index keeps, ``None`` for none):
        the one rule of what is up to date. The same stamp says so at once; a stamp that
        differs only in its time (a home copied without its files' times: ``rsync``
        without ``-t``, ``cp -r``, an unpacked archive) is read and its fingerprint
        compared, so a copy is not indexed again and a rewrite of the same size is
        still seen. With ``settle`` (only under the home's lock) such a file gets back
        the time it had when indexed, and the next look at it is quick again.

        An index that keeps no fingerprint (built before stamps had one) counts any
        change of time as a change."""
        if indexed is None or stamp is None:
            return False
        seen, _, digest = indexed.partition("+")
        if seen == stamp:
            return True
        when, _, size = seen.partition("-")
        if not digest or size != stamp.rpartition("-")[2] or not self._holds(relpath, digest):
            return False
        if settle:
            self._settle(relpath, int(when), digest)
        return True

    def _holds(self, relpath: str, digest: str) -> bool:
        """Whether the file at ``relpath`` has the fingerprint ``digest``."""
        try:
            return fingerprint(_read_regular(self.root / relpath)) == digest
        except (OSError, ValueError):  # gone, or no regular file: not what was indexed
            return False

    def _settle(self, relpath: str, when: int, digest: str) -> None:
        """Give the file at ``relpath`` (fingerprint ``digest``) back its time ``when``;
        looked at again after: should it have been rewritten meanwhile, it gets the time
        of now, and the change is still seen."""
        path = self.root / relpath
        with contextlib.suppress(OSError):  # (a read-only copy stays slow to check, not wrong)
            os.utime(path, ns=(os.stat(path).st_atime_ns, when))
            if not self._holds(relpath, digest):
                os.utime(path)

    def get(self, article_id: str) -> Article | None:
        """The article with ``article_id``, or ``None``."""
        relpath = article_filename(article_id)
        if not (self.root / relpath).exists():
            return None
        return self.read(relpath)

    def present(self, article_ids: set[str]) -> set[str]:
        """Those of ``article_ids`` with an article file. Many are looked up in one listing
        of each folder that would hold them, not one look each (100,000 took 7 s so)."""
        paths = {i: article_filename(i) for i in article_ids}
        folders = {p[:2] for p in paths.values()}  # (``xx/name.json``)
        if len(folders) * 8 > len(paths):
            return {i for i, p in paths.items() if (self.root / p).exists()}
        names: dict[str, set[str]] = {}
        for folder in folders:
            try:
                names[folder] = set(os.listdir(self.root / folder))
            except (FileNotFoundError, NotADirectoryError):
                names[folder] = set()
        return {i for i, p in paths.items() if p[3:] in names[p[:2]]}

    def scan(self) -> Iterator[StoredFile]:
        """Every article file with its stamp, in a stable order; skips temporary files."""
        if not self.root.is_dir():
            return
        for shard in sorted(os.scandir(self.root), key=lambda e: e.name):
            if not shard.is_dir(follow_symlinks=False) or shard.name.startswith("."):
                continue
            for entry in sorted(os.scandir(shard.path), key=lambda e: e.name):
                if entry.name.startswith(".") or not entry.name.endswith(".json"):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # removed while we looked
                if not stat.S_ISREG(st.st_mode):
                    continue  # a FIFO, a device or a link is no article (reading a FIFO waits forever)
                yield StoredFile(f"{shard.name}/{entry.name}", file_stamp(st))

    def __iter__(self) -> Iterator[Article]:
        for f in self.scan():
            yield self.read(f.relpath)

    def count(self) -> int:
        return sum(1 for _ in self.scan())

    def count_names(self) -> int:
        """How many article files there are (as :meth:`count`, without reading their stamps;
        the folders unchanged since the last count are not listed again)."""
        if not self.root.is_dir():
            return 0
        return count_in_folders(self.root, _articles_in)


def _articles_in(folder: str) -> int:
    """How many article files one folder of the store holds."""
    return sum(1 for name in os.listdir(folder) if name.endswith(".json") and not name.startswith("."))
