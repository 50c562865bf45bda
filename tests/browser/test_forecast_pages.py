"""The forecast pages in a browser: England's page with every council, a council's page with its chart
and table, the backtest, and a council's CSV; axe on every page, reflow at 320 pixels, and the
Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow, sign_in

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


@pytest.fixture
def costs_stored(reference_data, tmp_path, settings):
    """As `forecasts`, with a small RO3 workbook, so that the refresh stores unit costs and spending."""
    from slihub.forecast import refresh
    from slihub.indicators.models import Value
    from slihub.places.models import Authority
    from tests.integration.test_forecast_command import YEARS, add_area
    from tests.integration.test_forecast_costs import ro3_rows, write_ods

    settings.DATA_DIR = str(tmp_path)
    write_ods(tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_202425", ro3_rows())
    rows: list = []
    add_area(rows, YEARS, 1, 80_000, 12_000_000, area_type="england")
    add_area(rows, YEARS, 2, 200, 36_000, area_type="la", authority=Authority.objects.get(code="202"))
    Value.objects.bulk_create(rows)
    refresh.refresh_forecasts(simulations=200, backtest=False)


def test_a_council_admin_sees_the_cost_sets_inflation_and_enters_a_budget(
    page, site, axe, costs_stored, camden_admin
):
    page.goto(f"{site}/forecast/")
    expect(page.locator("#reference-points")).to_contain_text("Local Government Association")
    check_accessibility(axe, page)
    check_reflow(page)

    sign_in(page, site, "camden.admin")
    page.goto(f"{site}/forecast/202/")
    expect(page.locator("#unit-cost")).to_contain_text("a year")
    expect(page.locator("#cost-source")).to_contain_text("row 9, column Q")
    expect(page.locator("#spend-table")).to_contain_text("at 2024-25 prices")
    expect(page.locator("#spend-chart svg[role=img]")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_label("Yearly rise in the cost of a child in care, in per cent").fill("3")
    page.get_by_role("button", name="Show spending").click()
    expect(page.locator("#spend-table")).to_contain_text("rising 3% a year")

    page.get_by_role("link", name="Enter or change the budget").click()
    expect(page.locator("h1")).to_have_text("Budget for children looked after")
    check_accessibility(axe, page)
    page.get_by_label("Budget for 2025-26 (April 2025 to March 2026)").fill("lots")
    page.get_by_role("button", name="Save budget").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is not one")
    check_accessibility(axe, page)
    page.get_by_label("Budget for 2025-26 (April 2025 to March 2026)").fill("30m")
    page.get_by_role("button", name="Save budget").click()
    expect(page.locator("#spend-table")).to_contain_text("£30.0m")
    expect(page.locator("#spend-table")).to_contain_text("Gap")
    check_accessibility(axe, page)
