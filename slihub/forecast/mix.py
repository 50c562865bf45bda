"""The forecast split into placement types and into unaccompanied asylum-seeking children (UASC), from
the shares DfE publishes in LAIT, with the shares' own uncertainty (slihub.stats.placement_mix).

Placement types: LAIT gives the share of children looked after at 31 March in six kinds of placement
(whole per cent, 2020 onwards); the rest of 100% is 'other placements' (for example placed for adoption).
A share shown as '-' is suppressed (small numbers): unknown, not zero.
UASC: LAIT gives the UASC looked after at 31 March (a number) and the share of the year's starts who were
UASC (whole per cent). The forecast's simulated stocks and starts are split by those shares.

By age: not published in the files the hub reads; a council's own 903 return gives it.

The split is worked out with the stored forecast (refresh.py) from the same simulations, and stored in
its basis (ForecastBasis.rates["placement_mix"], ["uasc"]); pages and the API read it from there.
"""

from collections import defaultdict

import numpy as np

from slihub.forecast import selectors
from slihub.indicators.models import Value
from slihub.stats import forecast as engine
from slihub.stats import placement_mix as pm
from slihub.stats import spend

PLACEMENTS = {  # part -> (LAIT indicator, words)
    "fostering": ("LAC_Foster_Placements", "Foster placements"),
    "residential": ("LAC_SecHome_And_ChildHome", "Secure homes and children's homes"),
    "other_residential": ("LAC_Other_Res_Settings", "Other residential settings"),
    "independent": ("LAC_Ind_SInd_Liv_Arr", "Independent and semi-independent living"),
    "other_including_unregistered": ("LAC_Other_Place_Inc_Unreg", "Other placements, including unregistered"),
    "parents": ("LAC_Parents_OR_Others", "Placed with parents or others with parental responsibility"),
}
REST = "rest"
REST_WORDS = "Other placements (for example placed for adoption)"
UASC_COUNT, UASC_STARTS = "Unacc_Asylmn_Seek_Childn", "UASC_%_Starting"
CODES = [code for code, _ in PLACEMENTS.values()] + [UASC_COUNT, UASC_STARTS, selectors.STOCK]
AGE_NOTE = "By age: not published in the files the hub reads; a council's own 903 return gives it."
UASC_NOTE = (
    "The number of unaccompanied asylum-seeking children a council looks after depends on arrivals and on "
    "the National Transfer Scheme, which moves children between councils, not on local demand: treat this "
    "part of the forecast as the recent share carried forward, not as a prediction."
)
PLACEMENT_SOURCE = "DfE children looked after at 31 March by placement (LAIT, whole per cent)"
UASC_SOURCE = (
    f"DfE unaccompanied asylum-seeking children looked after at 31 March (LAIT {UASC_COUNT}) and share "
    f"of starts (LAIT {UASC_STARTS})"
)

Figures = dict[str, dict[int, float | None]]  # LAIT code -> year -> value (None: suppressed)


def read_all(authority_ids=None) -> dict[int | None, Figures]:
    """Every area's shares, counts of UASC and children looked after: authority id (None: England) ->
    code -> year -> value, None where the publisher suppressed it. One query."""
    rows = Value.objects.filter(indicator__code__in=CODES, area_type__in=("la", "england")).values_list(
        "authority_id", "indicator__code", "period__label", "value"
    )
    if authority_ids is not None:
        rows = rows.filter(authority_id__in=authority_ids)
    found: dict = defaultdict(lambda: defaultdict(dict))
    for authority_id, code, label, value in rows:
        if label.isdigit():
            found[authority_id][code][int(label)] = value
    return found


def _matrix(figures: Figures, codes: list[str], origin: int) -> tuple[list[int], np.ndarray]:
    years = sorted({y for c in codes for y in figures.get(c, {}) if y <= origin})
    values = np.array(
        [[np.nan if figures.get(c, {}).get(y) is None else figures[c][y] for c in codes] for y in years],
        dtype=float,
    ).reshape(len(years), len(codes))
    return years, values


