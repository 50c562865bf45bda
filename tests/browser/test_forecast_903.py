"""A council's forecast from its own 903 return in a browser: Camden's council admin follows the link on
Camden's forecast page, uploads a bad pair of files and reads the line-numbered problems, then uploads a
small synthetic return (children invented in tests/ssda903_files.py) and reads its forecast beside the
published one. axe on every page."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, sign_in
from tests.ssda903_files import EPISODES, header_file, returns

pytestmark = pytest.mark.browser


@pytest.fixture
def camden_forecast(reference_data, tmp_path, settings):
    """Published figures for England and Camden, with their forecasts worked out."""
    from slihub.forecast import refresh
    from slihub.indicators.models import Value
    from slihub.places.models import Authority
    from tests.integration.test_forecast_command import YEARS, add_area
    from tests.integration.test_forecast_costs import ro3_rows, write_ods

    settings.DATA_DIR = str(tmp_path)
    write_ods(tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_202425", ro3_rows())
    camden = Authority.objects.get(code="202")
    rows: list = []
    add_area(rows, YEARS, 1, 80_000, 12_000_000, area_type="england")
    add_area(rows, YEARS, 2, 200, 36_000, area_type="la", authority=camden)
    Value.objects.bulk_create(rows)
    refresh.refresh_forecasts(simulations=200, backtest=False)
    return camden


def csv(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": content}


def test_a_council_admin_uploads_a_return_and_sees_its_forecast_beside_the_published_one(
    page, site, axe, camden_forecast, camden_admin
):
    sign_in(page, site, "camden.admin")
    page.goto(f"{site}/forecast/202/")
    page.get_by_role("link", name="Forecast from your own 903 return").click()
    expect(page.locator("h1")).to_have_text("Forecast from your own 903 return")
    check_accessibility(axe, page)

    bad = EPISODES + "A1,31/02/2023,S,C2,N1,U1,PR1,,,,,,\nB2,01/07/2022,S,C2,N1,U9,PR1,,,,,,\n"
    page.get_by_label("Header files").set_input_files([csv("2024-header.csv", header_file())])
    page.get_by_label("Episodes files").set_input_files([csv("2024-episodes.csv", bad.encode())])
    page.get_by_role("button", name="Upload and forecast").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("2024-episodes.csv, line 2: DECOM")
    expect(summary).to_contain_text(
        "2024-episodes.csv, line 3: PLACE 'U9' is not a placement type (rule 146)"
    )
    expect(summary).to_contain_text("Nothing was kept")
    check_accessibility(axe, page)

    headers, episodes = returns()
    page.get_by_label("Header files").set_input_files([csv(n, c) for n, c in headers])
    page.get_by_label("Episodes files").set_input_files([csv(n, c) for n, c in episodes])
    page.get_by_role("button", name="Upload and forecast").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The files were not kept")
    table = page.locator("#forecast-903-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").first.locator("th")).to_have_text("2026")
    expect(table.locator("tbody tr").first.locator("td").nth(2)).not_to_have_text("Not worked out")
    expect(page.locator("#figures-903-table tbody tr")).to_have_count(4)
    check_accessibility(axe, page)

    page.goto(f"{site}/forecast/202/903/forecast/")
    expect(page.locator("#forecast-903-table tbody tr")).to_have_count(3)
    check_accessibility(axe, page)
