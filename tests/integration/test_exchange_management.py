"""Bank management (change, availability, withdrawal), redeeming credit, asking for help on a council's
behalf and the "Ask for help" form filled in from its address: each against every persona, and every
refusal clear and changing nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from slihub.accounts.models import Role
from slihub.exchange import services
from slihub.exchange.models import (
    AvailabilityWindow,
    Decline,
    HelpRequest,
    LedgerEntry,
    LedgerTransaction,
    Loan,
    Specialist,
)
from slihub.exchange.runs import build_instance
from tests import factories
from tests.integration import exchange_helpers as ex
from tests.integration.html import page, table_rows

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "camden_analyst", "leeds_admin", "london_coordinator", "national_admin")
# Changing Camden's bank or redeeming its credit: Camden's admins (not a persona) and national admins.
CAMDEN_MANAGE = {"camden_analyst": 403, "leeds_admin": 403, "london_coordinator": 403, "national_admin": 302}


@pytest.fixture
def bank(places, leeds_admin):
    """Camden's Alex (listed, on no loan) and Sam (lent to Leeds, 3 days delivered)."""
    camden_admin = ex.camden_admin(places)
    alex = ex.specialist(places, camden_admin, name="Alex Unlent", swe_number="SW777")
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    services.record_delivery(user=leeds_admin, loan=loan, days="3", on=date(2030, 1, 10))
    return {"camden_admin": camden_admin, "alex": alex, "sam": loan.specialist, "loan": loan}


def client_for(as_persona, persona, bank=None):
    """A persona's client, or Camden's admin ("camden_admin")."""
    if persona == "camden_admin":
        client = Client()  # its own: as_persona's client is shared and signs in as each persona
        client.force_login(bank["camden_admin"])
        return client
    return as_persona(persona)


def snapshot(specialist: Specialist) -> tuple:
    specialist.refresh_from_db()
    windows = tuple(specialist.windows.values_list("start", "end"))
    return (
        specialist.name,
        specialist.role,
        specialist.swe_number,
        specialist.days_per_week,
        specialist.remote,
        specialist.on_site,
        specialist.consent_to_list,
        specialist.is_active,
        windows,
    )


def details(**changes) -> dict:
    values = {
        "name": "Alex Unlent",
        "email": "alex@example.gov.uk",
        "role": "Head of service",
        "seniority": "5",
        "expertise": ["leadership_governance", "quality_assurance"],
        "accreditation": "Practice educator",
        "swe_number": " sw99 ",
        "days_per_week": "1.5",
        "on_site": "on",
        "consent_to_list": "",
    }
    return {k: v for k, v in (values | changes).items() if v != ""}


# ---------------------------------------------------------------- every persona, every change


def _post_routes(bank):
    alex = bank["alex"]
    window = alex.windows.get()
    return {
        "change": (f"/exchange/specialists/{alex.pk}/change/", details()),
        "add window": (
            f"/exchange/specialists/{alex.pk}/windows/add/",
            {"window-start": "2031-03-01", "window-end": "2031-06-30"},
        ),
        "remove window": (f"/exchange/specialists/{alex.pk}/windows/{window.pk}/remove/", {}),
        "withdraw": (f"/exchange/specialists/{alex.pk}/withdraw/", {}),
    }


