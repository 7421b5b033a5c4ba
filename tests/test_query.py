import re

import pytest

from searchkit.errors import QueryError
from searchkit.query.parse import MAX_DEPTH, MAX_WORDS, And, Not, Or, Phrase, Word, parse_query, words_of

from .conftest import imported


def test_words_are_anded():
    assert parse_query("київ метро").root == And((Word("київ"), Word("метро")))


def test_phrase_or_not_and_field():
    root = parse_query('"мовні табори" OR title:табір -Київ').root
    assert root == Or((Phrase(("мовні", "табори")), And((Word("табір", "title"), Not(Word("Київ"))))))


def test_not_keyword_and_grouping():
    root = parse_query("(Київ OR Харків) NOT метро").root
    assert root == And((Or((Word("Київ"), Word("Харків"))), Not(Word("метро"))))


def test_prefix_and_fuzzy():
    assert parse_query("лукаш*").root == Word("лукаш", prefix=True)
    assert parse_query("Лукашенко~2").root == Word("Лукашенко", fuzzy=2)
    assert parse_query("Лукашенко~").root == Word("Лукашенко", fuzzy=1)


def test_title_phrase():
    assert parse_query('title:"новий рік"').root == Phrase(("новий", "рік"), "title")


def test_unclosed_quote_and_bracket_are_closed_with_warnings():
    pq = parse_query('"мовні табори (київ')
    assert pq.warnings
    pq = parse_query("(київ OR харків")
    assert pq.root == Or((Word("київ"), Word("харків")))
    assert "closed an unclosed '('" in pq.warnings


def test_typographic_quotes_work_as_quotes():
    assert parse_query("«мовні табори»").root == Phrase(("мовні", "табори"))


@pytest.mark.parametrize("typed", ['"газета «День» пише"', "«газета „День“ пише»", "„газета «День» пише“"])
def test_quotes_of_another_kind_inside_a_phrase_are_part_of_it(typed):
    pq = parse_query(typed)
    assert pq.root == Phrase(("газета", "День", "пише")) and pq.warnings == ()


def test_each_quote_mark_is_closed_by_its_pair_else_by_the_next_mark():
    assert parse_query("«нова школа» „рідна мова“").root == And((Phrase(("нова", "школа")), Phrase(("рідна", "мова"))))
    assert parse_query('«нова школа"').root == Phrase(("нова", "школа"))
    # a second « opens a phrase of its own: it does not run on to the last »
    assert parse_query('«нова школа" рідна «мова освіти»').root == And(
        (Phrase(("нова", "школа")), Word("рідна"), Phrase(("мова", "освіти"))))


@pytest.mark.parametrize("typed", ["мова »", 'мова "', "мова «", "мова „ "])
def test_a_quote_mark_with_nothing_after_it_quotes_nothing_and_says_nothing(typed):
    pq = parse_query(typed)
    assert pq.root == Word("мова") and pq.warnings == ()


@pytest.mark.parametrize("typed", ['"Києві «метро" »', '«Києві "метро» "', '"Києві «метро»"', '„Києві «метро“ »'])
def test_a_phrase_in_quotes_that_do_not_pair_up_is_searched_and_explained_as_the_phrase(engine, typed):
    # a3 writes both words, apart: the words find it, the phrase does not
    assert [h.id for h in engine.search("Києві метро").hits] == ["a3"]
    assert parse_query(typed).root == Phrase(("Києві", "метро"))
    found, phrase = engine.search(typed), engine.search('"Києві метро"')
    assert found.total == phrase.total == 0 and found.hits == phrase.hits == ()
    ex, ex_phrase = engine.explain(typed, "a3"), engine.explain('"Києві метро"', "a3")
    assert not ex.matches_query and ex.tree == ex_phrase.tree
    assert [w.role for w in ex.words] == ["phrase", "phrase"]


@pytest.mark.parametrize("text", ["", "   ", "-київ", "NOT київ", "()"])
def test_nothing_to_search_is_a_query_error(text):
    with pytest.raises(QueryError):
        parse_query(text)


def test_too_many_words_is_a_query_error():
    with pytest.raises(QueryError, match=str(MAX_WORDS)):
        parse_query(" ".join(["слово"] * (MAX_WORDS + 1)))


