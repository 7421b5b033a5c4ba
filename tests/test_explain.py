import json

import pytest
from click.testing import CliRunner

from searchkit import Explanation
from searchkit.cli import main
from searchkit.errors import ArticleNotFound

from .conftest import ARTICLES


def by_word(ex: Explanation) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in ex.contributions:
        out[c.query_word] = out.get(c.query_word, 0.0) + c.score
    return out


def test_contributions_add_up_to_the_score_the_search_gives(engine):
    hit = engine.search("мовні табори").hits[0]
    ex = engine.explain("мовні табори", hit.id)
    assert ex.matches_query and ex.rank == 1
    assert ex.score == pytest.approx(hit.score)
    assert sum(c.score for c in ex.contributions) == pytest.approx(hit.score)


def test_the_parts_add_up_to_the_score_with_words_excluded_too(engine):
    for query in ("табори -Харків", "табори -Харків -Одеса"):
        (hit,) = engine.search(query).hits
        ex = engine.explain(query, hit.id)
        assert hit.score is not None and abs(sum(c.score for c in ex.contributions) - hit.score) < 1e-6
        assert abs(ex.score - hit.score) < 1e-6


def test_a_word_left_out_adds_nothing_to_the_scores(engine):
    # (Whoosh's own negation adds 1.0 to every match: the scores shown grew with each
    # word left out; the cluster's adds nothing)
    plain = {h.id: h.score for h in engine.search("табори").hits}
    for query in ("табори -Харків", "табори -Харків -Одеса", "табори -(Харків OR Одеса)"):
        for hit in engine.search(query).hits:
            assert hit.score == pytest.approx(plain[hit.id])


def test_an_article_left_out_by_a_minus_says_which_word_it_holds(engine):
    ex = engine.explain("фестиваль -Харків -джаз* -Одеса", "a4")
    assert not ex.matches_query
    assert ex.excluded == ("Харків (Харкова)", "джаз* (джаз)")
    assert ex.to_json()["excluded"] == list(ex.excluded)
    assert engine.explain("фестиваль -Одеса", "a4").excluded == ()
    # a minus on the title leaves out no article that says the word in its text only
    ex = engine.explain("фестиваль -title:Харків", "a4")
    assert ex.matches_query and ex.excluded == ()


def test_a_group_that_needs_all_its_words_and_lacks_one_adds_no_part(engine):
    # a3 matches through метро; it holds рік but not Харків, so "рік Харків" adds nothing
    query = "метро OR рік Харків"
    hit = next(h for h in engine.search(query).hits if h.id == "a3")
    ex = engine.explain(query, "a3")
    assert hit.score is not None and abs(sum(c.score for c in ex.contributions) - hit.score) < 1e-6
    assert not any(c.kind == "lemma" and c.query_word == "рік" for c in ex.contributions)


def test_query_words_show_form_lemmas_and_origin(engine):
    ex = engine.explain("Мовні табори -Київ", "a2")
    assert [(w.text, w.form, w.role, w.negated) for w in ex.words] == [
        ("Мовні", "мовні", "word", False), ("табори", "табори", "word", False), ("Київ", "київ", "word", True)]
    assert "табір" in ex.words[1].lemmas and ex.words[1].origin == "uk" and ex.words[1].known


def test_each_article_word_is_tied_to_the_query_word_it_matched(engine):
    ex = engine.explain("мовний табір", "a2")
    lemma_parts = {(c.query_word, c.field, c.term): c.found for c in ex.contributions if c.kind == "lemma"}
    assert set(lemma_parts[("табір", "body", "табір")]) == {"табори", "таборі"}
    assert lemma_parts[("мовний", "title", "мовний")] == ("Мовні",)
    assert ("таборі", "табір") in ex.matched
    assert by_word(ex)["табір"] > 0 and by_word(ex)["мовний"] > 0


