"""Children looked after at 31 March, one to five years ahead, from an area's published yearly flows.

A stock-and-flow model: N(t+1) = N(t) + starts(t+1) - ceases(t+1) + gap. Starts are a rate per 10,000
children aged 0 to 17; ceases a share of those who could leave (N(t) + starts). The gap is the mean
difference, over the fitted years, between the published stock and what the published flows imply
(children counted once however many times they start or leave in a year, and rounding), so that the
model's flows add up to the stocks the hub will compare it with.

Rates are their mean over the last K years (log rate per 10,000; logit share), with no trend: on the
published years 2016 to 2025 a damped linear trend fitted to five points made the backtest's errors
larger at every horizon, nationally and for most councils. The exit share is a weighted mean of two
shares: the "balance" share at which the mean starts and the gap leave the origin's stock unchanged (as
demand models calibrate to the current population: a council's stock is far more persistent than its
flows), and the mean published share (which pulls the stock towards the level at which its recent flows
would balance). The weight on the published share, PULL, is chosen by forward chaining: from the
expected paths of every area's earlier origins (England and every council, each forecast from the years
up to it only), the candidate weight with the smallest mean absolute percentage error over the outcomes
published by then. The backtest chooses it afresh at each origin from what was published before it;
PULL is the choice from every outcome published up to 2025. Later increments' scenarios move the rates.

Uncertainty is simulated: every simulation draws each rate's level from its sampling distribution
(the standard error of the mean), adds year-to-year noise beyond counting noise (the residuals'
variance less the Poisson or binomial variance the counts already have, floored), then draws Poisson
starts and binomial ceases, so ceases never exceed those at risk and no count is ever negative.

Framework-free (NumPy only), like risk.py: the forecast capability reads the data and calls this.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

WINDOW = 5  # K: the years of flows a forecast is fitted on
MIN_YEARS = 3  # fewer flow years than this and the residuals say too little about year-to-year noise
# Year-to-year noise on the log (logit) scale: at least this, however steady a few years happen to be,
# and the residual variance shrunk towards this prior (two pseudo-years at PRIOR_SD). Chosen on the
# backtest: with 0.02 and 0.08, 80% intervals held 57% of councils' outcomes; with these, about 72%.
NOISE_FLOOR = 0.08
PRIOR_SD, PRIOR_DF = 0.15, 2.0
# Paths of the rates are always drawn this many years ahead (and cut to the horizons asked for), so that a
# year's forecast is the same whether one asks for three years or five.
PATH_YEARS = 5
# The weight of the mean published exit share against the share that holds the stock (see above): the
# forward-chained choice among PULL_CHOICES from every outcome published up to 2025 (0 would hold the stock,
# as the model did before; 1 would use the published share alone). Choices are scored over horizons 1 to 3.
PULL = 0.25
PULL_CHOICES = (0.0, 0.25, 0.5, 0.75, 1.0)
LEVELS = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}


@dataclass(frozen=True)
class Series:
    """An area's consecutive published years: year[i] holds the stock at 31 March of that year, the
    starts and ceases during the year to that 31 March, and the children aged 0 to 17 it is a rate of."""

    years: np.ndarray
    stock: np.ndarray
    starts: np.ndarray
    ceases: np.ndarray
    population: np.ndarray

    @classmethod
    def of(cls, years, stock, starts, ceases, population) -> "Series":
        arrays = [np.asarray(a, dtype=float) for a in (years, stock, starts, ceases, population)]
        if len({len(a) for a in arrays}) != 1:
            raise ValueError("every column of a series needs one value a year")
        if len(arrays[0]) and (np.diff(arrays[0]) != 1).any():
            raise ValueError("a series' years must be consecutive")
        return cls(*arrays)

    def upto(self, year: int) -> "Series":
        keep = self.years <= year
        return Series(*(a[keep] for a in (self.years, self.stock, self.starts, self.ceases, self.population)))

    @property
    def flow_years(self) -> int:
        return max(len(self.years) - 1, 0)  # ceases need the stock of the year before


@dataclass(frozen=True)
class RateFit:
    """A rate on the log or logit scale: its level, the level's standard error, and the year-to-year
    noise a simulated path gets beyond counting noise."""

    level: float
    level_se: float
    noise: float


@dataclass(frozen=True)
class Fit:
    starts: RateFit  # log of starts per 10,000 children
    ceases: RateFit  # logit of the share of those at risk who leave: published and balance, PULL-weighted
    ceases_published: float  # the mean published share, for comparison
    gap: float  # published stock minus what the flows imply, a year
    population: float  # the last estimate: held, unless simulate is given a projected path
    stock: float  # N at the origin
    origin: int


@dataclass(frozen=True)
class Forecast:
    origin: int
    years: list[int]
    simulations: np.ndarray  # (S, horizons) stocks
    fit: Fit

    def quantiles(self) -> dict[str, np.ndarray]:
        return {name: np.quantile(self.simulations, q, axis=0) for name, q in LEVELS.items()}

    def to_dict(self) -> dict:
        q = self.quantiles()
        return {
            "origin": self.origin,
            "horizons": [
                {
                    "horizon": h + 1,
                    "year": year,
                    "median": float(q["median"][h]),
                    "interval_50": [float(q["p25"][h]), float(q["p75"][h])],
                    "interval_80": [float(q["p10"][h]), float(q["p90"][h])],
                }
                for h, year in enumerate(self.years)
            ],
        }


def _fit_rate(values: np.ndarray, counting_variance: float) -> RateFit:
    n = len(values)
    residual_var = (float(((values - values.mean()) ** 2).sum()) + PRIOR_DF * PRIOR_SD**2) / (
        n - 1 + PRIOR_DF
    )
    noise = float(np.sqrt(max(residual_var - counting_variance, NOISE_FLOOR**2)))
    return RateFit(float(values.mean()), float(np.sqrt(residual_var / n)), noise)


def _flows(series: Series, k: int) -> dict:
    """The last k years' flows on the model's scales."""
    stock_before = series.stock[-k - 1 : -1]
    starts, ceases = series.starts[-k:], series.ceases[-k:]
    at_risk = stock_before + starts
    return {
        "starts": starts,
        "at_risk": at_risk,
        "start_rate": np.maximum(starts, 0.5) / series.population[-k:] * 10_000,  # half a child: stays finite
        "share": np.clip(ceases, 0.5, np.maximum(at_risk - 0.5, 0.5)) / at_risk,
        "gap": float((series.stock[-k:] - stock_before - starts + ceases).mean()),
    }


def _exit_share(start_level: float, share_level: float, gap: float, series: Series, pull: float) -> float:
    """The pull-weighted mean of the published share (logit share_level) and the share that keeps the
    origin's stock where it is, given the mean starts and the gap."""
    expected_starts = np.exp(start_level) * series.population[-1] / 10_000
    balance = float(np.clip((expected_starts + gap) / (series.stock[-1] + expected_starts), 0.01, 0.99))
    published = float(1 / (1 + np.exp(-share_level)))
    return float(np.clip(pull * published + (1 - pull) * balance, 0.01, 0.99))


