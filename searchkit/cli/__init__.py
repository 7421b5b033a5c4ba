"""The ``searchkit`` command: a thin shell over :class:`searchkit.Engine`.

Each command parses its options, makes one library call and renders the result. Library
errors become one red line on stderr (with a hint) and exit status 2; Ctrl-C exits 130.
Heavy modules (Whoosh, pymorphy3, Rich) are imported inside the commands so that
``searchkit --help`` starts instantly.

The commands are grouped by job: :mod:`.storing` (init, import, index, delete),
:mod:`.searching` (search, explain, similar, duplicates), :mod:`.saved` (saved searches),
:mod:`.reading` (show, stats, analyze, tui); :mod:`.shell`, :mod:`.group`,
:mod:`.options`, :mod:`.output` and :mod:`.progress` are what they share.
"""

from . import reading, saved, searching, storing  # noqa: F401 - each registers its commands on main
from .group import main
from .options import FORMATS
from .output import Output
from .progress import PROGRESS_EVERY, ImportProgress, import_progress, progress_bar
from .searching import ensure_index, unindexed_note
from .shell import EXIT_ERROR, EXIT_HITS, EXIT_INTERRUPTED, EXIT_NO_HITS, Command, Ctx, Group, error_line, fail

__all__ = [
    "EXIT_ERROR", "EXIT_HITS", "EXIT_INTERRUPTED", "EXIT_NO_HITS", "FORMATS", "PROGRESS_EVERY", "Command", "Ctx",
    "Group", "ImportProgress", "Output", "ensure_index", "error_line", "fail", "import_progress", "main",
    "progress_bar", "unindexed_note",
]
