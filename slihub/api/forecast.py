"""Forecasts of children looked after at 31 March from published data, and their backtest: public.

The forecasts are worked out once and stored (`slihub forecast refresh`, and after every load of public
data), so these routes read them. Before they are worked out, or for a council with too few published
years, a forecast answers with no `horizons` and a `note` saying why.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, Code, ErrorOut, Id, InputSchema
from slihub.forecast import budgets, mix, page_selectors, scenario_services, spend_pages
from slihub.forecast.models import Scenario
from slihub.forecast.ssda903 import services as ssda903
from slihub.places.models import Authority

router = Router(tags=["forecast"])
NOT_YET = "Forecasts have not been worked out yet: run `slihub forecast refresh` (or load the public data)."
SOURCE = (
    "DfE's statistics on children looked after (children looked after at 31 March, starting and ceasing "
    "in the year to 31 March) and ONS's mid-year estimates of children aged 0 to 17."
)


class AreaOut(Schema):
    code: str  # DfE code, or "england"
    ons_code: str
    name: str


class PublishedOut(Schema):
    year: int
    looked_after: int
    starts: int
    ceases: int


class RatesOut(Schema):
    starts_per_10000: float
    ceases_share: float
    ceases_share_published: float
    gap_per_year: float
    population_0_17: int


class HorizonOut(Schema):
    horizon: int  # years ahead
    year: int  # 31 March of this year
    median: float
    interval_50: list[float]  # [p25, p75]
    interval_80: list[float]  # [p10, p90]


class ForecastOut(Schema):
    area: AreaOut
    measure: str
    source: str
    latest_year: int | None  # the latest published year the forecast was made from
    computed_at: datetime | None
    simulations: int | None
    note: str  # why there are no horizons, when there are none
    published: list[PublishedOut]
    rates: RatesOut | None
    horizons: list[HorizonOut]
    # children by placement type and unaccompanied asylum-seeking children, each year's median and 80%
    # interval; projected spending by type; the population used; what is not published (by age)
    placement_mix: dict | None = None
    uasc: dict | None = None
    population: dict | None = None
    by_age: str = ""


def _forecast(area: page_selectors.AreaForecast, ons_code: str) -> dict:
    basis = area.basis
    if basis is None:
        note = (
            NOT_YET
            if not page_selectors.computed()
            else f"{area.name} has too few published figures to forecast from."
        )
    else:
        note = basis.note
    return {
        "area": {"code": area.code, "ons_code": ons_code, "name": area.name},
        "measure": "Children looked after at 31 March",
        "source": SOURCE,
        "latest_year": basis.as_of_year if basis else None,
        "computed_at": basis.computed_at if basis else None,
        "simulations": basis.simulations if basis else None,
        "note": note,
        "published": basis.published if basis else [],
        "rates": basis.rates or None if basis else None,
        "horizons": [
            {
                "horizon": h,
                "year": p.year,
                "median": round(p.median, 1),
                "interval_50": [round(p.p25, 1), round(p.p75, 1)],
                "interval_80": [round(p.p10, 1), round(p.p90, 1)],
            }
            for h, p in enumerate(area.points, start=1)
        ],
        "placement_mix": (basis.rates or {}).get("placement_mix") if basis else None,
        "uasc": (basis.rates or {}).get("uasc") if basis else None,
        "population": (basis.rates or {}).get("population") if basis else None,
        "by_age": mix.AGE_NOTE,
    }


class ErrorByHorizonOut(Schema):
    horizon: int
    outcomes: int
    model: float  # mean absolute percentage error of the forecast's middle
    naive: float  # of last year's number
    trend: float  # of a straight line through the last five years


class SummaryOut(Schema):
    outcomes: int
    by_horizon: list[ErrorByHorizonOut]
    coverage_80: float | None  # share of outcomes inside the 80% interval
    coverage_50: float | None


class BeatenOut(Schema):
    horizon: int
    councils: int
    model_beats_naive: int
    model_beats_trend: int


class CouncilSummaryOut(SummaryOut):
    code: str
    name: str


class BacktestOut(Schema):
    computed_at: datetime | None
    note: str
    simulations: int | None
    origins: list[int]
    england: SummaryOut | None
    councils_pooled: SummaryOut | None
    councils_beaten: list[BeatenOut]
    councils: list[CouncilSummaryOut]


def _summary(summary: dict | None) -> dict | None:
    if not summary:
        return None
    by = summary.get("by_horizon") or {}
    return {
        "outcomes": summary.get("outcomes", 0),
        "by_horizon": [{"horizon": int(h), **m} for h, m in sorted(by.items(), key=lambda i: int(i[0])) if m],
        "coverage_80": summary.get("coverage_80"),
        "coverage_50": summary.get("coverage_50"),
    }


@router.get("/forecasts/england", response={200: ForecastOut}, summary="England's forecast")
def england_forecast(request):
    """Children looked after at 31 March in England, one to five years ahead: the middle of the simulations
    and the 50% and 80% intervals, with the published years it was made from."""
    return _forecast(page_selectors.england(), "E92000001")


@router.get(
    "/forecasts/backtest", response={200: BacktestOut}, summary="How accurate the forecasts have been"
)
def forecast_backtest(request):
    """Forecasts from each past year made with only the figures published by then, against the numbers
    published one to three years later: mean absolute percentage error by horizon for the forecast, last
    year's number and a straight line, nationally and per council, and the intervals' coverage."""
    report = page_selectors.backtest()
    if report is None:
        empty = {"simulations": None, "origins": [], "england": None, "councils_pooled": None}
        return {"computed_at": None, "note": NOT_YET, **empty, "councils_beaten": [], "councils": []}
    r = report.results
    beaten = [{"horizon": int(h), **b} for h, b in sorted((r.get("councils_beaten") or {}).items()) if b]
    councils = [
        {"code": code, "name": c["name"], **_summary(c)}
        for code, c in sorted((r.get("councils") or {}).items(), key=lambda i: i[1]["name"])
    ]
    return {
        "computed_at": report.computed_at,
        "note": "",
        "simulations": r.get("simulations"),
        "origins": r.get("origins", []),
        "england": _summary(r.get("england")),
        "councils_pooled": _summary(r.get("councils_pooled")),
        "councils_beaten": beaten,
        "councils": councils,
    }


@router.get(
    "/forecasts/{code}", response={200: ForecastOut, **NOT_FOUND, **INVALID}, summary="A council's forecast"
)
def authority_forecast(request, code: Code):
    """A council's forecast (by DfE or ONS code) of children looked after at 31 March, one to five years
    ahead, with 50% and 80% intervals."""
    try:
        area = page_selectors.authority(code)
    except Authority.DoesNotExist:
        raise Http404(f"No council has the code {code!r}: give its DfE code (202) or ONS code.") from None
    return _forecast(area, area.authority.ons_code)


# ---------------------------------------------------------------------------------------------------
# A council's budget for children looked after, and the gap: private


class BudgetYearOut(Schema):
    year: str  # financial year, '2026-27'
    year_end: int  # the 31 March it ends
    budget: int | None  # GBP, as the council entered it; null if not entered
    projected_median: float | None  # projected spending, GBP, at the outturn year's prices (0% inflation)
    projected_interval_80: list[float] | None  # [p10, p90]
    gap_median: float | None  # projected spending minus budget: above 0, spending would exceed the budget
    gap_interval_80: list[float] | None


class BudgetOut(Schema):
    area: AreaOut
    prices: str  # what the projected spending is in: "2024-25 prices"
    may_edit: bool  # whether you may change it (the council's admins and director)
    years: list[BudgetYearOut]


class BudgetIn(Schema):
    # year_end (the 31 March the financial year ends) -> amount: whole pounds, or text like "£36,500,000" or
    # "36.5m"; null removes that year's budget. Years not named are left as they are.
    budgets: dict[int, int | str | None]


def _budget_authority(code: str) -> Authority:
    try:
        return Authority.objects.select_related("region").by_code(code)
    except Authority.DoesNotExist:
        raise Http404(f"No council has the code {code!r}: give its DfE code (202) or ONS code.") from None


def _budget_out(request, authority: Authority) -> dict:
    found = {b.year_end: b.amount for b in budgets.budgets(request.user, authority)}
    cost = spend_pages.stored_cost(authority)
    projected = {y["year_end"]: y for y in (cost.years if cost else [])}
    years = []
    for year_end in sorted(set(budgets.budget_years(authority)) | set(found)):
        p, amount = projected.get(year_end), found.get(year_end)
        gap = p is not None and amount is not None
        years.append(
            {
                "year": f"{year_end - 1}-{year_end % 100:02d}",
                "year_end": year_end,
                "budget": amount,
                "projected_median": p["median"] if p else None,
                "projected_interval_80": [p["p10"], p["p90"]] if p else None,
                "gap_median": p["median"] - amount if gap else None,
                "gap_interval_80": [p["p10"] - amount, p["p90"] - amount] if gap else None,
            }
        )
    return {
        "area": {"code": authority.code, "ons_code": authority.ons_code, "name": authority.name},
        "prices": f"{cost.year} prices" if cost and cost.year else "",
        "may_edit": budgets.may_enter(request.user, authority),
        "years": years,
    }


@router.get(
    "/forecasts/{code}/budget",
    auth=django_auth,
    response={200: BudgetOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A council's budget for children looked after, and the gap",
    tags=["forecast (signed in)"],
)
def authority_budget(request, code: Code):
    """The council's members, its region's alliance coordinators and national admins; 403 for anyone else.
    Each coming financial year: the budget the council entered, the projected spending (median and 80%
    range, at the outturn year's prices) and the gap, projected spending minus budget."""
    return _budget_out(request, _budget_authority(code))


@router.put(
    "/forecasts/{code}/budget",
    auth=django_auth,
    response={200: BudgetOut, 400: ErrorOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="Enter a council's budget for children looked after",
    tags=["forecast (signed in)"],
)
def set_authority_budget(request, code: Code, payload: BudgetIn):
    """The council's admins and its director of children's services; 403 for anyone else. 400 with the
    reason for an amount that cannot be read or a year outside the forecast's."""
    authority = _budget_authority(code)
    if not budgets.may_enter(request.user, authority):
        raise PermissionDenied(budgets.only_admins(authority))
    amounts: dict[int, int | None] = {}
    for year_end, given in payload.budgets.items():
        if given is None:
            amounts[year_end] = None
            continue
        try:
            amounts[year_end] = budgets.parse_amount(str(given))
        except ValidationError as error:
            raise HttpError(400, f"{year_end}: {' '.join(error.messages)}") from None
    try:
        budgets.save_budgets(user=request.user, authority=authority, amounts=amounts)
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return _budget_out(request, authority)


# ---------------------------------------------------------------------------------------------------
# A council's saved scenarios: private to the council and, once shared, its alliance


class ScenarioSummaryOut(Schema):
    id: int
    name: str
    area: AreaOut
    entries_times: float  # the entry rate (per 10,000 children aged 0 to 17) is multiplied by this...
    entries_plus: float  # ...then this many per 10,000 are added
    exits_times: float  # the share leaving care each year is multiplied by this...
    exits_plus: float  # ...then this many percentage points are added
    moves: list[dict]  # [{"percent": 10, "from": "residential", "to": "fostering"}]
    description: list[str]  # the settings in words
    shared_with_alliance: bool
    created_at: datetime
    updated_at: datetime
    may_edit: bool  # the council's members
    may_share: bool  # the council's admins and director


class ScenarioOut(ScenarioSummaryOut):
    # years; baseline, scenario_result and difference, each with looked_after, ceases and (where costs are
    # known) spend by year: median and interval_80 (and interval_50); no_spend: why spending is missing
    results: dict


class MoveIn(InputSchema):
    percent: float
    source: str = Field(alias="from", max_length=20)
    target: str = Field(alias="to", max_length=20)


class ScenarioIn(InputSchema):
    name: str = Field(max_length=200)
    entries_times: float = 1.0
    entries_plus: float = 0.0
    exits_times: float = 1.0
    exits_plus: float = 0.0
    moves: list[MoveIn] = Field(default_factory=list, max_length=10)
    shared_with_alliance: bool = False


def _scenario_summary(request, scenario: Scenario) -> dict:
    authority = scenario.authority
    engine = scenario_services.settings_of(
        entries_times=scenario.entries_times,
        entries_plus=scenario.entries_plus,
        exits_times=scenario.exits_times,
        exits_plus=scenario.exits_plus,
        moves=scenario.moves,
    )
    return {
        "id": scenario.pk,
        "name": scenario.name,
        "area": {"code": authority.code, "ons_code": authority.ons_code, "name": authority.name},
        "entries_times": scenario.entries_times,
        "entries_plus": scenario.entries_plus,
        "exits_times": scenario.exits_times,
        "exits_plus": scenario.exits_plus,
        "moves": scenario.moves,
        "description": engine.describe(),
        "shared_with_alliance": scenario.shared_with_alliance,
        "created_at": scenario.created_at,
        "updated_at": scenario.updated_at,
        "may_edit": scenario_services.may_write(request.user, authority),
        "may_share": scenario_services.may_manage(request.user, authority),
    }


def _scenario_out(request, scenario: Scenario) -> dict:
    results = dict(scenario.results or {})
    kept = ("years", "baseline", "scenario_result", "difference", "no_spend", "unit_cost", "rates", "origin")
    return {**_scenario_summary(request, scenario), "results": {k: results[k] for k in kept if k in results}}


@router.get(
    "/forecasts/{code}/scenarios",
    auth=django_auth,
    response={200: list[ScenarioSummaryOut], **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A council's saved scenarios",
    tags=["forecast (signed in)"],
)
def authority_scenarios(request, code: Code):
    """The council's scenarios you may see: all of them for its members and national admins; those shared
    with the alliance for its region's coordinators and the region's other councils. 403 for anyone else."""
    authority = _budget_authority(code)
    if not scenario_services.may_look(request.user, authority):
        raise PermissionDenied(f"{authority.name}'s scenarios are private to the council and its alliance.")
    found = Scenario.objects.visible_to(request.user).filter(authority=authority).select_related("authority")
    return [_scenario_summary(request, s) for s in found]


@router.get(
    "/forecasts/{code}/scenarios/{scenario_id}",
    auth=django_auth,
    response={200: ScenarioOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A council's saved scenario and its results",
    tags=["forecast (signed in)"],
)
def authority_scenario(request, code: Code, scenario_id: Id):
    """One scenario with its results against the forecast: children looked after, children leaving care
    and spending by year (median and 80% range) and the difference. 404 for one you may not see."""
    authority = _budget_authority(code)
    scenario = (
        Scenario.objects.visible_to(request.user)
        .filter(authority=authority, pk=scenario_id)
        .select_related("authority")
        .first()
    )
    if scenario is None:
        raise Http404(f"{authority.name} has no scenario {scenario_id} that you may see.")
    return _scenario_out(request, scenario)


@router.post(
    "/forecasts/{code}/scenarios",
    auth=django_auth,
    response={201: ScenarioOut, 400: ErrorOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="Save a scenario for a council",
    tags=["forecast (signed in)"],
)
def create_authority_scenario(request, code: Code, payload: ScenarioIn):
    """The council's members save scenarios; only its admins and director may share one with the alliance
    (403 otherwise). 400 with the reason for settings that cannot be run. The results are worked out
    before the answer (a few seconds)."""
    authority = _budget_authority(code)
    moves = [{"percent": m.percent, "from": m.source, "to": m.target} for m in payload.moves]
    try:
        scenario = scenario_services.save_scenario(
            user=request.user,
            authority=authority,
            name=payload.name,
            shared_with_alliance=payload.shared_with_alliance,
            entries_times=payload.entries_times,
            entries_plus=payload.entries_plus,
            exits_times=payload.exits_times,
            exits_plus=payload.exits_plus,
            moves=moves,
        )
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return Status(201, _scenario_out(request, scenario))


# ---------------------------------------------------------------------------------------------------
# A council's forecast from its own 903 return: private to the council's members and national admins


class ChildLevelYearOut(Schema):
    year: int  # the year to 31 March
    looked_after: int  # at 31 March
    starts: int | None  # started to be looked after in the year; null for the year before the first return
    ceases: int | None
    by_placement: dict[str, int]  # at 31 March: fostering, adoption, parents, independent, residential, ...
    by_age: dict[str, int]  # at 31 March: under_1, 1_to_4, 5_to_9, 10_to_15, 16_and_over


class ChildLevelOut(Schema):
    area: AreaOut
    uploaded_at: datetime
    uploaded_by: str
    first_year: int
    last_year: int
    header_rows: int
    episode_rows: int
    years: list[ChildLevelYearOut]
    note: str  # why there are no horizons, when there are none
    horizons: list[HorizonOut]  # from the council's own figures, with the same engine
    published_horizons: list[HorizonOut]  # the stored forecast from published figures, for the same years


@router.get(
    "/forecasts/{code}/903",
    auth=django_auth,
    response={200: ChildLevelOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A council's forecast from its own 903 return",
    tags=["forecast (signed in)"],
)
def authority_child_level(request, code: Code):
    """The yearly figures kept from the council's latest 903 upload (counts only: the files are never
    kept) and the forecast from them beside the published-data forecast. The council's members and national
    admins; 403 for anyone else; 404 if the council has uploaded none."""
    authority = _budget_authority(code)
    if not ssda903.may_see(request.user, authority):
        raise PermissionDenied(ssda903.private(authority))
    saved = ssda903.latest(request.user, authority)
    if saved is None:
        raise Http404(f"No 903 return of {authority.name}'s has been uploaded.")
    own = ssda903.forecast(saved)
    horizons = [{**h, "median": round(h["median"], 1)} for h in own.get("horizons", [])]
    wanted = {h["year"] for h in horizons}
    published = [
        {
            "horizon": h,
            "year": p.year,
            "median": round(p.median, 1),
            "interval_50": [round(p.p25, 1), round(p.p75, 1)],
            "interval_80": [round(p.p10, 1), round(p.p90, 1)],
        }
        for h, p in enumerate(page_selectors.authority(authority.code).points, start=1)
        if p.year in wanted
    ]
    return {
        "area": {"code": authority.code, "ons_code": authority.ons_code, "name": authority.name},
        "uploaded_at": saved.uploaded_at,
        "uploaded_by": str(saved.uploaded_by or ""),
        "first_year": saved.first_year,
        "last_year": saved.last_year,
        "header_rows": saved.header_rows,
        "episode_rows": saved.episode_rows,
        "years": saved.years,
        "note": own.get("note", ""),
        "horizons": horizons,
        "published_horizons": published,
    }
