"""The map of exchange flows: who lends to whom, drawn over England's map (slihub/stats/svgmap.py).

Each flow is a curved line from the lending council's centroid to the borrowing council's, ending in an
arrowhead at the borrower, its width proportional to the specialist-days agreed. Lines bow to one side
of their direction of travel, so a flow and its return flow do not hide each other. A flow between two
London boroughs is drawn in the London inset, where the boroughs are large enough to see; any other
flow on the main map. The map is an image (role="img", a title and a description): the page's table
gives the same flows in words and numbers.

Plain data in, an SVG string out: no Django here, so the geometry can be tested on its own.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from slihub.stats import svgmap

LINE = "#4c2c92"  # GOV.UK purple: 9.6:1 on the map's grey, 6.5:1 on the region's blue
DOT = "#0b0c0c"
REGION_FILL = "#b7d1e8"  # a coordinator's region, outlined in black as well (contrast by the outline)
BACKGROUND = "#f3f2f1"
MIN_WIDTH, MAX_WIDTH = 1.5, 8.0  # map units (the map is 600 wide)
BOW = 0.18  # the curve's control point sits this fraction of the line's length off its middle


@dataclass(frozen=True)
class Flow:
    lender: str  # DfE code
    borrower: str
    days: float  # the weight: specialist-days agreed
    label: str  # what the line's <title> says


def width(days: float, largest: float) -> float:
    """Proportional to the days, at least MIN_WIDTH so that the smallest flow stays visible."""
    if largest <= 0:
        return MIN_WIDTH
    return round(max(MIN_WIDTH, MAX_WIDTH * days / largest), 2)


def _n(v: float) -> str:
    text = f"{v:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def curve(start: tuple[float, float], end: tuple[float, float], line_width: float) -> tuple[str, str]:
    """(path data of the curve, path data of the arrowhead) from start to end.

    A quadratic Bezier whose control point is off the middle to the right of the direction of travel;
    the arrowhead points along the curve's end tangent (end minus control point) and the line stops at
    the arrowhead's base, a little short of the borrower's centroid so its dot stays visible."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy)
    if length < 1e-9:
        return "", ""
    cx, cy = (x0 + x1) / 2 - dy * BOW, (y0 + y1) / 2 + dx * BOW
    tx, ty = x1 - cx, y1 - cy
    tangent = math.hypot(tx, ty)
    ux, uy = tx / tangent, ty / tangent
    head, half = 4 + 1.5 * line_width, 2.5 + 0.9 * line_width
    gap = min(3.0, length / 4)
    tip = (x1 - ux * gap, y1 - uy * gap)
    base = (tip[0] - ux * head, tip[1] - uy * head)
    corners = ((base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half))
    line = f"M{_n(x0)},{_n(y0)}Q{_n(cx)},{_n(cy)} {_n(base[0])},{_n(base[1])}"
    arrow = "M" + "L".join(f"{_n(x)},{_n(y)}" for x, y in (tip, *corners)) + "Z"
    return line, arrow


def _layer(flows: Sequence[Flow], centres: dict[str, tuple[float, float]], largest: float) -> str:
    parts, dots = [], {}
    # Widest first, so that thin lines are drawn on top and stay visible.
    for flow in sorted(flows, key=lambda f: (-f.days, f.lender, f.borrower)):
        w = width(flow.days, largest)
        line, arrow = curve(centres[flow.lender], centres[flow.borrower], w)
        if not line:
            continue
        parts.append(
            f'<g class="app-flow"><title>{escape(flow.label)}</title>'
            f'<path d="{line}" fill="none" stroke="{LINE}" stroke-width="{_n(w)}" stroke-linecap="round"/>'
            f'<path d="{arrow}" fill="{LINE}"/></g>'
        )
        dots[flow.lender], dots[flow.borrower] = centres[flow.lender], centres[flow.borrower]
    for x, y in (dots[code] for code in sorted(dots)):
        parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.5" fill="{DOT}" stroke="#ffffff" stroke-width="0.8"/>'
        )
    return "".join(parts)


def render(
    layout: svgmap.Layout,
    flows: Iterable[Flow],
    *,
    title: str,
    description: str,
    highlight: Iterable[str] = (),
    id_prefix: str = "flows",
) -> str:
    """England with the flows drawn on it; `highlight` picks out councils (a coordinator's region)."""
    flows = [f for f in flows if f.lender in layout.shapes and f.borrower in layout.shapes]
    marked = [code for code in highlight if code in layout.shapes]
    svg = svgmap.render(
        layout,
        title=title,
        description=description,
        fills={code: REGION_FILL for code in marked},
        highlight=marked,
        default_fill=BACKGROUND,
        id_prefix=id_prefix,
    )
    largest = max((f.days for f in flows), default=0.0)
    in_inset = [f for f in flows if f.lender in layout.inset_shapes and f.borrower in layout.inset_shapes]
    on_main = [f for f in flows if f not in in_inset]
    main = _layer(on_main, {c: s.centroid for c, s in layout.shapes.items()}, largest)
    inset = _layer(in_inset, {c: s.centroid for c, s in layout.inset_shapes.items()}, largest)
    # Main-map flows go under the inset (its frame is opaque), the inset's own flows on top of it.
    marker = '<g class="app-map__inset">'
    at = svg.find(marker)
    if at < 0:  # no inset drawn: everything on the main map
        return svg.removesuffix("</svg>") + main + inset + "</svg>"
    # The inset's group is the last element: its own flows go inside it, at its end.
    return svg[:at] + main + svg[at:].removesuffix("</g></svg>") + inset + "</g></svg>"


def legend_widths(values: Sequence[float]) -> list[tuple[float, float]]:
    """(days, line width) for the legend: the smallest and the largest flow (one entry if equal)."""
    if not values:
        return []
    largest = max(values)
    picks = sorted({min(values), largest})
    return [(v, width(v, largest)) for v in picks]
