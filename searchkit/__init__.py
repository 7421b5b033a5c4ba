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
    NoIndex,
    QueryError,
    SearchkitError,
)
from .library import Engine
from .models import Article, Hit, ImportReport, IndexReport, Results, Snippet, Span, Stats

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleNotFound",
    "Engine",
    "Hit",
    "HomeError",
    "ImportReport",
    "IndexBusy",
    "IndexDamaged",
    "IndexReport",
    "InputError",
    "NoIndex",
    "QueryError",
    "Results",
    "SearchkitError",
    "Snippet",
    "Span",
    "Stats",
    "__version__",
]
