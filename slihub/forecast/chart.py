"""The forecast chart: an area's published counts of children looked after at 31 March as a line, then
the forecast's middle as a dashed line inside its 50% and 80% ranges (shaded bands) up to five years
ahead. Plain SVG (no script, no style attribute) with a title and a description that state the figures;
the page shows the same numbers in a table. Coordinates are rounded to two decimals, so the same figures
always give byte-identical output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from slihub.stats.comparison_charts import nice_ticks, tick_text

FONT = 'font-family="Arial, Helvetica, sans-serif"'
INK = "#0b0c0c"  # GOV.UK text colour: the published counts, the axes
MUTED = "#505a5f"
GRID = "#e4e5e6"
MIDDLE = "#1d70b8"  # GOV.UK blue: the forecast's middle
BAND_50 = "#8fb7dd"
BAND_80 = "#d2e2f1"
Y_LABEL = "Children looked after at 31 March"
X_LABEL = "Year (at 31 March)"
WIDTH, HEIGHT = 680.0, 380.0
LEFT, RIGHT, TOP, BOTTOM = 78.0, 24.0, 58.0, 52.0


@dataclass(frozen=True)
class Point:
    """One forecast year: its middle and ranges."""

    year: int
    median: float
    p10: float
    p25: float
    p75: float
    p90: float


def _num(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def count(value: float) -> str:
    """A number of children as the page writes it: whole, thousands separated."""
    return f"{round(value):,}"


def description(name: str, history: Sequence[tuple[int, float]], points: Sequence[Point]) -> str:
    parts = []
    if history:
        (first_year, first), (last_year, last) = history[0], history[-1]
        parts.append(
            f"Published: {count(first)} at 31 March {first_year} and {count(last)} at 31 March {last_year}."
        )
    for p in points:
        parts.append(
            f"{p.year}: forecast {count(p.median)} (50% range {count(p.p25)} to {count(p.p75)}, "
            f"80% range {count(p.p10)} to {count(p.p90)})."
        )
    return (
        f"Children looked after at 31 March in {name}. "
        + " ".join(parts)
        + " The table below gives every year."
    )


def forecast_svg(
    history: Sequence[tuple[int, float]],
    points: Sequence[Point],
    *,
    title: str,
    name: str,
    id_prefix: str = "forecast",
) -> str:
    """`history`: (year, published count) oldest first; `points`: the forecast years that follow it."""
    if not history and not points:
        return ""
    years = [y for y, _ in history] + [p.year for p in points]
    values = [v for _, v in history] + [v for p in points for v in (p.p10, p.p90)]
    ticks = nice_ticks(min(values), max(values))
    lo, hi = ticks[0], ticks[-1]
    first, last = min(years), max(years)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return LEFT + 12 + (year - first) / max(last - first, 1) * (plot_w - 24)

    def y(value: float) -> float:
        return TOP + (hi - value) / (hi - lo) * plot_h

    prefix = escape(id_prefix)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(WIDTH)} {_num(HEIGHT)}" '
        f'class="app-sparkline app-forecast-chart" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description(name, history, points))}</desc>',
    ]
    # The key, in two rows above the plot.
    key = [
        ("line", INK, "", "Published count"),
        ("line", MIDDLE, "8 4", "Forecast (middle)"),
        ("box", BAND_50, "", "50% range"),
        ("box", BAND_80, "", "80% range"),
    ]
    out += legend(key, lambda index: (LEFT + (index % 2) * 230, 16.0 + 22.0 * (index // 2)))
    out += gridlines(ticks, y, plot_w, tick_text)
    # Bands from the latest published count (the forecast starts there), then the middle over them.
    if points:
        start = history[-1] if history else (points[0].year - 1, points[0].median)
        for low, high, colour in (("p10", "p90", BAND_80), ("p25", "p75", BAND_50)):
            upper = [(start[0], start[1])] + [(p.year, getattr(p, high)) for p in points]
            lower = [(p.year, getattr(p, low)) for p in reversed(points)]
            coords = " ".join(f"{_num(x(a))},{_num(y(b))}" for a, b in upper + lower)
            out.append(f'<polygon points="{coords}" fill="{colour}"/>')
        coords = " ".join(
            f"{_num(x(a))},{_num(y(b))}" for a, b in [start] + [(p.year, p.median) for p in points]
        )
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{MIDDLE}" stroke-width="3" '
            'stroke-dasharray="8 4" stroke-linejoin="round"/>'
        )
    if history:
        coords = " ".join(f"{_num(x(a))},{_num(y(b))}" for a, b in history)
        if len(history) > 1:
            out.append(
                f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="3" '
                'stroke-linejoin="round"/>'
            )
        for a, b in history:
            out.append(f'<circle cx="{_num(x(a))}" cy="{_num(y(b))}" r="3.5" fill="{INK}"/>')
    # Axes, year ticks (every other year when there are many) and their labels.
    base = TOP + plot_h
    out.append(
        f'<line x1="{_num(LEFT)}" y1="{_num(TOP)}" x2="{_num(LEFT)}" y2="{_num(base)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{_num(LEFT)}" y1="{_num(base)}" x2="{_num(LEFT + plot_w)}" y2="{_num(base)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    every = 1 if last - first <= 10 else 2
    for year in range(first, last + 1):
        out.append(
            f'<line x1="{_num(x(year))}" y1="{_num(base)}" x2="{_num(x(year))}" y2="{_num(base + 4)}" '
            f'stroke="{INK}" stroke-width="1"/>'
        )
        if (last - year) % every == 0:
            out.append(
                f'<text x="{_num(x(year))}" y="{_num(base + 18)}" text-anchor="middle" {FONT} font-size="12" '
                f'fill="{INK}">{year}</text>'
            )
    out.append(
        f'<text x="{_num(LEFT + plot_w / 2)}" y="{_num(HEIGHT - 8)}" text-anchor="middle" {FONT} '
        f'font-size="13" fill="{MUTED}">{X_LABEL}</text>'
    )
    mid = TOP + plot_h / 2
    out.append(
        f'<text x="16" y="{_num(mid)}" text-anchor="middle" transform="rotate(-90 16 {_num(mid)})" {FONT} '
        f'font-size="13" fill="{MUTED}">{Y_LABEL}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def legend(key, place) -> list[str]:
    """The chart's key: each (kind "line" or "box", colour, dash, label) at `place(index)` = (x, y)."""
    out = []
    for index, (kind, colour, dash, label) in enumerate(key):
        kx, ky = place(index)
        if kind == "line":
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{_num(kx)}" y1="{_num(ky)}" x2="{_num(kx + 36)}" y2="{_num(ky)}" '
                f'stroke="{colour}" stroke-width="3"{dashed}/>'
            )
        else:
            out.append(
                f'<rect x="{_num(kx)}" y="{_num(ky - 7)}" width="36" height="14" fill="{colour}" '
                f'stroke="{MUTED}" stroke-width="1"/>'
            )
        out.append(
            f'<text x="{_num(kx + 44)}" y="{_num(ky + 4)}" {FONT} font-size="13" fill="{INK}">{label}</text>'
        )
    return out


def gridlines(ticks, y, plot_w: float, text) -> list[str]:
    """A horizontal grid line and the y axis's label at each tick."""
    out = []
    for tick in ticks:
        out.append(
            f'<line x1="{_num(LEFT)}" y1="{_num(y(tick))}" x2="{_num(LEFT + plot_w)}" y2="{_num(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_num(LEFT - 6)}" y="{_num(y(tick) + 4)}" text-anchor="end" {FONT} font-size="12" '
            f'fill="{INK}">{text(tick)}</text>'
        )
    return out
