"""A small, seeded world for the early-warning tests: the test places, eight years of a few signals,
and an inspection history with both outcomes, so the model can be trained and its rules checked."""

from datetime import date

import numpy as np

from slihub.indicators.models import Indicator, Period, Value
from slihub.inspections.models import Inspection
from slihub.warning.features import SIGNAL_BY_CODE

CODES = ("CIN", "ReReferral", "Continue_Assess_Comp", "Work_Force_Agecy_Rate")
YEARS = range(2016, 2024)  # 2024 and later are added by the tests that need them


def period(year: int) -> Period:
    return Period.objects.get_or_create(
        label=str(year),
        defaults={"kind": "year", "start_year": year, "end_year": year, "sort_key": year * 100},
    )[0]


def indicator(code: str) -> Indicator:
    signal = SIGNAL_BY_CODE[code]
    return Indicator.objects.get_or_create(
        code=code,
        defaults={
            "slug": code.lower().replace("_", "-"),
            "source": "lait",
            "name": signal.name,
            "short_name": code,
            "theme": "vulnerable_children",
            "outcome": "stay_safe",
        },
    )[0]


def add_values(places, year: int, seed: int = 0) -> None:
    """One year of every test signal for every current test authority and England."""
    rng = np.random.default_rng(seed + year)
    p = period(year)
    rows = []
    for code in CODES:
        ind = indicator(code)
        base = {
            "CIN": 330.0,
            "ReReferral": 22.0,
            "Continue_Assess_Comp": 82.0,
            "Work_Force_Agecy_Rate": 16.0,
        }[code]
        rows.append(Value(indicator=ind, period=p, area_type="england", value=base))
        for authority in (
            places.camden,
            places.islington,
            places.leeds,
            places.bradford,
            places.north_yorkshire,
        ):
            rows.append(
                Value(
                    indicator=ind,
                    period=p,
                    area_type="la",
                    authority=authority,
                    value=round(base * (1 + rng.normal(0, 0.15)), 1),
                )
            )
    Value.objects.bulk_create(rows)


GRADES = (
    "Good",
    "Inadequate",
    "Requires improvement to be good",
    "Outstanding",
    "Requires improvement to be good",
    "Inadequate",
    "Good",
    "Good",
)


def add_inspection(
    authority, start: date, grade: str, published: date | None = None, kind="standard"
) -> Inspection:
    graded = kind in ("standard", "short")
    return Inspection.objects.create(
        authority=authority,
        kind=kind,
        start_date=start,
        published_on=published or date(start.year, start.month, 28),
        **({"overall_effectiveness": grade, "impact_of_leaders": grade} if graded else {}),
    )


def build_world(places) -> None:
    for year in YEARS:
        add_values(places, year)
    authorities = (places.camden, places.islington, places.leeds, places.bradford, places.north_yorkshire)
    n = 0
    for year in (2018, 2019, 2021, 2022, 2023):
        for i, authority in enumerate(authorities):
            month = 1 + (i * 2 + year) % 10
            add_inspection(authority, date(year, month, 2), GRADES[n % len(GRADES)])
            n += 1
    add_inspection(places.leeds, date(2022, 11, 7), "", kind="monitoring visit")
