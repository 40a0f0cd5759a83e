"""The report's chart as geometry: stacked monthly bars of events by kind, and the monthly
cooperation score as a line on its own axis. Pure numbers and labels; ``html.py`` draws them
as inline SVG (escaped by the template), so the report needs no charting library or CDN.

Hand-written because the whole chart is ~100 lines of arithmetic, while a plotting library
(matplotlib, plotly) would add a heavy dependency or inline a megabyte of JavaScript.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.exports.labels import KIND_LABELS, kind_label
from tracker.projections.model import MonthlyScore, TimelineEntry

WIDTH, HEIGHT = 960, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 56, 16, 44
PALETTE: dict[str, str] = {
    "meeting": "#1f77b4",
    "visit": "#2ca02c",
    "phone_call": "#17becf",
    "statement": "#9467bd",
    "joint_statement": "#8c564b",
    "agreement": "#ff7f0e",
    "trade_figure": "#bcbd22",
    "descriptor": "#7f7f7f",
}
OTHER_COLOUR = "#555555"


@dataclass(frozen=True)
class Bar:
    """One segment of a month's stacked bar."""

    x: float
    y: float
    width: float
    height: float
    kind: str
    colour: str
    title: str


@dataclass(frozen=True)
class Point:
    """One month's cooperation score."""

    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Tick:
    """An axis tick: position along its axis and label."""

    at: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    """A kind present in the chart and its colour."""

    kind: str
    label: str
    colour: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG needs; ``empty`` when there is nothing dated to draw."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: tuple[Bar, ...]
    points: tuple[Point, ...]
    count_ticks: tuple[Tick, ...]
    score_ticks: tuple[Tick, ...]
    month_ticks: tuple[Tick, ...]
    zero_y: float
    legend: tuple[LegendItem, ...]
    months: int

    @property
    def empty(self) -> bool:
        """True when no month has events or a score."""
        return self.months == 0

    @property
    def polyline(self) -> str:
        """The score line as SVG ``points``."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _nice_ceiling(value: float) -> float:
    """The smallest 1/2/5×10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1.0
    exp = 10.0 ** math.floor(math.log10(value))
    return next(m * exp for m in (1, 2, 5, 10) if m * exp >= value)


MonthCounts = dict[int, Counter[str]]
"""Events per kind by month index (year * 12 + month - 1)."""


def month_counts(entries: Sequence[TimelineEntry]) -> MonthCounts:
    """Events per kind by month of the dated, not planned ``entries``."""
    counts: MonthCounts = {}
    for e in entries:
        if e.occurred_on and not e.planned:
            index = e.occurred_on.year * 12 + e.occurred_on.month - 1
            counts.setdefault(index, Counter())[e.kind] += 1
    return counts


def build_chart(entries: Sequence[TimelineEntry], scores: Sequence[MonthlyScore]) -> Chart:
    """Lay out the chart of ``entries`` (dated, not planned) and the monthly ``scores``."""
    return chart_of_counts(month_counts(entries), scores)


def chart_of_counts(counts: MonthCounts, scores: Sequence[MonthlyScore]) -> Chart:
    """Lay out the chart of events per kind by month and the monthly ``scores``."""
    by_month = {_month_index(s.month): s for s in scores}
    indices = set(counts) | set(by_month)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if not indices:
        return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM,
                     (), (), (), (), (), TOP + plot_h, (), 0)  # fmt: skip
    first, last = min(indices), max(indices)
    months = last - first + 1
    band = plot_w / months
    base = TOP + plot_h
    top_count = _nice_ceiling(max((sum(c.values()) for c in counts.values()), default=1))
    lo = min(0.0, *(s.score for s in scores)) if scores else 0.0
    hi = max(0.0, *(s.score for s in scores)) if scores else 1.0
    lo, hi = (-_nice_ceiling(-lo) if lo < 0 else 0.0), _nice_ceiling(hi) if hi > 0 else 0.0
    if hi == lo:
        hi = lo + 1

    def score_y(v: float) -> float:
        return TOP + (hi - v) / (hi - lo) * plot_h

    order = [*KIND_LABELS, *sorted({k for c in counts.values() for k in c} - set(KIND_LABELS))]
    bars: list[Bar] = []
    for index, kinds in sorted(counts.items()):
        x = LEFT + (index - first) * band + band * 0.15
        y = float(base)
        for kind in order:
            n = kinds.get(kind, 0)
            if not n:
                continue
            h = n / top_count * plot_h
            y -= h
            label = f"{_month_name(index)}: {n} × {kind_label(kind).lower()}"
            bars.append(Bar(x, y, band * 0.7, h, kind, PALETTE.get(kind, OTHER_COLOUR), label))
    points = tuple(
        Point(
            LEFT + (i - first + 0.5) * band,
            score_y(s.score),
            f"{s.month}: cooperation score {s.score:+.1f} ({s.events} events)",
        )
        for i, s in sorted(by_month.items())
    )
    step = max(1, math.ceil(months / 12))
    month_ticks = tuple(
        Tick(LEFT + (i + 0.5) * band, _month_name(first + i)) for i in range(0, months, step)
    )
    count_ticks = tuple(
        Tick(base - f * plot_h, f"{top_count * f:g}") for f in (0, 0.25, 0.5, 0.75, 1)
    )
    values = sorted({lo, 0.0, hi / 2 if hi > 0 else lo / 2, hi})
    score_ticks = tuple(
        Tick(score_y(v), f"{v:+g}" if v else "0")
        for v in values
        if v == 0.0 or abs(score_y(v) - score_y(0.0)) >= 12  # keep labels apart
    )
    present = {b.kind for b in bars}
    legend = tuple(
        LegendItem(k, kind_label(k), PALETTE.get(k, OTHER_COLOUR)) for k in order if k in present
    )
    return Chart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, base, tuple(bars), points,
        count_ticks, score_ticks, month_ticks, score_y(0.0), legend, months,
    )  # fmt: skip


def sparkline(scores: Sequence[MonthlyScore], months: int = 24, width: int = 120,
              height: int = 24) -> str:  # fmt: skip
    """SVG ``points`` of the last ``months`` calendar months' scores (gaps count as 0), for a
    small line beside a relationship; empty without scores."""
    if not scores:
        return ""
    last = _month_index(scores[-1].month)
    by_month = {_month_index(s.month): s.score for s in scores}
    values = [by_month.get(i, 0.0) for i in range(last - months + 1, last + 1)]
    low, high = min(*values, 0.0), max(*values, 0.0)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )
