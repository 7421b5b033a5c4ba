"""Query understanding shared by every backend: the parser, one resolver of what each typed
word stands for (forms, spellings, families, corrections), the query limits and the time
budget, synonyms, the plan of one search and its explanation. The backends translate the
resolved query; the plan asks the index only through the :class:`~searchkit.backends.base.Index`
protocol."""
