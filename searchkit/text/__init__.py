"""The text layer: what a text and a word are, with no index and no files.

Normalization, the analyzer (lemmas from pymorphy3's Ukrainian dictionary, Russian and the
user lexicon's overrides), spelling variants and word families, transliteration, dates,
where query words stand in a text (snippets), near-duplicate signatures, and decoding
input bytes and HTML into text. Everything above builds on it; it imports nothing above
it (see docs/architecture.md).
"""
