"""Full-size charts of one authority against its comparators, as accessible, deterministic SVG strings.

Standard library only, no Django. Two charts:

- ``time_series_svg``: a line per series (the authority, its neighbours' average, its region,
  England) over the periods, with a labelled y axis (the unit) and x axis (the periods). A missing
  or suppressed value is a gap in the line, never a zero; the authority's suppressed periods are
  marked on the axis with the publisher's marker. Series differ by dash pattern and point shape
  as well as by colour, and the key names them.
- ``bar_svg``: horizontal bars of the authority, its neighbours, its region and England in one
  period, the authority's bar drawn darker with a black outline and its label in bold with an
  arrow; region and England as outlined bars. A bar without a value shows its marker instead.

Each SVG has ``role="img"`` with a ``<title>`` and a ``<desc>`` (referenced by
``aria-labelledby``) that say what the chart shows; the page gives the numbers in a table too.
Coordinates are rounded to two decimals, so the same input always gives byte-identical output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = 'font-family="Arial, Helvetica, sans-serif"'
INK = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#e4e5e6"
CHAR_WIDTH = 6.6  # average width of a 12 px Arial character, for fitting labels

# Line styles in series order: colour, dash pattern, point shape. The first is the focus.
STYLES = (
    ("#1d70b8", "", "circle"),  # the authority: solid, GOV.UK blue
    ("#d4351c", "8 4", "square"),  # neighbours' average: dashed, red
    ("#4c2c92", "2 3", "triangle"),  # region: dotted, purple
    ("#0b0c0c", "12 4 2 4", "diamond"),  # England: dash-dot, black
)


def _num(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering lo..hi (at least one step when lo == hi)."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(lo / step + 1e-9) * step
    ticks = [start]
    while ticks[-1] < hi - 1e-9:
        ticks.append(start + len(ticks) * step)
    return [round(t, 10) for t in ticks]


def tick_text(value: float) -> str:
    """A tick label: thousands separated, no trailing zeros, a true minus sign."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", "\u2212")


def _open(width: float, height: float, prefix: str, title: str, desc: str) -> list[str]:
    prefix = escape(prefix)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" class="app-sparkline" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]


def _point(shape: str, x: float, y: float, colour: str, size: float = 4.0) -> str:
    if shape == "square":
        return (
            f'<rect x="{_num(x - size)}" y="{_num(y - size)}" width="{_num(2 * size)}" '
            f'height="{_num(2 * size)}" fill="{colour}"/>'
        )
    if shape == "triangle":
        s = size + 1
        points = f"{_num(x)},{_num(y - s)} {_num(x - s)},{_num(y + size)} {_num(x + s)},{_num(y + size)}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "diamond":
        s = size + 1
        points = (
            f"{_num(x)},{_num(y - s)} {_num(x + s)},{_num(y)} {_num(x)},{_num(y + s)} {_num(x - s)},{_num(y)}"
        )
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(size)}" fill="{colour}"/>'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per period, None for a gap