def test_exact_form_and_proximity_are_separate_parts(engine):
    ex = engine.explain("мовні табори", "a2")
    kinds = {c.kind for c in ex.contributions}
    assert {"lemma", "form", "near"} <= kinds
    form = next(c for c in ex.contributions if c.kind == "form" and c.term == "табори")
    assert form.field == "forms" and "табори" in form.found


def test_phrase_query_is_one_part_with_its_words(engine):
    ex = engine.explain('"мовні табори"', "a2")
    phrase = [c for c in ex.contributions if c.kind == "phrase"]
    assert phrase and phrase[0].query_word == "мовні табори"
    assert {"Мовні", "табори"} <= set(phrase[0].found)


def test_prefix_contribution_names_what_it_expanded_to(engine):
    ex = engine.explain("табор*", "a2")
    prefix = [c for c in ex.contributions if c.kind == "prefix"]
    assert prefix and all(c.query_word == "табор" for c in prefix)
    assert ex.score == pytest.approx(sum(c.score for c in ex.contributions))


def test_matched_pairs_are_the_same_as_in_the_hit(engine):
    hit = engine.search("політв'язні Білорусь").hits[0]
    ex = engine.explain("політв'язні Білорусь", hit.id)
    assert ex.matched == hit.matched
    assert ("політв’язнів", "політв'язень") in hit.matched  # the title's spelling, title first


def test_article_that_does_not_match_says_which_words_are_missing(engine):
    ex = engine.explain("мовні табори Харків", "a2", exact=True)
    assert not ex.matches_query and ex.rank is None and ex.score == 0
    assert ex.missing == ("Харків",)
    assert by_word(ex)["табори"] > 0  # what would count is still shown


def test_filtered_out_article_matches_the_words_but_has_no_rank(engine):
    ex = engine.explain("мовні табори", "a2", since="2020-01-01")
    assert ex.matches_query and ex.rank is None and not ex.in_date_range


def test_query_tree_shows_fields_and_boosts(engine):
    tree = engine.explain("табори", "a2").tree
    assert "title:табори ^2" in tree and "body:табір" in tree and "forms:табори ^0.3" in tree


def test_synonyms_are_explained(engine, home):
    (home / "lexicon.tsv").write_text("табори = літні школи\n", encoding="utf-8")
    ex = engine.explain("табори", "a2")
    assert ex.synonyms == ("табори = літні школи",)
    assert [w.role for w in ex.words] == ["word", "synonym", "synonym"]


def test_unknown_article_is_an_error(engine):
    with pytest.raises(ArticleNotFound):
        engine.explain("табори", "nope")


def test_json_has_every_part(engine):
    data = engine.explain("мовні табори", "a2").to_json()
    assert {"query", "id", "title", "words", "tree", "matches_query", "score", "rank", "contributions",
            "matched", "missing"} <= set(data)
    assert data["contributions"][0].keys() == {"query_word", "kind", "field", "term", "score", "found"}
    json.dumps(data, ensure_ascii=False)


def test_cli_explain_prints_the_parts_and_exits_like_search(engine, home):
    res = CliRunner().invoke(main, ["--home", str(home), "--no-color", "explain", "мовні табори", "a2"])
    assert res.exit_code == 0, res.output
    assert "matches: place 1 in the search" in res.stdout and "таборі ← табір" in res.stdout
    res = CliRunner().invoke(main, ["--home", str(home), "explain", "Харків", "a2", "--json"])
    assert res.exit_code == 1 and json.loads(res.stdout)["matches_query"] is False
    res = CliRunner().invoke(main, ["--home", str(home), "explain", "Харків", "nope"])
    assert res.exit_code == 2 and "no article with id 'nope'" in res.stderr


def test_explain_is_documented_in_the_help():
    res = CliRunner().invoke(main, ["--help"])
    assert "explain" in res.stdout


def test_every_fixture_article_explains_without_error(engine):
    for art in ARTICLES:
        ex = engine.explain(art["title"], art["id"])
        assert ex.rank is not None
        assert ex.score == pytest.approx(sum(c.score for c in ex.contributions))


