"""The progress map page and its downloads, on a small bank made here (the catalogue: test_catalogue.py)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from slihub.indicators import slugs
from slihub.indicators.models import Comparison, Value
from tests.integration.html import page, table_rows
from tests.integration.indicator_fixtures import build_bank

CURRENT = {"Camden", "Islington", "Leeds", "Bradford", "North Yorkshire", "Cumberland"}


@pytest.fixture
def bank(places):
    return build_bank(places)


def map_url(indicator, **query):
    from urllib.parse import urlencode

    return indicator.get_absolute_url() + (f"?{urlencode(query)}" if query else "")


def test_slugs_are_url_safe_stable_and_collision_free():
    assert slugs.base_slug("No_of LAC Adopted") == "no-of-lac-adopted"
    assert slugs.base_slug("%_3&4yr_olds") == "pct-3-and-4yr-olds"
    assert slugs.base_slug("dfe:cla_rate_31_march") == "dfe-cla-rate-31-march"
    made = slugs.slugs_for(["a b", "a_b", "c"])
    assert made["c"] == "c"
    assert made["a b"] != made["a_b"] and made["a b"].startswith("a-b-")
    assert slugs.slugs_for(["a_b", "c", "a b"]) == made  # order never matters
    assert slugs.slugs_for(["c"], taken=["c"])["c"] != "c"


def test_the_map_shows_every_authority_with_markers_bands_and_links(
    client, bank, django_assert_max_num_queries
):
    client.get(map_url(bank["rate"]))  # builds the cached map geometry
    # The indicator, its periods, the authorities, the comparisons, the boundary file's version.
    with django_assert_max_num_queries(5):
        response = client.get(map_url(bank["rate"]))
    document = page(response)
    assert "2024" in document.one("h1").text or "2024" in document.text  # latest period by default
    table = document.one("div", id="table").one("table")
    rows = {row[0]: row for row in table_rows(table)}
    assert set(rows) == CURRENT  # Cumbria is former: not on the map
    assert rows["Camden"][2] == "62.0" and rows["Camden"][3] == "1 of 4" and rows["Camden"][4].startswith("A")
    assert rows["Islington"][2] == "c"  # the marker, never a zero
    assert rows["North Yorkshire"][2] == "30.2" or rows["North Yorkshire"][2] == "30.3"
    assert rows["Cumberland"][2] == "No data published"
    assert rows["Camden"][6] == "+2.0"
    headers = [th.attrs["aria-sort"] for th in table.find_all("th")]
    assert headers[0] == "ascending" and set(headers[1:]) == {"none"}
    # The map: every current authority an area with a title, linking to its page of this indicator.
    svg = document.one("svg", class_="app-map")
    links = svg.find_all("a", class_="app-map__link")
    slug = bank["rate"].slug
    assert {a.attrs["href"] for a in links} == {
        f"/authorities/{c}/indicators/{slug}/" for c in ["202", "206", "383", "380", "815", "942"]
    }
    titles = {a.attrs["aria-label"] for a in links}
    assert "Camden: 62.0 (Rate per 10,000), A: best quarter" in titles
    assert "Islington: c (suppressed to protect confidentiality)" in titles
    assert "Cumberland: no data published" in titles
    fills = {p.find("title").text.split(":")[0]: p.attrs["fill"] for p in svg.find_all("path")}
    assert fills["Camden"] == "#225ea8" and fills["Islington"] == "url(#indicator-map-hatch)"
    legend = document.one("ul", class_="app-legend").text
    assert "A: best quarter" in legend and "D: worst quarter" in legend
    assert "c: suppressed to protect confidentiality (1)" in legend and "No data published (1)" in legend
    # England and the region.
    summary = {
        row.find("th").text: row.find("td").text
        for row in document.find_all("tr")
        if row.find("th", scope="row")
    }
    assert summary["England"] == "48.0" and summary["London"] == "58.5"


def test_an_indicator_without_polarity_uses_value_quartiles_without_better_or_worse(client, bank):
    document = page(client.get(map_url(bank["share"])))
    legend = document.one("ul", class_="app-legend").text
    assert "Highest quarter" in legend and "best" not in legend and "worst" not in legend
    rows = {row[0]: row for row in table_rows(document.one("div", id="table").one("table"))}
    # The colour is the quarter of the values; the band column says what the profile says.
    assert rows["Leeds"][2] == "95%" and rows["Leeds"][4] == "No band"


def test_the_period_selector_and_unknown_periods(client, bank):
    document = page(client.get(map_url(bank["rate"], period="2023")))
    selected = [o for o in document.one("select", id="period").find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in selected] == ["2023"]
    rows = {row[0]: row for row in table_rows(document.one("div", id="table").one("table"))}
    assert rows["Islington"][2] == "55.0"
    assert client.get(map_url(bank["rate"], period="1999")).status_code == 404
    assert client.get("/indicators/no-such-indicator/").status_code == 404


@pytest.mark.parametrize(
    ("sort", "order", "first", "last"),
    [
        ("value", "desc", "Camden", "Islington"),
        ("value", "asc", "North Yorkshire", "Islington"),  # missing values always last, by name
        ("rank", "asc", "Camden", "Islington"),
        ("name", "desc", "North Yorkshire", "Bradford"),
        ("band", "asc", "Camden", "Islington"),
    ],
)
def test_the_table_sorts_on_the_server(client, bank, sort, order, first, last):
    document = page(client.get(map_url(bank["rate"], sort=sort, order=order)))
    table = document.one("div", id="table").one("table")
    names = [row[0] for row in table_rows(table)]
    assert (names[0], names[-1]) == (first, last)
    active = [th for th in table.find_all("th") if th.attrs["aria-sort"] != "none"]
    assert len(active) == 1 and active[0].attrs["aria-sort"] == (
        "descending" if order == "desc" else "ascending"
    )


def test_bad_sort_parameters_fall_back_to_names(client, bank):
    response = client.get(map_url(bank["rate"], sort="'; drop", order="sideways"))
    names = [row[0] for row in table_rows(page(response).one("div", id="table").one("table"))]
    assert names == sorted(CURRENT)


def comparisons_2024(bank):
    return {
        c.authority.code: c
        for c in Comparison.objects.filter(indicator=bank["rate"], period=bank["2024"]).select_related(
            "authority"
        )
    }


def test_the_csv_download_matches_the_database(client, bank):
    response = client.get(f"/indicators/{bank['rate'].slug}/table.csv", {"period": "2024"})
    assert response["Content-Type"].startswith("text/csv")
    assert "no-of-lac-adopted_2024.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["la_name"] for row in rows} == CURRENT
    stored = comparisons_2024(bank)
    for row in rows:
        comparison = stored.get(row["old_la_code"])
        if comparison is None:
            assert row["value"] == "" and row["rank"] == ""
            continue
        if comparison.value is None:
            assert row["value"] == comparison.status == "c"
        else:
            assert float(row["value"]) == comparison.value
        assert row["rank"] == ("" if comparison.rank is None else str(comparison.rank))
        assert row["band"] == comparison.quartile
        assert (float(row["neighbours_average_2025"]) if row["neighbours_average_2025"] else None) == (
            comparison.neighbours_2025
        )
    assert next(r for r in rows if r["old_la_code"] == "383")["value"] == "50.5"


def test_the_excel_download_matches_the_database(client, bank):
    response = client.get(f"/indicators/{bank['rate'].slug}/table.xlsx", {"period": "2024"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = list(book["Authorities"].iter_rows(values_only=True))
    header, body = sheet[0], sheet[1:]
    rows = [dict(zip(header, row, strict=True)) for row in body]
    assert len(rows) == len(CURRENT)
    stored = comparisons_2024(bank)
    for row in rows:
        comparison = stored.get(row["old_la_code"])
        if comparison is None:
            continue
        expected = comparison.status if comparison.value is None else comparison.value
        assert row["value"] == expected  # numbers as numbers, the marker as text
        assert row["rank"] == comparison.rank
    islington = next(r for r in rows if r["old_la_code"] == "206")
    assert islington["value"] == "c" and islington["rank"] is None


def test_the_tidy_export_has_dfe_columns_and_every_period(client, bank):
    response = client.get(f"/indicators/{bank['rate'].slug}/tidy.csv")
    reader = csv.reader(io.StringIO(response.content.decode()))
    header = next(reader)
    assert header == [
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
        "No_of_LAC_Adopted",
    ]
    rows = [dict(zip(header, row, strict=True)) for row in reader]
    assert len(rows) == Value.objects.filter(indicator=bank["rate"]).count()
    assert {r["time_period"] for r in rows} == {"2023", "2024"}
    assert rows[0]["geographic_level"] == "National" and rows[0]["No_of_LAC_Adopted"] == "48"
    camden = next(r for r in rows if r["old_la_code"] == "202" and r["time_period"] == "2024")
    assert camden | {} == {
        **camden,
        "time_identifier": "Reporting year",
        "geographic_level": "Local authority",
        "region_code": "E12000007",
        "new_la_code": "E09000007",
        "la_name": "Camden",
        "No_of_LAC_Adopted": "62",
    }
    islington = next(r for r in rows if r["old_la_code"] == "206" and r["time_period"] == "2024")
    assert islington["No_of_LAC_Adopted"] == "c"
    assert any(r["old_la_code"] == "909" for r in rows)  # Cumbria's own series is kept


def test_the_pages_query_counts_are_bounded(client, bank, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(f"/indicators/{bank['rate'].slug}/table.csv")
    with django_assert_max_num_queries(2):
        client.get(f"/indicators/{bank['rate'].slug}/tidy.csv")


def test_indicators_are_in_the_service_navigation(client, bank):
    document = page(client.get("/indicators/"))
    current = document.find("a", **{"aria-current": "page"})
    assert current is not None and current.text == "Indicators"
