"""Local practice: a council submits it, a coordinator or national admin assigns two peer validators from two
other councils, both approve with reasons, and it is published as validated local practice."""

import pytest

from slihub.accounts.models import Membership, Role, User
from slihub.evidence import search
from slihub.evidence.models import LocalPractice, LocalPracticeEvent, PeerValidation
from tests.integration.html import page

pytestmark = pytest.mark.django_db

SUBMIT = "/evidence/local/submit/"
FORM = {
    "title": "Family group conferences at the front door",
    "summary": "Every family referred is offered a conference.",
    "for_whom": "Families re-referred within a year",
    "outcome_measure": "Re-referrals within 12 months",
    "outcome_before": "24% of 310 referrals (2021 to 2022)",
    "outcome_after": "18% of 295 referrals (2023 to 2024)",
    "comparison": "",
    "evidence": "Re-referrals fell from 24% to 18% in two years.",
    "cost_per_child": "£1,250",
    "cost_year": "2024",
    "themes": ["vulnerable_children"],
}


def member(username, role, authority=None, region=None):
    user = User.objects.create(username=username, full_name=username.replace(".", " ").title())
    Membership.objects.create(user=user, role=role, authority=authority, region=region)
    return user


@pytest.fixture
def others(places, people):
    """People beyond the personas: a second Camden member, and members of Islington and Bradford."""
    return {
        "camden_admin": member("camden.admin", Role.COUNCIL_ADMIN, places.camden),
        "islington": member("islington.member", Role.COUNCIL_MEMBER, places.islington),
        "bradford": member("bradford.member", Role.COUNCIL_MEMBER, places.bradford),
        "yorkshire_coordinator": member(
            "yorkshire.coordinator", Role.ALLIANCE_COORDINATOR, region=places.leeds.region
        ),
    }


def membership(user):
    return Membership.objects.get(user=user)


@pytest.fixture
def submitted(as_persona, camden_analyst, places, others):
    client = as_persona("camden_analyst")
    response = client.post(SUBMIT, {**FORM, "authority": places.camden.pk})
    practice = LocalPractice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    client.logout()
    return practice


@pytest.fixture
def in_review(client, submitted, london_coordinator, leeds_admin, others):
    client.force_login(london_coordinator)
    response = client.post(
        assign_url(submitted),
        {"validator_1": membership(leeds_admin).pk, "validator_2": membership(others["bradford"]).pk},
    )
    assert response.status_code == 302
    client.logout()
    submitted.refresh_from_db()
    return submitted


def url(practice):
    return f"/evidence/local/{practice.pk}/"


def assign_url(practice):
    return f"/evidence/local/{practice.pk}/assign/"


def decide(client, user, practice, decision="approve", comment="Sound data and a fair comparison"):
    client.force_login(user)
    response = client.post(url(practice), {"decision": decision, "comment": comment})
    client.logout()
    return response


# ---------------------------------------------------------------- submission


def test_a_council_member_submits_their_councils_practice(submitted, camden_analyst, places):
    assert submitted.authority == places.camden and submitted.submitted_by == camden_analyst
    assert submitted.status == LocalPractice.Status.SUBMITTED
    assert submitted.themes.split() == ["vulnerable_children"]
    assert (submitted.outcome_before, submitted.outcome_after) == (
        FORM["outcome_before"],
        FORM["outcome_after"],
    )
    assert (str(submitted.cost_per_child), submitted.cost_year) == ("1250.00", 2024)
    event = submitted.events.get()
    assert (event.action, event.actor, event.actor_role) == (
        "submitted",
        camden_analyst,
        "Council member, Camden",
    )


