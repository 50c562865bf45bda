"""The indicator catalogue and a progress map in Chromium: axe, reflow at 320 px, the map's areas and links.

Loads the reference data and ONE real tidy file (children looked after): LAIT's bank is far too
big to load for each test."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.progress_steps import AUTHORITIES, NAME, cla_site  # noqa: F401 (a fixture)
from tests.browser.support import check_accessibility, check_reflow

pytestmark = pytest.mark.browser


def test_the_catalogue_finds_the_indicator(page, cla_site, axe):  # noqa: F811
    page.goto(cla_site + "/indicators/")
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_label("Name, code or definition").fill("rate per 10,000")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=NAME, exact=True)).to_be_visible()
    check_accessibility(axe, page)
    page.get_by_role("link", name=NAME, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)


def test_the_map_colours_and_titles_every_authority_and_links_to_their_pages(page, cla_site, axe):  # noqa: F811
    page.goto(cla_site + "/indicators/dfe-cla-rate-31-march/")
    check_accessibility(axe, page)
    check_reflow(page)
    links = page.locator("main svg a.app-map__link")
    expect(links).to_have_count(AUTHORITIES)
    areas = links.evaluate_all(
        "els => els.map(a => [a.getAttribute('href'), a.querySelector('path').getAttribute('fill'),"
        " a.querySelector('path > title').textContent])"
    )
    assert len({href for href, _, _ in areas}) == AUTHORITIES
    band_colours = {"#225ea8", "#41b6c4", "#a1dab4", "#ffffcc", "url(#indicator-map-hatch)"}
    uncoloured = [title for _, fill, title in areas if fill not in band_colours]
    assert not uncoloured, uncoloured
    assert all(re.match(r"^[^:]+: (\d|c |z |x )", title) for _, _, title in areas)
    table = page.locator("#table table")
    expect(table.locator("tbody tr")).to_have_count(AUTHORITIES)
    # Sorting without JavaScript: the header is a link, and aria-sort follows it.
    table.get_by_role("link", name=re.compile("^Value")).click()
    expect(page.locator("#table th[aria-sort='ascending']")).to_have_text(re.compile("Value"))
    check_accessibility(axe, page)
    # Keyboard focus on an area shows its value above the map.
    camden = page.locator(
        'main svg a.app-map__link[href="/authorities/202/indicators/dfe-cla-rate-31-march/"]'
    )
    camden.focus()
    expect(page.locator("#map-readout")).to_contain_text("Camden:")
    camden.click()
    page.wait_for_url(re.compile(r"/authorities/202/indicators/dfe-cla-rate-31-march/$"))


def test_an_earlier_period(page, cla_site, axe):  # noqa: F811
    page.goto(cla_site + "/indicators/dfe-cla-rate-31-march/")
    page.get_by_label("Period").select_option("2023")
    page.get_by_role("button", name="Show period").click()
    expect(page).to_have_url(re.compile(r"period=2023"))
    expect(page.locator(".govuk-caption-l")).to_contain_text("2023")
    check_accessibility(axe, page)
