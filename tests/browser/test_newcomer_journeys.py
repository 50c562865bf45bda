"""A newcomer's tour: from the state `make run` leaves (the public data, the demo accounts and the sample
activity), signed in with only the printed demo logins, each journey the README describes is completed
end to end, with axe on every page visited.

- A loan from a help request to the ledger across two councils: Camden asks, Islington's admin offers its
  specialist, Camden's admin accepts, Islington records the days, both ledgers show them; Islington
  accepts the loan Leeds offered in the sample activity; a national admin reads the flows and the audit.
- Peer validation of local practice and a workshop: Camden's and Leeds's analysts validate Islington's
  sample practice, which is then public; a Leeds analyst takes a place at the sample workshop; the
  evidence editor finds the uploads to review; the public reads the home page, the progress maps and the
  validated practice.
- The alliance cycle: Camden's analyst finishes and submits the sample self-assessment, London's
  coordinator assigns Islington's analyst to moderate it, who does, the coordinator makes it final, and
  Camden's chief executive reads it.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.alliance_steps import _saved, _type_into
from tests.browser.progress_steps import NAME, cla_site  # noqa: F401 (a fixture)
from tests.browser.support import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def hub(cla_site, settings, tmp_path):  # noqa: F811
    """What `make run` sets up, as the browser fixtures can: the reference data, Ofsted's inspections and
    an indicator (the whole bank takes minutes), the alliances, the demo accounts and the sample activity,
    made by the same functions the commands call. Returns the site's address and the demo password."""
    from slihub.accounts.demo import create_demo_accounts, demo_password
    from slihub.alliances.services import ensure_alliances
    from slihub.web.demo_data import seed

    settings.VAR_DIR = tmp_path  # where the demo password is kept
    ensure_alliances()
    create_demo_accounts()
    seed()
    return cla_site, demo_password()


def as_demo(page, hub, username):
    site, password = hub
    page.context.clear_cookies()
    sign_in(page, site, username, password)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def visit(page, axe, url, heading=None):
    page.goto(url)
    if heading:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check_accessibility(axe, page)


def fill_date(page, label, day):
    """A date field, as GOV.UK's day, month and year boxes or as one box."""
    group = page.get_by_role("group", name=label)
    if group.count():
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    else:
        page.get_by_label(label).fill(day.isoformat())


def your_pages(page):
    """The "Your pages" part of the home page."""
    return page.locator("#your-pages")


