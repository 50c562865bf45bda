"""Forest and funnel plots as accessible, deterministic SVG strings (standard library + NumPy).

Each SVG has ``role="img"``, a ``<title>`` and a ``<desc>`` referenced by ``aria-labelledby``, and
text labels; the same numbers go in a table beside it (``forest_rows``). Coordinates are rounded to
two decimals so identical input gives byte-identical output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

if TYPE_CHECKING:  # only the result's fields are used (estimate, ci_lb, ci_ub, tau2, I2, method, level)
    from .meta_analysis import MetaResult

FONT = 'font-family="Arial, Helvetica, sans-serif"'
INK = "#0b0c0c"
MUTED = "#505a5f"
ACCENT = "#1d70b8"


@dataclass(frozen=True)
class ForestRow:
    """One line of the table that accompanies a forest plot (the pooled row has weight 100)."""

    label: str
    estimate: float
    ci_lb: float
    ci_ub: float
    weight_pct: float
    pooled: bool = False


def _num(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _fmt(x: float, digits: int = 2) -> str:
    """Fixed decimals with a true minus sign (read out as "minus"), never "-0.00"."""
    text = f"{x:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", "\u2212")


def _check(yi: Sequence[float], vi: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    if y.ndim != 1 or y.shape != v.shape or y.size == 0:
        raise ValueError("yi and vi must be non-empty sequences of the same length")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v)) and np.all(v > 0)):
        raise ValueError("yi must be finite and vi positive")
    return y, v


def forest_rows(
    labels: Sequence[str], yi: Sequence[float], vi: Sequence[float], result: MetaResult
) -> list[ForestRow]:
    """Per-study estimate, 95% (result.level) CI and weight in percent, then the pooled row."""
    y, v = _check(yi, vi)
    if len(labels) != y.size:
        raise ValueError(f"{len(labels)} labels for {y.size} studies")
    z = float(stats.norm.isf((1 - result.level / 100) / 2))
    w = 1 / (v + result.tau2)
    w = 100 * w / w.sum()
    rows = [
        ForestRow(
            str(label),
            float(est),
            float(est - z * math.sqrt(var)),
            float(est + z * math.sqrt(var)),
            float(weight),
        )
        for label, est, var, weight in zip(labels, y, v, w, strict=True)
    ]
    rows.append(
        ForestRow(
            f"Pooled ({result.method})", result.estimate, result.ci_lb, result.ci_ub, 100.0, pooled=True
        )
    )
    return rows


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    span = hi - lo
    raw = span / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = start
    while t <= hi + 1e-9:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _svg_open(width: float, height: float, prefix: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]


def _ratio_ticks(lo: float, hi: float) -> list[float]:
    """Ratio values for a log axis spanning [lo, hi] (log units): the coarsest familiar series that puts
    at least four ticks in range (1, 2, 5...; then 0.5, 0.7, 1, 1.5...), always including 1 when in range."""
    series = (
        (0.001, 0.01, 0.1, 1, 10, 100, 1000),
        (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100),
        (0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10),
        (0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2),
        (0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2, 1.25),
    )
    best: list[float] = []
    for values in series:
        inside = [math.log(v) for v in values if lo - 1e-9 <= math.log(v) <= hi + 1e-9]
        if len(inside) > len(best):
            best = inside
        if len(inside) >= 4:
            return inside
    return best or _ticks(lo, hi)


def _ratio(x: float) -> str:
    """A ratio as printed on an axis or beside a study: 0.25, 0.5, 1, 2.5, 12."""
    value = math.exp(x)
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def forest_svg(
    labels: Sequence[str],
    yi: Sequence[float],
    vi: Sequence[float],
    result: MetaResult,
    *,
    title: str = "Forest plot",
    xlabel: str = "Effect size",
    null_value: float = 0.0,
    id_prefix: str = "forest",
    rows: Sequence[ForestRow] | None = None,
    ratio: bool = False,
    favours: tuple[str, str] | None = None,
    prediction: tuple[float, float] | None = None,
) -> str:
    """A forest plot: one row per study (square sized by weight, line for the CI), a diamond for the
    pooled estimate, a dashed line at ``null_value``, and a text column with estimate [CI] and weight.

    ``rows``: forest_rows already worked out (then ``labels``, ``yi`` and ``vi`` are not read), such as a
    chosen few of all the studies' rows followed by the pooled row, so that a plot of some of many
    studies keeps each study's weight in the whole.
    ``ratio``: the values are logs of odds or risk ratios; the axis is a log axis labelled with ratios
    (1 is no difference) and the text column prints ratios.
    ``favours``: (left, right) words under the axis saying which side favours what.
    ``prediction``: the prediction interval (same scale as the values), drawn as a grey bar on a row of
    its own under the pooled diamond.
    The SVG scales to its container's width (viewBox, width 100%, no fixed height)."""
    rows = list(rows) if rows is not None else forest_rows(labels, yi, vi, result)
    ends = [r.ci_lb for r in rows] + [r.ci_ub for r in rows] + [null_value]
    if prediction is not None:
        ends += list(prediction)
    lo, hi = min(ends), max(ends)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    label_w, plot_w, text_w = 200.0, 330.0, 230.0
    row_h, top = 22.0, 40.0
    width = label_w + plot_w + text_w
    extra = 1 if prediction is not None else 0
    axis_y = top + row_h * (len(rows) + 1 + extra)
    show = _ratio if ratio else _fmt

    def x(val: float) -> float:
        return label_w + (val - lo) / (hi - lo) * plot_w

    label_y = axis_y + 38
    if favours:
        # either side of the line of no effect, kept inside the picture (about 6.5 units a character); with
        # that line near an edge the two would overlap, so the right one goes a line lower
        left = f"\u2190 {_short(favours[0], 40)}"
        right = f"{_short(favours[1], 40)} \u2192"
        left_x = max(x(null_value) - 8, 4 + 6.5 * len(left))
        right_x = min(x(null_value) + 8, width - 4 - 6.5 * len(right))
        right_y = axis_y + (38 if left_x + 8 <= right_x else 54)
        label_y = right_y + 24
    height = label_y + 12

    scale = "ratio" if ratio else "estimate"
    desc = (
        f"{len(rows) - 1} studies. Pooled {scale} {show(result.estimate)} "
        f"(95% CI {show(result.ci_lb)} to {show(result.ci_ub)})"
        + (f", 95% prediction interval {show(prediction[0])} to {show(prediction[1])}" if prediction else "")
        + f", tau squared {_fmt(result.tau2, 3)}, I squared {result.I2:.1f}%, method {result.method}."
        + (f" Left of the line of no effect: {favours[0]}; right: {favours[1]}." if favours else "")
        + (" The axis is logarithmic." if ratio else "")
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="100%" class="app-forest" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
    ]
    out.append(f'<g {FONT} font-size="12" fill="{INK}">')
    out.append(f'<text x="4" y="{_num(top - 14)}" font-weight="bold">Study</text>')
    out.append(
        f'<text x="{_num(width - 4)}" y="{_num(top - 14)}" font-weight="bold" text-anchor="end">'
        f"{'Ratio' if ratio else 'Estimate'} [95% CI] Weight</text>"
    )
    max_w = max((r.weight_pct for r in rows if not r.pooled), default=1.0) or 1.0
    for i, r in enumerate(rows):
        cy = top + row_h * (i + (1 if r.pooled else 0)) + row_h / 2
        text = f"{show(r.estimate)} [{show(r.ci_lb)}, {show(r.ci_ub)}] {r.weight_pct:.1f}%"
        weight = ' font-weight="bold"' if r.pooled else ""
        out.append(f"<g><title>{escape(r.label)}: {escape(text)}</title>")
        out.append(f'<text x="4" y="{_num(cy + 4)}"{weight}>{escape(_short(r.label, 28))}</text>')
        if r.pooled:
            pts = [(x(r.ci_lb), cy), (x(r.estimate), cy - 7), (x(r.ci_ub), cy), (x(r.estimate), cy + 7)]
            out.append(
                '<polygon points="' + " ".join(f"{_num(a)},{_num(b)}" for a, b in pts) + f'" fill="{INK}"/>'
            )
        else:
            out.append(
                f'<line x1="{_num(x(r.ci_lb))}" y1="{_num(cy)}" x2="{_num(x(r.ci_ub))}" y2="{_num(cy)}" '
                f'stroke="{INK}" stroke-width="1.5"/>'
            )
            side = 4 + 8 * math.sqrt(r.weight_pct / max_w)
            out.append(
                f'<rect x="{_num(x(r.estimate) - side / 2)}" y="{_num(cy - side / 2)}" width="{_num(side)}" '
                f'height="{_num(side)}" fill="{ACCENT}"/>'
            )
        out.append(
            f'<text x="{_num(width - 4)}" y="{_num(cy + 4)}" text-anchor="end"{weight}>{escape(text)}</text>'
        )
        out.append("</g>")
    if prediction is not None:
        cy = top + row_h * (len(rows) + 1) + row_h / 2
        a, b = x(prediction[0]), x(prediction[1])
        text = f"{show(prediction[0])} to {show(prediction[1])}"
        out.append(f'<g class="app-forest__prediction"><title>95% prediction interval: {text}</title>')
        out.append(f'<text x="4" y="{_num(cy + 4)}">95% prediction interval</text>')
        out.append(
            f'<rect x="{_num(a)}" y="{_num(cy - 3)}" width="{_num(max(b - a, 1))}" height="6" '
            f'fill="{MUTED}" fill-opacity="0.45" stroke="{MUTED}"/>'
        )
        for end in (a, b):
            out.append(
                f'<line x1="{_num(end)}" y1="{_num(cy - 7)}" x2="{_num(end)}" y2="{_num(cy + 7)}" '
                f'stroke="{MUTED}" stroke-width="1.5"/>'
            )
        out.append(f'<text x="{_num(width - 4)}" y="{_num(cy + 4)}" text-anchor="end">{text}</text>')
        out.append("</g>")
    out.append(
        f'<line x1="{_num(x(null_value))}" y1="{_num(top)}" x2="{_num(x(null_value))}" y2="{_num(axis_y)}" '
        f'stroke="{MUTED}" stroke-dasharray="4 3"/>'
    )
    out.append(
        f'<line x1="{_num(label_w)}" y1="{_num(axis_y)}" x2="{_num(label_w + plot_w)}" y2="{_num(axis_y)}" '
        f'stroke="{INK}"/>'
    )
    for t in _ratio_ticks(lo, hi) if ratio else _ticks(lo, hi, 6):
        out.append(
            f'<line x1="{_num(x(t))}" y1="{_num(axis_y)}" x2="{_num(x(t))}" y2="{_num(axis_y + 5)}" '
            f'stroke="{INK}"/>'
        )
        tick = f"{math.exp(t):g}" if ratio else _fmt(t)
        out.append(f'<text x="{_num(x(t))}" y="{_num(axis_y + 18)}" text-anchor="middle">{tick}</text>')
    if favours:
        out.append(
            f'<text x="{_num(left_x)}" y="{_num(axis_y + 38)}" text-anchor="end" font-weight="bold">'
            f"{escape(left)}</text>"
        )
        out.append(f'<text x="{_num(right_x)}" y="{_num(right_y)}" font-weight="bold">{escape(right)}</text>')
    out.append(
        f'<text x="{_num(label_w + plot_w / 2)}" y="{_num(label_y)}" text-anchor="middle">'
        f"{escape(xlabel)}</text>"
    )
    out.append("</g></svg>")
    return "\n".join(out)


