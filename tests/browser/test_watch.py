"""The concentration and polarisation watch and the directors' records in a browser: the London coordinator
records Camden's director (a mistake first, shown in the error summary), then reads the national and London
watch pages with their charts and tables. A signed-out visitor sees the gap section and a sign-in prompt.
axe runs on every page, and the Content-Security-Policy blocks nothing."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def watch_records(reference_data):
    """London's alliance, a London coordinator, and support between Camden, Islington and Leeds."""
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.alliances.models import SupportAgreement
    from slihub.alliances.services import ensure_alliances
    from slihub.places.models import Authority, Region

    ensure_alliances()
    london = Region.objects.get(slug="london")
    ensure_user(
        username="london.coordinator",
        full_name="London Coordinator",
        password=PASSWORD,
        role=Role.ALLIANCE_COORDINATOR,
        region=london,
    )
    camden, islington, leeds = (Authority.objects.get(code=c) for c in ("202", "206", "383"))
    today = date.today()
    for giver, taker, days in [(camden, leeds, 10), (leeds, camden, 4), (islington, camden, 3)]:
        SupportAgreement.objects.create(
            supporting=giver,
            supported=taker,
            area="early_years",
            form="mentoring",
            starts_on=today - timedelta(days=20),
            ends_on=today + timedelta(days=40),
            days=days,
            expected_outcomes="Stronger early help",
            status="agreed",
        )
    _gap_figures(Authority.objects.current().filter(region=london).order_by("code"))


def _gap_figures(councils):
    """Child protection plans (lower is better) for London's councils in two years, if not loaded."""
    from slihub.indicators.models import Comparison, Indicator, Period

    cpp, made = Indicator.objects.get_or_create(
        code="CPP_rate",
        defaults={
            "slug": "cpp-rate",
            "source": "lait",
            "name": "Child protection plans, rate",
            "polarity": "low",
        },
    )
    if not made:
        return
    for year, spread in ((2023, 1.0), (2024, 1.5)):
        period, _ = Period.objects.get_or_create(
            label=str(year),
            defaults={"kind": "year", "start_year": year, "end_year": year, "sort_key": year * 100},
        )
        Comparison.objects.bulk_create(
            Comparison(indicator=cpp, period=period, authority=a, value=30 + spread * n)
            for n, a in enumerate(councils)
        )


def test_a_coordinator_records_a_director_and_reads_the_watch(page, site, axe, watch_records):
    page.goto(f"{site}/alliances/london/watch/")
    expect(page.locator("#support-sign-in")).to_contain_text("Sign in")
    expect(page.locator("#gap")).to_be_visible()
    expect(page.locator("body")).to_contain_text("The gap is widening")
    check_accessibility(axe, page)

    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/alliances/directors/202/")
    expect(page.locator("#no-appointments")).to_be_visible()
    check_accessibility(axe, page)
    page.get_by_role("button", name="Record a director").click()
    page.get_by_label("Name").fill("Dee Director")
    page.locator("#started_on-day").fill("31")
    page.locator("#started_on-month").fill("2")
    page.locator("#started_on-year").fill("2024")
    page.get_by_role("button", name="Record the director").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Start date must be a real date")
    expect(page.get_by_label("Name")).to_have_value("Dee Director")
    check_accessibility(axe, page)

    page.locator("#started_on-day").fill("3")
    page.get_by_label("Interim appointment").check()
    page.get_by_role("button", name="Record the director").click()
    expect(page.locator("#appointments")).to_contain_text("Dee Director")
    expect(page.locator("#appointments")).to_contain_text("3 February 2024")
    expect(page.locator("#appointments")).to_contain_text("Interim")
    check_accessibility(axe, page)

    page.goto(f"{site}/alliances/watch/")
    expect(page.locator("#support-years")).to_contain_text("17")
    expect(page.locator("#both-names")).to_contain_text("Camden")
    expect(page.locator("#both-names")).not_to_contain_text("Leeds")
    expect(page.locator("#directors-source")).to_contain_text("not from an official dataset")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    page.goto(f"{site}/alliances/london/")
    page.get_by_role("link", name="Support between the councils").click()
    expect(page.locator("h1")).to_have_text("Concentration and polarisation watch")
    expect(page.locator("#support-councils")).to_contain_text("Islington")
    check_accessibility(axe, page)
    check_reflow(page)
