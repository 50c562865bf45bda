"""The annual self-assessment: its states, who may move it, its history, its pages and its data pack."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from slihub.accounts.models import Role
from slihub.alliances import selfassessment as sa
from slihub.alliances.models import Alliance, Cycle, SelfAssessment, SelfAssessmentEvent, Status
from slihub.inspections.models import Grade
from tests import factories

YEAR = 2026
BASE = f"/alliances/self-assessments/202/{YEAR}/"
GOOD = Grade.GOOD


@pytest.fixture
def cycle(places):
    alliance = Alliance.objects.create(
        region=places.london, name="London Innovation and Improvement Alliance"
    )
    Alliance.objects.create(region=places.yorkshire, name="Yorkshire and Humber alliance")
    return Cycle.objects.create(
        alliance=alliance,
        year=YEAR,
        self_assessment_opens=date(2026, 11, 1),
        self_assessment_due=date(2026, 12, 18),
        challenge_opens=date(2027, 1, 4),
        challenge_closes=date(2027, 2, 26),
        plan_due=date(2027, 3, 31),
        delivery_starts=date(2027, 4, 1),
    )


@pytest.fixture
def others(places, people):
    """People beyond the shared personas: a moderator from Islington (London), Camden's chief executive,
    a Yorkshire coordinator and a Bradford member (another region)."""
    return {
        "islington_member": factories.user(
            "islington.member", Role.COUNCIL_MEMBER, authority=places.islington
        ),
        "camden_chief": factories.user("camden.chief", Role.CHIEF_EXECUTIVE, authority=places.camden),
        "camden_lead": factories.user("camden.lead", Role.LEAD_MEMBER, authority=places.camden),
        "yorkshire_coordinator": factories.user(
            "yorkshire.coordinator", Role.ALLIANCE_COORDINATOR, region=places.yorkshire
        ),
        "bradford_member": factories.user("bradford.member", Role.COUNCIL_MEMBER, authority=places.bradford),
    }


@pytest.fixture
def draft(cycle, places, camden_analyst):
    return sa.start(user=camden_analyst, authority=places.camden, cycle=cycle)


def complete(assessment, user):
    sa.save_answers(
        user=user,
        assessment=assessment,
        answers={
            "quality": "Practice is improving.",
            "how_known": "Audits.",
            "plans": "Stabilise the workforce.",
        },
        ratings={area: {"grade": GOOD, "evidence": "Audit findings."} for area in sa.AREA_FIELDS},
    )


@pytest.fixture
def submitted(draft, camden_analyst):
    complete(draft, camden_analyst)
    return sa.submit(user=camden_analyst, assessment=draft)


@pytest.fixture
def moderated(submitted, london_coordinator, others):
    sa.assign_moderator(user=london_coordinator, assessment=submitted, moderator=others["islington_member"])
    return sa.moderate(user=others["islington_member"], assessment=submitted, comments="Well evidenced.")


def statuses(assessment):
    return list(assessment.events.order_by("at", "id").values_list("from_status", "to_status"))


# Transitions and refusals -------------------------------------------------------------------------


def test_starting_makes_a_draft_with_every_area_unrated_and_a_first_event(draft, camden_analyst):
    assert draft.status == Status.DRAFT
    assert sorted(draft.ratings.values_list("area", flat=True)) == sorted(sa.AREA_FIELDS)
    assert all(not grade for grade in draft.ratings.values_list("grade", flat=True))
    assert statuses(draft) == [("", Status.DRAFT)]
    assert draft.events.get().by == camden_analyst


def test_starting_twice_returns_the_same_draft(draft, cycle, places, camden_analyst):
    again = sa.start(user=camden_analyst, authority=places.camden, cycle=cycle)
    assert again.pk == draft.pk
    assert SelfAssessment.objects.count() == 1
    assert draft.events.count() == 1


@pytest.mark.parametrize("name", ["london_coordinator", "national_admin", "leeds_admin", "no_membership"])
def test_only_the_councils_own_staff_start_it(cycle, places, people, name):
    with pytest.raises(PermissionDenied):
        sa.start(user=people[name], authority=places.camden, cycle=cycle)


def test_the_chief_executive_cannot_start_or_write_it(draft, cycle, places, others):
    with pytest.raises(PermissionDenied):
        sa.start(user=others["camden_chief"], authority=places.camden, cycle=cycle)
    with pytest.raises(PermissionDenied):
        sa.save_answers(user=others["camden_chief"], assessment=draft, answers={"quality": "x"})


def test_a_council_outside_the_alliance_cannot_start_in_its_cycle(cycle, places, leeds_admin):
    with pytest.raises(ValidationError):
        sa.start(user=leeds_admin, authority=places.leeds, cycle=cycle)


def test_saving_answers_keeps_them_and_refuses_bad_ones_whole(draft, camden_analyst):
    sa.save_answers(user=camden_analyst, assessment=draft, answers={"quality": "We know a lot."})
    with pytest.raises(ValidationError) as refused:
        sa.save_answers(
            user=camden_analyst,
            assessment=draft,
            answers={"plans": "Plans"},
            ratings={"care_leavers": {"grade": "Brilliant"}},
        )
    assert "care_leavers-grade" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.quality == "We know a lot."
    assert draft.plans == ""


def test_answers_longer_than_the_limit_are_refused(draft, camden_analyst):
    with pytest.raises(ValidationError):
        sa.save_answers(user=camden_analyst, assessment=draft, answers={"quality": "x" * (sa.ANSWER_MAX + 1)})


def test_evidence_links_must_be_the_councils_own_facts(draft, camden_analyst):
    with pytest.raises(ValidationError) as refused:
        sa.save_answers(
            user=camden_analyst,
            assessment=draft,
            ratings={
                "help_and_protection": {
                    "links": {
                        "indicators": ["no-such-indicator"],
                        "local_practice": ["99999"],
                        "documents": ["javascript:alert(1)"],
                    }
                }
            },
        )
    text = " ".join(refused.value.message_dict["help_and_protection-links"])
    assert "no-such-indicator" in text and "99999" in text and "javascript" in text
    sa.save_answers(
        user=camden_analyst,
        assessment=draft,
        ratings={"help_and_protection": {"links": {"documents": "https://camden.gov.uk/ofsted-plan"}}},
    )
    rating = draft.ratings.get(area="help_and_protection")
    assert rating.links["documents"] == ["https://camden.gov.uk/ofsted-plan"]


def test_submitting_an_incomplete_self_assessment_is_refused_naming_what_is_missing(draft, camden_analyst):
    sa.save_answers(user=camden_analyst, assessment=draft, answers={"quality": "Something"})
    with pytest.raises(ValidationError) as refused:
        sa.submit(user=camden_analyst, assessment=draft)
    assert "how_known" in refused.value.message_dict
    assert "care_leavers" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submitting_a_complete_draft_records_the_change(submitted, camden_analyst):
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at is not None
    assert statuses(submitted)[-1] == (Status.DRAFT, Status.SUBMITTED)


def test_a_submitted_self_assessment_cannot_be_changed(submitted, camden_analyst):
    with pytest.raises(ValidationError):
        sa.save_answers(user=camden_analyst, assessment=submitted, answers={"quality": "Changed"})
    with pytest.raises(ValidationError):
        sa.submit(user=camden_analyst, assessment=submitted)


def test_the_moderator_must_come_from_another_council_of_the_same_region(
    submitted, london_coordinator, camden_analyst, others
):
    for wrong in (camden_analyst, others["bradford_member"], others["camden_chief"], london_coordinator):
        with pytest.raises(ValidationError):
            sa.assign_moderator(user=london_coordinator, assessment=submitted, moderator=wrong)
    assert [u.username for u in sa.moderator_choices(submitted)] == ["islington.member"]
    sa.assign_moderator(user=london_coordinator, assessment=submitted, moderator=others["islington_member"])
    submitted.refresh_from_db()
    assert submitted.moderator == others["islington_member"]
    assert "Islington Member" in submitted.events.last().note


@pytest.mark.parametrize(
    "name", ["camden_analyst", "leeds_admin", "yorkshire_coordinator", "islington_member"]
)
def test_only_the_regions_coordinator_or_a_national_admin_assigns_a_moderator(
    submitted, people, others, name
):
    user = people.get(name) or others[name]
    with pytest.raises(PermissionDenied):
        sa.assign_moderator(user=user, assessment=submitted, moderator=others["islington_member"])


def test_a_national_admin_may_assign_a_moderator(submitted, national_admin, others):
    sa.assign_moderator(user=national_admin, assessment=submitted, moderator=others["islington_member"])
    assert SelfAssessment.objects.get().moderator == others["islington_member"]


def test_a_draft_cannot_be_given_a_moderator(draft, london_coordinator, others):
    with pytest.raises(ValidationError):
        sa.assign_moderator(user=london_coordinator, assessment=draft, moderator=others["islington_member"])


def test_only_the_assigned_moderator_comments_and_that_makes_it_moderated(
    submitted, london_coordinator, camden_analyst, others
):
    with pytest.raises(PermissionDenied):  # no moderator yet
        sa.moderate(user=others["islington_member"], assessment=submitted, comments="Hello")
    sa.assign_moderator(user=london_coordinator, assessment=submitted, moderator=others["islington_member"])
    for wrong in (london_coordinator, camden_analyst):
        with pytest.raises(PermissionDenied):
            sa.moderate(user=wrong, assessment=submitted, comments="Hello")
    with pytest.raises(ValidationError):
        sa.moderate(user=others["islington_member"], assessment=submitted, comments="   ")
    sa.moderate(user=others["islington_member"], assessment=submitted, comments="Well evidenced.")
    submitted.refresh_from_db()
    assert submitted.status == Status.MODERATED
    assert submitted.moderator_comments == "Well evidenced."
    assert statuses(submitted)[-1] == (Status.SUBMITTED, Status.MODERATED)


def test_returning_needs_a_reason_and_lets_the_council_write_and_submit_again(
    moderated, london_coordinator, camden_analyst
):
    with pytest.raises(ValidationError):
        sa.return_to_council(user=london_coordinator, assessment=moderated, reason="")
    sa.return_to_council(user=london_coordinator, assessment=moderated, reason="Say more about care leavers.")
    moderated.refresh_from_db()
    assert moderated.status == Status.RETURNED
    sa.save_answers(user=camden_analyst, assessment=moderated, answers={"plans": "More for care leavers."})
    sa.submit(user=camden_analyst, assessment=moderated)
    moderated.refresh_from_db()
    assert moderated.status == Status.SUBMITTED
    assert statuses(moderated)[-2:] == [
        (Status.MODERATED, Status.RETURNED),
        (Status.RETURNED, Status.SUBMITTED),
    ]
    assert moderated.events.get(to_status=Status.RETURNED).note == "Say more about care leavers."


def test_finalising_needs_moderation_first(submitted, london_coordinator):
    with pytest.raises(ValidationError):
        sa.finalise(user=london_coordinator, assessment=submitted)


def test_finalising_a_moderated_self_assessment_and_then_nothing_more(
    moderated, london_coordinator, camden_analyst
):
    sa.finalise(user=london_coordinator, assessment=moderated)
    moderated.refresh_from_db()
    assert moderated.status == Status.FINAL
    with pytest.raises(ValidationError):
        sa.return_to_council(user=london_coordinator, assessment=moderated, reason="Late thought")
    with pytest.raises(ValidationError):
        sa.save_answers(user=camden_analyst, assessment=moderated, answers={"quality": "x"})


@pytest.mark.parametrize(
    "name", ["camden_analyst", "yorkshire_coordinator", "islington_member", "camden_chief"]
)
def test_only_the_coordinator_or_a_national_admin_returns_or_finalises(moderated, people, others, name):
    user = people.get(name) or others[name]
    with pytest.raises(PermissionDenied):
        sa.return_to_council(user=user, assessment=moderated, reason="No")
    with pytest.raises(PermissionDenied):
        sa.finalise(user=user, assessment=moderated)


def test_the_whole_history_is_kept_in_order(moderated, london_coordinator):
    sa.finalise(user=london_coordinator, assessment=moderated)
    assert statuses(moderated) == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.SUBMITTED),  # the moderator assigned
        (Status.SUBMITTED, Status.MODERATED),
        (Status.MODERATED, Status.FINAL),
    ]


def test_a_transition_that_fails_writes_no_event(draft, camden_analyst):
    before = SelfAssessmentEvent.objects.count()
    with pytest.raises(ValidationError):
        sa.submit(user=camden_analyst, assessment=draft)
    assert SelfAssessmentEvent.objects.count() == before


# Who sees what -------------------------------------------------------------------------------------

READERS = {"camden_analyst", "london_coordinator", "national_admin", "camden_chief", "camden_lead"}
EVERYONE = [
    "anonymous",
    "camden_analyst",
    "leeds_admin",
    "london_coordinator",
    "national_admin",
    "evidence_editor",
    "no_membership",
    "camden_chief",
    "camden_lead",
    "yorkshire_coordinator",
    "islington_member",
]


@pytest.fixture
def sign_in(client, people, others):
    def signed_in(name):
        if name != "anonymous":
            client.force_login(people.get(name) or others[name])
        return client

    return signed_in


def _pages():
    return [
        "",
        "data-pack/",
        "check/",
        "moderate/",
        *(f"answer/{page}/" for page in ("quality", "how_known", "plans", *sa.AREA_FIELDS)),
    ]


@pytest.mark.parametrize("name", EVERYONE)
def test_every_page_answers_each_persona_as_its_rules_say(
    submitted, sign_in, name, london_coordinator, others
):
    sa.assign_moderator(user=london_coordinator, assessment=submitted, moderator=others["islington_member"])
    client = sign_in(name)
    for page in _pages():
        response = client.get(BASE + page)
        if name == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
            continue
        readable = name in READERS or name == "islington_member"
        if not readable:
            assert response.status_code == 404, (page, response.status_code)
            continue
        if page in ("", "data-pack/"):
            assert response.status_code == 200, page
        elif page == "moderate/":
            assert response.status_code == (200 if name == "islington_member" else 403), page
        elif name == "camden_analyst":
            assert response.status_code == 302, page  # submitted: back to the overview
        else:
            assert response.status_code == 403, (page, name)


@pytest.mark.parametrize("name", sorted(set(EVERYONE) - {"anonymous", "camden_analyst"}))
def test_nobody_but_the_councils_staff_can_save_or_submit(draft, sign_in, name):
    client = sign_in(name)
    saved = client.post(BASE + "save/", {"page": "quality", "answer": "Not mine"})
    posted = client.post(
        BASE + "answer/quality/", {"page": "quality", "answer": "Not mine", "action": "continue"}
    )
    submitted = client.post(BASE + "check/")
    started = client.post(BASE + "start/")
    expected = 403 if name in READERS else 404
    assert (saved.status_code, posted.status_code, submitted.status_code, started.status_code) == (
        expected,
    ) * 4
    draft.refresh_from_db()
    assert draft.quality == "" and draft.status == Status.DRAFT


@pytest.mark.parametrize(
    "name", ["camden_analyst", "leeds_admin", "islington_member", "camden_chief", "anonymous"]
)
def test_coordinator_actions_are_refused_to_everyone_else(submitted, sign_in, name, others):
    client = sign_in(name)
    response = client.post(BASE + "coordinate/assign/", {"moderator": others["islington_member"].pk})
    assert response.status_code in (302, 403, 404)
    if name == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    assert client.post(BASE + "coordinate/return/", {"reason": "No"}).status_code in (302, 403, 404)
    assert client.post(BASE + "moderate/", {"comments": "Mine"}).status_code in (302, 403, 404)
    submitted.refresh_from_db()
    assert submitted.moderator is None and submitted.status == Status.SUBMITTED
    assert submitted.events.count() == 2


def test_a_coordinator_of_another_region_and_the_public_see_nothing_of_it(draft, sign_in):
    for name in ("yorkshire_coordinator", "leeds_admin", "no_membership"):
        client = sign_in(name)
        assert client.get(BASE).status_code == 404
        assert client.get("/api/v1/self-assessments").json()["items"] == []
        assert client.get(f"/api/v1/self-assessments/{draft.pk}").status_code == 404
        client.logout()


def test_an_unknown_council_or_year_is_not_found(cycle, sign_in):
    client = sign_in("camden_analyst")
    assert client.get("/alliances/self-assessments/999/2026/").status_code == 404
    assert client.get("/alliances/self-assessments/202/2031/").status_code == 404
    assert client.get("/alliances/self-assessments/202/20x6/").status_code == 404


# The pages -----------------------------------------------------------------------------------------


def test_camden_goes_through_every_page_and_each_continue_saves(cycle, sign_in):
    client = sign_in("camden_analyst")
    assert client.get(BASE).status_code == 200
    response = client.post(BASE + "start/")
    assert response["Location"] == BASE + "answer/quality/"
    for name in ("quality", "how_known", "plans"):
        page = client.get(BASE + f"answer/{name}/")
        assert b'data-module="govuk-character-count"' in page.content
        assert b"hx-post" in page.content
        client.post(
            BASE + f"answer/{name}/", {"page": name, "answer": f"Answer to {name}", "action": "continue"}
        )
    for area in sa.AREA_FIELDS:
        response = client.post(
            BASE + f"answer/{area}/",
            {
                "page": area,
                "grade-shown": "1",
                "links-shown": "1",
                "grade": GOOD,
                "evidence": "Audits",
                "documents": "https://example.gov.uk/plan",
                "action": "continue",
            },
        )
    assert response["Location"] == BASE + "check/"
    check = client.get(BASE + "check/")
    assert check.content.count(b">Change<") == 8
    assert client.post(BASE + "check/")["Location"] == BASE
    assessment = SelfAssessment.objects.get()
    assert assessment.status == Status.SUBMITTED
    assert assessment.how_known == "Answer to how_known"
    assert assessment.ratings.get(area="care_leavers").links["documents"] == ["https://example.gov.uk/plan"]


def test_back_saves_too(draft, sign_in):
    client = sign_in("camden_analyst")
    response = client.post(
        BASE + "answer/how_known/", {"page": "how_known", "answer": "Kept", "action": "back"}
    )
    assert response["Location"] == BASE + "answer/quality/"
    draft.refresh_from_db()
    assert draft.how_known == "Kept"


def test_a_bad_answer_shows_the_error_and_keeps_what_was_typed(draft, sign_in):
    client = sign_in("camden_analyst")
    response = client.post(
        BASE + "answer/care_leavers/",
        {
            "page": "care_leavers",
            "grade-shown": "1",
            "grade": "Splendid",
            "evidence": "Typed",
            "action": "continue",
        },
    )
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content and b"Typed" in response.content
    assert b'href="#care_leavers-grade"' in response.content
    assert response.content.count(b"Choose one of Ofsted&#x27;s four grades") == 2  # summary and inline


def test_checking_an_incomplete_self_assessment_lists_what_is_missing(draft, sign_in):
    client = sign_in("camden_analyst")
    response = client.post(BASE + "check/")
    assert response.status_code == 400
    assert b"There is a problem" in response.content and b"#change-plans" in response.content
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_typing_saves_through_the_save_endpoint(draft, sign_in):
    client = sign_in("camden_analyst")
    response = client.post(
        BASE + "save/", {"page": "plans", "answer": "Half a thought"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    draft.refresh_from_db()
    assert draft.plans == "Half a thought"
    response = client.post(
        BASE + "save/", {"page": "children_in_care", "grade-shown": "1", "grade": Grade.INADEQUATE}
    )
    assert response.status_code == 204
    assert draft.ratings.get(area="children_in_care").grade == Grade.INADEQUATE
    bad = client.post(BASE + "save/", {"page": "children_in_care", "grade-shown": "1", "grade": "Meh"})
    assert bad.status_code == 400
    assert client.post(BASE + "save/", {"page": "nope"}).status_code == 400


def test_a_session_that_timed_out_keeps_the_draft_and_signing_in_returns_to_it(draft, sign_in, client):
    signed_in = sign_in("camden_analyst")
    signed_in.post(BASE + "save/", {"page": "quality", "answer": "Saved before the timeout"})
    client.logout()
    autosaved = client.post(BASE + "save/", {"page": "quality", "answer": "Lost"}, HTTP_HX_REQUEST="true")
    assert autosaved.status_code == 401 and b"sign in again" in autosaved.content
    response = client.post(
        BASE + "answer/quality/", {"page": "quality", "answer": "Lost", "action": "continue"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={BASE}answer/quality/"
    draft.refresh_from_db()
    assert draft.quality == "Saved before the timeout"
    login = client.post(
        f"/accounts/login/?next={BASE}answer/quality/",
        {"username": "camden.analyst", "password": factories.PASSWORD, "next": f"{BASE}answer/quality/"},
    )
    assert login["Location"] == f"{BASE}answer/quality/"
    assert b"Saved before the timeout" in client.get(login["Location"]).content


def test_the_coordinator_assigns_returns_and_finalises_from_the_overview(submitted, sign_in, others):
    client = sign_in("london_coordinator")
    page = client.get(BASE)
    assert b"Assign the moderator" in page.content and b"Islington Member" in page.content
    assert b"Camden Analyst" not in page.content.split(b'id="moderator"')[1].split(b"</select>")[0]
    bad = client.post(BASE + "coordinate/assign/", {"moderator": "x"})
    assert bad.status_code == 400 and b"Choose a moderator" in bad.content
    client.post(BASE + "coordinate/assign/", {"moderator": others["islington_member"].pk})
    client.force_login(others["islington_member"])
    assert client.post(BASE + "moderate/", {"comments": "Thorough"}).status_code == 302
    assert b"Thorough" in sign_in("camden_analyst").get(BASE).content
    client = sign_in("london_coordinator")
    client.post(BASE + "coordinate/finalise/")
    assert SelfAssessment.objects.get().status == Status.FINAL
    assert client.post(BASE + "coordinate/explode/").status_code == 404


def test_the_chief_executive_reads_but_is_offered_no_edits(submitted, sign_in):
    page = sign_in("camden_chief").get(BASE)
    assert page.status_code == 200
    assert b"Continue the self-assessment" not in page.content and b"Assign the moderator" not in page.content
    assert b"Audits." in page.content


# The data pack -------------------------------------------------------------------------------------


def test_the_data_pack_is_printable_and_shows_early_warning_only_to_those_allowed(
    submitted, sign_in, london_coordinator, others
):
    sa.assign_moderator(user=london_coordinator, assessment=submitted, moderator=others["islington_member"])
    for name, signals in (("camden_analyst", True), ("camden_chief", True), ("islington_member", False)):
        client = sign_in(name)
        response = client.get(BASE + "data-pack/")
        assert response.status_code == 200
        assert b"alliances/datapack-print.css" in response.content and b'media="print"' in response.content
        assert b"data-print-page" in response.content and b"alliances/print.js" in response.content
        assert (b'id="signals"' in response.content) is signals, name
        assert b"<script>" not in response.content and b" style=" not in response.content
        client.logout()


# The API -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
def test_the_api_lists_and_shows_only_the_self_assessments_a_persona_may_see(submitted, sign_in, name):
    client = sign_in(name)
    listed = client.get("/api/v1/self-assessments")
    one = client.get(f"/api/v1/self-assessments/{submitted.pk}")
    if name == "anonymous":
        assert listed.status_code == 401 and one.status_code == 401
        return
    visible = name in READERS
    assert [item["id"] for item in listed.json()["items"]] == ([submitted.pk] if visible else [])
    assert one.status_code == (200 if visible else 404)
    if visible:
        body = one.json()
        assert body["status"] == "submitted" and body["authority"]["code"] == "202"
        assert len(body["ratings"]) == 5 and [e["to_status"] for e in body["history"]] == [
            "draft",
            "submitted",
        ]


def test_the_api_answers_404_alike_for_a_missing_one(submitted, sign_in):
    assert sign_in("national_admin").get("/api/v1/self-assessments/999999").status_code == 404


@pytest.fixture
def pack_world(places, people):
    """A headline indicator (children in need) over four years, Camden best and improving; Ofsted's last
    graded inspection of Camden and a focused visit since; an agreed loan from Camden to Leeds; a risk
    score."""
    from slihub.indicators.models import Value
    from slihub.indicators.services import compute_comparisons
    from slihub.warning.models import RiskScore
    from tests.integration import exchange_helpers
    from tests.integration.warning_fixtures import add_inspection, indicator, period

    cin = indicator("CIN")
    cin.polarity = "high"
    cin.save()
    rows = []
    for year, camden in ((2021, 70.0), (2022, 75.0), (2023, 80.0), (2024, 90.0)):
        p = period(year)
        for authority, value in (
            (places.camden, camden),
            (places.islington, 40.0),
            (places.leeds, 30.0),
            (places.bradford, 20.0),
            (places.north_yorkshire, 10.0),
        ):
            rows.append(Value(indicator=cin, period=p, area_type="la", authority=authority, value=value))
        rows.append(Value(indicator=cin, period=p, area_type="england", value=33.3))
        rows.append(Value(indicator=cin, period=p, area_type="region", region=places.london, value=44.4))
    Value.objects.bulk_create(rows)
    compute_comparisons()
    add_inspection(places.camden, date(2019, 3, 4), GOOD)
    add_inspection(places.camden, date(2023, 5, 8), Grade.OUTSTANDING)
    add_inspection(places.camden, date(2025, 6, 2), "", kind="focused visit")
    add_inspection(places.camden, date(2021, 6, 2), "", kind="focused visit")  # before the latest: not shown
    camden_admin = exchange_helpers.camden_admin(places)
    exchange_helpers.agreed_loan(places, people["leeds_admin"], camden_admin)
    RiskScore.objects.create(
        authority=places.camden,
        month=date(2026, 11, 1),
        target="inadequate",
        probability=0.123,
        rank=40,
        scored=150,
        signals=[
            {"feature": "x", "label": "Re-referrals", "contribution": 0.4, "text": "Re-referrals are high"}
        ],
    )
    return cin


def test_the_data_pack_is_made_from_the_councils_own_figures(pack_world, draft, sign_in):
    from slihub.alliances import datapack

    pack = datapack.data_pack(draft.created_by, draft.authority)
    [row] = pack.headline
    assert row.indicator["code"] == "CIN"
    assert row.figure.text == "90"
    assert row.england.text and row.region.text and row.neighbours.text
    assert [p.period for p in row.series] == ["2021", "2022", "2023", "2024"]
    assert [h.name for h in pack.strengths] == [pack_world.name]
    assert pack.latest.start_date == date(2023, 5, 8)
    assert [v.start_date for v in pack.visits] == [date(2025, 6, 2)]
    assert (pack.exchange.loans_given, pack.exchange.loans_received) == (1, 0)
    assert pack.signals.raising[0]["text"] == "Re-referrals are high"
    assert pack.indicator_choices == [(pack_world.slug, pack_world.name)]

    page = sign_in("camden_analyst").get(BASE + "data-pack/")
    html = page.content.decode()
    assert "Children in need" in html or pack_world.name in html
    assert "<svg" in html and "app-series__table" in html  # each chart has its table
    assert "Re-referrals are high" in html and 'id="loans-given">1<' in html
    # The indicator is offered as evidence on the rating pages, and linking it is kept.
    rating_page = sign_in("camden_analyst").get(BASE + "answer/care_leavers/")
    assert f'value="{pack_world.slug}"'.encode() in rating_page.content


def test_the_data_pack_keeps_its_queries_few(pack_world, draft, sign_in, django_assert_max_num_queries):
    client = sign_in("camden_analyst")
    with django_assert_max_num_queries(20):
        assert client.get(BASE + "data-pack/").status_code == 200


def test_opening_a_page_before_starting_goes_to_the_overview_and_makes_nothing(cycle, sign_in):
    client = sign_in("camden_analyst")
    assert client.get(BASE + "answer/quality/")["Location"] == BASE
    assert client.get(BASE + "check/")["Location"] == BASE
    assert not SelfAssessment.objects.exists()
    assert b"Start the self-assessment" in client.get(BASE).content
    # Typing before the start (a page kept open) starts it: nothing typed is lost.
    assert client.post(BASE + "save/", {"page": "plans", "answer": "Early"}).status_code == 204
    assert SelfAssessment.objects.get().plans == "Early"
