"""Errors searchkit raises. The shells turn each into one line on stderr and an exit code.
Each pickles with its message, hint and fields (a process pool's worker hands it on so).

    SearchkitError
    ├── HomeError            the home directory is missing or is not a searchkit home
    ├── EngineClosed         the Engine was closed and is used again
    ├── InputError           an input file, line or article given cannot be imported (names
    │   │                    file and line, or "article N"; an import reports it and goes on)
    │   ├── LexiconError     a line of lexicon.tsv is wrong (names file and line)
    │   └── ArticleDamaged   a stored article file in corpus/ cannot be read (names it)
    ├── ArticleNotFound      no article with that id
    │   └── ArticleAmbiguous an id typed with another apostrophe names two or more articles
    ├── QueryError           the query cannot be understood
    ├── SavedSearchError     a saved search cannot be saved or read (a bad name, the
    │   │                    saved-searches file cannot be read or written)
    │   ├── SavedSearchNotFound  no saved search has that name
    │   ├── SavedSearchExists    one of that name exists (replace=True replaces it)
    │   └── SavedSearchBadName   a name a saved search cannot have
    └── IndexError_          base of the index problems below
        ├── IndexBusy        another writer holds the write lock (or a search waited
        │                    too long for other threads' searches)
        ├── IndexDamaged     the index cannot be read; rebuild it from corpus/
        ├── IndexFromNewer   a newer searchkit made the index: upgrade, or rebuild it
        ├── IndexTaken       the cluster's alias names another home's index, or one
        │                    searchkit did not make
        └── NoIndex          there is no index yet

    KeyboardInterrupt
    ├── ImportInterrupted    Ctrl-C during an import: what it had stored, and indexed
    ├── IndexInterrupted     Ctrl-C during an index run: whether the index as it was answers
    └── DeleteInterrupted    Ctrl-C during a delete: what it had deleted
"""

from __future__ import annotations

from .advice import INDEX, NEW_ALIAS, REBUILD, SEARCH

__all__ = [
    "ArticleAmbiguous",
    "ArticleDamaged",
    "ArticleNotFound",
    "DeleteInterrupted",
    "EngineClosed",
    "HomeError",
    "IndexBusy",
    "IndexDamaged",
    "ImportInterrupted",
    "IndexError_",
    "IndexFromNewer",
    "IndexInterrupted",
    "IndexTaken",
    "InputError",
    "LexiconError",
    "NoIndex",
    "QueryError",
    "SavedSearchBadName",
    "SavedSearchError",
    "SavedSearchExists",
    "SavedSearchNotFound",
    "ECHO_CHARS",
    "SearchkitError",
    "ambiguous_ids",
    "clipped",
    "echoed",
]

#: Most characters of a user's value an error line quotes: a value is echoed so the user
#: sees which one was meant, and a 50 KB one made a 50 KB line.
ECHO_CHARS = 80


def clipped(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` as written, cut to ``limit`` characters with "…" when it is longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _rebuilt(cls: type[BaseException], args: tuple[object, ...], state: dict[str, object]) -> BaseException:
    """An error as :meth:`_Portable.__reduce__` took it apart: its message and fields as they
    were, without calling ``__init__`` again (which takes other arguments than ``args``)."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class _Portable(BaseException):
    """An error that survives pickling (a process pool sends its worker's exception to the
    parent so): unpickled by ``__init__`` from ``args``, an error whose ``__init__`` takes
    its fields could not be rebuilt, and a ``multiprocessing.Pool`` then hung."""

    def __reduce__(self) -> tuple[object, ...]:
        return _rebuilt, (type(self), self.args, dict(self.__dict__))


def echoed(value: str, limit: int = ECHO_CHARS) -> str:
    """``value`` as an error line quotes it (``repr``): one longer than ``limit``
    characters by its start, with its length, so it is still told apart."""
    if len(value) <= limit:
        return repr(value)
    return f"{clipped(value, limit - 20)!r} ({len(value):,} characters)"


class SearchkitError(_Portable, Exception):
    """Base of every error searchkit raises on purpose. ``hint`` says what to do next."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class HomeError(SearchkitError):
    """The home directory is missing or unusable."""


class EngineClosed(SearchkitError):
    """The :class:`~searchkit.Engine` was closed (``close()``, or the end of its ``with``
    block) and a method was called: open the home again."""


class InputError(SearchkitError):
    """An input cannot be imported. The message starts with ``file[:line]:``, or ``article
    N:`` for the N-th article given to :meth:`searchkit.Engine.import_articles`."""

    def __init__(self, path: str, message: str, *, line: int | None = None, record: bool = False) -> None:
        # A file name with undecodable bytes holds lone surrogates that no terminal or
        # JSON output can print: show them as escapes.
        path = path.encode("utf-8", "backslashreplace").decode("utf-8")
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.reason = message
        #: the record was read, and one of its fields is wrong (not a line that is no record)
        self.record = record


class ArticleDamaged(InputError):
    """An article file stored in ``corpus/`` cannot be read (garbage, cut short, not an
    article): reading it back, not importing it. The message starts with its path."""

    hint = f"restore the file from a backup, or remove it and run {INDEX} (then import the article again)"


class LexiconError(InputError):
    """The user lexicon cannot be read. The message starts with ``lexicon.tsv[:line]:``."""

    # (the format itself, and the README's section on it: docs/ is not installed with the package)
    hint = ("each line is `form -> lemma` or `word = synonym`, `#` starts a comment; see the README, "
            "\"Your own words: lexicon.tsv\"")


class ArticleNotFound(SearchkitError):
    """No article has the given id."""


