"""``searchkit tui``: search as you type, read articles with every match marked.

>>> from searchkit import Engine
>>> from searchkit.tui import SearchApp
>>> SearchApp(Engine("archive"), query="мовні табори").run()  # doctest: +SKIP
"""

from .app import SearchApp
from .dialogs import KEYS, Filters, FiltersScreen, HelpScreen
from .reader import ArticleBody, ReaderScreen, wrap_offsets
from .search import SearchScreen
from .similar import SimilarScreen

__all__ = [
    "KEYS",
    "ArticleBody",
    "Filters",
    "FiltersScreen",
    "HelpScreen",
    "ReaderScreen",
    "SearchApp",
    "SearchScreen",
    "SimilarScreen",
    "wrap_offsets",
]
