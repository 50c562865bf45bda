"""Cells of published tables: a number, or the publisher's marker for a missing one (no Django).

A marker is kept as it is published and shown as the publisher shows it, never as zero:
c suppressed (small number), x not available, z not applicable, u low reliability,
k rounds to under 0.5, low (a rate that rounds to under 0.5: EES' own spelling),
'-' missing or suppressed (LAIT's single marker).
"""

import math
import re

MARKERS = {
    "c": "suppressed to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "k": "rounds to under 0.5",
    "low": "rounds to under 0.5",
    "-": "missing or suppressed",
}
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def parse_cell(text: str) -> tuple[float | None, str | None]:
    """(value, None) for a number, (None, marker) for a marker; ValueError for anything else.

    '9.3699999999999992' is float text: the float is stored, and float(text) gives it back exactly.
    """
    if text in MARKERS:
        return None, text
    if not _NUMBER.match(text):
        raise ValueError(f"{text!r} is neither a number nor a marker ({', '.join(MARKERS)})")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value, None


def describe(status: str | None) -> str:
    return MARKERS.get(status or "", "")
