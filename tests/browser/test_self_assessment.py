"""The annual self-assessment end to end: Camden completes it with its data pack beside it (typing saves
as it goes), checks its answers and submits; the London coordinator assigns a moderator from Islington,
who comments. axe runs on every page of the journey, and the Content-Security-Policy blocks nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, sign_in

pytestmark = pytest.mark.browser

BASE = "/alliances/self-assessments/202/2026/"


@pytest.fixture
def london_cycle(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.alliances.models import Alliance, Cycle
    from slihub.places.models import Authority, Region
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
    for username, role, where in (
        ("camden.member", Role.COUNCIL_MEMBER, {"authority": Authority.objects.get(code="202")}),
        ("islington.member", Role.COUNCIL_MEMBER, {"authority": Authority.objects.get(code="206")}),
        ("london.coordinator", Role.ALLIANCE_COORDINATOR, {"region": london}),
    ):
        ensure_user(
            username=username,
            full_name=username.replace(".", " ").title(),
            password=PASSWORD,
            role=role,
            **where,
        )


def saved(page):
    """Waits for the autosave that the action inside the `with` starts (htmx posts to save/, answering 204),
    so that the page's own Continue never races it."""
    return page.expect_response(lambda r: r.url.endswith("/save/") and r.status == 204)


def type_into(page, field, text):
    with saved(page):
        field.fill(text)


def test_camden_completes_and_submits_and_an_islington_moderator_comments(page, site, axe, london_cycle):
    from slihub.alliances.models import SelfAssessment

    sign_in(page, site, "camden.member")
    page.goto(site + BASE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment 2026 to 2027")
    check_accessibility(axe, page)

    page.get_by_role("link", name="Camden's data pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data pack")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    expect(page.get_by_role("heading", name="Ofsted")).to_be_visible()
    check_accessibility(axe, page)
    page.go_back()

    page.get_by_role("button", name="Start the self-assessment").click()
    answer = page.get_by_label("What do you know about the quality and impact of social work practice?")
    check_accessibility(axe, page)
    # Typing saves without leaving the page (htmx posts to the save address, which answers 204).
    with saved(page):
        answer.press_sequentially("Practice is improving", delay=20)
    assert SelfAssessment.objects.get().quality == "Practice is improving"
    expect(page.get_by_text("You have", exact=False).first).to_be_visible()  # the character count
    page.get_by_role("button", name="Save and continue").click()

    type_into(page, page.get_by_label("How do you know it?"), "Monthly audits and what children tell us.")
    page.get_by_role("button", name="Save and continue").click()
    type_into(
        page, page.get_by_label("What are your plans for the next 12 months?"), "Stabilise the workforce."
    )
    page.get_by_role("button", name="Save and continue").click()

    for number in range(5):
        expect(page.get_by_text(f"judgment area {number + 1} of 5")).to_be_visible()
        if number == 0:
            check_accessibility(axe, page)
            # A problem in what is typed is said in the page's status line as soon as it is saved.
            documents = page.get_by_label("Documents")
            with page.expect_response(lambda r: r.url.endswith("/save/") and r.status == 400):
                documents.fill("our plan")
            expect(page.locator("#autosave-status")).to_contain_text("is not a web address")
            type_into(page, documents, "https://www.camden.gov.uk/children-plan")
        with saved(page):  # one save a second after the last change
            page.get_by_label("Good", exact=True).check()
            page.get_by_label("Why this grade").fill("Audits and the last focused visit.")
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    expect(page.locator(".govuk-summary-list__actions a")).to_have_count(8)
    check_accessibility(axe, page)
    page.get_by_role("button", name="Submit the self-assessment").click()
    expect(page.locator("#status")).to_have_text("Submitted")
    check_accessibility(axe, page)

    page.context.clear_cookies()
    sign_in(page, site, "london.coordinator")
    page.goto(site + BASE)
    page.get_by_label("Moderator, from another council of London").select_option(label="Islington Member")
    page.get_by_role("button", name="Assign the moderator").click()
    expect(page.get_by_text("Moderator: Islington Member")).to_be_visible()
    check_accessibility(axe, page)

    page.context.clear_cookies()
    sign_in(page, site, "islington.member")
    page.goto(site + BASE)
    page.get_by_role("link", name="Moderate it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate the self-assessment")
    check_accessibility(axe, page)
    page.get_by_label("Your comments").fill("Well evidenced; say more about care leavers.")
    page.get_by_role("button", name="Send your comments").click()
    expect(page.locator("#status")).to_have_text("Moderated")
    expect(page.get_by_text("Well evidenced; say more about care leavers.").first).to_be_visible()
    check_accessibility(axe, page)
    assert SelfAssessment.objects.get().status == "moderated"
