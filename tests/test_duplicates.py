"""Near-duplicates: signatures, groups kept in step with the index, folded search hits."""

from __future__ import annotations

import json
import random
import struct
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.text import dedup
from searchkit.text.analysis import default_analyzer
from searchkit.text.dedup import (
    MIN_SHINGLES,
    THRESHOLD,
    Clusters,
    Signer,
    bands,
    neighbours,
    similarity,
)

from .conftest import imported, write_jsonl
from .dedup_reference import candidate_pairs, from_pairs

STORY = ("Уряд схвалив програму відновлення мостів у Харківській області. "
         "До кінця року планують відбудувати дванадцять мостів, зруйнованих під час обстрілів. "
         "Гроші на роботи виділили з фонду ліквідації наслідків збройної агресії. "
         "Міністр інфраструктури пояснив, що спершу ремонтуватимуть переправи на трасах між районними центрами. "
         "Підрядників оберуть через відкриті торги в системі публічних закупівель. "
         "Місцеві мешканці скаржаться, що без мостів дорога до лікарні займає понад дві години.")
# The same story as another outlet ran it: a new lead, a sentence dropped, other word forms,
# a synonym ("Кошти" for "Гроші").
COPY = ("Мешканці прифронтових сіл чекали цього рішення кілька місяців. "
        "Уряд схвалив програму відновлення мостів у Харківській області. "
        "До кінця року планують відбудувати дванадцять мостів, зруйнованих під час обстрілу. "
        "Кошти на роботи виділили з фонду ліквідації наслідків збройної агресії. "
        "Міністр інфраструктури пояснив, що спершу ремонтуватиме переправи на трасах між районними центрами. "
        "Місцеві мешканці скаржилися, що без мостів дорога до лікарні займає понад дві години.")
# Another article on the same topic, written independently.
TOPIC = ("На Харківщині відкрили рух новим мостом через річку Сіверський Донець. "
         "Міст збудували за вісім місяців замість старого, який зруйнували навесні. "
         "Голова обласної адміністрації подякував будівельникам за швидку роботу. "
         "Тепер дорога з районного центру до обласного займає годину. "
         "Наступного року в області планують відновити ще кілька мостів і доріг.")
OTHER = ("Футбольна команда з Полтави виграла кубок області. Вирішальний гол забили на останній хвилині. "
         "Тренер подякував уболівальникам, які приїхали підтримати гравців попри дощ і холод.")

ARTICLES = [
    {"id": "orig", "title": "Уряд відновить мости на Харківщині", "text": STORY, "date": "2023-05-10",
     "source": "Перше видання"},
    {"id": "copy", "title": "Мости на Харківщині відбудують до кінця року", "text": COPY, "date": "2023-05-09",
     "source": "Друге видання"},
    {"id": "topic", "title": "Новий міст через Сіверський Донець", "text": TOPIC, "date": "2023-06-01",
     "source": "Перше видання"},
    {"id": "other", "title": "Кубок області", "text": OTHER, "date": "2023-06-02", "source": "Спорт"},
]


def sig_of(text: str) -> bytes | None:
    return Signer().signature([lemmas[0] for _, lemmas in default_analyzer().iter_words(text)])


@pytest.fixture
def eng(tmp_path: Path):
    e = imported(tmp_path, ARTICLES)
    yield e
    e.close()


# -- signatures ------------------------------------------------------------------------------


def test_an_edited_copy_is_above_the_threshold_and_another_article_on_the_topic_is_not():
    orig, copy, topic = sig_of(STORY), sig_of(COPY), sig_of(TOPIC)
    assert similarity(orig, copy) >= THRESHOLD
    assert similarity(orig, topic) < THRESHOLD / 2
    assert similarity(orig, orig) == 1.0


def test_similarity_is_the_share_of_equal_bins_among_those_not_empty_in_both():
    # similarity works on each signature read as one number; check it bin by bin
    rng = random.Random(5)
    empty = dedup.EMPTY
    for _ in range(300):
        a = [empty if rng.random() < rng.choice((0, 0.3, 0.9)) else rng.randrange(4) for _ in range(dedup.BINS)]
        b = [x if rng.random() < 0.5 else rng.choice((empty, 0, 1, 2**32 - 2)) for x in a]
        both_empty = sum(x == y == empty for x, y in zip(a, b, strict=True))
        same = sum(x == y for x, y in zip(a, b, strict=True)) - both_empty
        used = dedup.BINS - both_empty
        packed = [struct.pack(f"<{dedup.BINS}I", *v) for v in (a, b)]
        assert similarity(*packed) == (same / used if used else 0.0)
    nothing = struct.pack(f"<{dedup.BINS}I", *[empty] * dedup.BINS)
    assert similarity(nothing, nothing) == 0.0


