"""Local practice: a council submits it, peers from two other councils validate it, then it is published."""

import pytest

from slihub.accounts.models import Membership, Role, User
from slihub.evidence.models import LocalPractice, PeerValidation

pytestmark = pytest.mark.django_db

SUBMIT = "/evidence/local/submit/"
FORM = {
    "title": "Family group conferences at the front door",
    "summary": "Every family referred is offered a conference.",
    "evidence": "Re-referrals fell from 24% to 18% in two years.",
    "themes": ["vulnerable_children"],
}


@pytest.fixture
def islington_member(places, people):
    user = User.objects.create(username="islington.member")
    Membership.objects.create(user=user, role=Role.COUNCIL_MEMBER, authority=places.islington)
    return user


@pytest.fixture
def submitted(as_persona, camden_analyst, places):
    client = as_persona("camden_analyst")
    response = client.post(SUBMIT, {**FORM, "authority": places.camden.pk})
    practice = LocalPractice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    client.logout()
    return practice


def url(practice):
    return f"/evidence/local/{practice.pk}/"


def test_a_council_member_submits_their_councils_practice(submitted, camden_analyst, places):
    assert submitted.authority == places.camden and submitted.submitted_by == camden_analyst
    assert submitted.status == LocalPractice.Status.SUBMITTED
    assert submitted.themes.split() == ["vulnerable_children"]


def test_submitting_needs_a_council_role(client, as_persona):
    response = client.get(SUBMIT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_persona("london_coordinator").get(SUBMIT).status_code == 403


def test_a_member_cannot_submit_for_another_council(as_persona, places):
    response = as_persona("camden_analyst").post(SUBMIT, {**FORM, "authority": places.leeds.pk})
    assert response.status_code == 400 and "Choose your council" in response.content.decode()
    assert not LocalPractice.objects.exists()


def test_missing_fields_are_reported(as_persona, places):
    response = as_persona("camden_analyst").post(SUBMIT, {"authority": places.camden.pk})
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        "Enter a title" in body and "Describe the practice" in body and "Say what your own data shows" in body
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("camden_analyst", 200),
        ("leeds_admin", 200),  # any council member, to peer-review it
        ("london_coordinator", 200),  # Camden is in London
        ("national_admin", 200),
    ],
)
def test_who_sees_a_submitted_practice(as_persona, submitted, persona, status):
    assert as_persona(persona).get(url(submitted)).status_code == status


def test_the_submitting_council_cannot_validate_its_own_practice(as_persona, submitted):
    response = as_persona("camden_analyst").post(url(submitted), {"decision": "approve", "comment": "Good"})
    assert response.status_code == 403
    assert not PeerValidation.objects.exists()


def test_two_other_councils_validate_and_it_is_published(client, as_persona, submitted, islington_member):
    leeds = as_persona("leeds_admin")
    assert "Your decision, for Leeds" in leeds.get(url(submitted)).content.decode()
    assert leeds.post(url(submitted), {"decision": "approve", "comment": "Sound data"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == LocalPractice.Status.SUBMITTED
    again = leeds.post(url(submitted), {"decision": "approve", "comment": "Again"})
    assert again.status_code == 400 and "Leeds has already given its decision" in again.content.decode()
    client.logout()
    client.force_login(islington_member)
    assert client.post(url(submitted), {"decision": "approve", "comment": "Agreed"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == LocalPractice.Status.VALIDATED and submitted.published_at
    client.logout()
    assert client.get(url(submitted)).status_code == 200  # public once validated
    assert "Family group conferences" in client.get("/evidence/local/").content.decode()


def test_a_refusal_marks_it_not_validated(as_persona, submitted):
    as_persona("leeds_admin").post(url(submitted), {"decision": "reject", "comment": "No comparison group"})
    submitted.refresh_from_db()
    assert submitted.status == LocalPractice.Status.REJECTED


def test_a_decision_needs_a_choice_and_reasons(as_persona, submitted):
    leeds = as_persona("leeds_admin")
    assert "Choose whether you validate" in leeds.post(url(submitted), {"comment": "x"}).content.decode()
    assert "Give the reasons" in leeds.post(url(submitted), {"decision": "approve"}).content.decode()
    assert not PeerValidation.objects.exists()


def test_unpublished_practice_is_hidden_from_the_public_list(client, submitted):
    assert "Family group conferences" not in client.get("/evidence/local/").content.decode()


def test_an_unknown_local_practice_is_404(as_persona, places):
    assert as_persona("camden_analyst").get("/evidence/local/999999/").status_code == 404
