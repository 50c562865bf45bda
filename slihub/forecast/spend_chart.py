"""The projected spending chart: for each financial year the forecast covers, the middle of projected
spending on children looked after as a dot on a dashed line inside the 80% range (a shaded band), and, when
the council's budget is shown, the budget as a solid line. Axes in millions of pounds and financial years.
Plain SVG with a title and a description that state the figures; the page's table gives the same numbers."""

from __future__ import annotations

from html import escape

from slihub.forecast.chart import (
    BAND_80,
    BOTTOM,
    FONT,
    HEIGHT,
    INK,
    LEFT,
    MIDDLE,
    MUTED,
    RIGHT,
    TOP,
    WIDTH,
    gridlines,
    legend,
)
from slihub.stats.comparison_charts import nice_ticks

BUDGET = "#00703c"  # GOV.UK green


def _num(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _millions(value: float) -> str:
    return f"£{value / 1e6:,.1f}m"


def spend_svg(years: list[dict], *, title: str, words: str, id_prefix: str = "spend") -> str:
    """`years`: [{"year": "2025-26", "median_value", "p10", "p90", "budget_value" (optional)}]."""
    if not years:
        return ""
    budgets = [y["budget_value"] for y in years if y.get("budget_value") is not None]
    values = [v for y in years for v in (y["p10"], y["p90"])] + budgets
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    lo, hi = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(years)

    def x(i: int) -> float:
        return LEFT + 30 + i / max(n - 1, 1) * (plot_w - 60)

    def y(value: float) -> float:
        return TOP + (hi - value) / (hi - lo) * plot_h

    prefix = escape(id_prefix)
    described = " ".join(
        f"{r['year']}: {_millions(r['median_value'])} "
        f"(80% range {_millions(r['p10'])} to {_millions(r['p90'])})"
        + (f", budget {_millions(r['budget_value'])}" if r.get("budget_value") is not None else "")
        + "."
        for r in years
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(WIDTH)} {_num(HEIGHT)}" '
        'class="app-sparkline app-forecast-chart" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">'
        f"{escape(f'Projected spending, {words}. {described} The table gives every year.')}</desc>",
    ]
    key = [("line", MIDDLE, "8 4", "Projected spending (middle)"), ("box", BAND_80, "", "80% range")]
    if budgets:
        key.append(("line", BUDGET, "", "Budget"))
    out += legend(key, lambda index: (LEFT + index * 210, 20.0))
    out += gridlines(ticks, y, plot_w, lambda tick: escape(_millions(tick)))
    upper = [(x(i), y(r["p90"])) for i, r in enumerate(years)]
    lower = [(x(i), y(r["p10"])) for i, r in reversed(list(enumerate(years)))]
    out.append(
        f'<polygon points="{" ".join(f"{_num(a)},{_num(b)}" for a, b in upper + lower)}" fill="{BAND_80}"/>'
    )
    middle = " ".join(f"{_num(x(i))},{_num(y(r['median_value']))}" for i, r in enumerate(years))
    out.append(
        f'<polyline points="{middle}" fill="none" stroke="{MIDDLE}" stroke-width="3" stroke-dasharray="8 4"/>'
    )
    for i, r in enumerate(years):
        out.append(f'<circle cx="{_num(x(i))}" cy="{_num(y(r["median_value"]))}" r="3.5" fill="{MIDDLE}"/>')
        if r.get("budget_value") is not None:
            out.append(
                f'<line x1="{_num(x(i) - 18)}" y1="{_num(y(r["budget_value"]))}" x2="{_num(x(i) + 18)}" '
                f'y2="{_num(y(r["budget_value"]))}" stroke="{BUDGET}" stroke-width="4"/>'
            )
    base = TOP + plot_h
    out.append(
        f'<line x1="{_num(LEFT)}" y1="{_num(TOP)}" x2="{_num(LEFT)}" y2="{_num(base)}" stroke="{INK}"/>'
    )
    out.append(
        f'<line x1="{_num(LEFT)}" y1="{_num(base)}" x2="{_num(LEFT + plot_w)}" y2="{_num(base)}" '
        f'stroke="{INK}"/>'
    )
    for i, r in enumerate(years):
        out.append(
            f'<text x="{_num(x(i))}" y="{_num(base + 18)}" text-anchor="middle" {FONT} font-size="12" '
            f'fill="{INK}">{escape(r["year"])}</text>'
        )
    out.append(
        f'<text x="{_num(LEFT + plot_w / 2)}" y="{_num(HEIGHT - 8)}" text-anchor="middle" {FONT} '
        f'font-size="13" fill="{MUTED}">Financial year (April to March)</text>'
    )
    mid = TOP + plot_h / 2
    out.append(
        f'<text x="16" y="{_num(mid)}" text-anchor="middle" transform="rotate(-90 16 {_num(mid)})" {FONT} '
        f'font-size="13" fill="{MUTED}">Spending on children looked after, £ million</text>'
    )
    out.append("</svg>")
    return "".join(out)
