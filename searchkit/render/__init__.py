"""Rich renderables shared by the CLI and the TUI.

Article text never goes through Rich markup (a ``[`` in a headline would be read as a tag):
every piece is a :class:`rich.text.Text` and matches are applied with ``stylize``.

Nor does it reach the terminal raw: titles, sources, ids and texts are untrusted, and an
escape sequence in one (``ESC [2J`` clears the screen, ``ESC ]0;…`` sets the window title)
would act on the reader's terminal. :func:`printable` (:mod:`searchkit.text.controls`)
shows every control character as a visible symbol (``␛``, ``␀``) one for one, so match
offsets stay valid; every view here and in the TUI passes untrusted text through it.
"""

from __future__ import annotations

from ..text.controls import printable
from ._common import MATCH_STYLE, Hanging, highlighted, sentence, snippet_text
from .analysis import TABLE_ROWS as TABLE_ROWS
from .analysis import analysis_table, analysis_view
from .article import _ONE_CELL as _ONE_CELL
from .article import article_view
from .duplicates import duplicates_view
from .explain import explain_view
from .notes import EMPTY_HOME as EMPTY_HOME
from .notes import backlog_note as backlog_note
from .notes import fix_or_delete, not_searchable, unreadable_behind
from .notes import marked_note as marked_note
from .results import FACET_VALUES_SHOWN as FACET_VALUES_SHOWN
from .results import facets_cover as facets_cover
from .results import (
    facets_view,
    hit_view,
    no_matches,
    nothing_new,
    results_header,
    results_notes,
    results_view,
    similar_head,
    similar_view,
    suggestion_line,
)
from .results import partial_rule as partial_rule
from .results import tiers as tiers
from .results import topic_order_line as topic_order_line
from .results import why_no_match as why_no_match
from .saved import local_time, saved_filters, saved_table
from .stats import human_bytes, stats_view
from .timeline import BAR_STYLE as BAR_STYLE
from .timeline import fill_months, timeline_bars, timeline_view

__all__ = [
    "MATCH_STYLE",
    "fix_or_delete",
    "not_searchable",
    "printable",
    "sentence",
    "unreadable_behind",
    "Hanging",
    "analysis_table",
    "analysis_view",
    "article_view",
    "duplicates_view",
    "explain_view",
    "facets_view",
    "fill_months",
    "highlighted",
    "hit_view",
    "human_bytes",
    "local_time",
    "no_matches",
    "nothing_new",
    "results_header",
    "results_notes",
    "results_view",
    "saved_filters",
    "saved_table",
    "similar_head",
    "similar_view",
    "suggestion_line",
    "snippet_text",
    "stats_view",
    "timeline_bars",
    "timeline_view",
]