def test_submitting_needs_a_council_role(client, as_persona):
    response = client.get(SUBMIT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_persona("london_coordinator").get(SUBMIT).status_code == 403


def test_a_member_cannot_submit_for_another_council(as_persona, places):
    response = as_persona("camden_analyst").post(SUBMIT, {**FORM, "authority": places.leeds.pk})
    assert response.status_code == 400 and "Choose your council" in response.content.decode()
    assert not LocalPractice.objects.exists()


def test_missing_fields_are_reported_in_an_error_summary(as_persona, places):
    response = as_persona("camden_analyst").post(SUBMIT, {"authority": places.camden.pk})
    summary = page(response).one(class_="govuk-error-summary").text
    assert response.status_code == 400
    for message in (
        "Enter a title",
        "Describe what was done",
        "Say who it was for",
        "Name the outcome you measured",
        "Give the outcome before the practice",
        "Give the outcome after the practice",
        "Say what your own data shows",
    ):
        assert message in summary
    assert not LocalPractice.objects.exists()


@pytest.mark.parametrize(
    ("cost", "year", "message"),
    [
        ("lots", "2024", "Enter the cost per child in pounds"),
        ("-5", "2024", "Enter the cost per child in pounds"),
        ("850", "", "Enter the year the cost applies to"),
        ("850", "24", "Enter the year as four digits"),
        ("", "2024", "Enter the cost per child, or leave the year blank"),
    ],
)
def test_a_cost_needs_a_number_and_its_year(as_persona, places, cost, year, message):
    data = {**FORM, "authority": places.camden.pk, "cost_per_child": cost, "cost_year": year}
    response = as_persona("camden_analyst").post(SUBMIT, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not LocalPractice.objects.exists()


def test_the_cost_is_optional(as_persona, places):
    data = {**FORM, "authority": places.camden.pk, "cost_per_child": "", "cost_year": ""}
    assert as_persona("camden_analyst").post(SUBMIT, data).status_code == 302
    practice = LocalPractice.objects.get()
    assert practice.cost_per_child is None
    assert "Not given by the council" in as_persona("camden_analyst").get(url(practice)).content.decode()


# ---------------------------------------------------------------- who sees a draft, who assigns


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("camden_analyst", 200),  # the submitting council
        ("leeds_admin", 404),  # another council, not (yet) a validator: as if there were none
        ("london_coordinator", 200),  # Camden is in London
        ("national_admin", 200),
        ("evidence_editor", 404),  # national over the library, not over councils' drafts
    ],
)
def test_who_sees_a_submitted_practice(as_persona, submitted, persona, status):
    response = as_persona(persona).get(url(submitted))
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"/accounts/login/?next={url(submitted)}"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("camden_analyst", 403),  # sees the practice, but may not assign
        ("leeds_admin", 404),  # cannot see it at all
        ("london_coordinator", 200),
        ("national_admin", 200),
    ],
)
def test_who_may_assign_validators(as_persona, submitted, persona, status):
    assert as_persona(persona).get(assign_url(submitted)).status_code == status


def test_the_assign_page_offers_only_people_from_other_councils(as_persona, submitted, others):
    body = page(as_persona("london_coordinator").get(assign_url(submitted)))
    options = [o.text for o in body.one("select", id="validator_1").find_all("option")]
    assert options == [
        "Choose a person",
        "Bradford: Bradford Member (council member)",
        "Islington: Islington Member (council member)",
        "Leeds: Leeds Admin (council admin)",
    ]
    assert "Assign validators" in page(as_persona("london_coordinator").get(url(submitted))).text


def test_a_coordinator_of_another_region_cannot_assign(client, submitted, leeds_admin, others):
    client.force_login(others["yorkshire_coordinator"])
    assert client.get(url(submitted)).status_code == 404  # not even visible
    response = client.post(
        assign_url(submitted),
        {"validator_1": membership(leeds_admin).pk, "validator_2": membership(others["bradford"]).pk},
    )
    assert response.status_code == 404
    assert not PeerValidation.objects.exists()


