"""The exchange's pages and API routes against every persona, and the refusals of 'Done when'."""

from datetime import date

import pytest

from slihub.exchange import services
from slihub.exchange.models import HelpRequest, LedgerEntry, Loan, Specialist
from tests.integration import exchange_helpers as ex
from tests.integration.html import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places, leeds_admin):
    """Camden lends Sam to Leeds (agreed, 3 days delivered); Camden also lists Alex, on no loan."""
    camden_admin = ex.camden_admin(places)
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    services.record_delivery(user=leeds_admin, loan=loan, days="3", on=date(2030, 1, 10))
    alex = ex.specialist(places, camden_admin, name="Alex Unlent", swe_number="SW777")
    lee = services.add_specialist(
        user=leeds_admin,
        authority=places.leeds,
        name="Lee Listed",
        role="Practice lead",
        seniority=2,
        expertise=["edge_of_care"],
        days_per_week=1,
        consent_to_list=True,
    )
    return {
        "loan": loan,
        "sam": loan.specialist,
        "alex": alex,
        "lee": lee,
        "request": loan.request,
        "camden_admin": camden_admin,
    }


ALL_SIGNED_IN = {"camden_analyst": 200, "leeds_admin": 200, "london_coordinator": 200, "national_admin": 200}
STAFF_ONLY = {"camden_analyst": 403, "leeds_admin": 403, "london_coordinator": 200, "national_admin": 200}
CAMDEN_PRIVATE = {"camden_analyst": 200, "leeds_admin": 403, "london_coordinator": 200, "national_admin": 200}
LEEDS_PRIVATE = {"camden_analyst": 403, "leeds_admin": 200, "london_coordinator": 403, "national_admin": 200}
CAMDEN_MANAGE = {"camden_analyst": 403, "leeds_admin": 403, "london_coordinator": 403, "national_admin": 200}
LEEDS_MANAGE = {"camden_analyst": 403, "leeds_admin": 200, "london_coordinator": 403, "national_admin": 200}
# Asking for help: a council's admins, national admins and the alliance coordinator of its region.
CAMDEN_ASK = {"camden_analyst": 403, "leeds_admin": 403, "london_coordinator": 200, "national_admin": 200}
ROUTES = [
    ("/exchange/", ALL_SIGNED_IN),
    ("/exchange/specialists/", ALL_SIGNED_IN),
    ("/exchange/specialists/{alex}/", ALL_SIGNED_IN),
    ("/exchange/specialists/{alex}/change/", CAMDEN_MANAGE),
    ("/exchange/specialists/{alex}/withdraw/", CAMDEN_MANAGE),
    ("/exchange/specialists/{lee}/change/", LEEDS_MANAGE),
    ("/exchange/specialists/{lee}/withdraw/", LEEDS_MANAGE),
    ("/exchange/banks/202/", CAMDEN_PRIVATE),
    ("/exchange/banks/383/", LEEDS_PRIVATE),
    ("/exchange/banks/202/add/", CAMDEN_MANAGE),
    ("/exchange/requests/", ALL_SIGNED_IN),
    ("/exchange/requests/{request}/", ALL_SIGNED_IN),
    ("/exchange/councils/383/ask/", LEEDS_MANAGE),
    ("/exchange/councils/202/ask/", CAMDEN_ASK),
    ("/exchange/loans/", ALL_SIGNED_IN),
    ("/exchange/loans/{loan}/", ALL_SIGNED_IN),
    ("/exchange/matching/", STAFF_ONLY),
    ("/exchange/ledger/202/", CAMDEN_PRIVATE),
    ("/exchange/ledger/383/", LEEDS_PRIVATE),
    ("/exchange/overview/", STAFF_ONLY),
    ("/exchange/concentration/", STAFF_ONLY),
]


def _url(template, world):
    return template.format(
        alex=world["alex"].pk, lee=world["lee"].pk, request=world["request"].pk, loan=world["loan"].pk
    )


