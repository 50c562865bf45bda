"""Effect sizes and their sampling variances, as metafor's ``escalc`` computes them.

Every function takes equal-length sequences (or NumPy arrays) and returns an ``EffectSizes``
pair of float arrays ``yi`` (the effect sizes) and ``vi`` (their sampling variances).

- ``smd``: Hedges' g, the standardised mean difference with pooled SD and the exact small-sample
  correction ``c(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))``, m = n1 + n2 - 2; metafor's default
  ``vtype="LS"`` variance ``1/n1 + 1/n2 + g^2 / (2 (n1 + n2))``.
- ``md``: raw mean difference, variance ``sd1^2/n1 + sd2^2/n2`` (no equal-variance assumption).
- ``log_odds_ratio`` / ``log_risk_ratio``: from 2x2 tables (ai, bi = events, non-events in group 1;
  ci, di in group 2), adding ``add`` (1/2) to every cell of a study only when one of its cells is 0
  (metafor's ``add=1/2, to="only0"``).
- ``fisher_z``: Fisher's r-to-z, variance ``1/(n - 3)``.
- ``from_confidence_interval``: an estimate with its 95% CI (optionally on the log scale) to yi/vi.

Pure functions; no Django, no I/O. Bad input raises ``ValueError`` saying what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln
from scipy.stats import norm

ArrayLike = Sequence[float] | np.ndarray


@dataclass(frozen=True)
class EffectSizes:
    """Effect sizes ``yi`` with sampling variances ``vi`` (1-d float arrays of equal length)."""

    yi: np.ndarray
    vi: np.ndarray
    measure: str

    def __len__(self) -> int:
        return len(self.yi)


def _arrays(**named: ArrayLike) -> dict[str, np.ndarray]:
    """Converts each named sequence to a 1-d float array; checks they are numeric, finite and aligned."""
    out: dict[str, np.ndarray] = {}
    length = None
    for name, values in named.items():
        if values is None:
            raise ValueError(f"{name} is required")
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must contain only numbers") from exc
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, not of shape {arr.shape}")
        if arr.size == 0:
            raise ValueError(f"{name} is empty")
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise ValueError(f"{name} has a missing or non-finite value at position {int(bad[0])}")
        if length is None:
            length = arr.size
        elif arr.size != length:
            raise ValueError(f"{name} has {arr.size} values but the other inputs have {length}")
        out[name] = arr
    return out


def _require(condition: np.ndarray, message: str) -> None:
    bad = np.flatnonzero(~condition)
    if bad.size:
        raise ValueError(f"{message} (first at position {int(bad[0])})")


def hedges_correction(m: ArrayLike) -> np.ndarray:
    """The exact bias-correction factor c(m) for Hedges' g with m degrees of freedom (m > 1)."""
    m_arr = np.asarray(m, dtype=float)
    if np.any(m_arr <= 1):
        raise ValueError("the correction needs more than 1 degree of freedom (n1 + n2 - 2 > 1)")
    return np.exp(gammaln(m_arr / 2) - 0.5 * np.log(m_arr / 2) - gammaln((m_arr - 1) / 2))


def smd(
    m1i: ArrayLike, sd1i: ArrayLike, n1i: ArrayLike, m2i: ArrayLike, sd2i: ArrayLike, n2i: ArrayLike
) -> EffectSizes:
    """Hedges' g (group 1 minus group 2) and metafor's default large-sample variance."""
    a = _arrays(m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i)
    _require(a["sd1i"] >= 0, "sd1i must not be negative")
    _require(a["sd2i"] >= 0, "sd2i must not be negative")
    _require(a["n1i"] >= 1, "n1i must be at least 1")
    _require(a["n2i"] >= 1, "n2i must be at least 1")
    ni = a["n1i"] + a["n2i"]
    mi = ni - 2
    _require(mi > 1, "n1i + n2i must be at least 4 for the small-sample correction")
    sdpi = np.sqrt(((a["n1i"] - 1) * a["sd1i"] ** 2 + (a["n2i"] - 1) * a["sd2i"] ** 2) / mi)
    _require(sdpi > 0, "the pooled standard deviation is 0")
    yi = hedges_correction(mi) * (a["m1i"] - a["m2i"]) / sdpi
    vi = 1 / a["n1i"] + 1 / a["n2i"] + yi**2 / (2 * ni)
    return EffectSizes(yi=yi, vi=vi, measure="SMD")


