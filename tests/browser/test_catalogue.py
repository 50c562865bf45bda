"""The indicator catalogue in Chromium: the compact table, a search by another name, an empty search; axe
on each, reflow at 320 px. Loads the reference data and two real DfE tidy files (LAIT's bank is far too
big to load for each test)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DATA_DIR
from tests.browser.support import check_accessibility, check_reflow

pytestmark = pytest.mark.browser

CLA_RATE = "Children looked after at 31 March, rate per 10,000 children under 18"
FILES = {
    "cla_rate": "dfecsc_cla_number_and_rate_per_10k_children.csv",
    "cin_referrals": "dfecsc_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
}


@pytest.fixture
def site(live_server, reference_data):
    from slihub.indicators import catalogue_selectors
    from slihub.indicators.models import Indicator
    from slihub.indicators.services import import_tidy_file

    for mapping, filename in FILES.items():
        if not Indicator.objects.filter(source=mapping).exists():
            import_tidy_file(Path(DATA_DIR) / filename, mapping=mapping)
    catalogue_selectors.forget()
    return live_server.url


def test_the_catalogue_is_a_table_and_finds_children_in_care(page, site, axe):
    page.goto(site + "/indicators/")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Latest period")).to_be_visible()
    expect(table.get_by_role("rowheader", name=CLA_RATE)).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_label("Name, code or definition").fill("children in care")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", level=2, name="found for ‘children in care’")).to_be_visible()
    first = page.get_by_role("table").get_by_role("rowheader").first
    expect(first).to_have_text(CLA_RATE)
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name=CLA_RATE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CLA_RATE)
    page.get_by_text("The publisher's definition").click()
    expect(page.get_by_text("Methodology", exact=True)).to_be_visible()


def test_an_empty_search_says_so(page, site, axe):
    page.goto(site + "/indicators/?q=zebra+crossings")
    expect(page.get_by_text("No indicator matches ‘zebra crossings’")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    check_accessibility(axe, page)
