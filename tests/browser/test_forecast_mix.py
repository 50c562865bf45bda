"""The forecast's placement types, UASC and population in a browser: Camden's page and England's, with
the tables read, axe on both pages and reflow at 320 pixels."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser

SHARES = {  # whole per cent, 2024 and 2025; None: suppressed
    "LAC_Foster_Placements": (56, 63),
    "LAC_SecHome_And_ChildHome": (15, 14),
    "LAC_Other_Res_Settings": (3, None),
    "LAC_Ind_SInd_Liv_Arr": (17, 17),
    "LAC_Other_Place_Inc_Unreg": (0, 0),
    "LAC_Parents_OR_Others": (7, 3),
    "UASC_%_Starting": (23, 24),
    "Unacc_Asylmn_Seek_Childn": (39, 35),
}


@pytest.fixture
def mixed(reference_data, tmp_path, settings):
    """Published figures for England and Camden, their placement and UASC shares, a small RO3 workbook,
    and the forecasts worked out."""
    from slihub.forecast import refresh
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
    for code, values in SHARES.items():
        for year, value in zip(("2024", "2025"), values, strict=True):
            add(rows, code, year, value, area_type="la", authority=camden)
            add(rows, code, year, None if value is None else value + 1, area_type="england")
    Value.objects.bulk_create(rows)
    refresh.refresh_forecasts(simulations=200, backtest=False)


def test_a_visitor_reads_the_forecast_by_placement_type_and_uasc(page, site, axe, mixed):
    page.goto(f"{site}/forecast/202/")
    table = page.locator("#placement-table")
    expect(table).to_contain_text("Foster placements")
    expect(table).to_contain_text("Not published")
    expect(table.locator("thead")).to_contain_text("2030")
    expect(page.locator("#placement-chart svg[role=img]")).to_be_visible()
    expect(page.locator("#placement-spending-table")).to_contain_text("Residential care")
    expect(page.locator("#uasc-table")).to_contain_text("Starting to be looked after in the year")
    expect(page.locator("body")).to_contain_text("National Transfer Scheme")
    expect(page.locator("#by-age")).to_contain_text("903 return")
    expect(page.locator("#population-used")).to_contain_text("latest mid-year estimate")
    check_accessibility(axe, page)
    check_reflow(page)

    page.goto(f"{site}/forecast/")
    expect(page.locator("#placement-table")).to_contain_text("Secure homes and children's homes")
    check_accessibility(axe, page)
    check_reflow(page)


@pytest.fixture
def national_admin(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from tests.browser.support import PASSWORD

    return ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )[0]


def test_a_national_admin_loads_population_projections(page, site, axe, mixed, national_admin, tmp_path):
    from tests.integration.test_forecast_mix import snpp

    sign_in(page, site, "national.admin")
    page.goto(f"{site}/forecast/population-projections/")
    expect(page.locator("h1")).to_have_text("Load population projections")
    expect(page.locator("#loaded")).to_have_text("No population projections are loaded.")
    check_accessibility(axe, page)

    bad = snpp(
        tmp_path / "bad.csv",
        {"E09000007": 36_000},
        extra=[["E09000007", "x", "Population", "persons", "3", "lots", *["1"] * 8]],
    )
    page.get_by_label("Population projections file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Load the projections").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "bad.csv, line 94, column 2022: 'lots' is not a number."
    )
    check_accessibility(axe, page)

    good = snpp(tmp_path / "snpp.csv", {"E09000007": 36_000}, growth=1.1)
    page.get_by_label("Population projections file (CSV)").set_input_files(str(good))
    page.get_by_label("Name of the projections (optional)").fill("ONS 2022-based SNPP")
    page.get_by_role("button", name="Load the projections").click()
    expect(page.locator("#loaded")).to_have_text(
        "Projections are loaded for 1 council, from: ONS 2022-based SNPP."
    )
    check_accessibility(axe, page)

    page.goto(f"{site}/forecast/202/")
    expect(page.locator("#population-used")).to_contain_text("follows ONS 2022-based SNPP")
