"""The published-data forecast pages: England's with every council's, a council's, the backtest, and
their tables as CSV. Thin views over page_selectors: the forecasts are worked out once and stored
(refresh.py), so a page reads a few rows; signed-out visitors get pages from the page cache."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe

from slihub.forecast import (
    budgets,
    chart,
    mix_pages,
    page_selectors,
    scenario_services,
    spend_chart,
    spend_pages,
)
from slihub.forecast.models import Scenario
from slihub.forecast.refresh import RELEASE
from slihub.places import releases
from slihub.places.models import Authority
from slihub.places.page_cache import cache_published

DATASETS = [releases.REFERENCE, RELEASE]
REFRESH_COMMAND = "slihub forecast refresh"
CSV_COLUMNS = [
    "area_code",
    "area_name",
    "year",
    "published_looked_after",
    "forecast_middle",
    "forecast_50_low",
    "forecast_50_high",
    "forecast_80_low",
    "forecast_80_high",
    "latest_published_year",
]


def _range(low: float, high: float) -> str:
    return f"{chart.count(low)} to {chart.count(high)}"


def _table(area: page_selectors.AreaForecast) -> list[dict]:
    """The page's table: each published year, then each forecast year, with the numbers as shown."""
    rows = []
    for row in area.rows():
        p = row["point"]
        rows.append(
            {
                "year": row["year"],
                "published": "" if row["looked_after"] is None else chart.count(row["looked_after"]),
                "median": chart.count(p.median) if p else "",
                "range_50": _range(p.p25, p.p75) if p else "",
                "range_80": _range(p.p10, p.p90) if p else "",
                "low_80": chart.count(p.p10) if p else "",
                "high_80": chart.count(p.p90) if p else "",
            }
        )
    return rows


def _chart(area: page_selectors.AreaForecast) -> str:
    svg = chart.forecast_svg(
        area.history,
        area.points,
        title=f"Children looked after at 31 March in {area.name}: published and forecast",
        name=area.name,
        id_prefix=f"forecast-{area.code}",
    )
    return mark_safe(svg)  # noqa: S308 - chart escapes every text it writes


def _basis(area: page_selectors.AreaForecast) -> dict | None:
    """What the forecast was made from, in words and figures."""
    if not area.basis or not area.basis.published:
        return None
    published, rates = area.basis.published, area.basis.rates or {}
    return {
        "first_year": published[0]["year"],
        "latest_year": published[-1]["year"],
        "latest": chart.count(published[-1]["looked_after"]),
        "starts": chart.count(published[-1]["starts"]),
        "ceases": chart.count(published[-1]["ceases"]),
        "starts_per_10000": f"{rates['starts_per_10000']:.1f}" if "starts_per_10000" in rates else "",
        "ceases_share": f"{rates['ceases_share']:.0%}" if "ceases_share" in rates else "",
        "population": chart.count(rates["population_0_17"]) if "population_0_17" in rates else "",
        "simulations": f"{area.basis.simulations:,}",
        "computed_at": area.basis.computed_at,
        "note": area.basis.note,
    }


def _area_context(area: page_selectors.AreaForecast) -> dict:
    return {
        "area": area,
        "chart": _chart(area) if area.points or area.history else "",
        "table": _table(area),
        "basis": _basis(area),
        "parts": mix_pages.context(area.basis, area.name, area.code),
        "refresh_command": REFRESH_COMMAND,
    }


def _spend_chart(cost: dict, name: str, code: str) -> str:
    if not cost.get("years"):
        return ""
    svg = spend_chart.spend_svg(
        cost["years"],
        title=f"Projected spending on children looked after in {name}, by financial year",
        words=cost["words"],
        id_prefix=f"spend-{code}",
    )
    return mark_safe(svg)  # noqa: S308 - spend_chart escapes every text it writes


