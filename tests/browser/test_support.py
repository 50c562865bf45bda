"""Support agreements in the browser: Camden's admin declares its capacity, records an agreement with
Islington beyond it, is warned before saving (a warning, not an error) with the capacity, the days already
agreed and the new total, saves anyway, and sees the capacity used. A mistake first shows the error
summary; the London coordinator then reads the alliance's support page. axe runs on every page, and the
Content-Security-Policy blocks nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser import alliance_steps as steps
from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def london(reference_data, camden_admin, london_coordinator):
    from slihub.alliances import support
    from slihub.alliances.models import Alliance
    from slihub.places.models import Authority, Region

    region = Region.objects.get(slug="london")
    Alliance.objects.get_or_create(region=region, defaults={"name": "London improvement alliance"})
    # 8 days already agreed with Hackney this year
    support.create_agreement(
        user=camden_admin,
        supporting=Authority.objects.get(code="202"),
        supported=Authority.objects.get(code="204"),
        area="practice_leadership",
        form="mentoring",
        starts_on=date(2026, 11, 2),
        ends_on=date(2027, 1, 29),
        days=8,
        expected_outcomes="Mentoring for new team managers",
        confirm_over_capacity=True,
    )


def test_camden_is_warned_before_agreeing_support_beyond_its_capacity(page, site, axe, camden_admin, london):
    from slihub.alliances.models import SupportAgreement

    sign_in(page, site, "camden.admin")
    steps.open_capacity_form(page, axe, site)
    steps.submit_capacity(page, year=2026, days="ten")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Days must be a whole number")
    check_accessibility(axe, page)
    expect(page.get_by_label("Year, from April")).to_have_value("2026")  # kept after the mistake
    steps.submit_capacity(page, year=2026, days=10)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Capacity saved: 10 days")
    check_accessibility(axe, page)

    page.get_by_role("link", name="Record a support agreement").click()
    expect(page.get_by_label("Council giving the support")).to_have_value("202")
    steps.fill_agreement(
        page,
        supported="Islington",
        area="Front door and MASH",
        form="Case audit",
        starts=(14, 12, 2026),
        ends=(31, 1, 2026),
        days=5,
        outcomes="An audit of 40 contacts at the front door",
    )
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end date must be the same as or after the start date"
    )
    check_accessibility(axe, page)

    page.locator("#ends_on-year").fill("2027")
    page.get_by_role("button", name="Save the agreement").click()
    warning = page.locator("#capacity-warning")
    expect(warning).to_contain_text("beyond its declared capacity for April 2026 to March 2027")
    figures = page.locator("#capacity-figures")
    expect(figures).to_contain_text("10 days")  # declared
    expect(figures).to_contain_text("8 days")  # already agreed
    expect(figures).to_contain_text("13 days, 3 more than declared")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert page.get_by_label("Outcomes expected").input_value() == "An audit of 40 contacts at the front door"
    check_accessibility(axe, page)
    check_reflow(page)
    assert SupportAgreement.objects.count() == 1

    page.get_by_role("button", name="Save anyway").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Support agreement saved")
    expect(page.locator("#agreement")).to_contain_text("14 December 2026 to 31 January 2027")
    check_accessibility(axe, page)
    assert SupportAgreement.objects.count() == 2

    page.get_by_role("link", name="Back to Camden's support").click()
    capacity = page.locator("#capacity")
    expect(capacity).to_contain_text("April 2026 to March 2027")
    expect(capacity).to_contain_text("13")
    expect(capacity).to_contain_text("Over by 3 days")
    expect(page.locator("#capacity-chart svg[role=img]")).to_have_count(1)
    expect(page.locator("#given")).to_contain_text("Islington")
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name="Front door and MASH").click()
    page.get_by_role("link", name="Change the agreement").click()
    expect(page.get_by_label("Days of support")).to_have_value("5")
    check_accessibility(axe, page)

    page.context.clear_cookies()
    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/alliances/london/")
    page.get_by_role("link", name="Support agreements between the councils").click()
    expect(page.locator("#agreements")).to_contain_text("Islington")
    expect(page.locator("#capacity")).to_contain_text("Camden")
    check_accessibility(axe, page)
    check_reflow(page)
