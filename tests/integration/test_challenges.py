"""Peer challenge pages: challenge groups proposed, saved and edited by hand, challenges recorded with
their agreed actions, and who sees what (every persona; a coordinator of another region sees nothing)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from slihub.accounts.models import Role
from slihub.alliances import challenges
from slihub.alliances.models import AgreedAction, Alliance, Challenge, ChallengeGroup, Cycle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def london(places):
    boroughs = [
        factories.authority(
            str(300 + k), f"E0900006{k}", name, "OLB", places.london, corner=(-0.4 + 0.05 * k, 51.4)
        )
        for k, name in enumerate(["Barnet", "Brent", "Ealing", "Enfield", "Harrow"])
    ]
    alliance = Alliance.objects.create(
        region=places.london, name="London Innovation and Improvement Alliance"
    )
    cycle = Cycle.objects.create(
        alliance=alliance,
        year=2026,
        self_assessment_opens=date(2026, 11, 1),
        self_assessment_due=date(2026, 12, 15),
        challenge_opens=date(2027, 1, 4),
        challenge_closes=date(2027, 2, 26),
        plan_due=date(2027, 3, 31),
        delivery_starts=date(2027, 4, 1),
    )
    return {"alliance": alliance, "cycle": cycle, "boroughs": boroughs}


@pytest.fixture
def challenge(london, places, london_coordinator):
    made = challenges.record_challenge(
        user=london_coordinator,
        cycle=london["cycle"],
        held_on=date(2027, 1, 20),
        host=places.camden,
        challengers=[places.islington, london["boroughs"][0]],
        focus_areas=["care_leavers"],
        focus_indicators=[],
        notes="Camden's care leavers in suitable accommodation",
    )
    challenges.add_action(
        user=london_coordinator,
        challenge=made,
        text="Audit pathway plans for 19 to 21 year olds",
        owner_authority=places.camden,
        owner_name="Ada Camden",
        due_on=timezone.localdate() - timedelta(days=10),
    )
    challenges.add_action(
        user=london_coordinator,
        challenge=made,
        text="Share the staying close offer",
        owner_authority=places.islington,
        owner_name="Iris Islington",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    return made


GROUPS_ACCESS = {
    "anonymous": 302,
    "camden_analyst": 403,
    "leeds_admin": 403,
    "london_coordinator": 200,
    "national_admin": 200,
    "evidence_editor": 403,
    "no_membership": 403,
}


@pytest.mark.parametrize(("persona", "expected"), GROUPS_ACCESS.items())
def test_only_the_regions_coordinators_and_national_admins_open_challenge_groups(
    as_persona, london, persona, expected
):
    response = as_persona(persona).get(reverse("challenge-groups", args=["london", 2026]))
    assert response.status_code == expected


DETAIL_ACCESS = {
    "anonymous": 302,
    "camden_analyst": 200,  # Camden hosted it
    "leeds_admin": 404,
    "london_coordinator": 200,
    "national_admin": 200,
    "evidence_editor": 404,
    "no_membership": 404,
}


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_a_challenge_is_private_to_its_councils_coordinators_and_national_admins(
    as_persona, challenge, persona, expected
):
    client = as_persona(persona)
    response = client.get(reverse("challenge-detail", args=[challenge.pk]))
    assert response.status_code == expected
    listing = client.get(reverse("challenge-list", args=["london", 2026]))
    assert listing.status_code == expected
    if expected == 200:
        assert "Audit pathway plans" in response.content.decode()
    else:
        assert "Audit pathway plans" not in response.content.decode()


def test_a_coordinator_of_another_region_sees_nothing(client, places, challenge):
    other = factories.user("yorkshire.coordinator", Role.ALLIANCE_COORDINATOR, region=places.yorkshire)
    client.force_login(other)
    assert client.get(reverse("challenge-detail", args=[challenge.pk])).status_code == 404
    assert client.get(reverse("challenge-list", args=["london", 2026])).status_code == 404
    assert client.get(reverse("challenge-groups", args=["london", 2026])).status_code == 403
    assert not Challenge.objects.visible_to(other).exists()
    assert not AgreedAction.objects.visible_to(other).exists()
    assert challenges.overdue_actions(user=other, today=timezone.localdate()) == []


def test_a_challengers_chief_executive_reads_it_but_a_missing_one_is_the_same_404(client, places, challenge):
    chief = factories.user("islington.chief", Role.CHIEF_EXECUTIVE, authority=places.islington)
    client.force_login(chief)
    assert client.get(reverse("challenge-detail", args=[challenge.pk])).status_code == 200
    assert client.get(reverse("challenge-detail", args=[challenge.pk + 1000])).status_code == 404


def test_the_coordinator_proposes_saves_and_moves_councils(as_persona, london, places):
    client = as_persona("london_coordinator")
    url = reverse("challenge-groups", args=["london", 2026])
    response = client.post(url, {"action": "propose"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Proposed groups" in page and "furthest apart" in page and "none of these were paired" in page
    groups = [v for k, v in _hidden_groups(page)]
    assert sorted(len(g.split(",")) for g in groups) == [3, 4]
    response = client.post(url, {"action": "save", "group": groups})
    assert response.status_code == 302
    saved = list(ChallengeGroup.objects.filter(cycle=london["cycle"]).order_by("number"))
    assert [g.authorities.count() for g in saved] == [len(g.split(",")) for g in groups]
    assert not any(g.edited_by_hand for g in saved)
    assert saved[0].reason and "score" in saved[0].score
    four = next(g for g in saved if g.authorities.count() == 4)
    three = next(g for g in saved if g.authorities.count() == 3)
    mover = four.authorities.first()
    response = client.post(url, {"action": "move", "council": mover.code, "to_group": three.number})
    assert response.status_code == 302
    assert all(g.edited_by_hand for g in ChallengeGroup.objects.filter(cycle=london["cycle"]))
    assert sorted(g.authorities.count() for g in ChallengeGroup.objects.filter(cycle=london["cycle"])) == [
        3,
        4,
    ]


def test_a_move_leaving_a_group_of_two_is_refused_with_an_error(
    as_persona, london, places, london_coordinator
):
    codes = sorted(a.code for a in london["alliance"].members())
    challenges.save_groups(user=london_coordinator, cycle=london["cycle"], groups=[codes[:3], codes[3:]])
    client = as_persona("london_coordinator")
    response = client.post(
        reverse("challenge-groups", args=["london", 2026]),
        {"action": "move", "council": codes[0], "to_group": "2"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "a group has 3 or 4" in page
    assert ChallengeGroup.objects.get(cycle=london["cycle"], number=1).authorities.count() == 3


def test_groups_of_the_wrong_size_cannot_be_saved(london, london_coordinator):
    codes = sorted(a.code for a in london["alliance"].members())
    with pytest.raises(challenges.ValidationError, match="3 or 4"):
        challenges.save_groups(user=london_coordinator, cycle=london["cycle"], groups=[codes[:2], codes[2:]])
    with pytest.raises(challenges.ValidationError, match="needs a group"):
        challenges.save_groups(user=london_coordinator, cycle=london["cycle"], groups=[codes[:3]])


def test_last_years_groups_are_avoided(london, london_coordinator, places):
    last = Cycle.objects.create(
        alliance=london["alliance"],
        year=2025,
        self_assessment_opens=date(2025, 11, 1),
        self_assessment_due=date(2025, 12, 1),
        challenge_opens=date(2026, 1, 1),
        challenge_closes=date(2026, 2, 1),
        plan_due=date(2026, 3, 1),
        delivery_starts=date(2026, 4, 1),
    )
    codes = sorted(a.code for a in london["alliance"].members())
    challenges.save_groups(user=london_coordinator, cycle=last, groups=[codes[:3], codes[3:]])
    instance = challenges.region_instance(london["alliance"], 2026)
    assert frozenset((codes[0], codes[1])) in instance.last_year
    result = challenges.propose(london["alliance"], 2026, time_limit_s=20)
    # Last year's 3 and 4 split 7 councils so that any new 3 and 4 repeat at least 3 pairs (one from
    # last year's triad in the new triad, the others spread): the proposal repeats no more than that.
    assert sum(g.repeats for g in result.groups) == 3


def test_recording_a_challenge_and_an_action(as_persona, london, places):
    client = as_persona("london_coordinator")
    response = client.post(
        reverse("challenge-new", args=["london", 2026]),
        {
            "held_on-day": "20",
            "held_on-month": "1",
            "held_on-year": "2027",
            "host": "202",
            "challengers": ["206", "300"],
            "focus_areas": ["care_leavers", "children_in_care"],
            "notes": "Stability of placements",
        },
    )
    assert response.status_code == 302
    made = Challenge.objects.get()
    assert made.host == places.camden and made.held_on == date(2027, 1, 20)
    assert sorted(a.code for a in made.challengers.all()) == ["206", "300"]
    response = client.post(
        reverse("challenge-detail", args=[made.pk]),
        {
            "text": "Review placement moves",
            "owner_authority": "202",
            "owner_name": "Ada Camden",
            "due_on-day": "31",
            "due_on-month": "3",
            "due_on-year": "2027",
        },
    )
    assert response.status_code == 302
    action = AgreedAction.objects.get()
    assert action.due_on == date(2027, 3, 31) and action.status == "open"
    page = client.get(reverse("challenge-detail", args=[made.pk])).content.decode()
    assert "Review placement moves" in page and "31 March 2027" in page and "20 January 2027" in page


def test_a_bad_challenge_is_refused_with_a_govuk_error_summary(as_persona, london):
    client = as_persona("london_coordinator")
    response = client.post(
        reverse("challenge-new", args=["london", 2026]),
        {
            "held_on-day": "31",
            "held_on-month": "2",
            "held_on-year": "2027",
            "host": "202",
            "challengers": ["202"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#held_on"' in page
    assert not Challenge.objects.exists()
    response = client.post(
        reverse("challenge-new", args=["london", 2026]),
        {
            "held_on-day": "1",
            "held_on-month": "2",
            "held_on-year": "2027",
            "host": "202",
            "challengers": ["202"],
        },
    )
    assert "The host cannot challenge itself" in response.content.decode()


def test_an_action_owned_outside_the_challenge_is_refused(as_persona, challenge, places):
    client = as_persona("london_coordinator")
    response = client.post(
        reverse("challenge-detail", args=[challenge.pk]),
        {
            "text": "X",
            "owner_authority": "383",
            "owner_name": "Lee",
            "due_on-day": "1",
            "due_on-month": "3",
            "due_on-year": "2027",
        },
    )
    assert response.status_code == 400
    assert "one of the councils in the challenge" in response.content.decode()


def test_a_council_member_cannot_add_actions_but_records_follow_up(as_persona, challenge):
    client = as_persona("camden_analyst")
    response = client.post(
        reverse("challenge-detail", args=[challenge.pk]),
        {
            "text": "X",
            "owner_authority": "202",
            "owner_name": "Me",
            "due_on-day": "1",
            "due_on-month": "3",
            "due_on-year": "2027",
        },
    )
    assert response.status_code == 404
    action = challenge.actions.get(text__startswith="Audit")
    response = client.post(
        reverse("challenge-follow-up", args=[action.pk]), {"status": "done", "follow_up": "Audited 40 plans"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.follow_up == "Audited 40 plans"


def test_leeds_cannot_follow_up_an_action_it_cannot_see(as_persona, challenge):
    action = challenge.actions.first()
    response = as_persona("leeds_admin").post(
        reverse("challenge-follow-up", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


def test_overdue_actions_are_listed_for_the_alliance_and_for_the_council(
    challenge, places, london, london_coordinator, camden_analyst
):
    today = timezone.localdate()
    alliance_list = challenges.overdue_actions(
        user=london_coordinator, alliance=london["alliance"], today=today
    )
    assert [o.action.text for o in alliance_list] == ["Audit pathway plans for 19 to 21 year olds"]
    assert alliance_list[0].days == 10
    camden_list = challenges.overdue_actions(user=camden_analyst, authority=places.camden, today=today)
    assert len(camden_list) == 1
    # Islington challenged Camden: Camden's overdue action shows on Islington's list too
    assert (
        len(challenges.overdue_actions(user=london_coordinator, authority=places.islington, today=today)) == 1
    )
    assert challenges.overdue_actions(user=london_coordinator, authority=places.leeds, today=today) == []
    # done actions are not overdue
    challenge.actions.update(status="done")
    assert challenges.overdue_actions(user=london_coordinator, alliance=london["alliance"], today=today) == []


def test_overdue_actions_show_on_the_challenge_list_and_the_alliance_page(as_persona, challenge, london):
    client = as_persona("london_coordinator")
    page = client.get(reverse("challenge-list", args=["london", 2026])).content.decode()
    assert "Overdue challenge actions" in page and "Audit pathway plans" in page
    by_authority = challenges.overdue_actions_by_authority(
        user=challenge.recorded_by,
        alliance=london["alliance"],
        cycle=london["cycle"],
        today=timezone.localdate(),
    )
    assert list(by_authority) == [challenge.host_id]
    alliance_page = client.get(reverse("alliance-detail", args=["london"])).content.decode()
    assert "1 challenge action overdue" in alliance_page


def _hidden_groups(page):
    import re

    return [("group", m) for m in re.findall(r'name="group" value="([^"]+)"', page)]


API_ACCESS = {
    "anonymous": (401, 401, None),
    "camden_analyst": (200, 200, 1),
    "leeds_admin": (200, 404, 0),
    "london_coordinator": (200, 200, 1),
    "national_admin": (200, 200, 1),
    "evidence_editor": (200, 404, 0),
    "no_membership": (200, 404, 0),
}


@pytest.mark.parametrize(("persona", "expected"), API_ACCESS.items())
def test_the_api_answers_challenges_only_to_those_who_may_see_them(as_persona, challenge, persona, expected):
    list_status, detail_status, count = expected
    client = as_persona(persona)
    listing = client.get("/api/v1/challenges")
    assert listing.status_code == list_status
    if count is not None:
        assert listing.json()["count"] == count
    detail = client.get(f"/api/v1/challenges/{challenge.pk}")
    assert detail.status_code == detail_status
    if detail_status == 200:
        body = detail.json()
        assert body["host"]["code"] == "202"
        assert body["focus_areas"] == [
            {"area": "care_leavers", "name": "The experiences and progress of care leavers"}
        ]
        assert [a["overdue"] for a in body["actions"]] == [True, False]
    missing = client.get(f"/api/v1/challenges/{challenge.pk + 1000}")
    assert missing.status_code == (401 if persona == "anonymous" else 404)


def test_the_challenge_routes_are_in_the_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/challenges" in paths and "/api/v1/challenges/{challenge_id}" in paths
    assert {"200", "401", "404"} <= set(paths["/api/v1/challenges/{challenge_id}"]["get"]["responses"])


def test_the_councils_page_lists_its_overdue_actions_to_those_who_may_see_them(as_persona, challenge):
    page = as_persona("camden_analyst").get(reverse("authority-detail", args=["202"])).content.decode()
    assert "Overdue challenge actions" in page and "Audit pathway plans" in page


@pytest.mark.parametrize("persona", ["anonymous", "leeds_admin", "no_membership"])
def test_the_councils_page_hides_its_actions_from_others(as_persona, challenge, persona):
    page = as_persona(persona).get(reverse("authority-detail", args=["202"])).content.decode()
    assert "Audit pathway plans" not in page
