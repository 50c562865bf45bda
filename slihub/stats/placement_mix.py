"""Children looked after split into parts (placement types, or unaccompanied asylum-seeking children and
the rest) from published whole-per-cent shares, with the shares' own uncertainty.

Each simulated count of children (the stock forecast's simulations) is split by a share vector drawn
from a Dirichlet distribution around the mean of the last WINDOW published years' shares, then by a
multinomial draw: so the parts are whole children, never negative, and add up to the simulated total
exactly. The Dirichlet's spread comes from how much the area's shares moved from year to year (the
variance of each share about its mean, less what rounding to whole per cents and counting noise alone
would give), shrunk towards a prior that the backtest chose, and widened for the uncertainty of the mean.

Suppressed shares ('-' in LAIT: small numbers) are unknown, not zero: a year's suppressed share is left
out of that type's mean, and a type with no published share in the window has no mean at all, so its
children stay in the remainder (with 'other placements', which is 100% less the published types).

Mean, not trend: on the published years 2020 to 2025 (origins 2022 to 2024, one to three years ahead,
every council) the mean of the last two years' shares had a smaller error than the last year's shares,
than longer means and than a straight line through them, whose errors were the largest at every horizon
(see backtest(); the figures are in the README).

Framework-free (NumPy only), like forecast.py.
"""

import warnings
from dataclasses import dataclass

import numpy as np

WINDOW = 2  # years of shares a mean is taken over: the backtest's best of 1 (the last year), 2, 3 and 6
# Year-to-year spread of the shares as a fraction of a multinomial's m(1 - m): the prior the area's own
# spread is shrunk towards (PRIOR_DF pseudo-years), and the least it can be. Chosen on the backtest so
# that the 80% intervals of councils' published shares held about 80% of them.
PRIOR_SPREAD, PRIOR_DF = 0.008, 2.0
MIN_SPREAD = 0.0005
ROUNDING_VAR = 1 / 12 / 100**2  # a share rounded to a whole per cent: uniform error of half a point
LEVELS = {"p10": 0.10, "median": 0.50, "p90": 0.90}
METHODS = ("mean", "last", "trend")


@dataclass(frozen=True)
class MixFit:
    """The parts' mean shares (adding up to 1; the last part is the remainder) and the Dirichlet's
    concentration; which published years were read, and which shares were suppressed (unknown)."""

    parts: tuple[str, ...]
    mean: np.ndarray
    concentration: float
    years: tuple[int, ...]
    suppressed: dict[str, tuple[int, ...]]  # part -> years whose share was suppressed
    unknown: tuple[str, ...]  # parts with no published share in the window: counted in the remainder

    def to_dict(self) -> dict:
        return {
            "parts": list(self.parts),
            "mean_share": {p: round(float(m), 4) for p, m in zip(self.parts, self.mean, strict=True)},
            "concentration": round(self.concentration, 1),
            "years": list(self.years),
            "suppressed": {p: list(y) for p, y in self.suppressed.items() if y},
            "unknown": list(self.unknown),
        }


def _trend(years: np.ndarray, values: np.ndarray, target: float) -> float:
    keep = ~np.isnan(values)
    if keep.sum() < 2:
        return float(np.nanmean(values)) if keep.any() else np.nan
    slope, intercept = np.polyfit(years[keep], values[keep], 1)
    return float(np.clip(intercept + slope * target, 0, 100))


def fit_mix(
    years,
    percents,
    parts: tuple[str, ...],
    remainder: str,
    window: int = WINDOW,
    method: str = "mean",
    stock: float | None = None,
    ahead: int = 1,
) -> MixFit:
    """percents: (years, len(parts)) published whole per cents, NaN where suppressed or not held.
    The remainder part is 100 less the others. stock: the children the shares are of (for the
    counting noise the published shares already carry). ahead: the year a trend is carried to."""
    if method not in METHODS:
        raise ValueError(f"method is one of {', '.join(METHODS)}")
    years = np.asarray(years, dtype=float)
    values = np.asarray(percents, dtype=float).reshape(len(years), len(parts))
    if len(years) == 0:
        raise ValueError("no published shares")
    years, values = years[-window:], values[-window:]
    if np.isnan(values).all():
        raise ValueError("every share in the years read is suppressed or not held")
    suppressed = {p: tuple(int(y) for y in years[np.isnan(values[:, i])]) for i, p in enumerate(parts)}
    unknown = tuple(p for i, p in enumerate(parts) if np.isnan(values[:, i]).all())
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a type suppressed in every year: NaN, below
        if method == "mean":
            centre = np.nanmean(values, axis=0)
        elif method == "last":
            centre = np.array([v[~np.isnan(v)][-1] if (~np.isnan(v)).any() else np.nan for v in values.T])
        else:
            centre = np.array([_trend(years, v, years[-1] + ahead) for v in values.T])
    centre = np.nan_to_num(np.clip(centre, 0, 100), nan=0.0) / 100
    if centre.sum() > 1:  # rounding can take whole per cents past 100
        centre = centre / centre.sum()
    mean = np.append(centre, 1 - centre.sum())
    return MixFit(
        (*parts, remainder),
        mean,
        _concentration(values, mean, stock),
        tuple(int(y) for y in years),
        suppressed,
        unknown,
    )


