"""Small charts as accessible, deterministic SVG strings (standard library only, no Django).

A sparkline shows one series, oldest first, in a small box: a line through the published values,
broken where a value is missing or suppressed (a gap, never a zero), a dot on values with no
neighbour to join and on the latest value. The SVG has ``role="img"`` and a ``<title>`` and a
``<desc>`` (referenced by ``aria-labelledby``) that state the whole series in words, so the chart
can be read without seeing it; the page shows the same numbers in a table too. Coordinates are
rounded to one decimal (a tenth of a pixel: pages repeat this chart hundreds of times), so the same
series always gives byte-identical output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

LINE = "#1d70b8"  # GOV.UK blue
LATEST = "#0b0c0c"  # GOV.UK text colour
BASELINE = "#b1b4b6"  # GOV.UK mid grey
COMPARATOR = "#505a5f"  # GOV.UK dark grey, dashed


def _num(x: float) -> str:
    """A coordinate to a tenth, without trailing zeros: '18', '26.4'."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _default_text(value: float | None) -> str:
    if value is None:
        return "no value"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212") if text != "-0" else "0"


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Indices of the unbroken runs of values (a None breaks a run)."""
    runs: list[list[int]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(index)
    return [run for run in runs if run]


def sparkline_description(labels: Sequence[str], texts: Sequence[str]) -> str:
    """The series in words: 'Values by period, oldest first: 2023: 41; 2024: no value (c); 2025: 45.'"""
    if not labels:
        return "No values to show."
    pairs = "; ".join(f"{label}: {text}" for label, text in zip(labels, texts, strict=True))
    return f"Values by period, oldest first: {pairs}."


def sparkline_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    texts: Sequence[str] | None = None,
    id_prefix: str = "sparkline",
    width: float = 120.0,
    height: float = 36.0,
    comparator: Sequence[float | None] | None = None,
    comparator_name: str = "",
) -> str:
    """A sparkline of ``values`` (None for a missing or suppressed value) at periods ``labels``.

    ``texts`` are the values as the page shows them (a marker such as 'c' for a suppressed one);
    by default numbers with up to two decimals and 'no value'. Values are spread evenly across the
    width whatever their periods' lengths; the vertical scale spans the series' own range (a flat
    series sits in the middle). ``comparator``: a second series (such as the neighbours' average)
    drawn as a dashed grey line on the same scale, so that the small chart has a reference; its
    values are given in the description after ``comparator_name``.
    """
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    points = [_finite(v) for v in values]
    shown = list(texts) if texts is not None else [_default_text(v) for v in points]
    if len(shown) != len(points):
        raise ValueError(f"{len(shown)} texts for {len(points)} values")
    desc = sparkline_description([str(label) for label in labels], shown)
    reference = [_finite(v) for v in comparator] if comparator is not None else []
    if comparator is not None:
        if len(reference) != len(points):
            raise ValueError(f"{len(reference)} comparator values for {len(points)} values")
        pairs = "; ".join(f"{label}: {_default_text(v)}" for label, v in zip(labels, reference, strict=True))
        desc += f" {comparator_name or 'Comparator'} (dashed line): {pairs}."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" class="app-sparkline" '
        f'aria-labelledby="{escape(id_prefix)}-title {escape(id_prefix)}-desc">',
        f'<title id="{escape(id_prefix)}-title">{escape(title)}</title>',
        f'<desc id="{escape(id_prefix)}-desc">{escape(desc)}</desc>',
    ]
    present = [v for v in points if v is not None]
    scale = present + [v for v in reference if v is not None]
    pad = 4.0
    out.append(
        f'<line x1="{_num(pad)}" y1="{_num(height - 1)}" x2="{_num(width - pad)}" y2="{_num(height - 1)}" '
        f'stroke="{BASELINE}"/>'
    )
    if present:
        lo, hi = min(scale), max(scale)
        count = len(points)

        def x(index: int) -> float:
            if count == 1:
                return width / 2
            return pad + index * (width - 2 * pad) / (count - 1)

        def y(value: float) -> float:
            if hi == lo:
                return height / 2
            return pad + (hi - value) / (hi - lo) * (height - 2 * pad)

        for run in _runs(reference):
            if len(run) > 1:
                coordinates = " ".join(f"{_num(x(i))},{_num(y(reference[i]))}" for i in run)
                out.append(
                    f'<polyline points="{coordinates}" fill="none" stroke="{COMPARATOR}" '
                    'stroke-width="1.5" stroke-dasharray="3 2"/>'
                )
        segments: list[list[int]] = []
        current: list[int] = []
        for index, value in enumerate(points):
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(index)
        if current:
            segments.append(current)
        for segment in segments:
            if len(segment) == 1:
                continue
            coordinates = " ".join(f"{_num(x(i))},{_num(y(points[i]))}" for i in segment)
            out.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{LINE}" stroke-width="2" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        last = max(i for i, v in enumerate(points) if v is not None)
        for segment in segments:
            if len(segment) == 1 and segment[0] != last:
                i = segment[0]
                out.append(f'<circle cx="{_num(x(i))}" cy="{_num(y(points[i]))}" r="2" fill="{LINE}"/>')
        out.append(f'<circle cx="{_num(x(last))}" cy="{_num(y(points[last]))}" r="3" fill="{LATEST}"/>')
    out.append("</svg>")
    return "".join(out)
