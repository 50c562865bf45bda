"""The forecast pages on a small world of published figures (England, Camden and Leeds 2016 to 2025,
Islington 2023 to 2025 only), with the forecasts worked out and stored as `slihub forecast refresh` does."""

import csv
import importlib
import io
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from slihub.audit.registry import EXCLUDED_MODELS
from slihub.forecast import refresh, services
from slihub.forecast.models import ForecastBasis, StoredBacktest, StoredForecast
from slihub.indicators.models import Value
from tests.integration.html import page
from tests.integration.test_forecast_command import YEARS, add_area

SIMULATIONS = 200


@pytest.fixture
def published(places):
    rows: list = []
    add_area(rows, YEARS, 1, 80_000, 12_000_000, area_type="england")
    add_area(rows, YEARS, 2, 200, 36_000, area_type="la", authority=places.camden)
    add_area(rows, YEARS, 3, 1_300, 170_000, area_type="la", authority=places.leeds)
    add_area(rows, range(2023, 2026), 4, 300, 50_000, area_type="la", authority=places.islington)
    Value.objects.bulk_create(rows)
    return places


@pytest.fixture
def stored(published):
    refresh.refresh_forecasts(simulations=SIMULATIONS)
    return published


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def forecast_table(document) -> dict[int, list[str]]:
    """The forecast table's rows by year: published, middle, 50% range, 80% range."""
    table = document.one(id="forecast-table").one("table")
    rows = {}
    for row in table.one("tbody").find_all("tr"):
        rows[int(row.one("th").text)] = [cell.text for cell in row.find_all("td")]
    return rows


# --------------------------------------------------------------------------------------------------
# Working the forecasts out


def test_refresh_stores_every_area_with_five_years_and_the_backtest(published):
    done = refresh.refresh_forecasts(simulations=SIMULATIONS)
    assert done.areas == 3 and done.without == 1 and done.backtest  # England, Camden, Leeds; not Islington
    assert StoredForecast.objects.filter(authority=None).count() == 5
    camden = list(StoredForecast.objects.filter(authority=published.camden).order_by("horizon"))
    assert [f.year for f in camden] == [2026, 2027, 2028, 2029, 2030]
    assert all(0 <= f.p10 <= f.p25 <= f.median <= f.p75 <= f.p90 for f in camden)
    islington = ForecastBasis.objects.get(authority=published.islington)
    assert "Too few published years" in islington.note
    assert not StoredForecast.objects.filter(authority=published.islington).exists()
    assert StoredBacktest.objects.get().results["councils_beaten"]


def test_a_stored_forecast_equals_what_the_command_prints(published):
    refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    printed = services.forecast("202", simulations=SIMULATIONS)
    stored = StoredForecast.objects.filter(authority=published.camden).order_by("horizon")
    assert [round(s.median, 6) for s in stored] == [round(h["median"], 6) for h in printed["horizons"]]
    assert [[round(s.p10, 6), round(s.p90, 6)] for s in stored] == [
        [round(v, 6) for v in h["interval_80"]] for h in printed["horizons"]
    ]


def test_refreshing_twice_leaves_the_same_rows(published):
    refresh.refresh_forecasts(simulations=SIMULATIONS)
    first = list(StoredForecast.objects.order_by("authority", "horizon").values_list("median", "p10", "p90"))
    refresh.refresh_forecasts(simulations=SIMULATIONS)
    again = list(StoredForecast.objects.order_by("authority", "horizon").values_list("median", "p10", "p90"))
    assert first == again and ForecastBasis.objects.count() == 4 and StoredBacktest.objects.count() == 1


def test_refresh_with_no_published_figures_clears_what_was_stored(stored):
    Value.objects.all().delete()
    done = refresh.refresh_forecasts(simulations=SIMULATIONS)
    assert (done.areas, done.without, done.backtest) == (0, 0, False)
    assert not StoredForecast.objects.exists() and not ForecastBasis.objects.exists()
    assert not StoredBacktest.objects.exists()


