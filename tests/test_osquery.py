"""Documents and queries translated for OpenSearch (pure: no cluster needed)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from searchkit.backends.opensearch.query import SEP, Compiler, index_body, stacked_text, to_source
from searchkit.backends.records import Ranking
from searchkit.backends.whoosh import positions_of, prepare_document
from searchkit.errors import QueryError
from searchkit.models import Article
from searchkit.query.parse import parse_query
from searchkit.text.analysis import default_analyzer


class WordSet:
    """The index's vocabulary as a plain set of words (what the compiler may ask)."""

    def __init__(self, words: set[str]) -> None:
        self.words = words

    def has_word(self, word: str) -> bool:
        return word in self.words

    def has_prefix(self, prefix: str) -> bool:
        return any(w.startswith(prefix) for w in self.words)

    def prefix_terms(self, fields: Sequence[str], prefix: str, most: int) -> list[list[str]]:
        return [sorted(w for w in self.words if w.startswith(prefix))[:most] for _ in fields]

    def doc_frequency(self, field: str, term: str) -> int:
        return int(term in self.words)

    def doc_count(self) -> int:
        return 1  # one article holding every word


def compile_(text: str, words: set[str] | None = None) -> tuple[dict[str, Any], Compiler]:
    c = Compiler(default_analyzer(), parse_query(text), WordSet(words or set()))
    return c.run(), c


