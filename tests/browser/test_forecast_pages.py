"""The forecast pages in a browser: England's page with every council, a council's page with its chart
and table, the backtest, and a council's CSV; axe on every page, reflow at 320 pixels, and the
Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow

pytestmark = pytest.mark.browser


@pytest.fixture
def forecasts(reference_data):
    """Published figures for England, Camden and Leeds from 2016 to 2025, and the forecasts worked out."""
    from slihub.forecast import refresh
    from slihub.indicators.models import Value
    from slihub.places.models import Authority
    from tests.integration.test_forecast_command import YEARS, add_area

    rows: list = []
    add_area(rows, YEARS, 1, 80_000, 12_000_000, area_type="england")
    add_area(rows, YEARS, 2, 200, 36_000, area_type="la", authority=Authority.objects.get(code="202"))
    add_area(rows, YEARS, 3, 1_300, 170_000, area_type="la", authority=Authority.objects.get(code="383"))
    Value.objects.bulk_create(rows)
    refresh.refresh_forecasts(simulations=200)


def test_a_visitor_reads_englands_forecast_then_a_councils(page, site, axe, forecasts):
    page.goto(f"{site}/forecast/")
    expect(page.locator("h1")).to_have_text("Forecasts of children looked after")
    expect(page.locator("#chart svg[role=img]")).to_be_visible()
    expect(page.locator("#forecast-table")).to_contain_text("2030")
    expect(page.locator("#councils-table")).to_contain_text("Leeds")
    check_accessibility(axe, page)
    check_reflow(page)

    page.locator("#councils-table").get_by_role("link", name="Camden").click()
    expect(page.locator("h1")).to_have_text("Forecast of children looked after")
    expect(page.locator(".govuk-caption-l")).to_have_text("Camden")
    chart = page.locator("#chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_contain_text("Camden")
    expect(page.locator("#built-from")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Department for Education")
    expect(page.locator("#accuracy")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table (CSV)").click()
    assert download.value.suggested_filename == "forecast_202.csv"

    page.get_by_role(
        "link", name="How accurate the forecasts have been, nationally and for every council"
    ).click()
    expect(page.locator("#by-council-table")).to_contain_text("Leeds")
    check_accessibility(axe, page)
    check_reflow(page)
