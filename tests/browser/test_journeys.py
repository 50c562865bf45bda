"""What people do on the hub, end to end in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, sign_in

pytestmark = pytest.mark.browser


def test_search_from_the_home_page(page, site):
    page.goto(site + "/")
    page.get_by_label("Find a local authority").fill("Camden")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/authorities/\?q=Camden$"))
    results = page.get_by_role("table")
    expect(results.locator("caption")).to_have_text("1 authority")
    results.get_by_role("link", name="Camden").click()
    expect(page).to_have_url(site + "/authorities/202/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Camden")
    expect(page).to_have_title("Camden – SLI Hub")


def test_national_map_by_keyboard_only(page, site):
    """Tab from the top of the page to the first area of the map, then Enter opens that authority."""
    page.goto(site + "/map/")
    focused = None
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a.closest('svg') ? {href: a.getAttribute('href'), label: a.getAttribute('aria-label')}"
            " : null; }"
        )
        if focused:
            break
    assert focused, "no map area took the keyboard focus within 40 presses of Tab"
    # The focused area is visibly marked (the SVG version of the GOV.UK focus style).
    stroke_width = page.evaluate(
        "() => getComputedStyle(document.activeElement.querySelector('path')).strokeWidth"
    )
    assert stroke_width == "4px"
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + focused["href"])
    name = focused["label"].split(":")[0]
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_council_admin_adds_and_removes_a_contact(page, site, camden_admin):
    sign_in(page, site, "camden.admin")
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_be_visible()

    page.goto(site + "/authorities/202/")
    page.get_by_role("link", name="Camden's contacts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    expect(page.get_by_text("No contacts yet.")).to_be_visible()

    page.get_by_role("button", name="Add a contact").click()
    page.get_by_label("Name", exact=True).fill("Grace Hopper")
    page.get_by_label("Job title").fill("Head of quality assurance")
    page.get_by_label("Email").fill("grace.hopper@camden.example")
    page.get_by_label("Phone (optional)").fill("020 7946 0001")
    page.get_by_label("Notes (optional)").fill("Audits and peer review")
    page.get_by_role("button", name="Add contact").click()

    expect(page).to_have_url(site + "/authorities/202/contacts/")
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Success")
    expect(banner).to_contain_text("Grace Hopper was added to Camden's contacts.")
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_have_text("1 contact")
    expect(table.get_by_role("cell", name="Grace Hopper", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="grace.hopper@camden.example")).to_have_attribute(
        "href", "mailto:grace.hopper@camden.example"
    )

    page.get_by_role("button", name="Remove Grace Hopper").click()
    expect(page.get_by_role("alert")).to_contain_text("Grace Hopper was removed from Camden's contacts.")
    expect(page.get_by_text("No contacts yet.")).to_be_visible()

    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page).to_have_url(site + "/")
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(site + "/authorities/202/contacts/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_anonymous_visitor_is_sent_to_sign_in(page, site):
    page.goto(site + "/authorities/202/contacts/")
    expect(page).to_have_url(site + "/accounts/login/?next=/authorities/202/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    # Signing in there leads back to the page asked for; a visitor with no role there is refused.
    expect(page.locator("input[name=next]")).to_have_value("/authorities/202/contacts/")


def test_sign_in_returns_to_the_page_asked_for(page, site, camden_member):
    page.goto(site + "/authorities/202/contacts/")
    page.get_by_label("Username").fill("camden.member")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(site + "/authorities/202/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    # A council member sees the contacts but cannot change them.
    expect(page.get_by_role("button", name="Add a contact")).to_have_count(0)
