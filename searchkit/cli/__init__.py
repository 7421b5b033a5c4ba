"""The ``searchkit`` command: a thin shell over :class:`searchkit.Engine`.

Each command parses its options, makes one library call and renders the result. Library
errors become one red line on stderr (with a hint) and exit status 2; Ctrl-C exits 130.
Heavy modules (Whoosh, pymorphy3, Rich) are imported inside the commands so that
``searchkit --help`` starts instantly.

The commands are grouped by job: :mod:`.storing` (init, import, index, delete),
:mod:`.searching` (search, explain, similar, duplicates), :mod:`.savedsearches` (saved),
:mod:`.reading` (show, stats, analyze, tui); :mod:`.shell`, :mod:`.group`,
:mod:`.options`, :mod:`.output` and :mod:`.progress` are what they share.
"""

# importing a command module registers its commands on main
from .group import main
from .options import FORMATS
from .output import Output
from .progress import PROGRESS_EVERY, ImportProgress, Update, import_progress, progress_bar
from .reading import analyze, show, stats, tui
from .savedsearches import saved, saved_add, saved_list, saved_remove, saved_run
from .searching import duplicates, ensure_index, explain, search, similar
from .shell import EXIT_ERROR, EXIT_HITS, EXIT_INTERRUPTED, EXIT_NO_HITS, Command, Ctx, Group, error_line, fail
from .storing import delete, import_, index, init

__all__ = [
    "EXIT_ERROR", "EXIT_HITS", "EXIT_INTERRUPTED", "EXIT_NO_HITS", "FORMATS", "PROGRESS_EVERY", "Command", "Ctx",
    "Group", "ImportProgress", "Output", "Update", "analyze", "delete", "duplicates", "ensure_index",
    "error_line", "explain", "fail", "import_", "import_progress", "index", "init", "main", "progress_bar", "saved",
    "saved_add", "saved_list", "saved_remove", "saved_run", "search", "show", "similar", "stats", "tui",
]
