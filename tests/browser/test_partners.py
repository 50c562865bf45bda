"""A national admin records a statutory intervention (a mistake first, shown in the error summary), and the
council drops out of Partners in Practice eligibility on the public pages. axe runs on every page, and the
Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def national_admin(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user

    return ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )[0]


def test_an_intervention_removes_eligibility_on_the_public_pages(page, site, axe, national_admin):
    page.goto(f"{site}/alliances/partners-in-practice/?as_of-day=31&as_of-month=3&as_of-year=2025")
    expect(page.locator("#eligible")).to_contain_text("Camden")
    check_accessibility(axe, page)

    page.goto(f"{site}/alliances/partners-in-practice/?as_of-day=31&as_of-month=2&as_of-year=2025")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date must be a real date")
    check_accessibility(axe, page)

    sign_in(page, site, "national.admin")
    page.goto(f"{site}/alliances/interventions/")
    page.get_by_role("link", name="Record an intervention").click()
    page.get_by_label("Council").select_option(label="Camden")
    page.get_by_label("Kind of intervention").select_option(label="Improvement notice")
    page.locator("#id_started_on").fill("31")
    page.locator("#id_started_on-month").fill("2")
    page.locator("#id_started_on-year").fill("2025")
    page.get_by_role("button", name="Record the intervention").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date it started must be a real date")
    expect(summary).to_contain_text("Enter the link to the published notice or direction")
    check_accessibility(axe, page)

    page.locator("#id_started_on").fill("3")
    page.get_by_label("Link to the published source").fill(
        "https://www.gov.uk/government/publications/notice"
    )
    page.get_by_role("button", name="Record the intervention").click()
    expect(page.locator("#in-force")).to_contain_text("Camden")
    check_accessibility(axe, page)

    page.goto(f"{site}/authorities/202/")
    expect(page.locator("#partner-status")).to_contain_text("Not eligible")
    expect(page.locator("#partner-reason")).to_contain_text("Under statutory intervention")
    check_accessibility(axe, page)

    page.goto(f"{site}/alliances/partners-in-practice/?as_of-day=31&as_of-month=3&as_of-year=2025")
    expect(page.locator("#eligible")).not_to_contain_text("Camden")
    expect(page.locator("#history")).to_contain_text("improvement notice in force since 3 February 2025")

    page.goto(f"{site}/alliances/strengths/202/")
    expect(page.locator("#good-judgments")).to_contain_text("Outstanding")
    check_accessibility(axe, page)
