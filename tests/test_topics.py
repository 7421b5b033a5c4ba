"""Ranking by topic: the archive's topic model (searchkit.text.topics), learnt when an index
is built, and the first results ordered within their tiers by how close each article is to
the query's subject (searchkit.answers.topical)."""

from __future__ import annotations

import random
from collections.abc import Iterable

import pytest

from searchkit import Engine
from searchkit.answers import topical
from searchkit.text import topics
from searchkit.text.analysis import default_analyzer

from .conftest import write_jsonl

GARDEN = ["На городі посадили моркву і цибулю.", "Розсада помідорів виросла на підвіконні.",
          "Свіжі овочі корисні для здоров'я дітей.", "Морква і капуста дали добрий урожай.",
          "Город поливають щовечора теплою водою.", "Огірки та кабачки збирають у серпні.",
          "Овочі з власного городу смачніші за привозні."]
COURT = ["Суд виніс вирок обвинуваченому.", "Адвокат оскаржив рішення суду.",
         "Прокурор вимагав суворого покарання.", "Свідки дали показання в залі засідань.",
         "Апеляційний суд переглянув справу.", "Суддя оголосив перерву до понеділка."]
SPORT = ["Футбольна команда виграла матч.", "Тренер похвалив гравців після гри.",
         "Стадіон заповнили вболівальники.", "Нападник забив гол у другому таймі.",
         "Чемпіонат завершився перемогою господарів.", "Воротар відбив пенальті."]


def archive(n_each: int = 20, seed: int = 3) -> list[dict[str, str]]:
    """Articles on three subjects, each of four sentences of its subject."""
    rnd = random.Random(seed)
    rows = []
    for name, pool in (("g", GARDEN), ("c", COURT), ("s", SPORT)):
        for i in range(n_each):
            rows.append({"id": f"{name}{i:02d}", "title": f"Новина {name}{i}", "text": " ".join(rnd.sample(pool, 4))})
    # the same two words said once, in an article on gardens and in a shorter one on a trial
    said = "Салати з нового урожаю."
    rows.append({"id": "garden", "title": "Сезон", "text": " ".join([said, *GARDEN[:2], *GARDEN[4:6]])})
    rows.append({"id": "trial", "title": "Сезон", "text": " ".join([said, *COURT[:3]])})
    return rows


