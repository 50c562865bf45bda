"""Scenarios in a browser: Camden's director opens Camden's forecast, saves a scenario that moves 10% of
residential placements to fostering, shares it with the London alliance and reads its cost difference;
London's alliance coordinator then finds it. axe on every page."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def camden_with_costs(reference_data, tmp_path, settings, monkeypatch):
    """Published figures for England and Camden, Camden's placement shares, a small RO3 workbook, and the
    forecasts and costs worked out."""
    from slihub.forecast import refresh, scenario_services
    from slihub.indicators.models import Value
    from slihub.places.models import Authority
    from tests.integration.test_forecast_command import YEARS, add_area
    from tests.integration.test_forecast_costs import add, ro3_rows, write_ods

    settings.DATA_DIR = str(tmp_path)
    write_ods(tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_202425", ro3_rows())
    camden = Authority.objects.get(code="202")
    rows: list = []
    add_area(rows, YEARS, 1, 80_000, 12_000_000, area_type="england")
    add_area(rows, YEARS, 2, 200, 36_000, area_type="la", authority=camden)
    for year, fostering, residential in (("2024", 56, 15), ("2025", 63, 14)):
        add(rows, "LAC_Foster_Placements", year, fostering, area_type="la", authority=camden)
        add(rows, "LAC_SecHome_And_ChildHome", year, residential, area_type="la", authority=camden)
    Value.objects.bulk_create(rows)
    refresh.refresh_forecasts(simulations=200, backtest=False)
    monkeypatch.setattr(scenario_services, "SIMULATIONS", 200)
    return camden


@pytest.fixture
def camden_director(reference_data):
    from slihub.accounts.models import Role
    from tests.browser.conftest import _person

    return _person("camden.director", Role.DIRECTOR, "202")


def test_a_director_saves_and_shares_a_scenario_and_the_alliance_reads_it(
    page, site, axe, camden_with_costs, camden_director, london_coordinator
):
    sign_in(page, site, "camden.director")
    page.goto(f"{site}/forecast/202/")
    expect(page.locator("#scenarios")).to_have_text("Scenarios")
    check_accessibility(axe, page)

    page.get_by_role("link", name="Create a scenario").click()
    expect(page.locator("h1")).to_have_text("Create a scenario")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Save and work out the scenario").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the scenario")
    check_accessibility(axe, page)

    page.get_by_label("Name of the scenario").fill("Foster more")
    page.get_by_label("Percentage of children moved from one placement type to another").fill("10")
    page.get_by_label("Move from").select_option("residential")
    page.get_by_label("Move to").select_option("fostering")
    page.get_by_role("button", name="Save and work out the scenario").click()
    expect(page.locator("h1")).to_have_text("Foster more")
    expect(page.locator("#settings")).to_contain_text("10% of residential placements moved to fostering")
    expect(page.locator("#sharing")).to_contain_text("Not shared")
    expect(page.locator("#spend-table")).to_contain_text("Difference")
    expect(page.locator("#spend-table tbody tr")).to_have_count(5)
    expect(page.locator("#spend-table tbody tr").first.locator("td").nth(4)).to_contain_text("-£")
    check_accessibility(axe, page)

    page.get_by_role("button", name="Share with the London alliance").click()
    expect(page.locator("#sharing")).to_contain_text("Shared with the London alliance")
    check_accessibility(axe, page)

    page.get_by_role("link", name="Change the settings").click()
    expect(page.locator("h1")).to_have_text("Change the scenario")
    expect(page.get_by_label("Name of the scenario")).to_have_value("Foster more")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Delete the scenario").click()
    expect(page.locator("h1")).to_have_text("Delete the scenario 'Foster more'?")
    check_accessibility(axe, page)
    page.get_by_role("link", name="No, keep it").click()
    expect(page.locator("h1")).to_have_text("Foster more")

    page.context.clear_cookies()
    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/forecast/202/")
    page.locator("#scenario-list").get_by_role("link", name="Foster more").click()
    expect(page.locator("h1")).to_have_text("Foster more")
    expect(page.locator("#spend-table")).to_be_visible()
    expect(page.get_by_role("button", name="Stop sharing with the London alliance")).to_have_count(0)
    check_accessibility(axe, page)