def test_signature_depends_on_lemmas_so_other_inflections_do_not_matter():
    a = "Депутати ухвалили закон про освіту і відправили його на підпис президентові країни сьогодні ввечері " * 2
    b = "Депутат ухвалив законом про освітою і відправила його на підписом президента країною сьогодні ввечері " * 2
    assert similarity(sig_of(a), sig_of(b)) > 0.8


def test_signature_is_stable_across_signer_instances():
    lemmas = [f"слово{i % 40}" for i in range(200)]
    assert Signer().signature(lemmas) == Signer().signature(lemmas)


def test_short_or_repetitive_texts_get_an_exact_signature_that_only_a_copy_shares():
    short, same, edited = ["один", "два", "три"] * 3, ["один", "два", "три"] * 3, ["один", "два", "чотири"] * 3
    assert similarity(Signer().signature(short), Signer().signature(same)) == 1.0
    assert similarity(Signer().signature(short), Signer().signature(edited)) == 0.0
    assert similarity(Signer().signature(short, title=["рахунок"]), Signer().signature(same)) == 0.0
    assert len(bands(Signer().signature(["так", "ні"] * 50))) == dedup.N_BANDS  # no band is empty
    long = [f"w{i}" for i in range(MIN_SHINGLES + 2)]  # MinHash from here on: the title is left out
    assert Signer().signature(long, title=["а"]) == Signer().signature(long, title=["б"])
    assert Signer().signature([]) is None


def test_bands_skip_empty_bands():
    sig = Signer().signature([f"w{i}" for i in range(20)])
    found = bands(sig)
    assert found and len(found) < 32  # 18 shingles leave many bands empty
    assert [j for j, _ in found] == sorted({j for j, _ in found})
    assert all(chunk != b"\xff" * 8 for _, chunk in found)


def test_candidate_pairs_and_neighbours_find_the_copy_only():
    sigs = {"orig": sig_of(STORY), "copy": sig_of(COPY), "topic": sig_of(TOPIC)}
    assert list(candidate_pairs(sigs)) == [("copy", "orig")]
    assert neighbours(["orig", "topic", "gone"], sigs) == {"orig": ["copy"], "topic": []}


# -- groups ----------------------------------------------------------------------------------


def test_a_group_holds_only_near_duplicates_of_its_centre():
    # b copies a and c copies b, but c shares nothing with a: no chain folds c under a.
    c = from_pairs([("a", "b"), ("b", "c"), ("x", "y")])
    assert c.groups() == [("a", "b"), ("x", "y")]
    assert c.group("b") == ("a", "b") and c.key("b") == "a"
    assert c.group("c") == () and c.key("c") is None
    # copies of one another are one group, in whatever order their pairs come
    for pairs in ([("a", "b"), ("b", "c"), ("a", "c")], [("b", "c"), ("a", "b"), ("c", "a")]):
        assert from_pairs(pairs).groups() == [("a", "b", "c")]


def test_removing_the_centre_re_forms_its_group_and_unrelated_groups_stay():
    c = from_pairs([("a", "b"), ("a", "c"), ("b", "c"), ("x", "y")])
    left = {"b": ["c"], "c": ["b"]}  # the links once "a" is gone
    after = c.updated([], ["a"], lambda i: left.get(i, []))
    assert after.groups() == [("b", "c"), ("x", "y")]


def test_a_new_article_joins_the_group_whose_centre_it_copies_and_groups_never_chain():
    c = Clusters([("a", "b"), ("x", "y")])
    links = {"z": ["b", "x"], "b": ["a", "z"], "x": ["y", "z"], "a": ["b"], "y": ["x"]}
    after = c.updated(["z"], [], lambda i: links.get(i, []))
    # z copies b but not the centre a; it copies the centre x
    assert after.groups() == [("a", "b"), ("x", "y", "z")]
    # an article that comes before the centre leads the group if every member copies it
    c = Clusters([("b", "c")])
    assert c.updated(["a"], [], lambda i: {"a": ["b", "c"]}.get(i, [])).groups() == [("a", "b", "c")]
    assert c.updated(["a"], [], lambda i: {"a": ["b"]}.get(i, [])).groups() == [("b", "c")]


# -- the index ------------------------------------------------------------------------------


def test_import_groups_the_copy_with_its_original(eng):
    assert eng.duplicate_groups() == [("copy", "orig")]
    assert eng.duplicates("orig") == ("copy",)
    assert eng.duplicates("topic") == ()