def find(node: Any, key: str) -> list[Any]:
    """Every value under ``key`` anywhere in a DSL tree."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                out.append(v)
            out.extend(find(v, key))
    elif isinstance(node, list):
        for v in node:
            out.extend(find(v, key))
    return out


def test_stacked_text_puts_all_lemmas_of_a_word_in_one_slot() -> None:
    assert stacked_text({"новий": [0], "рік": [1, 3], "рок": [1], "щасливий": [2]}) == "новий рік|рок щасливий рік"


def test_document_keeps_positions_of_the_whoosh_document() -> None:
    art = Article(id="x1", title="Новий рік", text="Минулого року в Києві було тепло.", source="Тест")
    doc = prepare_document(art, default_analyzer(), "ab/x1.json", "1-2")
    src = to_source(doc)
    slots = src["body"].split(" ")
    assert len(slots) == 6  # one slot per word, whatever the number of lemmas
    assert "рік" in slots[1].split(SEP)
    assert src["forms"].split(" ").count("року") == 1
    assert src["title_text"] == "Новий рік" and src["source_key"] == "тест"
    assert json.dumps(src)  # plain JSON


def test_every_term_survives_the_slot_encoding() -> None:
    # apostrophes and hyphens stay inside terms; the separator and spaces never occur in them
    art = Article(id="x", title="Івано-Франківськ", text="політв’язні, COVID-19 і 2024 рік; рок-н-рол")
    doc = prepare_document(art, default_analyzer(), "p", "s")
    for field in ("title", "body"):
        terms = positions_of(doc[field])
        for term in terms:
            assert SEP not in term and not any(ch.isspace() for ch in term)
        decoded = {t for slot in stacked_text(terms).split(" ") for t in slot.split(SEP)}
        assert decoded == set(terms)


def test_a_word_searches_its_lemmas_in_title_and_body_with_the_title_boosted() -> None:
    dsl, c = compile_("року")
    terms = find(dsl, "term")
    fields = {(f, v["value"]): v["boost"] for t in terms for f, v in t.items()}
    assert fields[("title", "рік")] == 2.0 and fields[("body", "рік")] == 1.0
    assert ("forms", "року") in fields  # the booster for the very form typed
    assert "рік" in c.lemmas and "року" in c.forms


def test_all_words_are_required() -> None:
    dsl, _ = compile_("мовні табори")
    assert len(dsl["bool"]["must"][0]["bool"]["must"]) == 2
    near = find(dsl, "span_near")
    assert near and near[0]["slop"] == 2 and near[0]["in_order"] is False


def test_phrase_is_a_multi_phrase_over_lemma_slots() -> None:
    dsl, _ = compile_('"мовні табори"')
    phrases = find(dsl, "match_phrase")
    assert {next(iter(p)) for p in phrases} == {"title", "body"}
    for p in phrases:
        spec = next(iter(p.values()))
        assert spec["slop"] == 0
        assert [set(slot.split(SEP)) >= {lemma} for slot, lemma in zip(spec["query"].split(" "), ["мовний", "табір"],
                                                                         strict=True)] == [True, True]


def test_negation_becomes_must_not() -> None:
    dsl, _ = compile_("Лукашенко -Путін")
    required = dsl["bool"]["must"][0]["bool"]
    assert len(required["must"]) == 1 and len(required["must_not"]) == 1


def test_or_needs_one_side() -> None:
    dsl, _ = compile_("Київ OR Харків")
    required = dsl["bool"]["must"][0]["bool"]
    assert required["minimum_should_match"] == 1 and len(required["should"]) == 2


def test_a_plus_and_a_minus_behind_a_field_compile_as_the_plus_alone() -> None:
    # (`title:+-мова` was searched as an optional word: its partial matches needed no `мова`)
    words = {"мова", "школа"}
    typed, typed_c = compile_("title:+-мова школа", words)
    plus, plus_c = compile_("title:+мова школа", words)
    assert typed == plus
    relaxed = typed_c.run_relaxed(typed)
    assert relaxed == plus_c.run_relaxed(plus)
    assert [{"term": {"title": {"value": "мова", "boost": 1.0}}}] in find(relaxed, "filter")


def test_title_field_searches_only_the_title() -> None:
    dsl, _ = compile_("title:санкції")
    assert {f for t in find(dsl, "term") for f in t} == {"title", "forms"}


@pytest.mark.parametrize(("ukrainian", "english"), [("заголовок:санкції", "title:санкції"),
                                                     ('Назва:"нові санкції"', 'title:"нові санкції"'),
                                                     ("ТЕКСТ:(санкц* OR ембарго)", "text:(санкц* OR ембарго)")])
def test_a_field_named_in_ukrainian_is_sent_to_the_cluster_as_the_english_one(ukrainian: str, english: str) -> None:
    words = {"санкції", "санкція", "нові", "новий", "ембарго"}
    assert compile_(ukrainian, words)[0] == compile_(english, words)[0]
    assert compile_("заголовок:санкції", words)[0] != compile_("санкції", words)[0]


def test_prefix_and_fuzzy_score_a_constant() -> None:
    dsl, c = compile_("лукаш*")
    assert {f for p in find(dsl, "prefix") for f in p} == {"title", "body", "forms"}
    assert c.prefixes == ["лукаш"]
    dsl, c = compile_("Лукашенко~2")
    fuzzy = find(dsl, "fuzzy")
    assert all(spec["rewrite"] == "constant_score" and spec["fuzziness"] == 2 for f in fuzzy for spec in f.values())
    assert ("forms", "лукашенко", 2) in c.fuzzy


def test_too_short_prefix_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="too short"):
        compile_("л*")


def test_mapping_declares_the_stacking_analyzer_and_the_meta() -> None:
    body = index_body({"analyzer": "3", "format": "1", "lexicon": ""}, shards=3, replicas=1)
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["sk_stacked"]["filter"] == ["sk_lemmas"]
    assert analysis["filter"]["sk_lemmas"]["type"] == "pattern_capture"
    assert body["mappings"]["_meta"]["searchkit"]["analyzer"] == "3"
    assert body["settings"]["index"] == {"number_of_shards": 3, "number_of_replicas": 1}


def test_the_cluster_index_scores_with_the_rankings_bm25_parameters() -> None:
    meta = {"analyzer": "3", "format": "1", "lexicon": ""}
    default = index_body(meta, shards=1, replicas=0)["settings"]["similarity"]["sk_bm25"]
    assert (default["k1"], default["b"]) == (Ranking().k1, Ranking().b)
    tuned = index_body(meta, shards=1, replicas=0, ranking=Ranking(k1=1.2, b=0.5))["settings"]["similarity"]
    assert (tuned["sk_bm25"]["k1"], tuned["sk_bm25"]["b"]) == (1.2, 0.5)


def test_neighbouring_words_get_an_ordered_and_an_unordered_booster() -> None:
    dsl, c = compile_("мовні табори")
    spans = find(dsl, "span_near")
    assert sorted((s["in_order"], s["slop"]) for s in spans) == [(False, 2), (True, 0)]
    assert {p.kind for p in c.parts} >= {"term", "near", "phrase"}


def test_a_word_that_is_also_a_relative_of_its_neighbour_keeps_its_span() -> None:
    dsl, _ = compile_("вибухових метеоритної метеорити", {"вибуховий", "вибух", "метеоритний", "метеорит"})
    ors = find(dsl, "span_or")
    assert ors and all(o["clauses"] for o in ors)
    assert {"span_term": {"body": "метеоритний"}} in [c for o in ors for c in o["clauses"]]


def test_a_stop_word_is_optional_and_does_not_break_the_pairing() -> None:
    dsl, _ = compile_("війна в Україні")
    required = dsl["bool"]["must"][0]["bool"]
    assert len(required["must"][0]["bool"]["must"]) == 2  # війна, Україна
    assert required["should"]  # "в" only adds to the score
    ordered = [s for s in find(dsl, "span_near") if s["in_order"]]
    assert ordered and ordered[0]["slop"] == 1  # one word may stand between them


def test_a_latin_word_also_searches_the_cyrillic_word_the_index_has() -> None:
    dsl, c = compile_("Kyiv", words={"київ"})
    values = {v["value"] for t in find(dsl, "term") for v in t.values()}
    assert "київ" in values and "kyiv" in values
    assert c.searched_as == {"Kyiv": "Київ"}


def test_a_compound_typed_apart_also_searches_the_word_the_index_has() -> None:
    # (the embedded index compiles the same tree: tests/test_joined_words.py)
    def values(dsl: dict[str, Any]) -> set[str]:
        return {v["value"] for t in find(dsl, "term") for v in t.values()}

    dsl, c = compile_("веб сайт", words={"вебсайт", "веб", "сайт"})
    assert "вебсайт" in values(dsl) and c.readings["веб"] == ("вебсайт",)
    assert "вебсайт" not in values(compile_("веб сайт", words={"веб", "сайт"})[0])  # (no article holds it)


def test_every_scoring_clause_is_listed_for_explain() -> None:
    dsl, c = compile_('"мовні табори" діти')
    kinds = {(p.kind, p.field) for p in c.parts}
    assert ("phrase", "title") in kinds and ("phrase", "body") in kinds and ("term", "forms") in kinds
    phrase = next(p for p in c.parts if p.kind == "phrase" and p.field == "body")
    assert ("body", "табір") in phrase.terms


def test_a_similar_query_holds_a_key_word_in_any_of_its_spellings() -> None:
    from searchkit.backends.opensearch.archive import similar_dsl
    from searchkit.query.similar import KeyWords

    key = KeyWords((("проєкт", 2.0, ("проєкт", "проект")), ("міст", 1.0, ("міст",))), need=2)
    dsl = similar_dsl(key, title_boost=3.0)
    scored = {(f, t["value"]) for clause in dsl["bool"]["should"] for f, t in clause["term"].items()}
    assert {("body", "проект"), ("title", "проект"), ("body", "проєкт")} <= scored
    held = dsl["bool"]["filter"][0]["bool"]
    assert held["minimum_should_match"] == 2 and len(held["should"]) == 2  # (one per key word)
    first = held["should"][0]["bool"]["should"]
    assert {t["term"]["body"] for t in first if "body" in t["term"]} == {"проєкт", "проект"}


@pytest.mark.parametrize(("typed", "keys"), [
    ("Київ Iнфо", ["київ iнфо", "київ інфо"]),  # a Latin I in a Cyrillic word
    ("Київ Інфо", ["київ інфо"]),
    ("BBC News", ["bbc news"]),  # a Latin word stays Latin
])
def test_a_source_filter_typed_with_latin_look_alikes_also_matches_the_cyrillic_key_as_the_embedded_index_does(
        typed: str, keys: list[str]) -> None:
    from whoosh import query

    from searchkit.backends.opensearch.query import filtered
    from searchkit.backends.whoosh.compiler import date_filter

    (clause,) = filtered({"match_all": {}}, None, None, typed)["bool"]["filter"]
    sent = clause["terms"]["source_key"] if "terms" in clause else [clause["term"]["source_key"]]
    assert sent == keys
    (embedded,) = date_filter(None, None, typed).subqueries
    terms = embedded.subqueries if isinstance(embedded, query.Or) else [embedded]
    assert [t.text for t in terms] == keys


def test_the_cluster_searches_the_words_in_a_near_operators_brackets_as_the_words_themselves():
    words = {"мова", "школа"}
    assert compile_("NEAR(мова школа)", words)[0] == compile_("мова школа", words)[0]
    assert compile_("мова AROUND(3) школа", words)[0] == compile_("мова школа", words)[0]


def test_the_cluster_searches_a_latin_name_as_the_word_it_spells_not_another_words_inflection():
    dsl, _ = compile_("Kyiv", {"київ", "кий"})
    assert "київ" in json.dumps(dsl, ensure_ascii=False)
    assert "кий" not in json.dumps(dsl, ensure_ascii=False)
