"""Every page, opened in Chromium and checked with axe: no violations of WCAG 2.0/2.1/2.2 A and AA
or of axe's best practices."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/authorities/",
    "/authorities/?region=london&type=ILB",
    "/authorities/?former=yes",
    "/authorities/?q=no-such-place",
    "/authorities/202/",
    "/authorities/202/?model=2021",
    "/authorities/909/",
    "/regions/",
    "/regions/london/",
    "/regions/inner-london/",
    "/map/",
    "/map/?colour=type",
    "/data-sources/",
    "/evidence/how-we-judge/",
    "/evidence/local/",
    "/accounts/login/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page(page, site, axe, path):
    response = page.goto(site + path)
    assert response.status == 200
    check_accessibility(axe, page)
    check_reflow(page)


def test_login_error(page, site, axe):
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: "))
    # GOV.UK Frontend moves focus to the error summary so screen readers announce it.
    expect(summary).to_be_focused()
    check_accessibility(axe, page)


def test_contacts_as_council_admin(page, site, axe, camden_admin):
    from slihub.accounts.services import add_contact

    add_contact(
        user=camden_admin,
        authority=camden_admin.memberships.get().authority,
        name="Ada Lovelace",
        job_title="Head of performance",
        email="ada@camden.example",
        phone="020 7946 0000",
        notes="Data returns\nPeer reviews",
    )
    sign_in(page, site, "camden.admin")
    page.goto(site + "/authorities/202/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    expect(page.get_by_role("cell", name="Ada Lovelace", exact=True)).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)


def test_add_contact_form_and_its_errors(page, site, axe, camden_admin):
    sign_in(page, site, "camden.admin")
    page.goto(site + "/authorities/202/contacts/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a contact")
    check_accessibility(axe, page)

    page.get_by_role("button", name="Add contact").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the contact's name")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Name")).to_have_attribute("aria-describedby", "name-error")
    check_accessibility(axe, page)
    # The summary's links take you to the field.
    summary.get_by_role("link", name="Enter an email address").click()
    expect(page.get_by_label("Email")).to_be_focused()


def test_forbidden_page(page, site, axe, camden_member):
    sign_in(page, site, "camden.member")
    response = page.goto(site + "/authorities/202/contacts/add/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    check_accessibility(axe, page)


def test_not_found_page(page, site, axe):
    response = page.goto(site + "/authorities/999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_accessibility(axe, page)
    check_reflow(page)


def test_api_docs(page, site, axe):
    """The API's Swagger UI page (served from local files, no CDN), closed and with a route opened.

    Our page template and stylesheet (slihub/api/templates/api/swagger.html,
    slihub/web/static/web/swagger-ui.*) fix what Swagger UI gets wrong out of the box.
    """
    response = page.goto(site + "/api/v1/docs")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("SLI Hub API")
    expect(page.locator(".opblock").first).to_be_visible()
    check_accessibility(axe, page)

    page.locator(".opblock-summary-control").first.click()
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    check_accessibility(axe, page)

    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("textbox", name="region (query)").fill("london")
    page.get_by_role("combobox", name="type (query)").select_option("ILB")
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status")).to_contain_text("200")
    check_accessibility(axe, page)
