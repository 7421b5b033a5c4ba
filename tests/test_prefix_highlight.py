"""A prefix (``табір*``) marks every word it matched: those whose written form starts with
it and those whose lemma does (``табори``, whose stem changes: ``табір`` → ``табор-``),
in hits' snippets and titles, their matched words, ``Engine.highlight`` (show, the
reader) and ``explain`` alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Engine

from .conftest import imported

# No word here is written ``табір…``: only the lemma of ``табори``/``таборами`` starts so.
CAMPS = {"id": "c1", "title": "Мовні табори для школярів", "date": "2024-06-01",
         "text": "Улітку мовні табори приймали школярів. Таборами опікувалися волонтери."}
ONE = {"id": "c2", "title": "Табір біля річки", "date": "2024-06-02",
       "text": "Табір стоїть біля річки, у таборі живуть діти."}
OTHER = {"id": "o1", "title": "Погода", "date": "2024-06-03", "text": "Учора в місті була злива."}


@pytest.fixture
def eng(tmp_path: Path) -> Engine:
    engine = imported(tmp_path, [CAMPS, ONE, OTHER])
    yield engine
    engine.close()


def marked(text: str, spans: tuple) -> list[str]:
    return [text[s.start:s.end] for s in spans]


def test_a_prefix_marks_the_forms_of_a_word_whose_stem_changes_in_the_articles_it_found(eng: Engine):
    hits = {h.id: h for h in eng.search("табір*").hits}
    assert set(hits) == {"c1", "c2"}
    camps = hits["c1"]
    assert marked(camps.title, camps.title_spans) == ["табори"]
    assert marked(camps.snippet.text, camps.snippet.spans) == ["табори", "Таборами"]
    assert {word for word, _ in camps.matched} == {"табори", "Таборами"}


def test_a_prefix_marks_what_the_word_itself_marks(eng: Engine):
    for art in ("c1", "c2"):
        by_prefix = next(h for h in eng.search("табір*").hits if h.id == art)
        by_word = next(h for h in eng.search("табір").hits if h.id == art)
        assert marked(by_prefix.snippet.text, by_prefix.snippet.spans) == \
            marked(by_word.snippet.text, by_word.snippet.spans)
        assert marked(by_prefix.title, by_prefix.title_spans) == marked(by_word.title, by_word.title_spans)


def test_show_and_the_reader_mark_a_prefix_as_the_search_does(eng: Engine):
    title, body = eng.highlight(eng.get("c1"), "табір*")
    assert marked(title.text, title.spans) == ["табори"]
    assert marked(body.text, body.spans) == ["табори", "Таборами"]


def test_explain_lists_the_words_a_prefix_matched_by_their_lemma(eng: Engine):
    assert {word for word, _ in eng.explain("табір*", "c1").matched} == {"табори", "Таборами"}


def test_a_prefix_in_the_title_alone_marks_the_title_alone(eng: Engine):
    hit = eng.search("title:табір*").hits
    camps = next(h for h in hit if h.id == "c1")
    assert marked(camps.title, camps.title_spans) == ["табори"]
    assert camps.snippet.spans == ()


def test_a_prefix_is_one_query_term_however_many_words_it_reaches(eng: Engine):
    hit = next(h for h in eng.search("таб*").hits if h.id == "c1")
    assert hit.matched == (("табори", "таб"), ("Таборами", "таб"))


def test_explain_says_a_prefix_matched_by_its_lemma_is_in_the_article(eng: Engine):
    # (it said "not in the article: табір" of an article it matched, holding only табори)
    assert eng.explain("табір*", "c1").missing == ()
    assert eng.explain("табір*", "o1").missing == ("табір",)


def test_explain_says_an_article_holds_a_prefix_left_out_by_its_lemma(eng: Engine):
    ex = eng.explain("волонтери -табір*", "c1")
    assert not ex.matches_query and ex.excluded == ("табір* (табори, Таборами)",)


def test_a_word_a_prefix_matched_by_its_form_alone_counts_as_the_prefix_too(eng: Engine):
    # (``таборі``: its form starts with ``табор``, its lemma ``табір`` does not)
    hit = next(h for h in eng.search("табор*").hits if h.id == "c2")
    assert hit.matched == (("таборі", "табор"),)
    assert eng.explain("табор*", "c2").matched == (("таборі", "табор"),)
