"""Results written in the chosen format (text, JSON, JSON Lines, CSV, Markdown); several
queries make one CSV table."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from ..text.controls import printable, quoted
from .shell import Ctx, error_line, fail

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Results


class Output:
    """Writes :class:`Results` in the chosen format; several queries make one CSV table."""

    def __init__(self, c: Ctx, fmt: str | None, as_json: bool, bom: bool) -> None:
        if as_json and fmt not in (None, "json"):
            fail(f"--json and --format {fmt} contradict each other: give one")
        self.fmt = "json" if as_json else (fmt or "text")
        if bom and self.fmt != "csv":
            fail("--bom applies to --format csv only")
        self.c = c
        self.bom = bom
        self.started = False

    @property
    def exports(self) -> bool:
        """Whether the results go to a file for other tools (JSON Lines, CSV, Markdown):
        every hit's snippet, and the notes (and what was cut short) on stderr."""
        return self.fmt in ("jsonl", "csv", "md")

    def _write(self, text: str) -> None:
        # Exports are UTF-8 whatever the terminal's locale says: they are files for tools.
        # Shown on a terminal they must not carry an article's escape sequences to it.
        if sys.stdout.isatty():
            text = printable(text, lines=True)
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # pragma: no cover - a text-only stdout (embedded use)
            sys.stdout.write(text)
            return
        out.write(text.encode("utf-8"))
        out.flush()

    def advised(self, results: Results) -> Results:
        """``results`` with each command its notes advise naming the home given."""
        if not results.warnings:
            return results
        import dataclasses

        return dataclasses.replace(results, warnings=tuple(self.c.advise(w) for w in results.warnings))

    def results(self, results: Results, *, heading: str | None = None, view: Any = None, after: Any = None,
                extra: dict[str, Any] | None = None, source: str | None = None) -> None:
        """Write one query's results; ``view`` replaces the text rendering, ``after`` follows
        it (text only), ``extra`` adds keys to the JSON object; ``source`` is the source
        filter, echoed as the dates are."""
        from .. import export

        results = self.advised(results)
        first, self.started = not self.started, True
        if self.exports:  # (the text output says them above its header, JSON in "warnings" and "cut")
            # a file of hits has no place for them: unsaid, a `saved run --new` export short
            # of its last page listed the same page at every run, its mark never moving
            for note in results.warnings:
                click.echo(printable(" ".join(f"Note: {note}".split())), err=True)
            for note in results.cut:
                click.echo(" ".join(f"Cut short: {note}".split()), err=True)
        if self.fmt == "json":
            echo = {"source_filter": source} if source else {}
            click.echo(json.dumps({**results.to_json(), **echo, **(extra or {})}, ensure_ascii=False))
        elif self.fmt == "jsonl":
            self._write(export.to_jsonl([results]))
        elif self.fmt == "csv":
            self._write(export.to_csv([results], bom=self.bom and first, header=first))
        elif self.fmt == "md":
            self._write(("" if first else "\n") + export.to_markdown([results]))
        else:
            from ..render import results_view

            out = self.c.console()
            if heading:
                out.print(heading, style="bold magenta")
            if source and source.strip():  # (as the filter takes it; a blank one is refused before)
                out.print(f"Source: {printable(source.strip())}", style="dim")
            out.print(view if view is not None else results_view(results))
            if after is not None:
                out.print(after)
                out.print()

    def error(self, query: str, message: str) -> None:
        if self.fmt in ("json", "jsonl"):
            click.echo(json.dumps({"query": query, "error": message}, ensure_ascii=False))
        else:
            click.echo(error_line(f"{quoted(query)}: {message}"), err=True)
