"""What the engine answers: a search run from its understood query to :class:`Results`
(partial matches, date words searched as words, the months), the hits with their
snippets, similar articles, the explanation of one hit, and the home's stats."""
