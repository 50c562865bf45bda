"""The forecast API routes: public, read from the stored forecasts, {"detail": ...} for an unknown council."""

import pytest

from slihub.forecast import refresh
from slihub.forecast.models import StoredBacktest, StoredForecast
from tests.integration.test_forecast_pages import SIMULATIONS, published  # noqa: F401 (a fixture)


@pytest.fixture
def stored(published):  # noqa: F811
    refresh.refresh_forecasts(simulations=SIMULATIONS)
    return published


def test_englands_forecast_gives_five_years_with_both_intervals(client, stored):
    data = client.get("/api/v1/forecasts/england").json()
    assert data["area"] == {"code": "england", "ons_code": "E92000001", "name": "England"}
    assert data["latest_year"] == 2025 and data["simulations"] == SIMULATIONS and data["note"] == ""
    assert [h["year"] for h in data["horizons"]] == [2026, 2027, 2028, 2029, 2030]
    stored_rows = StoredForecast.objects.filter(authority=None).order_by("horizon")
    for h, row in zip(data["horizons"], stored_rows, strict=True):
        assert h["median"] == round(row.median, 1)
        assert h["interval_50"] == [round(row.p25, 1), round(row.p75, 1)]
        assert h["interval_80"] == [round(row.p10, 1), round(row.p90, 1)]
    assert data["published"][-1]["year"] == 2025 and set(data["rates"]) >= {
        "starts_per_10000",
        "ceases_share",
    }


@pytest.mark.parametrize("code", ["202", "E09000007", "e09000007"])
def test_a_council_is_found_by_its_dfe_or_ons_code(client, stored, code):
    response = client.get(f"/api/v1/forecasts/{code}")
    assert response.status_code == 200
    data = response.json()
    assert data["area"] == {"code": "202", "ons_code": "E09000007", "name": "Camden"}
    assert len(data["horizons"]) == 5


def test_an_unknown_council_is_404_with_a_reason(client, stored):
    response = client.get("/api/v1/forecasts/999")
    assert response.status_code == 404
    assert "No council has the code '999'" in response.json()["detail"]


def test_a_council_with_too_few_years_has_no_horizons_and_says_why(client, stored):
    data = client.get("/api/v1/forecasts/206").json()
    assert data["horizons"] == [] and "Too few published years" in data["note"]
    assert [p["year"] for p in data["published"]] == [2023, 2024, 2025]


def test_before_forecasts_are_worked_out_the_routes_say_so(client, published):  # noqa: F811
    for url in ("/api/v1/forecasts/england", "/api/v1/forecasts/202"):
        data = client.get(url).json()
        assert data["horizons"] == [] and "slihub forecast refresh" in data["note"]
    data = client.get("/api/v1/forecasts/backtest").json()
    assert data["england"] is None and data["councils"] == [] and "slihub forecast refresh" in data["note"]


def test_the_backtest_gives_errors_by_horizon_nationally_and_per_council(client, stored):
    data = client.get("/api/v1/forecasts/backtest").json()
    results = StoredBacktest.objects.get().results
    assert data["origins"] == list(range(2019, 2025))
    assert [h["horizon"] for h in data["england"]["by_horizon"]] == [1, 2, 3]
    first = data["england"]["by_horizon"][0]
    assert set(first) == {"horizon", "outcomes", "model", "naive", "trend"}
    assert first["model"] == results["england"]["by_horizon"]["1"]["model"]
    assert [c["code"] for c in data["councils"]] == ["202", "383"]
    assert data["councils_beaten"][0] == {"horizon": 1, **results["councils_beaten"]["1"]}
    assert 0 <= data["councils_pooled"]["coverage_80"] <= 1


@pytest.mark.parametrize("persona", ["anonymous", "camden_analyst", "national_admin"])
def test_the_routes_are_public(as_persona, stored, persona):
    client = as_persona(persona)
    for url in ("/api/v1/forecasts/england", "/api/v1/forecasts/383", "/api/v1/forecasts/backtest"):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("code", ["%00", "x" * 101, "%E2%80%8B", "..", "202%20OR%201=1"])
def test_odd_codes_are_refused_without_a_server_error(client, stored, code):
    response = client.get(f"/api/v1/forecasts/{code}")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()
