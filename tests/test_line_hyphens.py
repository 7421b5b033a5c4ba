"""A word hyphenated across a line break (text copied from a PDF or a newspaper column) is
one word, found and marked whole; a hyphenated compound broken at a line end stays what
it was. The sentences are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Engine

from .conftest import imported

#: (text, the word the line break cuts, joined as): pieces of one word, which the rule joins.
SPLIT_WORDS = [
    ("Учні писали диктант з украї-\nнської мови.", "українська", "української"),
    ("Нова інфор-\n  мація надійшла вранці.", "інформація", "інформація"),
    ("Уряд ухвалив програ-\nму підтримки фермерів.", "програма", "програму"),
    ("Місцева влада відкрила ліка-\r\nрню в селі.", "лікарня", "лікарню"),
    ("Фестиваль зібрав тисячу відві\u00ad\nдувачів.", "відвідувач", "відвідувачів"),
    ("Вода в ріці підня-\nлася на метр.", "піднятися", "піднялася"),
    ("Вчителі отримали нові під-\nручники.", "підручник", "підручники"),
    ("Переговори тривали до-\nвго.", "довго", "довго"),
    ("Стар-\nтував новий сезон.", "стартувати", "стартував"),
    ("Спортсмени здобули пе-\nремогу.", "перемога", "перемогу"),
    ("Вони по-\nвернулися додому.", "повернутися", "повернулися"),
    ("Школа отримала нове облад-\nнання.", "обладнання", "обладнання"),
    ("Лікар порадив більше від-\nпочивати.", "відпочивати", "відпочивати"),
    ("Село стоїть на пів-\nострові.", "півострів", "півострові"),
    ("Ціни зростають що-\nроку.", "щороку", "щороку"),
    ("Информа-\nция пришла поздно.", "информация", "информация"),  # Russian too
    ("Вузька колонка: ін-\nфор-\nмація про ремонт.", "інформація", "інформація"),  # cut twice
]

#: (text, joined as, the compound as typed): a compound the dictionary writes as one word
#: since 2019 (``віцепрем'єр``) is joined into it, and found by the hyphenated spelling too.
ONE_WORD_SPELLING = [
    ("Віце-\nпрем'єр провів нараду.", "віцепрем'єр", "віце-прем'єр"),
    ("Екс-\nпрезидент приїхав до міста.", "експрезидент", "екс-президент"),
    ("Кіно-\nфестиваль відкрився вчора.", "кінофестиваль", "кіно-фестиваль"),
]

#: (text, the two words as they stand): compounds and other breaks, kept as two words.
KEPT_APART = [
    ("Поїзд прибув до Івано-\nФранківська вчасно.", ("івано", "франківська")),
    ("Науково-\nдослідний інститут отримав грант.", ("науково", "дослідний")),
    ("На блок-\nпосту перевіряли документи.", ("блок", "посту")),
    ("Йому виповнилося п'ятдесят-\nшість років.", ("п'ятдесят", "шість")),
    ("Він не дійшов до будь-\nякого висновку.", ("будь", "якого")),
    ("Над містом майорів жовто-\nблакитний прапор.", ("жовто", "блакитний")),
    ("Суспільно-\nполітичне життя вирувало.", ("суспільно", "політичне")),
    ("Прем'єр-\nміністр виступив у парламенті.", ("прем'єр", "міністр")),
    ("Північно-\nзахідний вітер приніс дощ.", ("північно", "західний")),
    ("Про це писали мас-\nмедіа.", ("мас", "медіа")),
    ("Це все-\nтаки сталося.", ("все", "таки")),
    ("Він одягнув темно-\nсиній костюм.", ("темно", "синій")),
    ("Гостей зустріли хлібом-\nсіллю.", ("хлібом", "сіллю")),
    ("Договір купівлі-\nпродажу підписали.", ("купівлі", "продажу")),
    ("Кінця-\nкраю цьому не видно.", ("кінця", "краю")),
    ("Розмова -\nтака собі.", ("розмова", "така")),  # a dash, not a word's hyphen
    ("Прийшли украї\nнці.", ("украї", "нці")),  # a line break with no hyphen
    ("Це Украї-\nНа.", ("украї", "на")),  # an upper-case letter starts the next line
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("line-hyphens")
    records = [{"id": f"split{i}", "title": f"Новина {i}", "text": text} for i, (text, _, _) in enumerate(SPLIT_WORDS)]
    records += [{"id": f"kept{i}", "title": f"Замітка {i}", "text": text} for i, (text, _) in enumerate(KEPT_APART)]
    records += [{"id": f"one{i}", "title": f"Подія {i}", "text": text}
                for i, (text, _, _) in enumerate(ONE_WORD_SPELLING)]
    records.append({"id": "marks", "title": "Урок",
                    "text": "Сьогодні на уроці учні читали вголос украї-\nнську поезію, а потім мовознавці "
                            "розповідали про українську мову й поезію загалом."})
    eng = imported(root, records)
    yield eng
    eng.close()


@pytest.mark.parametrize(("text", "lemma", "written"), SPLIT_WORDS, ids=[w for _, _, w in SPLIT_WORDS])
def test_word_hyphenated_across_line_break_is_one_word(engine: Engine, text: str, lemma: str, written: str) -> None:
    forms = [t.form for t in engine.analyze(text)]
    assert written in forms
    (tok,) = [t for t in engine.analyze(text) if t.form == written]
    assert lemma in tok.lemmas
    # its offsets cover both pieces, hyphen and line break included
    assert "\n" in text[tok.start:tok.end] and text[tok.end - 1].isalpha()


@pytest.mark.parametrize(("text", "apart"), KEPT_APART, ids=[" ".join(a) for _, a in KEPT_APART])
def test_hyphenated_compound_broken_at_a_line_end_stays_two_words(engine: Engine, text: str,
                                                                 apart: tuple[str, str]) -> None:
    forms = [t.form for t in engine.analyze(text)]
    assert any(forms[i:i + 2] == list(apart) for i in range(len(forms)))


@pytest.mark.parametrize(("i", "lemma"), [(i, lemma) for i, (_, lemma, _) in enumerate(SPLIT_WORDS)],
                         ids=[w for _, _, w in SPLIT_WORDS])
def test_word_hyphenated_across_line_break_is_found_whole(engine: Engine, i: int, lemma: str) -> None:
    assert f"split{i}" in [h.id for h in engine.search(lemma, limit=50).hits]


@pytest.mark.parametrize(("i", "joined", "typed"), [(i, j, t) for i, (_, j, t) in enumerate(ONE_WORD_SPELLING)],
                         ids=[j for _, j, _ in ONE_WORD_SPELLING])
def test_a_compound_written_as_one_word_is_joined_and_found_hyphenated_too(engine: Engine, i: int, joined: str,
                                                                           typed: str) -> None:
    assert joined in [t.form for t in engine.analyze(ONE_WORD_SPELLING[i][0])]
    assert f"one{i}" in [h.id for h in engine.search(typed).hits]
    assert f"one{i}" in [h.id for h in engine.search(joined).hits]


def test_word_hyphenated_across_line_break_is_highlighted_as_one_word(engine: Engine) -> None:
    hit = next(h for h in engine.search("український").hits if h.id == "split0")
    marked = [hit.snippet.text[s.start:s.end] for s in hit.snippet.spans]
    assert marked == ["украї-нської"]  # (the snippet folds the line break, as it folds any)
    assert hit.matched == (("української", "український"),)


@pytest.mark.parametrize(("i", "written"), [(i, w) for i, (_, _, w) in enumerate(SPLIT_WORDS)],
                         ids=[w for _, _, w in SPLIT_WORDS])
def test_a_word_hyphenated_across_a_line_break_is_listed_as_the_word_it_is(engine: Engine, i: int,
                                                                          written: str) -> None:
    # (``matched`` and explain listed ``інфор-\n  мація``, line break and all)
    lemma = SPLIT_WORDS[i][1]
    hit = next(h for h in engine.search(lemma, limit=50).hits if h.id == f"split{i}")
    assert [w.lower() for w, _ in hit.matched] == [written]  # (its case kept: ``Стартував``)
    ex = engine.explain(lemma, f"split{i}")
    assert [w.lower() for w, _ in ex.matched] == [written]
    assert {w.lower() for c in ex.contributions for w in c.found} == {written}
    # the snippet still marks the word as it is printed there, the hyphen kept
    (span,) = hit.snippet.spans
    assert hit.snippet.text[span.start:span.end].replace("-", "").lower() == written


def test_words_after_a_joined_word_are_marked_where_they_stand(engine: Engine) -> None:
    # The index numbers the joined word once, and the snippet reads its positions: one
    # number off, and the words after it would be marked on their neighbours.
    hit = engine.search("поезія мова").hits[0]
    assert hit.id == "marks"
    marked = [hit.snippet.text[s.start:s.end] for s in hit.snippet.spans]
    assert marked == ["поезію", "мову", "поезію"]
    hit = engine.search("українська поезія").hits[0]
    assert [hit.snippet.text[s.start:s.end] for s in hit.snippet.spans] == [
        "украї-нську", "поезію", "українську", "поезію"]


def test_a_phrase_reads_through_a_joined_word(engine: Engine) -> None:
    assert [h.id for h in engine.search('"з української мови"').hits] == ["split0"]
    assert [h.id for h in engine.search('"вголос українську поезію"').hits] == ["marks"]


def test_a_compound_broken_at_a_line_end_is_found_by_its_words_as_before(engine: Engine) -> None:
    assert "kept1" in [h.id for h in engine.search("дослідний").hits]
    assert "kept0" in [h.id for h in engine.search("Франківськ").hits]
    assert "kept2" in [h.id for h in engine.search("блок").hits]


def test_a_line_broken_word_in_the_title_and_a_new_import_are_joined(tmp_path: Path) -> None:
    eng = imported(tmp_path, [{"id": "t", "title": "Нова інфор-\nмація", "text": "Подробиці згодом."}])
    hit = eng.search("title:інформація").hits[0]
    assert [hit.title[s.start:s.end] for s in hit.title_spans] == ["інфор-\nмація"]
    eng.close()


def test_a_home_indexed_by_the_analyzer_before_is_rebuilt_and_joins_the_words(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import searchkit.backends.whoosh.store as store
    from searchkit import IndexStatus
    from searchkit.text.analysis import Analyzer

    with monkeypatch.context() as before:  # version 7, which read the pieces apart
        before.setattr(store, "ANALYZER_VERSION", "7")
        before.setattr(Analyzer, "_joins", lambda *args: False)
        imported(tmp_path, [{"id": "x", "title": "Урок", "text": "Диктант з украї-\nнської мови."}]).close()
    eng = Engine(tmp_path / "home")
    assert eng.index_state() is IndexStatus.ANALYZER_CHANGED
    assert [h.id for h in eng.search("українська").hits] == ["x"]
    assert eng.index_state() is IndexStatus.CURRENT
    eng.close()


def test_explain_shows_a_word_with_a_soft_hyphen_as_the_hit_does(engine: Engine) -> None:
    hit = next(h for h in engine.search("відвідувач").hits if h.id == "split4")
    ex = engine.explain("відвідувач", "split4")
    assert hit.matched == ex.matched == (("відвідувачів", "відвідувач"),)
    assert {w for c in ex.contributions for w in c.found} == {"відвідувачів"}