def test_deep_nesting_is_a_query_error_that_says_what_to_do():
    with pytest.raises(QueryError, match="deeper") as e:
        parse_query("(" * (MAX_DEPTH + 5) + "київ" + ")" * (MAX_DEPTH + 5))
    assert "fewer brackets" in e.value.hint


def test_words_of_skips_negated_words():
    assert words_of(parse_query("київ -метро").root) == [Word("київ")]


@pytest.mark.parametrize("text, left_out", [
    ('мова -"мовні табори"', Phrase(("мовні", "табори"))),
    ('мова -"київ"', Word("київ")),
    ("мова -(київ)", Word("київ")),
    ("мова -(київ OR харків)", Or((Word("київ"), Word("харків")))),
    ('мова -title:"новий рік"', Phrase(("новий", "рік"), "title")),
])
def test_a_minus_before_a_quote_or_a_bracket_leaves_the_whole_out(text, left_out):
    assert parse_query(text).root == And((Word("мова"), Not(left_out)))


def test_a_dash_standing_alone_is_no_word_and_no_negation():
    assert parse_query("мова - київ").root == And((Word("мова"), Word("київ")))
    assert parse_query("мова --(київ)").root == And((Word("мова"), Word("київ")))
    with pytest.raises(QueryError, match="not negated"):
        parse_query("-(-київ)")
    with pytest.raises(QueryError, match="not negated"):
        parse_query("- -київ")


def test_the_minus_sign_leaves_out_as_a_hyphen_minus_does():
    assert parse_query("санкції \u2212Крим").root == And((Word("санкції"), Not(Word("Крим"))))
    both = Or((Word("київ"), Word("харків")))
    assert parse_query("мова \u2212(київ OR харків)").root == And((Word("мова"), Not(both)))
    assert parse_query("a\u2212b").root == Word("a\u2212b")  # inside a word it is no minus
    assert parse_query("мороз \u221220").root == And((Word("мороз"), Word("\u221220")))  # twenty below zero


@pytest.mark.parametrize("dash", ["\u2014", "\u2013", "\u2012"])
def test_a_dash_typed_onto_a_word_searches_the_word_and_says_how_to_leave_it_out(dash):
    parsed = parse_query(f"санкції {dash}Крим")
    assert parsed.root == And((Word("санкції"), Word("Крим")))
    assert parsed.warnings == (f"searched '{dash}Крим' as 'Крим': to leave a word out, write -Крим (a hyphen-minus)",)


@pytest.mark.parametrize("text, term, note", [
    ("санкції --Крим", Word("Крим"),
     "searched '--Крим' as 'Крим': two minuses cancel out; to leave a word out, write -Крим"),
    ("санкції NOT NOT Крим", Word("Крим"),
     "searched 'NOT NOT Крим' as 'Крим': two NOTs cancel out; to leave a word out, write -Крим"),
    ("санкції NOT -Крим", Word("Крим"),
     "searched 'NOT -Крим' as 'Крим': a minus and a NOT cancel out; to leave a word out, write -Крим"),
    ('санкції --"мовні табори"', Phrase(("мовні", "табори")),
     'searched \'--"мовні табори"\' as \'"мовні табори"\': two minuses cancel out; to leave it out, '
     'write -"мовні табори"'),
    ("санкції NOT NOT (Крим)", Word("Крим"),
     "searched 'NOT NOT (…)' as '(…)': two NOTs cancel out; to leave it out, write -(…)"),
    ("санкції ---Крим", Not(Word("Крим")), "read '---Крим' as '-Крим': minuses cancel out in pairs"),
    ("санкції NOT NOT NOT Крим", Not(Word("Крим")), "read 'NOT NOT NOT Крим' as '-Крим': NOTs cancel out in pairs"),
    # (a hostile query's thousands are counted, not echoed back in a note as long as the query)
    ("санкції " + "-" * 3000 + "Крим", Word("Крим"),
     "searched 3,000 minuses or NOTs before 'Крим' as 'Крим': minuses cancel out in pairs; to leave a word out, "
     "write -Крим"),
])
def test_a_second_minus_or_not_undoes_the_first_and_is_said(text, term, note):
    # (`санкції --Крим` found what `санкції Крим` finds, silently; a dash typed onto a
    # word is searched as the word too, with a note)
    parsed = parse_query(text)
    assert parsed.root == And((Word("санкції"), term))
    assert parsed.warnings == (note,)