def test_coordinator_assigns_two_validators_and_it_goes_to_review(in_review, london_coordinator, leeds_admin):
    assert in_review.status == LocalPractice.Status.IN_REVIEW
    validations = list(in_review.validations.all())
    assert [(v.validator.username, v.validator_authority.name) for v in validations] == [
        ("leeds.admin", "Leeds"),
        ("bradford.member", "Bradford"),
    ]
    assert all(v.assigned_by == london_coordinator and not v.decision for v in validations)
    assigned = in_review.events.filter(action="assigned")
    assert [(e.actor_role, e.note) for e in assigned] == [
        ("Alliance coordinator, London", "Leeds"),
        ("Alliance coordinator, London", "Bradford"),
    ]


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("camden_admin", "bradford", "is a member of Camden, the council that submitted this practice"),
        ("camden_analyst", "bradford", "is a member of Camden, the council that submitted this practice"),
        ("leeds_admin", "leeds_admin", "Choose two different people"),
        ("london_coordinator", "bradford", "is not a member of a council"),
    ],
)
def test_assignments_the_rules_forbid_are_refused_with_a_reason(
    client, submitted, people, others, national_admin, first, second, message
):
    everyone = {**people, **others}
    client.force_login(national_admin)
    response = client.post(
        assign_url(submitted),
        {"validator_1": membership(everyone[first]).pk, "validator_2": membership(everyone[second]).pk},
    )
    assert response.status_code == 400
    assert message in page(response).one(class_="govuk-error-summary").text
    submitted.refresh_from_db()
    assert submitted.status == LocalPractice.Status.SUBMITTED and not submitted.validations.exists()
    assert not submitted.events.filter(action="assigned").exists()


def test_two_validators_from_one_council_are_refused(client, submitted, leeds_admin, national_admin, places):
    second_leeds = member("leeds.member", Role.COUNCIL_MEMBER, places.leeds)
    client.force_login(national_admin)
    response = client.post(
        assign_url(submitted),
        {"validator_1": membership(leeds_admin).pk, "validator_2": membership(second_leeds).pk},
    )
    assert response.status_code == 400
    assert "two different councils" in response.content.decode()
    assert not PeerValidation.objects.exists()


def test_both_validators_must_be_chosen(client, submitted, national_admin, leeds_admin):
    client.force_login(national_admin)
    response = client.post(assign_url(submitted), {"validator_1": membership(leeds_admin).pk})
    assert response.status_code == 400
    summary = page(response).one(class_="govuk-error-summary").text
    assert "Choose the second validator" in summary
    response = client.post(assign_url(submitted), {"validator_1": "x", "validator_2": "9" * 30})
    assert response.status_code == 400
    assert "Choose the first validator from the list" in response.content.decode()
    assert "Choose the second validator from the list" in response.content.decode()
    assert not PeerValidation.objects.exists()


def test_validators_cannot_be_assigned_twice(client, in_review, national_admin, others):
    client.force_login(national_admin)
    assert client.get(assign_url(in_review)).status_code == 302  # back to the practice
    response = client.post(
        assign_url(in_review),
        {"validator_1": membership(others["islington"]).pk, "validator_2": membership(others["bradford"]).pk},
    )
    assert response.status_code == 302
    assert in_review.validations.count() == 2


# ---------------------------------------------------------------- decisions


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("camden_analyst", 200),
        ("leeds_admin", 200),  # now an assigned validator
        ("london_coordinator", 200),
        ("national_admin", 200),
    ],
)
def test_who_sees_a_practice_in_review(as_persona, in_review, persona, status):
    assert as_persona(persona).get(url(in_review)).status_code == status


def test_only_assigned_validators_see_the_decision_form(as_persona, in_review):
    assert "Your decision, as validator for Leeds" in page(as_persona("leeds_admin").get(url(in_review))).text
    for persona in ("london_coordinator", "national_admin"):
        assert "Your decision" not in as_persona(persona).get(url(in_review)).content.decode()