@pytest.mark.parametrize("action", ["change", "add window", "remove window", "withdraw"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_councils_admins_and_national_admins_change_its_bank(bank, as_persona, persona, action):
    path, data = _post_routes(bank)[action]
    before = snapshot(bank["alex"])
    response = as_persona(persona).post(path, data)
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == CAMDEN_MANAGE[persona], response.content[:400]
    if response.status_code == 403:
        assert "Only Camden's council admins and national admins can change its specialist bank." in (
            page(response).one("main").text
        )
    changed = snapshot(bank["alex"]) != before
    assert changed == (persona == "national_admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_councils_admins_and_national_admins_return_a_specialist_to_the_bank(
    bank, as_persona, persona
):
    services.withdraw_specialist(user=bank["camden_admin"], specialist=bank["alex"])
    response = as_persona(persona).post(f"/exchange/specialists/{bank['alex'].pk}/reinstate/")
    bank["alex"].refresh_from_db()
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    elif persona in ("camden_analyst", "london_coordinator"):
        assert response.status_code == 403  # sees Camden's whole bank, may not change it
    elif persona == "national_admin":
        assert response.status_code == 302
    else:
        assert response.status_code == 404  # a withdrawn specialist is no longer listed to other councils
    assert bank["alex"].is_active == (persona == "national_admin")


def test_the_specialist_page_offers_management_only_to_those_who_may_manage(bank, as_persona):
    alex = bank["alex"]
    change = f"/exchange/specialists/{alex.pk}/change/"
    for persona, offered in [
        ("camden_analyst", False),
        ("leeds_admin", False),
        ("london_coordinator", False),
        ("national_admin", True),
        ("camden_admin", True),
    ]:
        document = page(client_for(as_persona, persona, bank).get(f"/exchange/specialists/{alex.pk}/"))
        assert bool(document.find_all("a", href=change)) == offered, persona
        assert (
            bool(document.find_all("form", action=f"/exchange/specialists/{alex.pk}/windows/add/")) == offered
        )


# ---------------------------------------------------------------- changing details


def test_a_council_admin_changes_every_detail(bank, as_persona):
    alex = bank["alex"]
    response = client_for(as_persona, "camden_admin", bank).post(
        f"/exchange/specialists/{alex.pk}/change/", details()
    )
    assert response.status_code == 302 and response.url == f"/exchange/specialists/{alex.pk}/"
    alex.refresh_from_db()
    assert (alex.name, alex.email, alex.role, alex.seniority, alex.accreditation) == (
        "Alex Unlent",
        "alex@example.gov.uk",
        "Head of service",
        5,
        "Practice educator",
    )
    assert alex.swe_number == "SW99"  # trimmed and in capitals, as Social Work England writes it
    assert alex.expertise == ["leadership_governance", "quality_assurance"]
    assert (alex.days_per_week, alex.remote, alex.on_site, alex.consent_to_list) == (
        Decimal("1.5"),
        False,
        True,
        False,
    )
    # No longer consenting: off the list for other councils, still in Camden's bank.
    assert as_persona("leeds_admin").get(f"/exchange/specialists/{alex.pk}/").status_code == 404


def test_the_change_form_starts_from_the_current_details(bank, as_persona):
    alex = bank["alex"]
    document = page(
        client_for(as_persona, "camden_admin", bank).get(f"/exchange/specialists/{alex.pk}/change/")
    )
    assert document.one("h1").text == "Change Alex Unlent's details"
    assert document.one("input", name="swe_number").attrs["value"] == "SW777"
    assert document.one("input", name="days_per_week").attrs["value"] == "3.0"
    checked = {i.attrs["value"] for i in document.find_all("input", name="expertise") if "checked" in i.attrs}
    assert checked == {"front_door_mash", "child_protection"}
    assert "checked" in document.one("input", name="consent_to_list").attrs


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"swe_number": "12345"}, "swe_number", "SW followed by digits"),
        ({"swe_number": "SW12X"}, "swe_number", "SW followed by digits"),
        ({"on_site": ""}, "remote", "Select at least one way of working"),
        ({"days_per_week": "six"}, "days_per_week", "as a number"),
        ({"days_per_week": "5.5"}, "days_per_week", "5 or less"),
        ({"expertise": ["astrology"]}, "expertise", "Select areas of expertise from the list"),
        ({"expertise": ""}, "expertise", "Select at least one area of expertise"),
        ({"seniority": "9"}, "seniority", "Select the seniority"),
        ({"role": ""}, "role", "Enter the role"),
    ],
)
def test_a_bad_change_is_refused_with_an_error_summary_and_changes_nothing(
    bank, as_persona, changes, field, message
):
    alex = bank["alex"]
    before = snapshot(alex)
    response = client_for(as_persona, "camden_admin", bank).post(
        f"/exchange/specialists/{alex.pk}/change/", details(**changes)
    )
    assert response.status_code == 200
    document = page(response)
    assert document.one("title").text.startswith("Error: ")
    summary = document.one(class_="govuk-error-summary")
    assert message in summary.text
    assert summary.find("a", href=f"#id_{field}") is not None
    assert snapshot(alex) == before


