"""The compare page in Chromium: Camden with its statistical neighbours in one action, a chart per
indicator, the Excel download opened with openpyxl; a saved comparator group shared by link. axe on
every page, reflow at 320 px.

The live server gets the reference data (the real statistical neighbours) and one real tidy file
(children looked after), which stands in for LAIT's looked-after rate in the headline indicators."""

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import DATA_DIR
from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser

RATE = "Children looked after at 31 March, rate per 10,000 children under 18"


@pytest.fixture
def compare_site(live_server, reference_data):
    from slihub.indicators.models import Indicator
    from slihub.indicators.services import import_tidy_file

    if not Indicator.objects.filter(source="cla_rate").exists():
        import_tidy_file(
            Path(DATA_DIR) / "dfecsc_cla_number_and_rate_per_10k_children.csv", mapping="cla_rate"
        )
    return live_server.url


def test_camden_with_its_neighbours_in_one_action_then_the_excel(page, compare_site, axe, tmp_path):
    page.goto(compare_site + "/compare/?la=202")
    expect(page.locator("#compared li")).to_have_count(1)
    check_accessibility(axe, page)
    page.get_by_role("link", name="Add Camden's statistical neighbours").click()
    expect(page).to_have_url(re.compile(r"/compare/\?la=202(&la=\d{3}){10}$"))
    expect(page.locator("#compared li")).to_have_count(11)

    section = page.locator("section.app-compare-indicator", has=page.get_by_role("heading", name=RATE))
    chart = section.locator("svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("text", has_text="\u25b6 Camden")).to_have_count(
        1
    )  # highlighted by more than colour
    expect(chart.locator("text", has_text=re.compile(r"^England "))).to_have_count(1)  # the reference line
    expect(section.locator("tbody tr")).to_have_count(12)  # eleven authorities and England
    expect(section.locator("tbody th", has_text="Highlighted")).to_have_text(re.compile(r"^Camden"))
    check_accessibility(axe, page)
    check_reflow(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the figures as Excel").click()
    download = info.value
    assert download.suggested_filename == "comparison-202.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = load_workbook(saved, read_only=True)
    rows = list(book["Comparison"].iter_rows(values_only=True))
    named = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    camden = [r for r in named if r["old_la_code"] == "202" and r["indicator_name"] == RATE]
    assert len(camden) == 1 and isinstance(camden[0]["value"], int | float)
    assert len({r["old_la_code"] for r in named}) == 11
    assert "Open Government Licence v3.0" in dict(book["About"].iter_rows(values_only=True))["Licence"]


def test_a_whole_region_and_a_bad_region(page, compare_site, axe):
    page.goto(compare_site + "/compare/?la=202")
    page.get_by_role("link", name="Add London").click()
    expect(page.locator("#compared li")).to_have_count(33)
    check_reflow(page)
    page.goto(compare_site + "/compare/?la=202&region=atlantis")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("No region is called 'atlantis'")
    expect(summary).to_be_focused()
    check_accessibility(axe, page)


def test_saving_sharing_renaming_and_deleting_a_comparator_group(page, compare_site, axe, camden_member):
    sign_in(page, compare_site, "camden.member")
    page.goto(compare_site + "/compare/?la=202&la=206&la=204")
    page.get_by_role("link", name="Save these authorities as a comparator group").click()
    page.get_by_role("button", name="Save the group").click()  # no name: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the group")
    check_accessibility(axe, page)
    page.get_by_label("Name of the group").fill("Inner London trio")
    page.get_by_role("button", name="Save the group").click()
    expect(page.locator("h1")).to_have_text("Inner London trio")
    expect(page.locator("#group-owner")).to_contain_text("Saved by Camden Member")
    expect(page.locator("#compared li")).to_have_count(3)
    link = page.locator("#share-link").inner_text()
    check_accessibility(axe, page)
    check_reflow(page)

    page.goto(compare_site + "/compare/groups/")
    expect(page.locator("#groups tbody tr")).to_have_count(1)
    check_accessibility(axe, page)
    page.get_by_role("link", name="Inner London trio").click()
    page.get_by_role("link", name="Rename Inner London trio").click()
    check_accessibility(axe, page)
    page.get_by_label("Name of the group").fill("Camden, Islington, Hackney")
    page.get_by_role("button", name="Rename the group").click()
    expect(page.locator("h1")).to_have_text("Camden, Islington, Hackney")

    # Anyone with the link sees it, without the owner's links.
    visitor = page.context.browser.new_page()
    visitor.goto(link)
    expect(visitor.locator("h1")).to_have_text("Camden, Islington, Hackney")
    expect(visitor.get_by_role("link", name=re.compile("^Delete"))).to_have_count(0)
    check_accessibility(axe, visitor)
    visitor.close()

    page.get_by_role("link", name="Delete Camden, Islington, Hackney").click()
    check_accessibility(axe, page)
    page.get_by_role("button", name="Delete the group").click()
    expect(page.locator("h1")).to_have_text("Your comparator groups")
    expect(page.locator("#no-groups")).to_be_visible()


def test_adding_an_authority_from_the_form_and_a_bad_code(page, compare_site, axe):
    page.goto(compare_site + "/compare/?la=202&la=206&la=383")
    section = page.locator("section.app-compare-indicator", has=page.get_by_role("heading", name=RATE))
    for name in ("Camden", "Islington", "Leeds", "England"):
        expect(section.locator("tbody th", has_text=re.compile(f"^{name}"))).to_have_count(1)
    page.get_by_label("Add an authority").select_option("380")
    page.get_by_role("button", name="Update the comparison").click()
    expect(section.locator("tbody th", has_text=re.compile("^Bradford"))).to_have_count(1)
    page.goto(compare_site + "/compare/?la=202&la=ZZZ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("No authority has the code 'ZZZ'")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_accessibility(axe, page)