def test_a_validator_from_the_submitting_council_is_refused(client, in_review, others):
    client.force_login(others["camden_admin"])
    shown = page(client.get(url(in_review)))
    assert "You cannot validate this practice: you are a member of Camden" in shown.text
    assert shown.find("textarea", id="comment") is None
    response = client.post(url(in_review), {"decision": "approve", "comment": "Looks good"})
    assert response.status_code == 403
    assert "member of Camden, the council that submitted this practice" in response.content.decode()
    assert not PeerValidation.objects.exclude(decision="").exists()


def test_a_member_of_another_council_who_was_not_assigned_is_refused(client, in_review, others):
    client.force_login(others["islington"])
    assert client.get(url(in_review)).status_code == 404  # not even visible
    response = client.post(url(in_review), {"decision": "approve", "comment": "Looks good"})
    assert response.status_code == 404
    assert not PeerValidation.objects.exclude(decision="").exists()


def test_a_decision_needs_a_choice_and_reasons(client, in_review, leeds_admin):
    response = decide(client, leeds_admin, in_review, decision="", comment="x")
    assert response.status_code == 400
    assert "Choose whether you validate" in page(response).one(class_="govuk-error-summary").text
    response = decide(client, leeds_admin, in_review, comment="  ")
    assert response.status_code == 400
    assert "Give the reasons" in page(response).one(class_="govuk-error-summary").text
    assert not PeerValidation.objects.exclude(decision="").exists()


def test_two_approvals_publish_it_as_validated_local_practice(client, in_review, leeds_admin, others):
    assert decide(client, leeds_admin, in_review).status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == LocalPractice.Status.IN_REVIEW
    assert search.search_ids("conferences", kind=search.LOCAL) == []  # not public yet
    again = decide(client, leeds_admin, in_review)
    assert again.status_code == 400 and "already given your decision" in again.content.decode()

    assert decide(client, others["bradford"], in_review, comment="Agreed").status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == LocalPractice.Status.VALIDATED and in_review.published_at
    assert [e.action for e in in_review.events.all()] == [
        "submitted",
        "assigned",
        "assigned",
        "approved",
        "approved",
        "published",
    ]
    approvals = in_review.events.filter(action="approved")
    assert [e.actor_role for e in approvals] == ["Peer validator, Leeds", "Peer validator, Bradford"]
    assert search.search_ids("conferences", kind=search.LOCAL) == [in_review.pk]

    public = page(client.get(url(in_review)))  # signed out: public once validated
    assert "Validated local practice" in public.text
    assert "Sound data and a fair comparison" in public.text  # the reasons are published
    assert "Leeds Admin" not in public.text and "Camden Analyst" not in public.text  # names are not
    assert "Family group conferences" in client.get("/evidence/local/").content.decode()


def test_the_history_names_people_for_those_who_may_see_them(as_persona, in_review):
    history = page(as_persona("london_coordinator").get(url(in_review))).find_all("table")[-1].text
    assert "London Coordinator, Alliance coordinator, London" in history
    assert "Camden Analyst, Council member, Camden" in history


def test_a_refusal_closes_it_as_not_validated(client, in_review, leeds_admin, others):
    decide(client, leeds_admin, in_review, decision="reject", comment="No comparison group")
    in_review.refresh_from_db()
    assert in_review.status == LocalPractice.Status.REJECTED and in_review.published_at is None
    assert list(in_review.events.values_list("action", flat=True))[-2:] == ["rejected", "closed"]
    late = decide(client, others["bradford"], in_review)
    assert late.status_code == 400 and "no longer awaiting a decision" in late.content.decode()
    assert client.get(url(in_review)).status_code == 302  # still private
    assert search.search_ids("conferences", kind=search.LOCAL) == []


def test_unpublished_practice_is_hidden_from_the_public_list(client, in_review):
    assert "Family group conferences" not in client.get("/evidence/local/").content.decode()


