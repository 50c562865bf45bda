"""Working out every forecast and the backtest once, and storing them for the pages and the API.

`refresh_forecasts()` forecasts England and every current council from the published figures (as
`slihub forecast` does, with the same seed, so a stored forecast equals what the command prints), runs
the backtest, and replaces the stored tables in one transaction: idempotent, all or nothing. It runs
after a load of public data (`compute_forecasts`, a derived step) and with `slihub forecast refresh`.
"""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from slihub.forecast import costs, mix, projections, selectors, services
from slihub.forecast.models import ForecastBasis, StoredBacktest, StoredCost, StoredForecast
from slihub.places import releases
from slihub.places.models import Authority
from slihub.stats import forecast as engine
from slihub.stats import spend

RELEASE = "forecast"  # the page cache's release name of the stored forecasts (slihub/places/releases.py)
YEARS = services.MAX_YEARS
SIMULATIONS = 1000


@dataclass(frozen=True)
class Refreshed:
    areas: int  # England and the councils with a forecast
    without: int  # councils whose published years are too few to forecast from
    backtest: bool  # whether a backtest was stored
    costs: int = 0  # areas with a unit cost stored
    costs_missing: str = ""  # why no cost was stored at all (the revenue outturn workbook is missing)


def _published(series: engine.Series) -> list[dict]:
    return [
        {"year": int(y), "looked_after": int(n), "starts": int(s), "ceases": int(c)}
        for y, n, s, c in zip(series.years, series.stock, series.starts, series.ceases, strict=True)
    ]


def _rates(fit: engine.Fit) -> dict:
    return {
        "starts_per_10000": round(float(np.exp(fit.starts.level)), 2),
        "ceases_share": round(float(1 / (1 + np.exp(-fit.ceases.level))), 4),
        "ceases_share_published": round(fit.ceases_published, 4),
        "gap_per_year": round(fit.gap, 1),
        "population_0_17": int(fit.population),
    }


def _area_rows(
    authority: Authority | None,
    series: engine.Series,
    simulations: int,
    seed: int,
    now: datetime,
    population: list[float] | None = None,
) -> tuple[ForecastBasis, list[StoredForecast], engine.Forecast | None]:
    origin = int(series.years[-1])
    if series.flow_years < engine.MIN_YEARS:
        basis = ForecastBasis(
            authority=authority,
            as_of_year=origin,
            published=_published(series),
            simulations=simulations,
            note=f"Too few published years to forecast from: at least {engine.MIN_YEARS + 1} consecutive "
            "years of children looked after, starting and leaving care are needed.",
            computed_at=now,
        )
        return basis, [], None
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = engine.forecast(series, YEARS, simulations, seed, population=population)
    except ValueError:  # no child in care, starting or leaving in the years read: no rates to simulate
        basis = ForecastBasis(
            authority=authority,
            as_of_year=origin,
            published=_published(series),
            simulations=simulations,
            note="Too few children in care, starting or leaving care in the published years to forecast "
            "from.",
            computed_at=now,
        )
        return basis, [], None
    q = result.quantiles()
    basis = ForecastBasis(
        authority=authority,
        as_of_year=origin,
        published=_published(series),
        rates=_rates(result.fit),
        simulations=simulations,
        computed_at=now,
    )
    rows = [
        StoredForecast(
            authority=authority,
            as_of_year=origin,
            horizon=h + 1,
            year=year,
            **{name: float(q[name][h]) for name in ("median", "p10", "p25", "p75", "p90")},
            computed_at=now,
        )
        for h, year in enumerate(result.years)
    ]
    return basis, rows, result


def _parts(figures, series, result, seed, path, cost) -> dict:
    """The forecast split by placement type (with spending by type where the outturn gives unit costs)
    and by UASC, for the basis (mix.py)."""
    placements, uasc = mix.parts_of(figures, series, result, seed, path)
    stored = mix.for_storage(placements)
    if "counts" in placements and cost is not None:
        stored["spending"] = mix.spending_by_type(
            placements, cost, float(series.stock[-1]), result.simulations, [int(y) for y in result.years]
        )
    return {"placement_mix": stored, "uasc": uasc, "by_age": mix.AGE_NOTE}


def _financial_year(year_end: int) -> str:
    return f"{year_end - 1}-{year_end % 100:02d}"


