"""The capacity chart: for each support year, the days agreed as a bar against the days declared as a
line, on one axis in days. Plain SVG (no script, no style attribute), with a title and a description
that state every figure; the page shows the same figures in a table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

USED = "#1d70b8"  # GOV.UK blue: days agreed within capacity
BEYOND = "#d4351c"  # GOV.UK red: days agreed beyond capacity
MARK = "#0b0c0c"  # GOV.UK text colour: the declared capacity, the axis
GRID = "#b1b4b6"  # GOV.UK mid grey

LEFT, RIGHT, TOP, ROW, BAR, AXIS = 190, 30, 10, 34, 18, 46
WIDTH = 640


def nice_max(value: float) -> int:
    """A round axis end at or above `value`: 1, 2, 5 or 10 times a power of ten (at least 5)."""
    value = max(value, 5)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


def capacity_svg(rows: Sequence, *, title: str, id_prefix: str = "capacity") -> str:
    """`rows`: objects with label, capacity (None when none declared) and agreed, in the order shown."""
    if not rows:
        return ""
    top = nice_max(max(max(r.agreed, r.capacity or 0) for r in rows))
    plot = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(rows) + AXIS

    def x(days: float) -> float:
        return round(LEFT + plot * days / top, 2)

    words = []
    for r in rows:
        declared = f"{r.capacity} days declared" if r.capacity is not None else "no capacity declared"
        words.append(f"{r.label}: {r.agreed} days agreed, {declared}")
    desc = "Days of support agreed against the days declared, by year. " + "; ".join(words) + "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="app-capacity-chart" '
        'font-family="Arial, Helvetica, sans-serif" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
    ]
    axis_y = TOP + ROW * len(rows)
    for k in range(5):
        days = top * k / 4
        gx = x(days)
        parts.append(f'<line x1="{gx}" y1="{TOP}" x2="{gx}" y2="{axis_y}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(
            f'<text x="{gx}" y="{axis_y + 16}" font-size="12" text-anchor="middle" fill="{MARK}">'
            f"{days:g}</text>"
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{x(top)}" y2="{axis_y}" stroke="{MARK}" stroke-width="1"/>'
    )
    parts.append(
        f'<text x="{LEFT + plot / 2}" y="{axis_y + 36}" font-size="13" text-anchor="middle" fill="{MARK}">'
        "Days of support</text>"
    )
    for i, r in enumerate(rows):
        y = TOP + ROW * i + (ROW - BAR) / 2
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + BAR / 2 + 4}" font-size="13" text-anchor="end" fill="{MARK}">'
            f"{escape(r.label)}</text>"
        )
        within = r.agreed if r.capacity is None else min(r.agreed, r.capacity)
        if within:
            parts.append(
                f'<rect x="{LEFT}" y="{y}" width="{x(within) - LEFT}" height="{BAR}" fill="{USED}"/>'
            )
        if r.capacity is not None and r.agreed > r.capacity:
            parts.append(
                f'<rect x="{x(r.capacity)}" y="{y}" width="{x(r.agreed) - x(r.capacity)}" height="{BAR}" '
                f'fill="{BEYOND}"/>'
            )
        if r.capacity is not None:
            cx = x(r.capacity)
            parts.append(
                f'<line x1="{cx}" y1="{y - 4}" x2="{cx}" y2="{y + BAR + 4}" '
                f'stroke="{MARK}" stroke-width="3"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
