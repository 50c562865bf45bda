"""The London coordinator sets the alliance's annual cycle (a stage out of order is refused first) and sees
where every council stands, with what is late; the alliance's other pages and its tartan rug. axe runs on
every page, and the Content-Security-Policy blocks nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def london(reference_data):
    """The alliances, the London coordinator, Camden's submitted self-assessment for last year's cycle (made
    when the coordinator saves it), and one indicator with London's figures for the rug."""
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.alliances.services import ensure_alliances
    from slihub.indicators.models import Indicator, Period, Value
    from slihub.indicators.services import compute_comparisons
    from slihub.places.models import Authority, Region
    from tests.browser.support import PASSWORD

    region = Region.objects.get(slug="london")
    ensure_user(
        username="london.coordinator",
        full_name="London Coordinator",
        password=PASSWORD,
        role=Role.ALLIANCE_COORDINATOR,
        region=region,
    )
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
    period = Period.objects.create(label="2025", kind="year", start_year=2025, end_year=2025, sort_key=202500)
    authorities = list(Authority.objects.current().order_by("code"))
    Value.objects.bulk_create(
        Value(indicator=rate, period=period, area_type="la", authority=a, value=10 + (i * 7) % 25)
        for i, a in enumerate(authorities)
    )
    Value.objects.create(indicator=rate, period=period, area_type="england", value=21.5)
    compute_comparisons()
    return {a.region.slug: a for a in ensure_alliances()}["london"]


def test_a_london_coordinator_sets_the_cycle_and_sees_where_councils_stand(page, site, axe, london):
    from slihub.alliances.models import Cycle, SelfAssessment
    from slihub.places.models import Authority

    year = date.today().year - 1  # last year's cycle: its self-assessment was due a year ago
    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/alliances/")
    check_accessibility(axe, page)
    page.get_by_role("link", name="London improvement alliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("London improvement alliance")
    check_accessibility(axe, page)

    page.get_by_role("link", name="Set the annual cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set the annual cycle")
    check_accessibility(axe, page)
    page.locator("#other-years").get_by_role(
        "link", name=str(year), exact=True
    ).click()  # its suggested dates
    expect(page.get_by_label("Year the cycle starts")).to_have_value(str(year))
    challenge = page.get_by_role("group", name="Peer challenge opens")
    challenge.get_by_label("Day").fill("1")
    challenge.get_by_label("Month").fill("12")
    challenge.get_by_label("Year").fill(str(year))  # before self-assessment is due
    page.get_by_role("button", name="Save the cycle").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Peer challenge opens must be the same as or after self-assessment due")
    check_accessibility(axe, page)
    assert not Cycle.objects.exists()

    challenge.get_by_label("Day").fill("6")
    challenge.get_by_label("Month").fill("1")
    challenge.get_by_label("Year").fill(str(year + 1))
    page.get_by_role("button", name="Save the cycle").click()
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text("cycle was saved")
    cycle = Cycle.objects.get()
    assert (cycle.year, cycle.self_assessment_due) == (year, date(year, 12, 15))

    SelfAssessment.objects.create(
        authority=Authority.objects.get(code="202"), cycle=cycle, status="submitted"
    )
    page.reload()
    dates = page.locator("#cycle-dates")
    expect(dates).to_contain_text(f"1 November {year}")
    standings = page.locator("#standings")
    camden = standings.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Camden", exact=True))
    expect(camden).to_contain_text("Submitted")
    hackney = standings.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Hackney", exact=True)
    )
    expect(hackney).to_contain_text("Not started")
    expect(hackney).to_contain_text(f"Self-assessment was due on 15 December {year}")
    members = Authority.objects.current().filter(region=london.region).count()
    expect(standings.get_by_role("row")).to_have_count(1 + members)
    expect(page.locator("main")).to_contain_text(f"{members - 1} councils late.")
    check_accessibility(axe, page)


def test_the_coordinators_other_pages_and_the_tartan_rug_have_no_accessibility_violations(
    page, site, axe, london
):
    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/alliances/london/signatures/")
    check_accessibility(axe, page)
    page.get_by_label("Council").select_option(label="Camden")
    page.get_by_label("Signed as").select_option(label="Chief executive")
    page.get_by_label("Name of the person who signed").fill("Jo Example")
    signed = page.get_by_role("group", name="Date signed")
    signed.get_by_label("Day").fill("14")
    signed.get_by_label("Month").fill("9")
    signed.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record signature").click()
    expect(page.locator("#signatures")).to_contain_text("Jo Example")
    check_accessibility(axe, page)

    page.goto(f"{site}/alliances/london/groups/")
    check_accessibility(axe, page)
    page.get_by_label("Group name").fill("North Central London")
    page.get_by_label("Camden").check()
    page.get_by_label("Islington").check()
    page.get_by_role("button", name="Save group").click()
    expect(page.locator("#groups")).to_contain_text("North Central London")
    check_accessibility(axe, page)

    page.goto(f"{site}/alliances/london/settings/")
    check_accessibility(axe, page)

    page.goto(f"{site}/alliances/london/tartan-rug/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tartan rug")
    camden = page.locator("#rug tbody tr").filter(
        has=page.get_by_role("rowheader", name="Camden", exact=True)
    )
    expect(camden.locator("td").first).to_contain_text("Q")  # the band in words, not colour only
    check_accessibility(axe, page)