def test_update_specialist_refuses_fields_it_does_not_manage(bank):
    with pytest.raises(TypeError, match="cannot change authority"):
        services.update_specialist(user=bank["camden_admin"], specialist=bank["alex"], authority=None)


# ---------------------------------------------------------------- availability windows


def test_overlapping_and_touching_windows_are_joined(bank):
    alex, admin = bank["alex"], bank["camden_admin"]
    services.add_window(user=admin, specialist=alex, start=date(2031, 1, 1), end=date(2031, 3, 31))
    joined = services.add_window(user=admin, specialist=alex, start=date(2030, 12, 1), end=date(2031, 1, 15))
    assert (joined.start, joined.end) == (date(2030, 1, 1), date(2031, 3, 31))
    services.add_window(user=admin, specialist=alex, start=date(2031, 4, 1), end=date(2031, 4, 30))  # touches
    services.add_window(user=admin, specialist=alex, start=date(2031, 6, 1), end=date(2031, 6, 30))
    assert list(alex.windows.values_list("start", "end")) == [
        (date(2030, 1, 1), date(2031, 4, 30)),
        (date(2031, 6, 1), date(2031, 6, 30)),
    ]


def test_a_window_that_ends_before_it_starts_is_refused_on_the_page(bank, as_persona):
    alex = bank["alex"]
    before = snapshot(alex)
    response = client_for(as_persona, "camden_admin", bank).post(
        f"/exchange/specialists/{alex.pk}/windows/add/",
        {"window-start": "2031-03-01", "window-end": "2031-02-01"},
    )
    assert response.status_code == 400
    summary = page(response).one(class_="govuk-error-summary")
    assert "The availability must end after it starts" in summary.text
    assert summary.find("a", href="#id_window-end-day") is not None
    response = client_for(as_persona, "camden_admin", bank).post(
        f"/exchange/specialists/{alex.pk}/windows/add/", {"window-start": "2031-02-30", "window-end": ""}
    )
    assert response.status_code == 400
    summary = page(response).one(class_="govuk-error-summary").text
    assert "Available from must be a real date" in summary
    assert "Enter the date they are available until" in summary
    assert snapshot(alex) == before


def test_a_window_is_removed_and_matching_stops_proposing_those_dates(bank, as_persona, places, leeds_admin):
    alex = bank["alex"]
    window = alex.windows.get()
    response = client_for(as_persona, "camden_admin", bank).post(
        f"/exchange/specialists/{alex.pk}/windows/{window.pk}/remove/"
    )
    assert response.status_code == 302
    assert not alex.windows.exists()
    text = page(client_for(as_persona, "camden_admin", bank).get(f"/exchange/specialists/{alex.pk}/")).text
    assert "No dates given: matching will not propose Alex Unlent" in text


def test_a_window_is_removed_only_through_its_own_specialist(bank, as_persona):
    other = bank["sam"].windows.get()
    response = client_for(as_persona, "camden_admin", bank).post(
        f"/exchange/specialists/{bank['alex'].pk}/windows/{other.pk}/remove/"
    )
    assert response.status_code == 404
    assert AvailabilityWindow.objects.filter(pk=other.pk).exists()


def test_removing_a_window_needs_a_post(bank, as_persona):
    window = bank["alex"].windows.get()
    response = as_persona("national_admin").get(
        f"/exchange/specialists/{bank['alex'].pk}/windows/{window.pk}/remove/"
    )
    assert response.status_code == 405
    assert AvailabilityWindow.objects.filter(pk=window.pk).exists()


# ---------------------------------------------------------------- withdrawal


def test_a_specialist_on_an_agreed_loan_is_not_withdrawn(bank, as_persona):
    sam = bank["sam"]
    client = client_for(as_persona, "camden_admin", bank)
    document = page(client.get(f"/exchange/specialists/{sam.pk}/withdraw/"))
    refusal = document.one(id="withdraw-refusal").text
    assert "cannot be withdrawn while on an agreed loan that has not ended" in refusal
    assert f"loan {bank['loan'].reference} to Leeds, 7 January 2030 to 6 May 2030" in refusal
    assert not document.find_all("button", type="submit", class_="govuk-button--warning")
    response = client.post(f"/exchange/specialists/{sam.pk}/withdraw/")
    assert response.status_code == 409
    assert "End the loan on its page first" in page(response).one(class_="govuk-error-summary").text
    sam.refresh_from_db()
    assert sam.is_active


