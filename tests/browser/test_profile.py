"""The progress profile in Chromium: axe, reflow at 320 px, print, a journey (compare: test_compare.py).

The live server gets the reference data and Ofsted's inspections (the reference_data fixture) and
two real tidy files (children looked after; the child population, which is unclassified, so the
profile has two themes), not LAIT's bank, which takes too long to load per test.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DATA_DIR
from tests.browser.support import check_accessibility, check_reflow

pytestmark = pytest.mark.browser

FILES = {
    "cla_rate": "dfecsc_cla_number_and_rate_per_10k_children.csv",
    "population": "dfecsc_ons_mid-year_population_estimates_2012_to_2024.csv",
}
RATE = "Children looked after at 31 March, rate per 10,000 children under 18"
PROFILE = "/authorities/202/profile/"


@pytest.fixture
def cla(reference_data):
    from pathlib import Path

    from slihub.indicators.models import Indicator
    from slihub.indicators.services import import_tidy_file

    for mapping, filename in FILES.items():
        if not Indicator.objects.filter(source=mapping).exists():
            import_tidy_file(Path(DATA_DIR) / filename, mapping=mapping)


@pytest.fixture
def profile_site(live_server, cla):
    return live_server.url


def test_camdens_profile_starts_with_its_summary(page, profile_site, axe):
    response = page.goto(profile_site + PROFILE)
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Camden")
    expect(page.locator("#strengths")).to_be_visible()
    expect(page.locator("#latest-judgments")).to_be_visible()
    expect(page.locator("svg.app-sparkline")).to_have_count(0)
    sections = page.locator("#section-table")
    expect(sections.get_by_role("link", name="Vulnerable children")).to_be_visible()
    expect(sections.get_by_role("link", name="Unclassified")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)


def test_a_themes_page_with_its_charts_and_their_tables(page, profile_site, axe):
    page.goto(profile_site + PROFILE)
    page.locator("#section-table").get_by_role("link", name="Vulnerable children").click()
    expect(page).to_have_url(re.compile(r"section=vulnerable_children"))
    expect(page.locator("h1")).to_have_text("Vulnerable children")
    rate = page.locator("tr", has_text=RATE)
    expect(rate.locator("svg[role=img]")).to_have_count(1)
    rate.get_by_text("Figures").click()
    expect(rate.locator(".app-series__table")).to_be_visible()
    expect(page.locator("#latest-judgments")).to_have_count(0)
    check_accessibility(axe, page)
    check_reflow(page)
    # On to the next theme, and back to the summary.
    page.get_by_role("link", name=re.compile(r"^Next")).click()
    expect(page.locator("h1")).to_have_text("Unclassified")
    expect(page.get_by_role("link", name=re.compile(r"^Previous"))).to_be_visible()
    check_accessibility(axe, page)
    page.locator("#sections").get_by_role("link", name=re.compile("^Summary")).click()
    expect(page.locator("h1")).to_have_text("Camden")


def test_a_theme_prints_without_navigation_and_with_its_figures(page, profile_site):
    page.goto(profile_site + PROFILE + "?section=vulnerable_children")
    series = page.locator(".app-series__table").first
    expect(series).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.locator("#sections")).to_be_hidden()
    expect(page.locator("form", has_text="Group the indicators by")).to_be_hidden()
    expect(page.locator("h1")).to_have_text("Vulnerable children")
    expect(page.locator(".govuk-caption-xl")).to_have_text("Camden: progress profile")
    expect(series).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".govuk-service-navigation")).to_be_visible()


def test_the_whole_profile_prints_from_one_page(page, profile_site, axe):
    page.goto(profile_site + PROFILE)
    page.get_by_role("link", name=re.compile(r"indicators on one page")).click()
    expect(page).to_have_url(re.compile(r"section=all"))
    expect(page.get_by_role("heading", name="Vulnerable children")).to_be_visible()
    expect(page.get_by_role("heading", name="Unclassified")).to_be_visible()
    check_accessibility(axe, page)
    page.emulate_media(media="print")
    expect(page.locator("#latest-judgments")).to_be_visible()
    expect(page.locator("#strengths")).to_be_visible()
    expect(page.locator(".app-series__table").last).to_be_visible()
    expect(page.locator("#sections")).to_be_hidden()


def test_choosing_a_comparator_group(page, profile_site, axe):
    page.goto(profile_site + PROFILE + "?section=vulnerable_children")
    page.get_by_text("Compare with a group of authorities you choose").click()
    page.get_by_label("Islington").check()
    page.get_by_label("Hackney").check()
    page.get_by_role("button", name="Update the profile").click()
    expect(page).to_have_url(re.compile(r"compare=206"))
    expect(page.locator("h1")).to_have_text("Vulnerable children")  # the form keeps the theme
    expect(page.get_by_role("columnheader", name="Your group's average").first).to_be_visible()
    # Grouping by outcome from a theme's page shows the outcomes, keeping the group.
    page.get_by_label("Every Child Matters outcome").check()
    page.get_by_role("button", name="Update the profile").click()
    expect(page.locator("#notice")).to_contain_text("Vulnerable children is a theme")
    page.locator("#section-table").get_by_role("link", name="Stay safe").click()
    expect(page.get_by_role("heading", name="Stay safe", level=1)).to_be_visible()
    expect(page.get_by_role("columnheader", name="Your group's average").first).to_be_visible()
    check_accessibility(axe, page)


def test_an_unknown_theme(page, profile_site, axe):
    response = page.goto(profile_site + PROFILE + "?section=colour")
    assert response.status == 404
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is no theme called 'colour'")
    expect(summary).to_be_focused()
    check_accessibility(axe, page)
