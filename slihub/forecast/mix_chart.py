"""The placement chart: children looked after at 31 March of the forecast's last year by placement type,
each type a row with its 80% range as a bar and its middle as a dot, on an axis of children. Plain SVG
with a title and a description that state the figures; the page's table gives every year."""

from __future__ import annotations

from html import escape

from slihub.forecast.chart import BAND_80, FONT, INK, MIDDLE, MUTED, count
from slihub.stats.comparison_charts import nice_ticks

WIDTH, LABELS, RIGHT, TOP, ROW, AXIS = 760.0, 330.0, 24.0, 48.0, 34.0, 52.0
GRID = "#b1b4b6"  # GOV.UK mid-grey: the vertical grid lines at each tick


def _num(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def placement_svg(rows: list[dict], *, year: int, title: str, id_prefix: str = "placements") -> str:
    """`rows`: [{"name", "median", "low", "high"}] for one forecast year."""
    if not rows:
        return ""
    ticks = nice_ticks(0.0, max(max(r["high"] for r in rows), 1.0))
    hi = ticks[-1]
    plot_w = WIDTH - LABELS - RIGHT
    height = TOP + ROW * len(rows) + AXIS

    def x(value: float) -> float:
        return LABELS + value / hi * plot_w

    prefix = escape(id_prefix)
    described = " ".join(
        f"{r['name']}: {count(r['median'])} (80% range {count(r['low'])} to {count(r['high'])})."
        for r in rows
    )
    described_year = f"Forecast for 31 March {year}. {described} The table gives every year."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(WIDTH)} {_num(height)}" '
        'class="app-sparkline app-forecast-chart" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(described_year)}</desc>',
    ]
    # The key: the dot is the middle, the bar the 80% range.
    out.append(f'<circle cx="{_num(LABELS + 8)}" cy="20" r="6" fill="{MIDDLE}"/>')
    out.append(f'<text x="{_num(LABELS + 20)}" y="24" {FONT} font-size="13" fill="{INK}">Middle</text>')
    out.append(
        f'<rect x="{_num(LABELS + 100)}" y="13" width="36" height="14" fill="{BAND_80}" stroke="{MUTED}" '
        'stroke-width="1"/>'
    )
    out.append(f'<text x="{_num(LABELS + 144)}" y="24" {FONT} font-size="13" fill="{INK}">80% range</text>')
    bottom = TOP + ROW * len(rows)
    for tick in ticks:
        out.append(
            f'<line x1="{_num(x(tick))}" y1="{_num(TOP)}" x2="{_num(x(tick))}" y2="{_num(bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_num(x(tick))}" y="{_num(bottom + 18)}" text-anchor="middle" {FONT} font-size="12" '
            f'fill="{INK}">{escape(count(tick))}</text>'
        )
    for i, r in enumerate(rows):
        mid = TOP + ROW * i + ROW / 2
        out.append(
            f'<text x="{_num(LABELS - 8)}" y="{_num(mid + 4)}" text-anchor="end" {FONT} font-size="13" '
            f'fill="{INK}">{escape(r["name"])}</text>'
        )
        width = max(x(r["high"]) - x(r["low"]), 1)
        out.append(
            f'<rect x="{_num(x(r["low"]))}" y="{_num(mid - 8)}" width="{_num(width)}" height="16" '
            f'fill="{BAND_80}" stroke="{MUTED}" stroke-width="1"/>'
        )
        out.append(f'<circle cx="{_num(x(r["median"]))}" cy="{_num(mid)}" r="6" fill="{MIDDLE}"/>')
    out.append(
        f'<text x="{_num(LABELS + plot_w / 2)}" y="{_num(bottom + 40)}" text-anchor="middle" {FONT} '
        f'font-size="13" fill="{MUTED}">Children looked after at 31 March {year}</text>'
    )
    out.append("</svg>")
    return "".join(out)
