"""Highlighting a hit from where the index recorded the query's lemmas marks exactly what
analyzing its text again marks, and a file changed since indexing is analyzed again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.query.parse import parse_query
from searchkit.text.highlight import Matcher

from .conftest import write_jsonl
from .synth import articles

#: Plain words, a word with two lemmas (``табори``), a stop word, a prefix, a fuzzy word,
#: a phrase and a Russian-looking word.
QUERIES = ["мовні табори", "табори", "новий міст у Києві", "фестивал*", "волонтри~", '"ремонт школи"',
           "Киеве", "title:фестиваль"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("placed")
    eng = Engine.init(root / "home")
    records = list(articles(40, seed=7, paragraphs=2))
    records.append({"id": "ru", "title": "Новости", "text": "В Киеве открыли новый мост. Мовні табори працюють."})
    eng.import_paths([write_jsonl(root / "a.jsonl", records)])
    yield eng
    eng.close()


@pytest.mark.parametrize("text", QUERIES)
def test_placed_matches_are_the_analyzed_ones(engine: Engine, text: str):
    compiled = engine.backend_index.compile(parse_query(text))
    hits = engine.search(text, limit=50, snippets=False).hits
    assert hits
    placed = engine.backend_index.placed([h.id for h in hits], compiled.terms.lemmas)
    fresh = Matcher(engine.analyzer, compiled.terms)
    by_index = Matcher(engine.analyzer, compiled.terms)
    for h in hits:
        article = engine.get(h.id)
        stamp, where = placed[h.id]
        relpath = h.path.removeprefix("corpus/")
        assert engine.corpus.as_indexed(relpath, stamp, engine.corpus.stamp(relpath))
        assert by_index.find_placed(article.text, where["body"]) == fresh.find(article.text)
        assert by_index.find_placed(article.title, where["title"]) == fresh.find(article.title)


def test_a_file_changed_since_indexing_is_highlighted_as_it_reads_now(tmp_path: Path):
    eng = Engine.init(tmp_path / "home")
    article = {"id": "x", "title": "Табори", "text": "Мовні табори влітку."}
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", [article])])
    path = eng.corpus.path_for("x")
    record = json.loads(path.read_text(encoding="utf-8"))
    record["text"] = "Спочатку інші слова, а потім мовні табори."  # not indexed again
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    hit = eng.search("табори").hits[0]
    marked = [hit.snippet.text[s.start:s.end] for s in hit.snippet.spans]
    assert marked == ["табори"]
    eng.close()
