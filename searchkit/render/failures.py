"""Any exception as the shells say it: what went wrong and what to do, one rule for the
CLI's error line and the TUI's error message, so that a full disk is a full disk with its
advice in both and only what searchkit did not expect is called a bug."""

from __future__ import annotations

import errno
import os

from ..advice import in_command_words
from ..errors import SearchkitError
from ..store.room import no_room

__all__ = ["BUG_HINT", "NO_ACCESS", "debugging", "is_bug", "message_and_hint"]

#: What to do about an OS error that refuses searchkit a file or folder (its permissions).
NO_ACCESS = ("give the user running searchkit permission to read it (and, for import, index and delete, to write "
             "it), then run the command again")

#: What the shells say of an error that is a bug.
BUG_HINT = "this is a bug in searchkit; SEARCHKIT_DEBUG=1 shows the traceback"


def is_bug(e: BaseException) -> bool:
    """Whether ``e`` is none of the failures searchkit expects: its own errors, and the
    operating system's (a full disk, a file it may not read, a read-only disk)."""
    return not isinstance(e, (SearchkitError, OSError))


def debugging() -> bool:
    """Whether SEARCHKIT_DEBUG asks the shells to let a bug end them with its traceback."""
    return bool(os.environ.get("SEARCHKIT_DEBUG"))


def message_and_hint(e: Exception) -> tuple[str, str]:
    """``(message, hint)`` of ``e``: a searchkit error's own; an OS error's file and reason,
    with what to do when nothing more can be written (:func:`~searchkit.store.room.no_room`);
    or that it may not read or write it (:data:`NO_ACCESS`); anything else an unexpected
    error, which is a bug. The hint may be empty. What either
    tells the user to do is said in the shells' words (:func:`~searchkit.advice.in_command_words`)."""
    if isinstance(e, SearchkitError):
        return in_command_words(str(e)), in_command_words(e.hint)
    if isinstance(e, OSError):
        where = f"{e.filename}: " if e.filename else ""
        refused = NO_ACCESS if e.errno in (errno.EACCES, errno.EPERM) else ""
        return f"{where}{e.strerror or e}", no_room(e) or refused
    return f"unexpected {type(e).__name__}: {e}", BUG_HINT
