"""A council's scenario against its baseline forecast: children looked after, children leaving care and
spending, each with intervals, and the difference simulation by simulation.

The baseline is `slihub forecast`'s own simulations (same series, fit and seed). The scenario edits the
fitted rates (slihub.stats.scenario) and is simulated from the same seed, so the difference is paired.

Spending by placement mix. The cost of a year is child-years x sum over placement types of
(share_t x unit_cost_t), times inflation as in `slihub forecast-costs`:
- fostering and residential care have their own unit costs (slihub.forecast.costs: RO3's part over the
  children in that placement) and their shares are LAIT's at the latest 31 March (whole per cent);
- 'other' is everyone else (share 1 - fostering - residential). Its unit cost is set so that the
  baseline mix reproduces the all-placements unit cost exactly:
  u_other = (u_all - s_fostering x u_fostering - s_residential x u_residential) / s_other.
  So the baseline's spending is exactly `slihub forecast-costs`'s, and a scenario's moves change the
  cost only through the differences between the types' unit costs. 'Other' stands for every other
  placement and the spending RO3 does not split by placement (asylum-seeking children, 'other').
The new mix applies in full from the first forecast year.

Evidence library: a scenario's entry-rate change is typed by the user; taking it from a practice's
pooled effect is not done yet (see the notes), because pooled effects are on outcome scales (odds
ratios, standardised mean differences) that say nothing of entries to care unless the outcome is
entries to care.
"""

import numpy as np

from slihub.forecast import costs, selectors, services
from slihub.stats import forecast as engine
from slihub.stats import scenario as sc
from slihub.stats import spend


class ScenarioError(services.ForecastError):
    """A scenario that cannot be run: the message says why, in plain words."""


def _financial_year(year_end: int) -> str:
    return f"{year_end - 1}-{year_end % 100:02d}"


def placement_costs(unit: dict) -> dict:
    """The baseline placement mix and each type's unit cost, from costs.unit_costs(); or {'missing': why}."""
    types = {t["type"]: t for t in unit["placement_types"]}
    year_end = unit["year_end"]
    found = {}
    for kind in (sc.FOSTERING, sc.RESIDENTIAL):
        entry = types.get(kind)
        if entry is None or entry["unit_cost"] is None:
            return {"missing": f"{kind}: {entry['note'] if entry else 'not in the outturn'}"}
        percent = next((s["percent"] for s in entry.get("shares", []) if s["year"] == year_end), None)
        if percent is None:
            return {"missing": f"{kind}: the share of children at 31 March {year_end} is not held"}
        found[kind] = (percent / 100, entry["unit_cost"])
    shares = {kind: share for kind, (share, _) in found.items()}
    shares[sc.OTHER] = 1 - shares[sc.FOSTERING] - shares[sc.RESIDENTIAL]
    if shares[sc.OTHER] <= 0:
        return {"missing": "fostering and residential care are all the children: no 'other' share"}
    all_placements = unit["unit_cost"]
    placed = sum(share * cost for share, cost in found.values())
    other = (all_placements - placed) / shares[sc.OTHER]
    if other < 0:
        return {
            "missing": "fostering and residential care cost more than all placements together at their "
            "shares, so the rest would cost less than nothing"
        }
    return {
        "year_end": year_end,
        "shares": shares,
        "unit_costs": {
            sc.FOSTERING: found[sc.FOSTERING][1],
            sc.RESIDENTIAL: found[sc.RESIDENTIAL][1],
            sc.OTHER: other,
        },
        "all_placements": all_placements,
        "rule": "fostering and residential: LAIT share at 31 March times RO3's unit cost for the type; "
        "other: the rest of the children, at the unit cost that makes the baseline mix reproduce the "
        "all-placements unit cost exactly",
    }