def test_a_specialist_whose_loan_has_ended_is_withdrawn(bank, leeds_admin):
    services.end_loan(user=leeds_admin, loan=bank["loan"], on=date(2030, 2, 1))
    services.withdraw_specialist(user=bank["camden_admin"], specialist=bank["sam"])
    bank["sam"].refresh_from_db()
    assert not bank["sam"].is_active


def test_withdrawing_declines_proposals_awaiting_an_answer(bank, as_persona, places, leeds_admin):
    alex = bank["alex"]
    request = ex.help_request(
        places, leeds_admin, title="Child protection", expertise_needed=["child_protection"]
    )
    proposal = services.propose_loan(request=request, specialist=alex)
    client = client_for(as_persona, "camden_admin", bank)
    document = page(client.get(f"/exchange/specialists/{alex.pk}/withdraw/"))
    assert "1 proposal awaiting an answer will be declined" in document.one("main").text
    response = client.post(f"/exchange/specialists/{alex.pk}/withdraw/")
    assert response.status_code == 302 and response.url == "/exchange/banks/202/"
    banner = page(client.get(response.url)).one(class_="govuk-notification-banner").text
    assert (
        "Alex Unlent was withdrawn from Camden's bank. 1 proposal was awaiting an answer, now declined."
        in banner
    )
    proposal.refresh_from_db()
    alex.refresh_from_db()
    assert proposal.status == Loan.Status.DECLINED
    assert Decline.objects.get(specialist=alex).reason == "Withdrawn from the bank"
    assert (alex.is_active, alex.withdrawn_by) == (False, bank["camden_admin"])
    with pytest.raises(ValidationError, match="This loan is declined"):
        services.accept_loan(user=leeds_admin, loan=proposal)
    # No longer listed to others, nor matched, nor proposable; still in Camden's own bank.
    listed = as_persona("leeds_admin").get("/api/v1/exchange/specialists").json()["items"]
    assert alex.pk not in {item["id"] for item in listed}
    assert as_persona("leeds_admin").get(f"/exchange/specialists/{alex.pk}/").status_code == 404
    instance, _, _ = build_instance()
    assert alex.reference not in {s.id for s in instance.specialists}
    with pytest.raises(ValidationError, match="withdrawn from the bank"):
        services.propose_loan(request=request, specialist=alex)
    rows = table_rows(page(client.get("/exchange/banks/202/")).one("table"))
    assert [
        "Alex Unlent",
        "Team manager, team manager",
        "Front door and MASH; Child protection",
        "Withdrawn",
    ] in rows
    # The council can return them to the bank.
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.withdraw_specialist(user=bank["camden_admin"], specialist=alex)
    response = client.post(f"/exchange/specialists/{alex.pk}/reinstate/")
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.is_active and alex.withdrawn_at is None
    assert client.post(f"/exchange/specialists/{alex.pk}/reinstate/").status_code == 400


# ---------------------------------------------------------------- redeeming credit


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_councils_admins_and_national_admins_redeem_its_credit(bank, as_persona, persona):
    response = as_persona(persona).post(
        "/exchange/ledger/202/redeem/", {"redeem-days": "1", "redeem-memo": "Review"}
    )
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == CAMDEN_MANAGE[persona]
    redeemed = LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REDEMPTION).exists()
    assert redeemed == (persona == "national_admin")


def test_the_ledger_offers_redemption_only_to_those_who_may_redeem(bank, as_persona):
    for persona, offered in [
        ("camden_analyst", False),
        ("london_coordinator", False),
        ("national_admin", True),
        ("camden_admin", True),
    ]:
        document = page(client_for(as_persona, persona, bank).get("/exchange/ledger/202/"))
        assert bool(document.find_all("form", action="/exchange/ledger/202/redeem/")) == offered, persona