@pytest.mark.parametrize("text, note, at_the_command_line", [
    ("санкції --since 2016", "searched '--since' as 'since': `since=` is an option of the search, not a word of the "
                             "query; give it outside the query",
     "searched '--since' as 'since': --since is an option of the search, not a word of the query; give it outside "
     "the query"),
    ("санкції \u2014since 2016", "searched '\u2014since' as 'since': `since=` is an option of the search",
     "searched '\u2014since' as 'since': --since is an option of the search"),
    ("санкції --all", "searched '--all' as 'all': `partial=False` is an option of the search, not a word of the "
                      "query; give it outside the query",
     "searched '--all' as 'all': --all is an option of the search, not a word of the query; give it outside the "
     "query"),
    ("санкції --json", "searched '--json' as 'json': --json is an option of the command, not a word of the query; "
                       "give it outside the query",
     "searched '--json' as 'json': --json is an option of the command, not a word of the query; give it outside "
     "the query"),
])
def test_an_option_typed_inside_the_query_is_searched_as_the_word_and_said_to_be_no_option(text, note,
                                                                                          at_the_command_line):
    # (`'санкції --since 2016'` said only "No article has all the words; without: since"; then its
    # note named Python's argument to someone at the command line too: "(since= in Python)")
    from searchkit.advice import in_command_words

    parsed = parse_query(text)
    assert len(parsed.warnings) == 1 and parsed.warnings[0].startswith(note)
    assert in_command_words(parsed.warnings[0]).startswith(at_the_command_line)
    assert "cancel out" not in parsed.warnings[0]
    assert Word(text.split()[1].lstrip("-\u2014")) in words_of(parsed.root)  # what it meant is unchanged
    assert parse_query("санкції -since").root == And((Word("санкції"), Not(Word("since"))))  # one minus: left out


def test_lucenes_bang_before_a_word_searches_the_word_and_says_how_to_leave_it_out():
    # (`!Крим` is NOT Крим in Lucene: it was searched as Крим without a word said)
    parsed = parse_query("санкції !Крим")
    assert parsed.root == And((Word("санкції"), Word("Крим")))
    assert parsed.warnings == ("searched '!Крим' as 'Крим': to leave a word out, write -Крим",)


def test_lucenes_plus_before_a_word_makes_it_required_as_in_lucene():
    # (`+Крим` is "must hold" in Lucene: every match holds it, the partial matches too)
    parsed = parse_query("+санкції Крим")
    assert parsed.root == And((Word("санкції", required=True), Word("Крим")))
    assert parsed.warnings == ()
    assert parse_query('+"мовні табори"').root == Phrase(("мовні", "табори"))


@pytest.mark.parametrize("typed", ["+-Крим", "+--Крим", "+\u2014Крим"])
def test_a_plus_and_a_minus_before_a_word_require_it_as_the_first_mark_says_and_say_so(typed):
    # (the minus went with the +, unsaid: the word was searched as any other, not required)
    parsed = parse_query(f"санкції {typed}")
    assert parsed.root == And((Word("санкції"), Word("Крим", required=True)))
    assert parsed.warnings == (f"searched {typed!r} as '+Крим': a word is required (+) or left out (-), not both; "
                               "to leave it out, write -Крим",)


@pytest.mark.parametrize("typed", ["title:+-Крим", "+title:+-Крим", "title:++-Крим", "title:+\u2014Крим",
                                   "title:-+Крим"])
def test_a_plus_and_a_minus_behind_a_field_require_the_word_in_the_field_and_say_so(typed):
    # (behind a field both marks were searched as part of the word, neither required nor said)
    parsed = parse_query(f"санкції {typed}")
    assert parsed.root == And((Word("санкції"), Word("Крим", "title", required=True)))
    assert len(parsed.warnings) == 1
    if typed == "title:-+Крим":  # (the field's own note on a minus, as `title:-Крим` has it)
        assert parsed.warnings[0].startswith("read title:-+Крим as title:+Крим: to leave a word out of the title")
    else:
        shown = typed.lstrip("+")
        assert parsed.warnings == (f"searched {shown!r} as 'title:+Крим': a word is required (+) or left out (-), "
                                   "not both; to leave it out, write -title:Крим",)