@pytest.mark.parametrize("persona", ["anonymous", *ALL_SIGNED_IN])
@pytest.mark.parametrize("route,expected", ROUTES, ids=[r for r, _ in ROUTES])
def test_every_page_answers_each_persona_as_it_should(world, as_persona, persona, route, expected):
    response = as_persona(persona).get(_url(route, world))
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected[persona], response.content[:300]


API = [
    ("/api/v1/exchange/specialists", ALL_SIGNED_IN),
    ("/api/v1/exchange/specialists/{alex}", ALL_SIGNED_IN),
    ("/api/v1/exchange/requests", ALL_SIGNED_IN),
    ("/api/v1/exchange/requests/{request}", ALL_SIGNED_IN),
    ("/api/v1/exchange/loans", ALL_SIGNED_IN),
    ("/api/v1/exchange/loans/{loan}", ALL_SIGNED_IN),
    ("/api/v1/exchange/ledger/202", CAMDEN_PRIVATE),
    ("/api/v1/exchange/ledger/383", LEEDS_PRIVATE),
    ("/api/v1/exchange/flows", STAFF_ONLY),
    ("/api/v1/exchange/concentration", STAFF_ONLY),
]


@pytest.mark.parametrize("persona", ["anonymous", *ALL_SIGNED_IN])
@pytest.mark.parametrize("route,expected", API, ids=[r for r, _ in API])
def test_every_api_route_answers_each_persona_as_it_should(world, as_persona, persona, route, expected):
    response = as_persona(persona).get(_url(route, world))
    want = 401 if persona == "anonymous" else expected[persona]
    assert response.status_code == want, response.content[:300]
    if want != 200:
        assert response.json()["detail"]


@pytest.mark.parametrize("persona", ["anonymous", *STAFF_ONLY])
def test_only_staff_run_matching_through_the_api(world, as_persona, persona):
    response = as_persona(persona).post("/api/v1/exchange/match?dry_run=true")
    assert response.status_code == (401 if persona == "anonymous" else STAFF_ONLY[persona])


def test_others_see_an_anonymised_profile(world, as_persona):
    alex = world["alex"]
    leeds = as_persona("leeds_admin").get(f"/api/v1/exchange/specialists/{alex.pk}").json()
    assert (leeds["name"], leeds["swe_number"], leeds["personal"]) == (None, None, False)
    assert "Alex Unlent" not in as_persona("leeds_admin").get(f"/exchange/specialists/{alex.pk}/").text
    # Sam is on an agreed loan to Leeds: Leeds sees Sam's details.
    sam = as_persona("leeds_admin").get(f"/api/v1/exchange/specialists/{world['sam'].pk}").json()
    assert sam["name"] == "Sam Specialist" and sam["swe_number"] == "SW123456"


def test_the_camden_analyst_sees_its_own_bank_in_full(world, as_persona):
    body = as_persona("camden_analyst").get("/exchange/banks/202/").text
    assert "Alex Unlent" in body and "Sam Specialist" in body


def test_the_ledger_shows_camden_in_credit_and_leeds_in_debit(world, as_persona):
    camden = as_persona("national_admin").get("/api/v1/exchange/ledger/202").json()
    leeds = as_persona("national_admin").get("/api/v1/exchange/ledger/383").json()
    assert camden["balance"] == 3 and leeds["balance"] == -3
    assert sum(LedgerEntry.objects.values_list("days", flat=True)) == 0
    text = page(as_persona("national_admin").get("/exchange/ledger/202/")).one(id="ledger-balance").text
    assert text == "Balance: 3 days in credit"