def run_scenario(
    code: str | None,
    scenario: sc.Scenario,
    years: int = services.MAX_YEARS,
    simulations: int = 1000,
    seed: int = 0,
    inflation: float = 0.0,
    ro3=None,
) -> dict:
    """Baseline and scenario, year by year: children looked after and ceases (median, 50% and 80%
    intervals), spending where costs are known, and scenario minus baseline with its 80% interval."""
    if not -costs.MAX_INFLATION < inflation <= costs.MAX_INFLATION:
        raise ScenarioError(
            f"Inflation is a yearly percentage between -50 and 50, not {inflation * 100:g}: "
            "give 3 for 3% a year."
        )
    published = services.forecast(code, None, years, simulations, seed)  # checks and plain-words refusals
    _, authority = services.area(code)
    series = selectors.england() if authority is None else selectors.authority(authority)
    path, _ = services.population_path(authority, series, years)  # as the published forecast uses
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = engine.fit(series)
        baseline, changed = sc.simulate_pair(fit, scenario, years, simulations, seed, path)
    year_ends = [fit.origin + h for h in range(1, years + 1)]
    adjusted = sc.adjust(fit, scenario)
    out = {
        "area": published["area"],
        "origin": fit.origin,
        "simulations": simulations,
        "seed": seed,
        "inflation": inflation,
        "scenario": scenario.to_dict(),
        "rates": {
            "baseline": _rounded(sc.rates(fit)),
            "scenario": _rounded(sc.rates(adjusted)),
            "exit_share_bounds": [sc.MIN_SHARE, sc.MAX_SHARE],
        },
        "years": [int(y) for y in year_ends],
        "baseline": {
            "looked_after": _by_year(year_ends, sc.summary(baseline["stock"])),
            "ceases": _by_year(year_ends, sc.summary(baseline["ceases"])),
        },
        "scenario_result": {
            "looked_after": _by_year(year_ends, sc.summary(changed["stock"])),
            "ceases": _by_year(year_ends, sc.summary(changed["ceases"])),
        },
        "difference": {
            "looked_after": _by_year(year_ends, sc.difference(baseline["stock"], changed["stock"])),
            "ceases": _by_year(year_ends, sc.difference(baseline["ceases"], changed["ceases"])),
        },
        "placements": None,
        "no_spend": "",
    }
    try:
        unit = costs.unit_costs(code, ro3 if ro3 is not None else costs.read_ro3())
    except costs.CostError as error:
        if scenario.moves:
            raise ScenarioError(f"A change of placement mix needs costs, and {error}") from None
        out["no_spend"] = str(error)
        return out
    mix = placement_costs(unit)
    if "missing" in mix:
        if scenario.moves:
            raise ScenarioError(
                f"{out['area']['name']}'s placement types cannot be costed, so a change of placement mix "
                f"cannot be either: {mix['missing']}."
            )
        base_cost = scenario_cost = unit["unit_cost"]
        out["placements"] = {"missing": mix["missing"]}
    else:
        moved = sc.mix(mix["shares"], scenario)
        base_cost = unit["unit_cost"]  # equals the baseline mix's cost by the rule for 'other'
        scenario_cost = sc.unit_cost_of(moved, mix["unit_costs"]) if scenario.moves else base_cost
        out["placements"] = {**mix, "scenario_shares": moved, "scenario_unit_cost": scenario_cost}
    origin_stock = float(series.stock[-1])
    base_spend = spend.projected_spend(
        origin_stock, baseline["stock"], base_cost, year_ends, unit["year_end"], inflation
    )
    new_spend = spend.projected_spend(
        origin_stock, changed["stock"], scenario_cost, year_ends, unit["year_end"], inflation
    )
    labels = [_financial_year(y) for y in year_ends]
    out["unit_cost"] = {
        "year": unit["year"],
        "all_placements": unit["unit_cost"],
        "source": unit["source"]["name"],
    }
    out["baseline"]["spend"] = _by_year(labels, sc.summary(base_spend))
    out["scenario_result"]["spend"] = _by_year(labels, sc.summary(new_spend))
    out["difference"]["spend"] = _by_year(labels, sc.difference(base_spend, new_spend))
    return out


def _rounded(rates: dict) -> dict:
    return {
        "starts_per_10000": round(rates["starts_per_10000"], 2),
        "ceases_share": round(rates["ceases_share"], 4),
    }


def _by_year(labels, rows: list[dict]) -> list[dict]:
    return [{"year": label, **row} for label, row in zip(labels, rows, strict=True)]
