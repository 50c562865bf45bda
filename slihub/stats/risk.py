"""Risk of a poor next inspection: penalised logistic regression and honest evaluation.

The framework-free half of the early-warning model (issue #6). No Django, no slihub imports,
NumPy and SciPy only, every random choice seeded by the caller.

Model. Features are standardised with the (weighted) training means and standard deviations;
a missing value (NaN) becomes 0 on that scale, i.e. it is imputed at the training mean and pushes
the log-odds neither way. `fit_logistic` maximises

    sum_i w_i * [y_i * eta_i - log(1 + exp(eta_i))]  -  penalty / 2 * ||coef||^2,   eta = b0 + Z coef

(the intercept is not penalised) by Newton-Raphson with step halving. This is exactly
scikit-learn's LogisticRegression(C=1/penalty) with sample_weight=w on the standardised matrix,
which the tests check. Because the model is linear on the standardised scale, each feature's
contribution coef_j * z_j is its push on the log-odds, which is what the explanations show.

Weights let older inspections count less (`decay_weights`). `forward_chained_losses` judges penalties
by predicting each period from the periods before it, as the hub would have; `shift_to_rate` moves
every log-odds alike so that the mean risk matches a recent rate (recalibration in the large).

Evaluation: ROC AUC (Mann-Whitney, ties as half), PR AUC (average precision, as scikit-learn),
Brier score, log loss, a calibration table and recalibration intercept/slope, precision and recall
of a flag (e.g. the 15 highest risks), each with a percentile bootstrap interval over the items or over
whole clusters of them (councils); `compare` adds paired intervals for differences between predictors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg
from scipy.special import expit, logit
from scipy.stats import rankdata

CLIP = 1e-15  # probabilities are clipped to [CLIP, 1 - CLIP] before taking logs


class ConvergenceError(RuntimeError):
    """Newton-Raphson did not reach the tolerance (e.g. separable data with no penalty)."""


# --------------------------------------------------------------------------------------------------
# Input checks


def _labels(y) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be one-dimensional, not shape {y.shape}")
    values = y.astype(float)
    if not np.all((values == 0) | (values == 1)):
        raise ValueError("y must hold only 0/1 (or False/True) outcomes")
    return values


def _probabilities(p, n: int) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if p.shape != (n,):
        raise ValueError(f"expected {n} predictions, got shape {p.shape}")
    if np.any(np.isnan(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("predictions must be probabilities in [0, 1], without NaN")
    return p


def _weights(weights, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,):
        raise ValueError(f"expected {n} weights, got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative")
    if w.sum() <= 0:
        raise ValueError("the weights sum to zero: nothing to fit or score")
    return w


def _matrix(X, n_features: int | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be two-dimensional (rows x features), not shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"X has {X.shape[1]} features, the model {n_features}")
    if np.any(np.isinf(X)):
        raise ValueError("X holds an infinite value (use NaN for missing)")
    return X


def _both_classes(y: np.ndarray, w: np.ndarray) -> bool:
    return bool(w[y == 1].sum() > 0 and w[y == 0].sum() > 0)


# --------------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value; compare to_dict()
class LogisticModel:
    feature_names: tuple[str, ...]
    means: np.ndarray  # weighted training means per feature (NaN ignored; 0 where all missing)
    scales: np.ndarray  # weighted training standard deviations (1.0 where constant or all missing)
    coef: np.ndarray  # coefficients on the standardised scale
    intercept: float
    penalty: float
    # Standardised values beyond +-winsor are held there: one authority's freak figure (a tiny
    # authority's rate, a zero returned by mistake) cannot dominate a fit or a score.
    winsor: float = math.inf

    def __post_init__(self) -> None:
        p = len(self.feature_names)
        object.__setattr__(self, "feature_names", tuple(str(name) for name in self.feature_names))
        object.__setattr__(self, "intercept", float(self.intercept))
        object.__setattr__(self, "penalty", float(self.penalty))
        for name in ("means", "scales", "coef"):
            array = np.array(getattr(self, name), dtype=float)  # a copy, then frozen like the rest
            if array.shape != (p,):
                raise ValueError(f"{name} must have one value per feature ({p}), not shape {array.shape}")
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        if np.any(self.scales <= 0):
            raise ValueError("scales must be positive")

    def standardise(self, X) -> np.ndarray:
        """(X - means) / scales with NaN as 0: a missing value is imputed at the training mean."""
        X = np.asarray(X, dtype=float)
        if X.shape[-1:] != (len(self.feature_names),):
            raise ValueError(f"expected {len(self.feature_names)} features, got shape {X.shape}")
        Z = (X - self.means) / self.scales
        return np.clip(np.where(np.isnan(Z), 0.0, Z), -self.winsor, self.winsor)

    def log_odds(self, X) -> np.ndarray:
        return self.intercept + self.standardise(X) @ self.coef

    def predict(self, X) -> np.ndarray:
        """Probabilities: shape (n,) for X of shape (n, p), a 0-d value for one row of shape (p,)."""
        return expit(self.log_odds(X))

    def contributions(self, x) -> np.ndarray:
        """Each feature's push on the log-odds for one row (0 when missing): sums to log_odds - intercept."""
        x = np.asarray(x, dtype=float)
        if x.ndim != 1:
            raise ValueError("contributions are for one row (shape (p,))")
        return self.coef * self.standardise(x)

    def to_dict(self) -> dict:
        # Python floats survive JSON exactly (repr is the shortest round-tripping form)
        return {
            "feature_names": list(self.feature_names),
            "means": [float(v) for v in self.means],
            "scales": [float(v) for v in self.scales],
            "coef": [float(v) for v in self.coef],
            "intercept": self.intercept,
            "penalty": self.penalty,
            "winsor": None if math.isinf(self.winsor) else self.winsor,
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> LogisticModel:
        return cls(
            feature_names=tuple(d["feature_names"]),
            means=np.asarray(d["means"], dtype=float),
            scales=np.asarray(d["scales"], dtype=float),
            coef=np.asarray(d["coef"], dtype=float),
            intercept=float(d["intercept"]),
            penalty=float(d["penalty"]),
            winsor=math.inf if d.get("winsor") is None else float(d["winsor"]),
        )


def _column_moments(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and (population) standard deviation of each column, NaN ignored."""
    present = ~np.isnan(X)
    W = np.where(present, w[:, None], 0.0)
    total = W.sum(axis=0)
    values = np.where(present, X, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(total > 0, (W * values).sum(axis=0) / total, 0.0)
        variances = np.where(total > 0, (W * (values - means) ** 2).sum(axis=0) / total, 0.0)
    scales = np.sqrt(np.maximum(variances, 0.0))
    # a constant column gives z = 0 whatever the scale; 1.0 keeps the arithmetic finite. The
    # threshold allows for rounding in the mean of a column that is constant in exact arithmetic.
    constant = scales <= 1e-12 * np.maximum(1.0, np.abs(means))
    # and its own value as the mean, so that z is exactly 0 (not a rounding error away from it)
    first = np.nanmax(np.where(W > 0, X, np.nan), axis=0, initial=-np.inf)
    means = np.where(constant & (total > 0), first, means)
    return means, np.where(constant, 1.0, scales)


def _objective(A: np.ndarray, y: np.ndarray, w: np.ndarray, pen: np.ndarray, theta: np.ndarray) -> float:
    eta = A @ theta
    return float(w @ (y * eta - np.logaddexp(0.0, eta)) - 0.5 * pen @ theta**2)


def _newton(A, y, w, pen, theta, *, tol: float, max_iter: int) -> np.ndarray:
    """Maximise the penalised weighted log-likelihood of y on the columns of A (with its intercept)."""
    current = _objective(A, y, w, pen, theta)
    for _ in range(max_iter):
        p = expit(A @ theta)
        gradient = A.T @ (w * (y - p)) - pen * theta
        hessian = (A * (w * p * (1 - p))[:, None]).T @ A + np.diag(pen)
        try:
            step = linalg.cho_solve(linalg.cho_factor(hessian), gradient)
        except linalg.LinAlgError:  # singular without a penalty (e.g. an all-zero column): minimum-norm step
            step = np.linalg.lstsq(hessian, gradient, rcond=None)[0]
        # step halving keeps every iteration uphill; the slack ignores rounding at the optimum
        t = 1.0
        for _ in range(60):
            candidate = _objective(A, y, w, pen, theta + t * step)
            if candidate >= current - 1e-12 * (1.0 + abs(current)):
                break
            t /= 2
        change = t * step
        theta = theta + change
        current = candidate
        if np.max(np.abs(change)) < tol:
            return theta
    raise ConvergenceError(f"logistic fit did not converge in {max_iter} iterations (tol {tol:g})")


def fit_logistic(
    X,
    y,
    *,
    feature_names: Sequence[str],
    weights=None,
    penalty: float = 1.0,
    tol: float = 1e-10,
    max_iter: int = 100,
    winsor: float = math.inf,
    start: LogisticModel | None = None,
) -> LogisticModel:
    """Penalised, weighted logistic regression on standardised columns (see the module docstring).

    `start`, a model fitted to the same X and weights with another penalty, is where Newton-Raphson
    begins: the optimum is the same (the objective is strictly concave), reached in fewer steps."""
    y = _labels(y)
    X = _matrix(X)
    n, p = X.shape
    if y.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {y.shape[0]}")
    if len(feature_names) != p:
        raise ValueError(f"{len(feature_names)} feature names for {p} columns")
    if not penalty >= 0 or not math.isfinite(penalty):
        raise ValueError(f"penalty must be a finite number >= 0, not {penalty!r}")
    w = _weights(weights, n)
    if not _both_classes(y, w):
        raise ValueError(
            "cannot fit a risk model: every (weighted) outcome is in one class; "
            "it needs at least one positive and one negative with weight > 0"
        )
    means, scales = _column_moments(X, w)
    Z = np.clip(np.where(np.isnan(X), 0.0, (X - means) / scales), -winsor, winsor)
    A = np.column_stack([np.ones(n), Z])
    pen = np.r_[0.0, np.full(p, float(penalty))]
    base_rate = w @ y / w.sum()
    begin = np.r_[logit(base_rate), np.zeros(p)] if start is None else np.r_[start.intercept, start.coef]
    theta = _newton(A, y, w, pen, begin, tol=tol, max_iter=max_iter)
    return LogisticModel(
        tuple(feature_names), means, scales, theta[1:], float(theta[0]), float(penalty), winsor
    )


def decay_weights(ages_in_years, half_life: float) -> np.ndarray:
    """0.5 ** (age / half_life): an observation half_life years old counts half as much."""
    ages = np.asarray(ages_in_years, dtype=float)
    if not half_life > 0 or not math.isfinite(half_life):
        raise ValueError(f"half_life must be a positive number of years, not {half_life!r}")
    if np.any(np.isnan(ages)) or np.any(ages < 0):
        raise ValueError("ages must be known and not negative (an outcome from the future would leak)")
    return 0.5 ** (ages / half_life)


@dataclass(frozen=True)
class Fold:
    """One forward-chained fold: train on what was known at a cut-off, test on what followed it."""

    X_train: np.ndarray
    y_train: np.ndarray
    w_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    # Names the training part, where the same one recurs (the same cut-off judged again a year later):
    # its fits are then kept in forward_chained_losses' `fitted` and not repeated.
    key: object = None


@dataclass(frozen=True)
class HeldOut:
    """A penalty's held-out predictions over every usable fold, and their mean log loss."""

    log_loss: float
    y: np.ndarray
    p: np.ndarray


def forward_chained_losses(
    folds: Sequence[Fold],
    *,
    feature_names: Sequence[str],
    grid: Sequence[float],
    winsor: float = math.inf,
    fitted: dict | None = None,
) -> dict[float, HeldOut]:
    """Each penalty's held-out predictions and mean log loss over the test rows of every usable fold (one
    whose training part has both classes), all rows counting alike: the score of a choice made only from
    the past. `fitted` keeps each keyed fold's model per penalty for the next call."""
    fitted = {} if fitted is None else fitted
    usable = [f for f in folds if _both_classes(_labels(f.y_train), _weights(f.w_train, len(f.y_train)))]
    usable = [f for f in usable if len(f.y_test)]
    if not usable:
        raise ValueError("no fold has a training part with both classes and a test part")
    y = np.concatenate([f.y_test for f in usable])
    losses, previous = {}, [None] * len(usable)
    # strongest penalty first: each fit starts from the fold's fit with the next stronger one
    for penalty in sorted(set(float(g) for g in grid), reverse=True):
        p = []
        for i, f in enumerate(usable):
            key = (f.key, penalty)
            if f.key is None or key not in fitted:
                fitted[key] = fit_logistic(
                    f.X_train,
                    f.y_train,
                    feature_names=feature_names,
                    weights=f.w_train,
                    penalty=penalty,
                    winsor=winsor,
                    start=previous[i],
                )
            previous[i] = fitted[key]
            p.append(previous[i].predict(f.X_test))
        p = np.concatenate(p)
        losses[penalty] = HeldOut(log_loss(y, p), y, p)
    return dict(sorted(losses.items()))


def shift_to_rate(log_odds, rate: float) -> float:
    """The shift d of every log-odds that makes the mean of expit(log_odds + d) equal `rate` (0 < rate < 1):
    recalibration-in-the-large, which keeps each month's order and moves its level."""
    eta = np.asarray(log_odds, dtype=float)
    if eta.size == 0 or not 0 < rate < 1:
        raise ValueError("a shift needs at least one prediction and a rate strictly between 0 and 1")
    d = logit(rate) - logit(float(np.clip(expit(eta).mean(), CLIP, 1 - CLIP)))
    for _ in range(100):  # Newton on a monotone function: converges from this start in a few steps
        p = expit(eta + d)
        gap, slope = p.mean() - rate, (p * (1 - p)).mean()
        if abs(gap) < 1e-12 or slope <= 0:
            break
        d -= gap / slope
    return float(d)


# --------------------------------------------------------------------------------------------------
# Metrics


def roc_auc(y, p) -> float:
    """Probability that a random positive scores above a random negative, ties counted as half."""
    y = _labels(y)
    p = _probabilities(p, y.shape[0])
    positives = int(y.sum())
    negatives = y.shape[0] - positives
    if positives == 0 or negatives == 0:
        return math.nan
    ranks = rankdata(p)  # average ranks: the Mann-Whitney U with ties as half
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def average_precision(y, p) -> float:
    """Area under the precision-recall step function, sum_k (R_k - R_(k-1)) P_k over distinct
    thresholds (scikit-learn's average_precision_score). NaN without positives."""
    y = _labels(y)
    p = _probabilities(p, y.shape[0])
    if y.sum() == 0:
        return math.nan
    order = np.argsort(-p, kind="stable")
    scores, hits = p[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(scores)), scores.size - 1]  # last row of each distinct score
    true_pos = np.cumsum(hits)[last]
    precision = true_pos / (last + 1)
    recall = true_pos / true_pos[-1]
    return float(np.diff(recall, prepend=0.0) @ precision)


def brier(y, p) -> float:
    y = _labels(y)
    p = _probabilities(p, y.shape[0])
    return float(np.mean((p - y) ** 2)) if y.size else math.nan


def log_loss(y, p, weights=None) -> float:
    """Weighted mean negative log-likelihood, p clipped to [1e-15, 1 - 1e-15]."""
    y = _labels(y)
    p = np.clip(_probabilities(p, y.shape[0]), CLIP, 1 - CLIP)
    w = _weights(weights, y.shape[0])
    return float(-(w @ (y * np.log(p) + (1 - y) * np.log1p(-p))) / w.sum())


def calibration_table(y, p, bins: int = 5) -> list[dict]:
    """Predicted against observed in quantile bins of p.

    The cut points are the 1/bins, 2/bins, ... quantiles of p taken as predictions (inverted CDF),
    each bin closed on the right; equal predictions always share a bin and empty bins are left out,
    so there may be fewer bins than asked. "lower" and "upper" are the smallest and largest
    prediction in the bin.
    """
    y = _labels(y)
    p = _probabilities(p, y.shape[0])
    if bins < 1:
        raise ValueError("bins must be at least 1")
    if p.size == 0:
        return []
    # inner cut points that are themselves predictions: bins are p <= c1, c1 < p <= c2, ..., p > c_last
    cuts = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)[1:-1], method="inverted_cdf"))
    which = np.searchsorted(cuts, p, side="left")
    table = []
    for b in range(cuts.size + 1):
        inside = which == b
        if not inside.any():
            continue
        table.append(
            {
                "lower": float(p[inside].min()),
                "upper": float(p[inside].max()),
                "n": int(inside.sum()),
                "mean_predicted": float(p[inside].mean()),
                "observed": float(y[inside].mean()),
            }
        )
    return table