def test_a_council_admin_redeems_credit_on_the_statement(bank, as_persona):
    client = client_for(as_persona, "camden_admin", bank)
    response = client.post(
        "/exchange/ledger/202/redeem/", {"redeem-days": "2.5", "redeem-memo": "National peer review"}
    )
    assert response.status_code == 302 and response.url == "/exchange/ledger/202/"
    document = page(client.get("/exchange/ledger/202/"))
    assert document.one(id="ledger-balance").text == "Balance: 0.5 days in credit"
    assert (
        "2.5 days of Camden's credit were redeemed nationally."
        in document.one(class_="govuk-notification-banner").text
    )
    redeemed = [row for row in table_rows(document.one("table")) if row[1].startswith("Credit redeemed")]
    assert [row[1:4] for row in redeemed] == [["Credit redeemed nationally: National peer review", "", "2.5"]]
    assert sum(LedgerEntry.objects.values_list("days", flat=True)) == 0


@pytest.mark.parametrize(
    "days,memo,field,message",
    [
        ("4", "Review", "days", "Camden has 3 days of credit, fewer than the 4 you asked to redeem"),
        ("lots", "Review", "days", "Enter the days to redeem as a number"),
        ("1.25", "Review", "days", "Enter whole or half days"),
        ("0.3", "Review", "days", "in whole or half days"),
        ("-1", "Review", "days", "above 0"),
        ("NaN", "Review", "days", "as a number"),
        ("1e9", "Review", "days", "fewer than the 1000000000"),
        ("1", "", "memo", "Enter what the credit is redeemed for"),
    ],
)
def test_a_bad_redemption_is_refused_with_a_clear_message_and_changes_nothing(
    bank, as_persona, days, memo, field, message
):
    before = list(LedgerEntry.objects.values_list("authority", "days"))
    response = client_for(as_persona, "camden_admin", bank).post(
        "/exchange/ledger/202/redeem/", {"redeem-days": days, "redeem-memo": memo}
    )
    assert response.status_code == 400
    document = page(response)
    summary = document.one(class_="govuk-error-summary")
    assert message in summary.text, summary.text
    assert summary.find("a", href=f"#id_redeem-{field}") is not None
    assert document.one(id="id_redeem-days") is not None  # the form is there to correct
    assert list(LedgerEntry.objects.values_list("authority", "days")) == before


def test_a_council_in_debit_has_nothing_to_redeem(bank, as_persona):
    document = page(as_persona("leeds_admin").get("/exchange/ledger/383/"))
    assert "Leeds has no credit to redeem." in document.one("main").text
    assert not document.find_all("form", action="/exchange/ledger/383/redeem/")
    response = as_persona("leeds_admin").post(
        "/exchange/ledger/383/redeem/", {"redeem-days": "1", "redeem-memo": "x"}
    )
    assert response.status_code == 400
    assert (
        "Leeds has no credit to redeem: its balance is 3 days in debit"
        in page(response).one(class_="govuk-error-summary").text
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_redeem_api_answers_each_persona(bank, as_persona, persona):
    response = as_persona(persona).post(
        "/api/v1/exchange/ledger/202/redeem", {"days": 1, "memo": "Review"}, content_type="application/json"
    )
    expected = {"anonymous": 401, **CAMDEN_MANAGE, "national_admin": 200}[persona]
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["balance"] == 2
    else:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    "body,status,words",
    [
        ({"days": 5, "memo": "Review"}, 409, "Camden has 3 days of credit"),
        ({"days": "lots", "memo": "Review"}, 400, "Enter the number of days"),
        ({"days": 1, "memo": " "}, 400, "Enter what the credit is redeemed for"),
        ({"days": 1}, 422, "memo"),
    ],
)
def test_the_redeem_api_refuses_bad_input_with_the_reason(bank, as_persona, body, status, words):
    response = as_persona("national_admin").post(
        "/api/v1/exchange/ledger/202/redeem", body, content_type="application/json"
    )
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert not LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REDEMPTION).exists()


# ---------------------------------------------------------------- asking for help on a council's behalf

