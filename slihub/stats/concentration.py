"""How evenly something is shared among councils, and how far apart the best and worst quarters are.

`gini` and `top_share` measure concentration (the exchange's lending, the alliances' support days);
`quartile_gap` measures polarisation (the best quarter of councils against the worst on an indicator).
No Django and no slihub imports beyond slihub.stats: plain numbers in, plain numbers out.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def gini(values: Sequence[float]) -> float:
    """Gini index of non-negative values (0: all equal; (n-1)/n: one holds everything).

    G = sum_i sum_j |x_i - x_j| / (2 n^2 mean), computed from the sorted values.
    """
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0 or (x < 0).any():
        raise ValueError("gini needs at least one value and no negative ones")
    total = x.sum()
    if total <= 0:
        raise ValueError("gini is undefined when every value is zero")
    n = x.size
    ranks = np.arange(1, n + 1)
    return float(2 * (ranks * x).sum() / (n * total) - (n + 1) / n)


def top_share(values: Sequence[float], share: float = 0.1) -> float:
    """Share of the total held by the top `share` of units: ceil(share * n) of them, at least one."""
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    if x.size == 0 or (x < 0).any():
        raise ValueError("top_share needs at least one value and no negative ones")
    total = x.sum()
    if total <= 0:
        raise ValueError("top_share is undefined when every value is zero")
    k = max(1, math.ceil(share * x.size - 1e-9))
    return float(x[:k].sum() / total)


@dataclass(frozen=True)
class QuartileGap:
    """The middle of the best quarter against the middle of the worst, on one indicator in one period."""

    councils: int  # councils with a figure
    per_quarter: int  # councils in each of the two quarters compared
    best: float  # median of the best quarter's values
    worst: float  # median of the worst quarter's values
    gap: float  # how much better the best quarter is: never negative


def quartile_gap(values: Sequence[float], *, higher_is_better: bool) -> QuartileGap | None:
    """The median of the best quarter of `values` minus the median of the worst quarter, read in the
    direction of polarity (so the gap is never negative and a larger gap means councils further apart).

    Each quarter holds floor(n / 4) councils, at least one; ties at the boundary fall by order, which does
    not move the medians. None for fewer than four values (no quarter to speak of)."""
    x = sorted(map(float, values))
    if len(x) < 4:
        return None
    if not all(map(math.isfinite, x)):
        raise ValueError("quartile_gap needs finite values")
    k = max(1, len(x) // 4)
    low, high = statistics.median(x[:k]), statistics.median(x[-k:])
    best, worst = (high, low) if higher_is_better else (low, high)
    return QuartileGap(councils=len(x), per_quarter=k, best=best, worst=worst, gap=abs(high - low))


def direction(first: float | None, last: float | None, *, tolerance: float = 0.05) -> str:
    """'widening', 'narrowing' or 'about the same': the change from the first gap to the last, relative
    to the first (within `tolerance`, 5% by default, it is about the same)."""
    if first is None or last is None:
        return ""
    if math.isclose(first, last, rel_tol=tolerance, abs_tol=1e-9):
        return "about the same"
    return "widening" if last > first else "narrowing"
