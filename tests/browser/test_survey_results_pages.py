"""The survey's result pages in a browser, with axe on each: a national admin reads a closed survey's
results, publishes them and a public summary; Camden's member reads the results and their council's
answers; a signed-out visitor reads the summary. The Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def closed_survey(reference_data, camden_member):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Authority
    from tests.integration import survey_results_data as data

    ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )
    made = data.version(2026)
    councils = list(Authority.objects.current().filter(code__in=["202", "206", "383"]))
    councils += list(
        Authority.objects.current().exclude(code__in=["202", "206", "383"]).order_by("code")[:40]
    )
    data.answer_all(made, councils)
    return made


def test_results_are_published_and_read(page, site, axe, closed_survey, browser):
    sign_in(page, site, "national.admin")
    page.goto(f"{site}/survey/2026/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_label("Show one region beside England").select_option(label="London")
    page.get_by_role("button", name="Show results").click()
    expect(page).to_have_url(f"{site}/survey/2026/results/?region=E12000007")
    check_accessibility(axe, page)
    page.goto(f"{site}/survey/2026/publish/")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The results are published")
    page.get_by_role("button", name="Publish a public summary").click()
    expect(page.locator("#summary-status")).to_contain_text("is published")
    check_accessibility(axe, page)

    member = browser.new_context(locale="en-GB").new_page()
    sign_in(member, site, "camden.member")
    member.goto(f"{site}/survey/2026/results/")
    member.get_by_role("link", name="See your council's answers beside its region and England").click()
    expect(member.get_by_role("heading", level=1)).to_have_text(
        "Camden's answers beside its region and England"
    )
    check_accessibility(axe, member)

    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{site}/survey/2026/summary/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Summary of the results")
    check_accessibility(axe, visitor)
