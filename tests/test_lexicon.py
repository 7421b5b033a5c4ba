import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.errors import LexiconError, QueryError
from searchkit.query.parse import And, Or, Phrase, Word, parse_query
from searchkit.query.synonyms import synonyms_of
from searchkit.text.analysis import Analyzer, analyze
from searchkit.text.lexicon import Lexicon, SynonymGroup

from .conftest import write_jsonl

LEXICON = """\
# lemma overrides
можна -> можна
Байрактара, Байрактаром -> Байрактар
русня
ковід\tковід

ЗСУ = Збройні сили України   # the army
ВР = Верховна Рада
"""


def test_lexicon_file_gives_overrides_new_words_and_synonym_groups():
    lex = Lexicon.parse(LEXICON)
    assert lex.lemmas == {"можна": ("можна",), "байрактара": ("байрактар",), "байрактаром": ("байрактар",),
                          "русня": ("русня",), "ковід": ("ковід",)}
    assert lex.synonyms == (SynonymGroup(("ЗСУ", "Збройні сили України"), 7),
                            SynonymGroup(("ВР", "Верховна Рада"), 8))


def test_repeated_form_collects_every_lemma():
    assert Lexicon.parse("воля -> воля\nволя -> воліти\n").lemmas == {"воля": ("воля", "воліти")}


def test_override_replaces_the_dictionary_lemmas():
    assert "можний" in analyze("можна")[0].lemmas
    (tok,) = Analyzer(Lexicon.parse("можна -> можна")).analyze("Можна")
    assert tok.lemmas == ("можна",) and tok.known


def test_override_forms_are_normalised_like_text():
    an = Analyzer(Lexicon.parse("Зеленськ\u0300ого -> Зеленський"))
    assert an.analyze("ЗЕЛЕНСЬКОГО")[0].lemmas == ("зеленський",)


@pytest.mark.parametrize("line, message", [
    ("можна -> ", "no lemma after `->`"),
    (" -> можна", "no word before `->`"),
    ("Збройні сили -> ЗСУ", "form 'Збройні сили' is not one word"),
    ("ЗСУ -> збройні сили", "lemma 'збройні сили' is not one word"),
    ("а -> б -> в", "more than one `->`"),
    ("ЗСУ = ", "empty side"),
    ("ЗСУ = ЗСУ", "two different sides"),
    ("ЗСУ = ... ", "has no words"),
    ("Київ = " + " ".join(["табір"] * 40), "a side of 40 words: a synonym may have at most 32"),
    ("ЗСУ -> армія = військо", "not both"),
    (" = ".join(f"слово{'абвгдежзик'[i % 10]}{'абвг'[i // 10]}" for i in range(33)),
     "a synonym group of 33 words: a group may have at most 32"),
    ("дві слова", "several words"),
    ("а\tб\tв", "two columns"),
    ("ЗСУ => армія", "`=>`, `<=` or `==` is no separator"),  # (it was the synonym "> армія")
    ("ЗСУ == армія", "is no separator"),
])
def test_bad_line_is_a_clear_error_naming_file_and_line(line, message):
    with pytest.raises(LexiconError) as err:
        Lexicon.parse(f"# comment\nможна -> можна\n{line}\n", name="lexicon.tsv")
    assert str(err.value).startswith("lexicon.tsv:3: ")
    assert message in str(err.value)


def test_missing_file_is_an_empty_lexicon(tmp_path):
    lex = Lexicon.load(tmp_path / "lexicon.tsv")
    assert not lex and lex.index_hash == ""


def test_file_that_is_not_utf8_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_bytes("можна -> можна\n".encode() + "ЗСУ = армія\n".encode("cp1251"))
    with pytest.raises(LexiconError, match=r"lexicon.tsv:2: not UTF-8"):
        Lexicon.load(path)


def test_index_hash_follows_lemmas_but_not_synonyms_or_comments():
    base = Lexicon.parse("можна -> можна\nЗСУ = Збройні сили України")
    assert base.index_hash
    assert Lexicon.parse("# note\nможна -> можна\n\nВР = Верховна Рада").index_hash == base.index_hash
    assert Lexicon.parse("можна -> можний").index_hash != base.index_hash
    assert Lexicon.parse("ЗСУ = армія").index_hash == ""


