"""Who Ctrl-C (SIGINT) stops, decided in one place: every stage of every command sets
SIGINT's handler through here, and nowhere else.

- A process started with SIGINT ignored (``nohup``-like launchers, ``(trap '' INT;
  searchkit import …)``, a background job of a non-interactive shell) stays
  uninterruptible by it through every stage: nothing here puts a handler over an
  ignored SIGINT, and the helper processes ignore it too.
- Otherwise Ctrl-C is Python's KeyboardInterrupt in the main process, which each stage
  cleans up after and reports (the command line's start-up says "Interrupted." until it
  hands over: see ``searchkit/__init__.py``).
- Helper processes (analysis, the second writer, a commit's helper, a sync) ignore it: it
  reaches the whole process group, and their parent stops them.

This is the first module the command line runs (``searchkit/__init__.py`` imports it
before anything else, to take Ctrl-C while the rest is imported): it imports only what
Python's own start-up has loaded already (``_signal``, ``os``, ``sys``), and the rest
where it is used. Each module imported before the start-up's handler is in place was a
moment when Ctrl-C printed a traceback: ``typing``, ``threading`` and ``contextlib``
(with ``collections`` and ``functools``) were, before this module took none of them.
"""

import _signal  # (not `signal`: its enums take a while to build, and the start-up uses this)
import os
import sys

#: (``typing``'s, read by mypy; not imported: see above)
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from types import FrameType, TracebackType

    Handler = Callable[[int, FrameType | None], object]

__all__ = ["command_line_starting", "ctrl_c_remembered", "ignored", "leave_ctrl_c_to_parent", "take_ctrl_c"]


def ignored() -> bool:
    """Whether SIGINT is ignored in this process: in the main process, only because it
    was started so (searchkit never ignores it there itself)."""
    return _signal.getsignal(_signal.SIGINT) is _signal.SIG_IGN


def take_ctrl_c(handler: "Handler", *, instead_of: object) -> bool:
    """Send SIGINT to ``handler`` if it goes to ``instead_of`` now, and say whether it
    does: never over an ignored SIGINT, nor over a handler someone else put (a program
    that embeds searchkit decides for itself)."""
    if ignored() or _signal.getsignal(_signal.SIGINT) is not instead_of:
        return False
    _signal.signal(_signal.SIGINT, handler)
    return True


class ctrl_c_remembered:  # (named as the function it was: ``with ctrl_c_remembered() as came``)
    """Ctrl-C raises KeyboardInterrupt as ever, and is remembered meanwhile: whether one
    came can be asked (``came()``). One that reaches Python while a finalizer runs
    (``__del__``, during garbage collection) is swallowed there, and a wait that would
    block until more is piped in asks instead, every half second. (In the main thread,
    over Python's own handler only: elsewhere nothing is remembered. A class, not a
    ``contextlib`` generator: see the module's note on what it imports.)"""

    def __init__(self) -> None:
        self._came = False
        self._taken = False

    def _remember(self, signum: int, frame: "FrameType | None") -> object:
        self._came = True
        return _signal.default_int_handler(signum, frame)

    def __enter__(self) -> "Callable[[], bool]":
        import threading

        self._taken = threading.current_thread() is threading.main_thread() and take_ctrl_c(
            self._remember, instead_of=_signal.default_int_handler)
        return lambda: self._came

    def __exit__(self, kind: "type[BaseException] | None", error: "BaseException | None",
                 trace: "TracebackType | None") -> None:
        if self._taken and _signal.getsignal(_signal.SIGINT) == self._remember:
            _signal.signal(_signal.SIGINT, _signal.default_int_handler)


def leave_ctrl_c_to_parent() -> None:
    """In a helper process: ignore SIGINT, which the parent handles by stopping us."""
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def command_line_starting() -> bool:
    """Whether this process is searchkit's command line starting: the ``searchkit``
    script, or ``python -m searchkit``. While ``-m`` locates its module, ``sys.argv`` is
    ``["-m"]`` for any module (a program run as ``python -m mytool`` whose package imports
    searchkit keeps its own Ctrl-C): ``sys.orig_argv`` names the one run."""
    if sys.argv[:1] != ["-m"]:
        return os.path.basename(sys.argv[0] if sys.argv else "") == "searchkit"
    argv = getattr(sys, "orig_argv", [])
    for i, arg in enumerate(argv[1:], 1):
        if arg.startswith("-m"):
            run = arg[2:] or (argv[i + 1] if i + 1 < len(argv) else "")
            return run in ("searchkit", "searchkit.cli")
    return False
