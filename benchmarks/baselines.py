#!/usr/bin/env python3
"""The two ways searchkit is compared with when indexing, as standalone commands.

usage: python benchmarks/baselines.py plain|naive CORPUS.jsonl INDEX_DIR
       python benchmarks/baselines.py run INDEX_DIR QUERIES.jsonl RUN.tsv

- ``plain``: Whoosh as it comes: ``StandardAnalyzer`` on title and body, one writer.
- ``naive``: the obvious way to add Ukrainian lemmas: a Whoosh filter that calls
  pymorphy3's ``parse()`` on each token and indexes the first parse's normal form,
  with a dict cache per distinct token.

Both index the same fields as searchkit (id, title, body, date, source). Prints the
number of documents.

``run`` searches a ``naive`` index the naive way, the reference ranking the relevance
figures compare with: each query's words OR-ed over title and body (Whoosh's own query
parser and analyzer), BM25F with Whoosh's defaults; writes the top 100 of each query of a
query set as a run (``qid<TAB>id<TAB>rank``) for the set's scorer.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from whoosh import fields, index
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StandardAnalyzer


class MorphFilter(Filter):
    """Replaces each token's text by pymorphy3's first normal form (cached per word)."""

    def __init__(self) -> None:
        import pymorphy3

        self.morph = pymorphy3.MorphAnalyzer(lang="uk")
        self.cache: dict[str, str] = {}

    def __call__(self, tokens: Any) -> Any:
        cache = self.cache
        parse = self.morph.parse
        for t in tokens:
            lemma = cache.get(t.text)
            if lemma is None:
                lemma = cache[t.text] = parse(t.text)[0].normal_form
            t.text = lemma
            yield t


def schema(kind: str) -> fields.Schema:
    if kind == "plain":
        analyzer = StandardAnalyzer()
    else:
        analyzer = RegexTokenizer(r"\w+(?:['’ʼ-]\w+)*") | LowercaseFilter() | MorphFilter()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True, analyzer=analyzer),
        body=fields.TEXT(analyzer=analyzer),
        date=fields.NUMERIC(int, bits=32, sortable=True),
        source=fields.ID(stored=True),
    )


def build(kind: str, corpus: Path, out: Path) -> int:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    ix = index.create_in(str(out), schema(kind))
    writer = ix.writer(limitmb=256)
    n = 0
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            date = str(rec.get("date") or "")[:10].replace("-", "")
            writer.add_document(id=str(rec.get("id", n)), title=rec.get("title") or "", body=rec["text"],
                                date=int(date) if date.isdigit() else 0, source=rec.get("source") or None)
            n += 1
    writer.commit()
    return n


def run(ixdir: Path, queries: Path, out: Path) -> int:
    """Writes the naive OR-ed ranking of each query; returns the number of queries."""
    from whoosh import qparser, scoring

    ix = index.open_dir(str(ixdir))
    parser = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.OrGroup)
    n = 0
    with ix.searcher(weighting=scoring.BM25F()) as s, open(out, "w", encoding="utf-8") as f, \
            open(queries, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            q = json.loads(line)
            for rank, hit in enumerate(s.search(parser.parse(q["query"]), limit=100), 1):
                f.write(f"{q['qid']}\t{hit['id']}\t{rank}\n")
            n += 1
    return n


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "run":
        print(run(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])))
    elif len(sys.argv) == 4 and sys.argv[1] in ("plain", "naive"):
        print(build(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