def test_the_note_on_a_minus_and_a_plus_behind_a_field_suggests_a_query_that_leaves_the_word_out():
    # (it suggested -title:+Крим, whose + is itself ignored with a second note)
    parsed = parse_query("санкції title:-+Крим")
    assert parsed.warnings == ("read title:-+Крим as title:+Крим: to leave a word out of the title, "
                               "write -title:Крим",)
    suggested = parse_query("санкції -title:Крим")
    assert suggested.warnings == ()
    assert suggested.root == And((Word("санкції"), Not(Word("Крим", "title"))))


@pytest.mark.parametrize("typed", ["[2020 TO 2022]", "date:[2020 TO 2022]", "{a TO b}", "[* TO 2022]"])
def test_a_lucene_range_is_said_and_left_out_not_searched_as_words(typed):
    # (TO was read as the Latin spelling of то, and '[2020' named as the word the hits lack)
    parsed = parse_query(f"мова {typed}")
    assert parsed.root == Word("мова")
    assert parsed.warnings == (f"ignored {typed!r}: a range is not supported; to filter by date, use "
                               "`since=`/`until=`",)
    with pytest.raises(QueryError, match=re.escape(f"nothing to search in {typed!r}: a range is not supported")):
        parse_query(typed)
    assert not any("range" in w for w in parse_query(f'"мова {typed}"').warnings)  # (quoted: a phrase's words)


NEAR_NOTE = "words near each other are another search tool's operator, not this one's; "


@pytest.mark.parametrize("typed, ignored", [
    ("NEAR(мова)", "NEAR before (…)"),
    ("NEAR(мова школа)", "NEAR before (…)"),
    ("near(мова, школа)", "near before (…)"),
    ("ONEAR(мова школа)", "ONEAR before (…)"),
    ("NEAR((мова, школа), 5)", "NEAR and its distance 5 before (…)"),
    ("NEAR(мова, школа, 5)", "NEAR and its distance 5 before (…)"),
    ("NEAR(мова, школа,5)", "NEAR and its distance 5 before (…)"),
    ("мова AROUND(3) школа", "AROUND(3)"),
])
def test_another_tools_near_operator_searches_the_words_in_its_brackets_with_a_note(typed, ignored):
    # (read as a word, NEAR was one every hit had to hold, and no note said why none did)
    parsed = parse_query(typed)
    words = [w.text.rstrip(",") for w in words_of(parsed.root) if isinstance(w, Word)]
    assert words == (["мова"] if typed == "NEAR(мова)" else ["мова", "школа"])
    searched = "" if ignored.startswith("AROUND") else "the words in its brackets are searched, and "
    name = ignored.split(" ")[0].split("(")[0]
    assert parsed.warnings[0] == (f"ignored {ignored}: {NEAR_NOTE}{searched}words close together rank first "
                                  f'(quote "{name}" to search the word)')


def test_a_search_for_near_with_brackets_finds_the_articles_holding_its_words(tmp_path):
    eng = imported(tmp_path, [
        {"id": "school", "title": "Мова в школі", "text": "Учні вивчають мову у школі щодня."},
        {"id": "market", "title": "Ринок", "text": "На ринку продають яблука."},
    ])
    res = eng.search("NEAR(мова, школа)")
    assert [h.id for h in res.hits] == ["school"]
    assert any(NEAR_NOTE in w for w in res.warnings)


def test_a_near_operator_left_out_takes_the_words_of_its_brackets_out_with_it():
    assert parse_query("-NEAR(мова школа) Київ").root == And((Not(And((Word("мова"), Word("школа")))), Word("Київ")))


def test_near_typed_apart_from_its_bracket_or_quoted_is_the_word_near():
    assert parse_query("NEAR (мова)").root == And((Word("NEAR"), Word("мова")))
    assert parse_query('"NEAR"(мова)').root == And((Word("NEAR"), Word("мова")))
    assert parse_query("NEARBY(мова)").root == And((Word("NEARBY"), Word("мова")))
    assert not any(NEAR_NOTE in w for w in parse_query("NEAR (мова)").warnings)


