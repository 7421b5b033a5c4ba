"""A page is the same slice of the ranking however much of it is scored in full: a search
for the first page scores only the matches that can reach it (the best tiers of partial
matches, the all-words matches whose proximity boost could lift them that far)."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.searching import Searcher

from searchkit import Engine
from searchkit.query.understand import FAMILY_BELOW

from .conftest import imported, write_jsonl

TEXTS = [
    "Громада обговорила ремонт дороги біля школи.",
    "Ремонт почали навесні. Громада довго чекала, поки дороги висохнуть після дощів.",
    "Ремонт даху школи завершили до осені.",
    "Дороги області потребують уваги, сказала громада на зборах.",
    "Погода була тепла, і діти гуляли в парку.",
    "Дороги ремонт громада: про це говорили всі.",
    "Громада зібрала гроші. Ремонт тривав місяць, а дороги так і лишилися розбитими.",
]
FILLER = ["Новини дня.", "Читайте також інші матеріали.", "Фото з архіву редакції.", "Коментарі вимкнено."]


def _articles() -> list[dict[str, str]]:
    out = []
    for i in range(42):
        text = TEXTS[i % len(TEXTS)]
        # different lengths and words, so the scores differ and no two texts are near-duplicates
        extra = " ".join(FILLER[(i + k) % len(FILLER)] for k in range(i % 5))
        out.append({"id": f"n{i:02d}", "title": f"Випуск {i}", "text": f"{text} {extra} Число {i * 7919}."})
    return out


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("bounds")
    feed = write_jsonl(root / "feed.jsonl", _articles())
    e = Engine.init(root / "home")
    assert e.import_paths([feed]).added == 42
    return e


def _pages(eng: Engine, query: str, size: int, **kw: object) -> list[tuple[str, float | None]]:
    whole = eng.search(query, limit=100, snippets=False, **kw)  # type: ignore[arg-type]
    out: list[tuple[str, float | None]] = []
    page = 1
    while len(out) < whole.total:
        res = eng.search(query, limit=size, page=page, snippets=False, **kw)  # type: ignore[arg-type]
        assert res.total == whole.total
        out += [(h.id, h.score) for h in res.hits]
        page += 1
    # the same order and scores (a score summed in another order may differ in its last bit)
    assert [i for i, _ in out] == [h.id for h in whole.hits]
    assert [sc for _, sc in out] == pytest.approx([h.score for h in whole.hits], rel=1e-12)
    return out


@pytest.mark.parametrize("collapse", [True, False])
def test_pages_of_all_words_matches_are_slices_of_the_whole_ranking(eng: Engine, collapse: bool) -> None:
    ranked = _pages(eng, "ремонт дороги громада", 3, collapse=collapse, partial=False)
    assert len(ranked) >= (9 if collapse else 24)
    # the words side by side rank first: the proximity boost decided the top
    assert ranked[0][0] in {f"n{i:02d}" for i in range(0, 42, 7)} | {f"n{i:02d}" for i in range(5, 42, 7)}


FILL = ["Учора в місті було тихо.", "Автобуси їздили за розкладом.", "У парку висадили нові дерева.",
        "Бібліотека подовжила години роботи.", "На ринку подешевшали овочі.", "Вечором пройшов невеликий дощ."]


@pytest.mark.parametrize("step", [1, 2, 3])
def test_pages_stay_slices_when_proximity_is_checked_best_first_and_stops_early(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int) -> None:
    # A big match set's way, forced on a small one: the side-by-side boosters checked a
    # few documents at a time, those that could score most first, stopping once nothing
    # left can reach the page. Four texts say the words side by side again and again;
    # thirty say each of them twice, never side by side.
    from searchkit.backends.whoosh import bulkeval

    strong = [{"id": f"s{i}", "title": "Ремонт дороги",
               "text": "Громада почала ремонт дороги. Ремонт дороги триває." + " Ремонт дороги." * i}
              for i in range(4)]
    weak = [{"id": f"w{i:02d}", "title": f"Ремонт {i}",
             "text": " ".join(["Ремонт почнуть згодом.", FILL[i % 6], "Дороги чекають.", FILL[(i + 1) % 6],
                               "Громада вирішила.", *(FILL[(i + k) % 6] for k in range(i % 3)),
                               "Ремонт триватиме. Громада чекає, дороги теж.", f"Число {i * 7919}."])}
            for i in range(30)]
    eng = imported(tmp_path, strong + weak)
    stops: list[bool] = []
    original = bulkeval.BulkEvaluator._boost_best

    def counted(self: bulkeval.BulkEvaluator, parts: list[tuple[object, float]], reach: list[int],
                lower: dict[int, float], upper: dict[int, float], need: int, floor: float,
                distinct: bulkeval.Distinct | None) -> float:
        out = original(self, parts, reach, lower, upper, need, floor, distinct)
        stops.append(out > floor)
        return out

    monkeypatch.setattr(bulkeval, "_REACH_STEP", step)
    monkeypatch.setattr(bulkeval.BulkEvaluator, "_boost_best", counted)
    ranked = _pages(eng, "ремонт дороги громада", 3, collapse=False, partial=False)
    assert len(ranked) == 34 and {i for i, _ in ranked[:4]} == {"s0", "s1", "s2", "s3"}
    assert any(stops)  # some page stopped before checking every candidate


@pytest.mark.parametrize("pruned", [False, True])
@pytest.mark.parametrize("size", [1, 2, 5])
def test_pages_of_partial_matches_are_slices_of_the_whole_ranking(eng: Engine, size: int, pruned: bool,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if pruned:  # a big match set's way, forced: the matches holding only common words ranked by their bound
        from searchkit.backends.whoosh import bulkeval

        monkeypatch.setattr(bulkeval, "_PRUNED_OVER", 0)
    res = eng.search("ремонт дороги громада погода", limit=3)
    assert res.matched_all == 0 and res.total > 10
    ranked = _pages(eng, "ремонт дороги громада погода", size)
    held = [sum(w in text.lower() for w in ("ремонт", "дорог", "громад", "погод"))
            for text in (TEXTS[int(i[1:]) % len(TEXTS)] for i, _ in ranked)]
    assert held == sorted(held, reverse=True)  # more words first, all the way down


def test_a_search_asks_once_whether_the_index_changed(eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    eng.search("ремонт дороги")
    asked = []
    original = Searcher.up_to_date

    def counted(self: Searcher) -> bool:
        asked.append(1)
        return original(self)

    monkeypatch.setattr(Searcher, "up_to_date", counted)
    res = eng.search("ремант дорогі громада")  # corrected: dozens of reads of the index
    assert res.corrected_query and res.total
    assert len(asked) == 1


def test_a_search_looks_each_word_up_once_and_the_next_search_again(eng: Engine,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    eng.search("ремонт дороги")
    reader = type(eng.backend_index.searcher().reader())
    asked: list[tuple[str, str]] = []
    originals = {name: getattr(reader, name) for name in ("__contains__", "doc_frequency")}

    def contains(self: object, term: tuple[str, str]) -> bool:
        asked.append(term)
        return bool(originals["__contains__"](self, term))

    def doc_frequency(self: object, fieldname: str, text: str) -> int:
        asked.append((fieldname, text))
        return int(originals["doc_frequency"](self, fieldname, text))

    monkeypatch.setattr(reader, "__contains__", contains)
    monkeypatch.setattr(reader, "doc_frequency", doc_frequency)
    # corrected: the query, each correction and each word left out are compiled, a dozen times
    res = eng.search("ремант дорогі громада", snippets=False)  # (snippets read where the words stand)
    assert res.corrected_query and res.total
    words = [term for term in asked if isinstance(term[1], str)]  # (the evaluator's terms are bytes)
    assert words and len(set(words)) == len(words)
    eng.search("ремант дорогі громада", snippets=False)
    assert len([term for term in asked if isinstance(term[1], str)]) == 2 * len(words)  # (none kept)


def test_relatives_join_only_when_the_words_as_typed_meet_in_few_articles(tmp_path: Path) -> None:
    many = [{"id": f"both{i}", "title": "Архівні документи", "text": f"Архівні документи міста номер {i}."}
            for i in range(FAMILY_BELOW)]
    relative = {"id": "archive", "title": "Архів", "text": "Архів зберігає документи про історію міста."}
    feed = write_jsonl(tmp_path / "feed.jsonl", [*many, relative])
    e = Engine.init(tmp_path / "home")
    e.import_paths([feed])
    # as many articles as a relative's threshold hold the words as typed: no relatives
    res = e.search("архівні документи", limit=50)
    assert res.matched_all == FAMILY_BELOW and "archive" not in {h.id for h in res.hits if h.rank <= FAMILY_BELOW}
    # fewer: the article saying "архів" counts as holding both words
    e.delete([f"both{i}" for i in range(1, FAMILY_BELOW)])
    res = e.search("архівні документи")
    assert res.matched_all == 2 and [h.id for h in res.hits][:2] == ["both0", "archive"]


def test_relatives_join_whatever_the_count_for_a_subject_typed_with_a_function_word(tmp_path: Path) -> None:
    # ``вибори до парламенту`` is as often written ``парламентські вибори``
    many = [{"id": f"typed{i}", "title": f"Новини {i}", "text": f"Вибори до парламенту відбулися в окрузі {i}."}
            for i in range(FAMILY_BELOW)]
    relative = {"id": "adjective", "title": "Кампанія", "text": "Парламентські вибори призначили на осінь."}
    unrelated = {"id": "local", "title": "Громада", "text": "Вибори голови громади відбулися вчора."}
    e = Engine.init(tmp_path / "home")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", [*many, relative, unrelated])])
    res = e.search("вибори до парламенту", limit=50)
    assert res.matched_all == FAMILY_BELOW + 1
    assert {h.id for h in res.hits[:res.matched_all]} == {*(a["id"] for a in many), "adjective"}
    assert [h.id for h in res.hits][res.matched_all:] == ["local"]  # a partial match, after them


def test_articles_whose_title_holds_no_word_among_partial_matches_are_ranked_not_taken_for_damage(
        tmp_path: Path) -> None:
    # `новина` (in 120 of 200 titles) only ranks the partial matches of `ремонт дороги новина`,
    # by its bound first: for an article whose title holds no word (emoji: a title length
    # of 0) that bound must still be a number, not an error read as a damaged index.
    untitled = [{"id": f"u{i:02d}", "title": "🍍 🍍 🍍",
                 "text": f"{('Ремонт почали навесні.', 'Дороги розбиті.')[i % 2]} {FILLER[i % 4]} Число {i * 7919}."}
                for i in range(80)]
    news = [{"id": f"n{i:03d}", "title": f"Новина дня {i}", "text": f"Новина про погоду номер {i * 31}."}
            for i in range(120)]
    eng = imported(tmp_path, untitled + news)
    res = eng.search("ремонт дороги новина", limit=5, snippets=False)
    assert res.matched_all == 0 and res.total == 80
    ranked = _pages(eng, "ремонт дороги новина", 7)
    assert {i for i, _ in ranked} == {a["id"] for a in untitled}
