"""The progress profile and the compare page in Chromium: axe, reflow at 320 px, print, a journey.

The live server gets the reference data and Ofsted's inspections (the reference_data fixture) and
one real tidy file (children looked after), not LAIT's bank, which takes too long to load per test.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DATA_DIR
from tests.browser.support import check_accessibility, check_reflow

pytestmark = pytest.mark.browser

CLA_FILE = "dfecsc_cla_number_and_rate_per_10k_children.csv"


@pytest.fixture
def cla(reference_data):
    from pathlib import Path

    from slihub.indicators.models import Indicator
    from slihub.indicators.services import import_tidy_file

    if not Indicator.objects.filter(source="cla_rate").exists():
        import_tidy_file(Path(DATA_DIR) / CLA_FILE, mapping="cla_rate")


@pytest.fixture
def profile_site(live_server, cla):
    return live_server.url


def test_camdens_profile(page, profile_site, axe):
    response = page.goto(profile_site + "/authorities/202/profile/")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Camden")
    rate = page.locator("tr", has_text="Children looked after at 31 March, rate per 10,000")
    expect(rate.locator("svg[role=img]")).to_have_count(1)
    expect(page.locator("#latest-judgments")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)


def test_the_profile_prints_without_navigation_and_with_its_figures(page, profile_site):
    page.goto(profile_site + "/authorities/202/profile/")
    series = page.locator(".app-series__table").first
    expect(series).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.locator("form", has_text="Group the indicators by")).to_be_hidden()
    expect(series).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".govuk-service-navigation")).to_be_visible()


def test_choosing_a_comparator_group(page, profile_site, axe):
    page.goto(profile_site + "/authorities/202/profile/")
    page.get_by_text("Compare with a group of authorities you choose").click()
    page.get_by_label("Islington").check()
    page.get_by_label("Hackney").check()
    page.get_by_label("Every Child Matters outcome").check()
    page.get_by_role("button", name="Update the profile").click()
    expect(page).to_have_url(re.compile(r"compare=206"))
    expect(page.get_by_role("columnheader", name="Your group's average").first).to_be_visible()
    expect(page.get_by_role("heading", name="Stay safe")).to_be_visible()
    check_accessibility(axe, page)


def test_comparing_camden_islington_and_leeds(page, profile_site, axe):
    response = page.goto(profile_site + "/compare/?la=202&la=206&la=383")
    assert response.status == 200
    table = page.locator("#comparison")
    for name in ("Camden", "Islington", "Leeds", "England"):
        expect(table.get_by_role("columnheader", name=name)).to_be_visible()
    expect(table).to_contain_text("Children looked after at 31 March, rate per 10,000")
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_label("Add an authority").select_option("380")
    page.get_by_role("button", name="Update the comparison").click()
    expect(table.get_by_role("columnheader", name="Bradford")).to_be_visible()


def test_a_bad_code_on_the_compare_page(page, profile_site, axe):
    page.goto(profile_site + "/compare/?la=202&la=ZZZ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("No authority has the code 'ZZZ'")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_accessibility(axe, page)
