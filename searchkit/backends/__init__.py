"""Where a home's index lives: the embedded Whoosh index (default) or an OpenSearch cluster.

The choice is a small config file in the home, ``HOME/searchkit.toml``::

    [index]
    backend = "opensearch"
    url = "http://10.0.0.5:9200,http://10.0.0.6:9200/news"   # hosts, then /ALIAS (default "searchkit")
    shards = 3        # for new indices (optional)
    replicas = 1      # default: 1, or 0 on a one-node cluster
    analysis = 2      # processes that analyse a big job's articles (default: one per core)

Both backends take the same analysed documents (:mod:`searchkit.backends.documents`) and
the same parsed queries, and answer with the same raw hits: each implements the
:class:`~searchkit.backends.base.Index` protocol, so :class:`searchkit.Engine` does not
know which one it talks to (it asks ``index.capabilities`` for what only one can do).
Heavy imports (Whoosh, the OpenSearch client) happen only when a backend is opened.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..advice import BACKEND, URL, URL_GIVEN
from ..errors import HomeError, SearchkitError
from ..store.atomic import write_atomically

if TYPE_CHECKING:  # pragma: no cover
    from ..query.userlexicon import LexiconSource
    from .base import Index

__all__ = ["BACKENDS", "CONFIG_FILE", "IndexConfig", "check_backend", "check_client", "load_config", "open_index",
           "save_config", "shown_url"]

CONFIG_FILE = "searchkit.toml"
BACKENDS = ("whoosh", "opensearch")
DEFAULT_ALIAS = "searchkit"


def check_backend(name: object) -> str | None:
    """``name``, a ``backend`` given in Python, if it is one of :data:`BACKENDS` or ``None``
    (``TypeError`` or ``ValueError`` saying what it is not, as for any argument of a bad
    type or value; a bad ``backend`` in ``searchkit.toml`` is a :class:`HomeError`)."""
    if name is None or (isinstance(name, str) and name in BACKENDS):
        return name
    if not isinstance(name, str):
        raise TypeError(f"backend must be one of {', '.join(map(repr, BACKENDS))} or None, not {type(name).__name__}")
    raise ValueError(f"backend={name!r}: use one of {', '.join(map(repr, BACKENDS))}")


def shown_url(url: str) -> str:
    """``url`` (one host, or several joined by commas) as messages print it: a password given
    in it (``http://USER:PASSWORD@HOST``, sent as basic auth) is ``***``, as error lines end
    up in logs and on screens."""
    return re.sub(r"((?:^|,|://)\s*[^/@:,\s]*):[^@/,\s]*@", r"\1:***@", url)


#: A host name (letters, digits, dots, dashes, in any script: the client spells it in
#: IDNA) or an IPv6 address (given in brackets); no space, %, or the like
_HOST = re.compile(r"[\w.-]+|[0-9a-f:.]+")
#: The least each count of a config may be (the shards and replicas of a new index, the
#: processes analysing for it).
_LEAST = {"shards": 1, "replicas": 0, "analysis": 1}


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """Which backend holds the index, and where."""

    backend: str = "whoosh"
    url: str | None = None
    shards: int = 3
    replicas: int | None = None  # None: 1, or 0 when the cluster has one data node
    analysis: int | None = None  # processes analysing a big job for the cluster; None: one per core

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise SearchkitError(f"unknown backend {self.backend!r}: use one of {', '.join(BACKENDS)}")
        if self.backend == "opensearch" and not self.url:
            raise SearchkitError("the opensearch backend needs a URL",
                                 hint=f"pass {URL_GIVEN('http://HOST:9200')} or set url in searchkit.toml")
        for key, least in _LEAST.items():
            if (n := getattr(self, key)) is not None and n < least:
                raise SearchkitError(f"{key} must be {least} or more, not {n}")
        if self.url is not None:
            self.hosts_and_alias()  # validate early: one clear message, not a client traceback

    @property
    def place(self) -> str:
        """Where the index is, as a message prints it: the cluster's URL (a password in it
        ``***``, :func:`shown_url`), or ``embedded``."""
        return shown_url(self.url or "embedded")

    def with_overrides(self, backend: str | None = None, url: str | None = None) -> IndexConfig:
        """This config with the arguments given replacing its fields. A blank ``url``
        (``--url "$CLUSTER"`` with the variable unset) names no cluster: it is refused as
        what it is, not read as a wish for one that then lacks its URL."""
        if backend is None and url is None:
            return self
        if url is not None and not url.strip():
            raise SearchkitError(f"{URL} is empty: it names no OpenSearch cluster",
                                 hint=f"give the cluster's address ({URL_GIVEN('http://HOST:9200/ALIAS')}), "
                                      f"or leave {URL} out to use the index the home is set up with")
        if url is not None and backend is None and self.backend == "whoosh":
            backend = "opensearch"  # --url alone can only mean a cluster
        if backend == "whoosh":
            if url is not None:
                raise SearchkitError(f"{URL} names a cluster: it goes with {BACKEND('opensearch')}, not whoosh")
            return replace(self, backend="whoosh", url=None)  # (back from a cluster: its URL goes)
        return replace(self, backend=backend or self.backend, url=url if url is not None else self.url)

    def hosts_and_alias(self) -> tuple[list[str], str]:
        """``(["http://h1:9200", ...], alias)`` from ``url``: comma-separated hosts, and an
        optional ``/ALIAS`` path on any of them."""
        hosts: list[str] = []
        alias = None
        for part in (self.url or "").split(","):
            part = part.strip()
            if not part:
                continue
            if "://" not in part:
                part = "http://" + part
            try:  # (``http://[::1``: an unclosed bracket was the parser's ValueError, said as a bug)
                u = urlsplit(part)
                host = u.hostname
            except ValueError:
                host = None
            if host is None or u.scheme not in ("http", "https") or not _HOST.fullmatch(host):
                # (``not a url`` read as a host: the client refused its spaces as a bug in searchkit)
                raise SearchkitError(f"bad OpenSearch URL {shown_url(part)!r}: expected http(s)://HOST:PORT[/ALIAS]")
            try:  # (a mistyped port was the client's ValueError, said as a bug in searchkit)
                port_ok = u.port != 0
            except ValueError:
                port_ok = False
            if not port_ok:
                raise SearchkitError(f"bad OpenSearch URL {shown_url(f'{u.scheme}://{u.netloc}')!r}: the port must "
                                     "be a number from 1 to 65535 (http(s)://HOST:PORT[/ALIAS])")
            path = u.path.strip("/")
            if path:
                if "/" in path or (alias is not None and alias != path):
                    raise SearchkitError(f"bad OpenSearch URL {shown_url(self.url or '')!r}: "
                                         "give one index alias, e.g. /news")
                alias = path
            hosts.append(f"{u.scheme}://{u.netloc}")
        if not hosts:
            raise SearchkitError("the opensearch backend needs a URL such as http://127.0.0.1:9200")
        alias = alias or DEFAULT_ALIAS
        if alias != alias.lower() or alias.startswith(("_", "-", "+")) or any(c in alias for c in ' "*\\<|,>?#:'):
            raise SearchkitError(f"bad index alias {alias!r}: use lowercase letters, digits, '-' and '_'")
        return hosts, alias

    def to_toml(self) -> str:
        lines = ["[index]", f"backend = {json.dumps(self.backend)}"]
        if self.url:
            lines.append(f"url = {json.dumps(self.url)}")
        if self.backend == "opensearch":
            lines.append(f"shards = {self.shards}")
            if self.replicas is not None:
                lines.append(f"replicas = {self.replicas}")
            if self.analysis is not None:
                lines.append(f"analysis = {self.analysis}")
        return "\n".join(lines) + "\n"


def load_config(home: Path) -> IndexConfig:
    """The home's index config; the embedded index when there is no config file."""
    path = home / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return IndexConfig()
    except (OSError, UnicodeDecodeError) as e:
        raise HomeError(f"{path}: cannot read the config ({e})") from None
    import tomllib  # only homes with a config file pay for the parser

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise HomeError(f"{path}: cannot read the config ({e})") from None
    section: Any = data.get("index", {})
    if not isinstance(section, dict):
        raise HomeError(f"{path}: [index] must be a table")
    known = {"backend", "url", "shards", "replicas", "analysis"}
    # an unknown key is refused, not ignored: ``backend = "opensearch"`` above ``[index]``
    # was read as no choice at all, and the home searched its embedded index
    if outside := sorted(set(data) - {"index"}):
        key = outside[0]
        raise HomeError(f"{_where(path, text, key)}: unknown key {key!r} outside [index] (known: [index])",
                        hint="put it under [index]" if key in known else "")
    unknown = sorted(set(section) - known)
    if unknown:
        raise HomeError(f"{_where(path, text, unknown[0])}: unknown key {unknown[0]!r} in [index] "
                        f"(known: {', '.join(sorted(known))})")
    counts = {key: n for key in _LEAST if (n := _count(path, text, section, key)) is not None}
    try:
        return IndexConfig(
            backend=str(section.get("backend", "whoosh")),
            url=str(section["url"]) if section.get("url") else None,
            **counts,
        )
    except SearchkitError as e:
        raise HomeError(f"{path}: {e}", hint=e.hint) from None