def calibration_intercept_slope(y, p) -> tuple[float, float]:
    """(a, b) of the logistic recalibration y ~ a + b * logit(p): (0, 1) when perfectly calibrated.

    b < 1 means predictions too extreme, a shifts the base rate. NaN when one class only or when the
    fit does not exist (predictions that separate the classes perfectly).
    """
    y = _labels(y)
    p = np.clip(_probabilities(p, y.shape[0]), CLIP, 1 - CLIP)
    w = np.ones(y.shape[0])
    if not _both_classes(y, w):
        return math.nan, math.nan
    scores = logit(p)
    pos, neg = scores[y == 1], scores[y == 0]
    if pos.min() >= neg.max() or pos.max() <= neg.min():  # (quasi-)separation: no finite fit
        return math.nan, math.nan
    A = np.column_stack([np.ones(y.shape[0]), scores])
    try:
        a, b = _newton(A, y, w, np.zeros(2), np.array([0.0, 1.0]), tol=1e-10, max_iter=100)
    except ConvergenceError:
        return math.nan, math.nan
    return float(a), float(b)


def precision_recall_flagged(y, flagged) -> tuple[float, float]:
    """Precision (positives among the flagged), recall (flagged among the positives); NaN if undefined."""
    y = _labels(y)
    flagged = np.asarray(flagged, dtype=bool)
    if flagged.shape != y.shape:
        raise ValueError("flagged must have one entry per outcome")
    hits = float(y[flagged].sum())
    precision = hits / flagged.sum() if flagged.any() else math.nan
    recall = hits / y.sum() if y.sum() > 0 else math.nan
    return precision, recall