def test_transliterated_word_shows_what_it_was_searched_as(engine):
    ex = engine.explain("Kyiv", "a3")
    (word,) = ex.words
    assert word.origin == "" and "київ" in word.searched_as
    assert ex.searched_as == ("Київ",) and ex.missing == ()
    assert {c.query_word for c in ex.contributions} == {"Kyiv"}


def test_a_query_with_a_typo_is_explained_as_corrected(engine):
    ex = engine.explain("мовні таборрии", "a2")
    assert ex.corrected_query == "мовні табори"
    assert [w.text for w in ex.words] == ["мовні", "табори"] and ex.rank == 1
    assert engine.explain("мовні таборрии", "a2", exact=True).rank is None


def test_a_partial_match_is_explained_by_the_words_it_holds(engine):
    res = engine.search("мовні табори Харків")
    hit = next(h for h in res if h.id == "a2")
    ex = engine.explain("мовні табори Харків", "a2")
    assert ex.matches_query and ex.rank == hit.rank and ex.missing == ("Харків",)
    assert hit.score is not None and abs(ex.score - hit.score) < 1e-6
    # its words' own score, as an all-words match shows: what holding a word adds to
    # rank it is no contribution of the article's words
    assert abs(sum(c.score for c in ex.contributions) - ex.score) < 1e-6
    assert ex.contributions and not any(c.kind == "held" for c in ex.contributions)


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory):
    from .conftest import imported
    return imported(tmp_path_factory.mktemp("prefixed"), [
        {"id": "meals", "title": "Їжа вдома",
         "text": "Харчування дітей: харчові звички, харчування школярів і харчовий раціон."},
        {"id": "hike", "title": "Похід",
         "text": "Про харчування в поході подбали заздалегідь, а намети взяли в оренду."},
        {"id": "camp", "title": "Табір", "text": "У таборі харчуються тричі на день. Табори відкрили в червні."},
    ])


@pytest.mark.parametrize("query", ["харч*", "табір~", "харч* табор*"])
def test_a_prefix_or_fuzzy_word_is_explained_with_the_score_and_rank_the_search_gives(prefixed, query):
    # the words a prefix stands for each add their score, in the search and in explain alike
    hits = prefixed.search(query).hits
    assert hits
    for rank, hit in enumerate(hits, 1):
        ex = prefixed.explain(query, hit.id)
        assert ex.score == pytest.approx(hit.score)
        assert ex.rank == rank


def test_an_article_holding_more_of_a_prefixs_words_ranks_higher(prefixed):
    assert prefixed.search("харч*").hits[0].id == "meals"  # four of its words, the others one


# A news article is a few thousand words; this one goes past the 20,000 in which matches
# are marked, with a word of the query only after them.
LONG = {"id": "long", "title": "Літо біля річки", "date": "2020-08-01",
        "text": "Влітку біля села працюють мовні табори. " + "Діти грали й купалися в річці. " * 4000
                + "Восени табори закрилися, а вожаті поїхали додому."}


def test_explain_of_a_very_long_article_reads_its_words_from_the_start_and_says_so(engine, tmp_path):
    from .conftest import write_jsonl

    assert engine.import_paths([write_jsonl(tmp_path / "long.jsonl", [LONG])]).added == 1
    ex = engine.explain("табори вожаті", "long")
    assert ex.matches_query and ex.rank == 1
    assert ex.warnings == ("the article is too long to read whole; the words found in it are listed from its first "
                           "20,000 words only (the score counts them all)",)
    assert by_word(ex)["вожаті"] > 0 and ex.missing == ()  # scored past the words read: not missing
    assert ("табори", "табори") in ex.matched and not any(form == "вожаті" for form, _ in ex.matched)
    r = CliRunner().invoke(main, ["--home", str(engine.home), "explain", "табори вожаті", "long"])
    assert r.exit_code == 0 and "Note: the article is too long to read whole" in r.output
    assert "Note:" not in CliRunner().invoke(main, ["--home", str(engine.home), "explain", "табори", "a2"]).output


