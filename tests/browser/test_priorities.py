"""The London coordinator adds a regional improvement priority (a mistake first, shown in the error summary)
and reads it tracked over time: London against England in a chart and a table, and which councils moved.
axe runs on the list, the form and the priority page, and the Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def london(reference_data, london_coordinator):
    """The alliances, the London coordinator and re-referrals for every council, 2023 to 2025."""
    from slihub.alliances.services import ensure_alliances
    from slihub.indicators.models import Indicator, Period, Value
    from slihub.indicators.services import compute_comparisons
    from slihub.places.models import Authority

    rate = Indicator.objects.create(
        code="ReReferral",
        slug="rereferral",
        source="lait",
        name="Percentage of re-referrals to children's social care within 12 months",
        short_name="ReReferral",
        polarity="low",
        unit="%",
        decimal_places=1,
    )
    authorities = list(Authority.objects.current().order_by("code"))
    for step, year in enumerate((2023, 2024, 2025)):
        period = Period.objects.create(
            label=str(year), kind="year", start_year=year, end_year=year, sort_key=year * 100
        )
        Value.objects.bulk_create(
            Value(
                indicator=rate,
                period=period,
                area_type="la",
                authority=a,
                value=10 + (i * 7 + step * (i % 3 - 1)) % 25,
            )
            for i, a in enumerate(authorities)
        )
        Value.objects.create(indicator=rate, period=period, area_type="england", value=21.5 + step / 2)
    compute_comparisons()
    return {a.region.slug: a for a in ensure_alliances()}["london"]


def test_a_coordinator_adds_a_priority_and_reads_it_tracked_over_time(page, site, axe, london):
    page.goto(f"{site}/alliances/london/")
    page.get_by_role("link", name="Regional improvement priorities, tracked over time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional improvement priorities")
    check_accessibility(axe, page)

    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/alliances/london/priorities/")
    page.get_by_role("link", name="Add a priority").click()
    check_accessibility(axe, page)
    page.get_by_label("Title").fill("Fewer re-referrals")
    page.get_by_label("Indicators that track it").fill("rereferral\nno-such-indicator")
    agreed = page.get_by_role("group", name="Date agreed")
    agreed.get_by_label("Day").fill("31")
    agreed.get_by_label("Month").fill("2")
    agreed.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Save priority").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("No indicator has the address name 'no-such-indicator'")
    expect(summary).to_contain_text("Date agreed must be a real date")
    expect(page.get_by_label("Title")).to_have_value("Fewer re-referrals")
    check_accessibility(axe, page)

    page.get_by_label("Indicators that track it").fill("rereferral")
    agreed.get_by_label("Day").fill("1")
    agreed.get_by_label("Month").fill("6")
    page.get_by_role("button", name="Save priority").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fewer re-referrals")
    expect(page.locator("#change-rereferral")).to_contain_text("From 2023 (when agreed) to 2025")
    expect(page.locator("#figures-rereferral")).to_contain_text("22.5%")  # England in 2025
    expect(page.locator("#indicator-rereferral svg")).to_have_attribute("role", "img")
    check_accessibility(axe, page)
    check_reflow(page)

    page.goto(f"{site}/alliances/london/priorities/")
    expect(page.locator("#priorities")).to_contain_text("Fewer re-referrals")
    check_accessibility(axe, page)
