"""Importing and indexing jobs: the analysis pipeline (a second process analyzing while the
first stores), building an index while storing, and when to commit."""