def _cost_row(
    authority: Authority | None,
    series: engine.Series,
    result: engine.Forecast | None,
    ro3: dict,
    now: datetime,
) -> StoredCost:
    """An area's unit cost from the revenue outturn and its forecast's spending at outturn-year prices,
    from the same simulations as its stored forecast (so equal to `costs.projection` with 0% inflation)."""
    try:
        found = costs.unit_costs(None if authority is None else authority.code, ro3)
    except costs.CostError as error:
        return StoredCost(authority=authority, note=str(error)[:500], computed_at=now)
    row = StoredCost(
        authority=authority,
        year=found["year"],
        year_end=found["year_end"],
        unit_cost=found["unit_cost"],
        source=found["source"],
        placement_types=[
            {k: t.get(k) for k in ("type", "name", "spend", "unit_cost", "note", "place", "status")}
            for t in found["placement_types"]
        ],
        computed_at=now,
    )
    if result is None:
        row.note = "No forecast of children looked after to cost."
        return row
    year_ends = [int(y) for y in result.years]
    simulated = spend.projected_spend(
        float(series.stock[-1]), result.simulations, found["unit_cost"], year_ends, found["year_end"], 0.0
    )
    row.years = [
        {
            "year": _financial_year(y),
            "year_end": y,
            "median": s["median"],
            "p10": s["interval_80"][0],
            "p90": s["interval_80"][1],
        }
        for y, s in zip(year_ends, spend.summarise(simulated), strict=True)
    ]
    return row


def refresh_forecasts(*, simulations: int = SIMULATIONS, seed: int = 0, backtest: bool = True) -> Refreshed:
    """Forecast England and every current council from the latest published figures, run the backtest
    (unless `backtest` is False, when the stored one is kept), and store them in place of the old ones."""
    if simulations < 100:
        raise services.ForecastError("At least 100 simulations are needed for 80% intervals.")
    now = timezone.now()
    latest = selectors.latest_year()
    bases: list[ForecastBasis] = []
    forecasts: list[StoredForecast] = []
    cost_rows: list[StoredCost] = []
    costs_missing = ""
    try:
        ro3 = costs.read_ro3()
    except costs.CostError as error:
        ro3, costs_missing = None, str(error)
    if latest is not None:
        figures = mix.read_all()
        loaded = projections.loaded_for(list(Authority.objects.values_list("id", flat=True)))
        areas: list[tuple[Authority | None, engine.Series | None]] = [(None, selectors.england(latest))]
        areas += list(selectors.councils(latest).items())
        for authority, series in areas:
            if series is None:
                continue
            years = [int(series.years[-1]) + h for h in range(1, YEARS + 1)]
            loaded_path = loaded.get(authority.id) if authority is not None else None
            path, population = projections.path_for(series, years, loaded_path)
            basis, rows, result = _area_rows(authority, series, simulations, seed, now, path)
            bases.append(basis)
            forecasts += rows
            cost = _cost_row(authority, series, result, ro3, now) if ro3 is not None else None
            if cost is not None:
                cost_rows.append(cost)
            if result is not None:  # the splits by placement type and UASC, and the population used
                basis.rates |= _parts(
                    figures.get(authority.id if authority else None, {}), series, result, seed, path, cost
                ) | {"population": population}
    report = None
    if backtest and latest is not None:
        try:
            report = services.backtest(simulations, seed)
        except services.ForecastError:
            report = None
    with transaction.atomic():
        StoredForecast.objects.all().delete()
        ForecastBasis.objects.all().delete()
        ForecastBasis.objects.bulk_create(bases, batch_size=500)
        StoredForecast.objects.bulk_create(forecasts, batch_size=1000)
        StoredCost.objects.all().delete()
        StoredCost.objects.bulk_create(cost_rows, batch_size=500)
        if backtest:
            StoredBacktest.objects.all().delete()
            if report is not None:
                StoredBacktest.objects.create(results=report, computed_at=now)
        releases.bump(RELEASE)
    with_forecast = {f.authority_id for f in forecasts}
    return Refreshed(
        areas=len(with_forecast),
        without=sum(1 for b in bases if b.authority_id not in with_forecast),
        backtest=report is not None,
        costs=sum(1 for c in cost_rows if c.unit_cost is not None),
        costs_missing=costs_missing,
    )


def compute_forecasts(progress=print) -> Refreshed:
    """After a data import (a derived step of `slihub load-public-data`): every forecast and the
    backtest again."""
    done = refresh_forecasts()
    progress(
        f"Forecasts of children looked after for England and {max(done.areas - 1, 0)} councils"
        + (f" ({done.without} with too few published years)" if done.without else "")
        + ("; backtest stored" if done.backtest else "")
        + (f"; unit costs and projected spending for {done.costs} areas" if done.costs else "")
        + (f"; no costs: {done.costs_missing}" if done.costs_missing else "")
    )
    return done
