"""Engine.stored: ids as delete takes them (one id as a str, or several), many at once
answered quickly, the missing ones left out."""

from __future__ import annotations

import time

import pytest


def test_stored_takes_a_bare_string_as_one_id_not_its_characters(engine):
    assert [a.id for a in engine.stored("a1")] == ["a1"]
    assert engine.stored("a") == []


def test_stored_refuses_what_is_no_id_with_a_type_error(engine):
    for bad, kind in ((None, "NoneType"), (b"a1", "bytes"), (7, "int")):
        with pytest.raises(TypeError, match=f"ids must be a string or an iterable of strings, not {kind}"):
            engine.stored(bad)
    with pytest.raises(TypeError, match="ids must be strings, not int"):
        engine.stored(["a1", 7])


def test_stored_keeps_the_order_and_leaves_out_the_missing_ids(engine):
    ids = ["a3", "nope", "a1", "a3"]
    assert [a.id for a in engine.stored(ids)] == ["a3", "a1", "a3"]


def test_stored_with_many_missing_ids_answers_quickly(engine):
    ids = [f"missing-{i}" for i in range(100_000)] + ["a2", "a4"]
    t0 = time.perf_counter()
    found = engine.stored(ids)
    assert [a.id for a in found] == ["a2", "a4"]
    assert time.perf_counter() - t0 < 20  # (39 s when each id was looked for alone)


def test_stored_finds_articles_before_the_index_is_built(home, tmp_path):
    from searchkit import Engine

    from .conftest import ARTICLES, write_jsonl

    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)], index=False)
    assert [a.id for a in eng.stored(["a4", *(f"x{i}" for i in range(5000)), "a1"])] == ["a4", "a1"]
    eng.close()


def test_stored_finds_an_article_filed_under_another_name_among_many_missing_ids(engine):
    # a file renamed by hand: the index says where the article is, looked up in one
    # listing of the index when the ids outnumber its articles
    from searchkit.store.corpus import article_filename

    old = engine.home / "corpus" / article_filename("a1")
    old.rename(old.with_name("renamed.json"))
    engine.index()
    ids = ["a1", *(f"x{i}" for i in range(50))]
    assert [a.id for a in engine.stored(ids)] == ["a1"]
    assert [a.id for a in engine.stored(["a1"])] == ["a1"]


def test_stored_of_an_id_two_articles_have_by_another_apostrophe_lists_neither_as_get_refuses_it(home):
    from searchkit import ArticleAmbiguous, Engine

    eng = Engine(home)
    eng.import_articles([{"id": "б'ю", "text": "Перший текст про пором."}, {"id": "б’ю", "text": "Другий про міст."}])
    with pytest.raises(ArticleAmbiguous):
        eng.get("бʼю")
    assert eng.stored(["бʼю"]) == []  # (it listed the first, б'ю, as if it were meant)
    assert [a.id for a in eng.stored(["б’ю", "бʼю", "б'ю"])] == ["б’ю", "б'ю"]
    eng.close()