def _summary(counts: np.ndarray, parts: tuple[str, ...], years: list[int]) -> dict[str, list[dict]]:
    summary = pm.summarise(counts, parts)
    return {
        part: [{"year": y, **row} for y, row in zip(years, rows, strict=True)]
        for part, rows in summary.items()
    }


def placement_mix(figures: Figures, stock: np.ndarray, origin: int, years: list[int], seed: int = 0) -> dict:
    """The stock's simulations (sims, horizons) split by placement type: per type and year the median and
    80% interval; or {"note": why not}."""
    codes = [code for code, _ in PLACEMENTS.values()]
    shown, values = _matrix(figures, codes, origin)
    latest = figures.get(selectors.STOCK, {}).get(origin)
    try:
        fit = pm.fit_mix(shown, values, tuple(PLACEMENTS), REST, stock=latest)
    except ValueError:
        return {"note": "No share of children by placement is published for the years read."}
    counts = pm.simulate_mix(stock, fit, seed)
    return {
        "source": PLACEMENT_SOURCE,
        "fit": fit.to_dict(),
        "latest": {
            "year": shown[-1],
            "percent": {p: (None if np.isnan(v) else v) for p, v in zip(PLACEMENTS, values[-1], strict=True)},
        },
        "by_type": _summary(counts, fit.parts, years),
        "counts": counts,  # (sims, horizons, parts): for the spending by type; not stored
    }


def _fit_one(years: list[int], percents: list, stock) -> pm.MixFit | None:
    """A share of one part (UASC) and the rest; None where the years read have none published."""
    try:
        return pm.fit_mix(years, [[p] for p in percents], ("uasc",), "other", stock=stock)
    except ValueError:
        return None


def uasc(
    figures: Figures, flows: dict[str, np.ndarray], origin: int, years: list[int], seed: int = 0
) -> dict:
    """UASC looked after at 31 March (the stock's simulations split by the UASC share of children looked
    after) and UASC starting in the year (the simulated starts split by the UASC share of starts)."""
    out: dict = {"note": UASC_NOTE, "source": UASC_SOURCE}
    counts, stocks = figures.get(UASC_COUNT, {}), figures.get(selectors.STOCK, {})
    shares = {
        y: (None if counts[y] is None or not stocks.get(y) else counts[y] / stocks[y] * 100)
        for y in counts
        if y <= origin and y in stocks
    }
    held = sorted(shares)
    fit = _fit_one(held, [shares[y] for y in held], stocks.get(origin))
    if fit is not None:
        out["looked_after"] = _summary(pm.simulate_mix(flows["stock"], fit, seed), fit.parts, years)["uasc"]
        out["looked_after_latest"] = {
            "year": held[-1],
            "number": counts[held[-1]],
            "percent": shares[held[-1]],
        }
    starts_share = {y: v for y, v in figures.get(UASC_STARTS, {}).items() if y <= origin}
    held = sorted(starts_share)
    fit = _fit_one(held, [starts_share[y] for y in held], None)
    if fit is not None:
        split = pm.simulate_mix(flows["starts"], fit, seed + 1)
        out["starts"] = _summary(split, fit.parts, years)["uasc"]
        out["starts_latest"] = {"year": held[-1], "percent": starts_share[held[-1]]}
    if "looked_after" not in out and "starts" not in out:
        return {"note": "No figure of unaccompanied asylum-seeking children is published for the years read."}
    return out