def test_a_very_long_articles_search_snippet_comes_from_its_first_words_as_show_marks_them(engine, tmp_path):
    from .conftest import write_jsonl

    assert engine.import_paths([write_jsonl(tmp_path / "long.jsonl", [LONG])]).added == 1
    (hit,) = engine.search("вожаті").hits  # found by the index, whatever its length
    assert hit.id == "long" and hit.matched == () and hit.snippet.spans == ()
    assert hit.snippet.text.startswith("Влітку біля села")
    assert ("табори", "табори") in engine.search("табори вожаті").hits[0].matched


def test_a_skip_whoosh_gets_wrong_is_stepped_instead_and_no_damage_is_reported(engine, monkeypatch):
    # Whoosh's skip through a constant-score list in a union can read past the list's end
    # (IndexError: a search's partial matches beside a minus): explain said the index was
    # damaged. Here an inverse matcher's skip fails so when explain asks Whoosh for a
    # part's score (the block evaluator refusing every part).
    import sys

    from whoosh.matching import wrappers

    from searchkit.backends.whoosh.bulkeval import BulkEvaluator, Unsupported

    before = engine.explain("табори -Харків", "a2")
    skip = wrappers.InverseMatcher.skip_to

    def broken_skip(self, id):
        frame = sys._getframe(1)  # (through the skips of the matchers above it)
        while frame.f_code.co_name == "skip_to":
            frame = frame.f_back
        if frame.f_code.co_name == "whoosh_score":
            raise IndexError("array index out of range")
        return skip(self, id)

    def refuse(self, q, *, required=True):
        raise Unsupported(type(q).__name__)

    monkeypatch.setattr(BulkEvaluator, "check", refuse)
    monkeypatch.setattr(wrappers.InverseMatcher, "skip_to", broken_skip)
    after = engine.explain("табори -Харків", "a2")
    assert after.rank == before.rank == 1 and after.score == pytest.approx(before.score)
    assert [(c.term, c.score) for c in after.contributions] == [(c.term, c.score) for c in before.contributions]


# -- explain scores and ranks as the search does ----------------------------------------------

#: Short articles of shared words (two of them the same text: a tie in score).
SHARED = [
    {"id": "m1", "title": "Ремонт мосту через річку", "date": "2021-03-10",
     "text": "Міська рада затвердила ремонт мосту через річку. Ремонт мосту почнуть навесні, а рух обмежать."},
    {"id": "m2", "title": "Новий міст у селі", "date": "2022-05-02",
     "text": "У селі збудували новий міст. Мешканці кажуть, що міст через річку давно чекав ремонту."},
    {"id": "m3", "title": "Шкільна бібліотека", "date": "2023-09-01",
     "text": "Після ремонту шкільна бібліотека отримала нові книжки. Учні прийшли до бібліотеки першого вересня."},
    {"id": "m4", "title": "Річка вийшла з берегів", "date": "2020-04-12",
     "text": "Навесні річка вийшла з берегів і підтопила дорогу біля мосту. Рятувальники працювали всю ніч."},
    {"id": "m5", "title": "Дорога до школи", "date": "2021-10-05",
     "text": "Ремонт дороги біля школи завершили восени. Дорогу до школи відкрили для руху."},
    {"id": "m6", "title": "Дорога до школи", "date": "2021-10-05",
     "text": "Ремонт дороги біля школи завершили восени. Дорогу до школи відкрили для руху."},
]

#: ``(query, since, until)``: a phrase, words near each other (the boosters of two words),
#: a word left out, prefixes, a fuzzy word, a date range.
SAME_AS_SEARCH = [('"ремонт мосту"', None, None), ("міст річка", None, None), ("ремонт мосту", None, None),
                  ("ремонт -бібліотека", None, None), ("ремонт* міст*", None, None), ("бібліотка~", None, None),
                  ("ремонт школи", None, None), ("ремонт", 20210101, 20221231)]


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    from .conftest import imported
    eng = imported(tmp_path_factory.mktemp("shared"), SHARED)
    yield eng
    eng.close()