def fit(series: Series, window: int = WINDOW, pull: float = PULL) -> Fit:
    if series.flow_years < MIN_YEARS:
        raise ValueError(f"a forecast needs at least {MIN_YEARS + 1} consecutive years of published figures")
    k = min(window, series.flow_years)
    flows = _flows(series, k)
    starts, at_risk, share, gap = flows["starts"], flows["at_risk"], flows["share"], flows["gap"]
    # Counting noise on these scales: 1/starts for a Poisson log rate, 1/(n q (1-q)) for a binomial logit.
    starts_var = float(np.mean(1 / np.maximum(starts, 1)))
    ceases_var = float(np.mean(1 / np.maximum(at_risk * share * (1 - share), 1)))
    starts_fit = _fit_rate(np.log(flows["start_rate"]), starts_var)
    ceases_fit = _fit_rate(np.log(share / (1 - share)), ceases_var)
    q = _exit_share(starts_fit.level, ceases_fit.level, gap, series, pull)
    return Fit(
        starts=starts_fit,
        ceases=RateFit(float(np.log(q / (1 - q))), ceases_fit.level_se, ceases_fit.noise),
        ceases_published=float(share.mean()),
        gap=gap,
        population=float(series.population[-1]),
        stock=float(series.stock[-1]),
        origin=int(series.years[-1]),
    )