def spending_by_type(
    mix: dict, cost_row, origin_stock: float, stock: np.ndarray, year_ends: list[int]
) -> dict:
    """Projected spending split by placement type, consistently with the total projection (StoredCost
    years: child-years x the all-placements unit cost): fostering and residential care get their children
    (the simulated counts, child-years from the counts at both ends of the year) times their own unit
    cost (RO3's part over their children); the rest is the total less those two, so the parts add up to
    the total in every simulation. {"note": why not} where a unit cost or a split is missing."""
    if cost_row is None or cost_row.unit_cost is None or not cost_row.years or "counts" not in mix:
        return {"note": "No projected spending to split."}
    units = {t["type"]: t.get("unit_cost") for t in cost_row.placement_types or []}
    if not units.get("fostering") or not units.get("residential"):
        return {"note": "No unit cost of its own for fostering or residential care in the outturn."}
    total = spend.projected_spend(origin_stock, stock, cost_row.unit_cost, year_ends, cost_row.year_end, 0.0)
    counts = mix["counts"]
    latest = mix["latest"]["percent"]
    out = {}
    parts = {}
    for i, kind in enumerate(mix["fit"]["parts"]):
        if kind not in ("fostering", "residential"):
            continue
        start = (latest.get(kind) or 0) / 100 * origin_stock
        parts[kind] = spend.projected_spend(
            start, counts[:, :, i].astype(float), units[kind], year_ends, cost_row.year_end, 0.0
        )
    parts["rest"] = total - parts["fostering"] - parts["residential"]
    if np.median(parts["rest"], axis=0).min() < 0:
        return {
            "note": "Fostering and residential care would cost more than the whole projection: not split."
        }
    for kind, simulated in parts.items():
        out[kind] = [
            {"year": f"{y - 1}-{y % 100:02d}", "year_end": y, **s}
            for y, s in zip(year_ends, spend.summarise(simulated), strict=True)
        ]
    return {
        "unit_costs": {k: units[k] for k in ("fostering", "residential")},
        "outturn_year": cost_row.year,
        "by_type": out,
        "rule": "fostering and residential care: their children times their own unit cost (the outturn's "
        "spending on them over their children); the rest: the total projection less those two",
    }


def for_storage(result: dict) -> dict:
    """The split without its raw simulations."""
    return {k: v for k, v in result.items() if k != "counts"}


def parts_of(figures: Figures, series: engine.Series, forecast: engine.Forecast, seed: int, population=None):
    """Both splits of an area's forecast: the stock's and starts' simulations again from the same fit and
    seed (so the stocks are exactly the stored forecast's)."""
    flows = engine.simulate_flows(
        forecast.fit, len(forecast.years), forecast.simulations.shape[0], seed, population
    )
    mix = placement_mix(figures, flows["stock"], forecast.origin, forecast.years, seed)
    return mix, uasc(figures, flows, forecast.origin, forecast.years, seed)


BACKTEST_CHOICES = (("last", 1), ("mean", 2), ("mean", 3), ("mean", 6), ("trend", 3), ("trend", 6))


def backtest(sims: int = 1000, seed: int = 0, origins=(2022, 2023, 2024)) -> dict:
    """The placement shares' backtest (slihub.stats.placement_mix.backtest) for England and every current
    council, for each choice of method and window: what chose the mean of the last two years."""
    from slihub.places.models import Authority

    current = set(Authority.objects.current().values_list("id", flat=True))
    codes = [code for code, _ in PLACEMENTS.values()]
    councils, england = {}, {}
    for authority_id, figures in read_all().items():
        if authority_id is not None and authority_id not in current:
            continue
        years, values = _matrix(figures, codes, 9999)
        if not years:
            continue
        stocks = figures.get(selectors.STOCK, {})
        stock = np.array([np.nan if stocks.get(y) is None else stocks[y] for y in years], dtype=float)
        (england if authority_id is None else councils)[authority_id] = (np.array(years), values, stock)
    report = {}
    for name, areas in (("england", england), ("councils", councils)):
        report[name] = [
            pm.backtest(areas, tuple(PLACEMENTS), REST, origins, 3, method, window, sims, seed)
            for method, window in BACKTEST_CHOICES
        ]
    return report