def raw_explanations(eng, compiled, since=None, until=None):
    """Each hit of the index's own search (its raw order, near-duplicates not folded) with
    the index's explanation of it."""
    res = eng.backend_index.search(compiled, limit=50, since=since, until=until, collapse=False)
    assert res.hits
    return [(hit, eng.backend_index.explain(compiled, hit.id, since=since, until=until)) for hit in res.hits]


@pytest.mark.parametrize(("text", "since", "until"), SAME_AS_SEARCH)
def test_explain_gives_each_hit_the_score_and_rank_of_the_search(shared, text, since, until):
    from searchkit.query.parse import parse_query

    compiled = shared.backend_index.compile(parse_query(text))
    for rank, (hit, ex) in enumerate(raw_explanations(shared, compiled, since, until), 1):
        assert ex.matches_query and ex.rank == rank, hit.id
        assert ex.score == pytest.approx(hit.score, rel=1e-9)
        assert sum(p.score for p in ex.parts) == pytest.approx(hit.score, rel=1e-9)


def test_a_tie_ranks_as_the_search_orders_it(shared):
    from searchkit.query.parse import parse_query

    compiled = shared.backend_index.compile(parse_query("ремонт школи"))
    got = {hit.id: (hit.score, ex.rank) for hit, ex in raw_explanations(shared, compiled)}
    assert got["m5"][0] == got["m6"][0] and {got["m5"][1], got["m6"][1]} == {1, 2}


def test_a_partial_match_explains_the_score_and_rank_of_the_partial_search(shared):
    from searchkit.query.parse import parse_query

    parsed = parse_query("ремонт мосту бібліотека")
    relaxed = shared.backend_index.compile_relaxed(parsed, shared.backend_index.compile(parsed))
    found = raw_explanations(shared, relaxed)
    assert {hit.id for hit, _ in found} >= {"m1", "m3"}
    for rank, (hit, ex) in enumerate(found, 1):
        held = [p for p in ex.parts if p.kind == "held"]
        assert ex.matches_query and ex.rank == rank and len(held) == hit.held, hit.id
        # the search shows a partial match's words' own score: what each word held adds ranks it
        assert ex.score - sum(p.score for p in held) == pytest.approx(hit.score, rel=1e-9)
        assert sum(p.score for p in ex.parts) == pytest.approx(ex.score, rel=1e-9)


@pytest.mark.parametrize("text", ["ремонт школи", "ремонт мосту бібліотека", "ремонт", "міст річка", "школи"])
def test_explain_gives_the_place_the_search_lists_each_article_at(shared, text):
    res = shared.search(text, limit=50)
    assert res.hits
    for place, hit in enumerate(res.hits, 1):
        for art_id in (hit.id, *hit.duplicates):
            ex = shared.explain(text, art_id)
            assert ex.rank == place and ex.in_search_order, art_id
            # a near-duplicate is listed with the hit it is folded into
            assert ex.listed_under == (None if art_id == hit.id else hit.id), art_id
            assert ex.score_rank is not None and ex.to_json()["rank"] == place


def test_a_near_duplicate_is_explained_at_the_place_of_the_hit_it_is_folded_into(shared):
    (hit,) = [h for h in shared.search("дорога до школи").hits if h.duplicates]
    (copy,) = hit.duplicates
    ex = shared.explain("дорога до школи", copy)
    assert (ex.rank, ex.listed_under) == (1, hit.id) and ex.to_json()["listed_under"] == hit.id
    r = CliRunner().invoke(main, ["--home", str(shared.home), "explain", "дорога до школи", copy])
    assert r.exit_code == 0 and f"place 1 in the search (folded into {hit.id} as its near-duplicate)" in r.output


