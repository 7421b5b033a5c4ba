"""Timelines: matches per month, as a histogram for the CLI and as bars for the TUI."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

_EIGHTHS = " ▏▎▍▌▋▊▉█"
_LEVELS = " ▁▂▃▄▅▆▇█"
BAR_STYLE = "cyan"


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fill_months(months: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every month from the first to the last of ``months``, with 0 for the missing ones."""
    if not months:
        return []
    counts = {_month_index(m): n for m, n in months}
    return [(_month_name(i), counts.get(i, 0)) for i in range(min(counts), max(counts) + 1)]


def _hbar(value: float, width: int) -> str:
    """A horizontal bar ``value`` cells long (fractions in eighths)."""
    eighths = round(value * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else ""))[:width] or "▏"


def busiest_month(months: Sequence[tuple[str, int]]) -> tuple[str, int] | None:
    """The month with the most matches and their count, when one month has more than every
    other; ``None`` when several tie or there is one month only ("most in 2016-06" of four
    months of one match each misleads)."""
    if len(months) < 2:
        return None
    peak = max(n for _, n in months)
    tops = [m for m, n in months if n == peak]
    return (tops[0], peak) if len(tops) == 1 else None


def timeline_view(months: Sequence[tuple[str, int]], *, gap: int = 2) -> RenderableType:
    """A per-month histogram (one row per month) for plain output.

    Runs of more than ``gap`` empty months fold into one ``⋮`` row, so a story that broke
    twice, years apart, still fits on a screen.
    """
    if not months:
        return Text("Timeline: no dated matches.", style="dim")
    return _Histogram(list(months), gap)


class _Histogram:
    def __init__(self, months: list[tuple[str, int]], gap: int) -> None:
        self.months = months
        self.gap = gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        total = sum(n for _, n in self.months)
        peak = max(n for _, n in self.months)
        busiest = busiest_month(self.months)
        most = f", most in {busiest[0]} ({busiest[1]})" if busiest else ""
        yield Text.assemble(("Timeline: ", "bold"), f"{total} dated match{'es' if total != 1 else ''}, "
                            f"{self.months[0][0]} … {self.months[-1][0]}{most}")
        width = max(10, min(options.max_width, 100) - 8 - len(str(peak)) - 1)
        prev: int | None = None
        for month, n in self.months:
            i = _month_index(month)
            if prev is not None and i - prev - 1 > self.gap:
                yield Text(f"{'⋮':>7}  {i - prev - 1} months without matches", style="dim")
            elif prev is not None:
                for j in range(prev + 1, i):
                    yield Text(f"{_month_name(j)} 0", style="dim")
            yield Text.assemble((month, "cyan"), " ", (_hbar(n / peak * width, width), BAR_STYLE), f" {n}")
            prev = i


def timeline_bars(months: Sequence[tuple[str, int]], width: int, *, height: int = 2) -> Text:
    """A bar chart ``height`` rows high and at most ``width`` cells wide, oldest month on the
    left, then a row of labels: first month, the busiest month, last month.

    Months without matches keep their place, so the gaps show; when there are more months
    than cells, neighbouring months share a bar.
    """
    filled = fill_months(months)
    if not filled or width < 8:
        return Text("")
    per_bar = -(-len(filled) // width)  # ceil: months in one bar
    bars = [sum(n for _, n in filled[i : i + per_bar]) for i in range(0, len(filled), per_bar)]
    cols = max(1, min(3, width // len(bars)))  # cells per bar: wider bars when few months
    peak = max(bars)
    levels = [round(b / peak * height * 8) if b else 0 for b in bars]
    levels = [max(lv, 1) if b else 0 for lv, b in zip(levels, bars, strict=True)]  # any match shows
    out = Text()
    for row in range(height, 0, -1):
        floor = (row - 1) * 8
        out.append("".join(_LEVELS[min(8, max(0, lv - floor))] * cols for lv in levels), style=BAR_STYLE)
        out.append("\n")
    first, last = filled[0][0], filled[-1][0]
    busiest = busiest_month(filled)
    chart = len(bars) * cols
    middle = f"most {busiest[0]}: {busiest[1]}" if busiest else ""
    gap = chart - len(first) - len(last)
    if first == last:
        labels = f"{first}: {filled[0][1]}"
    elif gap >= len(middle) + 2:  # under the bars: first month, busiest month, last month
        left = (gap - len(middle)) // 2
        labels = f"{first}{' ' * left}{middle}{' ' * (gap - len(middle) - left)}{last}"
    else:  # a narrow chart: say it in a line
        labels = f"{first} … {last}" + (f" · {middle}" if middle else "")
    out.append(labels[:width], style="dim")
    return out