def _council_rows(rows: list[page_selectors.CouncilRow]) -> list[dict]:
    return [
        {
            "code": row.authority.code,
            "name": row.authority.name,
            "latest": "" if row.latest is None else chart.count(row.latest),
            "latest_year": row.latest_year,
            "cells": [
                (chart.count(p.median), _range(p.p10, p.p90)) if (p := row.points.get(h)) else None
                for h in page_selectors.SHOWN_HORIZONS
            ],
        }
        for row in rows
    ]


@cache_published(datasets=DATASETS)  # with ?inflation=: rendered afresh (cheap), so no value fills the cache
def home(request):
    england = page_selectors.england()
    report = page_selectors.backtest()
    context = _area_context(england)
    context.update(
        {
            "computed": page_selectors.computed(),
            "councils": _council_rows(page_selectors.councils()),
            "horizons": page_selectors.horizon_years(),
            "accuracy": page_selectors.accuracy(report.results.get("england")) if report else None,
            "csv_url": reverse("forecast-england-csv"),
            "cost": (cost := spend_pages.cost_context(None, request.GET.get("inflation"))),
            "spend_chart": _spend_chart(cost, "England", "england"),
            "reference_points": spend_pages.reference_points(),
        }
    )
    return render(request, "forecast/home.html", context)


def _authority(code: str) -> page_selectors.AreaForecast:
    try:
        return page_selectors.authority(code)
    except Authority.DoesNotExist:
        raise Http404(f"No council has the code {code}.") from None


@cache_published(datasets=DATASETS)  # with ?inflation=: rendered afresh (cheap), so no value fills the cache
def authority(request, code):
    if code.lower() == page_selectors.ENGLAND:
        return redirect("forecast-home")
    area = _authority(code)
    if code != area.code:  # an ONS code or lower case: the page lives at its DfE code
        return redirect("forecast-authority", code=area.code)
    pooled, own = page_selectors.council_accuracy(page_selectors.backtest(), area.code)
    own_budgets = spend_pages.budgets_for(area.authority, request.user)  # None: not the user's to see
    scenarios = None  # None: no scenario of the council's is the user's to see
    if request.user.is_authenticated and scenario_services.may_see_any(request.user, area.authority):
        scenarios = list(Scenario.objects.visible_to(request.user).filter(authority=area.authority))
    context = _area_context(area)
    context.update(
        {
            "computed": area.basis is not None or page_selectors.computed(),
            "pooled": pooled,
            "own": own,
            "csv_url": reverse("forecast-authority-csv", args=[area.code]),
            "cost": (
                cost := spend_pages.cost_context(area.authority, request.GET.get("inflation"), own_budgets)
            ),
            "spend_chart": _spend_chart(cost, area.name, area.code),
            "sees_budget": own_budgets is not None,
            "may_enter_budget": budgets.may_enter(request.user, area.authority),
            "scenarios": scenarios,
            "sees_scenarios": scenarios is not None,
            "may_write_scenario": scenario_services.may_write(request.user, area.authority),
        }
    )
    response = render(request, "forecast/authority.html", context)
    if own_budgets is not None or scenarios is not None:
        patch_cache_control(response, private=True)  # the council's budget: never a shared cache's
    return response


@cache_published(datasets=DATASETS)
def backtest(request):
    report = page_selectors.backtest()
    tables = page_selectors.backtest_tables(report) if report else None
    return render(request, "forecast/backtest.html", {"tables": tables, "refresh_command": REFRESH_COMMAND})


def _csv(area: page_selectors.AreaForecast) -> HttpResponse:
    if not area.history and not area.points:
        raise Http404(f"{area.name} has no forecast to download: forecasts have not been worked out for it.")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    latest = area.latest[0] if area.latest else ""
    for row in area.rows():
        p = row["point"]
        figures = [round(v) for v in (p.median, p.p25, p.p75, p.p10, p.p90)] if p else [""] * 5
        published = "" if row["looked_after"] is None else row["looked_after"]
        writer.writerow([area.code, area.name, row["year"], published, *figures, latest])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="forecast_{area.code}.csv"'
    return response


def england_csv(request):
    return _csv(page_selectors.england())


def authority_csv(request, code):
    return _csv(_authority(code))
