"""A LAIT indicator read with its DfE twin (series.PAIRS) as one series: LAIT's cells for 2019 to
2023, DfE's tidy file's for 2024, the year LAIT does not hold yet; each point names its publisher."""

import csv
import io

import pytest

from slihub.indicators import series
from slihub.indicators.models import AreaType, Indicator, Period, Value
from slihub.indicators.series_selectors import area_series
from slihub.indicators.services import compute_comparisons
from slihub.indicators.slugs import base_slug
from tests.integration.html import page

YEARS = range(2019, 2025)
CAMDEN = {y: 50.0 + y - 2019 for y in YEARS}  # the two publishers agree on every shared cell


def indicator(code, source):
    return Indicator.objects.create(
        code=code,
        slug=base_slug(code),
        source=source,
        name="Children looked after rate",
        short_name=code,
        polarity="none",
        unit="Rate per 10,000",
        decimal_places=1,
    )


def series_rows(document) -> dict[str, list[str]]:
    """The series table's rows: period -> its cells' text."""
    table = document.one("div", id="series").one("table")
    return {row.find("th").text: [td.text for td in row.find_all("td")] for row in table.find_all("tr")[1:]}


def url(authority, indicator, suffix=""):
    return f"/authorities/{authority.code}/indicators/{indicator.slug}/{suffix}"


@pytest.fixture
def pair(places):
    lait, dfe = indicator("LAC", "lait"), indicator("dfe:cla_rate_31_march", "cla")
    periods = {
        y: Period.objects.create(label=str(y), kind="year", start_year=y, end_year=y, sort_key=y * 100)
        for y in YEARS
    }
    others = {places.islington: 70.0, places.leeds: 40.0, places.bradford: 45.0}
    rows = []
    for source, years in ((lait, YEARS[:-1]), (dfe, YEARS)):
        for y in years:
            cells = {places.camden: CAMDEN[y], **others}
            for authority, value in cells.items():
                status = ""
                if source == lait and authority == places.islington and y == 2022:
                    value, status = None, "-"  # LAIT suppressed it; DfE's file has a number
                rows.append(
                    Value(
                        indicator=source,
                        period=periods[y],
                        area_type="la",
                        authority=authority,
                        value=value,
                        status=status,
                    )
                )
            rows.append(
                Value(indicator=source, period=periods[y], area_type="england", value=60.0 + y - 2019)
            )
            rows.append(
                Value(
                    indicator=source, period=periods[y], area_type="region", region=places.london, value=55.0
                )
            )
    Value.objects.bulk_create(rows)
    compute_comparisons()
    return {"lait": lait, "dfe": dfe}


def test_laits_years_then_dfes_year_each_with_its_source(pair, places):
    points = area_series(pair["lait"], authority_id=places.camden.id)
    assert [(p.period, p.value, p.source) for p in points] == [
        *((str(y), CAMDEN[y], series.LAIT) for y in range(2019, 2024)),
        ("2024", CAMDEN[2024], series.DFE),
    ]
    england = area_series(pair["lait"], area_type=AreaType.ENGLAND)
    assert [(p.end_year, p.source) for p in england][-2:] == [(2023, series.LAIT), (2024, series.DFE)]
    london = area_series(pair["lait"], area_type=AreaType.REGION, region_id=places.london.id)
    assert len(london) == 6 and london[-1].source == series.DFE


def test_a_suppressed_lait_cell_stays_suppressed(client, pair, places):
    # LAIT publishes 2022 with Islington's cell suppressed: DfE's number must not undo the suppression.
    points = {p.end_year: p for p in area_series(pair["lait"], authority_id=places.islington.id)}
    assert (points[2022].value, points[2022].status, points[2022].source) == (None, "-", series.LAIT)
    rows = series_rows(page(client.get(url(places.islington, pair["lait"]))))
    assert rows["2022"][0].startswith("-") and rows["2022"][-1] == "LAIT"


def test_the_page_names_the_source_of_each_period(client, pair, places, django_assert_num_queries):
    with django_assert_num_queries(7):  # the page's six reads and its DfE twin
        response = client.get(url(places.camden, pair["lait"]))
    document = page(response)
    heads = document.one("div", id="series").find_all("th", scope="col")
    assert heads[-1].text == "Source"
    rows = series_rows(document)
    assert list(rows) == [str(y) for y in YEARS]
    assert rows["2023"][0] == "54.0" and rows["2023"][-1] == "LAIT"
    assert rows["2024"][0] == "55.0" and rows["2024"][-1] == "DfE statistics"
    assert "2019 to 2023 from LAIT; 2024 from DfE statistics" in document.one("p", id="sources").text
    assert "55.0 in 2024" in document.one("dl", id="summary").text  # the latest figure is DfE's year
    # The neighbours' bars in 2024 read DfE's figures too.
    assert "70.0" in document.one("table", id="neighbour-table").text
    download = client.get(url(places.camden, pair["lait"], "table.csv"))
    cells = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [(r["time_period"], r["source"]) for r in cells][-2:] == [
        ("2023", "LAIT"),
        ("2024", "DfE statistics"),
    ]


def test_the_dfe_page_is_read_alone(client, pair, places):
    document = page(client.get(url(places.camden, pair["dfe"])))
    assert document.find("p", id="sources") is None
    assert len(series_rows(document)) == 6
    assert [p.source for p in area_series(pair["dfe"], authority_id=places.camden.id)] == [series.DFE] * 6


def test_the_profiles_headline_row_takes_dfes_year_and_names_it(client, pair, places):
    # The real headline set pairs "lac" with its stand-in "dfe-cla-rate-31-march".
    document = page(client.get(f"/authorities/{places.camden.code}/profile/"))
    [table] = document.find_all("table", class_="app-headline-table")
    [row] = table.find_all("tr")[1:]
    assert "2024 (from DfE statistics)" in row.find("th").text
    assert row.find("td").text == "55.0"
    assert row.find("a").attrs["href"] == url(places.camden, pair["lait"])  # the stitched page


def test_a_paired_page_leaves_the_cache_when_any_indicator_is_imported(client, pair, places, page_cache):
    # Its DfE twin's import (which bumps the bank's release and the twin's own) changes the page.
    from django.core.cache import cache

    from slihub.places import releases
    from slihub.places.page_cache import HEADER

    path = url(places.camden, pair["lait"])
    assert client.get(path)[HEADER] == "miss"
    assert client.get(path)[HEADER] == "hit"
    releases.bump(releases.INDICATORS, releases.indicator(pair["dfe"].slug))
    cache.delete(releases.CACHE_PREFIX + releases.INDICATORS)  # as on commit
    assert client.get(path)[HEADER] == "miss"