def funnel_svg(
    yi: Sequence[float],
    vi: Sequence[float],
    result: MetaResult,
    *,
    title: str = "Funnel plot",
    xlabel: str = "Effect size",
    id_prefix: str = "funnel",
) -> str:
    """A funnel plot: effect size against standard error (0 at the top), a vertical line at the
    pooled estimate and the pseudo 95% confidence region estimate +/- 1.96 se."""
    y, v = _check(yi, vi)
    se = np.sqrt(v)
    se_max = float(se.max()) * 1.05
    z = float(stats.norm.isf((1 - result.level / 100) / 2))
    lo = min(float(y.min()), result.estimate - z * se_max)
    hi = max(float(y.max()), result.estimate + z * se_max)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    left, top, plot_w, plot_h = 60.0, 20.0, 400.0, 300.0
    width, height = left + plot_w + 20, top + plot_h + 60

    def px(val: float) -> float:
        return left + (val - lo) / (hi - lo) * plot_w

    def py(s: float) -> float:
        return top + s / se_max * plot_h

    desc = (
        f"{y.size} studies plotted by effect size and standard error. Pooled estimate "
        f"{_fmt(result.estimate)} ({result.method}). Points outside the triangle lie beyond the pseudo "
        "95% confidence limits."
    )
    out = _svg_open(width, height, id_prefix, title, desc)
    out.append(f'<g {FONT} font-size="12" fill="{INK}">')
    tri = [
        (px(result.estimate), py(0)),
        (px(result.estimate - z * se_max), py(se_max)),
        (px(result.estimate + z * se_max), py(se_max)),
    ]
    out.append(
        '<polygon points="'
        + " ".join(f"{_num(a)},{_num(b)}" for a, b in tri)
        + '" fill="#f3f2f1" stroke="#b1b4b6"/>'
    )
    out.append(
        f'<line x1="{_num(px(result.estimate))}" y1="{_num(py(0))}" x2="{_num(px(result.estimate))}" '
        f'y2="{_num(py(se_max))}" stroke="{MUTED}" stroke-dasharray="4 3"/>'
    )
    for i, (est, s) in enumerate(zip(y, se, strict=True)):
        out.append(
            f'<circle cx="{_num(px(est))}" cy="{_num(py(s))}" r="4" fill="{ACCENT}">'
            f"<title>Study {i + 1}: estimate {_fmt(est)}, standard error {_fmt(s, 3)}</title></circle>"
        )
    out.append(
        f'<line x1="{_num(left)}" y1="{_num(top + plot_h)}" '
        f'x2="{_num(left + plot_w)}" y2="{_num(top + plot_h)}" '
        f'stroke="{INK}"/>'
    )
    out.append(
        f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(top + plot_h)}" '
        f'stroke="{INK}"/>'
    )
    for t in _ticks(lo, hi):
        out.append(
            f'<text x="{_num(px(t))}" y="{_num(top + plot_h + 16)}" text-anchor="middle">{_fmt(t)}</text>'
        )
    for t in _ticks(0, se_max, 4):
        out.append(f'<text x="{_num(left - 6)}" y="{_num(py(t) + 4)}" text-anchor="end">{_fmt(t)}</text>')
    out.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 12)}" text-anchor="middle">'
        f"{escape(xlabel)}</text>"
    )
    out.append(
        f'<text x="14" y="{_num(top + plot_h / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_num(top + plot_h / 2)})">Standard error</text>'
    )
    out.append("</g></svg>")
    return "\n".join(out)
