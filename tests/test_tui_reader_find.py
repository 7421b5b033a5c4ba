"""In the reader: ``/`` (or Ctrl+F) finds a word in the article, every form of it as a search
matches it, and n/N step through what it found; ``m`` lists the articles like the one open,
with the key words each shares, and Enter opens one. Keys are sent as a terminal read gives
them (:func:`~tests.tuipilot.burst`)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from searchkit import Engine
from searchkit.render import MATCH_STYLE
from searchkit.tui import KEYS, ArticleBody, HelpScreen, ReaderScreen, SimilarScreen

from .test_tui import eng, make_app  # noqa: F401
from .tuipilot import burst, open_hit, screen, until

pytestmark = pytest.mark.asyncio


def where(reader: ReaderScreen) -> str:
    """The line under the title that says which match is current."""
    return str(reader.query_one("#reader-where", Static).content)


def marked(reader: ReaderScreen) -> list[str]:
    """The words marked in the article's text, in order."""
    body = reader.query_one(ArticleBody)
    return [body.text[s.start:s.end] for s in body.spans]


def shown(renderable: object) -> str:
    """What ``renderable`` shows, its lines joined by spaces."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return " ".join(console.file.getvalue().split())  # type: ignore[attr-defined]


async def test_slash_finds_every_form_of_a_word_in_the_article_and_n_steps_through_them(
        eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        # дитина (the lemma) finds діти; n typed in the same read waits for the matches
        await burst(pilot, "/дитина\rn")
        await until(pilot, lambda: "match 2 of" in where(reader), "the second match")
        _, expected = eng.highlight(eng.get("t1"), "дитина", find_dates=False)
        assert reader.query_one(ArticleBody).spans == expected.spans  # as the library marks them
        n = len(expected.spans)
        assert n > 50 and set(marked(reader)) == {"діти"}
        assert where(reader).startswith(f"дитина: match 2 of {n}")
        assert app.focused is reader.query_one(ArticleBody)  # the box closed, the keys scroll again
        assert not reader.query_one("#find", Input).display
        await burst(pilot, "N")
        await until(pilot, lambda: f"match 1 of {n}" in where(reader), "the first match again")
        await burst(pilot, "N")  # from the first, back to the last
        await until(pilot, lambda: f"match {n} of {n}" in where(reader), "the last match")
        body = reader.query_one(ArticleBody)
        assert body.scroll_y > 0  # the last one is far down: scrolled to it


async def test_ctrl_f_finds_too_and_an_empty_find_marks_the_search_matches_again(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        search_marks = marked(reader)
        assert set(search_marks) == {"таборі", "Табори", "табором"}
        await pilot.press("ctrl+f")
        await burst(pilot, "річка\r")
        await until(pilot, lambda: where(reader).startswith("річка: match 1 of"), "річка found")
        assert set(marked(reader)) == {"річки"}
        await burst(pilot, "/\r")  # nothing typed: the search's matches again
        await until(pilot, lambda: where(reader).startswith(f"match 1 of {len(search_marks)}"), "the search's")
        assert marked(reader) == search_marks


async def test_a_word_the_article_lacks_is_said_to_be_not_in_the_text(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        await burst(pilot, "/міст\r")
        await until(pilot, lambda: where(reader).startswith("міст:"), "the find done")
        assert "not in the text" in where(reader) and marked(reader) == []


async def test_esc_in_the_find_box_closes_it_and_the_next_esc_goes_back_to_the_results(
        eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        before = marked(reader)
        await burst(pilot, "/qn")  # q and n are letters in the box: no quit, no jump
        box = reader.query_one("#find", Input)
        await until(pilot, lambda: box.value == "qn", "typed into the box")
        assert app.screen is reader and box.display and app.focused is box
        await pilot.press("escape")
        await until(pilot, lambda: not box.display, "the box closed")
        assert app.screen is reader and app.focused is reader.query_one(ArticleBody) and marked(reader) == before
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen(app), "back to the results")


async def test_m_lists_the_similar_articles_with_their_shared_key_words_and_enter_opens_one(
        eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t3")
        await burst(pilot, "m")
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar articles")
        listing = app.screen
        assert isinstance(listing, SimilarScreen)
        expected = eng.similar("t3")
        assert [h.id for h in listing.results.hits] == [h.id for h in expected.hits] == ["t1"]
        head = shown(listing.query_one("#similar-head", Static).content)
        assert "Like Зимовий табір (t3)" in head and "key words: " + ", ".join(expected.searched_as) in head
        first = shown(listing.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Літній табір біля річки" in first and "shared: " + ", ".join(expected.hits[0].shared) in first
        await burst(pilot, "\rn")  # Enter opens it; n, in the same read, is for its reader
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen is not reader, "t1 open")
        opened = app.screen
        assert isinstance(opened, ReaderScreen) and opened.article.id == "t1"
        await until(pilot, lambda: where(opened).startswith("match 2 of 3"), "n stepped in t1")  # табір marked
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is reader, "back to the article it came from")


async def test_m_and_enter_in_one_read_open_the_first_similar_article(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_hit(pilot, app, "табір", "t3")
        await burst(pilot, "m\r")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article.id == "t1", "t1")


async def test_an_article_like_no_other_says_why_as_the_cli_does(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табори")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_hit(pilot, app, "табори", "t2")
        await burst(pilot, "m")
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar articles")
        head = shown(app.screen.query_one("#similar-head", Static).content)
        assert "No similar articles." in head
        assert "the article shares fewer than two key words with any other" in head
        assert not app.screen.query_one(OptionList).display
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "back in the reader")


async def test_the_reader_footer_and_the_help_name_find_and_similar(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(160, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        shown_keys = {b.binding.key_display or b.binding.key: b.binding.description
                      for b in reader.active_bindings.values() if b.binding.show}
        assert shown_keys["/"] == "Find" and shown_keys["m"] == "Similar"
        article_keys = dict(dict(KEYS)["Article"])
        assert "/, Ctrl+F" in article_keys and "m" in article_keys
        await burst(pilot, "?")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        text = shown(app.screen.query_one("#help-keys", Static).content)
        assert "/, Ctrl+F" in text and "similar articles" in text


async def test_a_backspace_typed_in_one_read_with_the_word_and_enter_corrects_the_word_found(
        eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        await burst(pilot, "/річкаx\x7f\rn")  # x, Backspace: річка is found, n steps
        await until(pilot, lambda: where(reader).startswith("річка: match 2 of"), "річка's second match")
        assert set(marked(reader)) == {"річки"}


def title_marks(reader: ReaderScreen) -> list[str]:
    """The words marked in the article's title as the reader heads it."""
    title = reader.query_one("#reader-title", Static).content
    assert hasattr(title, "spans")
    return [str(title)[s.start:s.end] for s in title.spans if MATCH_STYLE in str(s.style)]


