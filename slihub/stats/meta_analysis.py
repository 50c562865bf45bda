"""Meta-analysis as R's metafor (5.1) does it: ``rma.uni`` and its companions, in NumPy/SciPy.

Models: equal-effects (``EE``) and random-effects with tau^2 estimated by DerSimonian-Laird
(``DL``), restricted maximum likelihood (``REML``), maximum likelihood (``ML``), Paule-Mandel (``PM``)
or Hedges (``HE``); inference by Wald z (``test="z"``) or Knapp-Hartung (``test="knha"``).
Mixed-effects meta-regression (``meta_regression``) uses the same machinery with a design matrix.

Conventions copied from metafor so that its printed results are reproduced:

- REML/ML use Fisher scoring started at the HE estimate truncated at 0, halving a step that would
  make tau^2 negative, and stop when |change in tau^2| <= ``threshold`` (1e-5, metafor's default; pass
  1e-10 to converge tightly). If the likelihood at tau^2 = 0 beats the solution, tau^2 is set to 0.
- PM solves the generalised Q = k - p with Brent's method (``brentq``) to ``pm_xtol`` (1e-12).
- Q, its p value and the "typical" sampling variance s^2 = (k-p)/tr(P) use weights 1/vi. For EE models
  I^2 = max(0, (Q - df)/Q) and H^2 = Q/df; for random-effects models I^2 = tau^2/(tau^2 + s^2) and
  H^2 = (tau^2 + s^2)/s^2 (so REML/PM/HE differ from the Q-based figure other software prints).
- Knapp-Hartung scales the variance by sum(w (y - fitted)^2)/(k - p) (not truncated at 1), with t(k-p).
- Prediction interval: estimate +/- crit * sqrt(se^2 + tau^2), crit from the test's distribution.
- The tau^2 confidence interval is the Q-profile interval (metafor's ``confint``); I^2/H^2 limits
  follow from it with the same s^2. The root search emulates R's ``uniroot`` tolerance by default.
- Egger's test is metafor's ``regtest`` (default: the model's own method with the standard error as
  moderator; ``model="lm"`` for the classic weighted regression); trim-and-fill is ``trimfill``
  (estimator L0 by default, side chosen from the sign of the Egger-type slope).

No Django and no slihub imports here: pure functions over sequences/arrays returning frozen dataclasses.
I^2 is in percent throughout.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

ArrayLike = Sequence[float] | np.ndarray

METHODS = ("EE", "DL", "REML", "ML", "PM", "HE")
TESTS = ("z", "knha")
#: R's uniroot() default tolerance, used by metafor for PM and the Q-profile CI.
UNIROOT_TOL = float(np.finfo(float).eps) ** 0.25


class ConvergenceError(ArithmeticError):
    """An iterative estimator did not converge."""


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class MetaResult:
    """An intercept-only (pooled) meta-analysis.

    ``zval`` is the test statistic: a z value for ``test="z"``, a t value with ``df`` degrees of
    freedom for ``test="knha"`` (``df`` is None for z). ``weights`` are the studies' percentage
    weights in input order. ``tau2_ci``, ``I2_ci`` and ``H2_ci`` are (lower, upper) Q-profile limits,
    None for EE models or when not requested.
    """

    method: str
    test: str
    k: int
    estimate: float
    se: float
    zval: float
    pval: float
    ci_lb: float
    ci_ub: float
    pi_lb: float
    pi_ub: float
    tau2: float
    se_tau2: float | None
    I2: float
    H2: float
    Q: float
    Q_df: int
    Q_p: float
    df: int | None
    level: float
    weights: tuple[float, ...]
    tau2_ci: tuple[float, float] | None = None
    I2_ci: tuple[float, float] | None = None
    H2_ci: tuple[float, float] | None = None
    iterations: int = 0

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2)

    @property
    def tval(self) -> float:
        """The test statistic under its Knapp-Hartung name (same value as ``zval``)."""
        return self.zval

    def as_dict(self) -> dict[str, float | int | str | None]:
        """The headline numbers as plain Python values (for JSON)."""
        return {
            "method": self.method,
            "test": self.test,
            "k": self.k,
            "estimate": self.estimate,
            "se": self.se,
            "zval": self.zval,
            "pval": self.pval,
            "ci_lb": self.ci_lb,
            "ci_ub": self.ci_ub,
            "pi_lb": self.pi_lb,
            "pi_ub": self.pi_ub,
            "tau2": self.tau2,
            "I2": self.I2,
            "H2": self.H2,
            "Q": self.Q,
            "Q_df": self.Q_df,
            "Q_p": self.Q_p,
        }


@dataclass(frozen=True)
class Coefficient:
    name: str
    estimate: float
    se: float
    zval: float
    pval: float
    ci_lb: float
    ci_ub: float


@dataclass(frozen=True)
class MetaRegressionResult:
    """A (mixed-effects) meta-regression. ``QM`` tests all coefficients but the intercept
    (an F statistic with (QM_df, df) degrees of freedom under Knapp-Hartung, else chi^2 with QM_df).
    ``R2`` is metafor's pseudo R^2 in percent (None for EE models or without an intercept)."""

    method: str
    test: str
    k: int
    p: int
    coefficients: tuple[Coefficient, ...]
    tau2: float
    se_tau2: float | None
    I2: float
    H2: float
    R2: float | None
    QE: float
    QE_df: int
    QE_p: float
    QM: float
    QM_df: int
    QM_p: float
    df: int | None
    level: float
    iterations: int = 0

    def coefficient(self, name: str) -> Coefficient:
        for coef in self.coefficients:
            if coef.name == name:
                return coef
        raise KeyError(name)


