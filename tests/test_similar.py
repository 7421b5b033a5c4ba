"""Similar articles: a query from an article's most distinctive lemmas, without its own copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import ArticleNotFound, Engine
from searchkit.cli import main
from searchkit.text.keywords import key_terms

from .conftest import imported, write_jsonl

BEES = ("Пасічники Полтавщини скаржаться на загибель бджіл після обробки полів. "
        "Аграрії обприскали соняшник отрутохімікатами вдень, хоча мали робити це ввечері. "
        "Бджолярі вимагають попереджати їх про обробку за три дні. "
        "Загибель бджолиних сімей завдала пасікам збитків на сотні тисяч гривень.")
BEES_COPY = ("Загибель бджіл на Полтавщині: пасічники б'ють на сполох. " + BEES.replace("скаржаться", "скаржилися"))
BEES_TOO = ("На Черкащині пасічники знову втратили бджіл: поля ріпаку обробили отрутохімікатами. "
            "Бджолярі кажуть, що аграрії не попередили їх про обробку, і тепер рахують збитки пасік.")
HONEY = ("Ціни на мед цього року зросли через посуху. Пасічники зібрали менше меду, "
         "а експорт до Європи збільшився.")
TRAINS = ("Укрзалізниця призначила додаткові поїзди до моря на літо. Квитки можна купити онлайн "
          "за сорок п'ять днів до відправлення.")

ARTICLES = [
    {"id": "bees", "title": "Загибель бджіл на Полтавщині", "text": BEES, "date": "2021-07-01"},
    {"id": "bees-copy", "title": "Пасічники б'ють на сполох", "text": BEES_COPY, "date": "2021-07-02"},
    {"id": "bees-too", "title": "Бджоли гинуть і на Черкащині", "text": BEES_TOO, "date": "2021-07-20"},
    {"id": "honey", "title": "Мед подорожчав", "text": HONEY, "date": "2021-09-01"},
    {"id": "trains", "title": "Поїзди до моря", "text": TRAINS, "date": "2021-06-01"},
]


@pytest.fixture
def eng(tmp_path: Path):
    e = imported(tmp_path, ARTICLES)
    yield e
    e.close()


def test_the_article_on_the_same_thing_comes_first(eng):
    res = eng.similar("bees")
    assert res.hits[0].id == "bees-too"


def test_the_article_itself_and_its_near_duplicates_are_left_out(eng):
    assert eng.duplicates("bees") == ("bees-copy",)
    ids = [h.id for h in eng.similar("bees", limit=10)]
    assert "bees" not in ids and "bees-copy" not in ids


def test_an_article_with_nothing_in_common_is_not_listed(eng):
    assert "trains" not in [h.id for h in eng.similar("bees")]


def test_hits_show_the_key_words_they_share(eng):
    res = eng.similar("bees")
    top = res.hits[0]
    assert {"пасічник", "бджола", "отрутохімікат"} <= set(top.shared)
    assert set(top.shared) <= set(res.searched_as)  # shared words are key words of the article
    assert top.snippet.spans  # and are marked in the snippet


def test_key_words_are_distinctive_not_common(eng):
    key = eng.similar("bees").searched_as
    assert "бджола" in key and "пасічник" in key
    assert "на" not in key and "про" not in key  # short function words never count


def test_similar_articles_are_not_split_into_all_and_some_of_the_words(eng):
    res = eng.similar("bees")
    assert res.total and res.partial == 0
    r = CliRunner().invoke(main, ["--home", str(eng.home), "similar", "bees"])
    assert "with some of" not in r.output and "with all the words" not in r.output


def test_a_word_that_may_be_a_function_word_is_no_key_word():
    from searchkit.text.keywords import text_key_terms

    # ``Вона`` reads as the pronoun ``вона`` or the adverb ``вон``; ``без`` is a preposition
    body = [("вон", "вона"), ("без",), ("бджола",), ("вон", "вона"), ("бджола",)]
    terms = text_key_terms(body, [], 5, lambda keys: {k: 3 for k in keys}, 100, 1)
    assert [w for w, *_ in terms] == ["бджола"]


def test_a_number_in_words_is_no_key_word_even_where_it_reads_as_another_word():
    from searchkit.text.keywords import text_key_terms

    # ``три`` also reads as the verb ``терти``, ``стане`` as the noun ``стан``
    body = [("терти", "три"), ("стан", "стати"), ("міст",), ("терти", "три"), ("міст",)]
    terms = text_key_terms(body, [], 5, lambda keys: {k: 3 for k in keys}, 100, 1)
    assert [w for w, *_ in terms] == ["міст"]


#: Banks and jars: ``банку``, ``банки``, ``банках`` read as ``банк`` and as ``банка``.
BANKS_AND_JARS = [
    {"id": "rate", "title": "Банк підвищив ставку",
     "text": "Національний банк підвищив облікову ставку. Клієнти банку чекають нових умов. "
             "Кредити в банку дорожчають, а вклади в банках стають вигіднішими."},
    {"id": "rules", "title": "Нові правила для банків",
     "text": "Банки країни перейшли на нові правила. Кожен банк звітує щомісяця. "
             "Клієнти банків отримають повідомлення."},
    {"id": "loans", "title": "Кредити дорожчають",
     "text": "Кредити в банках дорожчають після рішення про ставку. Вклади клієнтів ростуть."},
    {"id": "pickles", "title": "Консервація на зиму",
     "text": "Господиня закрила банку огірків. Кожну банку стерилізують, а банки з варенням ставлять у льох."},
    {"id": "jar", "title": "Скляна банка",
     "text": "Скляна банка з медом стояла на полиці. Банки з соліннями зберігають у прохолоді."},
    {"id": "jam", "title": "Варення", "text": "Варення розлили в банки. Банки закрили кришками і поставили в льох."},
    {"id": "rain", "title": "Погода", "text": "Завтра буде дощ і вітер. Синоптики обіцяють похолодання."},
]


def test_a_word_of_two_readings_is_one_key_word_the_one_the_article_means(tmp_path):
    eng = imported(tmp_path, BANKS_AND_JARS)
    # the jars make ``банка`` the commoner reading of ``банку``; the article's ``банк``
    # and ``банків`` say it is about banks
    for art in ("rate", "rules"):
        res = eng.similar(art)
        assert "банк" in res.searched_as and "банка" not in res.searched_as, art
        assert {h.id for h in res.hits} <= {"rate", "rules", "loans"}, art
        assert all("банка" not in h.shared for h in res.hits)
    # (every form of it reads both ways, and as many articles hold either: the key word is
    # shown as the article writes it, not as the dictionary's first lemma)
    assert "банку" in eng.similar("pickles").searched_as
    eng.close()


#: Banks named only in forms that read as ``банка`` too, in an archive holding those forms alike
BANKS_IN_PLURAL = [
    {"id": "rates", "title": "Кредити в банках",
     "text": "У банках знову зросли ставки. Клієнти в банках скаржаться на ставки і кредити. "
             "Банки підняли ставки по кредитах."},
    {"id": "loans", "title": "Ставки по кредитах", "text": "Ставки по кредитах у банках зросли, клієнти скаржаться."},
    {"id": "pickles", "title": "Закрутки", "text": "Огірки в банках на зиму: розсіл і кришки."},
]


def test_a_key_word_neither_the_article_nor_the_archive_decides_is_shown_as_the_article_writes_it(tmp_path):
    # (shown as the dictionary's first lemma, it was ``банка``, a jar, for an article on banks)
    eng = imported(tmp_path, BANKS_IN_PLURAL)
    res = eng.similar("rates")
    assert "банках" in res.searched_as and "банка" not in res.searched_as
    assert [h.id for h in res.hits] == ["loans"]  # (what is searched is unchanged)
    assert "банках" in res.hits[0].shared and set(res.hits[0].shared) <= set(res.searched_as)
    out = CliRunner().invoke(main, ["--home", str(eng.home), "similar", "rates"])
    assert out.exit_code == 0 and "банках" in out.output.splitlines()[1].removeprefix("key words: ").split(", ")
    eng.close()


#: ``ранку`` reads as ``ранок`` (morning) and as ``ранка`` (a wound), ``Києві`` as ``київ`` and
#: as ``кий`` (a cue), the dictionary listing the wrong one first; no article writes either lemma
MORNINGS_IN_KYIV = [
    {"id": "bakery", "title": "Пекарня біля вокзалу",
     "text": "Пекарня працює з шостої ранку. Пекарі печуть хліб до ранку, а булочки продають до десятої "
             "ранку. Черга до пекарні стоїть з самого ранку."},
    {"id": "bakery-too", "title": "Нова пекарня",
     "text": "У новій пекарні хліб печуть з п'ятої ранку. Пекарі продають булочки та хліб до ранку."},
    {"id": "metro", "title": "Метро у Києві",
     "text": "У Києві відкрили нові станції метро. Метро в Києві працює до півночі. Пасажири в Києві задоволені."},
    {"id": "metro-too", "title": "Станції метро",
     "text": "Станції метро у Києві ремонтують. У Києві пасажири чекають нові станції."},
    {"id": "weather", "title": "Погода", "text": "Завтра буде дощ і вітер."},
]


def test_a_key_word_is_not_named_after_another_word_its_form_also_reads_as(tmp_path):
    # ``ранок`` is also the genitive plural of ``ранка``, ``київ`` of ``кий``: that made them
    # one word, and the key words were shown as ``ранка`` and ``кий``
    eng = imported(tmp_path, MORNINGS_IN_KYIV)
    for art, other, typed, wrong in (("bakery", "bakery-too", "ранку", "ранка"),
                                     ("metro", "metro-too", "києві", "кий")):
        res = eng.similar(art)
        assert typed in res.searched_as and wrong not in res.searched_as, art
        assert [h.id for h in res.hits] == [other]  # (what is searched is unchanged)
        assert typed in res.hits[0].shared and wrong not in res.hits[0].shared
    eng.close()


def test_a_key_word_the_archive_writes_as_its_lemma_keeps_that_name(tmp_path):
    # ``штабі`` reads as ``штаб`` and as ``штаба`` (whose genitive plural is ``штаб``): an
    # article that writes ``штаб`` says which word it is
    eng = imported(tmp_path, [
        {"id": "hq", "title": "Штаб оборони", "text": "У штабі оборони зібралися волонтери. Волонтери штабу "
                                                    "збирають допомогу. У штабі працюють волонтери."},
        {"id": "hq-too", "title": "Волонтерський штаб", "text": "Штаб волонтерів відкрили в школі. Волонтери "
                                                              "штабу збирають допомогу для оборони."},
        {"id": "weather", "title": "Погода", "text": "Завтра буде дощ і вітер."},
    ])
    res = eng.similar("hq")
    assert "штаб" in res.searched_as and "штабі" not in res.searched_as
    assert [h.id for h in res.hits] == ["hq-too"]
    eng.close()


def test_each_word_of_a_text_gives_one_key_word_whatever_its_form():
    from searchkit.text.keywords import text_key_terms

    # ``банк``, ``банку``, ``банків``, ``банками``: more articles hold ``банка``
    body = [("банк",), ("банка", "банк"), ("банк",), ("банка", "банк"), ("ставка",)]
    df = {"банка": 40, "банк": 20, "ставка": 5}
    terms = text_key_terms(body, [], 5, lambda keys: {k: df[k[1]] for k in keys}, 100, 1)
    assert sorted(w for w, *_ in terms) == ["банк", "ставка"]
    # a form of two readings alone goes to the one more articles hold, then the likelier
    alone = text_key_terms([("банка", "банк"), ("ставка",)], [], 5, lambda keys: {k: df[k[1]] for k in keys}, 100, 1)
    assert sorted(w for w, *_ in alone) == ["банка", "ставка"]
    even = text_key_terms([("банка", "банк"), ("ставка",)], [], 5, lambda keys: {k: 7 for k in keys}, 100, 1)
    assert sorted(w for w, *_ in even) == ["банка", "ставка"]


def test_an_article_alone_in_its_archive_says_so(tmp_path):
    from .conftest import imported

    eng = imported(tmp_path, [{"id": "a", "title": "Три мости", "text": "Міст через річку стане ширшим."}])
    assert eng.similar("a").warnings == ("the archive holds no other article to compare it with",)
    eng.close()


def test_an_article_that_shares_too_little_with_any_other_has_no_similar_articles(eng):
    res = eng.similar("trains")
    assert res.total == 0 and res.hits == ()


def test_key_terms_prefer_rare_words_and_the_title_and_skip_numbers_and_unshared_words():
    df = {"бджола": 2, "поле": 50, "пасічник": 2, "2016-го": 1, "мед": 0}
    body = ["бджола", "поле", "поле", "поле", "пасічник", "2016-го", "мед", "вони", "вони"]
    terms = key_terms(body, ["пасічник"], lambda w: df.get(w, 10), 100, 10)
    assert [w for w, *_ in terms] == ["пасічник", "бджола", "поле"]
    assert terms[0][1] > terms[1][1] > terms[2][1] > 0


def test_unknown_id_is_an_error(eng):
    with pytest.raises(ArticleNotFound):
        eng.similar("nope")


def test_cli_similar_text_and_json(eng):
    runner = CliRunner()
    r = runner.invoke(main, ["--home", str(eng.home), "similar", "bees"])
    assert r.exit_code == 0, r.output
    assert "Like Загибель бджіл на Полтавщині (bees)" in r.output
    assert "key words:" in r.output and "shared:" in r.output
    r = runner.invoke(main, ["--home", str(eng.home), "similar", "bees", "--json"])
    data = json.loads(r.output)
    assert data["query"] == "similar:bees"
    assert data["hits"][0]["id"] == "bees-too" and "бджола" in data["hits"][0]["shared"]
    r = runner.invoke(main, ["--home", str(eng.home), "similar", "nope"])
    assert r.exit_code == 2 and "no article with id 'nope'" in r.output


def test_an_article_whose_only_close_article_is_its_copy_says_so(tmp_path: Path) -> None:
    e = Engine.init(tmp_path / "home")
    copy = dict(ARTICLES[4], id="trains-copy", date="2021-06-02")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", [ARTICLES[4], copy, ARTICLES[3]])])
    assert e.duplicates("trains") == ("trains-copy",)
    res = e.similar("trains")
    assert res.total == 0
    assert res.warnings == ("the article shares fewer than two key words with any article but its 1 "
                            "near-duplicate (`Engine.duplicates('trains')` lists them)",)


def test_a_long_articles_key_words_come_from_its_first_pages(tmp_path: Path, monkeypatch) -> None:
    # SIMILAR_WORDS is 20,000: analysing every distinct word of a 7 MB article took 19 s
    from searchkit.answers import similar as module

    trains = ("Пасажири скаржаться, що квитки на поїзди до моря розкупили за день. "
              "Укрзалізниця обіцяє додаткові поїзди і нові квитки онлайн.")
    bees = ("Бджолярі Вінниччини теж рахують збитки: бджоли гинуть після обприскування соняшника "
            "отрутохімікатами, і пасічники просять аграріїв попереджати про обробку полів.")
    e = imported(tmp_path, [*ARTICLES, {"id": "long", "title": "Літо", "text": trains + " " + bees}])
    monkeypatch.setattr(module, "SIMILAR_WORDS", len(trains.split()))
    first = e.similar("long")
    assert [h.id for h in first.hits][:1] == ["trains"]
    assert not {"bees", "bees-copy", "bees-too"} & {h.id for h in first.hits}
    # said: the words of the article that made its key words
    assert first.warnings == (f"the article is long: its key words are taken from its first {len(trains.split())} "
                              "words only",)
    r = CliRunner().invoke(main, ["--home", str(e.home), "similar", "long"], env={"COLUMNS": "400"})
    assert f"Note: {first.warnings[0]}" in r.output.splitlines()
    monkeypatch.setattr(module, "SIMILAR_WORDS", 10**6)
    whole = e.similar("long")
    assert {"bees", "bees-too"} <= {h.id for h in whole.hits} and not whole.warnings
    e.close()


@pytest.mark.parametrize("page", [0, -1])
def test_similar_refuses_a_page_below_one_as_search_does(eng, page):
    from searchkit import QueryError

    with pytest.raises(QueryError, match=f"page={page} is out of range: give 1 or more"):
        eng.similar("bees", page=page)
    with pytest.raises(QueryError, match=f"page={page} is out of range: give 1 or more"):
        eng.search("бджоли", page=page)


def test_similar_refuses_a_page_that_is_not_an_int(eng):
    with pytest.raises(TypeError, match="page must be an int, not float"):
        eng.similar("bees", page=1.5)


BEES_MORE = [
    {"id": "bees-kyiv", "title": "Пасічники Київщини теж втратили бджіл",
     "text": "Пасічники Київщини рахують збитки: бджоли загинули після обробки соняшника отрутохімікатами. "
             "Аграрії не попередили бджолярів."},
    {"id": "bees-law", "title": "Закон про захист бджіл",
     "text": "Депутати пропонують штрафувати аграріїв, які обробляють поля отрутохімікатами без попередження "
             "пасічників. Бджолярі підтримують закон."},
]


@pytest.fixture
def bees(tmp_path: Path, monkeypatch):
    """A home where ``bees`` has three similar articles, whose search, once past its
    deadline, stops after the first it scores (one document at a time)."""
    from searchkit.backends.whoosh import bulkeval

    e = imported(tmp_path, [*ARTICLES, *BEES_MORE])
    assert e.similar("bees").total == 3
    monkeypatch.setattr(bulkeval, "SCORE_CHUNK", 1)
    yield e
    e.close()


def test_the_time_spent_on_the_key_words_is_not_taken_from_the_search(bees, monkeypatch):
    # (a 7.5 MB article's key words took 1.1 s of the search's 1 s in a fresh process:
    # the search then stopped wherever it was, a different answer from run to run)
    import time

    from searchkit.backends.whoosh.searching import Searching
    from searchkit.query import budget

    real = Searching.similar_query

    def slow(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled = real(self, *args, **kwargs)
        time.sleep(budget.QUERY_SECONDS + 0.05)  # past the deadline, were it counted
        return compiled

    monkeypatch.setattr(Searching, "similar_query", slow)
    res = bees.similar("bees")
    assert res.total == 3 and not res.cut


def test_a_similar_search_cut_short_says_what_it_lists_and_no_query_to_narrow(bees, monkeypatch):
    from searchkit.query import budget

    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)
    note = ("stopped after 0 s: listing the 1 similar article found by then, not necessarily the closest; "
            "search for a few of its key words to look further")
    assert bees.similar("bees").cut == (note,)
    runner = CliRunner()
    text = runner.invoke(main, ["--home", str(bees.home), "similar", "bees"], env={"COLUMNS": "400"}).output
    lines = text.splitlines()
    cut = lines.index(f"Cut short: {note}")
    assert lines[cut + 1].startswith("1 match ") and lines[cut + 1].endswith("cut short to answer in time (see above)")
    assert "narrow the query" not in text
    data = json.loads(runner.invoke(main, ["--home", str(bees.home), "similar", "bees", "--json"]).output)
    assert data["cut"] == [note]


def test_two_spellings_of_one_word_are_one_key_word():
    from searchkit.text.keywords import text_key_terms

    # ``проект`` and ``проєкт`` (the 2019 spelling) are one word
    body = [("проект",), ("міст",), ("проєкт",), ("міст",), ("проєкт",), ("річка",)]
    terms = text_key_terms(body, [], 5, lambda keys: {k: 3 for k in keys}, 100, 1)
    assert sorted(w for w, *_ in terms) == ["міст", "проєкт", "річка"]
    assert dict((w, spelt) for w, _, spelt in terms)["проєкт"] == ("проєкт", "проект")


#: A bridge project written in both spellings, in one of them, and news of another thing.
BRIDGES = [
    {"id": "both", "title": "Проєкт нового мосту",
     "text": "Міська рада схвалила проект мосту через річку. Проєкт мосту коштує мільйон гривень. "
             "Будівництво мосту почнеться навесні."},
    {"id": "old", "title": "Міст через річку",
     "text": "Проект мосту через річку схвалили. Будівництво почнеться навесні, кошти знайшли."},
    {"id": "new", "title": "Проєкт мосту затвердили",
     "text": "Проєкт мосту через річку затвердили депутати. Будівництво почнеться навесні."},
    {"id": "match", "title": "Футбол", "text": "Команда виграла матч у неділю."},
]


def test_similar_counts_two_spellings_of_a_word_as_one_key_word_and_finds_either(tmp_path):
    eng = imported(tmp_path, BRIDGES)
    res = eng.similar("both")
    key = res.searched_as
    assert ("проєкт" in key) != ("проект" in key)
    shared = {h.id: h.shared for h in res.hits}
    assert set(shared) == {"old", "new"}
    assert all(("проєкт" in s) != ("проект" in s) for s in shared.values())
    # an article that writes one spelling finds those that write the other
    old = eng.similar("old")
    assert "new" in [h.id for h in old.hits] and "проект" in next(h for h in old.hits if h.id == "new").shared
    eng.close()


def rarer_first(tmp_path: Path, project: str) -> tuple[str, ...]:
    """The key words of an article on a project and a road, in an archive where three
    other articles write the project as ``project`` and four others the road."""
    others = [{"id": f"p{i}", "title": f"Бюджет {town}", "text": f"{project} бюджету {town} схвалили."}
              for i, town in enumerate(("Львова", "Києва", "Полтави"))]
    others += [{"id": f"m{i}", "title": f"Ремонт {town}", "text": f"Дорогу біля {town} ремонтують."}
               for i, town in enumerate(("Одеси", "Харкова", "Черкас", "Ужгорода"))]
    art = {"id": "t", "title": "Новини", "text": "Проєкт і дорога. Проєкт і дорога."}
    with imported(tmp_path / project.replace(" ", "-"), [art, *others]) as eng:
        return eng.similar("t").searched_as


def test_an_article_holding_a_word_in_both_spellings_counts_once_in_its_weight(tmp_path: Path) -> None:
    # (three articles hold the project, four the road: the project is the rarer word, and
    # first, whether they write it one way or both; counted twice, it looked as common as six)
    assert rarer_first(tmp_path, "Проєкт") == ("проєкт", "дорога")
    assert rarer_first(tmp_path, "Проект і проєкт") == ("проєкт", "дорога")