def test_articles_chained_by_shared_paragraphs_are_not_folded_together(tmp_path):
    # "a" and "b" share the bridge story, "b" and "c" the new-bridge story; "a" and "c"
    # share nothing: "c" is no copy of the group's centre, so a search lists it apart.
    chain = [{"id": "a", "title": "Перше", "text": "Вранці зібралася сесія міської ради. " + STORY},
             {"id": "b", "title": "Друге", "text": STORY + " " + TOPIC},
             {"id": "c", "title": "Третє", "text": TOPIC + " Увечері в місті пройшов концерт."}]
    sigs = {a["id"]: sig_of(a["text"]) for a in chain}
    assert similarity(sigs["a"], sigs["b"]) >= THRESHOLD and similarity(sigs["b"], sigs["c"]) >= THRESHOLD
    assert similarity(sigs["a"], sigs["c"]) < THRESHOLD
    e = imported(tmp_path, chain)
    try:
        # "b" joins whichever it is met with first; never both
        groups = e.duplicate_groups()
        assert groups in ([("a", "b")], [("b", "c")])
        res = e.search("міст")
        folded = sorted(tuple(sorted((h.id, *h.duplicates))) for h in res)
        alone = tuple(x for x in "abc" if x not in groups[0])
        assert folded == sorted([groups[0], alone])  # two hits: the pair, and the third apart
        # computed again from the index's signatures: the same rule
        gen = (e.home / "index" / "CURRENT").read_text().strip()
        (e.home / "index" / gen / "duplicates.json").unlink()
        fresh = Engine(e.home)
        assert fresh.duplicate_groups() in ([("a", "b")], [("b", "c")])
        fresh.close()
    finally:
        e.close()


def test_groups_saved_under_the_earlier_rule_are_formed_again_by_the_next_write(eng, tmp_path):
    # An index from before groups around a centre has chained groups in duplicates.json,
    # saved without a rule: searches keep using them; the next import groups every
    # article again.
    gen = (eng.home / "index" / "CURRENT").read_text().strip()
    path = eng.home / "index" / gen / "duplicates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["rule"] == "centre"
    path.write_text(json.dumps({"generation": data["generation"], "groups": [["copy", "orig", "topic"]]}),
                    encoding="utf-8")
    old = Engine(eng.home)
    try:
        assert old.duplicate_groups() == [("copy", "orig", "topic")]
        late = {"id": "zz", "title": "Інше", "text": OTHER + " Наступна гра відбудеться в суботу."}
        old.import_paths([write_jsonl(tmp_path / "late.jsonl", [late])])
        assert old.duplicate_groups() == [("copy", "orig"), ("other", "zz")]
    finally:
        old.close()


def test_search_folds_the_copy_into_one_hit_with_first_published(eng):
    res = eng.search("мости")
    ids = [h.id for h in res]
    assert ("orig" in ids) != ("copy" in ids)  # exactly one of them is listed
    head = next(h for h in res if h.id in ("orig", "copy"))
    assert set(head.duplicates) == {"orig", "copy"} - {head.id}
    assert head.first_published.isoformat() == "2023-05-09"  # the copy ran a day earlier
    assert res.matched == res.total + 1 and res.folded == 1


def test_a_copy_lacking_a_word_is_not_listed_again_among_the_partial_matches(eng):
    # "orig" holds both words; its copy dropped the sentence with "закупівель": it is the
    # same story, not a partial match to list below the rule. "topic" is one.
    res = eng.search("мости закупівля")
    assert [h.id for h in res] == ["orig", "topic"] and res.matched_all == 1
    assert res.total == 2
    assert res.hits[0].duplicates == ("copy",)  # listed under the story, a click away
    assert res.hits[0].first_published.isoformat() == "2023-05-09"  # the copy ran a day earlier
    assert eng.search("мости закупівля", limit=1).hits[0].duplicates == ("copy",)  # a page of all-words hits
    assert [h.id for h in eng.search("мости закупівля", collapse=False)] == ["orig", "copy", "topic"]
    # under a filter that leaves the original out, the copy is a partial match again
    dated = eng.search("мости закупівля", until="2023-05-09")
    assert [h.id for h in dated] == ["copy"] and dated.matched_all == 0


def test_a_copy_is_listed_under_its_story_when_another_search_ran_in_between(eng, monkeypatch):
    # The copies are listed from what the partial-match search left out; another search
    # on the same engine in between (another thread) replaces that: they are found again.
    from searchkit.answers.search import Searcher

    real = Searcher._with_partial_copies
    ran: list[str] = []

    def after_another(self, *args):
        if not ran:
            ran.append("кубок область")
            eng.search(ran[0])
        return real(self, *args)

    monkeypatch.setattr(Searcher, "_with_partial_copies", after_another)
    res = eng.search("мости закупівля")
    assert [(h.id, h.duplicates) for h in res] == [("orig", ("copy",)), ("topic", ())]
    assert res.hits[0].first_published.isoformat() == "2023-05-09"


