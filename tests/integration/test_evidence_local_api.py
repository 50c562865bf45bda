"""Local practice in the API and in full-text search: published validated practice is public; drafts are seen
by the submitting council, its assigned validators, the region's coordinator and national admins."""

import pytest

from slihub.accounts.models import Membership, Role, User
from slihub.evidence import search, services
from slihub.evidence.models import LocalPractice

pytestmark = pytest.mark.django_db

LIST = "/api/v1/evidence/local-practices"
PERSONAS = ("anonymous", "camden_analyst", "leeds_admin", "london_coordinator", "national_admin")


def member(username, authority):
    user = User.objects.create(username=username, full_name=username.replace(".", " ").title())
    Membership.objects.create(user=user, role=Role.COUNCIL_MEMBER, authority=authority)
    return user


def submit(user, authority, title, **fields):
    return services.submit_local_practice(
        user=user,
        authority=authority,
        title=title,
        summary=fields.get("summary", "What was done."),
        evidence="Re-referrals fell from 24% to 18%.",
        themes=fields.get("themes", ["vulnerable_children"]),
        outcome_measure="Re-referrals",
        outcome_before="24%",
        outcome_after="18%",
    )


@pytest.fixture
def practices(places, people):
    """Camden's practice in three states, and one of Bradford's (Yorkshire) awaiting validators. Leeds is
    assigned to Camden's practice in review only."""
    islington = member("islington.member", places.islington)
    bradford = member("bradford.member", places.bradford)
    camden, leeds, coordinator = people["camden_analyst"], people["leeds_admin"], people["london_coordinator"]

    def assign(practice, *users):
        memberships = [Membership.objects.get(user=u) for u in users]
        services.assign_validators(
            user=people["national_admin"], local_practice=practice, memberships=memberships
        )

    draft = submit(camden, places.camden, "Edge of care outreach draft")
    review = submit(camden, places.camden, "Kinship navigators in review")
    assign(review, leeds, islington)
    published = submit(
        camden, places.camden, "Family group conferences at the front door", summary="Conferences for all."
    )
    assign(published, islington, bradford)
    for validator in (islington, bradford):
        services.validate_local_practice(
            user=validator, local_practice=published, decision="approve", comment="Sound data"
        )
    other = submit(bradford, places.bradford, "Bradford parenting hub", themes=["parents_carers_families"])
    assert coordinator  # London: sees Camden's, not Bradford's
    return {"draft": draft, "review": review, "published": published, "bradford": other}


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


