"""The alliance's year in one journey, as issue 13 asks: the London coordinator sets the cycle and forms
challenge groups; Camden completes its self-assessment with its data pack, checks its answers and
submits; a moderator from Islington comments; a challenge records an agreed action; Camden offers support
in an area of its strength, and an agreement beyond its declared capacity is warned about before saving.
axe runs on every page, and the Content-Security-Policy blocks nothing."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import alliance_steps as steps
from tests.browser.support import PASSWORD, check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def london(reference_data, camden_admin):
    """London's alliance and its people; Camden in England's top quartile for re-referrals."""
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.alliances.models import Alliance
    from slihub.indicators.models import Comparison
    from slihub.places.models import Authority, Region
    from tests.integration.warning_fixtures import indicator, period

    region = Region.objects.get(slug="london")
    Alliance.objects.create(region=region, name="London improvement alliance")
    for username, role, where in (
        ("islington.member", Role.COUNCIL_MEMBER, {"authority": Authority.objects.get(code="206")}),
        ("london.coordinator", Role.ALLIANCE_COORDINATOR, {"region": region}),
    ):
        ensure_user(
            username=username,
            full_name=username.replace(".", " ").title(),
            password=PASSWORD,
            role=role,
            **where,
        )
    Comparison.objects.create(
        indicator=indicator("ReReferral"),
        period=period(2024),
        authority=Authority.objects.get(code="202"),
        quartile="A",
        rank=3,
        ranked=152,
    )


def as_user(page, site, username):
    page.context.clear_cookies()
    sign_in(page, site, username)


def test_the_alliance_year_from_the_cycle_to_support_beyond_capacity(page, site, axe, london):
    from slihub.alliances.models import Cycle, SelfAssessment, SupportAgreement, support_year

    as_user(page, site, "london.coordinator")
    page.goto(f"{site}/alliances/london/")
    page.get_by_role("link", name="Set the annual cycle").click()
    check_accessibility(axe, page)
    page.get_by_role("button", name="Save the cycle").click()  # the usual dates, suggested
    expect(page.locator(".govuk-notification-banner")).to_contain_text("cycle was saved")
    year = Cycle.objects.get().year
    steps.propose_and_save_groups(page, axe, site, year)

    self_assessment = f"{site}/alliances/self-assessments/202/{year}/"
    as_user(page, site, "camden.admin")
    page.goto(self_assessment)
    steps.complete_self_assessment(page, axe, self_assessment)

    as_user(page, site, "london.coordinator")
    page.goto(self_assessment)
    steps.assign_moderator(page, axe)
    as_user(page, site, "islington.member")
    page.goto(self_assessment)
    steps.moderate(page, axe, "Well evidenced; say more about care leavers.")
    assert SelfAssessment.objects.get().status == "moderated"

    as_user(page, site, "london.coordinator")
    steps.record_challenge_with_action(page, axe, site, year)

    as_user(page, site, "camden.admin")
    steps.offer_support(
        page,
        axe,
        site,
        area="Front door and MASH",
        title="Redesigning the front door",
        strength="top quartile",
    )
    starts = date.today() + timedelta(days=7)
    ends = starts + timedelta(days=60)
    steps.declare_capacity(page, axe, site, year=support_year(starts), days=5)
    page.get_by_role("link", name="Record a support agreement").click()
    steps.fill_agreement(
        page,
        supported="Islington",
        area="Front door and MASH",
        form="Mentoring",
        starts=(starts.day, starts.month, starts.year),
        ends=(ends.day, ends.month, ends.year),
        days=8,
        outcomes="A front door manager mentored through the redesign",
    )
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.locator("#capacity-warning")).to_contain_text("beyond its declared capacity")
    expect(page.locator("#capacity-figures")).to_contain_text("8 days, 3 more than declared")
    check_accessibility(axe, page)
    assert not SupportAgreement.objects.exists()
    page.get_by_role("button", name="Save anyway").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Support agreement saved")
    check_accessibility(axe, page)
    assert SupportAgreement.objects.get().days == 8
