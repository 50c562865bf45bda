"""A column chart of one series over periods (a bar per period), as an accessible, deterministic SVG.

Labelled axes: the periods along the bottom, the unit up the side with ticks from zero. A missing value
leaves an empty slot marked "no figure" (never a zero bar). Like the other charts here, the SVG has
``role="img"`` with a ``<title>`` and a ``<desc>`` stating every value in words, and the page shows the
same numbers in a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from slihub.stats.charts import _finite, _num
from slihub.stats.plots import ACCENT, FONT, INK, MUTED, _svg_open, _ticks


def _tick_text(value: float) -> str:
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" stroke="{INK}"/>'


def _text(x: float, y: float, content: str, anchor: str, extra: str = "") -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def column_chart_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    texts: Sequence[str],
    title: str,
    y_label: str,
    x_label: str,
    id_prefix: str,
    width: float = 560.0,
    height: float = 260.0,
) -> str:
    """One bar per label, from zero up to the value; `texts` are the values as the page writes them."""
    if not (len(labels) == len(values) == len(texts)):
        raise ValueError("labels, values and texts must be the same length")
    points = [_finite(v) for v in values]
    top = max([p for p in points if p is not None] + [0.0])
    ticks = _ticks(0.0, top if top > 0 else 1.0, 5)
    hi = max(ticks[-1], top) or 1.0
    left, right, above, below = 64.0, 12.0, 16.0, 58.0
    plot_w, plot_h = width - left - right, height - above - below
    base = above + plot_h

    def y(value: float) -> float:
        return base - value / hi * plot_h

    desc = "; ".join(f"{label}: {text}" for label, text in zip(labels, texts, strict=True)) + "."
    out = _svg_open(width, height, id_prefix, title, desc or "No figures.")
    out.append(f'<g {FONT} font-size="12" fill="{INK}">')
    for t in ticks:
        out.append(_line(left - 5, y(t), left, y(t)))
        out.append(_text(left - 8, y(t) + 4, _tick_text(t), "end"))
    slot = plot_w / max(len(labels), 1)
    bar_w = min(slot * 0.6, 48.0)
    for index, (label, point, text) in enumerate(zip(labels, points, texts, strict=True)):
        centre = left + slot * (index + 0.5)
        if point is None:
            out.append(_text(centre, base - 6, "no figure", "middle", f' fill="{MUTED}"'))
        else:
            out.append(
                f'<rect x="{_num(centre - bar_w / 2)}" y="{_num(y(point))}" width="{_num(bar_w)}" '
                f'height="{_num(base - y(point))}" fill="{ACCENT}">'
                f"<title>{escape(label)}: {escape(text)}</title></rect>"
            )
        out.append(_text(centre, base + 16, label, "middle"))
    out.append(_line(left, above, left, base))
    out.append(_line(left, base, left + plot_w, base))
    out.append(_text(left + plot_w / 2, height - 8, x_label, "middle"))
    middle = _num(above + plot_h / 2)
    out.append(_text(14, above + plot_h / 2, y_label, "middle", f' transform="rotate(-90 14 {middle})"'))
    out.append("</g></svg>")
    return "\n".join(out)