def test_a_seven_month_request_is_refused_on_the_page_and_changes_nothing(world, as_persona):
    before = HelpRequest.objects.count()
    response = as_persona("leeds_admin").post(
        "/exchange/councils/383/ask/",
        {
            "title": "Front door",
            "expertise_needed": ["front_door_mash"],
            "description": "Help",
            "start": "2030-01-01",
            "end": "2030-08-01",
            "days_per_week": "2",
            "mode": "on_site",
            "urgency": "2",
        },
    )
    assert response.status_code == 200
    document = page(response)
    summary = document.one(class_="govuk-error-summary")
    assert "within six months of the start date" in summary.text
    assert summary.find("a", href="#id_end-day") is not None
    assert HelpRequest.objects.count() == before


def test_a_registration_number_of_the_wrong_shape_is_refused_on_the_page(world, as_persona, people):
    client = as_persona("anonymous")
    client.force_login(world["camden_admin"])
    before = Specialist.objects.count()
    response = client.post(
        "/exchange/banks/202/add/",
        {
            "name": "Kim",
            "role": "Practice lead",
            "seniority": "3",
            "expertise": ["child_protection"],
            "swe_number": "12345",
            "days_per_week": "2",
            "remote": "on",
            "available_from": "2030-01-01",
            "available_to": "2030-12-31",
        },
    )
    assert response.status_code == 200
    summary = page(response).one(class_="govuk-error-summary")
    assert "SW followed by digits" in summary.text
    assert Specialist.objects.count() == before


def test_an_overlapping_second_loan_is_refused_on_the_page(world, as_persona, places, leeds_admin):
    request = ex.help_request(places, leeds_admin, start=date(2030, 2, 1), end=date(2030, 3, 1))
    second = services.propose_loan(request=request, specialist=world["sam"])
    services.accept_loan(user=world["camden_admin"], loan=second)
    response = as_persona("leeds_admin").post(f"/exchange/loans/{second.pk}/accept/")
    assert response.status_code == 409
    assert "already on an agreed loan" in page(response).one(class_="govuk-error-summary").text
    second.refresh_from_db()
    assert second.status == Loan.Status.PROPOSED


def test_the_overview_lists_flows_and_balances(world, as_persona):
    body = page(as_persona("national_admin").get("/exchange/overview/"))
    assert "Camden" in body.text and "Leeds" in body.text


def test_exchange_is_in_the_navigation_only_when_signed_in(world, as_persona, client):
    assert "/exchange/" not in client.get("/").text
    assert 'href="/exchange/"' in as_persona("camden_analyst").get("/").text


def test_an_extension_past_six_months_is_refused_on_the_page(world, as_persona):
    loan = world["loan"]
    url = f"/exchange/loans/{loan.pk}/extend/"
    response = as_persona("leeds_admin").post(url, {"extend-new_end": "2030-07-09"})
    assert response.status_code == 400
    document = page(response)
    summary = document.one(class_="govuk-error-summary")
    assert "within six months of the start date" in summary.text
    assert summary.find("a", href="#id_extend-new_end-day") is not None
    # The date's fieldset names its hint and error by the prefixed name, so the loan page's forms never
    # share ids; each of its three boxes is marked as in error.
    (fieldset,) = [f for f in document.find_all("fieldset") if f.find("input", id="id_extend-new_end-day")]
    assert fieldset.attrs["aria-describedby"] == "extend-new_end-hint extend-new_end-error"
    for part in ("day", "month", "year"):
        assert "govuk-input--error" in document.one("input", id=f"id_extend-new_end-{part}").attrs["class"]
    assert document.one(id="extend-new_end-error").text.startswith("Error:")
    loan.refresh_from_db()
    assert loan.end == date(2030, 5, 6)
    response = as_persona("leeds_admin").post(url, {"extend-new_end": "2030-07-08"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.end == date(2030, 7, 8)


@pytest.mark.parametrize("persona,status", [("camden_analyst", 403), ("london_coordinator", 403)])
def test_only_the_borrowers_admins_extend(world, as_persona, persona, status):
    response = as_persona(persona).post(
        f"/exchange/loans/{world['loan'].pk}/extend/", {"extend-new_end": "2030-06-01"}
    )
    assert response.status_code == status
