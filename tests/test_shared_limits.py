"""One set of query limits for both backends: the OpenSearch compiler refuses what the
embedded index refuses, with the same message, and compiles no more clauses than it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from searchkit import Engine
from searchkit.backends.opensearch.query import Compiler
from searchkit.errors import QueryError
from searchkit.query import limits
from searchkit.query.parse import parse_query
from searchkit.text.analysis import default_analyzer

from .test_osquery import WordSet, find

WORDS = ("школа вчитель урок місто район новина село зима весна літо осінь дорога ліс річка поле хата "
         "вулиця парк міст сад площа храм ринок вокзал").split()


def os_compile(text: str) -> dict[str, Any]:
    return Compiler(default_analyzer(), parse_query(text), WordSet(set(WORDS) | {"київ"})).run()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("limits")
    with open(root / "feed.jsonl", "w", encoding="utf-8") as f:
        for i, w in enumerate(WORDS):
            f.write(json.dumps({"id": f"s{i}", "text": f"У Києві {w} і {WORDS[i - 1]} стоять поруч."},
                               ensure_ascii=False) + "\n")
    eng = Engine.init(root / "home")
    eng.import_paths([root / "feed.jsonl"])
    yield eng
    eng.close()


REFUSED = [
    '"' + " ".join(WORDS[i % len(WORDS)] + "ові" * (i // len(WORDS)) for i in range(40)) + '"',  # 40-word phrase
    " OR ".join(f"{w[:3]}*" for w in WORDS[:17]),  # 17 prefix words
    " ".join(f"{w}~1" for w in WORDS[:17]),  # 17 fuzzy words
    "к*",  # a one-letter prefix
    "/".join(["київ"] * 70),  # one "word" of 70 tokens
    "-".join(["київ"] * 70),  # one compound of 70 parts, each one looked up
]


@pytest.mark.parametrize("text", REFUSED)
def test_both_backends_refuse_the_same_queries_with_the_same_message(small: Engine, text: str) -> None:
    with pytest.raises(QueryError) as embedded:
        small.search(text)
    with pytest.raises(QueryError) as cluster:
        os_compile(text)
    assert str(cluster.value) == str(embedded.value)


def test_a_word_typed_thirty_times_is_one_clause_on_the_cluster() -> None:
    assert os_compile(" ".join(["київ"] * 30)) == os_compile("київ")


def test_proximity_boosts_on_the_cluster_look_at_the_first_words_only() -> None:
    dsl = os_compile(" ".join(WORDS))  # 24 words: 23 pairs, of which the first 11 are boosted
    pairs = limits.MAX_PROXIMITY_WORDS - 1
    assert len(find(dsl, "span_near")) == 2 * pairs  # side by side and near, for each pair


def test_fuzzy_expansion_on_the_cluster_is_the_shared_cap() -> None:
    dsl = os_compile("школа~1")
    assert set(find(dsl, "max_expansions")) == {limits.MAX_EXPANSION}


#: Over :data:`limits.MAX_EXPANSION` words that begin with ``по``: ``поабв``, ``поабг``, ...
WIDE = [f"по{a}{b}{c}" for a in "абвгд" for b in "абвгдежзиклмнопрстуфхцчшщюя"
        for c in "абвгдежзиклмнопрстуфхцчшщюя"][:limits.MAX_EXPANSION + 20]


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("wide")
    with open(root / "feed.jsonl", "w", encoding="utf-8") as f:
        for i in range(0, len(WIDE), 100):
            f.write(json.dumps({"id": f"w{i}", "text": "Мова. " + " ".join(WIDE[i:i + 100])}, ensure_ascii=False)
                    + "\n")
    eng = Engine.init(root / "home")
    eng.import_paths([root / "feed.jsonl"])
    yield eng
    eng.close()


@pytest.mark.parametrize("text", ["по*", "мова -по*", "мова OR по*", '"мова" по*'])
def test_a_prefix_of_over_a_thousand_words_is_refused_by_both_backends_alike(wide: Engine, text: str) -> None:
    with pytest.raises(QueryError) as embedded:
        wide.search(text)
    with pytest.raises(QueryError) as cluster:
        Compiler(default_analyzer(), parse_query(text), WordSet({*WIDE, "мова"})).run()
    assert str(cluster.value) == str(embedded.value) == (
        f"по* matches too many words (over {limits.MAX_EXPANSION}); make it more specific")


def test_a_narrower_prefix_of_the_same_words_is_searched_by_both_backends(wide: Engine) -> None:
    assert wide.search("поа*").total
    assert find(Compiler(default_analyzer(), parse_query("поа*"), WordSet(set(WIDE))).run(), "prefix")
