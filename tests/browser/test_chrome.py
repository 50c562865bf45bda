"""The hub's chrome in Chromium: the signed-in header on one line at 1280 pixels, the favicon, and the
API documentation inside the hub's own layout with every file served by the hub. axe on each page."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, sign_in

pytestmark = pytest.mark.browser

# The height of the navigation list against that of its first item: on one line they are the same.
ONE_LINE = """() => {
  const list = document.getElementById('navigation');
  const items = [...list.querySelectorAll('li')];
  const tops = new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)));
  const bar = document.querySelector('.govuk-service-navigation__container').getBoundingClientRect();
  const name = document.querySelector('.govuk-service-navigation__service-name').getBoundingClientRect();
  const first = items[0].getBoundingClientRect();
  return {rows: tops.size, list: list.getBoundingClientRect().height, item: first.height,
          bar: bar.height, name: name.height, items: items.length};
}"""


@pytest.fixture
def national_admin(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user

    return ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )[0]


@pytest.mark.parametrize("who", ["national_admin", "camden_admin", "london_coordinator", None])
def test_the_header_fits_one_line_at_1280_pixels(page, site, axe, request, who):
    if who:
        sign_in(page, site, request.getfixturevalue(who).username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site}/exchange/" if who else site)

    layout = page.evaluate(ONE_LINE)
    assert layout["rows"] == 1, layout
    assert layout["list"] <= layout["item"] + 1, layout
    # The service name and the sections share the one line.
    assert layout["bar"] <= max(layout["item"], layout["name"]) + 1, layout
    if who:
        account = page.get_by_role("navigation", name="Your account")
        expect(account.get_by_role("button", name="Sign out")).to_be_visible()
    check_accessibility(axe, page)


def test_only_the_tools_a_person_may_use_are_beside_sign_out(page, site, camden_member):
    sign_in(page, site, camden_member.username)

    account = page.get_by_role("navigation", name="Your account")
    expect(account).to_contain_text("Signed in as Camden Member")
    expect(account.get_by_role("link", name="Jobs")).to_have_count(0)
    expect(account.get_by_role("link", name="Audit log")).to_have_count(0)


def test_the_favicon_is_the_hubs_own(page, site):
    page.goto(site)
    href = page.locator("link[rel=icon]").get_attribute("href")

    icon = page.request.get(site + href)
    assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")
    assert "crown" not in icon.text().lower()
    old = page.request.get(site + "/favicon.ico", max_redirects=0)
    assert old.status == 301 and old.headers["location"] == href


def test_the_api_documentation_is_a_page_of_the_hub_with_only_local_files(page, site, axe):
    hosts = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))

    response = page.goto(site + "/api/v1/docs")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("SLI Hub API")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
    expect(page.get_by_role("link", name="Back to SLI Hub")).to_have_attribute("href", "/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)  # Swagger UI's own title is left out
    check_accessibility(axe, page)
    assert hosts == {urlparse(site).netloc}, hosts