def _count(path: Path, text: str, section: dict[str, Any], key: str) -> int | None:
    """The count ``key`` of ``[index]`` (``None`` when it is not given), a whole number of
    at least :data:`_LEAST`: ``shards = 2.5`` was 2 unsaid, ``shards = true`` 1, and
    ``shards = inf`` an OverflowError said as a bug in searchkit."""
    value = section.get(key)
    if value is None:
        return None
    n = value if type(value) is int else int(value) if isinstance(value, str) and value.strip().isdigit() else None
    if n is None or n < _LEAST[key]:
        given = str(value).lower() if isinstance(value, bool | float) else repr(value)  # (as TOML writes it)
        raise HomeError(f"{_where(path, text, key)}: {key} must be a whole number, {_LEAST[key]} or more, not {given}")
    return n


def _where(path: Path, text: str, key: str) -> str:
    """``path:line`` of the first line that sets ``key`` or opens a table of it (the TOML
    parser names no line for a key it read), ``path`` when none does (a quoted key)."""
    pattern = re.compile(rf"\s*(?:\[\[?\s*)?{re.escape(key)}\s*[=.\]]")
    line = next((n for n, ln in enumerate(text.splitlines(), 1) if pattern.match(ln)), None)
    return f"{path}:{line}" if line else str(path)


def save_config(home: Path, config: IndexConfig) -> None:
    """Write ``HOME/searchkit.toml`` atomically."""
    path = home / CONFIG_FILE
    write_atomically(path, config.to_toml())


def check_client(config: IndexConfig) -> None:
    """The one-line error of a backend whose client library is not installed, raised
    before anything is written for it (nothing is needed for the embedded index)."""
    if config.backend == "opensearch":
        from .opensearch.client import client_module

        client_module()


def open_index(config: IndexConfig, root: Path, lexicon: LexiconSource) -> Index:
    """The index object for ``config``: a :class:`searchkit.backends.whoosh.SearchIndex` or an
    :class:`searchkit.backends.opensearch.index.OpenSearchIndex`, each an :class:`.base.Index`,
    reading its analyzer and lexicon fingerprint from ``lexicon`` at each use."""
    if config.backend == "opensearch":
        from .opensearch.index import OpenSearchIndex

        return OpenSearchIndex(config, lexicon, root=root)
    from .whoosh import SearchIndex

    return SearchIndex(root, lexicon)