def test_no_collapse_lists_every_copy(eng):
    res = eng.search("мости", collapse=False)
    ids = [h.id for h in res]
    assert "orig" in ids and "copy" in ids
    assert all(h.duplicates == () for h in res)
    assert res.total == res.matched


def test_a_copy_that_does_not_match_is_not_listed_as_a_duplicate(eng):
    # "Підрядників" and "закупівель" are only in the original (the copy dropped that sentence).
    res = eng.search("закупівля")
    assert [(h.id, h.duplicates) for h in res] == [("orig", ())]


def test_paging_counts_folded_hits(eng):
    first = eng.search("мости", limit=1)
    second = eng.search("мости", limit=1, page=2)
    assert first.total == second.total == 2
    assert {first.hits[0].id, second.hits[0].id} & {"topic"}
    assert len({first.hits[0].id, second.hits[0].id}) == 2


def test_a_copy_imported_later_joins_the_group(eng, tmp_path):
    later = {"id": "late", "title": "Передрук", "text": COPY.replace("Мешканці прифронтових сіл", "Люди"),
             "date": "2023-05-20"}
    eng.import_paths([write_jsonl(tmp_path / "late.jsonl", [later])])
    assert eng.duplicate_groups() == [("copy", "late", "orig")]


def test_deleting_an_article_updates_its_group(eng):
    eng.delete(["copy"])
    assert eng.duplicate_groups() == []
    assert [h.duplicates for h in eng.search("мости")] == [(), ()]


def test_changing_a_copy_into_another_story_takes_it_out_of_the_group(eng, tmp_path):
    changed = {**ARTICLES[1], "text": OTHER + " " + TOPIC}
    eng.import_paths([write_jsonl(tmp_path / "changed.jsonl", [changed])])
    assert eng.duplicates("orig") == ()


def test_groups_survive_a_rebuild_and_a_lost_groups_file(eng, tmp_path):
    eng.index(rebuild=True)
    assert eng.duplicate_groups() == [("copy", "orig")]
    gen = (eng.home / "index" / "CURRENT").read_text().strip()
    (eng.home / "index" / gen / "duplicates.json").unlink()
    fresh = Engine(eng.home)
    assert fresh.duplicate_groups() == [("copy", "orig")]  # recomputed from the signatures in the index
    fresh.close()


def test_search_json_carries_duplicates(eng, tmp_path):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "мости", "--json"])
    assert r.exit_code == 0, r.output
    hits = json.loads(r.output)["hits"]
    head = next(h for h in hits if h["id"] in ("orig", "copy"))
    assert head["duplicates"] == [{"orig": "copy", "copy": "orig"}[head["id"]]]
    assert head["first_published"] == "2023-05-09"


def test_cli_shows_similar_count_and_no_collapse_lists_all(eng):
    runner = CliRunner()
    r = runner.invoke(main, ["--home", str(eng.home), "search", "мости"])
    assert "+1 similar (first published 2023-05-09)" in r.output
    assert "1 near-duplicate folded in" in r.output
    r = runner.invoke(main, ["--home", str(eng.home), "search", "мости", "--no-collapse"])
    assert "similar" not in r.output and "orig" in r.output and "copy" in r.output


def test_similar_says_a_copy_is_folded_in_without_offering_an_option_it_lacks(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "similar", "topic"])
    assert r.exit_code == 0, r.output
    assert "1 near-duplicate folded in" in r.output and "+1 similar" in r.output
    assert "--no-collapse" not in r.output  # `similar` takes no such option: it was refused when tried


def test_cli_duplicates_lists_groups_oldest_first(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "duplicates"])
    assert r.exit_code == 0
    assert r.output.index("copy") < r.output.index("orig")
    r = CliRunner().invoke(main, ["--home", str(eng.home), "duplicates", "topic", "--json"])
    assert r.exit_code == 1 and json.loads(r.output) == []
    r = CliRunner().invoke(main, ["--home", str(eng.home), "duplicates", "nope"])
    assert r.exit_code == 2 and "no article with id 'nope'" in r.output
    r = CliRunner().invoke(main, ["--home", str(eng.home), "duplicates", ""])  # an id, not "every group"
    assert r.exit_code == 2 and "no article with id ''" in r.output


NOTICE = {"title": "Оголошення", "text": "Завтра у школі батьківські збори о сьомій вечора.", "date": "2024-03-01"}


