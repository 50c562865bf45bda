"""A small indicator bank for the page and API tests: two indicators, two periods, a suppressed cell."""

from slihub.indicators.models import Indicator, Period, Value
from slihub.indicators.services import compute_comparisons
from slihub.indicators.slugs import slugs_for

RATE_2024 = {"202": 62.0, "206": "c", "383": 50.5, "380": 40.0, "815": 30.25}
RATE_2023 = {"202": 60.0, "206": 55.0, "383": 52.0, "380": 41.0, "815": 29.0, "909": 44.0}


def build_bank(places):
    codes = ["No_of LAC Adopted", "%_3&4yr_olds"]
    slug = slugs_for(codes)
    rate = Indicator.objects.create(
        code="No_of LAC Adopted",
        slug=slug["No_of LAC Adopted"],
        source="lait",
        name="Children adopted from care, rate",
        short_name="No_of LAC Adopted",
        topic="Adoption",
        description="Children adopted during the year per 10,000 looked after.",
        polarity="high",
        unit="Rate per 10,000",
        decimal_places=1,
        theme="vulnerable_children",
        outcome="stay_safe",
        publisher="DfE, Children looked after in England",
        methodology="Counted at 31 March.",
        link="https://www.gov.uk/government/collections/statistics-looked-after-children",
    )
    share = Indicator.objects.create(
        code="%_3&4yr_olds",
        slug=slug["%_3&4yr_olds"],
        source="lait",
        name="Three and four year olds in funded early education",
        short_name="%_3&4yr_olds",
        topic="Early Years",
        description="Share of 3 and 4 year olds benefiting from funded early education.",
        polarity="none",
        unit="%",
        decimal_places=0,
        theme="early_years",
        outcome="enjoy_achieve",
    )
    p2023 = Period.objects.create(label="2023", kind="year", start_year=2023, end_year=2023, sort_key=202300)
    p2024 = Period.objects.create(label="2024", kind="year", start_year=2024, end_year=2024, sort_key=202400)
    authorities = {
        a.code: a
        for a in [places.camden, places.islington, places.leeds, places.bradford, places.north_yorkshire]
        + [places.cumbria]
    }
    rows = []
    for period, cells in [(p2023, RATE_2023), (p2024, RATE_2024)]:
        for code, cell in cells.items():
            value, status = (None, cell) if isinstance(cell, str) else (cell, "")
            rows.append(
                Value(
                    indicator=rate,
                    period=period,
                    area_type="la",
                    authority=authorities[code],
                    value=value,
                    status=status,
                )
            )
        rows.append(Value(indicator=rate, period=period, area_type="england", value=48.0))
        rows.append(
            Value(indicator=rate, period=period, area_type="region", region=places.london, value=58.5)
        )
    for code, value in {"202": 90.0, "206": 80.0, "383": 95.0, "380": 85.0}.items():
        rows.append(
            Value(indicator=share, period=p2024, area_type="la", authority=authorities[code], value=value)
        )
    Value.objects.bulk_create(rows)
    compute_comparisons()
    return {"rate": rate, "share": share, "2023": p2023, "2024": p2024}
