"""Rich renderables shared by the CLI and the TUI, rendered into a string console."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, Group
from rich.text import Text

from searchkit.models import Hit, Results, Snippet, Span
from searchkit.render import (
    _ONE_CELL,
    Hanging,
    article_view,
    fill_months,
    highlighted,
    hit_view,
    not_searchable,
    results_header,
    results_view,
    timeline_bars,
    timeline_view,
)


def render(renderable: object, *, width: int = 60, soft_wrap: bool = False, color: bool = False,
           crop: bool = True) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=color, color_system="standard" if color
                      else None, soft_wrap=soft_wrap, highlight=False, markup=False)
    console.print(renderable, crop=crop)
    return console.file.getvalue()  # type: ignore[attr-defined]


SNIPPET = ("Влітку в області працюють мовні табори. Діти вивчають англійську мову в таборі, а батьки "
           "хвалять мовні табори за користь і за те, що діти весь день на свіжому повітрі біля річки.")


def a_hit(**changes: object) -> Hit:
    base = dict(id="a2", title="Мовні табори для дітей", date=dt.date(2016, 6, 1), source="Час Київщини",
                score=3.14159, snippet=Snippet(SNIPPET, (Span(33, 39), Span(71, 77))), path="corpus/x.json",
                rank=1, title_spans=(Span(6, 12),))
    base.update(changes)
    return Hit(**base)  # type: ignore[arg-type]


def test_a_hit_is_title_then_date_source_score_then_the_snippet() -> None:
    lines = render(hit_view(a_hit()), width=80).splitlines()
    assert lines[0] == " 1. Мовні табори для дітей"
    assert lines[1] == "    2016-06-01 · Час Київщини · score 3.14 · a2"
    assert lines[2].startswith("    Влітку в області")


def test_snippet_wraps_to_the_width_with_an_indent_and_stops_after_two_lines() -> None:
    lines = render(hit_view(a_hit()), width=50).splitlines()
    snippet = lines[2:]
    assert len(snippet) == 2
    assert all(line.startswith("    ") and len(line) <= 50 for line in snippet)
    assert snippet[-1].endswith("…") and not snippet[-1].endswith(" …")


def test_piped_output_keeps_the_whole_snippet_on_one_line() -> None:
    out = render(hit_view(a_hit()), width=50, soft_wrap=True).splitlines()
    assert out[2] == "    " + SNIPPET


def test_piped_results_are_the_coloured_ones_without_their_colours() -> None:
    # Piped without colours, hits are written as plain text; what a terminal shows in
    # colour must read the same once its escapes are taken out, hit for hit.
    hits = (
        a_hit(),
        a_hit(id="b\x1b[2J7", rank=2, title="", source=None, date=None,
              snippet=Snippet("Перший рядок\nдругий рядок табори", (Span(26, 32),))),
        a_hit(id="c3", rank=3, duplicates=("c4", "c5"), first_published=dt.date(2015, 1, 2), score=None),
        a_hit(id="d4", rank=4, title="Назва\tз табуляцією", shared=("табір", "мова")),
        a_hit(id="e5", rank=5, snippet=Snippet("")),
    )
    results = Results(query="мовні табори", total=40, hits=hits, matched=44, matched_all=3)
    piped = render(results_view(results), width=50, soft_wrap=True)
    coloured = re.sub(r"\x1b\[[0-9;]*m", "", render(results_view(results), width=50, soft_wrap=True, color=True))
    assert piped == coloured
    assert "── 37 with some of the words ──" in piped
    assert " 2. (untitled)\n    undated · score 3.14 · b␛[2J7\n    Перший рядок\nдругий рядок табори\n" in piped
    assert "    +2 similar (first published 2015-01-02): c4, c5\n" in piped
    assert " 4. Назва       з табуляцією\n" in piped  # the tab expanded by Rich


def test_the_header_groups_thousands_in_every_count() -> None:
    results = Results(query="цікаве питання", total=1593, hits=(a_hit(), a_hit(id="b2", rank=2)), matched=1593,
                      matched_all=493, elapsed_ms=38)
    assert render(results_header(results), width=120).strip() == (
        "1,593 matches (1–2 of 1,593) in 38 ms: 493 with all the words, 1,100 with some of them")


def test_the_line_before_the_partial_matches_groups_thousands_as_the_header_does() -> None:
    hits = tuple(a_hit(id=f"h{i}", rank=i) for i in range(493, 496))
    results = Results(query="цікаве питання", total=1593, hits=hits, page=50, limit=10, matched=1593,
                      matched_all=493)
    out = render(results_view(results), width=120)
    assert "1,100 with some of them" in out and "── 1,100 with some of the words ──" in out


def test_matches_are_styled_and_markup_in_text_is_left_alone() -> None:
    text = "Заголовок [bold]не тег[/bold] і табори"
    hit = a_hit(title=text, title_spans=(Span(33, 39),), snippet=Snippet("[red]табори[/red]", (Span(5, 11),)))
    out = render(hit_view(hit), width=80, color=True)
    assert "[bold]не тег[/bold]" in out and "[red]" in out
    assert "\x1b[1;30;43mтабори\x1b[0m" in out  # bold black on yellow


def test_an_undated_hit_without_source_or_rank() -> None:
    lines = render(hit_view(a_hit(date=None, source=None, rank=0), show_id=False), width=80).splitlines()
    assert lines[:2] == ["Мовні табори для дітей", "undated · score 3.14"]


def test_hanging_indent_wraps_every_line_after_the_first() -> None:
    out = render(Hanging(Text("один два три чотири пʼять шість сім"), indent=2, first=0), width=14)
    assert out.splitlines() == ["один два три", "  чотири пʼять", "  шість сім"]


def test_fill_months_adds_the_empty_months_between() -> None:
    assert fill_months([("2023-11", 2), ("2024-02", 1)]) == [
        ("2023-11", 2), ("2023-12", 0), ("2024-01", 0), ("2024-02", 1)]
    assert fill_months([]) == []


def test_histogram_has_a_row_per_month_and_folds_long_gaps() -> None:
    out = render(timeline_view([("2023-01", 4), ("2023-03", 2), ("2024-06", 1)]), width=70).splitlines()
    assert out[0] == "Timeline: 7 dated matches, 2023-01 … 2024-06, most in 2023-01 (4)"
    assert out[1].startswith("2023-01 █") and out[1].endswith(" 4")
    assert out[2] == "2023-02 0"
    assert out[3].startswith("2023-03 █") and out[3].endswith(" 2")
    assert "14 months without matches" in out[4]
    assert out[5].startswith("2024-06 ") and out[5].endswith(" 1")
    assert all(len(line) <= 70 for line in out)
    # no month is the busiest when several tie
    tied = render(timeline_view([("2016-06", 1), ("2018-07", 1)]), width=70).splitlines()
    assert tied[0] == "Timeline: 2 dated matches, 2016-06 … 2018-07"
    bar = out[1].split()[1]
    assert len(out[3].split()[1]) * 2 == len(bar)  # bars are proportional


def test_histogram_without_dated_matches_says_so() -> None:
    assert "no dated matches" in render(timeline_view([]))


def test_timeline_bars_fit_the_width_and_label_the_ends() -> None:
    months = [(f"{2010 + i // 12}-{i % 12 + 1:02d}", i % 7) for i in range(150)]
    chart = timeline_bars(months, 40, height=2).plain.splitlines()
    assert len(chart) == 3
    assert all(len(line) <= 40 for line in chart)
    assert chart[2].startswith("2010-01") and chart[2].endswith("2022-06")


def test_timeline_bars_show_every_month_with_a_match_even_a_small_one() -> None:
    chart = timeline_bars([("2020-01", 100), ("2020-02", 1), ("2020-04", 1)], 40, height=2).plain.splitlines()
    bottom = chart[1]
    cols = len(bottom) // 4
    assert bottom[cols] != " " and bottom[2 * cols] == " " and bottom[3 * cols] != " "
    assert "most 2020-01: 100" in chart[2]


@pytest.mark.parametrize("width", [40, 30])
def test_timeline_bars_name_no_busiest_month_when_months_tie(width) -> None:
    # (every month had one match, and the chart said "most 2018-07: 1")
    chart = timeline_bars([("2016-06", 1), ("2017-03", 2), ("2018-07", 2)], width, height=2).plain.splitlines()
    assert "most" not in chart[2]
    assert chart[2].startswith("2016-06") and "2018-07" in chart[2]


@pytest.mark.parametrize("behind, stored, said", [
    (1, 5, "1 of 5 stored articles is not searchable yet"),
    (2, 5, "2 of 5 stored articles are not searchable yet"),
    (1, 1, "1 of 1 stored article is not searchable yet"),
    (1872, 3268, "1,872 of 3,268 stored articles are not searchable yet"),
])
def test_not_searchable_counts_the_stored_articles_in_its_noun(behind, stored, said):
    assert not_searchable(behind, stored) == said


# -- a whole article (`searchkit show`) ------------------------------------------------------

def _as_rich_lays_it_out(body: Snippet) -> Group:
    """The article as its view was built before it was laid out without Rich: its title,
    meta line and a blank line, then the text as one Rich Text."""
    return Group(Text("Назва", style="bold"), Text("undated · id", style="dim cyan"), Text(""),
                 highlighted(body.text, body.spans, lines=True))


# Words of one-cell letters, and what the layout leaves to Rich: tabs, wide, zero-width and
# combining characters, words longer than a line; spaces of several kinds (a no-break space
# breaks a line in Rich as a space does), newlines, and controls shown as symbols.
_PIECES = st.sampled_from(["мова", "табори", "a", "ґанок", "—", "«так»", "№5", " ", "  ", "\xa0", "\u2009", "\n",
                           "\n\n", "\t", "中文", "мо\u0301ва", "👍", "\u200b", "\x1b[2J", "\r\n", "\x00", "\u202e",
                           "дуже-дуже-довге-слово-без-пробілів", "  \n", "x" * 45])


@st.composite
def _bodies(draw: st.DrawFn) -> Snippet:
    text = "".join(draw(st.lists(_PIECES, max_size=40)))
    bounds = st.integers(0, len(text))
    spans = [Span(min(a, b), max(a, b)) for a, b in draw(st.lists(st.tuples(bounds, bounds), max_size=6))]
    return Snippet(text, tuple(spans))


@settings(max_examples=600, deadline=None)
@given(body=_bodies(), width=st.integers(1, 50), color=st.booleans(), soft_wrap=st.booleans())
def test_an_article_is_laid_out_as_rich_lays_out_its_text(body: Snippet, width: int, color: bool,
                                                           soft_wrap: bool) -> None:
    # Wrapped on a terminal, or whole lines in a pipe, the same characters and the same
    # marks as Rich's own layout of the text, cropped by the console or not.
    view = article_view("id", Snippet("Назва"), body, ["undated"])
    expected = render(_as_rich_lays_it_out(body), width=width, soft_wrap=soft_wrap, color=color)
    assert render(view, width=width, soft_wrap=soft_wrap, color=color) == expected
    assert render(view, width=width, soft_wrap=soft_wrap, color=color, crop=False) == expected


def test_the_characters_laid_out_without_rich_are_one_cell_each_to_rich() -> None:
    from rich.cells import cell_len

    one_cell = [chr(c) for c in range(0x110000) if _ONE_CELL.fullmatch(chr(c))]
    assert set("їЄґʼ’«»—…№ \xa0␛") <= set(one_cell) and not set("\t\n\u0301\u200b") & set(one_cell)
    assert [c for c in one_cell if cell_len(c) != 1] == []


def test_a_hit_with_many_near_duplicates_names_five_and_counts_the_rest() -> None:
    # the TUI shows hit_view too: one story with hundreds of copies must not fill the screen
    hit = a_hit(duplicates=tuple(f"big{i}" for i in range(797)), first_published=dt.date(2015, 1, 1))
    out = render(hit_view(hit), width=200, color=True)
    assert "+797 similar (first published 2015-01-01): big0, big1, big2, big3, big4 … and 792 more" in out
    assert "big5" not in out


def test_stats_says_to_run_index_once_when_the_reason_already_says_so():
    from searchkit.backends.records import LAGGING_GROUPS
    from searchkit.models import Stats
    from searchkit.render.stats import stats_view

    stats = Stats(articles=3, sources={}, first_date=None, last_date=None, index_bytes=10, index_up_to_date=False,
                  corpus_articles=3, index_outdated_reason=LAGGING_GROUPS)
    out = io.StringIO()
    Console(file=out, width=300, color_system=None).print(stats_view(stats))
    assert out.getvalue().count("`searchkit index`") == 1
    stats = Stats(articles=2, sources={}, first_date=None, last_date=None, index_bytes=10, index_up_to_date=False,
                  corpus_articles=3, index_outdated_reason="1 article in corpus/ is not indexed yet")
    out = io.StringIO()
    Console(file=out, width=300, color_system=None).print(stats_view(stats))
    assert "not indexed yet; run `searchkit index`" in out.getvalue()


def test_stats_writes_every_count_with_thousands_separators_as_its_topics_line_does():
    # (``1396 indexed, 1396 in corpus/`` above ``learnt from 1,396 articles``)
    import datetime as dt

    from searchkit.models import Stats
    from searchkit.render.stats import stats_view

    sources = {f"джерело {i}": 1_000 + i for i in range(1_016)}
    stats = Stats(articles=1_396_000, sources=sources, first_date=dt.date(2014, 1, 1), last_date=dt.date(2024, 1, 1),
                  index_bytes=10, index_up_to_date=True, corpus_articles=1_396_001, undated=12_345,
                  topics_learnt_from=1_396_000)
    out = io.StringIO()
    Console(file=out, width=300, color_system=None).print(stats_view(stats))
    text = out.getvalue()
    assert "1,396,000 indexed, 1,396,001 in corpus/" in text and "(12,345 undated)" in text
    assert "learnt from 1,396,000 articles" in text
    assert " 1,000  джерело 0" in text and "… and 1,001 more" in text