def test_the_refresh_command_says_what_it_stored(published):
    out = StringIO()
    call_command("forecast", "refresh", "--simulations", "200", stdout=out)
    assert "England and 2 councils" in out.getvalue() and "1 councils have too few" in out.getvalue()
    out = StringIO()
    call_command("forecast", "refresh", "--simulations", "200", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert {k: printed[k] for k in ("areas", "without", "backtest")} == {
        "areas": 3,
        "without": 1,
        "backtest": True,
    }


def test_loading_public_data_works_the_forecasts_out_and_they_are_not_audited_row_by_row():
    load = importlib.import_module("slihub.web.management.commands.load-public-data")
    assert refresh.compute_forecasts in load.DERIVED.values()
    for name in ("forecast.StoredForecast", "forecast.ForecastBasis", "forecast.StoredBacktest"):
        assert name in EXCLUDED_MODELS


# --------------------------------------------------------------------------------------------------
# Pages


def test_before_forecasts_are_worked_out_the_pages_say_so_and_only_national_admins_how(published, as_persona):
    urls = (
        reverse("forecast-home"),
        reverse("forecast-authority", args=["202"]),
        reverse("forecast-backtest"),
    )
    for persona, told in (("anonymous", False), ("camden_analyst", False), ("national_admin", True)):
        client = as_persona(persona)
        for url in urls:
            text = page(client.get(url)).one(id="not-yet").text
            assert (
                "Forecasts have not been worked out yet" in text and "time the public data is loaded" in text
            )
            assert ("slihub forecast refresh" in text) == told, (persona, url)
        client.logout()


def test_a_councils_table_holds_its_history_and_the_stored_forecast(client, stored):
    response = client.get(reverse("forecast-authority", args=["202"]))
    assert response.status_code == 200
    document = page(response)
    rows = forecast_table(document)
    assert list(rows) == list(range(2016, 2031))
    published = ForecastBasis.objects.get(authority=stored.camden).published
    assert [rows[p["year"]][0] for p in published] == [f"{p['looked_after']:,}" for p in published]
    for f in StoredForecast.objects.filter(authority=stored.camden):
        assert rows[f.year][1:] == [
            f"{round(f.median):,}",
            f"{round(f.p25):,} to {round(f.p75):,}",
            f"{round(f.p10):,} to {round(f.p90):,}",
        ]


def test_the_chart_states_the_tables_numbers(client, stored):
    document = page(client.get(reverse("forecast-authority", args=["202"])))
    svg = document.one(id="chart").one("svg")
    assert svg.attrs["role"] == "img"
    title, desc = svg.one("title").text, svg.one("desc").text
    assert "Camden" in title and "Children looked after at 31 March" in desc
    rows = forecast_table(document)
    for year in range(2026, 2031):
        middle, r50, r80 = rows[year][1:]
        assert f"{year}: forecast {middle} (50% range {r50}, 80% range {r80})." in desc
    first, last = min(y for y in rows if rows[y][0]), max(y for y in rows if rows[y][0])
    assert f"{rows[first][0]} at 31 March {first}" in desc and f"{rows[last][0]} at 31 March {last}" in desc
    # One dot per published year; the axes' units and the key are written on the chart.
    texts = [t.text for t in svg.find_all("text")]
    assert len(svg.find_all("circle")) == len([y for y in rows if rows[y][0]])
    assert "Children looked after at 31 March" in texts and "Year (at 31 March)" in texts
    assert {"Published count", "Forecast (middle)", "50% range", "80% range"} <= set(texts)


def test_a_councils_page_says_what_it_is_built_from_and_how_accurate_it_has_been(client, stored):
    document = page(client.get(reverse("forecast-authority", args=["202"])))
    text = document.text
    assert "Department for Education" in text and "Office for National Statistics" in text
    assert "The latest data is for the year to 31 March 2025" in text
    results = StoredBacktest.objects.get().results
    pooled = results["councils_pooled"]["by_horizon"]["1"]
    assert f"{pooled['model']:.1f}%" in text and f"{pooled['naive']:.1f}%" in text
    assert f"{results['councils_pooled']['coverage_80']:.0%} of the numbers later published" in text
    assert document.one(id="headline").text.startswith(f"{numbers(forecast_table(document)[2025][0])[0]:,}")


def test_a_council_with_too_few_years_shows_its_published_figures_and_why(client, stored):
    document = page(client.get(reverse("forecast-authority", args=["206"])))
    assert "Too few published years" in document.one(id="no-forecast").text
    assert list(forecast_table(document)) == [2023, 2024, 2025]


def test_an_ons_code_leads_to_the_dfe_code_page_and_an_unknown_council_is_not_found(client, stored):
    response = client.get(reverse("forecast-authority", args=["E08000035"]))
    assert response.status_code == 302 and response["Location"] == reverse("forecast-authority", args=["383"])
    assert client.get(reverse("forecast-authority", args=["999"])).status_code == 404
    assert client.get(reverse("forecast-authority-csv", args=["999"])).status_code == 404
    assert client.get(reverse("forecast-authority", args=["england"]))["Location"] == reverse("forecast-home")


def test_the_national_page_shows_england_and_every_council_at_one_three_and_five_years(client, stored):
    document = page(client.get(reverse("forecast-home")))
    rows = forecast_table(document)
    england = StoredForecast.objects.filter(authority=None).order_by("horizon")
    assert [rows[f.year][1] for f in england] == [f"{round(f.median):,}" for f in england]
    table = document.one(id="councils-table")
    headers = [th.text for th in table.one("thead").find_all("th")]
    assert headers[2:] == [
        "Forecast for 2026", "2026: 80% range", "Forecast for 2028", "2028: 80% range",
        "Forecast for 2030", "2030: 80% range",
    ]  # fmt: skip
    body = {
        row.one("th").text: [td.text for td in row.find_all("td")]
        for row in table.one("tbody").find_all("tr")
    }
    assert list(body) == ["Camden", "Islington", "Leeds"]
    leeds = {f.horizon: f for f in StoredForecast.objects.filter(authority=stored.leeds)}
    assert body["Leeds"][1:] == [
        cell
        for h in (1, 3, 5)
        for cell in (f"{round(leeds[h].median):,}", f"{round(leeds[h].p10):,} to {round(leeds[h].p90):,}")
    ]
    assert body["Islington"][1] == "No forecast"
    link = table.one("tbody").find("a")
    assert link.attrs["href"] == reverse("forecast-authority", args=["202"])


def test_the_backtest_page_gives_errors_by_horizon_against_both_references(client, stored):
    document = page(client.get(reverse("forecast-backtest")))
    results = StoredBacktest.objects.get().results
    text = document.text
    for summary in (results["england"], results["councils_pooled"]):
        for m in summary["by_horizon"].values():
            assert (
                f"{m['model']:.1f}%" in text and f"{m['naive']:.1f}%" in text and f"{m['trend']:.1f}%" in text
            )
    by_council = document.one(id="by-council-table")
    names = [row.one("th").text for row in by_council.one("tbody").find_all("tr")]
    assert names == ["Camden", "Leeds"]
    beaten = [[td.text for td in row.find_all("td")] for row in document.one(id="beaten").find_all("tr")[1:]]
    assert beaten[0][0] == "2"


def test_the_csv_is_the_pages_table(client, stored):
    document = page(client.get(reverse("forecast-authority", args=["383"])))
    rows = forecast_table(document)
    response = client.get(reverse("forecast-authority-csv", args=["383"]))
    assert response["Content-Type"].startswith("text/csv")
    records = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(r["year"]) for r in records] == list(rows)
    for r in records:
        shown = rows[int(r["year"])]
        if r["published_looked_after"]:
            assert f"{int(r['published_looked_after']):,}" == shown[0]
        else:
            assert f"{int(r['forecast_middle']):,}" == shown[1]
            assert f"{int(r['forecast_80_low']):,} to {int(r['forecast_80_high']):,}" == shown[3]
    england = client.get(reverse("forecast-england-csv"))
    assert england.status_code == 200 and b"england,England,2030" in england.content


def test_a_councils_page_reads_few_queries_whatever_the_councils(
    client, stored, django_assert_max_num_queries
):
    # two more than the forecast alone: the stored cost, and whether any cost is stored (forecast-spend)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("forecast-authority", args=["202"])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("forecast-home")).status_code == 200


def test_the_pages_are_public_and_cached_for_signed_out_visitors(
    client, stored, settings, as_persona, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    url = reverse("forecast-authority", args=["202"])
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):  # a refresh renders the page afresh
        refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    assert client.get(url)["X-Page-Cache"] == "miss"
    signed_in = as_persona("camden_analyst")
    assert signed_in.get(url).status_code == 200
