"""What the library's errors, hints and notes tell someone to do, in the words of each
front end: someone who embeds :class:`searchkit.Engine` is told what to call
(``Engine.index()``, ``since=``), someone at the command line or in the TUI what to run
(``searchkit index``, ``--since``).

Each thing is said here once, in both words (a :class:`Todo`). The library writes the
first: a todo as text is its call (``f"run {INDEX}"``), or with its arguments
(``INIT("archive")``). The shells turn any message into theirs with
:func:`in_command_words`, the one place that does.

>>> print(in_command_words(f"then run {INDEX}; {DUPLICATES('a b')} lists them"))
then run `searchkit index`; `searchkit duplicates 'a b'` lists them
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "ALL_WORDS", "BACKEND", "DUPLICATES", "EXACT", "FACETS_OPTION", "GIVE_HOME", "INDEX", "INIT", "INIT_FOLDER",
    "LIMIT", "NEW_ALIAS", "NO_COLLAPSE", "OPEN", "PAGE", "REBUILD", "REPLACE", "RUN_NEW", "RUN_NEW_LIMIT",
    "SAVED_LIST", "SEARCH", "SEARCH_WORDS", "SINCE", "SINCE_UNTIL", "SORT", "SORTED_BY_DATE", "SOURCE", "SOURCES",
    "TIMELINE", "TODOS", "UNTIL", "URL", "URL_GIVEN", "Todo", "in_command_words", "shell_word",
]


@dataclass(frozen=True)
class Todo:
    """One thing a message tells someone to do: ``api`` as the library says it, ``command``
    as the shells do. Each ``{}`` is an argument: in ``api`` a Python literal (``'a b'``,
    ``3``), in ``command`` that value as a shell word (``'a b'``, ``3``)."""

    api: str
    command: str

    def __post_init__(self) -> None:
        # (an argument is read up to the text after it: there must be some)
        assert not self.api.endswith("{}") and self.api.count("{}") == self.command.count("{}")

    def __str__(self) -> str:
        return self.api

    def __call__(self, *args: object) -> str:
        """The todo in the library's words, with ``args`` (``str`` or ``int``) in place."""
        return self.api.format(*(repr(arg) for arg in args))

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        # (an argument never spans a backquote: a todo's call is quoted whole in one)
        return re.compile("([^`]+?)".join(re.escape(part) for part in self.api.split("{}")))

    def in_command_words(self, text: str) -> str:
        """``text`` with each mention of this todo in the shells' words."""
        if "{}" not in self.api:
            return text.replace(self.api, self.command)
        return self._pattern.sub(lambda m: self.command.format(*(_shell_word(a) for a in m.groups())), text)


def _shell_word(literal: str) -> str:
    """A Python literal of the library's words as the shell word of its value."""
    import ast  # (only a message that names an argument needs it: not on every command's start-up)

    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal
    return shell_word(str(value))


#: The characters a ``'...'`` word cannot show on one line as they are: controls (a newline,
#: a tab, ESC; C1), the line and paragraph separators, the bidirectional controls that
#: reorder a line and the invisible format characters (a soft hyphen, zero-width ones). An
#: error line folds a newline into a space and shows the others as symbols (see
#: :func:`searchkit.text.controls.printable`): a command quoted with them could not be pasted back.
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
#: (the escapes of ``$'...'`` that bash, zsh, ksh and busybox sh read alike)
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def shell_word(text: str) -> str:
    """``text`` as one word of a shell command, to be pasted back as it is shown: quoted as
    :func:`shlex.quote` quotes it (``'a b'``), or, when it holds a character that a quoted
    word would not show on one line as it is (a newline, a tab, an escape), as a ``$'...'``
    word with that character escaped (``$'a\\nb'``), which bash, zsh and ksh read back as
    ``text``.

    >>> print(shell_word("a b"), shell_word("a\\nb"), shell_word("it's\\t\\x1b"))
    'a b' $'a\\nb' $'it\\'s\\t\\x1b'
    """
    if not _UNSHOWABLE.search(text):
        return shlex.quote(text)
    escaped = "".join(_ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x80 else f"\\u{ord(c):04x}")
                      if c in _ESCAPES or _UNSHOWABLE.match(c) else c for c in text)
    return f"$'{escaped}'"


INDEX = Todo("`Engine.index()`", "`searchkit index`")
REBUILD = Todo("`Engine.index(rebuild=True)`", "`searchkit index --rebuild`")
SOURCES = Todo("`Engine.sources()`", "`searchkit stats`")
SEARCH = Todo("`Engine.search()`", "`searchkit search`")
SEARCH_WORDS = Todo("`Engine.search(query)`", "`searchkit search WORDS`")
DUPLICATES = Todo("`Engine.duplicates({})`", "`searchkit duplicates {}`")
SAVED_LIST = Todo("`Engine.saved_searches()`", "`searchkit saved list`")
RUN_NEW = Todo("`Engine.run_saved_search({}, new=True, page={})`", "`searchkit saved run {} --new -p {}`")
RUN_NEW_LIMIT = Todo("`Engine.run_saved_search({}, new=True, page={}, limit={})`",
                     "`searchkit saved run {} --new -p {} -n {}`")
REPLACE = Todo("give `replace=True`", "add --replace to the command")
INIT = Todo("`Engine.init({})`", "`searchkit init {}`")
#: (a home is a command's global option, and the engine's first argument)
INIT_FOLDER = Todo("`Engine.init(FOLDER)`", "`searchkit init FOLDER`")
OPEN = Todo("`Engine({})`", "--home {}")
GIVE_HOME = Todo("give `Engine` the folder of a home", "give --home the folder of a home")
NEW_ALIAS = Todo("`Engine.init(HOME, url='http://HOST:9200/OTHER')`",
                 "searchkit --url http://HOST:9200/OTHER init HOME")
SINCE_UNTIL = Todo("`since={}, until={}`", "--since {} --until {}")
SINCE = Todo("`since=`", "--since")
UNTIL = Todo("`until=`", "--until")
SOURCE = Todo("`source=`", "--source")
FACETS_OPTION = Todo("`facets=`", "--facets")
SORTED_BY_DATE = Todo("`sort='date'`", "--sort date")
#: (the other arguments of a search, each as the option of `searchkit search` that gives it)
LIMIT = Todo("`limit=`", "--limit")
PAGE = Todo("`page=`", "--page")
SORT = Todo("`sort=`", "--sort")
EXACT = Todo("`exact=True`", "--exact")
ALL_WORDS = Todo("`partial=False`", "--all")
NO_COLLAPSE = Todo("`collapse=False`", "--no-collapse")
TIMELINE = Todo("`months=True`", "--timeline")
URL = Todo("`url=`", "--url")
URL_GIVEN = Todo("`url={}`", "--url {}")
BACKEND = Todo("`backend={}`", "--backend {}")

#: Every todo, those without arguments first (``url=`` is said before ``url='http://...'``
#: is looked for), the longer first.
TODOS = tuple(sorted((t for t in globals().values() if isinstance(t, Todo)),
                     key=lambda t: ("{}" in t.api, -len(t.api))))


def in_command_words(text: str) -> str:
    """``text`` (a message, hint or note of the library) with each thing it tells someone to
    do in the words of the command line and the TUI."""
    if "`" not in text:  # (every todo's call is quoted: most messages have none)
        return text
    for todo in TODOS:
        text = todo.in_command_words(text)
    return text