def test_the_list_shows_each_person_their_work(as_persona, in_review, submitted):
    assert "Waiting for your decision" in as_persona("leeds_admin").get("/evidence/local/").content.decode()
    assert "Your council's practice in validation" in (
        as_persona("camden_analyst").get("/evidence/local/").content.decode()
    )


def test_the_list_shows_coordinators_what_awaits_validators(as_persona, submitted):
    assert (
        "Waiting for validators" in as_persona("london_coordinator").get("/evidence/local/").content.decode()
    )


def test_an_unknown_local_practice_is_404(as_persona, places):
    assert as_persona("camden_analyst").get("/evidence/local/999999/").status_code == 404
    assert as_persona("national_admin").get("/evidence/local/999999/assign/").status_code == 404


def test_the_history_table_records_every_event_with_its_state(in_review):
    states = list(
        LocalPracticeEvent.objects.filter(local_practice=in_review).values_list("status", flat=True)
    )
    assert states == ["submitted", "in_review", "in_review"]


# ---------------------------------------------------------------- releasing a validator


def release_url(practice, validation):
    return f"/evidence/local/{practice.pk}/validators/{validation.pk}/release/"


def test_a_coordinator_replaces_a_validator_who_has_not_decided(
    client, in_review, london_coordinator, leeds_admin, others
):
    decide(client, others["bradford"], in_review)  # Bradford approves; Leeds does not answer
    leeds = in_review.validations.get(validator=leeds_admin)
    client.force_login(london_coordinator)
    before = page(client.get(url(in_review)))
    assert before.one("form", action=release_url(in_review, leeds))
    releases = [f for f in before.find_all("form") if "/release/" in f.attrs.get("action", "")]
    assert len(releases) == 1  # Bradford has decided: only Leeds can be released
    response = client.post(release_url(in_review, leeds))
    assert response.status_code == 302 and response["Location"] == url(in_review)
    in_review.refresh_from_db()
    assert in_review.status == LocalPractice.Status.IN_REVIEW
    assert list(in_review.validations.values_list("validator_authority__code", "decision")) == [
        ("380", "approve")
    ]
    assert page(client.get(url(in_review))).one(id="open-place")
    # One place is open: the assign page asks for one validator, and Leeds's place goes to Islington.
    form = page(client.get(assign_url(in_review)))
    assert form.find("select", id="validator_2") is None
    assert (
        client.post(assign_url(in_review), {"validator_1": membership(others["islington"]).pk}).status_code
        == 302
    )
    client.logout()
    assert decide(client, leeds_admin, in_review).status_code == 404  # released: no longer sees it
    decide(client, others["islington"], in_review)
    in_review.refresh_from_db()
    assert in_review.status == LocalPractice.Status.VALIDATED
    actions = list(in_review.events.values_list("action", "note"))
    assert ("released", "Leeds") in actions


def test_a_validator_who_has_decided_cannot_be_released(client, in_review, london_coordinator, others):
    decide(client, others["bradford"], in_review)
    bradford = in_review.validations.get(validator=others["bradford"])
    client.force_login(london_coordinator)
    response = client.post(release_url(in_review, bradford))
    assert response.status_code == 400
    assert "their decision stands" in page(response).one(class_="govuk-error-summary").text
    assert in_review.validations.count() == 2


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("camden_analyst", 403),  # sees the practice, but may not assign
        ("leeds_admin", 403),  # the validator themself
        ("london_coordinator", 302),
        ("national_admin", 302),
    ],
)
def test_who_may_release_a_validator(as_persona, in_review, leeds_admin, persona, status):
    leeds = in_review.validations.get(validator=leeds_admin)
    response = as_persona(persona).post(release_url(in_review, leeds))
    assert response.status_code == status
    released = not in_review.validations.filter(pk=leeds.pk).exists()
    assert released == (persona in ("london_coordinator", "national_admin"))