def test_a_near_operator_with_a_distance_alone_is_refused_as_an_operator_with_no_words():
    with pytest.raises(QueryError, match=re.escape("nothing to search: AROUND is an operator")):
        parse_query("AROUND(3)")


def test_lucenes_question_mark_inside_a_word_is_said_to_stand_for_no_letter():
    parsed = parse_query("мо?а")
    assert parsed.root == Word("мо?а")
    assert parsed.warnings == ("searched 'мо?а' as written: ? stands for no letter here; * at the end of a word "
                               "stands for its endings (мо*)",)
    assert parse_query("що таке інфляція?").warnings == ()  # (a question's mark is no wildcard)


def test_lucenes_double_bar_between_words_is_or_and_double_ampersand_all_the_words():
    # (both were words no article holds: `||` made `мова || школа` find only the
    # articles with both words, silently)
    either = parse_query("мова || школа")
    assert either.root == Or((Word("мова"), Word("школа")))
    assert either.warnings == ("read '||' as OR",)
    both = parse_query("мова && школа")
    assert both.root == And((Word("мова"), Word("школа")))
    assert both.warnings == ("read '&&' as: all the words (the default)",)
    assert parse_query("мова ||").root == Word("мова")  # joining nothing, it is no word either


@pytest.mark.parametrize("joiner", [",", ";", "/", "+", "_", "&", "|"])
def test_words_joined_by_punctuation_without_a_space_are_words_apart_and_said(joiner):
    parsed = parse_query(f"школа{joiner}вчитель")
    assert parsed.root == And((Word("школа"), Word("вчитель")))
    assert parsed.warnings[0].startswith(f"searched 'школа{joiner}вчитель' as школа вчитель")
    assert ("write школа OR вчитель" in parsed.warnings[0]) == (joiner == "|")


def test_a_joined_word_keeps_its_field_and_one_of_a_letter_or_a_figure_is_kept_whole():
    assert parse_query("title:школа,вчитель").root == And((Word("школа", "title"), Word("вчитель", "title")))
    for whole in ("24/7", "м/с", "ukr.net", "COVID-19", "1,5"):
        assert parse_query(whole).root == Word(whole) and parse_query(whole).warnings == ()


def test_joined_words_keep_their_own_marks_and_a_minus_leaves_out_each():
    assert parse_query("школа~,вчитель").root == And((Word("школа", fuzzy=1), Word("вчитель")))
    assert parse_query("шко*,вчитель~2").root == And((Word("шко", prefix=True), Word("вчитель", fuzzy=2)))
    assert parse_query("COVID-19,вакцина").root == And((Word("COVID-19"), Word("вакцина")))
    parsed = parse_query("мова -школа,вчитель")
    assert parsed.root == And((Word("мова"), Not(Word("школа")), Not(Word("вчитель"))))
    assert parsed.warnings[0].startswith("searched '-школа,вчитель' as -школа -вчитель")


def test_a_fullwidth_query_is_read_as_its_ascii_letters_and_signs():
    assert parse_query("ＫＹＩＶ").root == Word("KYIV")  # then transliterated, as Kyiv is
    assert parse_query("（мова ＯＲ школа）").root == Or((Word("мова"), Word("школа")))


def test_a_minus_on_a_side_of_an_or_is_read_as_typed_and_said():
    parsed = parse_query('школа (мова OR -"мовні табори")')
    assert parsed.root == And((Word("школа"), Or((Word("мова"), Not(Phrase(("мовні", "табори")))))))
    assert parsed.warnings == ('OR -"мовні табори" matches every article that lacks "мовні табори"; to leave it '
                               'out, write -"мовні табори" outside the OR',)
    assert parse_query("школа (мова OR харків -київ)").warnings == ()  # the minus binds to харків