def test_exact_short_copies_fold_into_one_hit_and_are_listed_as_duplicates(tmp_path):
    # nine words: too few for a MinHash signature, but three identical copies are one story
    e = imported(tmp_path, [{**NOTICE, "id": "n1"}, {**NOTICE, "id": "n2"}, {**NOTICE, "id": "n3"},
                            {**NOTICE, "id": "other-title", "title": "Збори"},
                            {**NOTICE, "id": "one-word-apart", "text": NOTICE["text"].replace("сьомій", "шостій")}])
    res = e.search("батьківські збори")
    by_id = {h.id: h.duplicates for h in res.hits}
    assert by_id["n1"] == ("n2", "n3") and "n2" not in by_id and "n3" not in by_id
    assert by_id["other-title"] == () and by_id["one-word-apart"] == ()
    assert e.duplicate_groups() == [("n1", "n2", "n3")]
    out = CliRunner().invoke(main, ["--home", str(e.home), "duplicates", "--json"])
    assert out.exit_code == 0 and json.loads(out.output) == [["n1", "n2", "n3"]]
    e.close()


def test_cli_duplicates_lists_a_group_whose_copy_file_was_removed_by_hand(eng):
    path = next(h.path for h in eng.search("мости", collapse=False).hits if h.id == "copy")
    (eng.home / path).unlink()  # the index not yet told
    r = CliRunner().invoke(main, ["--home", str(eng.home), "duplicates"])
    assert r.exit_code == 0 and "orig" in r.output and "Error" not in r.output
    assert [a.id for a in eng.stored(["copy", "orig", "nope"])] == ["orig"]


def test_a_long_import_groups_across_batches_and_regroups_only_now_and_then(tmp_path, monkeypatch):
    from searchkit.backends.whoosh import SearchIndex

    monkeypatch.setattr("searchkit.library.IMPORT_BATCH", 2)
    monkeypatch.setattr("searchkit.library.IMPORT_GROWTH", 0)  # batches of 2 however big the index
    passes: list[int] = []
    real = SearchIndex._regroup

    def counted(self, changed, deleted, before):
        passes.append(len(changed))
        return real(self, changed, deleted, before)

    monkeypatch.setattr(SearchIndex, "_regroup", counted)
    fillers = [{"id": f"f{i}", "title": f"Новина {i}", "text": f"{OTHER} Подія номер {i}.", "date": "2023-07-01"}
               for i in range(7)]
    # The copy arrives five batches after its original: the groups must still meet.
    feed = [ARTICLES[0], *fillers[:2], ARTICLES[2], *fillers[2:6], ARTICLES[1]]
    e = Engine.init(tmp_path / "home")
    # builds the index, grouped from scratch before it goes live (no regrouping pass)
    e.import_paths([write_jsonl(tmp_path / "first.jsonl", fillers[6:])])
    assert passes == []
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", feed)])
    assert ("copy", "orig") in e.duplicate_groups()
    assert e.duplicates("topic") == ()
    # 5 batches of 2: the groups are brought up to date after batch 1, after 2, after 4
    # (batches 3 and 4) and after the last (one article).
    assert passes == [2, 2, 4, 1]
    # What a fresh reader computes from the signatures agrees with the saved groups.
    gen = (e.home / "index" / "CURRENT").read_text().strip()
    (e.home / "index" / gen / "duplicates.json").unlink()
    fresh = Engine(e.home)
    assert fresh.duplicate_groups() == e.duplicate_groups()
    fresh.close()
    e.close()


def test_a_very_big_group_is_listed_once_and_updates_keep_it_whole():
    big = [f"a{i:05d}" for i in range(30_000)]
    c = Clusters([big, ["x", "y"]])
    assert c.groups() == [tuple(big), ("x", "y")]
    assert len(c) == 2
    # A new copy of the group's centre joins it; the other group stays.
    grown = c.updated(["new"], (), lambda i: ["a00000", "a00007"] if i == "new" else [])
    assert grown.group("new") == (*big, "new") and grown.group("x") == ("x", "y")


def test_grouping_everything_band_by_band_gives_the_pairs_components():
    from searchkit.text.dedup import group_all

    texts = {"orig": STORY, "copy": COPY, "topic": TOPIC, "other": OTHER,
             "copy2": COPY.replace("Мешканці прифронтових сіл", "Люди"),
             "story2": STORY + " Роботи почнуться навесні.", "other2": OTHER.replace("Полтави", "Сум")}
    sigs = {k: s for k, v in texts.items() if (s := sig_of(v))}
    expected = from_pairs(candidate_pairs(sigs))
    assert group_all(sigs).groups() == expected.groups()
    assert ("copy", "copy2", "orig", "story2") in expected.groups()


def test_neighbours_keep_only_near_duplicates_of_each_seed():
    sigs = {k: s for k, v in {"orig": STORY, "copy": COPY, "topic": TOPIC, "other": OTHER}.items()
            if (s := sig_of(v))}
    assert neighbours(["orig", "topic", "orig"], sigs) == {"orig": ["copy"], "topic": []}


@pytest.mark.parametrize("query", ["мости", "закупівля", "область", "Харківщина", "прифронтових сіл",
                                   "мости закупівля"])
