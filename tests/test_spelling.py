"""Every spelling of a word, real-word misspellings and partial matches, on a tiny home of
articles written for these tests."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.text.analysis import half_of
from searchkit.text.variants import spelling_variants

from .conftest import imported

ARTICLES = [
    {"id": "v-teacher", "title": "Новий вчитель", "text": "Вчитель математики прийшов до школи у вересні."},
    {"id": "u-teacher", "title": "Свято", "text": "Учителі з усієї країни зібралися в Києві на свято."},
    {"id": "project-new", "title": "Бюджет", "text": "Уряд подав проєкт бюджету на наступний рік."},
    {"id": "project-old", "title": "Школа", "text": "Архітектори показали проект нової школи в Полтаві."},
    {"id": "go", "title": "Похід", "text": "Треба іти додому, сказав він туристам."},
    {"id": "site", "title": "Оновлення", "text": "Міністерство запустило новий вебсайт для вчителів."},
    {"id": "entry", "title": "Вступ", "text": "Вступ до університету цього року почнеться в липні."},
    {"id": "ledge", "title": "Скелі", "text": "Альпіністи відпочили на широкому уступі скелі."},
    {"id": "dishes", "title": "Кухня", "text": "Смачні страви з овочів готують у школі щодня."},
    {"id": "pond", "title": "Риболовля", "text": "Рибалки прийшли до ставу на світанку."},
    {"id": "archive", "title": "Архів", "text": "Архів зберігає документи про історію міста і фотографії."},
    {"id": "docs", "title": "Документи", "text": "Документи видають у центрі надання послуг."},
    {"id": "both", "title": "Архівні документи", "text": "Архівні документи про історію міста оцифрували."},
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("spelling"), ARTICLES)


def ids(res: object) -> list[str]:
    return [h.id for h in res]  # type: ignore[attr-defined]


# -- the rules, on words ----------------------------------------------------------------------

@pytest.mark.parametrize(("word", "variant"), [
    ("учителів", "вчителів"),      # у/в at the start
    ("вдома", "удома"),
    ("йти", "іти"),                # і/й at the start
    ("імовірність", "ймовірність"),
    ("проект", "проєкт"),          # the 2019 orthography, both ways
    ("проєкту", "проекту"),
    ("аудиторія", "авдиторія"),
    ("міф", "міт"),
    ("ґіґабайти", "гігабайти"),
    ("веб-сайт", "вебсайт"),       # compounds, joined or hyphenated
    ("експрезидент", "екс-президент"),
    ("пілат", "пилат"),            # a name spelled as foreign names are
    ("в", "у"),                    # the euphonic function words
    ("й", "і"),
    ("зі", "із"),
    ("з", "зі"),
])
def test_each_variant_rule_finds_the_other_spelling(word: str, variant: str) -> None:
    assert variant in [v.form for v in spelling_variants(word)]


@pytest.mark.parametrize("word", ["вступ", "уступ", "уникати", "бік", "київ"])
def test_different_words_the_dictionary_keeps_apart_are_not_merged(word: str) -> None:
    forms = [v.form for v in spelling_variants(word)]
    assert forms == [] or all(f[0] == word[0] for f in forms), forms


def test_a_variant_needs_the_dictionary_or_the_archive() -> None:
    # "Весон" is no dictionary word: its doubled spelling counts only if the archive has it
    assert spelling_variants("весон", exists=lambda w: False) == ()
    assert [v.form for v in spelling_variants("весон", exists=lambda w: w == "вессон")] == ["вессон"]
    # a name's ґ spelling, rarely the dictionary's, when the archive has it
    assert "ґуґо" in [v.form for v in spelling_variants("гуго", exists=lambda w: w == "ґуґо")]
    assert "ґуґо" not in [v.form for v in spelling_variants("гуго", exists=lambda w: False)]


def test_an_alternate_spelling_the_dictionary_lacks_counts_both_ways_when_the_archive_has_it() -> None:
    # the dictionary knows ``уже`` only as a form of ``уж`` and lacks ``вже``
    assert [v.form for v in spelling_variants("уже", exists=lambda w: w == "вже")] == ["вже"]
    assert spelling_variants("уже", exists=lambda w: False) == ()
    assert "уже" in [v.form for v in spelling_variants("вже", exists=lambda w: False)]


def test_a_foreign_name_spelled_apart_in_two_letters_is_one_name() -> None:
    # г/х and і/и at once: one change at a time never reached the other spelling
    assert "гендрикс" in [v.form for v in spelling_variants("хендрікс", exists=lambda w: w == "гендрикс")]
    assert "хендрікс" in [v.form for v in spelling_variants("гендрикс", exists=lambda w: w == "хендрікс")]
    # a short name two letters apart is another name or word (``хана``, a form of ``хан``)
    assert "хана" not in [v.form for v in spelling_variants("ганна", exists=lambda w: True)]


def test_the_spellings_looked_up_in_the_archive_do_not_depend_on_the_process() -> None:
    # Only the first MAX_INDEX_CHECKS of a name's two-letter spellings are looked up: which
    # they are came in a set's order, so one query found 83 or 84 articles by the hash seed.
    probe = ("from searchkit.text.variants import spelling_variants; asked = []; "
             "spelling_variants('гіхінсгілл', exists=lambda w: asked.append(w) or False); print(asked)")
    runs = {subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1 and "хіхінсгілл" in runs.pop()


def test_overlong_and_non_cyrillic_words_have_no_variants() -> None:
    assert spelling_variants("у" + "в" * 200) == ()
    assert spelling_variants("teacher") == ()


# -- the rules, in searches -------------------------------------------------------------------

def test_either_spelling_finds_the_articles_of_both(eng: Engine) -> None:
    for query in ("учитель", "вчитель", "учителі"):
        assert set(ids(eng.search(query))) >= {"v-teacher", "u-teacher"}, query
    for query in ("проект", "проєкт"):
        assert set(ids(eng.search(query))) == {"project-new", "project-old"}, query
    assert ids(eng.search("йти")) == ["go"]
    assert ids(eng.search("веб-сайт")) == ["site"]


def test_either_spelling_of_already_finds_both(tmp_path: Path) -> None:
    e = imported(tmp_path, [
        {"id": "v", "title": "Вистава", "text": "Глядачі вже бачили цю виставу торік."},
        {"id": "u", "title": "Книжка", "text": "Ми уже прочитали нову книжку."},
        {"id": "snake", "title": "Ліс", "text": "У траві сидів вуж."},
    ])
    for query in ("уже", "вже", "Уже"):
        assert sorted(ids(e.search(query))) == ["u", "v"], query
    assert ids(e.search("уже", exact=True)) == ["u"]
    e.close()


@pytest.mark.parametrize(("word", "noun"), [("півроку", "року"), ("півгодини", "години"), ("півукраїни", "україни")])
def test_a_joined_half_word_holds_piv_and_a_genitive_noun(word: str, noun: str) -> None:
    assert half_of(word) == noun


@pytest.mark.parametrize("word", ["півтора", "півострів", "північ", "півень", "півколо", "півня", "пів",
                                  "півзеленого"])
def test_words_that_only_begin_with_piv_are_other_words(word: str) -> None:
    assert half_of(word) is None


def test_half_written_apart_or_joined_finds_both(tmp_path: Path) -> None:
    e = imported(tmp_path, [
        {"id": "joined", "title": "Ремонт", "text": "Ремонт мосту тривав півроку, промова ще півгодини."},
        {"id": "apart", "title": "Школа", "text": "Школу будували пів року й відкрили за пів години до свята."},
        {"id": "year", "title": "Звіт", "text": "Цього року звіт подали вчасно, за годину."},
        {"id": "north", "title": "Погода", "text": "На півночі країни пройшли дощі."},
    ])
    for query in ("півроку", "пів року", "півгодини", "пів години"):
        assert sorted(ids(e.search(query, partial=False))) == ["apart", "joined"], query
    assert ids(e.search("пів року", exact=True)) == ["apart"]
    assert ids(e.search("півроку", exact=True)) == ["joined"]
    assert "joined" not in ids(e.search("року")) and "north" not in ids(e.search("ночі", partial=False))
    e.close()


def test_explain_and_analyze_tell_the_half_word_written_apart_or_joined(tmp_path: Path) -> None:
    e = imported(tmp_path, [
        {"id": "apart", "title": "Міст", "text": "Міст ремонтували пів року."},
        {"id": "joined", "title": "Дорога", "text": "Дорогу ремонтували півроку."},
    ])
    ex = e.explain("півроку", "apart")
    assert ex.missing == () and "пів року" in ex.words[0].searched_as
    assert {c.query_word for c in ex.contributions} == {"півроку"}
    ex = e.explain("пів року", "joined")
    assert ex.missing == () and {c.query_word for c in ex.contributions} == {"пів року"}
    assert e.explain("півроку", "joined", exact=True).words[0].searched_as == ()
    (word,) = e.analyze("півроку")
    assert word.spellings == ("пів року",)
    out = CliRunner().invoke(main, ["--home", str(e.home), "analyze", "--json", "півроку"])
    assert out.exit_code == 0 and json.loads(out.output)[0]["variants"] == ["пів року"]
    e.close()


def test_a_quoted_phrase_finds_its_function_words_spelled_either_way(eng: Engine) -> None:
    # "зібралися в Києві", "прийшов до школи у вересні"
    assert ids(eng.search('"у Києві"')) == ids(eng.search('"в Києві"')) == ["u-teacher"]
    assert ids(eng.search('"школи в вересні"')) == ["v-teacher"]
    assert ids(eng.search('"в Києві"', exact=True)) == ["u-teacher"]
    assert ids(eng.search('"у Києві"', exact=True)) == []  # exactly as typed


def test_every_spelling_ranks_alike(eng: Engine) -> None:
    # which spelling an author chose says nothing of what the text is about: each
    # article scores the same whichever spelling is typed
    scores = [{h.id: h.score for h in eng.search(query)} for query in ("проєкт", "проект")]
    assert scores[0].keys() == scores[1].keys() == {"project-new", "project-old"}
    for art in scores[0]:
        assert scores[0][art] == pytest.approx(scores[1][art])


def test_variants_are_marked_in_snippets_and_explained(eng: Engine) -> None:
    hit = next(h for h in eng.search("учитель") if h.id == "v-teacher")
    assert ("Вчитель", "вчитель") in hit.matched
    assert hit.snippet.marked().count("[") >= 1
    ex = eng.explain("учитель", "v-teacher")
    assert ex.score > 0 and ("Вчитель", "вчитель") in ex.matched


def test_different_words_are_not_found_for_each_other(eng: Engine) -> None:
    for word, art in (("вступ", "entry"), ("уступ", "ledge")):
        res = eng.search(word)
        # the other word may follow as a near spelling, counted apart, never as this word
        assert ids(res)[: res.matched_all] == [art] and ids(eng.search(word, partial=False)) == [art]


def test_exact_search_finds_only_the_spelling_typed(eng: Engine) -> None:
    assert ids(eng.search("проект", exact=True)) == ["project-old"]


# -- misspellings that are real words, and partial matches ------------------------------------

def test_a_real_word_misspelling_is_corrected_when_the_words_do_not_meet(eng: Engine) -> None:
    # "стави" (ponds) is a real word the archive has, but not with "смачні" and "овочів"
    res = eng.search("смачні стави з овочів")
    assert res.corrected_query == "смачні страви з овочів"
    assert ids(res)[0] == "dishes" and res.matched_all == 1


def test_a_word_typed_in_quotes_is_searched_as_written_and_its_correction_only_offered(eng: Engine) -> None:
    assert eng.search("рибакли").corrected_query == "рибалки"  # (unquoted: corrected)
    for typed, offered in (('"рибакли"', '"рибалки"'), ("«рибакли»", "«рибалки»")):
        res = eng.search(typed)
        assert res.corrected_query is None and res.total == 0 and res.suggestion == offered


def test_a_quoted_word_is_left_as_typed_while_the_others_are_corrected(eng: Engine) -> None:
    assert eng.search('"рибалки" світнаку').corrected_query == '"рибалки" світанку'
    res = eng.search('"рибакли" світнаку')
    assert res.corrected_query == '"рибакли" світанку' and res.suggestion == '"рибалки" світанку'
    res = eng.search('"рибакли" ставу')
    assert res.corrected_query is None and ids(res) == ["pond"] and res.matched_all == 0
    assert res.suggestion == '"рибалки" ставу'
    assert eng.search('"рибалки" ставу').matched_all == 1  # (in quotes, a word still matches in any form)


def test_all_words_first_then_most_of_them(eng: Engine) -> None:
    res = eng.search("оцифрували документи історія")
    assert res.matched_all == 1 and ids(res)[0] == "both"
    # "archive" holds two of the three words, "docs" one: more words first
    assert ids(res)[1:] == ["archive", "docs"]
    assert res.partial == 2 and res.total == 3


def test_a_word_family_counts_as_the_word_ranked_after_it(eng: Engine) -> None:
    # "Архів зберігає документи": архів is the noun of архівні
    res = eng.search("архівні документи")
    assert ids(res)[:2] == ["both", "archive"] and res.matched_all == 2
    assert eng.search("архівні документи", exact=True).matched_all == 1


def test_a_persons_name_typed_with_a_capital_has_no_word_family(eng: Engine, tmp_path: Path) -> None:
    # the dictionary reads зеленський as a surname and as an adjective of зелень's family
    e = imported(tmp_path, [
        {"id": "president", "title": "Закон", "text": "Президент Володимир Зеленський підписав закон."},
        {"id": "garden", "title": "Город", "text": "Володимир посадив зелень біля хати."},
    ])
    res = e.search("Володимир Зеленський")
    assert res.matched_all == 1 and ids(res) == ["president", "garden"]
    # a capital alone changes nothing for a word that names no person
    assert eng.search("Архівні документи").matched_all == 2


def test_the_word_left_out_is_not_one_the_best_match_holds_through_another_lemma(tmp_path: Path) -> None:
    # "повній" is marked under a relative of the query's "повні" (повніти) yet holds it
    # through повний: only "табори" is missing
    e = imported(tmp_path, [
        {"id": "talks", "title": "Перемовини", "text": "Політик не перебуває у повній синхронізації з сусідами."},
        {"id": "weather", "title": "Погода", "text": "Завтра буде сонячно і тепло, без опадів."},
    ])
    res = e.search("повні табори")
    assert res.matched_all == 0 and ids(res) == ["talks"] and res.missing == ("табори",)


def test_the_word_left_out_is_named_when_no_article_has_them_all(eng: Engine) -> None:
    res = eng.search("документи таймлайн")
    assert res.matched_all == 0 and res.missing == ("таймлайн",)
    assert set(ids(res)) == {"docs", "archive", "both"}
    assert res.to_json()["missing"] == ["таймлайн"] and res.to_json()["matched_all"] == 0


def test_all_and_exact_keep_the_all_words_contract(eng: Engine) -> None:
    assert eng.search("документи таймлайн", partial=False).total == 0
    assert eng.search("документи таймлайн", exact=True).total == 0
    assert ids(eng.search("оцифрували документи історія", partial=False)) == ["both"]


def test_partial_matches_page_after_the_complete_ones(eng: Engine) -> None:
    first = eng.search("оцифрували документи історія", limit=2)
    second = eng.search("оцифрували документи історія", limit=2, page=2)
    assert ids(first) + ids(second) == ["both", "archive", "docs"]
    assert [h.rank for h in second] == [3]


def test_cli_says_how_many_have_all_the_words_and_which_word_is_missing(eng: Engine) -> None:
    home = str(eng.home)
    out = CliRunner().invoke(main, ["--home", home, "search", "оцифрували", "документи", "історія"])
    assert out.exit_code == 0, out.output
    assert "1 with all the words, 2 with some of them" in out.output
    assert "── 2 with some of the words ──" in out.output
    out = CliRunner().invoke(main, ["--home", home, "search", "документи таймлайн"])
    assert out.exit_code == 0 and "without: таймлайн" in out.output
    out = CliRunner().invoke(main, ["--home", home, "search", "--all", "документи таймлайн"])
    assert out.exit_code == 1
    out = CliRunner().invoke(main, ["--home", home, "search", "--json", "документи таймлайн"])
    data = json.loads(out.output)
    assert data["missing"] == ["таймлайн"] and data["matched_all"] == 0 and data["total"] == 3


def test_analyze_and_explain_show_the_other_spellings(eng: Engine) -> None:
    out = CliRunner().invoke(main, ["analyze", "--json", "Учитель"])
    assert out.exit_code == 0 and json.loads(out.output)[0]["variants"] == ["вчитель"]
    ex = eng.explain("учитель", "v-teacher")
    word = next(w for w in ex.words if w.text == "учитель")
    assert "вчитель" in word.searched_as
    assert {c.query_word for c in ex.contributions} == {"учитель"}


def test_analyze_in_a_home_lists_the_spellings_its_search_finds_there(eng: Engine, tmp_path: Path) -> None:
    def variants(home: Path) -> list[str]:
        out = CliRunner().invoke(main, ["--home", str(home), "analyze", "--json", "Учитель"])
        assert out.exit_code == 0, out.stderr
        return list(json.loads(out.output)[0]["variants"])

    assert variants(eng.home) == ["вчитель"]  # this archive writes it so: the search finds it too
    assert "v-teacher" in ids(eng.search("учитель"))
    (word,) = eng.analyze("Учитель")
    assert word.spellings == ("вчитель",) and word.origin == "uk" and word.token.lemmas == ("учитель",)
    other = imported(tmp_path, [{"id": "u", "title": "Свято", "text": "Учителі зібралися на свято."}])
    assert variants(other.home) == []  # no article writes вчитель: the search adds nothing for it
    assert "вчитель" not in other.explain("учитель", "u").words[0].searched_as
    other.close()


def test_analyze_in_a_home_shows_the_cyrillic_words_a_latin_word_is_searched_as(tmp_path: Path) -> None:
    home = imported(tmp_path, [{"id": "k", "title": "Столиця", "text": "Київ зустрів весну дощем."}])
    out = CliRunner().invoke(main, ["--home", str(home.home), "analyze", "--json", "Kyiv весна"])
    assert out.exit_code == 0, out.stderr
    kyiv, spring = json.loads(out.output)
    assert kyiv["variants"] == ["київ"] and spring["variants"] == []
    assert ids(home.search("Kyiv")) == ["k"]  # what analyze says is what the search does
    home.close()


def test_a_latin_name_is_searched_as_the_word_it_spells_not_as_another_words_inflection(tmp_path: Path) -> None:
    # (``київ`` is also the genitive plural of ``кий``, a cue: ``Kyiv`` found the billiards
    # article, and marked the cue as the city)
    home = imported(tmp_path, [
        {"id": "city", "title": "Столиця", "text": "Київ зустрів весну дощем."},
        {"id": "cue", "title": "Більярд", "text": "Гравець узяв кий і влучив у кулю."},
    ])
    assert ids(home.search("Kyiv")) == ["city"]
    ex = home.explain("Kyiv", "city")
    assert ex.words[0].searched_as == ("київ",)
    assert {c.term for c in ex.contributions if c.kind == "lemma"} == {"київ"}
    assert not home.explain("Kyiv", "cue").matches_query
    home.close()


def test_a_foreign_latin_word_is_not_corrected_into_a_short_cyrillic_one(tmp_path: Path) -> None:
    home = imported(tmp_path, [
        {"id": "may", "title": "Весна", "text": "Май на увазі, що травень теплий."},
        {"id": "bay", "title": "Затока", "text": "Біля Кагамлички рибалки ловлять рибу."},
    ])
    mail = home.search("mail")  # read майл, which is not май: nothing, rather than a guess on a guess
    assert (ids(mail), mail.corrected_query) == ([], None)
    assert ids(home.search("пошта mail")) == []
    spelt = home.search("Kahamlychka")  # a long reading keeps an edit: кагамличка, written Кагамлички
    assert (ids(spelt), spelt.corrected_query) == (["bay"], "Кагамлички")
    home.close()


def test_a_quote_typed_for_the_apostrophe_finds_the_word_in_text_and_in_a_query(tmp_path: Path) -> None:
    home = imported(tmp_path, [
        {"id": "q", "title": 'Пам"ятник у Сумах', "text": 'У Сумах відкрили пам"ятник кобзареві.'},
        {"id": "w", "title": "Полтава", "text": "Пам”ятник поставили в Полтаві."},
        {"id": "a", "title": "Київ", "text": "Пам'ятник у Києві відновили."},
    ])
    assert set(ids(home.search("пам'ятник"))) == {"q", "w", "a"}
    assert set(ids(home.search('Пам"ятник'))) == {"q", "w", "a"}  # a word, not a phrase's start
    assert ids(home.search('"пам"ятник кобзареві"')) == ["q"]      # inside a phrase too
    home.close()


def test_date_words_whose_dates_hold_nothing_are_searched_as_words(tmp_path: Path) -> None:
    e = Engine.init(tmp_path / "home")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "old", "date": "2015-05-05", "title": "Кімната",
                                "text": "Сьогодні кімната вкотре порожня."}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    e.import_paths([feed])
    res = e.search("кімната сьогодні", today=dt.date(2025, 1, 1))
    assert [h.id for h in res] == ["old"] and res.date_range is None
    assert any("searched as words" in w for w in res.warnings)
    # with a date filter of the user's own, the dates stand
    assert e.search("кімната сьогодні", today=dt.date(2025, 1, 1), since="2020-01-01").total == 0


def test_quoted_phrases_and_date_order_list_only_the_articles_with_every_word(eng: Engine) -> None:
    assert eng.search('"архівні документи" таймлайн').total == 0
    res = eng.search("документи таймлайн", sort="date")
    assert res.total == 0 and res.matched_all == 0


def test_a_dated_query_that_finds_nothing_either_way_says_its_dates(tmp_path: Path) -> None:
    e = Engine.init(tmp_path / "home")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "rain", "date": "2015-05-05", "title": "Погода",
                                "text": "Дощ ішов увесь день."}, ensure_ascii=False) + "\n", encoding="utf-8")
    e.import_paths([feed])
    res = e.search("вибори у березні 2022", today=dt.date(2025, 1, 1))
    # neither the dated search nor the words alone find anything: the dates are still said
    assert res.total == 0 and res.date_range is not None
    assert res.date_range.since == dt.date(2022, 3, 1)