class ArticleAmbiguous(ArticleNotFound):
    """No article has the given id as typed, and two or more have it with another kind of
    apostrophe (``бʼю`` for ``б'ю`` and ``б’ю``): ``could_be`` lists their ids, sorted."""

    hint = f"give the id as {SEARCH} lists it, with its own apostrophe"

    def __init__(self, article_id: str, could_be: tuple[str, ...]) -> None:
        super().__init__(f"id {echoed(article_id)} is ambiguous: it could be {ambiguous_ids(could_be)} (ids that "
                         "differ only in their apostrophe)")
        self.article_id = article_id
        self.could_be = could_be


def ambiguous_ids(ids: tuple[str, ...]) -> str:
    """The ids an ambiguous id could mean, as a message names them (``'б’ю' or "б'ю"``)."""
    quoted = [echoed(i) for i in ids]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else "".join(quoted)


class QueryError(SearchkitError):
    """The query cannot be parsed or is too large to run, or a ``since``/``until`` given
    with it names no day. ``field`` names the argument at fault when it is one of those
    (``since``, ``until``), for a shell to point at its own box or option."""

    def __init__(self, message: str, *, hint: str = "", field: str = "") -> None:
        super().__init__(message, hint=hint)
        self.field = field


class SavedSearchError(SearchkitError):
    """A saved search cannot be saved, found or read: a name it cannot have, or the
    saved-searches file (named in the message) cannot be read or written."""


class SavedSearchNotFound(SavedSearchError):
    """No saved search of this home has the given name."""


class SavedSearchExists(SavedSearchError):
    """A saved search of the given name exists, and it was not to be replaced."""


class SavedSearchBadName(SavedSearchError):
    """A name a saved search cannot have (the message says what a name may be): another
    name is the way out, as a dialog asking for one can offer at once."""


class IndexError_(SearchkitError):  # noqa: N801 - trailing underscore avoids the builtin
    """Base of index problems."""


class IndexBusy(IndexError_):
    """Another writer (another process, or a thread or Engine of this one) is writing, or
    (within one process) other threads' searches kept this one waiting too long for its
    turn at the index; try again later."""

    hint = "wait for it to finish, or set SEARCHKIT_LOCK_TIMEOUT to wait longer"


class IndexDamaged(IndexError_):
    """The index on disk cannot be read."""

    hint = f"run {REBUILD} to rebuild it from corpus/"


class IndexFromNewer(IndexError_):
    """The index was made by a newer searchkit (a later analyzer or index format than this
    one knows): this one neither reads it nor rebuilds it unasked, so that going back to an
    older release loses no index, nor starts a long rebuild without a word."""

    hint = f"upgrade searchkit to use it, or run {REBUILD} to rebuild it from corpus/ with this version"


class IndexTaken(IndexError_):
    """The home's alias on the cluster names an index another home built, or one searchkit
    did not make: reading it would mix two archives, and writing would replace the other's."""

    hint = f"give this home an alias of its own: {NEW_ALIAS}"


class NoIndex(IndexError_):
    """There is no index yet."""

    hint = f"run {INDEX}"


class ImportInterrupted(_Portable, KeyboardInterrupt):
    """Ctrl-C (or another KeyboardInterrupt) stopped an import: ``stored`` articles were
    added or changed in ``corpus/`` by it, ``unindexed`` of them covered by no commit of
    the index yet (``searchkit.Engine.index`` makes them searchable; so does the next
    import); ``behind``: articles stored before it (by an import interrupted or run with
    ``index=False``) that it was indexing first and that are still not searchable. A
    KeyboardInterrupt still, for code that catches one."""

    def __init__(self, stored: int, unindexed: int, behind: int = 0) -> None:
        super().__init__(f"import interrupted: {stored} articles stored, {unindexed} of them not indexed yet"
                         + (f"; {behind} stored before not indexed yet" if behind else ""))
        self.stored = stored
        self.unindexed = unindexed
        self.behind = behind


class IndexInterrupted(_Portable, KeyboardInterrupt):
    """Ctrl-C (or another KeyboardInterrupt) stopped :meth:`searchkit.Engine.index`:
    ``corpus/`` is untouched, and the index answers as it did before the run (a rebuild
    is swapped in only once it is whole), with what an update's commits indexed before the
    interrupt (it commits in batches, as an import does): ``behind`` stored articles are
    still not searchable after an update. ``rebuild``: the run was building a new index;
    ``answers``: there was an index that searches answer from, and still is. Running it
    again does the rest. A KeyboardInterrupt still."""

    def __init__(self, *, rebuild: bool, answers: bool, behind: int = 0) -> None:
        what = "rebuild" if rebuild else "update"
        kept = "the index as it was still answers searches" if answers else "there is no index to search yet"
        if behind:
            kept += f"; {behind} stored articles not indexed yet"
        super().__init__(f"index {what} interrupted: {kept}")
        self.rebuild = rebuild
        self.answers = answers
        self.behind = behind


class DeleteInterrupted(_Portable, KeyboardInterrupt):
    """Ctrl-C (or another KeyboardInterrupt) stopped :meth:`searchkit.Engine.delete`:
    ``deleted`` articles were removed from ``corpus/`` (searches leave them out at once),
    ``unreached`` of the ids given were not gone through (their articles stay). The
    pending mark stays too, so the next writer (an import, a delete, ``index``) drops the
    deleted from the index before its own work. A KeyboardInterrupt still."""

    def __init__(self, deleted: int, unreached: int) -> None:
        super().__init__(f"delete interrupted: {deleted} articles deleted from corpus/, {unreached} ids not gone "
                         f"through; the next writer (or {INDEX}) drops the deleted from the index")
        self.deleted = deleted
        self.unreached = unreached