async def test_a_word_found_is_marked_in_the_title_too_and_an_empty_find_marks_the_search_again(
        eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")  # «Літній табір біля річки»
        assert title_marks(reader) == ["табір"]
        await burst(pilot, "/річка\r")
        await until(pilot, lambda: where(reader).startswith("річка:"), "the word found")
        title, _ = eng.highlight(eng.get("t1"), "річка", find_dates=False)
        assert title_marks(reader) == [title.text[s.start:s.end] for s in title.spans] == ["річки"]
        await burst(pilot, "/\r")
        await until(pilot, lambda: not where(reader).startswith("річка:"), "the search's matches again")
        assert title_marks(reader) == ["табір"]


async def test_on_a_small_terminal_the_similar_articles_show_below_their_key_words(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(40, 12)) as pilot:
        await open_hit(pilot, app, "табір", "t3")
        await burst(pilot, "m")
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar articles")
        await pilot.pause()
        dialog = app.screen
        listing = dialog.query_one(OptionList)
        # (the key words took every row of the dialog: no similar article was in sight)
        assert dialog.query_one("Vertical").region.contains_region(listing.region)
        assert listing.scrollable_content_region.height >= 1 and listing.highlighted == 0


async def test_q_in_a_list_closes_it_as_the_help_says(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(160, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t3")
        await burst(pilot, "m")
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar articles")
        await burst(pilot, "q")
        await until(pilot, lambda: app.screen is reader, "back in the reader")
        assert app.is_running
        await burst(pilot, "?")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        text = shown(app.screen.query_one("#help-keys", Static).content)
        assert "in a list of articles or saved searches, or in this help, q closes it" in text


async def test_a_word_found_in_the_title_alone_is_said_to_be_in_the_title(eng: Engine) -> None:  # noqa: F811
    # the title was marked, and the line under it said only "not in the text · / finds another word"
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t2")
        await burst(pilot, "/заголовок:школяр\r")
        await until(pilot, lambda: where(reader).startswith("заголовок:школяр:"), "the find done")
        assert "in the title, not in the text" in where(reader) and marked(reader) == []
        assert title_marks(reader) == ["школярів"]