EXPECTED_LISTS = {
    "anonymous": ["Family group conferences at the front door"],
    "camden_analyst": [
        "Edge of care outreach draft",
        "Family group conferences at the front door",
        "Kinship navigators in review",
    ],
    "leeds_admin": ["Family group conferences at the front door", "Kinship navigators in review"],
    "london_coordinator": [
        "Edge of care outreach draft",
        "Family group conferences at the front door",
        "Kinship navigators in review",
    ],
    "national_admin": [
        "Bradford parenting hub",
        "Edge of care outreach draft",
        "Family group conferences at the front door",
        "Kinship navigators in review",
    ],
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_holds_what_each_persona_may_see(as_persona, practices, persona):
    assert titles(as_persona(persona).get(LIST)) == EXPECTED_LISTS[persona]


# (practice, persona) -> status for the detail route
DETAIL = {
    "published": dict.fromkeys(PERSONAS, 200),
    # unpublished practice one may not see answers as a missing id does: 404, signed in or not
    "draft": {
        "anonymous": 404,
        "camden_analyst": 200,
        "leeds_admin": 404,
        "london_coordinator": 200,
        "national_admin": 200,
    },
    "review": {
        "anonymous": 404,
        "camden_analyst": 200,
        "leeds_admin": 200,  # an assigned validator
        "london_coordinator": 200,
        "national_admin": 200,
    },
    "bradford": {
        "anonymous": 404,
        "camden_analyst": 404,
        "leeds_admin": 404,  # Leeds is in Yorkshire too, but a council sees only its own
        "london_coordinator": 404,
        "national_admin": 200,
    },
}


@pytest.mark.parametrize(
    ("which", "persona", "status"),
    [(which, persona, status) for which, by in DETAIL.items() for persona, status in by.items()],
)
def test_the_detail_route_for_every_persona(as_persona, practices, which, persona, status):
    response = as_persona(persona).get(f"{LIST}/{practices[which].pk}")
    assert response.status_code == status
    body = response.json()
    if status == 200:
        assert body["title"] == practices[which].title
    else:
        assert body["detail"]  # the reason, never a bare error


def test_the_detail_shows_validators_decisions_and_history(client, as_persona, practices):
    public = client.get(f"{LIST}/{practices['published'].pk}").json()
    assert public["status"] == "validated" and public["status_label"] == "Validated local practice"
    assert [(v["council"], v["decision"], v["reasons"]) for v in public["validations"]] == [
        ("Islington", "approve", "Sound data"),
        ("Bradford", "approve", "Sound data"),
    ]
    assert [v["validator"] for v in public["validations"]] == [None, None]  # names stay private
    assert [e["action"] for e in public["history"]] == [
        "submitted",
        "assigned",
        "assigned",
        "approved",
        "approved",
        "published",
    ]
    assert all(e["actor"] is None for e in public["history"])
    private = as_persona("national_admin").get(f"{LIST}/{practices['published'].pk}").json()
    assert [v["validator"] for v in private["validations"]] == ["Islington Member", "Bradford Member"]
    assert private["history"][0]["actor"] == "Camden Analyst"


def test_bad_input_gets_a_reason(client, practices):
    assert client.get(f"{LIST}/999999").status_code == 404
    assert client.get(f"{LIST}/0").status_code == 422
    assert client.get(f"{LIST}/abc").status_code == 422
    assert client.get(LIST, {"status": "lost"}).status_code == 422
    assert client.get(LIST, {"theme": "nope"}).status_code == 422
    assert client.get(LIST, {"q": "x" * 201}).status_code == 422


def test_filters(as_persona, practices):
    admin = as_persona("national_admin")
    assert titles(admin.get(LIST, {"status": "in_review"})) == ["Kinship navigators in review"]
    assert titles(admin.get(LIST, {"theme": "parents_carers_families"})) == ["Bradford parenting hub"]


# ---------------------------------------------------------------- full-text search


def test_only_validated_local_practice_is_searchable(client, as_persona, practices):
    assert search.search_ids("conferences", kind=search.LOCAL) == [practices["published"].pk]
    assert search.search_ids("kinship", kind=search.LOCAL) == []
    assert search.search_ids("bradford parenting", kind=search.LOCAL) == []
    # the council's own drafts do not leak through q either
    assert titles(as_persona("camden_analyst").get(LIST, {"q": "kinship"})) == []
    assert titles(client.get(LIST, {"q": "front door"})) == ["Family group conferences at the front door"]
    assert titles(client.get(LIST, {"q": "camden"})) == ["Family group conferences at the front door"]


def test_local_practice_does_not_appear_among_practices(practices):
    # each kind has its own ids: the local practice's key must not surface as a practice
    assert search.search_ids("conferences") == []


def test_the_library_search_shows_validated_local_practice(client, practices):
    body = client.get("/evidence/", {"q": "conferences"}).content.decode()
    assert "Validated local practice: 1 found" in body
    assert f'href="/evidence/local/{practices["published"].pk}/"' in body
    assert "Kinship" not in client.get("/evidence/", {"q": "kinship"}).content.decode()
    # filters local practice cannot meet hide it
    assert (
        "Validated local practice:"
        not in client.get("/evidence/", {"q": "conferences", "certainty": "high"}).content.decode()
    )


def test_reindexing_removes_practice_that_is_no_longer_validated(practices):
    published = practices["published"]
    LocalPractice.objects.filter(pk=published.pk).update(status=LocalPractice.Status.REJECTED)
    assert search.search_ids("conferences", kind=search.LOCAL) == []  # the status is checked at query time
    search.reindex_local()
    assert search.search_ids("conferences", kind=search.LOCAL) == []
    LocalPractice.objects.filter(pk=published.pk).update(status=LocalPractice.Status.VALIDATED)
    search.reindex_local([published.pk])
    assert search.search_ids("conferences", kind=search.LOCAL) == [published.pk]


def test_reindexing_practices_leaves_local_practice_in_the_index(practices):
    search.reindex()  # every practice, as an import does
    assert search.search_ids("conferences", kind=search.LOCAL) == [practices["published"].pk]