@dataclass(frozen=True)
class HeterogeneityCI:
    """Q-profile confidence limits for tau^2 and the derived tau, I^2 (percent) and H^2."""

    tau2: tuple[float, float]
    tau: tuple[float, float]
    I2: tuple[float, float]
    H2: tuple[float, float]
    level: float


@dataclass(frozen=True)
class EggerResult:
    """Regression test for funnel-plot asymmetry. ``limit_estimate`` is the intercept (the
    estimate as the standard error goes to 0) with its confidence interval."""

    model: str
    predictor: str
    zval: float
    pval: float
    df: int | None
    slope: float
    limit_estimate: float
    limit_ci_lb: float
    limit_ci_ub: float


@dataclass(frozen=True)
class RankTestResult:
    """Begg and Mazumdar's rank correlation test (Kendall's tau, exact p value when possible)."""

    tau: float
    pval: float


@dataclass(frozen=True)
class TrimFillResult:
    side: str
    estimator: str
    k0: int
    se_k0: float
    p_k0: float | None
    filled_yi: tuple[float, ...]
    filled_vi: tuple[float, ...]
    result: MetaResult  # the model refitted to observed + filled studies (the original if k0 = 0)


@dataclass(frozen=True)
class SubgroupResult:
    """Separate models per subgroup and the test of subgroup differences (a fixed-effects Q test
    of the subgroup estimates, chi^2 with groups - 1 degrees of freedom)."""

    groups: tuple[tuple[Hashable, MetaResult], ...]
    Q_between: float
    Q_between_df: int
    Q_between_p: float

    def group(self, label: Hashable) -> MetaResult:
        for key, result in self.groups:
            if key == label:
                return result
        raise KeyError(label)


# ---------------------------------------------------------------------------------------------
# Input checking and linear algebra


def _check_options(method: str, test: str, level: float) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if test not in TESTS:
        raise ValueError(f"unknown test {test!r}: use 'z' or 'knha'")
    if not 0 < level < 100:
        raise ValueError("level must be a percentage between 0 and 100")


def _vector(name: str, values: ArrayLike) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must contain only numbers") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return arr


