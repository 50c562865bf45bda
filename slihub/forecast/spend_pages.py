"""What the forecast would cost, as the pages show it: the stored unit costs and projected spending
(worked out at outturn-year prices by the refresh), the inflation setting applied to them, and a council's
budget and the gap. Cheap: one or two queries and some multiplication."""

from __future__ import annotations

import math

from slihub.accounts.models import scope_of
from slihub.forecast import references
from slihub.forecast.models import Budget, StoredCost
from slihub.places.models import Authority

MAX_INFLATION = 50  # per cent a year, either way (costs.MAX_INFLATION)


def parse_inflation(given: str | None) -> tuple[float, str]:
    """The page's `inflation` setting (a yearly percentage) as a fraction, and a reason when it is refused
    (then 0 is used)."""
    text = (given or "").strip().removesuffix("%").strip()
    if not text:
        return 0.0, ""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return 0.0, f"Inflation must be a number, like 3 for 3% a year, not '{given[:20]}'. 0% is used."
    if not -MAX_INFLATION < value <= MAX_INFLATION:
        return 0.0, f"Inflation must be between -50 and 50 (% a year), not {value:g}. 0% is used."
    return value / 100, ""


def inflation_words(rate: float, year: str) -> str:
    if rate == 0:
        return f"at {year} prices"
    return f"{'rising' if rate > 0 else 'falling'} {abs(rate) * 100:g}% a year from {year} prices"


def with_inflation(years: list[dict], outturn_year_end: int, rate: float) -> list[dict]:
    """Stored spending at outturn-year prices times (1 + rate) ** (years after the outturn year)."""
    out = []
    for y in years:
        factor = (1 + rate) ** (y["year_end"] - outturn_year_end)
        out.append(y | {name: y[name] * factor for name in ("median", "p10", "p90")} | {"factor": factor})
    return out


def pounds(value: float | None) -> str:
    """£36,491,000 as '£36.5m', £8.9bn as '£8.92bn', smaller sums in whole pounds."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e9:
        return f"{sign}£{value / 1e9:,.2f}bn"
    if value >= 1e6:
        return f"{sign}£{value / 1e6:,.1f}m"
    return f"{sign}£{round(value):,}"


def whole_pounds(value: float | None) -> str:
    return "" if value is None else f"£{round(value):,}"


def stored_cost(authority: Authority | None) -> StoredCost | None:
    return StoredCost.objects.filter(authority=authority).first()


def costs_computed() -> bool:
    return StoredCost.objects.exists()


def _source_words(source: dict) -> str:
    return f"{source.get('name', '')} ({source.get('place', '')})" if source else ""


def cost_context(authority: Authority | None, inflation_given: str | None, budgets=None) -> dict:
    """The 'What it would cost' section's figures."""
    rate, refused = parse_inflation(inflation_given)
    row = stored_cost(authority)
    out = {
        "computed": row is not None or costs_computed(),
        "row": row,
        "inflation_value": (inflation_given or "").strip()[:10] if not refused else "",
        "inflation_refused": refused,
        "inflation_rate": rate,
    }
    if row is None or row.unit_cost is None:
        return out
    years = with_inflation(row.years, row.year_end, rate)
    by_year = {b.year_end: b for b in budgets or []}
    shown = []
    for y in years:
        entry = {
            "year": y["year"],
            "year_end": y["year_end"],
            "median": pounds(y["median"]),
            "range": f"{pounds(y['p10'])} to {pounds(y['p90'])}",
            "median_value": y["median"],
            "p10": y["p10"],
            "p90": y["p90"],
            "unit_cost": whole_pounds(row.unit_cost * y["factor"]),
        }
        budget = by_year.get(y["year_end"])
        if budget is not None:
            entry |= {
                "budget": pounds(budget.amount),
                "budget_value": budget.amount,
                "gap": pounds(y["median"] - budget.amount),
                "gap_range": f"{pounds(y['p10'] - budget.amount)} to {pounds(y['p90'] - budget.amount)}",
                "gap_value": y["median"] - budget.amount,
            }
        shown.append(entry)
    out |= {
        "unit_cost": whole_pounds(row.unit_cost),
        "unit_cost_weekly": whole_pounds(row.unit_cost / (365 / 7)),
        "year": row.year,
        "spend": pounds(row.source.get("spend")),
        "source": _source_words(row.source),
        "words": inflation_words(rate, row.year),
        "years": shown,
        "has_budget": any("budget" in y for y in shown),
        "placement_types": [
            {
                "name": t["name"],
                "spend": pounds(t.get("spend")),
                "unit_cost": whole_pounds(t.get("unit_cost")),
                "note": t.get("note", ""),
                "place": t.get("place", ""),
            }
            for t in row.placement_types
        ],
    }
    return out


def reference_points() -> list[dict]:
    return [
        {
            "who": p.who,
            "published": p.published,
            "figure": pounds(p.figure),
            "period": p.period,
            "measures": p.measures,
            "address": p.address,
            "place": p.place,
            "quote": p.quote,
        }
        for p in references.POINTS
    ]


def budgets_for(authority: Authority, user) -> list[Budget] | None:
    """The council's budgets if the user may see them (None if not)."""
    if not user.is_authenticated:
        return None
    if not scope_of(user).can_view(authority):
        return None
    return list(Budget.objects.visible_to(user).filter(authority=authority).order_by("year_end"))
