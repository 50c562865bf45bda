"""A small indicator bank for the profile and compare tests, on top of factories.build_places().

Six current authorities (Camden, Islington, Leeds, Bradford, North Yorkshire, Cumberland) and
four periods (2022 to 2025). For Camden:
- ReReferral (lower is better): the highest value, rising: band D and declining, a concern;
- KS2_RWM (higher is better): the highest value, rising: band A and improving, a strength;
- InfMort (lower is better): the lowest value but rising: band A and declining, neither;
- CIN (neither): suppressed ('c') in 2025, so its latest figure is the marker, never zero.
England's figure is published for ReReferral and left to the mean of authorities elsewhere.
"""

from dataclasses import dataclass

from slihub.indicators import periods as period_labels
from slihub.indicators.models import AreaType, Indicator, Period, Value
from slihub.indicators.services import compute_comparisons
from tests.factories import Places

YEARS = ["2022", "2023", "2024", "2025"]

# code -> (name, polarity, theme, outcome, decimal places, {authority code: values by year})
SPECS = {
    "ReReferral": (
        "Percentage of re-referrals to children's social care within 12 months",
        "low",
        "vulnerable_children",
        "stay_safe",
        1,
        {
            "202": [20.0, 22.0, 25.0, 30.0],
            "206": [12.0, 12.0, 12.0, 12.0],
            "383": [14.0, 14.0, 14.0, 14.0],
            "380": [16.0, 16.0, 16.0, 16.0],
            "815": [10.0, 10.0, 10.0, 10.0],
            "942": [18.0, 18.0, 18.0, 18.0],
        },
    ),
    "KS2_RWM": (
        "Key stage 2 pupils meeting the expected standard in reading, writing and maths",
        "high",
        "schools",
        "enjoy_achieve",
        0,
        {
            "202": [60.0, 65.0, 70.0, 75.0],
            "206": [50.0, 50.0, 50.0, 51.0],
            "383": [55.0, 55.0, 55.0, 56.0],
            "380": [52.0, 52.0, 52.0, 52.0],
            "815": [58.0, 58.0, 58.0, 58.0],
            "942": [54.0, 54.0, 54.0, 54.0],
        },
    ),
    "InfMort": (
        "Infant mortality rate per 1,000 live births",
        "low",
        "early_years",
        "be_healthy",
        1,
        {
            "202": [2.0, 2.5, 3.0, 3.5],
            "206": [5.0, 5.0, 5.0, 5.0],
            "383": [6.0, 6.0, 6.0, 6.0],
            "380": [7.0, 7.0, 7.0, 7.0],
            "815": [4.0, 4.0, 4.0, 4.0],
            "942": [4.5, 4.5, 4.5, 4.5],
        },
    ),
    "CIN": (
        "Children in Need rate per 10,000",
        "none",
        "vulnerable_children",
        "stay_safe",
        None,
        {
            "202": [300.0, 310.0, 320.0, "c"],
            "206": [400.0, 410.0, 420.0, 430.0],
            "383": [350.0, 360.0, 370.0, 380.0],
            "380": [330.0, 330.0, 330.0, 330.0],
            "815": [250.0, 250.0, 250.0, 250.0],
            "942": [280.0, 280.0, 280.0, 280.0],
        },
    ),
}
ENGLAND_REREFERRAL = [21.0, 21.5, 22.0, 22.4]


@dataclass
class Bank:
    indicators: dict[str, Indicator]
    periods: dict[str, Period]


def make_periods(labels=YEARS) -> dict[str, Period]:
    made = {}
    for label in labels:
        parsed = period_labels.parse_label(label)
        made[label] = Period.objects.create(
            label=label,
            kind=parsed.kind,
            start_year=parsed.start_year,
            end_year=parsed.end_year,
            flag=parsed.flag,
            sort_key=parsed.sort_key,
        )
    return made


def make_indicator(code, name, polarity, theme, outcome, decimal_places, topic="Test") -> Indicator:
    slug = code.lower().replace("_", "-")
    return Indicator.objects.create(
        code=code,
        slug=slug,
        source="test",
        name=name,
        short_name=code,
        topic=topic,
        polarity=polarity,
        theme=theme,
        outcome=outcome,
        decimal_places=decimal_places,
        unit="Test unit",
    )


def add_values(indicator: Indicator, periods: dict[str, Period], places: Places, by_code: dict) -> None:
    authorities = {
        a.code: a
        for a in (
            places.camden,
            places.islington,
            places.leeds,
            places.bradford,
            places.north_yorkshire,
            places.cumberland,
        )
    }
    rows = []
    for code, series in by_code.items():
        for label, cell in zip(periods, series, strict=True):
            number = cell if isinstance(cell, float) else None
            rows.append(
                Value(
                    indicator=indicator,
                    period=periods[label],
                    area_type=AreaType.AUTHORITY,
                    authority=authorities[code],
                    value=number,
                    status="" if number is not None else cell,
                )
            )
    Value.objects.bulk_create(rows)


def build_bank(places: Places) -> Bank:
    periods = make_periods()
    indicators = {}
    for code, (name, polarity, theme, outcome, places_dp, series) in SPECS.items():
        indicator = make_indicator(code, name, polarity, theme, outcome, places_dp)
        add_values(indicator, periods, places, series)
        indicators[code] = indicator
    Value.objects.bulk_create(
        Value(
            indicator=indicators["ReReferral"],
            period=periods[label],
            area_type=AreaType.ENGLAND,
            value=value,
        )
        for label, value in zip(YEARS, ENGLAND_REREFERRAL, strict=True)
    )
    compute_comparisons()
    return Bank(indicators, periods)
