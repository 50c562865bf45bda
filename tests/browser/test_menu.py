"""Camden offers support in an area of its strength: from its strengths page to its asks and offers, the
offer form (a mistake first, shown in the error summary), then London's menu of support, where its offer
is a match for Islington's ask. axe runs on every page, and the Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser import alliance_steps as steps
from tests.browser.support import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def menu_setting(reference_data, camden_member):
    """London's alliance; Camden in England's top quartile for re-referrals; Islington asks for help."""
    from slihub.alliances.models import Alliance, Ask
    from slihub.indicators.models import Comparison
    from slihub.places.models import Authority, Region
    from tests.integration.warning_fixtures import indicator, period

    london = Region.objects.get(code="E12000007")
    Alliance.objects.get_or_create(
        region=london, defaults={"name": "London Innovation and Improvement Alliance"}
    )
    camden, islington = Authority.objects.get(code="202"), Authority.objects.get(code="206")
    Comparison.objects.create(
        indicator=indicator("ReReferral"),
        period=period(2024),
        authority=camden,
        quartile="A",
        rank=3,
        ranked=152,
    )
    Ask.objects.create(
        authority=islington, area="front_door_mash", title="Our front door", indicators=["rereferral"]
    )
    return london


def test_camden_offers_support_in_an_area_of_strength(page, site, axe, menu_setting):
    sign_in(page, site, "camden.member")
    steps.open_asks_and_offers(page, axe, site)
    expect(page.locator("#no-offers")).to_be_visible()

    page.get_by_role("link", name="Post an offer").click()
    expect(page.locator("#strengths-summary")).to_contain_text("1 indicator in England's top quartile")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Post the offer").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose an area of support")
    expect(summary).to_contain_text("Enter a title")
    check_accessibility(axe, page)

    steps.post_offer(
        page,
        axe,
        area="Front door and MASH",
        title="Redesigning the front door",
        details="Two days of mentoring for a front door manager.",
        strength="top quartile (3 of 152)",
    )

    page.get_by_role("link", name="Post an ask").click()
    check_accessibility(axe, page)
    page.get_by_label("Area of support").select_option(label="SEND")
    page.get_by_label("Title").fill("Sufficiency of SEND placements")
    page.get_by_label("Other indicators that show the need (optional)").fill("no-such-indicator")
    page.get_by_role("button", name="Post the ask").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("No indicator has the short name")
    check_accessibility(axe, page)
    page.get_by_label("Other indicators that show the need (optional)").fill("")
    page.get_by_role("button", name="Post the ask").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Ask posted")

    page.goto(f"{site}/alliances/london/menu/")
    ask = page.locator("#asks-heading ~ div", has_text="Our front door")
    expect(ask).to_contain_text("Our front door")
    expect(ask).to_contain_text("Redesigning the front door")
    expect(ask).to_contain_text("The same area: Front door and MASH")
    expect(ask).to_contain_text("Camden is in England's top quartile for")
    check_accessibility(axe, page)

    page.get_by_label("Area of support").select_option(label="SEND")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#asks-heading ~ div")).to_have_count(1)
    expect(page.locator("#asks-heading ~ div")).to_contain_text("Sufficiency of SEND placements")
    check_accessibility(axe, page)
