"""Files written whole or not at all: the one rule every file searchkit keeps is written by
(an article in ``corpus/``, the saved searches, ``searchkit.toml``, the index's CURRENT,
its words and groups, caches).

The data goes into a temporary file beside the file, named for this process and thread
(two writers of one file, even two engines of one program, never share one, or one
would rename the other's half-written file into place), is flushed, then renamed over the
file: a reader sees the old file or the new one, never a part. A write that fails removes
its temporary file and raises, the file left as it was.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

__all__ = ["temporary_name", "write_atomically"]


def temporary_name(path: Path) -> Path:
    """The temporary file this thread writes ``path`` through: ``.NAME.PID-THREAD.tmp``
    beside it (what the sweeps of a killed writer's leftovers look for: ``.*.tmp``)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")


def write_atomically(path: Path, data: bytes | str, *, durable: bool = False) -> None:
    """Replace ``path`` by ``data`` (a str is written as UTF-8) whole or not at all; with
    ``durable``, the data reaches the disk before the rename, so that after a power loss
    ``path`` is the old file or the whole new one.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "CURRENT", "gen-000001\\n")
    >>> (folder / "CURRENT").read_text(), [p.name for p in folder.iterdir()]
    ('gen-000001\\n', ['CURRENT'])
    """
    tmp = temporary_name(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
