"""searchkit: full-text search for Ukrainian news articles.

>>> from searchkit import Engine
>>> eng = Engine(".")                               # doctest: +SKIP
>>> for hit in eng.search("політв'язні"):          # doctest: +SKIP
...     print(hit.title, hit.snippet.marked())
"""

from .errors import (
    ArticleNotFound,
    HomeError,
    IndexBusy,
    IndexDamaged,
    InputError,
    LexiconError,
    NoIndex,
    QueryError,
    SearchkitError,
)
from .explain import Contribution, Explanation, QueryWord
from .library import Engine
from .models import Article, DateRange, Hit, ImportReport, IndexReport, Results, Snippet, Span, Stats

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleNotFound",
    "Contribution",
    "DateRange",
    "Engine",
    "Explanation",
    "Hit",
    "HomeError",
    "ImportReport",
    "IndexBusy",
    "IndexDamaged",
    "IndexReport",
    "InputError",
    "LexiconError",
    "NoIndex",
    "QueryError",
    "QueryWord",
    "Results",
    "SearchkitError",
    "Snippet",
    "Span",
    "Stats",
    "__version__",
]
