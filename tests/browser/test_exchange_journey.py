"""The specialist exchange end to end: Camden lists a specialist, Leeds asks for help with its front
door for four months, a matching run proposes Camden's specialist with reasons, both accept, days are
delivered, and the ledger shows Camden in credit and Leeds in debit by the same amount. A request for
seven months, a registration number of the wrong shape and an overlapping second loan are refused
with a clear message and change nothing. axe runs on every exchange page."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.dates import fill_date
from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


def _person(username, role, code=None):
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Authority

    return ensure_user(
        username=username,
        full_name=username.replace(".", " ").title(),
        password=PASSWORD,
        role=role,
        authority=Authority.objects.get(code=code) if code else None,
    )[0]


@pytest.fixture
def exchange_people(camden_admin):
    from slihub.accounts.models import Role

    return {
        "camden": camden_admin,
        "leeds": _person("leeds.admin", Role.COUNCIL_ADMIN, "383"),
        "national": _person("national.admin", Role.NATIONAL_ADMIN),
    }


def switch_to(page, site, username):
    page.context.clear_cookies()
    sign_in(page, site, username)


def checked(axe, page, heading=None):
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(axe, page)


def test_camden_lends_leeds_a_specialist_and_the_ledger_balances(page, site, axe, exchange_people):
    from slihub.exchange import services
    from slihub.exchange.models import HelpRequest, LedgerEntry, Loan, Specialist

    # Camden lists a specialist; a registration number of the wrong shape is refused first.
    sign_in(page, site, "camden.admin")
    page.get_by_role("link", name="Exchange").first.click()
    checked(axe, page, "Specialist exchange")
    page.get_by_role("link", name="Camden's specialist bank").click()
    checked(axe, page, "Specialist bank")
    page.get_by_role("button", name="Add a specialist").click()
    checked(axe, page, "Add a specialist")
    page.get_by_label("Full name").fill("Sam Specialist")
    page.get_by_label("Email address").fill("sam@example.gov.uk")
    page.get_by_label("Role", exact=True).fill("Team manager")
    page.get_by_label("Seniority").select_option(label="Team manager")
    page.get_by_label("Front door and MASH").check()
    page.get_by_label("Child protection").check()
    page.get_by_label("Social Work England registration number").fill("12345")
    page.get_by_label("Most days a week").fill("3")
    page.get_by_label("Can work remotely").check()
    page.get_by_label("Can work on site").check()
    fill_date(page, "Available from", "2030-01-01")
    fill_date(page, "Available until", "2030-12-31")
    page.get_by_label("They consent to be listed").check()
    page.get_by_role("button", name="Add specialist").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("SW followed by digits")
    expect(page).to_have_title(re.compile(r"^Error: "))
    checked(axe, page)
    assert not Specialist.objects.exists()
    page.get_by_label("Social Work England registration number").fill("SW123456")
    page.get_by_role("button", name="Add specialist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Specialist bank")
    expect(page.get_by_role("table")).to_contain_text("Sam Specialist")
    page.get_by_role("link", name="Sam Specialist").click()
    checked(axe, page, "Sam Specialist")

    # Leeds asks for help with its front door: seven months is refused, four months is published.
    switch_to(page, site, "leeds.admin")
    page.goto(site + "/exchange/")
    page.get_by_role("link", name="Ask for help for Leeds").click()
    checked(axe, page, "Ask for help")
    page.get_by_label("The problem").fill("Re-referrals at our front door are rising")
    page.get_by_label("Front door and MASH").check()
    page.get_by_label("Description").fill("We want to redesign the front door and MASH.")
    fill_date(page, "Start date", "2030-01-07")
    fill_date(page, "End date", "2030-08-06")
    page.get_by_label("Days a week").fill("2")
    page.get_by_label("On site").check()
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Ask for help").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("within six months of the start date")
    checked(axe, page)
    assert not HelpRequest.objects.exists()
    fill_date(page, "End date", "2030-05-06")
    page.get_by_role("button", name="Ask for help").click()
    checked(axe, page, "Re-referrals at our front door are rising")
    page.goto(site + "/exchange/specialists/")
    checked(axe, page, "Specialists listed")
    expect(page.get_by_role("table")).not_to_contain_text("Sam Specialist")  # anonymised for Leeds

    # A national admin runs matching: Camden's specialist is proposed, with reasons.
    switch_to(page, site, "national.admin")
    page.goto(site + "/exchange/matching/")
    checked(axe, page, "Matching")
    page.get_by_role("button", name="Run matching").click()
    card = page.locator(".govuk-summary-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Sam Specialist, Camden, ")
    expect(card).to_contain_text("has the expertise Leeds asked for (front door and MASH)")
    expect(card).to_contain_text(re.compile(r"km away|near Leeds|can be done remotely"))
    expect(card).not_to_contain_text("Fit ")
    card.get_by_text("How this match was scored").click()
    expect(card.get_by_role("row", name=re.compile("^Total"))).to_be_visible()
    checked(axe, page)
    loan = Loan.objects.get()

    # Both councils accept.
    switch_to(page, site, "camden.admin")
    page.goto(f"{site}/exchange/loans/{loan.pk}/")
    checked(axe, page, f"Loan {loan.reference}")
    page.get_by_role("button", name="Accept loan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("needs the other council")
    switch_to(page, site, "leeds.admin")
    page.goto(f"{site}/exchange/loans/{loan.pk}/")
    page.get_by_role("button", name="Accept loan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("agreed by both councils")
    expect(page.locator("#loan-status")).to_have_text("Accepted by both councils")
    checked(axe, page)

    # Days are delivered.
    page.get_by_label("Days delivered").fill("4")
    fill_date(page, "Date delivered", "2030-01-14")
    page.get_by_role("button", name="Record days").click()
    expect(page.locator("#loan-status")).to_have_text("Active")
    checked(axe, page)
    check_reflow(page)
    page.goto(site + "/exchange/loans/")
    checked(axe, page, "Loans")
    page.goto(site + "/exchange/requests/")
    checked(axe, page, "Help requests")

    # The ledger: Leeds in debit, Camden in credit, by the same amount.
    page.goto(site + "/exchange/ledger/383/")
    checked(axe, page, "Ledger statement")
    expect(page.locator("#ledger-balance")).to_have_text("Balance: 4 days in debit")
    switch_to(page, site, "camden.admin")
    page.goto(site + "/exchange/ledger/202/")
    expect(page.locator("#ledger-balance")).to_have_text("Balance: 4 days in credit")
    assert sum(LedgerEntry.objects.values_list("days", flat=True)) == 0

    # An overlapping second loan is refused with a clear message and changes nothing.
    second_request = services.create_help_request(
        user=exchange_people["leeds"],
        authority=loan.borrower,
        title="Child protection plans",
        expertise_needed=["child_protection"],
        description="Repeat plans",
        start=date(2030, 3, 1),
        end=date(2030, 4, 1),
        days_per_week=1,
        mode="remote",
    )
    second = services.propose_loan(request=second_request, specialist=loan.specialist)
    services.accept_loan(user=exchange_people["camden"], loan=second)
    switch_to(page, site, "leeds.admin")
    page.goto(f"{site}/exchange/loans/{second.pk}/")
    page.get_by_role("button", name="Accept loan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already on an agreed loan")
    checked(axe, page)
    second.refresh_from_db()
    assert second.status == Loan.Status.PROPOSED

    # The national overview of exchange flows.
    switch_to(page, site, "national.admin")
    page.goto(site + "/exchange/overview/")
    checked(axe, page, "Exchange flows and balances")
    expect(page.get_by_role("table").first).to_contain_text("Camden")