def expand(lexicon: str, query: str):
    syn = synonyms_of(Lexicon.parse(lexicon), Analyzer())
    return syn.expand(parse_query(query))


def test_abbreviation_expands_to_its_phrase():
    parsed, uses = expand("ЗСУ = Збройні сили України", "ЗСУ")
    assert parsed.root == Or((Word("ЗСУ"), Phrase(("Збройні", "сили", "України"))))
    assert [str(u) for u in uses] == ["ЗСУ = Збройні сили України"]


def test_inflected_phrase_in_the_query_expands_to_the_abbreviation():
    parsed, _ = expand("ЗСУ = Збройні сили України", "Збройних сил України Бахмут")
    words = (Word("Збройних"), Word("сил"), Word("України"))
    assert parsed.root == And((Or((And(words), Word("ЗСУ"))), Word("Бахмут")))


def test_field_and_negation_carry_over_to_synonyms():
    parsed, _ = expand("ВР = Верховна Рада", "title:ВР закон")
    assert parsed.root.items[0] == Or((Word("ВР", "title"), Phrase(("Верховна", "Рада"), "title")))
    parsed, _ = expand("ВР = Верховна Рада", "закон -ВР")
    assert parsed.root.items[1].item == Or((Word("ВР"), Phrase(("Верховна", "Рада"))))


def test_part_of_a_compound_is_not_taken_for_the_compound():
    parsed, uses = expand("Івано-Франківськ = Франик", "Франківськ")
    assert uses == () and parsed.root == Word("Франківськ")
    _, uses = expand("Івано-Франківськ = Франик", "Івано-Франківська")
    assert uses


def test_synonyms_that_make_a_query_too_long_say_the_lexicon_did():
    groups = "\n".join(" = ".join(f"{w}{i}" for i in range(30)) for w in ("табір", "школа", "метро"))
    with pytest.raises(QueryError, match=r"with the synonyms of lexicon.tsv .* the query has 90 words, more than 64"):
        expand(groups.replace("табір0", "табір").replace("школа0", "школа").replace("метро0", "метро"),
               "табір школа метро")


def test_prefix_and_fuzzy_words_are_not_expanded():
    assert expand("ЗСУ = армія", "ЗСУ*")[1] == ()
    assert expand("ЗСУ = армія", "ЗСУ~")[1] == ()


ARMY = [
    {"id": "full", "title": "Звільнення села", "date": "2025-03-11",
     "text": "Підрозділи Збройних сил України звільнили село на Харківщині."},
    {"id": "abbr", "title": "Атаку відбито", "date": "2025-03-05", "text": "Бійці ЗСУ відбили атаку біля Бахмута."},
    {"id": "apart", "title": "Сили природи", "date": "2024-01-01",
     "text": "Збройні конфлікти змінюють природу. Сили України й сусідів різні."},
    {"id": "can", "title": "Правила", "date": "2024-02-02", "text": "Тут можна гуляти зі собаками."},
]


@pytest.fixture
def army(home, tmp_path):
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "army.jsonl", ARMY)])
    yield eng
    eng.close()


def ids(results) -> set[str]:
    return {h.id for h in results}


def test_synonyms_work_both_ways_and_a_multiword_synonym_is_a_phrase(army, home):
    (home / "lexicon.tsv").write_text("ЗСУ = Збройні сили України\n", encoding="utf-8")
    assert ids(army.search("ЗСУ")) == {"full", "abbr"}  # not "apart": the words are not together
    res = army.search("Збройні сили України")
    assert {"full", "abbr"} <= ids(res)
    assert res.synonyms == ("Збройні сили України = ЗСУ",)
    assert res.to_json()["synonyms"] == ["Збройні сили України = ЗСУ"]


def test_synonym_edits_apply_without_a_rebuild(army, home):
    assert ids(army.search("ЗСУ")) == {"abbr"}
    (home / "lexicon.tsv").write_text("ЗСУ = Збройні сили України\n", encoding="utf-8")
    assert army.index_status() is None
    assert ids(army.search("ЗСУ")) == {"full", "abbr"}


