"""Options several commands share: filters, search options, output formats, progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..export import EXPORT_FORMATS
from ..models import DEFAULT_LIMIT, FACETS_COVER, MAX_LIMIT, SORTS

progress_option = click.option(
    "--progress/--no-progress", default=None,
    help="Show progress on stderr: a bar on a terminal, else a line every half second. [default: on a terminal]")


#: ``--source`` of every command that filters by it (search, explain, saved add): one filter, one rule.
source_option = click.option("--source", metavar="NAME", help="Only articles from this source (case, apostrophes "
                             "and Latin look-alike letters in Cyrillic words do not matter).")

filter_options = [
    click.option("--since", metavar="DATE", help="Only articles dated on or after: YYYY-MM-DD, DD.MM.YYYY, a year "
                 "or a month (2016, 2022-03, 'лютий 2023') or a phrase like 'вчора', 'минулого тижня', "
                 "'у березні 2022'."),
    click.option("--until", metavar="DATE", help="Only articles dated on or before (same forms as --since; a year "
                 "or a month up to its last day)."),
    source_option,
]


#: Which page of hits, of how many (search, similar, saved run).
page_options = [
    click.option("-n", "--limit", default=DEFAULT_LIMIT, show_default=True, type=click.IntRange(1, MAX_LIMIT),
                 help="Hits per page."),
    click.option("-p", "--page", default=1, show_default=True, type=click.IntRange(1), help="Page number."),
]


def paged(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f`` with :data:`page_options`."""
    for opt in reversed(page_options):
        f = opt(f)
    return f


def search_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        *page_options,
        *filter_options,
        click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
                     help="date: newest first, one day's articles by id, undated last."),
        click.option("--exact", is_flag=True,
                     help="Search exactly what was typed: no spelling correction, no transliteration, no other "
                     "spellings, only articles with every word."),
        click.option("--all", "all_words", is_flag=True,
                     help="Only articles with every word (by default those with some of the words follow them)."),
        click.option("--no-collapse", is_flag=True, help="List near-duplicates (republished copies) as separate hits."),
        click.option("--facets", metavar="LIST", multiple=True,
                     help=f"Count {FACETS_COVER}, per value of: source, year, month (comma-separated; "
                          "--facets source --facets year combine)."),
    ]
    f = output_options(f)
    for opt in reversed(opts):
        f = opt(f)
    return f


FORMATS = ("text", "json", *EXPORT_FORMATS)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option("--json", "as_json", is_flag=True, help="One JSON object per search (same as --format json)."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="text (default); json: one object per search; jsonl: one hit per line; csv; md (Markdown)."),
        click.option("--bom", is_flag=True, help="Start CSV with a UTF-8 byte order mark, for spreadsheet programs."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f