def flag_top(p, k: int) -> np.ndarray:
    """A flag for the k highest predictions (ties at the boundary broken by position, first wins)."""
    p = np.asarray(p, dtype=float)
    flagged = np.zeros(p.shape[0], dtype=bool)
    flagged[np.argsort(-p, kind="stable")[: max(k, 0)]] = True
    return flagged


# --------------------------------------------------------------------------------------------------
# Bootstrap and the evaluation bundle


def _resampler(n_items: int, clusters) -> Callable[[np.random.Generator], np.ndarray]:
    """Draws item indices: items one by one, or (given each item's cluster) whole clusters with
    replacement, every item of a drawn cluster coming with it, so that the interval allows for items of
    one cluster (inspections of one council) being alike."""
    if clusters is None:
        return lambda rng: rng.integers(0, n_items, n_items)
    clusters = np.asarray(clusters)
    if clusters.shape != (n_items,):
        raise ValueError("clusters must have one entry per item")
    groups = [np.flatnonzero(clusters == c) for c in np.unique(clusters)]
    return lambda rng: np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])


def _draws(
    statistics: Mapping[str, Callable[[np.ndarray], float]],
    n_items: int,
    *,
    n_boot: int,
    seed: int,
    clusters=None,
) -> dict[str, np.ndarray]:
    """Every statistic on the same n_boot resamples."""
    if n_items < 1 or n_boot < 1:
        raise ValueError("the bootstrap needs at least one item and one resample")
    rng = np.random.default_rng(seed)
    draw = _resampler(n_items, clusters)
    values = {name: np.empty(n_boot) for name in statistics}
    for r in range(n_boot):
        index = draw(rng)
        for name, statistic in statistics.items():
            values[name][r] = statistic(index)
    return values