def test_a_loan_from_request_to_ledger_across_two_councils(page, hub, axe):
    from slihub.exchange.models import HelpRequest, Loan

    site, _ = hub
    today = timezone.localdate()

    # Camden's admin finds the exchange from the home page and asks for help with its case audits.
    as_demo(page, hub, "camden.admin")
    visit(page, axe, site + "/", "Sector-led improvement")
    expect(page.get_by_role("heading", name="Camden", level=3)).to_be_visible()
    your_pages(page).get_by_role("link", name="Camden's specialist bank, help requests and loans").click()
    check_accessibility(axe, page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Specialist exchange")
    visit(page, axe, site + "/exchange/councils/202/ask/", "Ask for help")
    page.get_by_label("The problem").fill("An outside eye on our case audits")
    page.get_by_label("Quality assurance and audit").check()
    page.get_by_label("Description").fill(
        "We want an experienced auditor to moderate our audits for a month."
    )
    fill_date(page, "Start date", today)
    fill_date(page, "End date", today + timedelta(days=60))
    page.get_by_label("Days a week").fill("1")
    page.get_by_label("Remote").check()
    page.get_by_label("Routine").check()
    page.get_by_role("button", name="Ask for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("An outside eye on our case audits")
    check_accessibility(axe, page)
    request = HelpRequest.objects.get(title="An outside eye on our case audits")

    # Islington's admin offers its specialist for it.
    as_demo(page, hub, "islington.admin")
    visit(page, axe, f"{site}/exchange/requests/{request.pk}/", "An outside eye on our case audits")
    specialist = page.get_by_label("Specialist to offer")
    specialist.select_option(index=1)
    expect(specialist.locator("option:checked")).to_contain_text("Islington practice auditor")
    page.get_by_role("button", name="Offer this specialist").click()
    check_accessibility(axe, page)
    loan = Loan.objects.get(request=request)
    assert loan.lender.code == "206" and loan.status == Loan.Status.PROPOSED

    # Camden's admin accepts: the loan is agreed by both councils.
    as_demo(page, hub, "camden.admin")
    visit(page, axe, f"{site}/exchange/loans/{loan.pk}/", "Loan")
    page.get_by_role("button", name="Accept loan").click()
    expect(page.locator("#loan-status")).to_have_text("Accepted by both councils")
    check_accessibility(axe, page)

    # Islington's admin records a day and a half delivered; the ledgers show it on both sides.
    as_demo(page, hub, "islington.admin")
    visit(page, axe, f"{site}/exchange/loans/{loan.pk}/", "Loan")
    page.get_by_label("Days delivered").fill("1.5")
    fill_date(page, "Date delivered", today)
    page.get_by_role("button", name="Record days").click()
    expect(page.locator("#loan-status")).to_have_text("Active")
    check_accessibility(axe, page)
    visit(page, axe, site + "/exchange/ledger/206/", "Ledger")
    expect(page.locator("#ledger-balance")).to_have_text("Balance: 1.5 days in credit")
    expect(page.get_by_role("table").first).to_contain_text("Camden")

    # The sample activity left Islington a loan offered by Leeds: Islington accepts it too.
    leeds_offer = Loan.objects.get(lender__code="383", borrower__code="206")
    visit(page, axe, site + "/exchange/loans/", "Loans")
    visit(page, axe, f"{site}/exchange/loans/{leeds_offer.pk}/", "Loan")
    page.get_by_role("button", name="Accept loan").click()
    expect(page.locator("#loan-status")).to_have_text("Accepted by both councils")
    check_accessibility(axe, page)

    # Camden: 2 days lent to Leeds in the sample activity, 1.5 borrowed from Islington now.
    as_demo(page, hub, "camden.admin")
    visit(page, axe, site + "/exchange/ledger/202/", "Ledger")
    expect(page.locator("#ledger-balance")).to_have_text("Balance: 0.5 days in credit")
    expect(page.get_by_role("table").first).to_contain_text("Islington")

    # A national admin reads the flows between councils and who did what, from the home page.
    as_demo(page, hub, "national.admin")
    visit(page, axe, site + "/")
    your_pages(page).get_by_role("link", name="Exchange flows and balances across England").click()
    check_accessibility(axe, page)
    expect(page.get_by_role("table").first).to_contain_text("Islington")
    page.goto(site + "/")
    your_pages(page).get_by_role("link", name="The audit log of every change to private records").click()
    check_accessibility(axe, page)
    expect(page.locator("main")).to_contain_text("Islington")


def test_local_practice_is_validated_by_two_councils_and_a_workshop_is_booked(page, hub, axe):
    from slihub.evidence.models import LocalPractice
    from slihub.workshops.models import Event

    site, _ = hub
    practice = LocalPractice.objects.get(title__startswith="Sample:")

    # The public: the home page says what the hub does, and leads to the progress maps.
    visit(page, axe, site + "/", "Sector-led improvement")
    expect(page.get_by_text("Coming next")).to_have_count(0)
    page.get_by_role("link", name="Progress maps").click()
    check_accessibility(axe, page)
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    visit(page, axe, site + "/workshops/", "Regional knowledge workshops")
    expect(page.get_by_role("link", name="Sample: Learning from family group conferences")).to_be_visible()

    # Camden's and Leeds's analysts, assigned by London's coordinator, validate Islington's practice.
    for username, council in (("camden.analyst", "Camden"), ("leeds.analyst", "Leeds")):
        as_demo(page, hub, username)
        visit(page, axe, site + "/")
        your_pages(page).get_by_role(
            "link", name="Local practice: submit your own, and validate other councils'"
        ).click()
        check_accessibility(axe, page)
        page.get_by_role("link", name=practice.title).first.click()
        expect(page.get_by_role("group", name=f"Your decision, as validator for {council}")).to_be_visible()
        check_accessibility(axe, page)
        page.get_by_label("Validated", exact=True).check()
        page.get_by_label("Your reasons").fill(
            f"{council}: the before and after figures are clear and local."
        )
        page.get_by_role("button", name="Send decision").click()
        check_accessibility(axe, page)
    practice.refresh_from_db()
    assert practice.status == LocalPractice.Status.VALIDATED

    # Leeds's analyst takes a place at the sample workshop and finds it under "My workshops".
    event = Event.objects.get(title__startswith="Sample:")
    visit(page, axe, f"{site}/workshops/{event.pk}/", "Sample: Learning from family group conferences")
    page.get_by_role("button", name="Register").first.click()
    check_accessibility(axe, page)
    visit(page, axe, site + "/workshops/mine/")
    expect(page.get_by_role("link", name="Sample: Learning from family group conferences")).to_be_visible()
    assert event.registrations.filter(user__username="leeds.analyst").exists()

    # The evidence editor finds the study uploads to review; the public reads the validated practice.
    as_demo(page, hub, "evidence.editor")
    visit(page, axe, site + "/")
    your_pages(page).get_by_role("link", name="Study uploads waiting for review").click()
    check_accessibility(axe, page)
    page.context.clear_cookies()
    visit(page, axe, f"{site}/evidence/local/{practice.pk}/", practice.title)
    expect(page.locator("main")).to_contain_text("Validated local practice")


def test_the_alliance_cycle_from_the_sample_self_assessment_to_final(page, hub, axe):
    from slihub.alliances.models import SelfAssessment

    site, _ = hub
    assessment = SelfAssessment.objects.get(authority__code="202")
    year = assessment.cycle.year

    # Camden's analyst continues the sample draft from the home page, finishes it and submits it.
    as_demo(page, hub, "camden.analyst")
    visit(page, axe, site + "/")
    your_pages(page).get_by_role("link", name=f"Camden's self-assessment for {year} to {year + 1}").click()
    expect(page.locator("#status")).to_have_text("Draft")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Continue the self-assessment").click()
    check_accessibility(axe, page)
    for question, answer in (
        ("What do you know about the quality and impact of social work practice?", "Practice is improving."),
        ("How do you know it?", "Monthly audits and what children tell us."),
        ("What are your plans for the next 12 months?", "Stabilise the workforce."),
    ):
        _type_into(page, page.get_by_label(question), answer)
        page.get_by_role("button", name="Save and continue").click()
    for number in range(5):
        expect(page.get_by_text(f"judgment area {number + 1} of 5")).to_be_visible()
        if number == 0:
            check_accessibility(axe, page)
        with _saved(page):
            page.get_by_label("Good", exact=True).check()
            page.get_by_label("Why this grade").fill("Audits and the last focused visit.")
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Submit the self-assessment").click()
    expect(page.locator("#status")).to_have_text("Submitted")
    check_accessibility(axe, page)
    overview = page.url

    # London's coordinator assigns Islington's analyst to moderate it.
    as_demo(page, hub, "london.coordinator")
    visit(page, axe, site + "/")
    your_pages(page).get_by_role(
        "link", name="The London alliance: where each council stands in the cycle"
    ).click()
    check_accessibility(axe, page)
    visit(page, axe, overview, "Self-assessment")
    page.get_by_label("Moderator, from another council of London").select_option(
        label="Islington performance analyst"
    )
    page.get_by_role("button", name="Assign the moderator").click()
    expect(page.get_by_text("Moderator: Islington performance analyst")).to_be_visible()
    check_accessibility(axe, page)

    # Islington's analyst moderates.
    as_demo(page, hub, "islington.analyst")
    visit(page, axe, overview, "Self-assessment")
    page.get_by_role("link", name="Moderate it").click()
    check_accessibility(axe, page)
    page.get_by_label("Your comments").fill("The grades match the audits; say more about care leavers.")
    page.get_by_role("button", name="Send your comments").click()
    expect(page.locator("#status")).to_have_text("Moderated")
    check_accessibility(axe, page)

    # The coordinator makes it final; Camden's chief executive reads it.
    as_demo(page, hub, "london.coordinator")
    visit(page, axe, overview, "Self-assessment")
    page.get_by_role("button", name="Make it final").click()
    expect(page.locator("#status")).to_have_text("Final")
    check_accessibility(axe, page)
    as_demo(page, hub, "camden.chief.executive")
    visit(page, axe, site + "/")
    your_pages(page).get_by_role("link", name=f"Camden's self-assessment for {year} to {year + 1}").click()
    expect(page.locator("#status")).to_have_text("Final")
    expect(page.locator("main")).to_contain_text("say more about care leavers")
    check_accessibility(axe, page)