def expected(series: Series, horizons: int, pull: float = PULL, window: int = WINDOW) -> np.ndarray:
    """The stocks the mean rates imply, without noise, from as little as one year of flows: what the
    forward-chained choice of PULL scores (earlier origins than a simulated forecast needs)."""
    if series.flow_years < 1:
        raise ValueError("an expected path needs two consecutive years of published figures")
    k = min(window, series.flow_years)
    flows = _flows(series, k)
    share = flows["share"]
    start_level = float(np.log(flows["start_rate"]).mean())
    q = _exit_share(start_level, float(np.log(share / (1 - share)).mean()), flows["gap"], series, pull)
    starts = np.exp(start_level) * series.population[-1] / 10_000
    path, stock = [], float(series.stock[-1])
    for _ in range(horizons):
        stock = max((stock + starts) * (1 - q) + flows["gap"], 0.0)
        path.append(stock)
    return np.array(path)


def choose_pull(areas: list[Series], origins, horizons: int = 3) -> dict[int, float]:
    """Forward chaining: for each origin, the weight in PULL_CHOICES whose expected paths, from every
    area's earlier origins, had the smallest mean absolute percentage error over the outcomes published
    by that origin (an outcome year no later than it). With none yet, 0 (hold the stock)."""
    rows: list[tuple[int, np.ndarray]] = []  # (outcome year, APE per choice)
    for series in areas:
        later = dict(zip(series.years.astype(int), series.stock, strict=True))
        for start in series.years[1:-1].astype(int):
            known = series.upto(int(start))
            with np.errstate(divide="ignore", invalid="ignore"):
                paths = np.array([expected(known, horizons, w) for w in PULL_CHOICES])
            for h in range(1, horizons + 1):
                actual = later.get(int(start) + h)
                if actual is not None and actual > 0 and np.isfinite(paths[:, h - 1]).all():
                    rows.append((int(start) + h, np.abs(paths[:, h - 1] - actual) / actual))
    chosen = {}
    for origin in origins:
        past = [ape for year, ape in rows if year <= origin]
        chosen[int(origin)] = float(PULL_CHOICES[int(np.argmin(np.mean(past, axis=0)))]) if past else 0.0
    return chosen


def _paths(rate: RateFit, horizons: int, sims: int, rng: np.random.Generator) -> np.ndarray:
    level = rate.level + rng.normal(0, rate.level_se, (sims, 1))
    return level + rng.normal(0, rate.noise, (sims, horizons))


def _people(f: Fit, horizons: int, population) -> np.ndarray:
    """Children aged 0 to 17 in each forecast year: a projected path where one is given, else the last
    estimate held."""
    if population is None:
        return np.full(horizons, f.population)
    path = np.asarray(population, dtype=float)
    if len(path) < horizons or not (np.isfinite(path[:horizons]) & (path[:horizons] > 0)).all():
        raise ValueError(f"a population path needs a positive figure for each of the {horizons} years")
    return path[:horizons]


def simulate_flows(
    f: Fit, horizons: int = 5, sims: int = 1000, seed: int = 0, population=None
) -> dict[str, np.ndarray]:
    """Every simulated year's stock, starts, those at risk of leaving and ceases: (sims, horizons) each.
    population: the children aged 0 to 17 in each forecast year (a projection), else f.population."""
    people = _people(f, horizons, population)
    rng = np.random.default_rng(seed)
    width = max(horizons, PATH_YEARS)
    start_rates = np.exp(_paths(f.starts, width, sims, rng))
    shares = 1 / (1 + np.exp(-_paths(f.ceases, width, sims, rng)))
    out = {name: np.empty((sims, horizons)) for name in ("stock", "starts", "at_risk", "ceases")}
    stock = np.full(sims, f.stock)
    for h in range(horizons):
        starts = rng.poisson(start_rates[:, h] * people[h] / 10_000)
        at_risk = (stock + starts).astype(np.int64)
        ceases = rng.binomial(at_risk, shares[:, h])
        stock = np.maximum(at_risk - ceases + np.rint(f.gap), 0)
        for name, value in (("stock", stock), ("starts", starts), ("at_risk", at_risk), ("ceases", ceases)):
            out[name][:, h] = value
    return out