GOOD_REQUEST = {
    "title": "Front door",
    "expertise_needed": ["front_door_mash"],
    "description": "Re-referrals are rising.",
    "start": "2030-01-01",
    "end": "2030-04-30",
    "days_per_week": "2",
    "mode": "on_site",
    "urgency": "3",
}
# (persona, council, expected): the council's admins, national admins, and the coordinator of its region.
ASK = [
    ("anonymous", "202", "sign in"),
    ("camden_analyst", "202", 403),
    ("leeds_admin", "202", 403),
    ("london_coordinator", "202", 302),
    ("national_admin", "202", 302),
    ("camden_analyst", "383", 403),
    ("leeds_admin", "383", 302),
    ("london_coordinator", "383", 403),
    ("national_admin", "383", 302),
]


@pytest.mark.parametrize("persona,code,expected", ASK)
def test_who_may_ask_for_help_on_a_councils_behalf(places, as_persona, people, persona, code, expected):
    response = as_persona(persona).post(f"/exchange/councils/{code}/ask/", GOOD_REQUEST)
    made = HelpRequest.objects.all()
    if expected == "sign in":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
        assert not made.exists()
    elif expected == 403:
        assert response.status_code == 403
        name, region = ("Camden", "London") if code == "202" else ("Leeds", "Yorkshire and The Humber")
        wording = (
            f"Only {name}'s council admins, the alliance coordinator for {region} and national admins "
            "can ask for help on its behalf."
        )
        assert wording in page(response).one("main").text
        assert not made.exists()
    else:
        assert response.status_code == 302
        (request,) = made
        assert (request.authority.code, request.created_by) == (code, people[persona])
        assert (
            request.raised_as
            == {
                "leeds_admin": Role.COUNCIL_ADMIN,
                "london_coordinator": Role.ALLIANCE_COORDINATOR,
                "national_admin": Role.NATIONAL_ADMIN,
            }[persona]
        )


def test_the_request_says_who_raised_it(places, london_coordinator, leeds_admin, as_persona):
    request = services.create_help_request(
        user=london_coordinator,
        authority=places.camden,
        title="Front door",
        expertise_needed=["front_door_mash"],
        description="Help",
        start=date(2030, 1, 1),
        end=date(2030, 3, 1),
        days_per_week=Decimal("1"),
        mode="remote",
    )
    path = f"/exchange/requests/{request.pk}/"
    own = page(as_persona("camden_analyst").get(path)).one(id="raised-by").text
    assert own.startswith("London Coordinator, the alliance coordinator for London, on Camden's behalf")
    # Another council sees the open request and the role, not the person.
    other = page(as_persona("leeds_admin").get(path)).one(id="raised-by").text
    assert other.startswith("The alliance coordinator for London, on Camden's behalf")
    assert "London Coordinator" not in other
    api = as_persona("leeds_admin").get(f"/api/v1/exchange/requests/{request.pk}").json()
    assert api["raised_as"] == "alliance_coordinator"


def test_the_ask_page_tells_a_coordinator_they_ask_on_the_councils_behalf(places, as_persona):
    document = page(as_persona("london_coordinator").get("/exchange/councils/202/ask/"))
    assert "You are asking for help on Camden's behalf" in document.one(id="on-behalf").text
    assert not page(as_persona("leeds_admin").get("/exchange/councils/383/ask/")).find(id="on-behalf")


def test_a_coordinator_cannot_ask_for_another_regions_council_through_the_service(places, london_coordinator):
    with pytest.raises(PermissionDenied, match="the alliance coordinator for Yorkshire and The Humber"):
        ex.help_request(places, london_coordinator)
    assert not HelpRequest.objects.exists()


def test_the_home_page_lets_staff_open_a_councils_bank(places, as_persona):
    document = page(as_persona("london_coordinator").get("/exchange/"))
    options = [o.attrs["value"] for o in document.one("select", name="council").find_all("option")]
    assert options == ["202", "206"]  # London's councils only
    response = as_persona("london_coordinator").get("/exchange/banks/?council=202")
    assert response.status_code == 302 and response.url == "/exchange/banks/202/"
    bank_page = page(as_persona("london_coordinator").get(response.url))
    assert bank_page.find_all("a", href="/exchange/councils/202/ask/")
    assert as_persona("london_coordinator").get("/exchange/banks/?council=").status_code == 400
    assert as_persona("london_coordinator").get("/exchange/banks/?council=999").status_code == 404
    assert not page(as_persona("camden_analyst").get("/exchange/")).find("select", name="council")


