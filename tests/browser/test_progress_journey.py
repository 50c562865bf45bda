"""Issue 15's journey in Chromium, axe on each page: the looked-after rate map, a click on Camden,
Camden's page of that indicator with its chart against its neighbours, London and England, then its
profile where the headline set leads, and one of its themes; no table wider than the page's column at
1280 and 960 px. Then the map for a keyboard user (one step past its 153 areas) and for a council
user (their authority highlighted, the table cut to its statistical neighbours)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.progress_steps import (  # noqa: F401 (cla_site is a fixture)
    CAMDEN,
    MAP,
    NAME,
    check_no_table_overflows,
    cla_site,
)
from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


def test_from_the_map_to_camdens_looked_after_page_and_its_profile(page, cla_site, axe):  # noqa: F811
    page.goto(cla_site + MAP)
    check_accessibility(axe, page)
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
    first_section = page.locator("main h2").first
    expect(first_section).to_have_attribute("id", "headline")  # the headline set leads
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


def focused(page) -> dict:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {id: el.id, tag: el.tagName, inMap: !!el.closest('svg')}; }"
    )


def test_a_keyboard_user_skips_the_maps_areas_in_one_step(page, cla_site, axe):  # noqa: F811
    page.goto(cla_site + MAP)
    page.get_by_role("button", name="Show period").focus()  # the last thing before the map
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "skip-map"
    expect(page.get_by_role("link", name="Skip the map, go to the table")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#authorities")).to_be_focused()
    page.keyboard.press("Tab")
    after = focused(page)
    assert after["inMap"] is False and after["id"] == "id_la"  # the table's form, past every area


def test_a_council_user_sees_their_authority_and_its_neighbours(page, cla_site, camden_member, axe):  # noqa: F811
    sign_in(page, cla_site, "camden.member")
    page.goto(cla_site + MAP)
    camden = page.locator(f'main svg a.app-map__link[href="{CAMDEN}"]')
    expect(camden).to_have_attribute("aria-label", re.compile("^Your authority, Camden: "))
    expect(camden.locator("path")).to_have_class(re.compile("app-map__area--highlight"))
    expect(page.locator("main svg .app-map__marker")).to_have_count(1)
    expect(page.locator("#chosen-row")).to_contain_text("Your authority")
    page.get_by_label("Show in the table").select_option("neighbours")
    page.get_by_role("button", name="Show authorities").click()
    expect(page).to_have_url(re.compile(r"show=neighbours"))
    expect(page.locator("#table tbody tr")).to_have_count(11)  # Camden and its ten neighbours
    expect(page.locator("#table caption")).to_contain_text("Camden and its statistical neighbours")
    check_accessibility(axe, page)


def test_a_shared_link_highlights_the_chosen_authority_and_a_bad_choice_explains_itself(page, cla_site, axe):  # noqa: F811
    page.goto(cla_site + MAP + "?la=383&show=E12000003")
    expect(page.locator("#chosen-row")).to_contain_text("Chosen authority")
    expect(page.locator("#table tbody tr")).to_have_count(15)  # Yorkshire and the Humber
    check_accessibility(axe, page)
    page.goto(cla_site + MAP + "?show=neighbours")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose an authority to show its statistical neighbours")
    summary.get_by_role("link").click()
    expect(page.locator("#id_la")).to_be_focused()
    check_accessibility(axe, page)
