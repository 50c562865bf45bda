"""The forecast's parts as the pages show them: children by placement type and unaccompanied
asylum-seeking children, each year's middle and 80% range, from the stored basis (mix.py)."""

from django.utils.safestring import mark_safe

from slihub.forecast import mix, mix_chart
from slihub.forecast.chart import count
from slihub.forecast.spend_pages import pounds


def _cell(row: dict, money: bool = False) -> str:
    show = pounds if money else count
    low, high = row["interval_80"]
    return f"{show(row['median'])} ({show(low)} to {show(high)})"


def _percent(value) -> str:
    return "Not published" if value is None else f"{value:.0f}%"


SHORT = {  # the chart's row labels: the table gives the full names
    "fostering": "Foster placements",
    "residential": "Secure and children's homes",
    "other_residential": "Other residential settings",
    "independent": "Independent, semi-independent",
    "other_including_unregistered": "Other, including unregistered",
    "parents": "With parents",
    mix.REST: "Other placements",
}


def _chart(placements: dict, parts: list[str], name: str, code: str) -> str:
    last = {part: placements["by_type"][part][-1] for part in parts if placements["by_type"].get(part)}
    if not last:
        return ""
    year = next(iter(last.values()))["year"]
    rows = [
        {
            "name": SHORT.get(part, part),
            "median": r["median"],
            "low": r["interval_80"][0],
            "high": r["interval_80"][1],
        }
        for part, r in last.items()
    ]
    svg = mix_chart.placement_svg(
        rows,
        year=year,
        title=f"Children looked after in {name} at 31 March {year} by placement type: forecast middle and "
        "80% range",
        id_prefix=f"placements-{code}",
    )
    return mark_safe(svg)  # noqa: S308 - mix_chart escapes every text it writes


def context(basis, name: str = "", code: str = "area") -> dict | None:
    """The parts' tables, or None when the basis holds no split (too few years, or worked out before)."""
    rates = (basis.rates or {}) if basis else {}
    if "placement_mix" not in rates and "uasc" not in rates:
        return None
    placements, uasc, population = (
        rates.get("placement_mix", {}),
        rates.get("uasc", {}),
        rates.get("population"),
    )
    out: dict = {
        "by_age": rates.get("by_age", mix.AGE_NOTE),
        "uasc_note": mix.UASC_NOTE,
        "population": population,
    }
    if placements.get("by_type"):
        words = {part: w for part, (_, w) in mix.PLACEMENTS.items()} | {mix.REST: mix.REST_WORDS}
        latest = placements["latest"]
        fit = placements["fit"]
        first = placements["by_type"][fit["parts"][0]]
        out["years"] = [row["year"] for row in first]
        out["latest_year"] = latest["year"]
        out["placements"] = [
            {
                "name": words[part],
                "latest": _percent(latest["percent"].get(part)) if part != mix.REST else "",
                "cells": [_cell(row) for row in rows],
            }
            for part in fit["parts"]  # a list keeps its order; a JSON object need not (PostgreSQL's jsonb)
            if (rows := placements["by_type"].get(part))
        ]
        out["fit_years"] = fit["years"]
        out["chart"] = _chart(placements, fit["parts"], name, code)
        out["suppressed"] = [
            f"{words[part].lower()} ({', '.join(map(str, years))})"
            for part, years in fit["suppressed"].items()
        ]
        spending = placements.get("spending") or {}
        if spending.get("by_type"):
            names = {"fostering": "Fostering", "residential": "Residential care", "rest": "Everything else"}
            out["spending_year"] = spending["outturn_year"]
            out["spending_years"] = [row["year"] for row in spending["by_type"]["fostering"]]
            out["spending"] = [
                {"name": names[kind], "cells": [_cell(row, money=True) for row in spending["by_type"][kind]]}
                for kind in names
                if kind in spending["by_type"]
            ]
    elif placements.get("note"):
        out["placements_note"] = placements["note"]
    if uasc.get("looked_after") or uasc.get("starts"):
        rows = []
        if uasc.get("looked_after"):
            rows.append(
                {"name": "Looked after at 31 March", "cells": [_cell(r) for r in uasc["looked_after"]]}
            )
        if uasc.get("starts"):
            rows.append(
                {
                    "name": "Starting to be looked after in the year",
                    "cells": [_cell(r) for r in uasc["starts"]],
                }
            )
        out["uasc"] = rows
        out["uasc_years"] = [r["year"] for r in (uasc.get("looked_after") or uasc["starts"])]
        out["uasc_latest"] = uasc.get("looked_after_latest")
        out["uasc_starts_latest"] = uasc.get("starts_latest")
    return out
