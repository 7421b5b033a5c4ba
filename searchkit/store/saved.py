"""Saved searches: named queries kept in one readable JSON file per user, keyed by home.

The file is ``saved-searches.json`` in ``$SEARCHKIT_CONFIG_DIR``, else in
``$XDG_CONFIG_HOME/searchkit``, else in ``~/.config/searchkit``::

    {
      "version": 1,
      "homes": {
        "/srv/newsroom/archive": {
          "Білорусь": {"query": "політв'язні Білорусь", "since": "2024-01-01", "until": null,
                       "source": null, "created": "...", "last_run": "...", "seen": 1758...}
        }
      }
    }

One file for all homes keeps every query a person watches in one place they can read and
edit; the key is the home's absolute path, so two archives never mix their searches. A home
also carries an id (``HOME/.searchkit-id``, listed under ``"ids"``), so a home that was
moved or renamed finds its searches at its old path and takes them along, and a new home
made where a deleted one was does not inherit the deleted one's searches. Writes
hold a lock and replace the file atomically: two commands at once never lose a search.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ..advice import REPLACE, SAVED_LIST
from ..errors import SavedSearchBadName, SavedSearchError, SavedSearchExists, SavedSearchNotFound, echoed
from ..models import SavedSearch
from .atomic import write_atomically
from .locking import HomeLock

__all__ = ["SavedSearches", "config_dir", "date_text", "home_id", "make_home_id", "now_iso"]

FILENAME = "saved-searches.json"
ID_FILE = ".searchkit-id"
_ID = re.compile(r"[0-9a-f]{32}")
FORMAT_VERSION = 1
# no control characters: a name is printed in lists and errors, where ESC would reach the terminal;
# no lone surrogates (a byte of a command line that is no UTF-8): the file could not hold it
#: The longest name (said where a name is refused).
MAX_NAME = 80
_NAME = re.compile(rf"[^\s/\\\x00-\x1f\x7f\ud800-\udfff][^/\\\x00-\x1f\x7f\ud800-\udfff]{{0,{MAX_NAME - 1}}}")
_T = TypeVar("_T")


def make_home_id(home: Path) -> None:
    """Give a new home its id (``HOME/.searchkit-id``): a home made where a deleted one
    was is then told from it, and a home whose id file is lost later is not."""
    SavedSearches(home)._home_id(create=True)


def home_id(home: Path) -> str | None:
    """The id of the home at ``home`` (``HOME/.searchkit-id``), or ``None`` when it has none."""
    return SavedSearches(home)._home_id()


def config_dir() -> Path:
    """Where searchkit keeps per-user settings (see the module docstring)."""
    explicit = os.environ.get("SEARCHKIT_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg else Path.home() / ".config"
    return base / "searchkit"


def _from_json(name: str, rec: Any, path: Path) -> SavedSearch:
    if not isinstance(rec, dict) or not isinstance(rec.get("query"), str):
        raise SavedSearchError(f"{path}: saved search {name!r} has no query", hint="fix or remove it in that file")
    try:
        return SavedSearch(
            name=name, query=rec["query"], since=_text(rec.get("since")), until=_text(rec.get("until")),
            source=_text(rec.get("source"), "a source"), created=str(rec.get("created") or ""),
            last_run=_text(rec.get("last_run"), "a time"), seen=_seen(rec.get("seen")),
        )
    except (TypeError, ValueError, OverflowError) as e:
        raise SavedSearchError(f"{path}: saved search {name!r}: {e}", hint="fix or remove it in that file") from None


def _not_found(name: str, known: Iterable[str]) -> SavedSearchNotFound:
    """The refusal of ``name``, which no saved search of this home has (``known`` are the
    names it has): said alike by every method that looks a name up, the name echoed as
    errors echo it (clipped when long), the names there are listed."""
    listed = ", ".join(sorted(known)) or "none yet"
    return SavedSearchNotFound(f"no saved search named {echoed(name)} (saved: {listed})",
                               hint=f"{SAVED_LIST} shows them")


def _seen(value: Any) -> int:
    """A saved search's ``seen`` (the last arrival it listed): a whole number, or none
    yet; ``ValueError`` saying so (``"seen": "x"`` said ``invalid literal for int() with
    base 10: 'x'``, and ``2.7`` or ``true`` were taken for 2 and 1)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"\"seen\" must be a whole number, the last arrival it listed; got {value!r}")
    return value


