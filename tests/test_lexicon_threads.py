"""One Engine shared by threads while ``lexicon.tsv`` changes: each search compiles its
query and marks its snippets with one lexicon's analyzer, never the old one's for one
and the new one's for the other. Checked by what the searches used, not by timing: the
file flips between two lexicons, each flip waiting until every thread has searched again."""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import searchkit.answers.hits as hits
from searchkit.query.compiling import TreeCompiler
from searchkit.store.locking import HomeLock
from searchkit.text.analysis import Analyzer

from .conftest import imported

#: the two lexicons the file flips between: the same form, two lemmas
LEXICONS = ("котик -> кіт\n", "котик -> пес\n# другий\n")
ARTICLES = [{"id": "k1", "text": "Котик спить на дивані."}, {"id": "p1", "text": "Пес спить біля дверей."}]
SEARCHERS = 4
FLIPS = 60


class Seen:
    """The analyzers each thread's current search used, by what used them."""

    def __init__(self) -> None:
        self.local = threading.local()

    def note(self, what: str, analyzer: Analyzer) -> None:
        used = getattr(self.local, "used", None)
        if used is not None:
            used[what].add(id(analyzer))

    def start(self) -> None:
        self.local.used = collections.defaultdict(set)

    def used(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = self.local.used
        self.local.used = None
        return out


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Iterator[Seen]:
    s = Seen()
    compiler_init = TreeCompiler.__init__
    snippet = hits.best_snippet

    def compiling(self: TreeCompiler[Any], analyzer: Analyzer, *args: Any, **kwargs: Any) -> None:
        s.note("compile", analyzer)
        compiler_init(self, analyzer, *args, **kwargs)

    def marking(text: str, analyzer: Analyzer, *args: Any, **kwargs: Any) -> Any:
        s.note("snippet", analyzer)
        return snippet(text, analyzer, *args, **kwargs)

    monkeypatch.setattr(TreeCompiler, "__init__", compiling)
    monkeypatch.setattr(hits, "best_snippet", marking)
    yield s


def test_every_search_compiles_and_marks_with_one_lexicon_while_another_thread_edits_it(
        tmp_path: Path, seen: Seen) -> None:
    eng = imported(tmp_path, ARTICLES)
    lexicon = eng.lexicon_path
    lexicon.write_text(LEXICONS[0], encoding="utf-8")
    eng.index()
    # Another writer holds the home (an import in another process): the searches answer
    # from the index as it is, rather than each rebuild it for the lexicon of the moment.
    other = HomeLock(eng.home / ".searchkit.lock", directory=eng.home)
    other.acquire(timeout=10)
    mixed: list[dict[str, set[int]]] = []
    errors: list[BaseException] = []
    done = threading.Event()
    searches = collections.Counter[int]()
    analyzers: set[int] = set()

    def search() -> None:
        try:
            while not done.is_set():
                seen.start()
                eng.search("котик спить", snippets="all")
                used = seen.used()
                searches[threading.get_ident()] += 1
                analyzers.update(*used.values())
                if len(set().union(*used.values())) != 1:
                    mixed.append(used)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=search) for _ in range(SEARCHERS)]
    for t in threads:
        t.start()
    try:
        for i in range(FLIPS):
            lexicon.write_text(LEXICONS[i % 2], encoding="utf-8")
            before = {t.ident: searches[t.ident or 0] for t in threads}
            # (each flip waits until every thread has searched again: no timing assumed)
            while not errors and any(searches[t.ident or 0] <= before[t.ident] for t in threads):
                done.wait(0.001)
    finally:
        done.set()
        for t in threads:
            t.join()
        other.release()
        eng.close()
    assert not errors, errors[0]
    assert not mixed, f"{len(mixed)} searches used two analyzers: {mixed[0]}"
    assert sum(searches.values()) >= FLIPS and len(analyzers) >= 2  # (both lexicons were searched with)