def _concentration(values: np.ndarray, mean: np.ndarray, stock: float | None) -> float:
    """The Dirichlet's concentration a0, from Var(share) = m(1 - m) / (a0 + 1): the shares' spread about
    their means (published years only) as a fraction of m(1 - m), less rounding and counting noise,
    shrunk towards PRIOR_SPREAD and widened by 1 + 1/n for the uncertainty of the mean."""
    shares = values / 100
    n = int((~np.isnan(shares)).sum(axis=0).max(initial=0))
    known = (~np.isnan(shares)).sum(axis=0) >= 2
    spread, scale = 0.0, 0.0
    for i in np.flatnonzero(known):
        column = shares[:, i][~np.isnan(shares[:, i])]
        var = float(column.var(ddof=1)) - ROUNDING_VAR
        var -= mean[i] * (1 - mean[i]) / stock if stock else 0.0
        spread += max(var, 0.0) * (len(column) - 1)
        scale += mean[i] * (1 - mean[i]) * (len(column) - 1)
    dof = scale / max(float((mean * (1 - mean)).sum()), 1e-9) if scale else 0.0  # in pseudo-years
    own = spread / scale if scale else 0.0
    ratio = (own * dof + PRIOR_SPREAD * PRIOR_DF) / (dof + PRIOR_DF)
    ratio = max(ratio * (1 + 1 / max(n, 1)), MIN_SPREAD)
    return float(1 / ratio - 1)


def simulate_mix(stock: np.ndarray, fit: MixFit, seed: int = 0) -> np.ndarray:
    """(sims, horizons, parts) whole children: each simulation's and year's stock split by a Dirichlet
    share vector, then multinomially. Parts with a mean share of zero stay at zero."""
    stock = np.asarray(stock)
    rng = np.random.default_rng(seed)
    sims, horizons = stock.shape
    counts = np.zeros((sims, horizons, len(fit.parts)), dtype=np.int64)
    live = fit.mean > 0
    alpha = fit.mean[live] * fit.concentration
    shares = rng.dirichlet(alpha, size=(sims, horizons)) if live.sum() > 1 else np.ones((sims, horizons, 1))
    totals = np.maximum(np.rint(np.nan_to_num(stock)), 0).astype(np.int64)
    counts[:, :, live] = _multinomial(rng, totals, shares)
    return counts


def _multinomial(rng: np.random.Generator, totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Multinomial draws for arrays of totals and share vectors, as a chain of binomials (each part
    from those not yet placed, at its share of what is left): the same distribution as
    Generator.multinomial, many times quicker for thousands of share vectors at once."""
    counts = np.zeros(shares.shape, dtype=np.int64)
    left, share_left = totals.copy(), np.ones(totals.shape)
    for k in range(shares.shape[-1] - 1):
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(share_left > 0, shares[..., k] / share_left, 1.0)
        counts[..., k] = rng.binomial(left, np.clip(q, 0.0, 1.0))
        left -= counts[..., k]
        share_left -= shares[..., k]
    counts[..., -1] = left
    return counts


def summarise(counts: np.ndarray, parts: tuple[str, ...]) -> dict[str, list[dict]]:
    """part -> per horizon: median and the 80% interval."""
    q = {name: np.quantile(counts, level, axis=0) for name, level in LEVELS.items()}  # (horizons, parts)
    return {
        part: [
            {
                "median": float(q["median"][h, i]),
                "interval_80": [float(q["p10"][h, i]), float(q["p90"][h, i])],
            }
            for h in range(counts.shape[1])
        ]
        for i, part in enumerate(parts)
    }


def backtest(
    areas: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    parts: tuple[str, ...],
    remainder: str,
    origins=(2022, 2023, 2024),
    horizons: int = 3,
    method: str = "mean",
    window: int = WINDOW,
    sims: int = 1000,
    seed: int = 0,
) -> dict:
    """From each origin, using only the shares published up to it, each area's shares one to `horizons`
    years ahead against the published ones. areas: name -> (years, percents (Y, parts), stock (Y,)).
    Returns the mean absolute error in percentage points by horizon, and how often the published share
    (within half a point: it is rounded) fell in the 80% interval of the simulated shares at the
    published stock."""
    errors: dict[int, list[float]] = {h: [] for h in range(1, horizons + 1)}
    hits: list[bool] = []
    positive: list[bool] = []  # outcomes above 0%: a share published as 0 and forecast as 0 is an easy hit
    for years, percents, stock in areas.values():
        years = np.asarray(years, dtype=int)
        for origin in origins:
            known = years <= origin
            if known.sum() < 1 or np.isnan(percents[known]).all():
                continue
            for h in range(1, horizons + 1):
                at = np.flatnonzero(years == origin + h)
                if not len(at) or not np.isfinite(stock[at[0]]) or stock[at[0]] <= 0:
                    continue
                k = known.nonzero()[0][-1]
                try:
                    f = fit_mix(
                        years[known], percents[known], parts, remainder, window, method, stock[k], ahead=h
                    )
                except ValueError:  # every share in the window suppressed: nothing to forecast from
                    continue
                actual = percents[at[0]]
                published = ~np.isnan(actual)
                if not published.any():
                    continue
                predicted = f.mean[:-1] * 100
                errors[h] += list(np.abs(predicted[published] - actual[published]))
                counts = simulate_mix(np.full((sims, 1), stock[at[0]]), f, seed)[:, 0, :-1]
                share = counts / stock[at[0]] * 100
                low, high = np.quantile(share, 0.1, axis=0), np.quantile(share, 0.9, axis=0)
                ok = (actual >= low - 0.5) & (actual <= high + 0.5)
                hits += list(ok[published])
                positive += list(ok[published & (actual > 0)])
    return {
        "method": method,
        "window": window,
        "mae_points": {h: float(np.mean(e)) if e else None for h, e in errors.items()},
        "outcomes": {h: len(e) for h, e in errors.items()},
        "coverage_80": float(np.mean(hits)) if hits else None,
        "coverage_80_above_zero": float(np.mean(positive)) if positive else None,
    }