# ---------------------------------------------------------------- the form filled in from its address


def _values(document) -> dict:
    form = document.one("main").one("form")
    values = {}
    for field in form.find_all("input") + form.find_all("textarea"):
        name, kind = field.attrs.get("name"), field.attrs.get("type")
        if name == "csrfmiddlewaretoken":
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in field.attrs:
                values.setdefault(name, []).append(field.attrs["value"])
        elif field.tag == "textarea":
            if field.text:
                values[name] = field.text
        elif field.attrs.get("value"):
            values[name] = field.attrs["value"]
    return values


def test_the_ask_form_is_filled_in_from_its_address(places, as_persona):
    query = (
        "title=Re-referrals+are+rising&description=Our+re-referral+rate+is+rising&expertise=front_door_mash"
        "&expertise=child_protection&urgency=urgent&linked_indicators=re-referrals&linked_indicators=cin-rate"
        "&ofsted_findings=Requires+improvement&start=2030-01-07&end=2030-05-06&days_per_week=2.5&mode=on_site"
    )
    response = as_persona("leeds_admin").get(f"/exchange/councils/383/ask/?{query}")
    assert response.status_code == 200
    assert _values(page(response)) == {
        "title": "Re-referrals are rising",
        "description": "Our re-referral rate is rising",
        "expertise_needed": ["front_door_mash", "child_protection"],
        "urgency": ["3"],
        "linked_indicators": "re-referrals, cin-rate",
        "ofsted_findings": "Requires improvement",
        # The dates fill GOV.UK's day, month and year boxes.
        "start-day": "7",
        "start-month": "1",
        "start-year": "2030",
        "end-day": "6",
        "end-month": "5",
        "end-year": "2030",
        "days_per_week": "2.5",
        "mode": ["on_site"],
    }
    assert not page(response).find(class_="govuk-error-summary")  # prefilled, not yet submitted
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    "query,kept",
    [
        ("expertise=astrology&expertise=send&expertise=send", {"expertise_needed": ["send"]}),
        ("urgency=9&mode=by+pigeon&days_per_week=9", {}),
        ("days_per_week=NaN&start=2030-02-30&end=tomorrow", {}),
        ("days_per_week=0.25&urgency=2", {"urgency": ["2"]}),
        # past six months: the end is dropped
        ("start=2030-01-01&end=2030-09-01", {"start-day": "1", "start-month": "1", "start-year": "2030"}),
        ("start=2030-03-01&end=2030-02-01", {"start-day": "1", "start-month": "3", "start-year": "2030"}),
        ("start=2020-03-01", {}),  # a start in the past is not filled in: the form would refuse it
        ("title=" + "x" * 201, {}),
        ("title=%00bad&unknown=1&expertise=", {}),
        ("title=%ff%fe&description=%E2%82%AC", {"title": "\ufffd\ufffd", "description": "€"}),
        ("urgency=&mode=&start=", {}),
    ],
)
def test_invalid_prefill_values_are_ignored_never_an_error(places, as_persona, query, kept):
    response = as_persona("leeds_admin").get(f"/exchange/councils/383/ask/?{query}")
    assert response.status_code == 200
    assert _values(page(response)) == kept


def test_a_prefilled_form_still_refuses_what_the_form_refuses(places, as_persona):
    """Prefilling never bypasses the rules: posting is what counts."""
    response = as_persona("leeds_admin").post(
        "/exchange/councils/383/ask/?title=Ignored", GOOD_REQUEST | {"end": "2030-08-01"}
    )
    assert response.status_code == 200
    assert "within six months" in page(response).one(class_="govuk-error-summary").text
    assert not HelpRequest.objects.exists()


def test_a_non_admin_council_member_cannot_prefill_either(places, as_persona):
    response = as_persona("camden_analyst").get("/exchange/councils/202/ask/?title=Front+door")
    assert response.status_code == 403


def test_factories_bradford_member_cannot_ask(places):
    bradford = factories.user("bradford.member", Role.COUNCIL_MEMBER, authority=places.bradford)
    with pytest.raises(PermissionDenied):
        ex.help_request(places, bradford)
