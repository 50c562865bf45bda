"""Requests addressed to a partner council, and a council offering its own specialist for a request."""

import pytest
from django.core.exceptions import ValidationError

from slihub.exchange import services
from slihub.exchange.models import HelpRequest, Loan
from tests.integration import exchange_helpers as ex
from tests.integration.html import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places, leeds_admin):
    """Leeds asks Camden directly for help with its front door; Camden's bank holds Sam."""
    camden_admin = ex.camden_admin(places)
    sam = ex.specialist(places, camden_admin)
    request = ex.help_request(places, leeds_admin, partner=places.camden)
    return {"camden_admin": camden_admin, "sam": sam, "request": request}


def offer_path(world):
    return f"/exchange/requests/{world['request'].pk}/offer/"


def test_a_link_can_address_the_form_to_a_partner(places, as_persona):
    document = page(as_persona("leeds_admin").get("/exchange/councils/383/ask/?partner=202"))
    assert document.one("select", id="id_partner").one("option", selected="").attrs["value"] == "202"
    unknown = page(as_persona("leeds_admin").get("/exchange/councils/383/ask/?partner=999"))
    assert unknown.one("select", id="id_partner").one("option", selected="").attrs["value"] == ""


def test_a_council_cannot_address_a_request_to_itself(places, as_persona):
    form = {
        "title": "Our front door",
        "expertise_needed": ["front_door_mash"],
        "description": "Re-referrals are rising.",
        "start": "2030-01-07",
        "end": "2030-03-07",
        "days_per_week": "2",
        "mode": "remote",
        "urgency": "2",
        "partner": "383",
    }
    response = as_persona("leeds_admin").post("/exchange/councils/383/ask/", form)
    summary = page(response).one(class_="govuk-error-summary")
    assert "a council cannot lend to itself" in summary.text
    assert summary.one("a").attrs["href"] == "#id_partner"
    assert not HelpRequest.objects.exists()


def test_the_partner_sees_the_request_addressed_to_it(world, places, client):
    client.force_login(world["camden_admin"])
    listed = page(client.get("/exchange/")).one(id="asked-of-202")
    assert "Our front door" in listed.text
    detail = page(client.get(f"/exchange/requests/{world['request'].pk}/"))
    assert detail.one(id="asked-of").text.startswith("Camden")


def test_the_partner_offers_its_specialist_and_the_borrower_agrees(world, client, leeds_admin):
    client.force_login(world["camden_admin"])
    form = page(client.get(f"/exchange/requests/{world['request'].pk}/")).one(
        "form", action=offer_path(world)
    )
    assert form.one("option", value=str(world["sam"].pk))
    response = client.post(offer_path(world), {"offer-specialist": world["sam"].pk})
    loan = Loan.objects.get()
    assert response.status_code == 302 and response.url == f"/exchange/loans/{loan.pk}/"
    assert (loan.status, loan.lender_accepted_by, loan.borrower_accepted_by) == (
        Loan.Status.PROPOSED,
        world["camden_admin"],
        None,
    )
    assert loan.explanation == "Offered directly by Camden."
    services.accept_loan(user=leeds_admin, loan=loan)
    loan.refresh_from_db()
    world["request"].refresh_from_db()
    assert loan.status == Loan.Status.ACCEPTED and world["request"].status == HelpRequest.Status.MATCHED


@pytest.mark.parametrize("persona", ["camden_analyst", "leeds_admin", "london_coordinator", "national_admin"])
def test_only_another_councils_admins_may_offer(world, as_persona, persona, places, leeds_admin):
    """Leeds's admin has a specialist of its own, but a council cannot lend to itself."""
    services.add_specialist(
        user=leeds_admin,
        authority=places.leeds,
        name="Lee",
        role="Practice lead",
        seniority=2,
        expertise=["front_door_mash"],
        days_per_week=2,
    )
    response = as_persona(persona).post(offer_path(world), {"offer-specialist": world["sam"].pk})
    assert response.status_code == 403
    assert not Loan.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    response = client.post(offer_path(world), {"offer-specialist": world["sam"].pk})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def refused(client, world, specialist_id=None) -> str:
    response = client.post(offer_path(world), {"offer-specialist": specialist_id or world["sam"].pk})
    assert response.status_code == 400
    return page(response).one(class_="govuk-error-summary").text