def _percentile_interval(draws: np.ndarray, level: float) -> tuple[float, float, int]:
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    kept = draws[~np.isnan(draws)]
    if kept.size == 0:
        return math.nan, math.nan, 0
    low, high = np.quantile(kept, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high), int(kept.size)


def _bootstrap(
    statistics: Mapping[str, Callable[[np.ndarray], float]],
    n_items: int,
    *,
    n_boot: int,
    level: float,
    seed: int,
    clusters=None,
) -> dict[str, tuple[float, float, int]]:
    """Percentile intervals of several statistics over the same resamples of item indices."""
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    draws = _draws(statistics, n_items, n_boot=n_boot, seed=seed, clusters=clusters)
    return {name: _percentile_interval(values, level) for name, values in draws.items()}


def bootstrap_interval(
    statistic: Callable[[np.ndarray], float],
    n_items: int,
    *,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, int]:
    """Percentile bootstrap interval: (low, high, resamples used); resamples giving NaN are ignored."""
    return _bootstrap({"s": statistic}, n_items, n_boot=n_boot, level=level, seed=seed)["s"]


@dataclass(frozen=True)
class Metrics:
    roc_auc: float
    pr_auc: float
    brier: float
    precision_top: float
    recall_top: float
    intervals: dict[str, tuple[float, float]]  # name -> (low, high), names as the fields above
    n: int
    positives: int
    calibration_intercept: float = math.nan
    calibration_slope: float = math.nan
    resamples: dict[str, int] = field(default_factory=dict)  # name -> resamples behind its interval
    level: float = 0.95

    def to_dict(self) -> dict:
        """JSON-safe (NaN as None)."""

        def clean(v):
            return None if isinstance(v, float) and math.isnan(v) else v

        out = {name: clean(getattr(self, name)) for name in METRIC_NAMES}
        out["intervals"] = {name: [clean(lo), clean(hi)] for name, (lo, hi) in self.intervals.items()}
        out.update(n=self.n, positives=self.positives, resamples=dict(self.resamples), level=self.level)
        return out