def test_changed_lemmas_are_detected_and_the_index_rebuilt(army, home):
    assert ids(army.search("можний")) == {"can"}
    (home / "lexicon.tsv").write_text("можна -> можна\n", encoding="utf-8")
    assert army.index_status() == "the lemmas in lexicon.tsv changed"
    assert not army.stats().index_up_to_date
    assert army.stats().index_outdated_reason == "the lemmas in lexicon.tsv changed"
    assert ids(army.search("можний")) == set()  # the search rebuilt the index first
    assert ids(army.search("можна")) == {"can"}
    assert army.index_status() is None
    # a new process with the same lexicon finds the index current
    assert Engine(home).index_status() is None


def test_removing_the_lexicon_is_a_change_too(army, home):
    (home / "lexicon.tsv").write_text("можна -> можна\n", encoding="utf-8")
    army.index()
    (home / "lexicon.tsv").unlink()
    assert army.index_status() == "the lemmas in lexicon.tsv changed"
    assert ids(army.search("можний")) == {"can"}


def test_index_command_rebuilds_after_a_lexicon_change(army, home):
    (home / "lexicon.tsv").write_text("можна -> можна\n", encoding="utf-8")
    report = army.index()
    assert report.rebuilt and report.indexed == len(ARMY)


def test_bad_lexicon_stops_what_needs_it_with_file_and_line(home):
    (home / "lexicon.tsv").write_text("можна -> можна\nЗСУ =\n", encoding="utf-8")
    eng = Engine(home)  # opens: reading articles and stats need no lexicon
    with pytest.raises(LexiconError, match=r"lexicon.tsv:2: empty side"):
        eng.search("ЗСУ")
    with pytest.raises(LexiconError, match=r"lexicon.tsv:2: empty side"):
        eng.index()


def test_cli_reports_a_bad_lexicon_in_one_line(home):
    (home / "lexicon.tsv").write_text("Збройні сили -> ЗСУ\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["--home", str(home), "search", "ЗСУ"])
    assert res.exit_code == 2
    assert "lexicon.tsv:1: form 'Збройні сили' is not one word" in res.output
    assert "Traceback" not in res.output


def test_cli_says_why_it_rebuilds_and_analyze_uses_the_lexicon(army, home):
    (home / "lexicon.tsv").write_text("можна -> можна\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["--home", str(home), "search", "можна", "--json"])
    assert res.exit_code == 0
    assert "Rebuilding the index: the lemmas in lexicon.tsv changed." in res.stderr
    assert json.loads(res.stdout)["total"] == 1
    res = CliRunner().invoke(main, ["--home", str(home), "analyze", "можна", "--json"])
    (token,) = json.loads(res.stdout)
    assert token["lemmas"] == ["можна"] and token["origin"] == "lexicon"


@pytest.mark.parametrize("doc", ["README.md", "docs/query-language.md"])
def test_documented_lexicon_examples_parse(doc):
    root = Path(__file__).resolve().parent.parent
    text = (root / doc).read_text(encoding="utf-8")
    blocks, lang, lines = [], None, []
    for line in text.splitlines():
        if line.startswith("```"):
            if lang is None:
                lang, lines = line[3:], []
            else:
                if lang == "" and any("->" in x for x in lines) and any(" = " in x for x in lines):
                    blocks.append("\n".join(lines))
                lang = None
        elif lang is not None:
            lines.append(line)
    assert blocks
    for block in blocks:
        lex = Lexicon.parse(block)
        assert lex.lemmas and lex.synonyms


def test_a_corrected_query_keeps_its_synonyms(army, home):
    (home / "lexicon.tsv").write_text("ЗСУ = Збройні сили України\n", encoding="utf-8")
    res = army.search("Збройні сили України Бахмутаа")
    assert res.corrected_query == "Збройні сили України Бахмута"
    assert res.matched_all == 1 and [h.id for h in res][0] == "abbr"  # found through the synonym ЗСУ


def test_a_bad_lexicon_says_its_format_and_names_what_an_installed_user_has(home):
    (home / "lexicon.tsv").write_text("Бджолярі => бджоляр\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(home), "search", "мед"], catch_exceptions=False)
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert "lexicon.tsv:1:" in line and "each line is `form -> lemma` or `word = synonym`" in line
    assert "docs/" not in line  # not installed by `pip install .`
    section = line.rsplit('"', 2)[1]
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"### {section}" in readme.replace("`", "")