@pytest.mark.parametrize("text", ["!!! -табори", "— -табори", '"…" -табори', "(!!! OR —) -табори"])
def test_a_word_without_letters_or_digits_is_no_word_to_negate_beside(text):
    # (it is dropped when compiled: what was left found every article without табори)
    with pytest.raises(QueryError, match="not negated"):
        parse_query(text)
    with pytest.raises(QueryError, match="nothing searchable"):
        parse_query(text.replace(" -табори", ""))


@pytest.mark.parametrize("text", ["!!!", "—", "😀", "(!!! OR —)"])
def test_a_query_of_marks_alone_says_what_to_type_instead(text):
    # (the one error without the "what to do" every other one has)
    with pytest.raises(QueryError, match="nothing searchable in the query") as e:
        parse_query(text)
    assert e.value.hint == "type a word, a number or a quoted phrase"


@pytest.mark.parametrize("text", ["мова OR —", "мова OR ?", "(мова OR школа) OR !!!"])
def test_a_mark_beside_or_is_no_alternative_that_empties_the_query(text):
    # (it was refused as "nothing searchable", though мова is a word)
    words = {w.text for w in words_of(parse_query(text).root)}
    assert words == ({"мова"} if "школа" not in text else {"мова", "школа"})


def test_hyphenated_word_is_not_a_negation():
    assert parse_query("Івано-Франківськ").root == Word("Івано-Франківськ")


@pytest.mark.parametrize("text, said", [
    ("AND", 'nothing to search: AND is an operator; put words around it, or quote it ("AND") to search the word'),
    ("OR", 'nothing to search: OR is an operator; put words around it, or quote it ("OR") to search the word'),
    ("NOT", 'nothing to search: NOT is an operator; put words around it, or quote it ("NOT") to search the word'),
    ("AND OR", "nothing to search: AND and OR are operators; put words around them, or quote one"),
    ("(AND)", "nothing to search: AND is an operator"),
])
def test_a_query_of_operators_alone_is_refused_not_searched_as_a_word(text, said):
    with pytest.raises(QueryError, match=re.escape(said)):
        parse_query(text)


@pytest.mark.parametrize("text, note", [
    ("парк AND", "ignored an AND with nothing after it"),
    ("AND парк", "ignored an AND with nothing before it"),
    ("(парк AND)", "ignored an AND with nothing after it"),
    ("парк OR", "ignored an OR with nothing after it"),
    ("OR парк", "ignored an OR with nothing before it"),
    ("парк NOT", "ignored a NOT with nothing after it"),
])
def test_an_operator_with_nothing_to_join_on_a_side_is_dropped_with_a_note(text, note):
    pq = parse_query(text)
    assert pq.root == Word("парк")
    assert any(w.startswith(note) for w in pq.warnings)


@pytest.mark.parametrize("text, word, note", [
    ("мова~1.5", Word("мова", fuzzy=1), "read 'мова~1.5' as мова~: a fuzzy word takes ~ (1 edit) or ~2"),
    ("мова~a", Word("мова", fuzzy=1), "read 'мова~a' as мова~"),
    ("мова~-1", Word("мова", fuzzy=1), "read 'мова~-1' as мова~"),
    ("*ова", Word("ова"), "read '*ова' as ова: a word cannot begin with *"),
    ("**ова*", Word("ова", prefix=True), "read '**ова*' as ова*"),
    ("title:-школа", Word("школа", "title"), "read title:-школа as title:школа: to leave a word out"),
    ("title:title:школа", Word("школа", "title"), "read title:title:школа as title:школа: one field per word"),
    ("мова*~", Word("мова", fuzzy=1), "read 'мова*~' as мова~: a word is a prefix (*) or fuzzy (~), not both"),
    ("мова~2*", Word("мова", fuzzy=2), "read 'мова~2*' as мова~2: a word is a prefix (*) or fuzzy (~), not both"),
    ("title:мова*~2", Word("мова", "title", fuzzy=2), "read 'мова*~2' as мова~2"),
])
def test_a_fuzzy_or_wildcard_syntax_searchkit_does_not_take_is_read_as_it_can_be_and_said(text, word, note):
    # searched as written, it found nothing and said nothing
    pq = parse_query(text)
    assert pq.root == word and any(w.startswith(note) for w in pq.warnings)