METRIC_NAMES = (
    "roc_auc",
    "pr_auc",
    "brier",
    "precision_top",
    "recall_top",
    "calibration_intercept",
    "calibration_slope",
)


def _statistics(
    y: np.ndarray, p: np.ndarray, flagged: np.ndarray, order: np.ndarray | None = None
) -> dict[str, Callable[[np.ndarray], float]]:
    """The metrics of one predictor; `order` (a score in [0, 1]) ranks for ROC and PR AUC where the
    predictor ranks by a score of its own rather than by its probability."""
    order = p if order is None else order
    last = {}  # the intercept and the slope come from one fit: do it once per resample

    def calibration(index, part):
        if last.get("index") is not index:
            last.update(index=index, fit=calibration_intercept_slope(y[index], p[index]))
        return last["fit"][part]

    return {
        "roc_auc": lambda i: roc_auc(y[i], order[i]),
        "pr_auc": lambda i: average_precision(y[i], order[i]),
        "brier": lambda i: brier(y[i], p[i]),
        "precision_top": lambda i: precision_recall_flagged(y[i], flagged[i])[0],
        "recall_top": lambda i: precision_recall_flagged(y[i], flagged[i])[1],
        "calibration_intercept": lambda i: calibration(i, 0),
        "calibration_slope": lambda i: calibration(i, 1),
    }


