"""The profile summary's strengths and concerns in order: how far the authority stands from its
comparator (the statistical neighbours' average, else England) in the direction of polarity, the
headline set first, and breakdowns (ethnicity, free school meals, disadvantage) under their parent
measure when it is listed too. No Django here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from slihub.indicators import formatting


class Ranked(Protocol):
    code: str
    headline: bool
    distance: float | None
    breakdown: str  # the breakdown's group ('Chinese'), '' for a measure of its own
    parent_code: str
    children: list


def distance(value: float | None, comparator: float | None, polarity: str) -> float | None:
    """How much better (+) or worse (-) than the comparator, as a share of it; None without both."""
    if value is None or comparator is None or comparator == 0 or polarity not in ("high", "low"):
        return None
    gap = (value - comparator) / abs(comparator)
    return gap if polarity == "high" else -gap


def gap_words(
    value: float | None,
    comparator: float | None,
    comparator_name: str,
    unit: str,
    decimal_places: int | None,
    polarity: str = "",
) -> str:
    """'against the neighbours' average of 14.0 (% of referrals): 114% higher (lower is better)'."""
    if value is None or comparator is None:
        return ""
    shown = formatting.number(comparator, decimal_places if decimal_places is not None else 1)
    text = f"against {comparator_name} of {shown}{f' ({unit})' if unit else ''}"
    if comparator == 0 or value == comparator:
        return text
    better = {"high": " (higher is better)", "low": " (lower is better)"}.get(polarity, "")
    direction = "higher" if value > comparator else "lower"
    if formatting.is_percent(unit) or comparator < 0 or value < 0:
        # A share of a percentage, or of a score around zero, reads wrongly: say the difference.
        gap = formatting.number(abs(value - comparator), decimal_places if decimal_places is not None else 1)
        points = " points" if formatting.is_percent(unit) else ""
        return f"{text}: {gap}{points} {direction}{better}"
    share = abs(value - comparator) / abs(comparator) * 100
    return f"{text}: {share:,.0f}% {direction}{better}"


def arrange(items: Sequence[Ranked], *, better_first: bool) -> list[Ranked]:
    """Measures first (headline ones first, then furthest from the comparator: furthest better for
    strengths, furthest worse for concerns), each with its listed breakdowns as children;
    breakdowns whose parent is not listed come last. Without a comparator, last of their kind."""
    sign = -1.0 if better_first else 1.0

    def _order(item: Ranked) -> tuple:
        return (not item.headline, item.distance is None, sign * (item.distance or 0.0))

    by_code = {item.code: item for item in items}
    top, orphans = [], []
    for item in items:
        if item.parent_code and item.parent_code in by_code:
            by_code[item.parent_code].children.append(item)
        elif item.breakdown:
            orphans.append(item)
        else:
            top.append(item)
    for item in top:
        item.children.sort(key=_order)
    return sorted(top, key=_order) + sorted(orphans, key=_order)