def simulate(f: Fit, horizons: int = 5, sims: int = 1000, seed: int = 0, population=None) -> np.ndarray:
    """(sims, horizons) simulated stocks at 31 March of origin + 1 .. origin + horizons."""
    return simulate_flows(f, horizons, sims, seed, population)["stock"]


def forecast(
    series: Series,
    horizons: int = 5,
    sims: int = 1000,
    seed: int = 0,
    pull: float = PULL,
    population=None,
) -> Forecast:
    """population: a projected path of children aged 0 to 17, one figure per forecast year (else the
    last estimate is held)."""
    f = fit(series, pull=pull)
    years = [f.origin + h for h in range(1, horizons + 1)]
    return Forecast(f.origin, years, simulate(f, horizons, sims, seed, population), f)


def naive(series: Series, horizons: int) -> np.ndarray:
    """The last published stock, every year ahead."""
    return np.full(horizons, float(series.stock[-1]))


def linear_trend(series: Series, horizons: int, window: int = WINDOW) -> np.ndarray:
    """A straight line through the last K stocks, carried on (never below zero)."""
    y = series.stock[-window:]
    x = np.arange(len(y), dtype=float)
    slope, intercept = np.polyfit(x, y, 1) if len(y) > 1 else (0.0, float(y[-1]))
    return np.maximum(intercept + slope * (x[-1] + np.arange(1, horizons + 1)), 0)


@dataclass(frozen=True)
class Outcome:
    """One forecast against what was published: an origin, a horizon, the figures and the interval hits."""

    origin: int
    horizon: int
    actual: float
    model: float
    naive: float
    trend: float
    in_80: bool
    in_50: bool


def backtest(
    series: Series,
    horizons: int = 3,
    sims: int = 1000,
    seed: int = 0,
    pull: float | Mapping[int, float] = PULL,
) -> list[Outcome]:
    """Forecasts from every origin with enough history before it, each from the years up to it only;
    pull is one weight, or each origin's (choose_pull) so that it too uses nothing published later."""
    outcomes = []
    for origin in series.years[MIN_YEARS:-1]:
        known = series.upto(int(origin))
        later = {int(y): s for y, s in zip(series.years, series.stock, strict=True) if y > origin}
        weight = pull[int(origin)] if isinstance(pull, Mapping) else pull
        f = forecast(known, horizons, sims, seed, pull=weight)
        q = f.quantiles()
        base, line = naive(known, horizons), linear_trend(known, horizons)
        for h, year in enumerate(f.years):
            if year not in later:
                break
            actual = later[year]
            outcomes.append(
                Outcome(
                    int(origin),
                    h + 1,
                    actual,
                    float(q["median"][h]),
                    float(base[h]),
                    float(line[h]),
                    bool(q["p10"][h] <= actual <= q["p90"][h]),
                    bool(q["p25"][h] <= actual <= q["p75"][h]),
                )
            )
    return outcomes


def summarise(outcomes: list[Outcome], horizons: int = 3) -> dict:
    """MAPE (%) by horizon for the model and both baselines, and the intervals' coverage, over outcomes
    with a positive actual (a percentage error of zero children is undefined)."""
    rows = [o for o in outcomes if o.actual > 0]
    result: dict = {"outcomes": len(rows), "by_horizon": {}}
    for h in range(1, horizons + 1):
        at = [o for o in rows if o.horizon == h]
        if not at:
            result["by_horizon"][h] = None
            continue
        actual = np.array([o.actual for o in at])
        result["by_horizon"][h] = {
            "outcomes": len(at),
            **{
                who: float(np.mean(np.abs(np.array([getattr(o, who) for o in at]) - actual) / actual) * 100)
                for who in ("model", "naive", "trend")
            },
        }
    result["coverage_80"] = float(np.mean([o.in_80 for o in rows])) if rows else None
    result["coverage_50"] = float(np.mean([o.in_50 for o in rows])) if rows else None
    return result
