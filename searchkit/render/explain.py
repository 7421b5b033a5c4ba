"""Why an article matched a query (``searchkit explain``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, JustifyMethod, RenderableType
from rich.text import Text

from ..text.controls import printable
from ._common import _ORIGINS, told

if TYPE_CHECKING:  # pragma: no cover
    from ..query.explain import Explanation


def explain_view(ex: Explanation) -> RenderableType:
    """``searchkit explain``: the query as understood, then the article's score by part."""
    from rich.table import Table  # only the commands that print tables load it

    parts: list[RenderableType] = [Text.assemble(("Query ", "bold"), printable(ex.query))]
    if ex.corrected_query:
        parts.append(Text.assemble("Explained as ", (printable(ex.corrected_query), "bold"),
                                   " (the query finds nothing)", style="yellow"))
    words = Table(box=None, header_style="bold", padding=(0, 1))
    for col in ("word", "normal form", "lemma(s)", "from", "role"):
        words.add_column(col)
    for w in ex.words:
        role = w.role + (f" ({w.field})" if w.field else "") + (", excluded" if w.negated else "")
        origin = _ORIGINS.get(w.origin, w.origin) + ("" if w.known or w.origin in ("", "lexicon") else ", guess")
        lemmas = ", ".join(w.lemmas) + (f"; searched as {', '.join(w.searched_as)}" if w.searched_as else "")
        words.add_row(Text(printable(w.text)), Text(printable(w.form)), Text(printable(lemmas)), Text(origin),
                      Text(role))
    parts.append(words)
    for label, values in (("Synonyms", ex.synonyms), ("Searched as", ex.searched_as)):
        if values:
            parts.append(Text(f"{label}: " + printable("; ".join(values)), style="dim"))
    if ex.date_range is not None:
        rng = ex.date_range
        inside = "" if ex.in_date_range else " — the article's date is outside it"
        parts.append(Text(f"Dates: {rng}" + (f" ({rng.phrase})" if rng.phrase else "") + inside, style="dim"))
    parts += told(ex.warnings)
    parts += [Text("Query tree", style="bold"), Text(printable(ex.tree, lines=True), style="dim"), Text("")]
    parts.append(Text.assemble(("Article ", "bold"), (printable(ex.title or "(untitled)"), "bold"),
                               f"  ({printable(ex.article_id)})"))
    if ex.rank is not None and ex.in_search_order:
        # (the place ``search`` numbers it at; the rank by score beside it when the topic
        # order or the near-duplicates folded before it moved it)
        under = f" (folded into {printable(ex.listed_under)} as its near-duplicate)" if ex.listed_under else ""
        by_score = f" (by score alone: rank {ex.score_rank:,} of all matches)" if ex.score_rank != ex.rank else ""
        verdict = Text(f"matches: place {ex.rank:,} in the search{under}, score {ex.score:.2f}{by_score}",
                       style="green")
    elif ex.rank is not None:
        verdict = Text(f"matches: rank {ex.rank:,} by score of all matches (near-duplicates not folded), "
                       f"score {ex.score:.2f}", style="green")
    elif ex.matches_query:
        verdict = Text(f"matches the words (score {ex.score:.2f}) but the filters leave it out", style="yellow")
    else:
        verdict = Text("does not match the query", style="yellow")
    parts.append(verdict)
    if ex.topic is not None and ex.matches_query:
        which = "the place above is in that order" if ex.in_search_order else "the rank above is by score"
        parts.append(Text(f"topic: cosine {ex.topic:.2f} with the query's; in the first {ex.topic_window} results "
                          f"the score counts × {ex.topic_factor:.2f} to order them ({which})", style="dim"))
    if ex.missing:
        parts.append(Text("not in the article: " + printable(", ".join(ex.missing)), style="yellow"))
    if ex.excluded:
        parts.append(Text("holds what the query leaves out: " + printable(", ".join(ex.excluded)), style="yellow"))
    if ex.contributions:
        table = Table(box=None, header_style="bold", padding=(0, 1))
        columns: tuple[tuple[str, JustifyMethod], ...] = (
            ("score", "right"), ("query word", "left"), ("matched as", "left"), ("field", "left"),
            ("in the article", "left"))
        for col, justify in columns:
            table.add_column(col, justify=justify)
        for c in ex.contributions:
            table.add_row(f"+{c.score:.2f}", Text(printable(c.query_word or "—")),
                          Text(printable(f"{c.kind} {c.term}")), c.field, Text(printable(", ".join(c.found))))
        parts.append(table)
    if ex.matched:
        parts.append(Text("matched: " + printable(", ".join(f"{form} ← {term}" for form, term in ex.matched)),
                          style="dim"))
    return Group(*parts)