def test_big_match_sets_fold_like_small_ones(eng, monkeypatch, query):
    # Past BIG_MATCH matches the groups are folded from per-searcher tables, the members
    # worked out only for the hits shown: the same totals, hits and duplicates (also when
    # a group has more members than the query matches, the path of a group of thousands
    # of copies: only the copy says "прифронтових").
    from searchkit.backends.whoosh import tables as engine_mod

    def seen(res):
        return res.total, res.matched, [(h.id, h.duplicates, h.first_published) for h in res]

    small = seen(eng.search(query))
    monkeypatch.setattr(engine_mod, "BIG_MATCH", 0)
    eng.backend_index.forget()
    assert seen(eng.search(query)) == small


def _family_signatures(rng: random.Random, families: int, size: int, changed: int = 40) -> dict[str, bytes]:
    """Made-up signatures: each family shares a base, each member changes up to ``changed``
    bins (with 10 or fewer, every member is a near-duplicate of every other), and families
    share nothing."""
    sigs = {}
    for f in range(families):
        base = [rng.randrange(1 << 31) for _ in range(dedup.BINS)]
        for m in range(size):
            bins = list(base)
            for i in rng.sample(range(dedup.BINS), rng.randrange(0, changed)):
                bins[i] = rng.randrange(1 << 31)
            sigs[f"f{f}m{m}"] = struct.pack(dedup._FORMAT, *bins)
    return sigs


def assert_groups_around_centres(clusters: Clusters, sigs: dict[str, bytes]) -> None:
    """The rule of the groups, whichever way they were formed: every member is a
    near-duplicate of its group's centre (its smallest id), and no two near-duplicates
    are both left out of every group."""
    for g in clusters.groups():
        assert all(similarity(sigs[g[0]], sigs[m]) >= THRESHOLD for m in g[1:]), g
    for a, b in candidate_pairs(sigs):
        assert clusters.group(a) or clusters.group(b), (a, b)


@pytest.mark.parametrize("seed", range(6))
def test_regrouping_as_pairs_are_met_keeps_groups_around_centres(monkeypatch, seed):
    # regrouped() links near-duplicates as it meets them, in chunks of seeds, instead of
    # listing every seed's neighbours first (which took gigabytes on big groups); updated()
    # takes the lists. Loose families (members that copy some members and not others)
    # keep the rule on both ways; tight ones are found whole by both.
    rng = random.Random(seed)
    for changed_bins in (40, 10):
        sigs = _family_signatures(rng, families=5, size=12, changed=changed_bins)
        ids = sorted(sigs)
        old = {i: sigs[i] for i in ids if rng.random() < 0.7}
        before = dedup.group_all(old)
        changed = rng.sample(ids, 15)
        deleted = [i for i in rng.sample(sorted(old), 5) if i not in changed]
        now = {i: sig for i, sig in sigs.items() if (i in old or i in changed) and i not in deleted}
        seeds = set(changed) | {m for i in [*changed, *deleted] for m in before.group(i)}
        found = neighbours(seeds, now)
        listed = before.updated(changed, deleted, lambda i, found=found: found.get(i, ()))
        monkeypatch.setattr(dedup, "SEED_CHUNK", 4)  # several passes over the signatures
        met = before.regrouped(changed, deleted, now)
        monkeypatch.undo()
        for after in (listed, met):
            assert_groups_around_centres(after, now)
        if changed_bins == 10:
            families = sorted(tuple(sorted(i for i in now if i.startswith(f"f{f}m"))) for f in range(5))
            assert listed.groups() == met.groups() == [g for g in families if len(g) > 1]


@pytest.mark.parametrize("piece", [2, 4096])
def test_groups_read_from_the_signature_column_are_the_groups_of_the_pairs(tmp_path, monkeypatch, piece):
    # Grouping a whole index reads its signature column band by band, a piece of articles
    # at a time (pieces of 2: some with an article too short for a signature, read one by
    # one), over segments with deleted articles: the groups are the pairs' components.
    from searchkit.backends.whoosh import sigcolumn

    monkeypatch.setattr(sigcolumn, "PIECE", piece)
    more = [{"id": "copy2", "title": "Мости", "text": COPY.replace("Мешканці прифронтових сіл", "Люди")},
            {"id": "short", "title": "Коротко", "text": "Мости відбудують."},
            {"id": "story2", "title": "Мости знову", "text": STORY + " Роботи почнуться навесні."},
            {"id": "other2", "title": "Кубок", "text": OTHER.replace("Полтави", "Сум")}]
    changed = {"id": "topic", "title": "Новий міст", "text": TOPIC + " Рух мостом відкрили вранці."}
    home = tmp_path / "home"
    e = Engine.init(home)
    e.import_paths([write_jsonl(tmp_path / "a.jsonl", [*ARTICLES, more[1]])])
    e.import_paths([write_jsonl(tmp_path / "b.jsonl", [more[0], more[2], more[3], changed])])
    e.close()
    for saved in home.glob("index/*/duplicates.json"):  # as after a run stopped before saving them
        saved.unlink()
    texts = {a["id"]: a["text"] for a in [*ARTICLES, *more, changed]}
    expected = from_pairs(candidate_pairs({k: s for k, v in texts.items() if (s := sig_of(v))}))
    assert ("copy", "copy2", "orig", "story2") in expected.groups()
    e = Engine(home)
    try:
        assert e.duplicate_groups() == expected.groups()
    finally:
        e.close()


