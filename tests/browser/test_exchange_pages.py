"""The exchange's management and reporting pages in Chromium with axe (WCAG 2.2 AA): a council admin
changes a specialist, their availability and withdraws them; redeems credit on the ledger statement; an
alliance coordinator asks for help on a council's behalf from a prefilled link; national and regional
staff read the map of exchange flows and the concentration report. Errors are shown in a GOV.UK error
summary that takes focus, and every page reflows at 320 pixels."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.dates import expect_date, fill_date
from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


def _person(username, role, *, code=None, region=None):
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Authority, Region

    return ensure_user(
        username=username,
        full_name=username.replace(".", " ").title(),
        password=PASSWORD,
        role=role,
        authority=Authority.objects.get(code=code) if code else None,
        region=Region.objects.get(slug=region) if region else None,
    )[0]


@pytest.fixture
def exchange(camden_admin):
    """Camden lends Sam to Leeds (agreed, 4 days delivered); Camden also has Alex, on no loan; Leeds
    lends Lou to Bradford; Islington lends Iz to Camden."""
    from slihub.accounts.models import Role
    from slihub.exchange import services
    from slihub.places.models import Authority

    leeds_admin = _person("leeds.admin", Role.COUNCIL_ADMIN, code="383")
    bradford_admin = _person("bradford.admin", Role.COUNCIL_ADMIN, code="380")
    islington_admin = _person("islington.admin", Role.COUNCIL_ADMIN, code="206")
    _person("national.admin", Role.NATIONAL_ADMIN)
    _person("london.coordinator", Role.ALLIANCE_COORDINATOR, region="london")
    places = {code: Authority.objects.get(code=code) for code in ("202", "206", "380", "383")}

    def specialist(admin, code, name, expertise):
        return services.add_specialist(
            user=admin,
            authority=places[code],
            name=name,
            role="Team manager",
            seniority=3,
            expertise=expertise,
            days_per_week=3,
            swe_number="SW123456",
            consent_to_list=True,
            windows=[(date(2030, 1, 1), date(2030, 12, 31))],
        )

    def agreed(lender_admin, borrower_admin, person, code, start, end, per_week):
        request = services.create_help_request(
            user=borrower_admin,
            authority=places[code],
            title=f"Help for {places[code].name}",
            expertise_needed=person.expertise,
            description="We need help.",
            start=start,
            end=end,
            days_per_week=per_week,
            mode="remote",
        )
        loan = services.propose_loan(request=request, specialist=person)
        services.accept_loan(user=lender_admin, loan=loan)
        return services.accept_loan(user=borrower_admin, loan=loan)

    sam = specialist(camden_admin, "202", "Sam Specialist", ["front_door_mash"])
    alex = specialist(camden_admin, "202", "Alex Unlent", ["child_protection"])
    loan = agreed(camden_admin, leeds_admin, sam, "383", date(2030, 1, 7), date(2030, 5, 6), 2)
    services.record_delivery(user=leeds_admin, loan=loan, days="4", on=date(2030, 1, 14))
    lou = specialist(leeds_admin, "383", "Lou Leeds", ["send"])
    agreed(leeds_admin, bradford_admin, lou, "380", date(2030, 2, 1), date(2030, 3, 31), 5)
    iz = specialist(islington_admin, "206", "Iz Islington", ["care_leavers"])
    agreed(islington_admin, camden_admin, iz, "202", date(2030, 3, 1), date(2030, 3, 31), 1)
    return {"sam": sam, "alex": alex, "loan": loan}


def checked(axe, page, heading=None):
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(axe, page)


def test_a_council_admin_manages_the_bank(page, site, axe, exchange):
    from slihub.exchange.models import Specialist

    alex = exchange["alex"]
    sign_in(page, site, "camden.admin")
    page.goto(f"{site}/exchange/specialists/{alex.pk}/")
    checked(axe, page, "Alex Unlent")
    check_reflow(page)

    # Change details: a registration number of the wrong shape is refused, then a good one saved.
    page.get_by_role("button", name="Change details").click()
    checked(axe, page, "Change Alex Unlent's details")
    expect(page.get_by_label("Social Work England registration number")).to_have_value("SW123456")
    page.get_by_label("Social Work England registration number").fill("123")
    page.get_by_label("Role", exact=True).fill("Head of service")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("SW followed by digits")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    checked(axe, page)
    assert Specialist.objects.get(pk=alex.pk).role == "Team manager"
    page.get_by_label("Social Work England registration number").fill("sw7")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Alex Unlent's details were changed")
    expect(page.get_by_text("SW7", exact=True)).to_be_visible()

    # Availability: a window that ends before it starts is refused; a good one is joined to the first.
    fill_date(page, "Available from", "2031-03-01")
    fill_date(page, "Available until", "2031-02-01")
    page.get_by_role("button", name="Add dates").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The availability must end after it starts")
    expect(summary).to_be_focused()
    checked(axe, page)
    fill_date(page, "Available until", "2031-06-30")
    fill_date(page, "Available from", "2031-01-01")
    page.get_by_role("button", name="Add dates").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "available from 1 January 2030 to 30 June 2031"
    )
    page.get_by_role("button", name="Remove the availability from 1 January 2030 to 30 June 2031").click()
    expect(page.get_by_text("No dates given: matching will not propose Alex Unlent")).to_be_visible()
    checked(axe, page)

    # Sam is on a loan that has not ended: withdrawal is refused and says why.
    page.goto(f"{site}/exchange/specialists/{exchange['sam'].pk}/withdraw/")
    checked(axe, page, "Withdraw Sam Specialist from the bank")
    expect(page.locator("#withdraw-refusal")).to_contain_text("End the loan on its page first")
    expect(page.get_by_role("button", name="Withdraw Sam Specialist")).to_have_count(0)

    # Alex is withdrawn, then returned to the bank.
    page.goto(f"{site}/exchange/specialists/{alex.pk}/")
    page.get_by_role("button", name="Withdraw Alex Unlent").click()
    checked(axe, page, "Withdraw Alex Unlent from the bank")
    page.get_by_role("button", name="Withdraw Alex Unlent").click()
    checked(axe, page, "Specialist bank")
    expect(page.get_by_role("row", name=re.compile("Alex Unlent"))).to_contain_text("Withdrawn")
    page.get_by_role("link", name="Alex Unlent").click()
    checked(axe, page, "Alex Unlent")
    page.get_by_role("button", name="Return Alex Unlent to the bank").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("back in Camden's bank")
    assert Specialist.objects.get(pk=alex.pk).is_active


def test_a_council_admin_redeems_credit(page, site, axe, exchange):
    from slihub.exchange.models import LedgerEntry

    sign_in(page, site, "camden.admin")
    page.goto(f"{site}/exchange/ledger/202/")
    checked(axe, page, "Ledger statement")
    expect(page.locator("#ledger-balance")).to_have_text("Balance: 4 days in credit")
    page.get_by_label("Days to redeem").fill("5")
    page.get_by_label("What the credit is redeemed for").fill("National peer review")
    page.get_by_role("button", name="Redeem credit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Camden has 4 days of credit, fewer than the 5 you asked to redeem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    checked(axe, page)
    page.get_by_label("Days to redeem").fill("lots")
    page.get_by_role("button", name="Redeem credit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("as a number")
    assert LedgerEntry.objects.filter(authority=None).count() == 0
    page.get_by_label("Days to redeem").fill("1.5")
    page.get_by_role("button", name="Redeem credit").click()
    expect(page.locator("#ledger-balance")).to_have_text("Balance: 2.5 days in credit")
    expect(page.get_by_role("cell", name="Credit redeemed nationally: National peer review")).to_be_visible()
    checked(axe, page)
    check_reflow(page)


def test_a_coordinator_asks_for_help_on_a_councils_behalf(page, site, axe, exchange):
    from slihub.exchange.models import HelpRequest

    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/exchange/")
    checked(axe, page, "Specialist exchange")
    page.get_by_label("A council's specialist bank, ledger and requests for help").select_option(
        label="Camden"
    )
    page.get_by_role("button", name="Open the council's bank").click()
    checked(axe, page, "Specialist bank")
    # Early warning links here with the problem filled in.
    page.goto(
        f"{site}/exchange/councils/202/ask/?title=Re-referrals+are+rising&expertise=front_door_mash"
        "&expertise=no_such_area&urgency=urgent&start=2030-02-01&end=2030-05-31&days_per_week=2&mode=remote"
        "&linked_indicators=re-referrals&description=Our+re-referral+rate+has+risen+for+three+years"
    )
    checked(axe, page, "Ask for help")
    expect(page.locator("#on-behalf")).to_contain_text("on Camden's behalf")
    expect(page.get_by_label("The problem")).to_have_value("Re-referrals are rising")
    expect(page.get_by_label("Front door and MASH")).to_be_checked()
    expect(page.get_by_label("Urgent")).to_be_checked()
    expect_date(expect, page, "Start date", "2030-02-01")
    check_reflow(page)
    page.get_by_role("button", name="Ask for help").click()
    checked(axe, page, "Re-referrals are rising")
    expect(page.locator("#raised-by")).to_contain_text(
        "London Coordinator, the alliance coordinator for London, on Camden's behalf"
    )
    request = HelpRequest.objects.get(title="Re-referrals are rising")
    assert (request.authority.code, request.created_by.username, request.raised_as) == (
        "202",
        "london.coordinator",
        "alliance_coordinator",
    )
    response = page.goto(f"{site}/exchange/councils/383/ask/")
    assert response.status == 403  # Leeds is not in London


@pytest.mark.parametrize("who", ["national.admin", "london.coordinator"])
def test_the_flows_map_and_the_concentration_report(page, site, axe, exchange, who):
    sign_in(page, site, who)
    page.goto(f"{site}/exchange/overview/")
    checked(axe, page, "Exchange flows and balances")
    check_reflow(page)
    flows = page.locator("svg.app-map g.app-flow")
    expect(flows).to_have_count(3 if who == "national.admin" else 2)
    expect(page.locator("#flows")).to_contain_text("Camden")
    page.get_by_role("link", name="How concentrated lending is, quarter by quarter").click()
    checked(axe, page, "Concentration of lending")
    check_reflow(page)
    expect(page.locator("main").get_by_role("heading", level=2)).to_have_count(
        1 if who == "national.admin" else 2
    )
    expect(page.get_by_role("table").first).to_contain_text("2030-Q1")


def test_a_council_asks_a_partner_which_offers_its_own_specialist(page, site, axe, exchange):
    from slihub.exchange.models import HelpRequest, Loan

    # Leeds asks Camden directly (early warning links here with the partner filled in).
    sign_in(page, site, "leeds.admin")
    page.goto(
        f"{site}/exchange/councils/383/ask/?title=Child+protection+plans+repeat&expertise=child_protection"
        "&start=2030-02-01&end=2030-05-31&days_per_week=2&mode=remote&urgency=soon&partner=202"
        "&description=Second+plans+are+rising"
    )
    checked(axe, page, "Ask for help")
    expect(page.get_by_label("Ask a particular council (optional)")).to_have_value("202")
    page.get_by_role("button", name="Ask for help").click()
    checked(axe, page, "Child protection plans repeat")
    expect(page.locator("#asked-of")).to_contain_text("Camden")
    request = HelpRequest.objects.get(title="Child protection plans repeat")

    # Camden sees it addressed to it, and offers a specialist: Sam is busy then, so Alex goes.
    page.get_by_role("button", name=re.compile("Sign out")).click()
    sign_in(page, site, "camden.admin")
    page.goto(f"{site}/exchange/")
    checked(axe, page, "Specialist exchange")
    page.locator("#asked-of-202").get_by_role(
        "link", name=re.compile("Child protection plans repeat")
    ).click()
    checked(axe, page, "Child protection plans repeat")
    page.get_by_label("Specialist to offer").select_option(value=str(exchange["sam"].pk))
    page.get_by_role("button", name="Offer this specialist").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("already on an agreed loan")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    checked(axe, page)
    assert not Loan.objects.filter(request=request).exists()
    page.get_by_label("Specialist to offer").select_option(value=str(exchange["alex"].pk))
    page.get_by_role("button", name="Offer this specialist").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now needs Leeds's acceptance")
    checked(axe, page)
    loan = Loan.objects.get(request=request)
    assert (loan.specialist_id, loan.status, loan.lender_accepted_by.username) == (
        exchange["alex"].pk,
        Loan.Status.PROPOSED,
        "camden.admin",
    )