def _inputs(yi: ArrayLike, vi: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y = _vector("yi", yi)
    v = _vector("vi", vi)
    if y.size != v.size:
        raise ValueError(f"yi has {y.size} values but vi has {v.size}")
    if y.size == 0:
        raise ValueError("no studies to pool")
    if not np.all(np.isfinite(y)):
        raise ValueError("yi has a missing or non-finite value")
    if not np.all(np.isfinite(v)):
        raise ValueError("vi has a missing or non-finite value")
    if np.any(v <= 0):
        raise ValueError("every sampling variance vi must be positive")
    return y, v


def _projection(X: np.ndarray, y: np.ndarray, w: np.ndarray):
    """For P = W - W X (X'WX)^-1 X'W: returns P y, tr(P), tr(PP), beta, (X'WX)^-1 in O(k p^2)."""
    XtW = X.T * w
    M = np.linalg.inv(XtW @ X)
    beta = M @ (XtW @ y)
    Py = w * (y - X @ beta)
    A2 = (X.T * w**2) @ X  # X'W^2X
    A3 = (X.T * w**3) @ X  # X'W^3X
    MA2 = M @ A2
    trP = float(w.sum() - np.trace(MA2))
    trPP = float((w**2).sum() - 2 * np.trace(M @ A3) + np.trace(MA2 @ MA2))
    return Py, trP, trPP, beta, M


def _qe(y: np.ndarray, v: np.ndarray, X: np.ndarray) -> tuple[float, float]:
    """Cochran's Q (residual heterogeneity) with weights 1/vi, and the typical variance (k-p)/tr(P)."""
    k, p = X.shape
    Py, trP, _, _, _ = _projection(X, y, 1 / v)
    return max(0.0, float(y @ Py)), (k - p) / trP


def _generalised_q(tau2: float, y: np.ndarray, v: np.ndarray, X: np.ndarray) -> float:
    w = 1 / (v + tau2)
    XtW = X.T * w
    beta = np.linalg.solve(XtW @ X, XtW @ y)
    r = y - X @ beta
    return float(np.sum(w * r * r))


def _tau2_he(y: np.ndarray, v: np.ndarray, X: np.ndarray) -> float:
    k, p = X.shape
    S = np.linalg.inv(X.T @ X)
    Xty = X.T @ y
    rss = float(y @ y - Xty @ S @ Xty)
    trPV = float(v.sum() - np.trace(S @ ((X.T * v) @ X)))
    return (rss - trPV) / (k - p)


def _tau2_dl(y: np.ndarray, v: np.ndarray, X: np.ndarray) -> float:
    k, p = X.shape
    Py, trP, _, _, _ = _projection(X, y, 1 / v)
    return (float(y @ Py) - (k - p)) / trP


def _restricted_loglik(tau2: float, y: np.ndarray, v: np.ndarray, X: np.ndarray, reml: bool) -> float:
    k, p = X.shape
    w = 1 / (v + tau2)
    XtW = X.T * w
    XtWX = XtW @ X
    beta = np.linalg.solve(XtWX, XtW @ y)
    rss = float(np.sum(w * (y - X @ beta) ** 2))
    if reml:
        logdet = np.linalg.slogdet(XtWX)[1]
        return (
            -0.5 * (k - p) * math.log(2 * math.pi) - 0.5 * np.sum(np.log(v + tau2)) - 0.5 * logdet - 0.5 * rss
        )
    return -0.5 * k * math.log(2 * math.pi) - 0.5 * np.sum(np.log(v + tau2)) - 0.5 * rss


def _tau2_fisher_scoring(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, *, reml: bool, threshold: float, max_iter: int
) -> tuple[float, int]:
    """metafor's Fisher scoring for ML/REML: HE start truncated at 0, step halving, |change| stop."""
    tau2 = max(0.0, _tau2_he(y, v, X))
    change = threshold + 1
    iterations = 0
    while change > threshold:
        iterations += 1
        old = tau2
        w = 1 / (v + tau2)
        Py, trP, trPP, _, _ = _projection(X, y, w)
        if reml:
            adj = (float(Py @ Py) - trP) / trPP
        else:
            adj = (float(Py @ Py) - float(w.sum())) / float((w**2).sum())
        if not math.isfinite(adj):
            raise ConvergenceError("Fisher scoring produced a non-finite step")
        while tau2 + adj < 0:
            adj /= 2
        tau2 = tau2 + adj
        change = abs(old - tau2)
        if iterations > max_iter:
            raise ConvergenceError(f"Fisher scoring did not converge in {max_iter} iterations")
    # metafor's check for a better likelihood at the boundary (ll0check)
    ll0 = _restricted_loglik(0.0, y, v, X, reml)
    ll = _restricted_loglik(tau2, y, v, X, reml)
    if ll0 - ll > UNIROOT_TOL and tau2 > threshold:
        tau2 = 0.0
    return tau2, iterations


def _mad(y: np.ndarray) -> float:
    return float(1.4826 * np.median(np.abs(y - np.median(y))))


def _tau2_pm(y: np.ndarray, v: np.ndarray, X: np.ndarray, xtol: float) -> float:
    k, p = X.shape
    target = k - p
    if _generalised_q(0.0, y, v, X) < target:
        return 0.0
    upper = max(100.0, 10 * _mad(y) ** 2)
    while _generalised_q(upper, y, v, X) > target:
        upper *= 10
        if upper > 1e12:
            raise ConvergenceError("Paule-Mandel: no root of the generalised Q below 1e12")
    return float(optimize.brentq(lambda t: _generalised_q(t, y, v, X) - target, 0.0, upper, xtol=xtol))


def _se_tau2(method: str, tau2: float, y: np.ndarray, v: np.ndarray, X: np.ndarray) -> float | None:
    k, p = X.shape
    t = max(tau2, 0.0)
    if method == "REML":
        _, _, trPP, _, _ = _projection(X, y, 1 / (v + tau2))
        return math.sqrt(2 / trPP)
    if method == "ML":
        return math.sqrt(2 / float(np.sum((1 / (v + tau2)) ** 2)))
    if method == "PM":
        return math.sqrt(2 * k**2 / (k - p) / float(np.sum(1 / (v + tau2))) ** 2)
    if method == "DL":
        _, trP, trPP, _, _ = _projection(X, y, 1 / v)
        return math.sqrt((2 * (k - p) + 4 * t * trP + 2 * t**2 * trPP) / trP**2)
    if method == "HE":
        S = np.linalg.inv(X.T @ X)
        XtVX = (X.T * v) @ X
        SXtVX = S @ XtVX
        trPV = float(v.sum() - np.trace(SXtVX))
        trPVPV = float((v**2).sum() - 2 * np.trace(S @ ((X.T * v**2) @ X)) + np.trace(SXtVX @ SXtVX))
        return math.sqrt((2 * trPVPV + 4 * t * trPV + 2 * t**2 * (k - p)) / (k - p) ** 2)
    return None


@dataclass(frozen=True)
class _Fit:
    method: str
    test: str
    k: int
    p: int
    beta: np.ndarray
    vb: np.ndarray
    df: int | None
    crit: float
    tau2: float
    se_tau2: float | None
    QE: float
    QE_p: float
    vt: float
    I2: float
    H2: float
    weights: np.ndarray
    iterations: int


def _estimate_tau2(
    y: np.ndarray,
    v: np.ndarray,
    X: np.ndarray,
    method: str,
    threshold: float,
    max_iter: int,
    pm_xtol: float,
) -> tuple[float, int]:
    k, p = X.shape
    if method == "EE" or k == 1:
        return 0.0, 0
    if method == "DL":
        return max(0.0, _tau2_dl(y, v, X)), 0
    if method == "HE":
        return max(0.0, _tau2_he(y, v, X)), 0
    if method == "PM":
        return _tau2_pm(y, v, X, pm_xtol), 0
    return _tau2_fisher_scoring(y, v, X, reml=method == "REML", threshold=threshold, max_iter=max_iter)


def _fit(
    y: np.ndarray,
    v: np.ndarray,
    X: np.ndarray,
    *,
    method: str,
    test: str,
    level: float,
    threshold: float = 1e-5,
    max_iter: int = 100,
    pm_xtol: float = 1e-12,
) -> _Fit:
    _check_options(method, test, level)
    k, p = X.shape
    if np.linalg.matrix_rank(X) < p:
        raise ValueError("the moderators are collinear (the model matrix is not of full rank)")
    if method == "EE":
        if p > k:
            raise ValueError(f"{p} coefficients cannot be estimated from {k} studies")
    elif not (k == 1 and p == 1) and p + 1 > k:
        raise ValueError(f"a random-effects model with {p} coefficient(s) needs at least {p + 1} studies")
    if k == 1:
        test = "z"  # as metafor: Knapp-Hartung needs k > p
    tau2, iterations = _estimate_tau2(y, v, X, method, threshold, max_iter, pm_xtol)
    se_tau2 = None if method == "EE" or k == p else _se_tau2(method, tau2, y, v, X)
    w = 1 / (v + tau2)
    XtW = X.T * w
    vb = np.linalg.inv(XtW @ X)
    beta = vb @ (XtW @ y)
    level_tail = (1 - level / 100) / 2
    if test == "knha":
        rss = float(np.sum(w * (y - X @ beta) ** 2))
        s2w = 0.0 if rss <= np.finfo(float).eps else rss / (k - p)
        vb = vb * s2w
        df: int | None = k - p
        crit = float(stats.t.isf(level_tail, df))
    else:
        df = None
        crit = float(stats.norm.isf(level_tail))
    if k > p:
        QE, vt = _qe(y, v, X)
        QE_p = float(stats.chi2.sf(QE, k - p))
        if method == "EE":
            I2 = max(0.0, 100 * (QE - (k - p)) / QE) if QE > 0 else 0.0
            H2 = QE / (k - p)
        else:
            I2 = 100 * tau2 / (vt + tau2)
            H2 = tau2 / vt + 1
    else:
        QE, QE_p, vt, I2, H2 = 0.0, 1.0, 0.0, 0.0, 1.0
    return _Fit(
        method=method,
        test=test,
        k=k,
        p=p,
        beta=beta,
        vb=vb,
        df=df,
        crit=crit,
        tau2=float(tau2),
        se_tau2=se_tau2,
        QE=QE,
        QE_p=QE_p,
        vt=vt,
        I2=float(I2),
        H2=float(H2),
        weights=100 * w / w.sum(),
        iterations=iterations,
    )


def _pval(stat: float, df: int | None) -> float:
    if df is None:
        return float(2 * stats.norm.sf(abs(stat)))
    return float(2 * stats.t.sf(abs(stat), df))


# ---------------------------------------------------------------------------------------------
# Heterogeneity confidence intervals (Q-profile)


def _q_profile(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float, vt: float, level: float, tol: float
) -> HeterogeneityCI:
    k, p = X.shape
    if k <= p:
        raise ValueError("a confidence interval for tau^2 needs more studies than coefficients")
    alpha = 1 - level / 100
    crit_u = float(stats.chi2.isf(alpha / 2, k - p))
    crit_l = float(stats.chi2.ppf(alpha / 2, k - p))
    tau2_min = min(0.0, tau2)
    tau2_max = max(100.0, tau2 * 10, tau2_min * 10)

    def q(t: float) -> float:
        return _generalised_q(t, y, v, X)

    def root(objective: float) -> float:
        return float(
            optimize.brentq(
                lambda t: q(t) - objective, tau2_min, tau2_max, xtol=tol, rtol=4 * np.finfo(float).eps
            )
        )

    q_min, q_max = q(tau2_min), q(tau2_max)
    # upper bound
    if q_min < crit_l:
        lb = ub = tau2_min
    else:
        ub = tau2_max if q_max > crit_l else root(crit_l)
        # lower bound
        if q_max > crit_u:
            lb = ub = tau2_max
        elif q_min < crit_u:
            lb = tau2_min
        else:
            lb = root(crit_u)

    def i2(t: float) -> float:
        return 100 * t / (vt + t)

    def h2(t: float) -> float:
        return t / vt + 1

    return HeterogeneityCI(
        tau2=(lb, ub),
        tau=(math.sqrt(max(lb, 0.0)), math.sqrt(max(ub, 0.0))),
        I2=(i2(lb), i2(ub)),
        H2=(h2(lb), h2(ub)),
        level=level,
    )


def heterogeneity_ci(
    yi: ArrayLike,
    vi: ArrayLike,
    *,
    method: str = "REML",
    level: float = 95.0,
    tol: float = UNIROOT_TOL,
    threshold: float = 1e-5,
) -> HeterogeneityCI:
    """Q-profile confidence intervals for tau^2, tau, I^2 and H^2 (metafor's ``confint``).

    ``tol`` is the root-finding tolerance: R's uniroot default by default, for identical output;
    pass a tiny value for the exact interval.
    """
    y, v = _inputs(yi, vi)
    X = np.ones((y.size, 1))
    fit = _fit(y, v, X, method=method, test="z", level=level, threshold=threshold)
    return _q_profile(y, v, X, fit.tau2, fit.vt, level, tol)


# ---------------------------------------------------------------------------------------------
# Models


def meta_analysis(
    yi: ArrayLike,
    vi: ArrayLike,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    threshold: float = 1e-5,
    max_iter: int = 100,
    pm_xtol: float = 1e-12,
    tau2_ci: bool = True,
    ci_tol: float = UNIROOT_TOL,
) -> MetaResult:
    """Pools effect sizes ``yi`` with sampling variances ``vi`` (metafor's ``rma(yi, vi, ...)``).

    ``method``: EE, DL, REML (default), ML, PM or HE. ``test``: "z" (default) or "knha".
    ``threshold``: Fisher-scoring stop rule for REML/ML (1e-5 as metafor; 1e-10 to converge tightly).
    ``tau2_ci``: also compute the Q-profile intervals for tau^2, I^2 and H^2 (random effects, k >= 2).
    """
    y, v = _inputs(yi, vi)
    X = np.ones((y.size, 1))
    fit = _fit(
        y,
        v,
        X,
        method=method,
        test=test,
        level=level,
        threshold=threshold,
        max_iter=max_iter,
        pm_xtol=pm_xtol,
    )
    return _meta_result(y, v, X, fit, level, tau2_ci and method != "EE" and fit.k > 1, ci_tol)


def _meta_result(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, fit: _Fit, level: float, with_ci: bool, ci_tol: float
) -> MetaResult:
    estimate = float(fit.beta[0])
    se = math.sqrt(float(fit.vb[0, 0]))
    zval = estimate / se if se > 0 else math.copysign(math.inf, estimate) if estimate else math.nan
    pi_half = fit.crit * math.sqrt(se**2 + fit.tau2)
    heterogeneity = _q_profile(y, v, X, fit.tau2, fit.vt, level, ci_tol) if with_ci else None
    return MetaResult(
        method=fit.method,
        test=fit.test,
        k=fit.k,
        estimate=estimate,
        se=se,
        zval=zval,
        pval=_pval(zval, fit.df),
        ci_lb=estimate - fit.crit * se,
        ci_ub=estimate + fit.crit * se,
        pi_lb=estimate - pi_half,
        pi_ub=estimate + pi_half,
        tau2=fit.tau2,
        se_tau2=fit.se_tau2,
        I2=fit.I2,
        H2=fit.H2,
        Q=fit.QE,
        Q_df=fit.k - fit.p,
        Q_p=fit.QE_p,
        df=fit.df,
        level=level,
        weights=tuple(float(w) for w in fit.weights),
        tau2_ci=heterogeneity.tau2 if heterogeneity else None,
        I2_ci=heterogeneity.I2 if heterogeneity else None,
        H2_ci=heterogeneity.H2 if heterogeneity else None,
        iterations=fit.iterations,
    )


def _design(mods, names: Sequence[str] | None, intercept: bool, k: int) -> tuple[np.ndarray, list[str]]:
    try:
        M = np.asarray(mods, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("mods must contain only numbers (code categories as 0/1 columns)") from exc
    if M.ndim == 1:
        M = M.reshape(-1, 1)
    if M.ndim != 2 or M.shape[0] != k:
        raise ValueError(f"mods must have one row per study ({k}), not shape {M.shape}")
    if names is None:
        names = [f"x{j + 1}" for j in range(M.shape[1])] if M.shape[1] > 1 else ["mods"]
    names = list(names)
    if len(names) != M.shape[1]:
        raise ValueError(f"{len(names)} names given for {M.shape[1]} moderator columns")
    if intercept:
        M = np.column_stack([np.ones(k), M])
        names = ["intrcpt", *names]
    return M, names


def meta_regression(
    yi: ArrayLike,
    vi: ArrayLike,
    mods,
    *,
    names: Sequence[str] | None = None,
    intercept: bool = True,
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    threshold: float = 1e-5,
    max_iter: int = 100,
    pm_xtol: float = 1e-12,
) -> MetaRegressionResult:
    """Mixed-effects meta-regression (metafor's ``rma(yi, vi, mods=...)``).

    ``mods`` is a k-vector or a k x m matrix of numeric moderators (code a categorical moderator as
    0/1 columns against a reference level). Studies with a missing (NaN) yi, vi or moderator are
    left out, as metafor's default ``na.omit`` does; ``k`` reports the studies used.
    """
    y = _vector("yi", yi)
    v = _vector("vi", vi)
    if y.size != v.size:
        raise ValueError(f"yi has {y.size} values but vi has {v.size}")
    X, labels = _design(mods, names, intercept, y.size)
    keep = np.isfinite(y) & np.isfinite(v) & np.all(np.isfinite(X), axis=1)
    y, v, X = y[keep], v[keep], X[keep]
    y, v = _inputs(y, v)
    fit = _fit(
        y,
        v,
        X,
        method=method,
        test=test,
        level=level,
        threshold=threshold,
        max_iter=max_iter,
        pm_xtol=pm_xtol,
    )
    se = np.sqrt(np.diag(fit.vb))
    coefs = []
    for j, name in enumerate(labels):
        est, s = float(fit.beta[j]), float(se[j])
        z = est / s
        coefs.append(Coefficient(name, est, s, z, _pval(z, fit.df), est - fit.crit * s, est + fit.crit * s))
    btt = [j for j, name in enumerate(labels) if not (intercept and j == 0)] or list(range(len(labels)))
    b = fit.beta[btt]
    QM = float(b @ np.linalg.solve(fit.vb[np.ix_(btt, btt)], b))
    m = len(btt)
    if fit.df is not None:
        QM /= m
        QM_p = float(stats.f.sf(QM, m, fit.df))
    else:
        QM_p = float(stats.chi2.sf(QM, m))
    R2 = None
    if intercept and fit.p > 1 and method != "EE":
        base = _fit(
            y,
            v,
            np.ones((y.size, 1)),
            method=method,
            test=test,
            level=level,
            threshold=threshold,
            max_iter=max_iter,
            pm_xtol=pm_xtol,
        )
        R2 = 0.0 if base.tau2 == 0 else max(0.0, 100 * (base.tau2 - fit.tau2) / base.tau2)
    return MetaRegressionResult(
        method=method,
        test=fit.test,
        k=fit.k,
        p=fit.p,
        coefficients=tuple(coefs),
        tau2=fit.tau2,
        se_tau2=fit.se_tau2,
        I2=fit.I2,
        H2=fit.H2,
        R2=R2,
        QE=fit.QE,
        QE_df=fit.k - fit.p,
        QE_p=fit.QE_p,
        QM=QM,
        QM_df=m,
        QM_p=QM_p,
        df=fit.df,
        level=level,
        iterations=fit.iterations,
    )


# ---------------------------------------------------------------------------------------------
# Small-study effects and sensitivity


def egger_test(
    yi: ArrayLike,
    vi: ArrayLike,
    *,
    model: str = "rma",
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    threshold: float = 1e-5,
) -> EggerResult:
    """Egger's regression test with the standard error as predictor (metafor's ``regtest``).

    ``model="rma"`` (metafor's default) fits a meta-regression on sqrt(vi) with the given method/test;
    ``model="lm"`` is the classic weighted least-squares regression with weights 1/vi (t, k-2 df).
    """
    y, v = _inputs(yi, vi)
    k = y.size
    sei = np.sqrt(v)
    X = np.column_stack([np.ones(k), sei])
    if model == "rma":
        fit = _fit(y, v, X, method=method, test=test, level=level, threshold=threshold)
        se = np.sqrt(np.diag(fit.vb))
        df, crit, beta = fit.df, fit.crit, fit.beta
    elif model == "lm":
        if k < 3:
            raise ValueError("Egger's test needs at least 3 studies")
        w = 1 / v
        XtW = X.T * w
        M = np.linalg.inv(XtW @ X)
        beta = M @ (XtW @ y)
        sigma2 = float(np.sum(w * (y - X @ beta) ** 2)) / (k - 2)
        se = np.sqrt(np.diag(M * sigma2))
        df = k - 2
        crit = float(stats.t.isf((1 - level / 100) / 2, df))
    else:
        raise ValueError("model must be 'rma' or 'lm'")
    zval = float(beta[1] / se[1])
    return EggerResult(
        model=model,
        predictor="sei",
        zval=zval,
        pval=_pval(zval, df),
        df=df,
        slope=float(beta[1]),
        limit_estimate=float(beta[0]),
        limit_ci_lb=float(beta[0] - crit * se[0]),
        limit_ci_ub=float(beta[0] + crit * se[0]),
    )


def rank_correlation_test(yi: ArrayLike, vi: ArrayLike) -> RankTestResult:
    """Begg and Mazumdar's test (metafor's ``ranktest``): Kendall's tau between the standardised
    deviations from the EE estimate and the sampling variances; exact p value unless there are ties."""
    y, v = _inputs(yi, vi)
    if y.size < 3:
        raise ValueError("the rank correlation test needs at least 3 studies")
    w = 1 / v
    beta = float(np.sum(w * y) / np.sum(w))
    vb = 1 / float(np.sum(w))
    ystar = (y - beta) / np.sqrt(v - vb)
    ties = len(np.unique(ystar)) < y.size or len(np.unique(v)) < v.size
    res = stats.kendalltau(ystar, v, method="asymptotic" if ties else "exact")
    return RankTestResult(tau=float(res.statistic), pval=float(res.pvalue))


def trim_and_fill(
    yi: ArrayLike,
    vi: ArrayLike,
    *,
    method: str = "REML",
    test: str = "z",
    estimator: str = "L0",
    side: str | None = None,
    level: float = 95.0,
    threshold: float = 1e-5,
    max_iter: int = 100,
    tau2_ci: bool = False,
) -> TrimFillResult:
    """Duval and Tweedie's trim-and-fill (metafor's ``trimfill``, estimators L0 (default) and R0).

    Without ``side``, the missing studies are sought on the side opposite to the sign of the slope
    of yi on sqrt(vi) (fitted with the same method). Filled studies mirror the k0 most extreme ones
    about the estimate from the trimmed data; the model is refitted to all studies.
    """
    y, v = _inputs(yi, vi)
    _check_options(method, test, level)
    if estimator not in ("L0", "R0"):
        raise ValueError("estimator must be 'L0' or 'R0'")
    k = y.size
    if k < 3:
        raise ValueError("trim-and-fill needs at least 3 studies")
    opts = {"method": method, "test": test, "level": level, "threshold": threshold, "max_iter": max_iter}
    if side is None:
        slope = _fit(y, v, np.column_stack([np.ones(k), np.sqrt(v)]), **opts).beta[1]
        side = "right" if slope < 0 else "left"
    elif side not in ("left", "right"):
        raise ValueError("side must be 'left' or 'right'")
    flipped = -y if side == "right" else y.copy()
    order = np.argsort(flipped, kind="stable")
    ys, vs = flipped[order], v[order]
    k0, k0_prev, iterations = 0, -1, 0
    se_k0 = 0.0
    beta = 0.0
    while k0 != k0_prev:
        k0_prev = k0
        iterations += 1
        if iterations > max_iter:
            raise ConvergenceError("trim-and-fill did not converge")
        n = k - k0
        beta = float(_fit(ys[:n], vs[:n], np.ones((n, 1)), **opts).beta[0])
        # Rounded far below any meaningful precision, so that mirrored studies tie exactly and a study
        # at the estimate is at zero on every machine (the estimate's last bits vary with the CPU's
        # summation order, and would otherwise decide ties).
        centred = np.round(ys - beta, 10)
        ranks = np.empty(k)
        ranks[np.argsort(np.abs(centred), kind="stable")] = np.arange(1, k + 1)
        signed = np.sign(centred) * ranks
        if estimator == "R0":
            negatives = -signed[signed < 0]
            k0_raw = (k - (negatives.max() if negatives.size else 0)) - 1
            se_k0 = math.sqrt(2 * max(0.0, k0_raw) + 2)
        else:
            sr = float(signed[signed > 0].sum())
            k0_raw = (4 * sr - k * (k + 1)) / (2 * k - 1)
            var_sr = (
                k * (k + 1) * (2 * k + 1)
                + 10 * k0_raw**3
                + 27 * k0_raw**2
                + 17 * k0_raw
                - 18 * k * k0_raw**2
                - 18 * k * k0_raw
                + 6 * k**2 * k0_raw
            ) / 24
            se_k0 = 4 * math.sqrt(var_sr) / (2 * k - 1) if var_sr > 0 else 0.0
        k0 = max(0, _round_half_even(k0_raw))
        se_k0 = max(0.0, se_k0)
        if k0 >= k:
            raise ConvergenceError("trim-and-fill estimated as many missing studies as observed")
    p_k0 = 0.5 ** (k0 + 1) if estimator == "R0" else None
    if k0 > 0:
        fill = 2 * beta - ys[k - k0 :]
        fill_y = -fill if side == "right" else fill
        fill_v = vs[k - k0 :]
        y_all = np.concatenate([y, fill_y])
        v_all = np.concatenate([v, fill_v])
        result = meta_analysis(
            y_all,
            v_all,
            method=method,
            test=test,
            level=level,
            threshold=threshold,
            max_iter=max_iter,
            tau2_ci=tau2_ci,
        )
    else:
        fill_y = fill_v = np.empty(0)
        result = meta_analysis(
            y,
            v,
            method=method,
            test=test,
            level=level,
            threshold=threshold,
            max_iter=max_iter,
            tau2_ci=tau2_ci,
        )
    return TrimFillResult(
        side=side,
        estimator=estimator,
        k0=k0,
        se_k0=se_k0,
        p_k0=p_k0,
        filled_yi=tuple(float(x) for x in fill_y),
        filled_vi=tuple(float(x) for x in fill_v),
        result=result,
    )


def _round_half_even(x: float) -> int:
    """R's round(): IEC 60559 round half to even (Python's round() does the same)."""
    return int(round(x))


def leave_one_out(
    yi: ArrayLike,
    vi: ArrayLike,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    threshold: float = 1e-5,
) -> tuple[MetaResult, ...]:
    """The model refitted k times, each time without one study (in input order)."""
    y, v = _inputs(yi, vi)
    if y.size < 3:
        raise ValueError("leave-one-out needs at least 3 studies")
    out = []
    for i in range(y.size):
        keep = np.arange(y.size) != i
        out.append(
            meta_analysis(
                y[keep], v[keep], method=method, test=test, level=level, threshold=threshold, tau2_ci=False
            )
        )
    return tuple(out)


def subgroup_analysis(
    yi: ArrayLike,
    vi: ArrayLike,
    groups: Sequence[Hashable],
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    threshold: float = 1e-5,
) -> SubgroupResult:
    """Separate models per level of a categorical moderator (each with its own tau^2) and the test
    of subgroup differences: Q_between = sum((est_g - est_bar)^2 / se_g^2) on groups - 1 df, with
    est_bar the inverse-variance weighted mean of the subgroup estimates. Groups keep first-seen order."""
    y, v = _inputs(yi, vi)
    labels = list(groups)
    if len(labels) != y.size:
        raise ValueError(f"groups has {len(labels)} labels but there are {y.size} studies")
    order: list[Hashable] = []
    for label in labels:
        if label not in order:
            order.append(label)
    if len(order) < 2:
        raise ValueError("a subgroup analysis needs at least two groups")
    results = []
    for label in order:
        idx = np.array([i for i, g in enumerate(labels) if g == label])
        results.append(
            (
                label,
                meta_analysis(
                    y[idx], v[idx], method=method, test=test, level=level, threshold=threshold, tau2_ci=False
                ),
            )
        )
    est = np.array([r.estimate for _, r in results])
    w = np.array([1 / r.se**2 for _, r in results])
    pooled = float(np.sum(w * est) / np.sum(w))
    q_between = float(np.sum(w * (est - pooled) ** 2))
    df = len(order) - 1
    return SubgroupResult(
        groups=tuple(results),
        Q_between=q_between,
        Q_between_df=df,
        Q_between_p=float(stats.chi2.sf(q_between, df)),
    )
