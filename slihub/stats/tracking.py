"""Tracking a regional priority over time: which period was current when it was agreed, how a value
moved since, and which councils improved or worsened (standard library only, no Django).

Polarity is the indicator catalogue's word: "high" (higher is better), "low" (lower is better) or
"none" (neither). Without a polarity a change is only a rise or a fall, never an improvement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

IMPROVED, WORSENED, UNCHANGED = "improved", "worsened", "unchanged"
ROSE, FELL = "rose", "fell"


def baseline_index(end_years: Sequence[int], agreed_year: int) -> int | None:
    """The index of the period current when a priority was agreed in `agreed_year`: the latest (last,
    for periods given oldest first) that ended in an earlier year. DfE publishes an annual figure within
    the year after its period ends, so a period ending in the agreement's own year is taken as not yet
    published. None when every period ends in that year or later."""
    found = None
    for index, end_year in enumerate(end_years):
        if end_year < agreed_year:
            found = index
    return found


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def change(before: float | None, after: float | None) -> float | None:
    """after - before, or None when either is missing (a suppressed figure is missing, never zero).
    Rounded to ten decimal places: published figures have a few, and 552.1 - 567.2 should be -15.1, not
    binary floating point's -15.100000000000023."""
    before, after = _number(before), _number(after)
    if before is None or after is None:
        return None
    return round(after - before, 10)


def direction(before: float | None, after: float | None, polarity: str) -> str | None:
    """improved, worsened or unchanged in the direction of `polarity`; rose, fell or unchanged for an
    indicator with no polarity; None when either value is missing."""
    delta = change(before, after)
    if delta is None:
        return None
    if delta == 0:
        return UNCHANGED
    if polarity == "high":
        return IMPROVED if delta > 0 else WORSENED
    if polarity == "low":
        return IMPROVED if delta < 0 else WORSENED
    return ROSE if delta > 0 else FELL


@dataclass(frozen=True)
class Move:
    key: str  # the council's code, or any label the caller keeps
    before: float
    after: float
    change: float  # after - before
    direction: str  # one of IMPROVED, WORSENED, ROSE, FELL, UNCHANGED


def movers(values: Sequence[tuple[str, float | None, float | None]], polarity: str) -> dict[str, list[Move]]:
    """Group (key, before, after) by direction, each group ordered by the size of the move, largest
    first (ties by key). Pairs with a missing value are left out: they moved in no known direction."""
    groups: dict[str, list[Move]] = {}
    for key, before, after in values:
        way = direction(before, after, polarity)
        if way is None:
            continue
        groups.setdefault(way, []).append(Move(key, float(before), float(after), change(before, after), way))
    for moves in groups.values():
        moves.sort(key=lambda m: (-abs(m.change), m.key))
    return groups
