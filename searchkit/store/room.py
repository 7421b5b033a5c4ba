"""Which OS errors mean that nothing more can be written to a home, and what to do: one
rule for the store, the index and the shells."""

from __future__ import annotations

import errno

__all__ = ["NO_ROOM", "no_room"]

#: The errors after which a write cannot succeed until the user acts, with what to do.
NO_ROOM: dict[int, str] = {
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space within your disk quota",
    # (a limit on one file's size: `ulimit -f`, or a file system such as FAT32)
    errno.EFBIG: "raise the limit on the size of a file (`ulimit -f`), or move the home to a disk that takes "
                 "bigger files",
    errno.EROFS: "make the disk writable",
}


def no_room(e: OSError) -> str | None:
    """What to do about ``e`` when it says nothing more can be written (a full disk, a
    quota, a limit on a file's size, a read-only disk); ``None`` for any other error."""
    return NO_ROOM.get(e.errno) if e.errno is not None else None