def _checked(y, p, flagged, order=None):
    y = _labels(y)
    p = _probabilities(p, y.shape[0])
    flagged = np.asarray(flagged, dtype=bool)
    if flagged.shape != y.shape:
        raise ValueError("flagged must have one entry per outcome")
    return (y, p, flagged) if order is None else (y, p, flagged, _probabilities(order, y.shape[0]))


def _metrics(y, statistics, draws, level) -> Metrics:
    everything = np.arange(y.shape[0])
    point = {name: statistic(everything) for name, statistic in statistics.items()}
    intervals = {name: _percentile_interval(draws[name], level) for name in statistics}
    return Metrics(
        **point,
        intervals={name: (lo, hi) for name, (lo, hi, _) in intervals.items()},
        n=int(y.shape[0]),
        positives=int(y.sum()),
        resamples={name: used for name, (_, _, used) in intervals.items()},
        level=level,
    )


def evaluate(
    y, p, flagged, *, n_boot: int = 2000, seed: int = 0, level: float = 0.95, clusters=None
) -> Metrics:
    """Every metric with a bootstrap interval; all metrics share the same resamples (of the items, or of
    whole clusters when each item's cluster is given)."""
    y, p, flagged = _checked(y, p, flagged)
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    statistics = _statistics(y, p, flagged)
    draws = _draws(statistics, y.shape[0], n_boot=n_boot, seed=seed, clusters=clusters)
    return _metrics(y, statistics, draws, level)