def test_a_busy_specialist_is_refused_with_the_reason_and_nothing_changes(world, client, places, leeds_admin):
    client.force_login(world["camden_admin"])
    ex.agreed_loan(places, leeds_admin, world["camden_admin"], specialist_obj=world["sam"], title="Earlier")
    before = Loan.objects.count()
    assert "already on an agreed loan" in refused(client, world)
    assert Loan.objects.count() == before


def test_a_declined_specialist_is_not_offered_again(world, client, leeds_admin):
    client.force_login(world["camden_admin"])
    loan = services.offer_specialist(
        user=world["camden_admin"], request=world["request"], specialist=world["sam"]
    )
    services.decline_loan(user=leeds_admin, loan=loan)
    assert "has declined S" in refused(client, world)
    assert Loan.objects.count() == 1


def test_a_specialist_who_cannot_give_the_days_or_the_mode_is_refused(world, client, places):
    client.force_login(world["camden_admin"])
    part_time = ex.specialist(places, world["camden_admin"], name="Pat", days_per_week=1, swe_number="")
    assert "at most 1 days a week; the request needs 2" in refused(client, world, part_time.pk)
    remote = ex.specialist(places, world["camden_admin"], name="Ro", on_site=False, swe_number="")
    assert "does not work on site" in refused(client, world, remote.pk)
    assert not Loan.objects.exists()


def test_a_withdrawn_specialist_cannot_be_chosen(world, client):
    client.force_login(world["camden_admin"])
    services.withdraw_specialist(user=world["camden_admin"], specialist=world["sam"])
    response = client.post(offer_path(world), {"offer-specialist": world["sam"].pk})
    assert response.status_code == 403  # Camden has no active specialist left to offer
    assert not Loan.objects.exists()


def test_a_matched_request_takes_no_offers(world, client):
    HelpRequest.objects.filter(pk=world["request"].pk).update(status=HelpRequest.Status.MATCHED)
    with pytest.raises(ValidationError, match="is matched: it takes no offers now"):
        services.offer_specialist(
            user=world["camden_admin"], request=world["request"], specialist=world["sam"]
        )
    client.force_login(world["camden_admin"])  # and Camden, not party to it, no longer sees it
    assert client.post(offer_path(world), {"offer-specialist": world["sam"].pk}).status_code == 404
    assert not Loan.objects.exists()


# ---------------------------------------------------------------------------------------------------- API


def test_the_api_shows_the_partner_and_takes_an_offer(world, client):
    client.force_login(world["camden_admin"])
    body = client.get(f"/api/v1/exchange/requests/{world['request'].pk}").json()
    assert body["partner"] == "202"
    path = f"/api/v1/exchange/requests/{world['request'].pk}/offer"
    response = client.post(path, {"specialist": world["sam"].pk}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["lender_accepted"] is True and response.json()["borrower_accepted"] is False
    again = client.post(path, {"specialist": world["sam"].pk}, content_type="application/json")
    assert again.status_code == 409 and "proposed for this request already" in again.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("camden_analyst", 403), ("leeds_admin", 403), ("london_coordinator", 403)],
)
def test_the_api_refuses_offers_from_anyone_else(world, as_persona, persona, status):
    path = f"/api/v1/exchange/requests/{world['request'].pk}/offer"
    response = as_persona(persona).post(
        path, {"specialist": world["sam"].pk}, content_type="application/json"
    )
    assert response.status_code == status and response.json()["detail"]
    assert not Loan.objects.exists()


def test_the_national_admin_may_not_offer_on_a_councils_behalf(world, as_persona):
    path = f"/api/v1/exchange/requests/{world['request'].pk}/offer"
    response = as_persona("national_admin").post(
        path, {"specialist": world["sam"].pk}, content_type="application/json"
    )
    assert response.status_code == 403 and "council admins" in response.json()["detail"]
