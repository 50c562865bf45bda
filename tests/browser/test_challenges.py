"""Peer challenge in the browser: the London coordinator has the hub propose challenge groups for the
cycle, saves them and moves a council by hand, then records a challenge of Camden and an agreed action.
axe runs on every page, and the Content-Security-Policy blocks nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def london_cycle(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.alliances.models import Alliance, Cycle
    from slihub.places.models import Region
    from tests.browser.support import PASSWORD

    london = Region.objects.get(slug="london")
    alliance = Alliance.objects.create(region=london, name="London Innovation and Improvement Alliance")
    Cycle.objects.create(
        alliance=alliance,
        year=2026,
        self_assessment_opens=date(2026, 11, 1),
        self_assessment_due=date(2026, 12, 18),
        challenge_opens=date(2027, 1, 4),
        challenge_closes=date(2027, 2, 26),
        plan_due=date(2027, 3, 31),
        delivery_starts=date(2027, 4, 1),
    )
    ensure_user(
        username="london.coordinator",
        full_name="London Coordinator",
        password=PASSWORD,
        role=Role.ALLIANCE_COORDINATOR,
        region=london,
    )


def test_the_london_coordinator_forms_groups_and_records_a_challenge(page, site, axe, london_cycle):
    from slihub.alliances.models import AgreedAction, ChallengeGroup

    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/alliances/london/2026/challenge-groups/")
    expect(page.get_by_role("heading", name="Challenge groups", exact=True)).to_be_visible()
    check_accessibility(axe, page)

    page.get_by_role("button", name="Propose groups").click()
    expect(page.get_by_role("heading", name="Proposed groups")).to_be_visible()
    expect(page.locator("#proposed-groups")).to_contain_text("furthest apart")
    check_accessibility(axe, page)

    page.get_by_role("button", name="Save these groups").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Challenge groups saved")
    expect(page.locator("#saved-groups")).to_be_visible()
    check_accessibility(axe, page)
    groups = ChallengeGroup.objects.filter(cycle__year=2026).count()
    assert groups >= 8  # 33 councils in threes and fours

    # Moving a council out of a triad leaves two: refused with a GOV.UK error summary
    triad = next(g for g in ChallengeGroup.objects.filter(cycle__year=2026) if g.authorities.count() == 3)
    other = ChallengeGroup.objects.filter(cycle__year=2026).exclude(pk=triad.pk).first()
    page.get_by_label("Council", exact=True).select_option(label=triad.authorities.first().name)
    page.get_by_label("Move to group").select_option(value=str(other.number))
    page.get_by_role("button", name="Move council").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a group has 3 or 4")
    check_accessibility(axe, page)

    page.goto(f"{site}/alliances/london/2026/challenges/")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Record a challenge").click()
    check_accessibility(axe, page)
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Host council").select_option(label="Camden")
    page.get_by_label("Islington").check()
    page.get_by_label("Hackney").check()
    page.get_by_label("The experiences and progress of care leavers").check()
    page.get_by_label("Notes").fill("Care leavers in suitable accommodation: Camden explains its offer.")
    page.get_by_role("button", name="Record the challenge").click()
    expect(page.get_by_role("heading", name="Challenge of Camden")).to_be_visible()
    check_accessibility(axe, page)

    page.get_by_label("Action", exact=True).fill("Audit pathway plans for 19 to 21 year olds")
    page.get_by_label("Owning council").select_option(label="Camden")
    page.get_by_label("Owner's name").fill("Ada Camden")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Audit pathway plans")
    expect(page.locator(".govuk-summary-card")).to_contain_text("31 March 2027")
    check_accessibility(axe, page)
    assert AgreedAction.objects.get().owner_name == "Ada Camden"
