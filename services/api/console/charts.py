"""Charts drawn on the server as SVG: numbers in, markup out (pure; no script, no inline style).

Each chart carries a text alternative (`role="img"` with an `aria-label`), and the pages put the
same figures in a table beside it, so nothing is said by the picture alone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

SERIES_CLASSES = 6


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"


def bar(fraction: float, *, label: str, width: int = 128, height: int = 12) -> Markup:
    """One value in [0, 1] as a filled bar (a score component); the same bar is drawn once per process."""
    return _bar(round(min(1.0, max(0.0, fraction)), 3), label, width, height)


@lru_cache(maxsize=4096)
def _bar(fraction: float, label: str, width: int, height: int) -> Markup:
    return Markup(  # noqa: S704 - the one text put in is escaped
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}">'
        f'<rect class="bar-track" width="{width}" height="{height}" rx="2"></rect>'
        f'<rect class="bar-fill" width="{fraction * width:.1f}" height="{height}" rx="2"></rect></svg>'
    )


@dataclass(frozen=True, slots=True)
class TargetRow:
    label: str
    target: float | None
    result: float


def targets(rows: Sequence[TargetRow], *, title: str, of_target: str) -> Markup:
    """Each indicator's result against its target: a grey track for the target, a bar for the result."""
    label_width, track, row_height = 240, 360, 34
    height = max(1, len(rows)) * row_height + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 {label_width + track + 170} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, row in enumerate(rows):
        y = 5 + index * row_height
        scale = max(row.target or 0.0, row.result) or 1.0
        target_width = track * (row.target or 0.0) / scale
        result_width = track * row.result / scale
        share = f" ({100 * row.result / row.target:.0f} % {of_target})" if row.target else ""
        text = f"{_number(row.result)}" + (f" / {_number(row.target)}" if row.target else "") + share
        parts.append(
            f'<text x="0" y="{y + 17}">{escape(row.label)}</text>'
            f'<rect class="target" x="{label_width}" y="{y + 4}" width="{target_width:.1f}" height="18"></rect>'
            f'<rect class="result" x="{label_width}" y="{y + 8}" width="{result_width:.1f}" height="10"></rect>'
            f'<text x="{label_width + track + 8}" y="{y + 17}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text put in is escaped above


def funnel(stages: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """Introductions reaching each stage, widest first."""
    label_width, track, row_height = 200, 420, 32
    top = max((count for _, count in stages), default=0) or 1
    height = max(1, len(stages)) * row_height + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 {label_width + track + 90} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (name, count) in enumerate(stages):
        y = 5 + index * row_height
        parts.append(
            f'<text x="0" y="{y + 18}">{escape(name)}</text>'
            f'<rect class="result" x="{label_width}" y="{y + 4}" width="{track * count / top:.1f}" height="20"></rect>'
            f'<text x="{label_width + track * count / top + 6:.1f}" y="{y + 18}">{count:,}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text put in is escaped above


def trends(periods: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, title: str) -> Markup:
    """One line per group over the periods, with a legend; the largest six groups are drawn."""
    width, height, left, bottom, legend_width = 640, 240, 70, 30, 280
    shown = sorted(series, key=lambda s: -sum(s[1]))[:SERIES_CLASSES]
    top = max((max(values, default=0.0) for _, values in shown), default=0.0) or 1.0
    plot_width, plot_height = width - left - 10, height - bottom - 10
    step = plot_width / max(1, len(periods) - 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width + legend_width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line class="axis" x1="{left}" y1="10" x2="{left}" y2="{10 + plot_height}"></line>',
        f'<line class="axis" x1="{left}" y1="{10 + plot_height}" x2="{width - 10}" y2="{10 + plot_height}"></line>',
        f'<text x="0" y="20">{escape(_number(top))}</text><text x="0" y="{10 + plot_height}">0</text>',
    ]
    if periods:
        parts.append(f'<text x="{left}" y="{height - 8}">{escape(periods[0])}</text>')
        parts.append(f'<text x="{width - 90}" y="{height - 8}">{escape(periods[-1])}</text>')
    for index, (name, values) in enumerate(shown):
        points = " ".join(
            f"{left + i * step:.1f},{10 + plot_height - plot_height * value / top:.1f}"
            for i, value in enumerate(values)
        )
        parts.append(f'<polyline class="series-{index}" points="{points}"></polyline>')
        y = 20 + index * 22
        parts.append(
            f'<rect class="swatch-{index}" x="{width + 10}" y="{y - 10}" width="14" height="14"></rect>'
            f'<text x="{width + 30}" y="{y + 2}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text put in is escaped above