def counts(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, lemmas, _ in default_analyzer().words(text):
        for lemma in lemmas:
            out[lemma] = out.get(lemma, 0) + 1
    return out


#: Three subjects: a model of as many topics generalises from them (one of 128 topics
#: would keep every sentence of this small archive apart, as it keeps an archive's words).
SUBJECTS = 3


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("topics")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(topics, "DIMENSIONS", SUBJECTS)
        eng = Engine.init(root / "home")
        eng.import_paths([write_jsonl(root / "feed.jsonl", archive())])
        eng.close()
    return root / "home"


# -- the model ---------------------------------------------------------------------------------

def test_words_used_in_the_same_articles_lie_close_in_the_model():
    m = topics.train([counts(r["text"]) for r in archive()], dimensions=SUBJECTS)
    assert m is not None
    q = m.query_vector([("суд",)])
    on_trials = m.similarity(q, m.document_vector(counts("Адвокат і прокурор говорили про вирок.")))
    on_gardens = m.similarity(q, m.document_vector(counts("Морква і капуста на городі.")))
    assert on_trials > 0.5 > on_gardens


def test_the_same_articles_learn_the_same_model_and_in_another_order_one_that_ranks_alike():
    docs = [counts(r["title"] + " " + r["text"]) for r in archive()]
    a, b, c = (topics.train(d, dimensions=SUBJECTS) for d in (docs, list(docs), list(reversed(docs))))
    assert a is not None and b is not None and c is not None and a.digest == b.digest
    q = [("суд",), ("урожай",)]
    for doc in docs:
        assert abs(a.similarity(a.query_vector(q), a.document_vector(doc))
                   - c.similarity(c.query_vector(q), c.document_vector(doc))) < 0.01


def test_a_model_survives_its_bytes_and_junk_is_refused():
    m = topics.train([counts(r["text"]) for r in archive()])
    assert m is not None
    back = topics.TopicModel.from_bytes(m.to_bytes())
    assert back.digest == m.digest and back.articles == m.articles
    empty = topics.TopicModel.from_bytes(topics.TopicModel.empty(60).to_bytes())
    assert (empty.articles, empty.terms, empty.query_vector([("суд",)])) == (60, (), None)
    with pytest.raises(ValueError, match="not a topic model"):
        topics.TopicModel.from_bytes(b"not a model")
    damaged = bytearray(m.to_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # inside an array: its checksum fails
    with pytest.raises(ValueError, match="not a topic model"):
        topics.TopicModel.from_bytes(bytes(damaged))


def test_too_few_or_identical_articles_learn_no_model():
    assert topics.train([counts("Суд виніс вирок.")] * 2) is None
    # every lemma in every article weighs nothing: there is nothing to learn
    assert topics.train([counts("Суд виніс вирок обвинуваченому.")] * 60) is None


def test_what_the_model_does_not_know_has_no_vector_and_no_similarity():
    m = topics.train([counts(r["text"]) for r in archive()])
    assert m is not None
    assert m.document_vector({"ґринджоли": 3}) == b""
    assert m.query_vector([("ґринджоли",)]) is None
    assert m.similarity(m.query_vector([("суд",)]), b"") == 0.0


# -- learnt when the index is built ------------------------------------------------------------

def topics_of(eng: Engine, query: str, ids: Iterable[str]) -> dict[str, float | None]:
    """How close each article is to ``query``'s subject, as explain says (``None``: the
    index has no topic model; 0: the article has no vector by it)."""
    return {i: eng.explain(query, i).topic for i in ids}


def test_an_archive_learns_its_model_when_first_built_and_every_hit_carries_its_vector(home):
    eng = Engine(home)
    assert eng.stats().topics_learnt_from == len(archive())
    hits = eng.search("суд", limit=100, collapse=False).hits
    # an article without a vector is 0 from every query: each of these is on trials
    assert hits and all(t is not None and t > 0.5 for t in topics_of(eng, "суд", (h.id for h in hits)).values())
    eng.close()


def test_a_rebuild_learns_the_same_model_as_the_first_import(home, monkeypatch):
    monkeypatch.setattr(topics, "DIMENSIONS", SUBJECTS)
    eng = Engine(home)
    some = ("garden", "trial", "c00", "g00", "s00")
    before = (eng.stats().topics_learnt_from, topics_of(eng, "салати урожаю", some))
    eng.index(rebuild=True)
    after = (eng.stats().topics_learnt_from, topics_of(eng, "салати урожаю", some))
    eng.close()
    assert before[0] == len(archive()) and None not in before[1].values()
    assert after == before  # the same model: the same vectors, to the last bit


def test_a_small_archive_learns_none_and_learns_once_it_has_grown(tmp_path):
    rows = archive()
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", rows[:10])])
    assert eng.stats().topics_learnt_from == 0
    hits = eng.search("Новина", limit=100).hits
    assert hits and set(topics_of(eng, "Новина", (h.id for h in hits)).values()) == {None}
    report = eng.import_paths([write_jsonl(tmp_path / "b.jsonl", rows[10:])])
    assert report.added == len(rows) - 10 and eng.stats().topics_learnt_from == len(rows)
    eng.close()


def test_an_import_gives_new_articles_vectors_by_the_model_the_index_holds(home, tmp_path):
    eng = Engine(home)
    some = ("garden", "trial", "c00")
    before = topics_of(eng, "суд", some)
    eng.import_paths([write_jsonl(tmp_path / "one.jsonl", [{"id": "late", "title": "Пізня новина",
                                                             "text": "Суд переглянув вирок."}])])
    # not learnt again for one article: learnt from as many, the old vectors as they were
    assert eng.stats().topics_learnt_from == len(archive())
    assert topics_of(eng, "суд", some) == before
    late = eng.explain("суд", "late").topic  # the new article has a vector by the model
    eng.delete(["late"])
    eng.close()
    assert late is not None and late > 0.5


# -- the first results ordered by topic -------------------------------------------------------

def test_an_article_about_the_subject_ranks_before_one_that_names_it_in_passing(home, monkeypatch):
    eng = Engine(home)
    ranked = [h.id for h in eng.search("салати урожаю", limit=10).hits]
    monkeypatch.setattr(topical, "WEIGHT", 0.0)  # the words alone
    monkeypatch.setattr(topical, "WEIGHT_MANY", 0.0)
    by_words = [h.id for h in eng.search("салати урожаю", limit=10).hits]
    eng.close()
    # the shorter text on a trial scores higher by the words; the garden one is about food
    assert by_words.index("trial") < by_words.index("garden")
    assert ranked.index("garden") < ranked.index("trial")


def test_the_articles_with_every_word_stay_before_the_partial_matches(home):
    eng = Engine(home)
    res = eng.search("салати помідорів", limit=30)
    every = {h.id for h in eng.search("салати помідорів", limit=30, partial=False).hits}
    eng.close()
    assert 0 < res.matched_all < len(res.hits)
    assert {h.id for h in res.hits[:res.matched_all]} == every


def test_a_partial_match_holding_more_words_stays_first_whatever_its_score_and_topic():
    from searchkit.backends.records import RawHit

    m = topics.train([counts(r["text"]) for r in archive()], dimensions=SUBJECTS)
    assert m is not None
    on_trials, on_gardens = (m.document_vector(counts(t)) for t in (" ".join(COURT), " ".join(GARDEN)))

    def hit(i: str, score: float, held: int | None, topic: bytes) -> RawHit:
        return RawHit(id=i, title="", day=None, source=None, path="", score=score, topic=topic, held=held)

    hits = [hit("all", 1.0, None, on_gardens), hit("three", 2.0, 3, on_gardens), hit("two-far", 50.0, 2, on_gardens),
            hit("two-near", 40.0, 2, on_trials), hit("one", 900.0, 1, on_trials)]
    ordered = [h.id for h in topical.reorder(hits, 1, m, [("суд",)])]
    # the count of words held decides first (the backends rank so); the topic, within it
    assert ordered == ["all", "three", "two-near", "two-far", "one"]


def test_the_topic_weighs_more_where_many_articles_hold_every_word():
    from searchkit.backends.records import RawHit

    m = topics.train([counts(r["text"]) for r in archive()], dimensions=SUBJECTS)
    assert m is not None
    query = m.query_vector([("урожай",), ("морква",)])
    on_trials, on_gardens = (m.document_vector(counts(t)) for t in (" ".join(COURT), " ".join(GARDEN)))
    near, far = m.similarity(query, on_gardens), m.similarity(query, on_trials)
    assert near > far
    # the text on a trial scores higher by the words, by a ratio that the topic outweighs
    # at WEIGHT_MANY and not at WEIGHT
    few = (1 + topical.WEIGHT * near) / (1 + topical.WEIGHT * far)
    many = (1 + topical.WEIGHT_MANY * near) / (1 + topical.WEIGHT_MANY * far)
    hits = [RawHit(id="trial", title="", day=None, source=None, path="", score=(few + many) / 2, topic=on_trials),
            RawHit(id="garden", title="", day=None, source=None, path="", score=1.0, topic=on_gardens)]
    words = [("урожай",), ("морква",)]
    assert [h.id for h in topical.reorder(hits, 2, m, words, matched=topical.MANY - 1)] == ["trial", "garden"]
    assert [h.id for h in topical.reorder(hits, 2, m, words, matched=topical.MANY)] == ["garden", "trial"]
    # (near-duplicates folded or not, the same count decides: the hits' tiers are apart)
    assert [h.id for h in topical.reorder(hits, 2, m, words)] == ["trial", "garden"]


def test_pages_of_the_reordered_results_list_each_article_once(home):
    eng = Engine(home)
    whole = [h.id for h in eng.search("новина", limit=40, collapse=False).hits]
    pages = [h.id for p in range(1, 9) for h in eng.search("новина", limit=5, page=p, collapse=False).hits]
    eng.close()
    assert len(whole) == 40 and pages == whole  # (the first 30 reordered, the rest as ranked)


def test_a_page_ordered_by_topic_against_its_scores_says_so_and_one_in_score_order_does_not(home, monkeypatch):
    # (the shorter text on a trial scores higher by the words, and is listed after the one on gardens)
    eng = Engine(home)
    unordered = eng.search("салати урожаю", limit=10)
    in_order = eng.search("суд", limit=10)
    past_the_window = eng.search("новина", limit=5, page=7, collapse=False)  # (results 31-35)
    monkeypatch.setattr(topical, "WEIGHT", 0.0)  # the words alone
    monkeypatch.setattr(topical, "WEIGHT_MANY", 0.0)
    by_words = eng.search("салати урожаю", limit=10)
    eng.close()
    assert [h.id for h in unordered.hits[:2]] == ["garden", "trial"]
    assert unordered.hits[0].score < unordered.hits[1].score  # type: ignore[operator]
    assert unordered.topic_order and unordered.to_json()["topic_order"] is True
    for res in (in_order, past_the_window, by_words):
        scores = [h.score for h in res.hits]
        assert len(scores) > 1
        assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
        assert not res.topic_order and "topic_order" not in res.to_json()


def test_a_partial_match_scoring_above_an_article_with_every_word_or_a_difference_not_shown_is_no_topic_order():
    # (the groups say that order: the line between them, "with some of the words")
    from searchkit.backends.records import RawHit

    def hit(i: str, score: float, held: int | None) -> RawHit:
        return RawHit(id=i, title="", day=None, source=None, path="", score=score, held=held)

    tiers = [hit("all", 1.0, None), hit("two", 5.0, 2), hit("one", 9.0, 1), hit("one-low", 2.0, 1)]
    assert not topical.out_of_order(tiers, 1, 0)
    assert topical.out_of_order([*tiers, hit("one-lifted", 3.0, 1)], 1, 0)  # within its group
    assert not topical.out_of_order(tiers[1:], 1, 1)  # (a page from the second result on)
    assert topical.out_of_order([hit("a", 1.0, None), hit("b", 2.0, None)], 5, 3)
    assert not topical.out_of_order([hit("a", 2.326, None), hit("b", 2.332, None)], 5, 3)  # (shown: 2.33 twice)


def test_the_search_command_says_once_beside_the_hits_that_their_scores_are_not_in_order(home):
    from click.testing import CliRunner

    from searchkit.cli import main

    def search(*args: str) -> str:
        r = CliRunner().invoke(main, ["--home", str(home), "search", *args])
        assert r.exit_code == 0, r.output
        return r.output

    said = "Scores not in order: the first 30 results are ordered by topic as well"
    lines = search("салати урожаю").splitlines()
    assert lines.count(said) == 1 and lines.index(said) == 1  # under the header, over the hits
    assert lines[0].startswith("5 matches (1–5 of 5)")
    assert said not in search("суд")  # (its scores are in order)
    for fmt in (["--json"], ["--format", "csv"], ["--format", "jsonl"]):
        assert said not in search("салати урожаю", *fmt)  # (JSON says it in "topic_order")


def test_an_archive_learns_again_at_four_times_its_model_up_to_the_sample():
    from searchkit.ingest.topics import outgrown

    def learnt_from(n: int) -> topics.TopicModel:
        return topics.TopicModel(("а", "б"), topics.np.zeros((2, 1), dtype=topics.np.float16),
                                 topics.np.ones(2, dtype=topics.np.float32), n)

    assert not outgrown(None, topics.MIN_ARTICLES - 1) and outgrown(None, topics.MIN_ARTICLES)
    assert not outgrown(learnt_from(50), 199) and outgrown(learnt_from(50), 200)
    assert not outgrown(learnt_from(topics.SAMPLE), 1_000_000)  # then only `index --rebuild`


def test_articles_that_give_no_topics_are_not_learnt_from_again_at_every_import(tmp_path):
    # each article's words are its own: nothing to learn, and an import of one more
    # article must not rebuild the index to try again
    rnd = random.Random(5)
    letters = "абвгдежзиклмнопрстуфхцчшщюя"

    def word() -> str:
        return "".join(rnd.choice(letters) for _ in range(9))

    rows = [{"id": f"x{i:03d}", "title": word(), "text": f"{word()} {word()}."} for i in range(topics.MIN_ARTICLES + 5)]
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", rows)])
    assert eng.stats().topics_learnt_from == 0
    indexed: list[int | None] = []
    eng.import_paths([write_jsonl(tmp_path / "b.jsonl", [{"id": "y", "title": word(), "text": word()}])],
                     index_progress=lambda done, total: indexed.append(total))
    assert indexed and set(indexed) == {1}  # the new article alone, not the whole archive again
    assert eng.search(rows[3]["title"]).hits[0].id == "x003"
    eng.close()


def test_a_sample_is_spread_over_the_whole_archive():
    from searchkit.ingest.topics import spread

    sample = spread([f"{i:05d}" for i in range(10_000)], 4)
    assert sample == ["00000", "02500", "05000", "07500"]


def test_stats_say_how_many_articles_the_topic_model_was_learnt_from(home, tmp_path):
    eng = Engine(home)
    assert eng.stats().topics_learnt_from == len(archive())
    assert eng.stats().to_json()["topics_learnt_from"] == len(archive())
    eng.close()
    small = Engine.init(tmp_path / "small")
    small.import_paths([write_jsonl(tmp_path / "few.jsonl", archive()[:5])])
    assert small.stats().topics_learnt_from == 0
    small.close()


def test_explain_gives_the_topic_cosine_and_the_factor_that_orders_the_first_results(home, tmp_path):
    eng = Engine(home)
    garden, trial = (eng.explain("салати урожаю", i) for i in ("garden", "trial"))
    eng.close()
    assert garden.topic is not None and trial.topic is not None and garden.topic > trial.topic
    # (two articles hold both words: the topic weighs WEIGHT, as it did in their search)
    assert garden.topic_factor == pytest.approx(1 + topical.WEIGHT * garden.topic)
    assert garden.to_json()["topic"]["window"] == topical.WINDOW
    eng = Engine(home)
    res = eng.search("новина суд", limit=1, collapse=False)
    court = eng.explain("новина суд", res.hits[0].id)
    eng.close()
    assert res.matched_all >= topical.MANY and court.topic is not None
    assert court.topic_factor == pytest.approx(1 + topical.WEIGHT_MANY * court.topic)
    small = Engine.init(tmp_path / "small")
    small.import_paths([write_jsonl(tmp_path / "few.jsonl", archive()[:5])])
    assert small.explain("суд", "g00").topic is None and "topic" not in small.explain("суд", "g00").to_json()
    small.close()


def test_explain_gives_the_place_the_topic_order_lists_an_article_at(home):
    from click.testing import CliRunner

    from searchkit.cli import main

    eng = Engine(home)
    hits = eng.search("салати урожаю", limit=30).hits
    listed = {art: (place, hit.id) for place, hit in enumerate(hits, 1) for art in (hit.id, *hit.duplicates)}
    explained = {art: eng.explain("салати урожаю", art) for art in listed}
    eng.close()
    # the text on a trial scores best by the words; the topic lists the garden one first
    trial = explained["trial"]
    assert trial.score_rank == 1 and trial.rank == listed["trial"][0] == 2
    for art, (place, hit_id) in listed.items():
        ex = explained[art]
        assert (ex.rank, ex.listed_under or art, ex.in_search_order) == (place, hit_id, True), art
    r = CliRunner().invoke(main, ["--home", str(home), "explain", "салати урожаю", "trial"])
    assert r.exit_code == 0
    assert "matches: place 2 in the search, score" in r.output and "(by score alone: rank 1 of all matches)" in r.output
    assert "(the place above is in that order)" in r.output


def test_a_word_typed_in_latin_letters_is_ordered_by_the_topic_of_the_word_it_was_searched_as(home):
    eng = Engine(home)
    latin, cyrillic = (eng.explain(q, "c00") for q in ("sud", "суд"))
    order = [[h.id for h in eng.search(q, limit=30).hits] for q in ("sud", "суд")]
    eng.close()
    assert latin.searched_as == ("суд",) and latin.topic is not None
    assert latin.topic == pytest.approx(cyrillic.topic) and order[0] == order[1]


_ENDING = """
import sys, time
from pathlib import Path
from searchkit.backends.opensearch import topicstore

folder = Path(sys.argv[1])

def hangs():  # (a node that never answers)
    time.sleep(60)
    topicstore.keep(folder, "news-g2", b"never")

def answers():  # (a read that ends while the process does)
    time.sleep(1)
    topicstore.keep(folder, "news-g1", b"model")

topicstore.read_in_background(hangs)
topicstore.read_in_background(answers)
print("answered")
"""


def test_a_process_ends_soon_after_its_answer_and_keeps_the_copies_read_meanwhile(tmp_path):
    import subprocess
    import sys
    import time

    from searchkit.backends.opensearch import topicstore

    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _ENDING, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "answered\n", done.stderr
    assert time.monotonic() - began < topicstore.EXIT_SECONDS + 5  # (not the hanging read's 60 s)
    assert [p.name for p in tmp_path.iterdir()] == ["news-g1.npz"]  # whole, and nothing begun after
    assert (tmp_path / "news-g1.npz").read_bytes() == b"model"