def time_series_svg(
    periods: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_label: str,
    markers: Sequence[str] = (),
    id_prefix: str = "time-series",
    width: float = 640.0,
    height: float = 340.0,
) -> str:
    """Lines of up to four series over ``periods`` (the first series is the focus, drawn thickest).

    ``markers``: for each period, the publisher's marker of the focus series where it has none
    ('c', 'x'), written on the x axis above the period; '' elsewhere."""
    if len(series) > len(STYLES):
        raise ValueError(f"at most {len(STYLES)} series")
    for line in series:
        if len(line.values) != len(periods):
            raise ValueError(f"{line.name}: {len(line.values)} values for {len(periods)} periods")
    shown_markers = list(markers) or [""] * len(periods)
    if len(shown_markers) != len(periods):
        raise ValueError(f"{len(shown_markers)} markers for {len(periods)} periods")
    values = [[_finite(v) for v in line.values] for line in series]
    present = [v for line in values for v in line if v is not None]
    key_rows = math.ceil(len(series) / 2)
    widest = max((len(p) for p in periods), default=1) * CHAR_WIDTH + 8
    # Room on the right for half the latest period's label, which is centred on its tick.
    left, right, top, bottom = 64.0, max(16.0, widest / 2 - 8), 16.0 + 20.0 * key_rows, 58.0
    plot_w, plot_h = width - left - right, height - top - bottom
    out = _open(width, height, id_prefix, title, description)
    # The key: a sample of each line and its point, two to a row.
    for index, line in enumerate(series):
        colour, dash, shape = STYLES[index]
        kx, ky = left + (index % 2) * (plot_w / 2), 14.0 + 20.0 * (index // 2)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{_num(kx)}" y1="{_num(ky)}" x2="{_num(kx + 36)}" y2="{_num(ky)}" stroke="{colour}" '
            f'stroke-width="{3 if index == 0 else 2}"{dashed}/>'
        )
        out.append(_point(shape, kx + 18, ky, colour))
        weight = ' font-weight="bold"' if index == 0 else ""
        out.append(
            f'<text x="{_num(kx + 44)}" y="{_num(ky + 4)}" {FONT} font-size="12" fill="{INK}"{weight}>'
            f"{escape(line.name)}</text>"
        )
    ticks = nice_ticks(min(present), max(present)) if present else [0.0, 1.0]
    lo, hi = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return top + (hi - value) / (hi - lo) * plot_h

    count = len(periods)

    def x(index: int) -> float:
        if count == 1:
            return left + plot_w / 2
        return left + 12 + index * (plot_w - 24) / (count - 1)

    for tick in ticks:
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(y(tick))}" x2="{_num(left + plot_w)}" y2="{_num(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_num(left - 6)}" y="{_num(y(tick) + 4)}" text-anchor="end" {FONT} font-size="12" '
            f'fill="{INK}">{tick_text(tick)}</text>'
        )
    out.append(
        f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(top + plot_h)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{_num(left)}" y1="{_num(top + plot_h)}" x2="{_num(left + plot_w)}" '
        f'y2="{_num(top + plot_h)}" stroke="{INK}" stroke-width="1"/>'
    )
    # Period labels: every n-th one, so that they never overlap.
    room = (plot_w - 24) / max(count - 1, 1) if count > 1 else plot_w
    every = max(1, math.ceil(widest / room))
    for index, period in enumerate(periods):
        tick_y = top + plot_h
        out.append(
            f'<line x1="{_num(x(index))}" y1="{_num(tick_y)}" x2="{_num(x(index))}" y2="{_num(tick_y + 4)}" '
            f'stroke="{INK}" stroke-width="1"/>'
        )
        if (count - 1 - index) % every == 0:  # always label the latest period
            out.append(
                f'<text x="{_num(x(index))}" y="{_num(tick_y + 18)}" text-anchor="middle" {FONT} '
                f'font-size="12" fill="{INK}">{escape(period)}</text>'
            )
        if shown_markers[index]:
            out.append(
                f'<text x="{_num(x(index))}" y="{_num(tick_y - 6)}" text-anchor="middle" {FONT} '
                f'font-size="12" font-weight="bold" fill="{STYLES[0][0]}">'
                f"{escape(shown_markers[index])}</text>"
            )
    out.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 8)}" text-anchor="middle" {FONT} '
        f'font-size="12" fill="{MUTED}">Period</text>'
    )
    mid = top + plot_h / 2
    out.append(
        f'<text x="14" y="{_num(mid)}" text-anchor="middle" transform="rotate(-90 14 {_num(mid)})" {FONT} '
        f'font-size="12" fill="{MUTED}">{escape(y_label)}</text>'
    )
    # Focus last, so that it is drawn on top.
    for index in reversed(range(len(series))):
        colour, dash, shape = STYLES[index]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[int] = []
        for i, value in enumerate([*values[index], None]):
            if value is not None:
                run.append(i)
                continue
            if len(run) > 1:
                points = " ".join(f"{_num(x(j))},{_num(y(values[index][j]))}" for j in run)
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="{3 if index == 0 else 2}" stroke-linejoin="round"{dashed}/>'
                )
            run = []
        for i, value in enumerate(values[index]):
            if value is not None:
                out.append(_point(shape, x(i), y(value), colour, 4.5 if index == 0 else 3.5))
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as the page shows it, or the publisher's marker
    kind: str = "authority"  # 'focus', 'authority' or 'area' (a region, England)


