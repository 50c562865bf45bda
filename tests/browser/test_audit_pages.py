"""The audit log in the browser: a council admin adds a contact, then reads who added it, when and with which
values; a filter in error is summarised and its link leads to the date. axe runs on each state."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


def test_a_council_admin_reads_their_own_change_in_the_audit_log(page, site, axe, camden_admin):
    sign_in(page, site, "camden.admin")
    page.goto(site + "/authorities/202/contacts/add/")
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Job title").fill("Head of performance")
    page.get_by_label("Email").fill("ada@camden.example")
    page.get_by_role("button", name="Add contact").click()

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    row = page.get_by_role("row").filter(has_text="Ada Lovelace")
    expect(row).to_contain_text("Camden Admin")
    expect(row).to_contain_text("Added contact")
    expect(row).to_contain_text("Job title: “Head of performance”")
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("group", name="Changed on or after").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Changed on or after").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Changed on or after").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date from must be a real date")
    check_accessibility(axe, page)
    summary.get_by_role("link", name="The date from must be a real date").click()
    expect(page.locator("#from-day")).to_be_focused()