@pytest.mark.parametrize("seed", range(4))
def test_grouping_everything_keeps_groups_around_centres_with_empty_bins_too(seed):
    # Short texts leave bins empty; a bin empty in both signatures counts neither as
    # equal nor as compared, however the grouping counts the equal bins.
    rng = random.Random(seed)
    sigs = _family_signatures(rng, families=6, size=10)
    for art_id in rng.sample(sorted(sigs), 30):
        bins = list(struct.unpack(dedup._FORMAT, sigs[art_id]))
        for i in rng.sample(range(dedup.BINS), rng.randrange(1, 40)):
            bins[i] = dedup.EMPTY
        sigs[art_id] = struct.pack(dedup._FORMAT, *bins)
    grouped = dedup.group_all(sigs)
    assert len(grouped.groups()) >= 3
    assert_groups_around_centres(grouped, sigs)
    assert_groups_around_centres(from_pairs(candidate_pairs(sigs)), sigs)


@pytest.mark.parametrize("step", [256, 4])
def test_a_page_past_a_big_group_of_copies_ranks_as_the_whole_list_does(tmp_path, monkeypatch, step):
    # Thirty copies outscore every other match: the best scored in full fold into one hit,
    # so the search scores more of the matches until the page is filled, and the page is
    # the full ranking with each group's later copies left out. A step of 4 documents
    # (256 in use) leaves the other matches short of their scores after the first pass,
    # as a million articles do.
    from searchkit.backends.whoosh import bulkeval

    monkeypatch.setattr(bulkeval, "_REACH_STEP", step)
    cities = ["Полтаві", "Сумах", "Чернігові", "Житомирі", "Рівному", "Луцьку", "Ужгороді", "Херсоні",
              "Миколаєві", "Одесі", "Вінниці", "Черкасах"]
    rows = [{"id": f"copy{i:02d}", "title": f"Відновлення мостів на Харківщині, випуск {i}",
             "text": STORY + f" Відновлення мостів обговорять знову, повідомлення {i}.", "date": "2023-05-10"}
            for i in range(30)]
    rows += [{"id": f"city{i:02d}", "title": f"Новини {c}",
              "text": f"У {c} депутати говорили про відновлення мостів і ремонт доріг, сесія {i}."}
             for i, c in enumerate(cities)]
    eng = imported(tmp_path, rows)
    page = eng.search("відновлення мостів", limit=10, snippets=False)
    whole = eng.search("відновлення мостів", limit=100, snippets=False, collapse=False)
    assert (page.total, page.matched) == (13, 42)
    assert page.hits[0].id.startswith("copy") and len(page.hits[0].duplicates) == 29
    expected = [h.id for h in whole.hits if not h.id.startswith("copy") or h.id == page.hits[0].id][:10]
    assert [h.id for h in page.hits] == expected
    assert [round(h.score, 6) for h in page.hits] == [round(h.score, 6) for h in whole.hits if h.id in expected]
    eng.close()