def test_past_the_results_looked_through_explain_gives_the_rank_by_score_and_says_so(shared, monkeypatch):
    from searchkit.answers import explanation, topical

    hits = shared.search("ремонт").hits
    assert len(hits) >= 3
    # (an archive of a thousand results and more, in small: the place is looked for in the first one)
    monkeypatch.setattr(explanation, "PLACE_DEPTH", 1)
    monkeypatch.setattr(topical, "WINDOW", 1)
    ex = shared.explain("ремонт", hits[2].id)
    assert ex.rank == ex.score_rank and ex.rank is not None and not ex.in_search_order
    assert ex.to_json()["rank_in"] == "score"
    assert any("past the first 1 results" in w for w in ex.warnings)
    r = CliRunner().invoke(main, ["--home", str(shared.home), "explain", "ремонт", hits[2].id])
    assert r.exit_code == 0 and "by score of all matches (near-duplicates not folded)" in r.output


EXPLAINED = [text for text, _, _ in SAME_AS_SEARCH] + ["ремонт мосту бібліотека"]


@pytest.mark.parametrize("text", EXPLAINED)
def test_explain_runs_no_whoosh_matcher_for_what_the_search_evaluates_in_bulk(shared, text, monkeypatch):
    # Whoosh's span matchers are quadratic in an article's positions: the parts of a query
    # of two common words took 23 s on an article of 400,000 words
    from whoosh import searching
    from whoosh.query import spans

    def refused(*args, **kwargs):
        raise AssertionError("explain ran Whoosh's matchers")

    best = shared.search(text).hits[0].id
    expected = shared.explain(text, best)
    monkeypatch.setattr(spans.SpanNear.SpanNearMatcher, "_get_spans", refused)
    monkeypatch.setattr(searching.Searcher, "search", refused)
    monkeypatch.setattr(searching.Searcher, "search_with_collector", refused)
    ex = shared.explain(text, best)
    assert ex.matches_query
    assert (ex.score, ex.rank, ex.contributions) == (expected.score, expected.rank, expected.contributions)


@pytest.mark.parametrize("text", EXPLAINED)
def test_whooshs_matchers_explain_what_the_block_evaluator_refuses_alike(shared, text, monkeypatch):
    from searchkit.backends.whoosh.bulkeval import BulkEvaluator, Unsupported

    bulk = {art["id"]: shared.explain(text, art["id"]) for art in SHARED}

    def refuse(self, q, *, required=True):
        raise Unsupported(type(q).__name__)

    monkeypatch.setattr(BulkEvaluator, "check", refuse)
    for art_id, expected in bulk.items():
        ex = shared.explain(text, art_id)
        assert (ex.matches_query, ex.score_rank) == (expected.matches_query, expected.score_rank), art_id
        assert ex.score == pytest.approx(expected.score, rel=1e-9)
        assert [(c.kind, c.term, c.found) for c in ex.contributions] == [
            (c.kind, c.term, c.found) for c in expected.contributions]
        assert [c.score for c in ex.contributions] == pytest.approx([c.score for c in expected.contributions])


def test_a_word_of_two_readings_is_listed_as_matching_the_reading_the_query_word_is_searched_by(tmp_path):
    from searchkit import Engine

    eng = Engine.init(tmp_path / "home")
    eng.import_articles([{"id": "k1", "title": "Новини", "text": "Уночі у Києві вимикали світло."}])
    # (the dictionary reads «Києві» as «кий» first, «київ» second; «Київ» the other way round)
    assert [w.lemmas for w in eng.analyze("Києві Київ")] == [("кий", "київ"), ("київ", "кий")]
    (hit,) = eng.search("Київ").hits
    assert [tuple(m) for m in hit.matched] == [("Києві", "київ")]
    assert [tuple(m) for m in eng.explain("Київ", "k1").matched] == [("Києві", "київ")]
    (hit,) = eng.search("кий Київ").hits  # (each reading typed: the article's first comes first)
    assert [tuple(m) for m in hit.matched] == [("Києві", "кий")]
    eng.close()