def md(
    m1i: ArrayLike, sd1i: ArrayLike, n1i: ArrayLike, m2i: ArrayLike, sd2i: ArrayLike, n2i: ArrayLike
) -> EffectSizes:
    """Raw mean difference (group 1 minus group 2) with the heteroscedastic variance."""
    a = _arrays(m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i)
    _require(a["sd1i"] >= 0, "sd1i must not be negative")
    _require(a["sd2i"] >= 0, "sd2i must not be negative")
    _require(a["n1i"] >= 1, "n1i must be at least 1")
    _require(a["n2i"] >= 1, "n2i must be at least 1")
    yi = a["m1i"] - a["m2i"]
    vi = a["sd1i"] ** 2 / a["n1i"] + a["sd2i"] ** 2 / a["n2i"]
    return EffectSizes(yi=yi, vi=vi, measure="MD")


def _two_by_two(ai, bi, ci, di, add: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    a = _arrays(ai=ai, bi=bi, ci=ci, di=di)
    for name, arr in a.items():
        _require(arr >= 0, f"{name} must not be negative")
    if add < 0:
        raise ValueError("add must not be negative")
    zero = (a["ai"] == 0) | (a["bi"] == 0) | (a["ci"] == 0) | (a["di"] == 0)
    cells = [np.where(zero, arr + add, arr) for arr in (a["ai"], a["bi"], a["ci"], a["di"])]
    return cells[0], cells[1], cells[2], cells[3]


def log_odds_ratio(
    ai: ArrayLike, bi: ArrayLike, ci: ArrayLike, di: ArrayLike, add: float = 0.5
) -> EffectSizes:
    """Log odds ratio of group 1 (ai events, bi non-events) against group 2 (ci, di)."""
    a, b, c, d = _two_by_two(ai, bi, ci, di, add)
    with np.errstate(divide="ignore"):
        _require((a > 0) & (b > 0) & (c > 0) & (d > 0), "a study has an empty cell and add is 0")
        yi = np.log(a / b) - np.log(c / d)
        vi = 1 / a + 1 / b + 1 / c + 1 / d
    return EffectSizes(yi=yi, vi=vi, measure="OR")


def log_risk_ratio(
    ai: ArrayLike, bi: ArrayLike, ci: ArrayLike, di: ArrayLike, add: float = 0.5
) -> EffectSizes:
    """Log risk ratio of group 1 (ai events, bi non-events) against group 2 (ci, di)."""
    a, b, c, d = _two_by_two(ai, bi, ci, di, add)
    _require((a > 0) & (c > 0), "a study has no events in a group and add is 0")
    n1, n2 = a + b, c + d
    yi = np.log(a / n1) - np.log(c / n2)
    vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
    return EffectSizes(yi=yi, vi=vi, measure="RR")


def fisher_z(ri: ArrayLike, ni: ArrayLike) -> EffectSizes:
    """Fisher's z = atanh(r) with variance 1/(n - 3)."""
    a = _arrays(ri=ri, ni=ni)
    _require(np.abs(a["ri"]) < 1, "ri must lie strictly between -1 and 1")
    _require(a["ni"] > 4, "ni must be more than 4 to estimate the sampling variance")
    return EffectSizes(yi=np.arctanh(a["ri"]), vi=1 / (a["ni"] - 3), measure="ZCOR")


def from_confidence_interval(
    estimate: ArrayLike, ci_lb: ArrayLike, ci_ub: ArrayLike, *, log: bool = False, level: float = 95.0
) -> EffectSizes:
    """An estimate with a (symmetric, normal-theory) confidence interval to yi/vi.

    With ``log=True`` the inputs are ratios (OR, RR, HR) and yi is on the log scale. The variance is
    ``((ub - lb) / (2 z))^2`` with z the normal quantile for the level (1.959964 for 95%).
    """
    a = _arrays(estimate=estimate, ci_lb=ci_lb, ci_ub=ci_ub)
    if not 0 < level < 100:
        raise ValueError("level must be a percentage between 0 and 100")
    est, lb, ub = a["estimate"], a["ci_lb"], a["ci_ub"]
    if log:
        for name, arr in (("estimate", est), ("ci_lb", lb), ("ci_ub", ub)):
            _require(arr > 0, f"{name} must be positive for a ratio measure")
        est, lb, ub = np.log(est), np.log(lb), np.log(ub)
    _require(lb < ub, "ci_lb must be below ci_ub")
    _require((lb <= est) & (est <= ub), "the estimate must lie inside its confidence interval")
    z = norm.ppf(0.5 + level / 200)
    return EffectSizes(yi=est, vi=((ub - lb) / (2 * z)) ** 2, measure="GEN")


MEASURES = ("SMD", "MD", "OR", "RR", "ZCOR")
