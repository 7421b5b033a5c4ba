"""Corrections prefer the slips Ukrainian writers make (vowels that sound alike or
alternate, the soft sign and apostrophe, doubled letters) over equally near but unlikely
ones, and reach a slip in the first letter; on a tiny home of sentences written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.query.slips import FAR, first_letter_slips, slip_cost
from searchkit.query.suggest import max_edits

from .conftest import imported

ARTICLES = [
    {"id": "birds", "title": "Птахи", "text": "Ластівки залітали у відчинене вікно."},
    # ``залежали`` is one edit from ``залетали`` too, and three times as common
    {"id": "crops", "title": "Погода", "text": "Врожаї залежали від погоди."},
    {"id": "prices", "title": "Ціни", "text": "Ціни залежали від курсу."},
    {"id": "votes", "title": "Вибори", "text": "Результати залежали від явки."},
    {"id": "letter", "title": "Лист", "text": "Лист Петра Йосифовича знайшли в архіві."},
    {"id": "coach", "title": "Біг", "text": "Не їдьте так швидко, казав тренер."},
    {"id": "soup", "title": "Обід", "text": "Їжте суп, сказала бабуся."},
    {"id": "bread", "title": "Вечеря", "text": "Їжте хліб із маслом."},
    {"id": "wason", "title": "Логіка", "text": "Задачу Вейсона розв'язує мало хто."},
    {"id": "brian", "title": "Посада", "text": "Браяну пропонували роботу в Києві."},
    {"id": "kyiv", "title": "Столиця", "text": "У Києві відкрили нову бібліотеку."},
    {"id": "buckets", "title": "Криниця", "text": "Повні відра води стояли біля криниці."},
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("slips"), ARTICLES)


@pytest.mark.parametrize(("typed", "likely", "unlikely"), [
    ("залетали", "залітали", "залежали"),      # е/і alike, т/ж not
    ("безпорідна", "безпородна", "безпорадна"),  # і alternates with о, not with а
    ("їдте", "їдьте", "їжте"),                 # a soft sign left out
    ("гривеником", "гривенником", "гривеникам"),  # a doubled letter written once
    ("консюмеризм", "конс'юмеризм", "консамеризм"),
])
def test_a_common_slip_costs_less_than_another_edit(typed: str, likely: str, unlikely: str) -> None:
    assert slip_cost(typed, likely) < slip_cost(typed, unlikely) == 1.0


def test_и_for_і_is_likelier_than_the_other_confused_vowels() -> None:
    # the commonest one-letter slip in real misspellings
    assert slip_cost("мовни", "мовні") < slip_cost("мовни", "мовне") < 1.0
    assert slip_cost("пісьмо", "письмо") == slip_cost("мовни", "мовні")


def test_a_query_with_и_for_і_is_corrected_to_the_і_form_though_another_is_commoner(tmp_path: Path) -> None:
    eng = imported(tmp_path, [
        {"id": "camps", "title": "Літо", "text": "Мовні табори для дітей відкрили в місті."},
        {"id": "issue", "title": "Політика", "text": "Мовне питання знову обговорюють."},
        {"id": "milieu", "title": "Школа", "text": "Мовне середовище важливе для дитини."},
    ])
    res = eng.search("мовни табори", snippets=False)
    assert res.corrected_query == "мовні табори" and res.hits[0].id == "camps"


def test_an_apostrophe_for_a_soft_sign_is_likelier_than_leaving_it_out() -> None:
    assert slip_cost("конс'юмеризм", "консьюмеризм") < slip_cost("конс'юмеризм", "консюмеризм")


def test_slip_cost_counts_a_swap_of_neighbours_as_one_edit_and_is_symmetric() -> None:
    assert slip_cost("трактуєтсья", "трактується") == 1.0
    assert slip_cost("місто", "місто") == 0.0
    for a, b in [("залетали", "залітали"), ("їдте", "їдьте"), ("кіт", "кріт")]:
        assert slip_cost(a, b) == slip_cost(b, a)


def test_first_letter_slips_replace_only_the_first_letter_with_its_confusions() -> None:
    slipped = first_letter_slips("іосіфовича")
    assert "йосіфовича" in slipped and "иосіфовича" in slipped
    assert all(s[1:] == "осіфовича" for s in slipped)
    assert first_letter_slips("київ") == []


def test_first_letter_slips_alternate_u_and_v() -> None:
    assert "вайсона" in first_letter_slips("уайсона")
    assert "учитель" in first_letter_slips("вчитель")


def test_a_short_word_two_edits_off_is_corrected_when_nothing_is_found_otherwise(eng: Engine) -> None:
    # seven letters allow one edit; ``уайсона`` is two from ``вейсона`` (its first letter
    # among them), tried only because nothing at all was found
    res = eng.search("уайсона")
    assert res.corrected_query == "вейсона"
    assert [h.id for h in res.hits] == ["wason"]
    res = eng.search("брайану пропонували")
    assert res.corrected_query == "браяну пропонували"
    assert res.hits[0].id == "brian"


def test_two_edits_stretch_to_words_of_five_letters_only_when_asked() -> None:
    assert [max_edits(w) for w in ("кіт", "ніко", "ніклое", "уайсона", "вейсонами")] == [0, 1, 1, 1, 2]
    assert [max_edits(w, stretch=True) for w in ("кіт", "ніко", "ніклое", "уайсона")] == [0, 1, 2, 2]


def test_two_edits_never_reach_a_word_shorter_than_five_letters(tmp_path: Path) -> None:
    e = imported(tmp_path, [{"id": "film", "title": "Кіно", "text": "Бред Піт зіграв у новому фільмі."},
                            {"id": "wason", "title": "Логіка", "text": "Задачу Вейсона розв'язує мало хто."}])
    # ``Пілат`` is two letters from ``Піт``: the allowance of the word typed holds for the
    # correction too, and a three-letter word allows no edit
    res = e.search("Пілат")
    assert res.total == 0 and res.corrected_query is None
    assert e.search("уайсона").corrected_query == "вейсона"  # two edits between long words still


def test_a_real_word_no_article_holds_is_not_stretched_into_another(eng: Engine) -> None:
    # ``новина`` is a dictionary word two edits from ``нову``-like forms: absent, not mistyped
    res = eng.search("новина")
    assert res.total == 0 and res.corrected_query is None


def test_a_long_real_word_no_article_holds_is_not_taken_for_one_two_letters_off(tmp_path: Path) -> None:
    e = imported(tmp_path, [{"id": "gallery", "title": "Виставка", "text": "У музеї показали десять картин."}])
    # ``карантин`` (a quarantine) is two letters from ``картин``: absent, not mistyped
    res = e.search("карантин")
    assert res.total == 0 and res.corrected_query is None
    # a word no dictionary knows is still corrected that far
    assert e.search("карттинн").corrected_query == "картин"


def test_correct_words_no_article_holds_find_nothing_rather_than_a_neighbour(eng: Engine) -> None:
    # neither word is in the archive; ``мовні`` is a letter from ``повні``, which is: a
    # partial match on ``повні`` would be a guess at words typed correctly
    res = eng.search("мовні табори")
    assert res.total == 0 and res.corrected_query is None and res.hits == ()
    # alone, ``мовні`` may be the slip: the correction is shown and finds what it names
    assert eng.search("мовні").corrected_query == "повні"


def test_a_query_found_as_typed_keeps_its_short_word(eng: Engine) -> None:
    res = eng.search("Києві")  # ``Київ`` forms two edits away are never tried
    assert res.corrected_query is None
    assert {h.id for h in res.hits} == {"brian", "kyiv"}


def test_the_likelier_slip_wins_over_a_commoner_word_as_near(eng: Engine) -> None:
    res = eng.search("залетали")
    assert res.corrected_query == "залітали"
    assert res.hits[0].id == "birds"


def test_a_left_out_soft_sign_is_put_back_before_a_letter_is_changed(eng: Engine) -> None:
    res = eng.search("їдте")
    assert res.corrected_query == "їдьте"
    assert res.hits[0].id == "coach"


def test_a_slip_in_the_first_letter_is_reached_with_a_second_edit(eng: Engine) -> None:
    res = eng.search("іосіфовича")
    assert res.corrected_query == "йосифовича"
    assert [h.id for h in res.hits] == ["letter"]


def test_an_exact_search_corrects_nothing(eng: Engine) -> None:
    res = eng.search("залетали", exact=True)
    assert res.total == 0 and res.corrected_query is None


def test_a_far_key_costs_more_than_a_letter_left_out_when_asked() -> None:
    # в and л are far apart on the keyboard; страви is стави with a letter left out
    assert slip_cost("стави", "стали", far=FAR) > slip_cost("стави", "страви", far=FAR) == 1.0
    assert slip_cost("стави", "стали") == 1.0  # by default every other edit is one
    assert slip_cost("стави", "стаби", far=FAR) == FAR
    assert slip_cost("вода", "аода", far=FAR) == 1.0  # в and а are side by side


SLIPS_OF_REAL_WORDS = [
    {"id": "talk", "title": "Школа", "text": "Обговорення мовних питань у школі."},
    {"id": "camp", "title": "Літо", "text": "Діти поїхали в табори на літо."},
    {"id": "rest", "title": "Відпочинок", "text": "Тут можна відпочити, табори поруч."},
    {"id": "dish", "title": "Кухня", "text": "Смачні страви з овочів готують швидко."},
    {"id": "pies", "title": "Випічка", "text": "Смачні пироги стали з овочів і сиру."},
    {"id": "prices", "title": "Ціни", "text": "Ціни стали вищими."},
    {"id": "nights", "title": "Осінь", "text": "Ночі стали довшими."},
    {"id": "ponds", "title": "Рибалка", "text": "Рибу розводять у ставках, стави чисті."},
]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("real-slips"), SLIPS_OF_REAL_WORDS)


def test_a_correct_word_is_not_corrected_into_a_word_no_article_writes(real: Engine) -> None:
    # ``можні`` is one edit from ``мовні`` and shares a lemma with ``можна``, which stands
    # beside ``табори``; but no article writes ``можні``: the query is searched as typed
    res = real.search("мовні табори", snippets=False)
    assert res.corrected_query is None and res.matched_all == 0
    assert {h.id for h in res.hits} == {"talk", "camp", "rest"}
    assert real.search("мовні табори", exact=True, snippets=False).suggestion is None


def test_a_real_word_slip_is_a_letter_left_out_rather_than_a_far_key(real: Engine) -> None:
    # both ``страви`` and the commoner ``стали`` let every word meet; ``л`` is far from ``в``
    res = real.search("смачні стави з овочів", snippets=False)
    assert res.corrected_query == "смачні страви з овочів"
    assert res.hits[0].id == "dish"


WRITTEN_TOGETHER = [
    {"id": "camps", "title": "Табори", "text": "Мовні табори для школярів відкриються в червні."},
    {"id": "lessons", "title": "Уроки", "text": "Рідній мові приділяють увагу: табори працюють усе літо."},
    {"id": "heat", "title": "Погода", "text": "Спекотне літо прийшло рано."},
]


@pytest.fixture(scope="module")
def together(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("written-together"), WRITTEN_TOGETHER)


def test_a_word_written_beside_the_next_query_word_is_not_taken_for_a_slip(together: Engine) -> None:
    # no article holds all three words, and ``мові`` (one edit from ``мовні``) would let
    # them meet; but an article writes ``мовні табори``: the words are meant as typed
    res = together.search("мовні табори літо", snippets=False)
    assert res.corrected_query is None
    assert res.matched_all == 0 and res.hits[0].id in {"camps", "lessons"}
    assert {h.id for h in res.hits} == {"camps", "lessons", "heat"}


def test_a_word_no_article_writes_beside_its_neighbour_is_still_corrected(together: Engine) -> None:
    res = together.search("мовні приділяють", snippets=False)
    assert res.corrected_query == "мові приділяють"
    assert res.hits[0].id == "lessons"


WRITTEN_OFTEN = [
    {"id": f"soup{i}", "title": "Кухня", "text": f"Борщ номер {i} зварили на обід."} for i in range(4)
] + [
    {"id": "pines", "title": "Ліс", "text": "Вчитель повів дітей у бор по гриби."},
] + [
    {"id": f"class{i}", "title": "Урок", "text": f"Вчитель перевірив зошити {i}-го класу."} for i in range(5)
]


@pytest.fixture(scope="module")
def often(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("written-often"), WRITTEN_OFTEN)


def test_a_word_many_articles_write_is_meant_not_a_slip(often: Engine) -> None:
    # no article holds both words, and ``бор`` (one letter off ``борщ``) would let them
    # meet; but four articles write ``борщ``: the query is searched as typed
    res = often.search("вчитель борщ", snippets=False)
    assert res.corrected_query is None and res.matched_all == 0
    assert {h.id for h in res.hits} == {d["id"] for d in WRITTEN_OFTEN}



def test_a_word_spelt_the_russian_way_is_corrected_though_the_russian_dictionary_knows_it(tmp_path: Path) -> None:
    e = imported(tmp_path, [
        {"id": "eyes", "title": "Гнів", "text": "Очі, налиті кров'ю, дивилися на нас."},
        {"id": "cups", "title": "Посуд", "text": "Склянки, налиті водою, стояли на столі."},
    ])
    # no article holds ``ворогів`` either: the partial matches search ``кров'ю``, not
    # the Russian ``кровью`` that no article holds, so the eyes come first
    res = e.search("налиті кровью ворогів")
    assert res.corrected_query == "налиті кров'ю ворогів"
    assert [h.id for h in res.hits] == ["eyes", "cups"]
    # a Ukrainian word no article holds is still absent, not mistyped
    assert e.search("налиті водою ворогів").corrected_query is None