@pytest.mark.parametrize("text, root, note", [
    ("text:title:(школа OR мова)", Or((Word("школа", "body"), Word("мова", "body"))),
     "read text:title:(…) as text:(…): one field per word"),
    ('title:text:"нова школа"', Phrase(("нова", "школа"), "title"),
     'read title:text:"нова школа" as title:"нова школа": one field per word'),
    ("заголовок:Текст:(школа)", Word("школа", "title"), "read заголовок:Текст:(…) as заголовок:(…)"),
    ("-text:title:(школа) мова", And((Not(Word("школа", "body")), Word("мова"))), "read text:title:(…) as text:(…)"),
])
def test_a_second_field_before_a_group_or_a_phrase_is_dropped_as_before_a_word(text, root, note):
    # the second name was searched as the word 'title:', found nowhere, and the group everywhere
    pq = parse_query(text)
    assert pq.root == root and any(w.startswith(note) for w in pq.warnings)


@pytest.mark.parametrize("text, root, note", [
    ("title:-(школа OR мова) Київ", And((Or((Word("школа", "title"), Word("мова", "title"))), Word("Київ"))),
     "read title:-(…) as title:(…): to leave it out of the title, write -title:(…)"),
    ('title:-"нова школа"', Phrase(("нова", "школа"), "title"),
     'read title:-"нова школа" as title:"нова школа": to leave it out of the title'),
    ("заголовок:+(школа)", Word("школа", "title"), "searched заголовок:+(…) as заголовок:(…): + requires a word"),
    ('text:+"нова школа"', Phrase(("нова", "школа"), "body"), 'searched text:+"нова школа" as text:"нова школа"'),
    ("title:- (школа)", Word("школа"), "ignored 'title:-': a field needs a word after it"),
])
def test_a_minus_or_a_plus_between_a_field_and_its_group_or_phrase_keeps_the_field_and_is_said(text, root, note):
    # the field and its mark were read as a word of marks alone, dropped unsaid, and the
    # group or phrase searched everywhere (`title:-(школа) мова` listed every article with мова)
    pq = parse_query(text)
    assert pq.root == root and any(w.startswith(note) for w in pq.warnings), pq.warnings


def test_and_before_not_excludes_and_lowercase_operators_alone_are_words():
    assert parse_query("парк AND NOT дощ").root == And((Word("парк"), Not(Word("дощ"))))
    assert parse_query("парк and NOT дощ").root == And((Word("парк"), Not(Word("дощ"))))
    assert parse_query("парк AND OR дощ").root == Or((Word("парк"), Word("дощ")))
    for word in ("and", "or", "not"):  # a lowercase operator alone is the English word
        assert parse_query(word).root == Word(word)
    assert parse_query('"AND"').root == Word("AND")


@pytest.mark.parametrize("text, words", [('"кіт~1 собака"', ("кіт", "собака")), ('"кі* собака"', ("кі", "собака")),
                                         ('"кіт~ собака"', ("кіт", "собака"))])
def test_prefix_and_fuzzy_marks_inside_quotes_are_dropped_and_said(text, words):
    parsed = parse_query(text)
    assert parsed.root == Phrase(words)
    assert len(parsed.warnings) == 1 and "inside quotes" in parsed.warnings[0]


def test_a_field_before_a_bracket_applies_to_each_of_its_words():
    assert parse_query("title:(проект OR футбол)").root == Or((Word("проект", "title"), Word("футбол", "title")))
    parsed = parse_query("мова -title:(київ OR харків)")
    assert parsed.root == And((Word("мова"), Not(Or((Word("київ", "title"), Word("харків", "title"))))))
    assert parsed.warnings == ()
    # a word's own field stands; a phrase takes the group's
    assert parse_query('text:(мова title:київ "новий рік")').root == And((
        Word("мова", "body"), Word("київ", "title"), Phrase(("новий", "рік"), "body")))


@pytest.mark.parametrize("text, phrase", [('"газова війна"~2', Phrase(("газова", "війна"))),
                                          ('title:"новий рік"~3', Phrase(("новий", "рік"), "title"))])
def test_words_near_each_other_after_a_phrase_search_the_phrase_and_say_so(text, phrase):
    # (the ~2 was read as the word "2", which few articles hold)
    parsed = parse_query(text)
    assert parsed.root == phrase
    assert len(parsed.warnings) == 1 and "(~N after a phrase) are not supported" in parsed.warnings[0]


