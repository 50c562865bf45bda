"""Mantel-Haenszel pooling of 2x2 tables: fixed effect (RevMan's "M-H, Fixed", metafor's ``rma.mh``)
and RevMan 5's "M-H, Random".

Tables are (a, n1, c, n2): events and group size in the intervention group (a of n1) and the comparison
group (c of n2); b = n1 - a and d = n2 - c are the non-events. N = n1 + n2.

- Odds ratio: OR_MH = sum(a d / N) / sum(b c / N), with the Robins-Breslow-Greenland (1986) variance of
  its log: sum(P R) / (2 R+^2) + sum(P S + Q R) / (2 R+ S+) + sum(Q S) / (2 S+^2), where per table
  R = a d / N, S = b c / N, P = (a + d) / N, Q = (b + c) / N.
- Risk ratio: RR_MH = sum(a n2 / N) / sum(c n1 / N), with the Greenland-Robins (1985) variance of its log:
  sum((n1 n2 (a + c) - a c N) / N^2) / (R+ S+).
- Heterogeneity Q is Cochran's Q of the studies' own log ratios (escalc's yi and vi) around the M-H
  estimate, with inverse-variance weights; I^2 = (Q - df) / Q (as RevMan and metafor's rma.mh print).
- "M-H, Random" (RevMan 5): DerSimonian-Laird tau^2 from that Q,
  tau^2 = max(0, (Q - df) / (sum w - sum w^2 / sum w)) with w = 1/vi, then the inverse-variance
  random-effects mean of the studies' log ratios with weights 1/(vi + tau^2).

Zero cells: a table with no events in both groups (or only events in both) carries no information on a
ratio and is left out, as RevMan and metafor do. ``add`` (default 0.5) is added to every cell of a table
with a zero cell, for the study's own log ratio and for the M-H sums, as RevMan 5 does; pass ``add=0`` for
metafor's rma.mh (which adds nothing in the M-H sums) when no zero cell makes a sum 0.

Pure functions; no Django. Bad input raises ValueError saying what and where.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

MEASURES = ("OR", "RR")


@dataclass(frozen=True)
class MHResult:
    """A pooled log ratio (``estimate``) with its standard error, confidence and prediction limits (log
    scale), tau^2 (0 for the fixed effect), Q, I^2 (percent) and each used study's percentage weight
    (``weights``, in the order of the tables given; a table left out has weight 0)."""

    method: str  # "MH" or "MH-DL"
    measure: str
    k: int  # tables used
    estimate: float
    se: float
    ci_lb: float
    ci_ub: float
    pi_lb: float
    pi_ub: float
    tau2: float
    Q: float
    I2: float
    weights: tuple[float, ...]
    yi: tuple[float, ...]  # each used table's own log ratio
    vi: tuple[float, ...]


def _check(tables: Sequence[Sequence[float]]) -> list[tuple[float, float, float, float]]:
    out = []
    for i, table in enumerate(tables):
        if len(table) != 4:
            raise ValueError(f"table {i + 1}: give events and size of each group (a, n1, c, n2)")
        a, n1, c, n2 = (float(x) for x in table)
        if not all(math.isfinite(x) for x in (a, n1, c, n2)):
            raise ValueError(f"table {i + 1}: a count is not a finite number")
        if n1 <= 0 or n2 <= 0:
            raise ValueError(f"table {i + 1}: a group has no participants")
        if not (0 <= a <= n1 and 0 <= c <= n2):
            raise ValueError(f"table {i + 1}: events must lie between 0 and the group's size")
        out.append((a, n1, c, n2))
    return out


def uninformative(a: float, n1: float, c: float, n2: float) -> bool:
    """No events in both groups, or only events in both: no information on a ratio."""
    return (a == 0 and c == 0) or (a == n1 and c == n2)


def _cells(a, n1, c, n2, add):
    b, d = n1 - a, n2 - c
    if add and min(a, b, c, d) == 0:
        a, b, c, d = a + add, b + add, c + add, d + add
    return a, b, c, d


def study_effect(measure: str, a, n1, c, n2, add: float = 0.5) -> tuple[float, float]:
    """One table's log ratio and its variance (escalc's yi and vi; ``add`` to every cell of a table with a
    zero cell)."""
    a, b, c, d = _cells(a, n1, c, n2, add)
    if measure == "OR":
        if min(a, b, c, d) <= 0:
            raise ValueError("a zero cell with nothing added")
        return math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d
    if min(a, c) <= 0:
        raise ValueError("no events in a group with nothing added")
    return math.log((a / (a + b)) / (c / (c + d))), 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)


def mantel_haenszel(
    tables: Sequence[Sequence[float]],
    measure: str,
    *,
    random: bool = False,
    add: float = 0.5,
    level: float = 95.0,
) -> MHResult:
    """Pool 2x2 tables (a, n1, c, n2) by Mantel-Haenszel: the fixed effect, or with ``random=True``
    RevMan 5's M-H random-effects model (DerSimonian-Laird tau^2 from Q around the M-H estimate)."""
    if measure not in MEASURES:
        raise ValueError(f"Mantel-Haenszel pools odds ratios (OR) or risk ratios (RR), not {measure!r}")
    if not 0 < level < 100:
        raise ValueError("level must be a percentage between 0 and 100")
    checked = _check(tables)
    used = [i for i, t in enumerate(checked) if not uninformative(*t)]
    if not used:
        raise ValueError("no table has events in one group and not the other: nothing to pool")
    r_sum = s_sum = 0.0
    pr = ps_qr = qs = 0.0  # Robins-Breslow-Greenland sums
    gr = 0.0  # Greenland-Robins sum
    mh_weights = []
    yi, vi = [], []
    for i in used:
        a, n1, c, n2 = checked[i]
        y, v = study_effect(measure, a, n1, c, n2, add)
        yi.append(y)
        vi.append(v)
        a, b, c, d = _cells(a, n1, c, n2, add)
        n1, n2 = a + b, c + d
        n = n1 + n2
        if measure == "OR":
            r, s = a * d / n, b * c / n
            p, q = (a + d) / n, (b + c) / n
            pr += p * r
            ps_qr += p * s + q * r
            qs += q * s
        else:
            r, s = a * n2 / n, c * n1 / n
            gr += (n1 * n2 * (a + c) - a * c * n) / n**2
        r_sum += r
        s_sum += s
        mh_weights.append(s)
    if r_sum <= 0 or s_sum <= 0:
        raise ValueError("the Mantel-Haenszel ratio is 0 or infinite (no events in one arm of every table)")
    estimate = math.log(r_sum / s_sum)
    if measure == "OR":
        var = pr / (2 * r_sum**2) + ps_qr / (2 * r_sum * s_sum) + qs / (2 * s_sum**2)
    else:
        var = gr / (r_sum * s_sum)
    w = [1 / v for v in vi]
    q_stat = sum(wi * (y - estimate) ** 2 for wi, y in zip(w, yi, strict=True))
    df = len(used) - 1
    i2 = 100 * max(0.0, (q_stat - df) / q_stat) if q_stat > 0 and df > 0 else 0.0
    z = float(stats.norm.isf((1 - level / 100) / 2))
    tau2 = 0.0
    weights = mh_weights
    if random:
        sw = sum(w)
        tau2 = max(0.0, (q_stat - df) / (sw - sum(x * x for x in w) / sw)) if df > 0 else 0.0
        weights = [1 / (v + tau2) for v in vi]
        estimate = sum(wi * y for wi, y in zip(weights, yi, strict=True)) / sum(weights)
        var = 1 / sum(weights)
    se = math.sqrt(var)
    total = sum(weights)
    percent = [0.0] * len(checked)
    for i, wi in zip(used, weights, strict=True):
        percent[i] = 100 * wi / total
    half_pi = z * math.sqrt(var + tau2)
    return MHResult(
        method="MH-DL" if random else "MH",
        measure=measure,
        k=len(used),
        estimate=estimate,
        se=se,
        ci_lb=estimate - z * se,
        ci_ub=estimate + z * se,
        pi_lb=estimate - half_pi,
        pi_ub=estimate + half_pi,
        tau2=tau2,
        Q=q_stat,
        I2=i2,
        weights=tuple(percent),
        yi=tuple(yi),
        vi=tuple(vi),
    )