def _same(a: str, b: str) -> bool:
    """Whether two names are one, however their letters are spelt (``ї`` as one character
    or as ``і`` and a combining diaeresis, as a file name from macOS gives it): as ids are."""
    return unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)


def _key(mine: dict[str, Any], name: str) -> str | None:
    """The key ``mine`` keeps the search ``name`` under (see :func:`_same`), if any."""
    return name if name in mine else next((k for k in mine if _same(k, name)), None)


def _text(value: Any, what: str = "a date") -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected {what} as text, got {value!r}")
    return value


def _to_json(s: SavedSearch) -> dict[str, Any]:
    out = s.to_json()
    del out["name"]
    out.pop("notes", None)  # said when saved, read again at every run
    return out


def date_text(value: dt.date | str | None) -> str | None:
    """A ``since``/``until`` as kept: a date as ``YYYY-MM-DD``, a phrase as typed (read
    again at every run), nothing for a blank."""
    if isinstance(value, dt.datetime):  # (its day, as a search reads it: not "2016-06-02T12:00:00")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strip() or None if value else None


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


class SavedSearches:
    """The saved searches of one home."""

    def __init__(self, home: Path, directory: Path | None = None, *, lock_timeout: float | None = None) -> None:
        self.home = home
        self.lock_timeout = lock_timeout  # (the file's lock: see HomeLock)
        self.home_key = str(home.resolve())
        self.dir = directory or config_dir()
        self.path = self.dir / FILENAME

    # -- which entry is this home's ----------------------------------------------------------
    def _home_id(self, *, create: bool = False, restore: str | None = None) -> str | None:
        """This home's id; with ``create``, one is made when it has none (``restore``: the
        id the file recorded for this path, taken back when the id file was lost)."""
        path = self.home / ID_FILE
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            text = ""
        if _ID.fullmatch(text):
            return text
        if not create:
            return None  # (none, or damaged: read as none)
        return self._new_id(restore)

    def _new_id(self, home_id: str | None = None) -> str | None:
        """Write this home's id (``home_id``, or a new one); ``None`` when the home is
        read-only: its searches stay keyed by its path alone."""
        import uuid

        home_id = home_id or uuid.uuid4().hex
        try:
            (self.home / ID_FILE).write_text(home_id + "\n", encoding="ascii")
        except OSError:
            return None
        return home_id

    def _elsewhere(self, path: Any, home_id: str) -> bool:
        """Whether ``path``, another home's path, still holds a home with ``home_id``: the
        home there was copied, not moved, to this one."""
        if not isinstance(path, str) or path == self.home_key:
            return False
        try:
            return (Path(path) / ID_FILE).read_text(encoding="ascii").strip() == home_id
        except (OSError, UnicodeDecodeError):
            return False

    def _moved_from(self, data: dict[str, Any]) -> str | None:
        """The path this home had when its searches were saved, if it was moved since (the
        old path no longer holds a home with the same id: a copy does not take them)."""
        home_id = self._home_id()
        ids = data.get("ids")
        old = ids.get(home_id) if home_id and isinstance(ids, dict) else None
        if not isinstance(old, str) or old == self.home_key or old not in data["homes"] or home_id is None:
            return None
        return None if self._elsewhere(old, home_id) else old

    def _of_another_home(self, data: dict[str, Any]) -> bool:
        """Whether the searches saved at this home's path belong to another home: one
        that was deleted (or moved away) and whose id the file recorded there, while this
        home has another id or none yet (a new home made at the same path)."""
        ids = data.get("ids")
        if not isinstance(ids, dict):
            return False
        owners = {i for i, p in ids.items() if p == self.home_key}
        # A home gets its id when made (:func:`make_home_id`): one with none lost its id
        # file (or it was damaged), and its searches stay its own.
        home_id = self._home_id()
        return bool(owners) and home_id is not None and home_id not in owners

    # -- the file -------------------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {"version": FORMAT_VERSION, "homes": {}}
        except OSError as e:
            raise SavedSearchError(f"{self.path}: cannot read saved searches ({e.strerror})") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SavedSearchError(f"{self.path}: not valid JSON ({e})", hint="fix the file or move it away") from None
        if not isinstance(data, dict) or not isinstance(data.get("homes", {}), dict):
            raise SavedSearchError(f"{self.path}: expected an object with \"homes\"",
                                   hint="fix the file or move it away")
        data.setdefault("homes", {})
        return data

    def _write(self, data: dict[str, Any]) -> None:
        try:
            write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", durable=True)
        except OSError as e:
            raise SavedSearchError(f"{self.path}: cannot save ({e.strerror})") from None

    def _change(self, fn: Callable[[dict[str, Any]], _T]) -> _T:
        """Read, change and write the file under a lock: ``fn`` edits this home's searches;
        what it returns is returned."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SavedSearchError(f"{self.dir}: cannot create ({e.strerror})") from None
        with HomeLock(self.dir / f".{FILENAME}.lock", timeout=self.lock_timeout):
            data = self._read()
            if self._of_another_home(data):  # a new home where a deleted one was: start afresh
                data["homes"].pop(self.home_key, None)
                data["ids"] = {i: p for i, p in data["ids"].items() if p != self.home_key}
            old = self._moved_from(data)
            if old is not None and self.home_key not in data["homes"]:
                data["homes"][self.home_key] = data["homes"].pop(old)
            mine = data["homes"].setdefault(self.home_key, {})
            if not isinstance(mine, dict):  # a hand-edited file
                raise self._not_an_object()
            result = fn(mine)
            ids = data.setdefault("ids", {})
            if not mine:
                del data["homes"][self.home_key]
            elif isinstance(ids, dict):
                owners = sorted(i for i, p in ids.items() if p == self.home_key)
                home_id = self._home_id(create=True, restore=owners[0] if owners else None)
                if home_id is not None and self._elsewhere(ids.get(home_id), home_id):
                    # a copy (``cp -a``) carries its original's id: keyed by it, it would
                    # take the original's place, whose searches would follow the copy
                    home_id = self._new_id()
                if home_id is not None:
                    ids[home_id] = self.home_key
            self._write(data)
            return result

    # -- the searches ---------------------------------------------------------------------
    def all(self) -> list[SavedSearch]:
        """Every saved search of this home, by name."""
        data = self._read()
        mine = None if self._of_another_home(data) else data["homes"].get(self.home_key)
        if mine is None:
            old = self._moved_from(data)
            mine = data["homes"].get(old, {}) if old else {}
        if not isinstance(mine, dict):  # (said as a change says it: no silent empty list)
            raise self._not_an_object()
        return [_from_json(name, rec, self.path) for name, rec in sorted(mine.items())]

    def _not_an_object(self) -> SavedSearchError:
        """The refusal of a hand-edited file whose entry for this home is no object."""
        return SavedSearchError(f"{self.path}: the searches of {self.home_key} are not an object",
                                hint="fix the file or move it away")

    def get(self, name: str) -> SavedSearch:
        searches = self.all()
        for s in searches:
            if _same(s.name, name):
                return s
        raise _not_found(name, [s.name for s in searches])

    def add(self, search: SavedSearch, *, replace: bool = False) -> SavedSearch:
        if not _NAME.fullmatch(search.name) or search.name != search.name.strip():
            raise SavedSearchBadName(f"bad name {echoed(search.name)}: 1-{MAX_NAME} characters of text, no slashes or "
                                     "control characters, no spaces at either end")
        search = dataclasses.replace(search, name=unicodedata.normalize("NFC", search.name))

        def fn(mine: dict[str, Any]) -> SavedSearch:
            old = _key(mine, search.name)
            if old is not None and not replace:
                raise SavedSearchExists(f"a saved search named {echoed(search.name)} exists",
                                        hint=f"{REPLACE} to replace it, or pick another name")
            if old is not None:
                del mine[old]  # (a name kept decomposed before names were kept in NFC)
            mine[search.name] = _to_json(search)
            return search

        return self._change(fn)

    def remove(self, name: str) -> None:
        def fn(mine: dict[str, Any]) -> None:
            key = _key(mine, name)
            if key is None:
                raise _not_found(name, mine)
            del mine[key]

        self._change(fn)

    def mark_run(self, name: str, seen: int) -> SavedSearch:
        """Record that ``name`` ran now and had seen every article up to arrival ``seen``."""

        def fn(mine: dict[str, Any]) -> SavedSearch:
            key = _key(mine, name)
            if key is None:
                raise _not_found(name, mine)
            rec = dict(mine[key])
            rec["last_run"] = now_iso()
            rec["seen"] = max(_from_json(key, rec, self.path).seen, seen)
            mine[key] = rec
            return _from_json(key, rec, self.path)

        return self._change(fn)