def test_a_star_inside_a_word_is_said():
    parsed = parse_query("мо*а")
    assert parsed.warnings == ("searched 'мо*а' as written: * marks a prefix only at the end of a word (мо*)",)


def test_a_prefix_with_a_star_inside_is_read_as_the_prefix_before_it_and_said_so():
    # (the letters after the inner * were dropped unsaid: ль*ві* searched ль* alone)
    parsed = parse_query("ль*ві*")
    assert parsed.root == Word("ль", prefix=True)
    assert parsed.warnings == ("read 'ль*ві*' as ль*: * marks a prefix only at the end of a word, never inside one",)
    assert parse_query("title:ль*ві*").root == Word("ль", "title", prefix=True)


@pytest.mark.parametrize(("typed", "words", "shown"), [
    ("В.Зеленськ*", (Word("В"), Word("Зеленськ", prefix=True)), "В Зеленськ*"),
    ("Т.Г.Шевч*", (Word("Т"), Word("Г"), Word("Шевч", prefix=True)), "Т Г Шевч*"),
    ("мовн.табори~", (Word("мовн"), Word("табори", fuzzy=1)), "мовн табори~"),
])
def test_a_prefix_or_fuzzy_mark_ending_several_words_marks_the_last_and_the_others_are_searched(typed, words, shown):
    # (the first word alone was the pattern: В.Зеленськ* was refused as 'prefix 'В.Зеленськ'
    # is too short', мовн.табори~ found what мовн~ finds, the rest dropped unsaid)
    parsed = parse_query(typed)
    assert parsed.root == And(words)
    assert parsed.warnings == (f"searched {typed!r} as {shown}: {shown[-1]} marks the word it ends, and the words "
                               "before it are searched as they are",)


@pytest.mark.parametrize("typed", ["мова -В.Зеленськ*", "мова NOT В.Зеленськ*"])
def test_a_word_of_several_left_out_with_a_prefix_leaves_out_the_prefix_alone(typed):
    # (not every article holding the initial в as well)
    parsed = parse_query(typed)
    assert parsed.root == And((Word("мова"), Not(Word("Зеленськ", prefix=True))))
    assert len(parsed.warnings) == 1 and "the words before it are not left out" in parsed.warnings[0]


def test_an_unknown_field_before_a_bracket_is_said_and_its_words_searched_everywhere():
    parsed = parse_query("source:(Суспільне OR Громадське)")
    assert parsed.root == Or((Word("Суспільне"), Word("Громадське")))
    assert parsed.warnings == ("unknown field 'source'; searched everywhere (fields: title, text); to filter by "
                               "source, use `source=`",)


@pytest.mark.parametrize("text, said, option", [
    ("source:Суспільне школа", "; to filter by source, use `source=`", "; to filter by source, use --source"),
    ("DATE:2016 школа", "; to filter by date, use `since=`/`until=`", "; to filter by date, use --since/--until"),
    ('year:"2016" школа', "; to filter by year, use `since=`/`until=`", "; to filter by year, use --since/--until"),
    ("foo:школа", "", ""),
])
def test_a_field_that_is_a_filter_says_which_option_filters_by_it(text, said, option):
    # (`source:Подолянин` said only "unknown field", though --source does what was meant)
    from searchkit.advice import in_command_words

    name = text.split(":")[0]
    (note,) = parse_query(text).warnings
    assert note == f"unknown field {name!r}; searched everywhere (fields: title, text){said}"
    # (the library names the argument, the command line the option)
    assert in_command_words(note) == f"unknown field {name!r}; searched everywhere (fields: title, text){option}"


def test_an_or_with_only_a_minus_on_one_side_says_so():
    with pytest.raises(QueryError, match="each side of an OR needs a word that is not negated"):
        parse_query("Львів OR -парк")


def test_a_quoted_word_of_thousands_of_marks_is_read_in_one_pass():
    parsed = parse_query('"кіт' + "~1" * 20_000 + '*" собака')
    assert parsed.root == And((Word("кіт"), Word("собака")))
    assert len(parsed.warnings) == 1
