"""A line chart of a few series over the same periods, as an accessible, deterministic SVG string.

Labelled axes (the periods along the bottom, the unit up the side, with ticks), a legend, and each
series told apart by more than colour (a solid line with round dots, a dashed line with squares).
Missing or suppressed values break the line (a gap, never a zero). Like the sparklines
(charts.py), the SVG has ``role="img"`` with a ``<title>`` and a ``<desc>`` stating every value in
words; the page shows the same numbers in a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .charts import _finite, _num
from .plots import FONT, INK, MUTED, _ticks

# The class "app-sparkline" makes the chart shrink to its box (max-width 100%, height auto) on a phone.
STYLES = (  # (colour, dash pattern, marker) per series, in order
    ("#1d70b8", "", "circle"),
    ("#0b0c0c", "6 4", "square"),
    ("#d4351c", "2 3", "diamond"),
)
GRID = "#dcdcdc"


def _segments(points: Sequence[float | None]) -> list[list[int]]:
    segments, current = [], []
    for index, value in enumerate(points):
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(index)
    if current:
        segments.append(current)
    return segments


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{_num(x - 3.5)}" y="{_num(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<polygon points="{_num(x)},{_num(y - 4.5)} {_num(x + 4.5)},{_num(y)} {_num(x)},{_num(y + 4.5)} '
            f'{_num(x - 4.5)},{_num(y)}" fill="{colour}"/>'
        )
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" fill="{colour}"/>'


def _tick_text(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "\u2212")


def line_chart_description(labels: Sequence[str], series: Sequence[tuple[str, Sequence[str]]]) -> str:
    """Every series in words: 'London: 2023: 41, 2024: no value. England: 2023: 40, 2024: 42.'"""
    parts = []
    for name, texts in series:
        pairs = ", ".join(f"{label}: {text}" for label, text in zip(labels, texts, strict=True))
        parts.append(f"{name}: {pairs}.")
    return " ".join(parts) if parts else "No values to show."


def line_chart_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], Sequence[str]]],
    *,
    title: str,
    y_label: str,
    x_label: str = "Period",
    id_prefix: str = "line-chart",
    marker_index: int | None = None,
    marker_label: str = "",
    width: float = 640.0,
    height: float = 320.0,
) -> str:
    """Series of (name, values, texts) over `labels`, oldest first. `texts` are the values as the page
    shows them ('c' for a suppressed one). `marker_index` draws a dashed vertical line at that period,
    labelled `marker_label` (the period current when a priority was agreed, say)."""
    if len(series) > len(STYLES):
        raise ValueError(f"at most {len(STYLES)} series")
    for name, values, texts in series:
        if len(values) != len(labels) or len(texts) != len(labels):
            raise ValueError(f"{name}: {len(values)} values and {len(texts)} texts for {len(labels)} periods")
    left, right, top, bottom = 72.0, 16.0, 40.0, 56.0
    plot_w, plot_h = width - left - right, height - top - bottom
    desc = line_chart_description(labels, [(name, texts) for name, _, texts in series])
    prefix = escape(id_prefix)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" class="app-sparkline app-line-chart" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]
    points = [[_finite(v) for v in values] for _, values, _ in series]
    present = [v for line in points for v in line if v is not None]
    if present:
        lo, hi = min(present), max(present)
        if lo == hi:
            lo, hi = lo - 1, hi + 1
        pad = (hi - lo) * 0.1
        lo, hi = lo - pad, hi + pad
        if min(present) >= 0 > lo:
            lo = 0.0
    else:
        lo, hi = 0.0, 1.0
    ticks = _ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    count = len(labels)

    def x(index: int) -> float:
        return left + plot_w / 2 if count <= 1 else left + index * plot_w / (count - 1)

    def y(value: float) -> float:
        return top + (hi - value) / (hi - lo) * plot_h

    # Axes, grid and tick labels
    for tick in ticks:
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(y(tick))}" x2="{_num(left + plot_w)}" y2="{_num(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_num(left - 6)}" y="{_num(y(tick) + 4)}" text-anchor="end" font-size="12" {FONT} '
            f'fill="{INK}">{escape(_tick_text(tick))}</text>'
        )
    out.append(
        f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(top + plot_h)}" '
        f'stroke="{INK}"/>'
        f'<line x1="{_num(left)}" y1="{_num(top + plot_h)}" x2="{_num(left + plot_w)}" '
        f'y2="{_num(top + plot_h)}" stroke="{INK}"/>'
    )
    step = max(1, -(-count // 8))  # at most about eight period labels, the latest always shown
    for index, label in enumerate(labels):
        if index % step and index != count - 1:
            continue
        out.append(
            f'<text x="{_num(x(index))}" y="{_num(top + plot_h + 18)}" text-anchor="middle" font-size="12" '
            f'{FONT} fill="{INK}">{escape(str(label))}</text>'
        )
    out.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 8)}" text-anchor="middle" font-size="13" '
        f'{FONT} fill="{INK}">{escape(x_label)}</text>'
        f'<text x="16" y="{_num(top + plot_h / 2)}" text-anchor="middle" font-size="13" {FONT} fill="{INK}" '
        f'transform="rotate(-90 16 {_num(top + plot_h / 2)})">{escape(y_label)}</text>'
    )
    if marker_index is not None and 0 <= marker_index < count:
        mx = x(marker_index)
        out.append(
            f'<line x1="{_num(mx)}" y1="{_num(top)}" x2="{_num(mx)}" y2="{_num(top + plot_h)}" '
            f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="3 3"/>'
            f'<text x="{_num(mx + 4)}" y="{_num(top + 12)}" font-size="12" {FONT} fill="{MUTED}">'
            f"{escape(marker_label)}</text>"
        )
    # Legend, then the lines
    legend_x = left
    for (name, _, _), (colour, dash, marker) in zip(series, STYLES, strict=False):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{_num(legend_x)}" y1="14" x2="{_num(legend_x + 28)}" y2="14" stroke="{colour}" '
            f'stroke-width="2.5"{dashed}/>{_marker(marker, legend_x + 14, 14, colour)}'
            f'<text x="{_num(legend_x + 34)}" y="18" font-size="13" {FONT} fill="{INK}">{escape(name)}</text>'
        )
        legend_x += 44 + 7.5 * len(name)
    for line, (colour, dash, marker) in zip(points, STYLES, strict=False):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        for segment in _segments(line):
            if len(segment) > 1:
                coordinates = " ".join(f"{_num(x(i))},{_num(y(line[i]))}" for i in segment)
                out.append(
                    f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f'{dashed} stroke-linejoin="round"/>'
                )
            out.extend(_marker(marker, x(i), y(line[i]), colour) for i in segment)
    out.append("</svg>")
    return "".join(out)