def test_a_page_of_distinct_stories_settles_the_side_by_side_boost_without_checking_every_match(
        tmp_path, monkeypatch):
    # Twenty copies of one story and 35 short notes write the two words side by side; 40
    # long reports hold both words apart. Twice a page of the best matches (what folding
    # may need) reaches down into the reports, and any report could score that much if
    # its words stood side by side, so proving no report is among them means reading
    # them all. The page needs the best of distinct stories only: the copies are one, the
    # notes 35, and the notes' scores are above what any report could reach. Scoring
    # stops there, and the page is still the whole ranking with the copies folded.
    from searchkit.backends.whoosh import bulkeval

    monkeypatch.setattr(bulkeval, "_REACH_STEP", 4)
    stops: list[bool] = []
    original = bulkeval.BulkEvaluator._boost_best

    def spied(self, parts, reach, lower, upper, need, floor, distinct):
        out = original(self, parts, reach, lower, upper, need, floor, distinct)
        stops.append(out > floor)
        return out

    monkeypatch.setattr(bulkeval.BulkEvaluator, "_boost_best", spied)
    filler = ("Депутати обласної ради розглянули бюджет, звіт голови та кадрові питання. "
              "Після перерви сесія продовжила роботу, а журналісти записали коментарі. ")
    rows = [{"id": f"copy{i:02d}", "title": f"Новини області, випуск {i}",
             "text": STORY + f" Повідомлення {i}.", "date": "2023-05-10"} for i in range(20)]
    rows += [{"id": f"note{i:02d}", "title": f"Коротко {i}",
              "text": f"Відновлення мостів почалося в громаді номер {i}."} for i in range(35)]
    rows += [{"id": f"long{i:02d}", "title": f"Звіт {i}",
              "text": f"Про відновлення говорили {i} разів. " + filler * 6 + "Стан мостів перевірили."}
             for i in range(40)]
    eng = imported(tmp_path, rows)
    page = eng.search("відновлення мостів", limit=10, snippets=False)
    whole = eng.search("відновлення мостів", limit=100, snippets=False, collapse=False)
    assert any(stops)
    copies = [h for h in page.hits if h.id.startswith("copy")]
    assert len(copies) <= 1 and all(len(h.duplicates) == 19 for h in copies)
    shown = {h.id for h in page.hits}
    expected = [h for h in whole.hits if not h.id.startswith("copy") or h.id in shown][:10]
    assert [h.id for h in page.hits] == [h.id for h in expected]
    assert [round(h.score, 6) for h in page.hits] == [round(h.score, 6) for h in expected]
    eng.close()


def test_a_group_bigger_than_the_matches_lists_its_matching_copies(tmp_path, monkeypatch):
    # Three copies of one story, two of them with the new lead: a search for the lead
    # matches two of the group's three members, and the big-match path (which picks a
    # big group's matching members out of the grouped matches) finds the same duplicate.
    from searchkit.backends.whoosh import tables as engine_mod

    third = dict(ARTICLES[1], id="copy2", title="Мости відбудують", date="2023-05-11")
    rows = [ARTICLES[0], ARTICLES[1], third, ARTICLES[3]]
    eng = imported(tmp_path, rows)

    def seen(res):
        return res.total, res.matched, [(h.id, h.duplicates) for h in res]

    small = seen(eng.search("прифронтових сіл"))
    assert small[:2] == (1, 2) and len(small[2][0][1]) == 1
    monkeypatch.setattr(engine_mod, "BIG_MATCH", 0)
    eng.backend_index.forget()
    assert seen(eng.search("прифронтових сіл")) == small
    eng.close()


def test_a_group_is_shown_oldest_first_and_undated_last():
    import datetime as dt

    from searchkit.models import Article, group_order

    undated = Article(id="b", title="Без дати", text="Міст відкрили.")
    older = Article(id="c", title="Раніше", text="Міст відкрили.", date=dt.date(2023, 5, 9))
    newer = Article(id="a", title="Пізніше", text="Міст відкрили.", date=dt.date(2023, 5, 10))
    twin = Article(id="a0", title="Теж без дати", text="Міст відкрили.")
    assert [a.id for a in group_order([undated, newer, twin, older])] == ["c", "a", "a0", "b"]


def test_the_group_of_an_id_typed_decomposed_holds_the_ids_as_stored(tmp_path: Path):
    e = imported(tmp_path, [{"id": "ї-1", "text": STORY}, {"id": "ї-2", "text": COPY}, {"id": "інша", "text": OTHER}])
    typed = unicodedata.normalize("NFD", "ї-1")  # as a macOS file name spells it
    assert e.duplicate_group(typed) == e.duplicate_group("ї-1") == ("ї-1", "ї-2")
    assert e.duplicates(typed) == ("ї-2",)
    r = CliRunner().invoke(main, ["--home", str(e.home), "duplicates", typed, "--json"])
    assert r.exit_code == 0 and json.loads(r.output) == [["ї-1", "ї-2"]]
    assert e.duplicate_group("інша") == ()
    e.close()


def test_a_story_with_many_copies_names_the_first_few_ids_on_screen_and_all_in_json(tmp_path):
    copies = [{"id": f"c{i:02}", "title": "Мости на Харківщині відбудують", "text": COPY,
               "date": f"2023-05-{10 + i % 18:02}", "source": f"Видання {i}"} for i in range(12)]
    e = imported(tmp_path, [ARTICLES[0], *copies])
    e.close()
    runner = CliRunner()
    r = runner.invoke(main, ["--home", str(e.home), "search", "мости"])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if "similar" in x)
    assert line.strip().startswith("+12 similar (first published 2023-05-10): ") and line.endswith(" … and 7 more")
    assert len(line.split(": ", 1)[1].split(" … ")[0].split(", ")) == 5
    r = runner.invoke(main, ["--home", str(e.home), "search", "мости", "--json"])
    assert len(json.loads(r.output)["hits"][0]["duplicates"]) == 12