def bar_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    x_label: str,
    id_prefix: str = "bars",
    width: float = 640.0,
    row: float = 26.0,
    reference: tuple[str, float | None] | None = None,
) -> str:
    """Horizontal bars, one per row in the order given, from zero (or the lowest negative value).

    ``reference``: (its name, its value), drawn as a dashed vertical line across the bars and
    named with its value above them (England's figure, say)."""
    present = [v for v in (_finite(b.value) for b in bars) if v is not None]
    line = _finite(reference[1]) if reference else None
    label_w = min(max((len(b.label) for b in bars), default=8) * CHAR_WIDTH + 28, 230.0)
    left, right, top = label_w, 64.0, 8.0 if line is None else 26.0
    plot_w = width - left - right
    height = top + row * len(bars) + 44
    if line is not None:
        present.append(line)
    ticks = nice_ticks(min([0.0, *present]), max([0.0, *present])) if present else [0.0, 1.0]
    lo, hi = ticks[0], ticks[-1]

    def x(value: float) -> float:
        return left + (value - lo) / (hi - lo) * plot_w

    out = _open(width, height, id_prefix, title, description)
    bottom = top + row * len(bars)
    for tick in ticks:
        out.append(
            f'<line x1="{_num(x(tick))}" y1="{_num(top)}" x2="{_num(x(tick))}" y2="{_num(bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_num(x(tick))}" y="{_num(bottom + 16)}" text-anchor="middle" {FONT} font-size="12" '
            f'fill="{INK}">{tick_text(tick)}</text>'
        )
    for index, bar in enumerate(bars):
        y0 = top + index * row
        value = _finite(bar.value)
        focus = bar.kind == "focus"
        label = f"\u25b6 {bar.label}" if focus else bar.label
        weight = ' font-weight="bold"' if focus else ""
        out.append(
            f'<text x="{_num(left - 8)}" y="{_num(y0 + row / 2 + 4)}" text-anchor="end" {FONT} '
            f'font-size="12" fill="{INK}"{weight}>{escape(label)}</text>'
        )
        if value is None:
            out.append(
                f'<text x="{_num(x(0.0) + 4)}" y="{_num(y0 + row / 2 + 4)}" {FONT} font-size="12" '
                f'fill="{MUTED}"{weight}>{escape(bar.text or "no figure")}</text>'
            )
            continue
        start, end = sorted((x(0.0), x(value)))
        if focus:
            paint = f'fill="#003078" stroke="{INK}" stroke-width="2"'
        elif bar.kind == "area":
            paint = f'fill="#ffffff" stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 2"'
        else:
            paint = 'fill="#5694ca"'
        out.append(
            f'<rect x="{_num(start)}" y="{_num(y0 + 4)}" width="{_num(max(end - start, 1.0))}" '
            f'height="{_num(row - 8)}" {paint}/>'
        )
        out.append(
            f'<text x="{_num(end + 4)}" y="{_num(y0 + row / 2 + 4)}" {FONT} font-size="12" '
            f'fill="{INK}"{weight}>{escape(bar.text)}</text>'
        )
    out.append(
        f'<line x1="{_num(x(0.0))}" y1="{_num(top)}" x2="{_num(x(0.0))}" y2="{_num(bottom)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    if line is not None:
        out.append(
            f'<line x1="{_num(x(line))}" y1="{_num(top - 6)}" x2="{_num(x(line))}" y2="{_num(bottom)}" '
            f'stroke="{INK}" stroke-width="2" stroke-dasharray="6 3"/>'
        )
        anchor = "end" if x(line) > left + plot_w * 0.6 else "start"
        out.append(
            f'<text x="{_num(x(line))}" y="{_num(top - 10)}" text-anchor="{anchor}" {FONT} font-size="12" '
            f'fill="{INK}">{escape(reference[0])}</text>'
        )
    out.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 6)}" text-anchor="middle" {FONT} '
        f'font-size="12" fill="{MUTED}">{escape(x_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)