DIFFERENCE_NAMES = ("roc_auc", "pr_auc", "brier", "precision_top", "recall_top")


@dataclass(frozen=True)
class Difference:
    """One metric of the reference minus the same metric of another predictor, on the same items."""

    point: float
    low: float
    high: float
    resamples: int

    def to_dict(self) -> dict:
        def clean(v):
            return None if isinstance(v, float) and math.isnan(v) else v

        return {
            "difference": clean(self.point),
            "interval": [clean(self.low), clean(self.high)],
            "resamples": self.resamples,
        }


def compare(
    y,
    predictions: Mapping[str, tuple],
    *,
    reference: str,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    clusters=None,
) -> tuple[dict[str, Metrics], dict[str, dict[str, Difference]]]:
    """Several predictors of the same outcomes ({name: (p, flagged)}, or (p, flagged, order) for one that
    ranks by a score of its own: see _statistics), each with its metrics, and the
    reference's advantage over each other one (reference minus other; for the Brier score, lower is
    better, so a negative difference favours the reference), all from the same resamples: the paired
    intervals that say whether a difference is more than chance."""
    if reference not in predictions:
        raise ValueError(f"the reference {reference!r} is not among the predictions")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    checked = {name: _checked(y, *values) for name, values in predictions.items()}
    y = next(iter(checked.values()))[0]
    statistics = {name: _statistics(*values) for name, values in checked.items()}
    flat = {(name, metric): f for name, stats in statistics.items() for metric, f in stats.items()}
    draws = _draws(flat, y.shape[0], n_boot=n_boot, seed=seed, clusters=clusters)
    metrics = {
        name: _metrics(y, stats, {metric: draws[(name, metric)] for metric in stats}, level)
        for name, stats in statistics.items()
    }
    differences = {}
    for other in predictions:
        if other == reference:
            continue
        differences[other] = {}
        for metric in DIFFERENCE_NAMES:
            point = getattr(metrics[reference], metric) - getattr(metrics[other], metric)
            low, high, used = _percentile_interval(draws[(reference, metric)] - draws[(other, metric)], level)
            differences[other][metric] = Difference(float(point), low, high, used)
    return metrics, differences
