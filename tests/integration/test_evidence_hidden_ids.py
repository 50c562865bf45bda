"""An unpublished local practice one may not see answers exactly as an id that does not exist, on every
page and in the API, so that nobody can count the drafts by trying ids."""

import pytest

from slihub.evidence import services
from slihub.evidence.models import LocalPractice, PeerValidation
from tests.integration.html import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(camden_analyst, places):
    return services.submit_local_practice(
        user=camden_analyst,
        authority=places.camden,
        title="Edge of care outreach",
        summary="Outreach workers visit families the weekend after a referral.",
        evidence="Entries to care fell from 41 to 29 a year.",
        themes=["vulnerable_children"],
    )


@pytest.fixture
def missing(draft):
    return draft.pk + 1000


def paths(pk, validation_id=1):
    return {
        "detail": f"/evidence/local/{pk}/",
        "assign": f"/evidence/local/{pk}/assign/",
        "release": f"/evidence/local/{pk}/validators/{validation_id}/release/",
    }


def main_text(response):
    return page(response).one("main").text


@pytest.mark.parametrize("persona", ["leeds_admin", "evidence_editor", "no_membership"])
def test_a_draft_one_may_not_see_answers_like_a_missing_id_on_every_page(as_persona, draft, missing, persona):
    client = as_persona(persona)
    for name, path in paths(draft.pk).items():
        method = client.post if name == "release" else client.get
        hidden, absent = method(path), method(path.replace(f"/{draft.pk}/", f"/{missing}/"))
        assert (hidden.status_code, absent.status_code) == (404, 404), name
        assert main_text(hidden) == main_text(absent), name
        assert "Edge of care" not in hidden.content.decode()
    # a decision posted to the draft as if assigned is refused the same way
    posted = client.post(paths(draft.pk)["detail"], {"decision": "approve", "comment": "Fine"})
    assert posted.status_code == 404
    assert not PeerValidation.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in_for_any_id_they_cannot_see(client, draft, missing):
    for path in (*paths(draft.pk).values(), *paths(missing).values()):
        response = client.post(path) if path.endswith("/release/") else client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/accounts/login/?next={path}"


def test_a_validated_practice_stays_public(client, draft):
    LocalPractice.objects.filter(pk=draft.pk).update(status=LocalPractice.Status.VALIDATED)
    assert client.get(paths(draft.pk)["detail"]).status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "leeds_admin", "evidence_editor", "no_membership"])
def test_the_api_answers_404_alike_for_a_hidden_draft_and_a_missing_id(as_persona, draft, missing, persona):
    client = as_persona(persona)
    hidden = client.get(f"/api/v1/evidence/local-practices/{draft.pk}")
    absent = client.get(f"/api/v1/evidence/local-practices/{missing}")
    assert (hidden.status_code, absent.status_code) == (404, 404)
    assert hidden.json() == absent.json()
    assert hidden["Content-Type"] == absent["Content-Type"]


def test_those_who_may_see_the_draft_still_do(as_persona, draft):
    for persona in ("camden_analyst", "london_coordinator", "national_admin"):
        client = as_persona(persona)
        assert client.get(paths(draft.pk)["detail"]).status_code == 200, persona
        assert client.get(f"/api/v1/evidence/local-practices/{draft.pk}").status_code == 200, persona
        client.logout()
