"""The analyst's journey in Chromium: the looked-after rate map, a click on Camden, Camden's page of
that indicator with its chart against its neighbours, London and England, then its profile where the
headline set leads, and one of its themes. axe on each page; no table wider than the page's column
at 1280 and 960 px.

Loads the reference data and one real tidy file (children looked after): LAIT's bank is far too big
to load for each test; the headline set shows DfE's series where LAIT's is not loaded."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DATA_DIR
from tests.browser.support import check_accessibility, check_reflow

pytestmark = pytest.mark.browser

SLUG = "dfe-cla-rate-31-march"
NAME = "Children looked after at 31 March, rate per 10,000 children under 18"
CAMDEN = f"/authorities/202/indicators/{SLUG}/"

# Each table (and chart) in the main column, measured against the column: its own scrollWidth (a
# table that needs scrolling sideways) and its box's, so that trend and chart are never hidden.
OVERFLOWING = """() => {
  const column = document.querySelector('main').clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('main table, main svg[role=img]')) {
    const box = el.closest('.app-table-wrapper') || el.parentElement;
    const width = el.tagName === 'TABLE' ? el.scrollWidth : el.getBoundingClientRect().width;
    if (width > column + 1 || box.scrollWidth > box.clientWidth + 1) {
      const name = el.id || el.querySelector('caption, title')?.textContent.slice(0, 60);
      wide.push(`${el.tagName} ${name}: ${width}px in ${column}px`);
    }
  }
  return wide;
}"""


@pytest.fixture
def cla_site(live_server, reference_data):
    from slihub.indicators.models import Indicator
    from slihub.indicators.services import import_tidy_file

    if not Indicator.objects.filter(source="cla_rate").exists():
        import_tidy_file(
            Path(DATA_DIR) / "dfecsc_cla_number_and_rate_per_10k_children.csv", mapping="cla_rate"
        )
    return live_server.url


def check_no_table_overflows(page):
    size = page.viewport_size
    try:
        for width in (1280, 960):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate(OVERFLOWING) == [], f"{page.url} at {width}px"
    finally:
        page.set_viewport_size(size)


def test_from_the_map_to_camdens_looked_after_page_and_its_profile(page, cla_site, axe):
    page.goto(cla_site + f"/indicators/{SLUG}/")
    page.locator(f'main svg a.app-map__link[href="{CAMDEN}"]').click()
    page.wait_for_url(re.compile(re.escape(CAMDEN) + "$"))
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator(".govuk-caption-l")).to_have_text("Camden")

    chart = page.locator("#over-time + figure svg[role=img]")
    expect(chart.locator("title")).to_contain_text(
        "Camden against its statistical neighbours' average, London and England"
    )
    for key in ["Camden", "Statistical neighbours' average", "London", "England", "Period"]:
        expect(chart.locator("text", has_text=re.compile(f"^{re.escape(key)}$"))).to_have_count(1)
    series = page.locator("#series table")
    expect(series.locator("thead th")).to_contain_text(["Period", "Camden", "Neighbours' average", "London"])
    expect(series.locator("tbody tr").first).to_be_visible()
    neighbours = page.locator("#neighbour-table tbody tr")
    expect(neighbours).to_have_count(13)  # Camden, its ten neighbours, London and England
    expect(page.locator("#neighbour-table")).to_contain_text("This authority")
    expect(page.locator("#summary")).to_contain_text(
        re.compile(r"of 15\d authorities with a figure in 20\d\d")
    )
    check_accessibility(axe, page)
    check_reflow(page)
    check_no_table_overflows(page)

    # Its profile opens with the headline set, whose looked-after row leads back here.
    page.get_by_role("link", name="Camden's progress profile").click()
    expect(page.locator("#headline")).to_be_visible()
    headline = page.locator("#headline-stable-homes + .app-table-wrapper table")
    expect(headline.get_by_role("link", name=NAME)).to_have_attribute("href", CAMDEN)
    check_accessibility(axe, page)
    check_no_table_overflows(page)
    # A theme's table fits the column too, its chart beside the neighbours' average.
    page.locator("#section-table").get_by_role("link", name="Vulnerable children").click()
    expect(page.locator("h1")).to_have_text("Vulnerable children")
    expect(page.locator("tr", has_text=NAME).locator("svg[role=img] desc")).to_contain_text(
        "Statistical neighbours' average (dashed line)"
    )
    check_no_table_overflows(page)
    page.locator("tr", has_text=NAME).get_by_role("link", name=NAME).click()
    page.wait_for_url(re.compile(re.escape(CAMDEN) + "$"))


def test_the_csv_download(page, cla_site):
    page.goto(cla_site + CAMDEN)
    with page.expect_download() as download:
        page.get_by_role("link", name="The table by period as CSV").click()
    assert download.value.suggested_filename == f"202_{SLUG}.csv"
