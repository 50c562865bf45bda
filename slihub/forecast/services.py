"""Forecasts and backtests of children looked after, from the published figures the hub holds."""

from dataclasses import dataclass

import numpy as np

from slihub.forecast import projections, selectors
from slihub.places.models import Authority
from slihub.stats import forecast as engine

MAX_YEARS = 5


class ForecastError(ValueError):
    """A forecast that cannot be made: the message says why, in plain words."""


@dataclass(frozen=True)
class Area:
    code: str  # the authority's DfE code, or "england"
    name: str


def area(code: str | None) -> tuple[Area, Authority | None]:
    if not code:
        return Area("england", "England"), None
    try:
        authority = Authority.objects.by_code(code)
    except Authority.DoesNotExist:
        raise ForecastError(
            f"No council has the code {code!r}: give its DfE code (202) or ONS code."
        ) from None
    return Area(authority.code, authority.name), authority


def population_path(
    authority: Authority | None, series: engine.Series, years: int, latest: bool = True
) -> tuple[list[float] | None, dict]:
    """The council's loaded population projection as a path for the forecast years (projections.py), or
    None to hold the last estimate. A projection is what is loaded now, so a forecast from an earlier
    year (`latest` False) holds its estimate, as the backtest does."""
    loaded = projections.loaded_for([authority.id]).get(authority.id) if authority and latest else None
    ahead = [int(series.years[-1]) + h for h in range(1, years + 1)]
    return projections.path_for(series, ahead, loaded)


def forecast(
    code: str | None = None,
    as_of_year: int | None = None,
    years: int = MAX_YEARS,
    simulations: int = 1000,
    seed: int = 0,
) -> dict:
    """An area's forecast from what was published by the end of as_of_year's collection (default: the
    latest year held): median and 50% and 80% intervals of children looked after at 31 March."""
    if not 1 <= years <= MAX_YEARS:
        raise ForecastError(f"Forecasts run 1 to {MAX_YEARS} years ahead, not {years}.")
    if simulations < 100:
        raise ForecastError("At least 100 simulations are needed for 80% intervals.")
    where, authority = area(code)
    latest = selectors.latest_year()
    if latest is None:
        raise ForecastError("No published figures of children looked after are held: run load-public-data.")
    as_of = latest if as_of_year is None else as_of_year
    series = selectors.england(as_of) if authority is None else selectors.authority(authority, as_of)
    if series is None or series.flow_years < engine.MIN_YEARS:
        raise ForecastError(
            f"{where.name} has too few published years up to {as_of} to forecast from: at least "
            f"{engine.MIN_YEARS + 1} consecutive years are needed."
        )
    path, population = population_path(authority, series, years, latest=as_of_year is None)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = engine.forecast(series, years, simulations, seed, population=path)
    except ValueError:  # no child in care, starting or leaving in the years read: no rates to simulate
        raise ForecastError(
            f"{where.name} has too few children in care, starting or leaving care in the years up to "
            f"{as_of} to forecast from."
        ) from None
    f = result.fit
    return {
        "area": {"code": where.code, "name": where.name},
        "as_of_year": as_of,
        "simulations": simulations,
        "published": [
            {"year": int(y), "looked_after": int(n), "starts": int(s), "ceases": int(c)}
            for y, n, s, c in zip(series.years, series.stock, series.starts, series.ceases, strict=True)
        ],
        "rates": {
            "starts_per_10000": round(float(np.exp(f.starts.level)), 2),
            "ceases_share": round(float(1 / (1 + np.exp(-f.ceases.level))), 4),
            "ceases_share_published": round(f.ceases_published, 4),
            "gap_per_year": round(f.gap, 1),
            "population_0_17": int(f.population),
        },
        "population": population,
        "naive": [float(v) for v in engine.naive(series, years)],
        "trend": [round(float(v), 1) for v in engine.linear_trend(series, years)],
        **result.to_dict(),
    }


def backtest(simulations: int = 1000, seed: int = 0) -> dict:
    """England and every current council: forecasts from each year with enough history before it,
    compared with the stocks published one to three years later. The exit share's pull towards the
    published share is chosen at each origin from the outcomes published by then (England and every
    council pooled), so no forecast uses anything published after its origin."""
    national_series = selectors.england()
    if national_series is None:
        raise ForecastError("No published figures of children looked after are held: run load-public-data.")
    all_councils = selectors.councils()
    origins = [int(y) for y in national_series.years[engine.MIN_YEARS : -1]]
    origins = sorted(
        set(origins) | {int(y) for s in all_councils.values() for y in s.years[engine.MIN_YEARS : -1]}
    )
    pull = engine.choose_pull([national_series, *all_councils.values()], origins)
    national = engine.backtest(national_series, sims=simulations, seed=seed, pull=pull)
    per_council, pooled = {}, []
    for authority, series in all_councils.items():
        if series.flow_years <= engine.MIN_YEARS:
            continue
        outcomes = engine.backtest(series, sims=simulations, seed=seed, pull=pull)
        pooled += outcomes
        per_council[authority.code] = {"name": authority.name, **engine.summarise(outcomes)}
    beaten = {}
    for h in range(1, 4):
        scored = [c["by_horizon"][h] for c in per_council.values() if c["by_horizon"].get(h)]
        beaten[h] = {
            "councils": len(scored),
            "model_beats_naive": sum(s["model"] < s["naive"] for s in scored),
            "model_beats_trend": sum(s["model"] < s["trend"] for s in scored),
        }
    return {
        "simulations": simulations,
        "origins": [int(y) for y in sorted({o.origin for o in national})],
        "pull": pull,
        "england": engine.summarise(national),
        "councils_pooled": engine.summarise(pooled),
        "councils_beaten": beaten,
        "councils": per_council,
    }
