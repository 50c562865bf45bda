"""What the forecast would cost: unit costs and projected spending stored by the refresh (equal to
`costs.projection` for the same seed), the inflation setting, and the pages that show them with their
sources, on the small world and RO3 workbook of test_forecast_costs."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from slihub.forecast import costs, references, refresh
from slihub.forecast.models import ForecastBasis, StoredCost, StoredForecast
from slihub.forecast.spend_pages import inflation_words, parse_inflation, with_inflation
from tests.integration.html import page
from tests.integration.test_forecast_costs import data_dir, world  # noqa: F401 - fixtures

SIMULATIONS = 200
pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(world):  # noqa: F811
    refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    return world


def test_it_stores_costs_equal_to_the_projection_for_the_same_seed(stored):
    for code, authority in (("202", stored.camden), (None, None)):
        projected = costs.projection(code, simulations=SIMULATIONS)
        row = StoredCost.objects.get(authority=authority)
        assert row.unit_cost == pytest.approx(projected["unit_cost"]["unit_cost"])
        assert row.year == "2024-25" and row.year_end == 2025
        assert [y["year"] for y in row.years] == [y["year"] for y in projected["years"]]
        assert [y["median"] for y in row.years] == pytest.approx([y["median"] for y in projected["years"]])
        assert [v for y in row.years for v in (y["p10"], y["p90"])] == pytest.approx(
            [v for y in projected["years"] for v in y["interval_80"]]
        )
        assert row.source["place"] == projected["unit_cost"]["source"]["place"]


def test_it_stores_a_unit_cost_without_projection_and_says_why(stored):
    islington = StoredCost.objects.get(authority=stored.islington)
    assert islington.unit_cost == pytest.approx(41_000_000 / 305)  # section 251, the RO3 return was [x]
    assert "section 251" in islington.source["name"]
    if not StoredForecast.objects.filter(authority=stored.islington).exists():
        assert islington.years == [] and islington.note


def test_without_the_workbook_refresh_stores_forecasts_and_says_costs_are_missing(stored, data_dir):  # noqa: F811
    (data_dir / "RO3_LA_Data_2024-25_data_by_LA.ods").unlink()
    done = refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    assert done.areas >= 2 and ForecastBasis.objects.exists()
    assert not StoredCost.objects.exists()
    assert "RO3" in done.costs_missing


def test_the_refresh_command_says_what_costs_it_stored_or_why_none(world, data_dir):  # noqa: F811
    out = StringIO()
    call_command("forecast", "refresh", "--simulations", "200", stdout=out)
    assert "Stored the unit cost and projected spending of 4 areas." in out.getvalue()  # England and 3
    (data_dir / "RO3_LA_Data_2024-25_data_by_LA.ods").unlink()
    out = StringIO()
    call_command("forecast", "refresh", "--simulations", "200", stdout=out)
    assert "Stored the forecasts of England" in out.getvalue()
    assert "No costs were stored:" in out.getvalue() and "RO3" in out.getvalue()


def test_the_refresh_is_idempotent_for_costs(stored):
    first = list(StoredCost.objects.order_by("authority").values_list("unit_cost", "years"))
    refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    assert list(StoredCost.objects.order_by("authority").values_list("unit_cost", "years")) == first


# ---------------------------------------------------------------------------------------------------
# Inflation


def test_inflation_multiplies_by_a_yearly_compound_factor_from_the_outturn_year():
    years = [
        {"year": "2025-26", "year_end": 2026, "median": 100.0, "p10": 90.0, "p90": 110.0},
        {"year": "2027-28", "year_end": 2028, "median": 200.0, "p10": 180.0, "p90": 220.0},
    ]
    out = with_inflation(years, 2025, 0.03)
    assert out[0]["median"] == pytest.approx(100 * 1.03)
    assert out[1]["p10"] == pytest.approx(180 * 1.03**3)
    assert with_inflation(years, 2025, 0.0)[1]["median"] == 200.0
    assert with_inflation(years, 2025, -0.1)[0]["p90"] == pytest.approx(110 * 0.9)


@pytest.mark.parametrize(
    "given, rate, error",
    [
        ("", 0.0, ""),
        ("3", 0.03, ""),
        ("-2.5", -0.025, ""),
        ("50", 0.5, ""),
        ("51", 0.0, "between -50 and 50"),
        ("-50", 0.0, "between -50 and 50"),
        ("three", 0.0, "a number"),
        ("nan", 0.0, "a number"),
    ],
)
def test_the_inflation_setting_is_a_percentage_between_minus_50_and_50(given, rate, error):
    found, message = parse_inflation(given)
    assert found == pytest.approx(rate)
    assert (error in message) if error else message == ""


def test_inflation_is_said_in_words():
    assert inflation_words(0.0, "2024-25") == "at 2024-25 prices"
    assert inflation_words(0.03, "2024-25") == "rising 3% a year from 2024-25 prices"
    assert inflation_words(-0.025, "2024-25") == "falling 2.5% a year from 2024-25 prices"


# ---------------------------------------------------------------------------------------------------
# Pages


def money(text: str) -> list[str]:
    return re.findall(r"£[\d,.]+(?:m|bn)?", text)


def test_a_councils_page_shows_the_unit_cost_with_its_year_and_source(client, stored):
    document = page(client.get("/forecast/202/"))
    section = document.one(id="cost")
    text = section.text
    unit = StoredCost.objects.get(authority=stored.camden)
    assert f"£{round(unit.unit_cost):,}" in text
    assert "2024-25" in text and "RO3" in text and "row 9, column Q" in text
    assert "at 2024-25 prices" in text
    rows = section.one(id="spend-table").one("tbody").find_all("tr")
    assert [r.one("th").text.strip() for r in rows] == [y["year"] for y in unit.years]
    assert f"£{unit.years[0]['median'] / 1e6:,.1f}m" in rows[0].text


def test_a_councils_page_applies_the_inflation_setting(client, stored):
    unit = StoredCost.objects.get(authority=stored.camden)
    document = page(client.get("/forecast/202/?inflation=3"))
    text = document.one(id="cost").text
    assert "rising 3% a year" in text
    last = unit.years[-1]
    expected = last["median"] * 1.03 ** (last["year_end"] - 2025)
    assert f"£{expected / 1e6:,.1f}m" in document.one(id="spend-table").text


def test_a_bad_inflation_setting_is_refused_with_a_reason_and_0_used(client, stored):
    response = client.get("/forecast/202/?inflation=80")
    assert response.status_code == 200
    text = page(response).one(id="cost").text
    assert "between -50 and 50" in text and "at 2024-25 prices" in text


def test_a_councils_page_shows_fostering_and_residential_unit_costs_where_held(client, stored):
    text = page(client.get("/forecast/202/")).one(id="placement-costs").text
    assert "fostering services" in text and "no unit cost" in text.lower()


def test_pages_say_so_when_costs_are_missing(client, stored, data_dir):  # noqa: F811
    (data_dir / "RO3_LA_Data_2024-25_data_by_LA.ods").unlink()
    refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    assert "not been worked out" in page(client.get("/forecast/202/")).one(id="cost").text
    assert "not been worked out" in page(client.get("/forecast/")).one(id="cost").text


def test_the_national_page_shows_englands_spending_and_every_reference_point_with_its_source(client, stored):
    document = page(client.get("/forecast/"))
    text = document.one(id="cost").text
    england = StoredCost.objects.get(authority=None)
    assert f"£{england.years[0]['median'] / 1e9:,.2f}bn" in text
    table = document.one(id="reference-points")
    links = [a.attrs["href"] for a in table.find_all("a")]
    for point in references.POINTS:
        assert point.address in links
        assert point.place in table.text
    assert "gap" in table.text.lower() and "not a total" in document.one(id="cost").text


def test_the_spending_chart_states_the_tables_figures_with_axes_and_units(client, stored):
    chart = page(client.get("/forecast/202/?inflation=3")).one(id="spend-chart").one("svg")
    unit = StoredCost.objects.get(authority=stored.camden)
    text = chart.text
    assert "£ million" in text and "Financial year" in text and "rising 3% a year" in text
    for y in unit.years:
        assert y["year"] in text
        assert f"£{y['median'] * 1.03 ** (y['year_end'] - 2025) / 1e6:,.1f}m" in text


def test_an_inflation_setting_is_rendered_afresh_and_never_fills_the_page_cache(client, stored, settings):
    settings.PAGE_CACHE = True
    assert client.get("/forecast/202/")["X-Page-Cache"] == "miss"
    assert client.get("/forecast/202/")["X-Page-Cache"] == "hit"
    for _ in range(2):
        response = client.get("/forecast/202/?inflation=3")
        assert "X-Page-Cache" not in response and "rising 3% a year" in page(response).one(id="cost").text
