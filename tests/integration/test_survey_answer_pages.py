"""The survey's answering pages and API: who sees what (every persona against every route), and what a
director meets answering (task list, a page per section, check your answers, confirmation, delegate)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from slihub.survey import answering
from slihub.survey.models import Delegate, Response, SurveyVersion
from tests.integration.conftest import EXTRA_PERSONAS, PERSONAS
from tests.integration.html import page
from tests.integration.survey_answer_support import build_survey, complete_answers

ALL = PERSONAS + EXTRA_PERSONAS
BASE = "/survey/2026/202/"
API = "/api/v1/survey/2026/responses/202"


@pytest.fixture
def survey(places):
    """Open, its deadline a week away and closing in a month (the pages read today's date)."""
    version = build_survey()
    today = timezone.localdate()
    version.deadline = today + timedelta(days=7)
    version.closes_on = today + timedelta(days=30)
    version.save()
    return version


def answer_everything(version, user, authority):
    for position, data in complete_answers().items():
        answering.save_section(
            user=user, section=version.sections.get(position=position), data=data, authority=authority
        )
    return Response.objects.get(version=version, authority=authority)


@pytest.fixture
def submitted(survey, camden_director, places):
    response = answer_everything(survey, camden_director, places.camden)
    return answering.submit(user=camden_director, response=response)


# --- who sees what -------------------------------------------------------------------------------------

SIGN_IN = "sign in"
# (method, path, data) of each route; the POSTs send what a director's browser would
ROUTES = {
    "home": ("get", "/survey/", None),
    "overview": ("get", BASE, None),
    "section": ("get", BASE + "sections/1/", None),
    "section-post": (
        "post",
        BASE + "sections/1/",
        {
            "shown": ["social-workers", "uses-agency", "agency-why"],
            "social-workers": "99",
            "uses-agency": "Yes",
            "agency-why": "Hard to recruit.",
            "action": "continue",
        },
    ),
    "autosave": ("post", BASE + "sections/1/save/", {"shown": ["social-workers"], "social-workers": "98"}),
    "check": ("get", BASE + "check/", None),
    "check-post": ("post", BASE + "check/", {}),
    "submitted": ("get", BASE + "submitted/", None),
    "delegate": ("get", BASE + "delegate/", None),
    "delegate-post": ("post", BASE + "delegate/", {"delegate": "none"}),
    "preview": ("get", "/survey/manage/2026/preview/", None),
    "api-get": ("get", API, None),
    "api-put": ("put", API, {"answers": {"social-workers": "97"}}),
}
# What each persona gets: a status code, or SIGN_IN (a redirect to the sign-in page).
READER = {
    "home": 200,
    "overview": 200,
    "section": 403,
    "section-post": 403,
    "autosave": 403,
    "check": 200,  # read-only: no Change links, no Submit button
    "check-post": 403,
    "submitted": 200,
    "delegate": 403,
    "delegate-post": 403,
    "preview": 403,
    "api-get": 200,
    "api-put": 403,
}
OUTSIDER = {name: 403 for name in ROUTES} | {"home": 200}
EXPECTED = {
    "anonymous": {name: SIGN_IN for name in ROUTES} | {"autosave": 401, "api-get": 401, "api-put": 401},
    "camden_analyst": READER,  # a member of Camden: reads its answers, cannot answer
    "national_admin": READER | {"preview": 200},  # reads every council's answers, never answers for one
    "leeds_admin": OUTSIDER,
    "london_coordinator": OUTSIDER,  # coordinators do not see councils' answers
    "evidence_editor": OUTSIDER,
    "no_membership": OUTSIDER,
    "camden_chief_executive": OUTSIDER,  # nor do chief executives and lead members
    "camden_director": {name: 200 for name in ROUTES}
    | {"section-post": 302, "autosave": 200, "check-post": 302, "delegate-post": 302, "preview": 403},
}


def request(client, method, path, data):
    if method == "put":
        return client.put(path, json.dumps(data), content_type="application/json")
    return getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("persona", ALL)
def test_who_may_see_and_answer_each_route(as_persona, people, submitted, places, persona, route):
    client = as_persona(persona)
    method, path, data = ROUTES[route]
    before = dict(submitted.answers.values_list("question__code", "value"))
    answer = request(client, method, path, data)
    expected = EXPECTED[persona][route]
    if expected == SIGN_IN:
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/"), answer
    else:
        assert answer.status_code == expected, (persona, route, answer.status_code)
    if route.startswith("api") and answer.status_code >= 400:
        assert set(answer.json()) >= {"detail"}
    after = dict(submitted.answers.values_list("question__code", "value"))
    if persona != "camden_director":
        assert after == before  # nothing written by anyone else
    elif route in ("section-post", "autosave", "api-put"):
        assert after["social-workers"] in ("99", "98", "97")


def test_the_check_page_is_read_only_for_the_councils_other_members(as_persona, submitted):
    html = page(as_persona("camden_analyst").get(BASE + "check/"))
    assert [b for b in html.find_all("button") if "Submit" in b.text] == []
    assert not [a for a in html.find_all("a") if a.text.startswith("Change")]
    assert "120 social workers" in html.text


# --- a director answering ------------------------------------------------------------------------------


@pytest.fixture
def director(as_persona, survey, camden_director):
    return as_persona("camden_director")


def test_the_home_page_shows_the_survey_its_deadline_and_a_start_button(director, survey):
    html = page(director.get("/survey/"))
    assert survey.deadline.strftime("%B") in html.text
    start = html.one("a", class_="govuk-button--start")
    assert start.attrs["href"] == BASE
    assert "Start now" in start.text
    assert "Not started" in html.text


def test_the_task_list_shows_each_section_and_its_status(director, survey, camden_director, places):
    answering.save_section(
        user=camden_director,
        section=survey.sections.get(position=1),
        data={"social-workers": "12"},
        authority=places.camden,
    )
    html = page(director.get(BASE))
    items = html.find_all("li", class_="govuk-task-list__item")
    assert [i.text for i in items][:3] == [
        "1. Your workforce 1 of 2 questions answered In progress",
        "2. Your practice 0 of 3 questions answered Not yet started",
        "3. Anything else 0 of 1 question answered Optional",
    ]
    assert "Check your answers and submit" in items[3].text
    start = html.one("a", class_="govuk-button--start")
    assert start.text.startswith("Continue") and start.attrs["href"] == BASE + "sections/1/"


def test_continue_leads_to_the_first_section_left_to_answer(director, survey, camden_director, places):
    answering.save_section(
        user=camden_director,
        section=survey.sections.get(position=1),
        data={"social-workers": "12", "uses-agency": "No"},
        authority=places.camden,
    )
    assert (
        page(director.get(BASE)).one("a", class_="govuk-button--start").attrs["href"] == BASE + "sections/2/"
    )
    answer_everything(survey, camden_director, places.camden)
    assert page(director.get(BASE)).one("a", class_="govuk-button--start").attrs["href"] == BASE + "check/"


def test_a_section_page_shows_its_place_and_saves_with_save_and_continue(director, survey, places):
    html = page(director.get(BASE + "sections/1/"))
    assert "Section 1 of 3, Camden" in html.text
    assert html.find("input", id="id_social-workers") is not None
    assert "agency-why" not in str(html.find_all("textarea"))  # routed: not shown yet
    answer = director.post(
        BASE + "sections/1/",
        {"shown": ["social-workers", "uses-agency"], "social-workers": "40", "uses-agency": "No"},
    )
    assert answer.status_code == 302 and answer["Location"] == BASE + "sections/2/"
    response = Response.objects.get(version=survey, authority=places.camden)
    assert dict(response.answers.values_list("question__code", "value")) == {
        "social-workers": "40",
        "uses-agency": "No",
    }


def test_an_answer_that_reveals_a_question_keeps_the_director_on_the_page(director, survey):
    answer = director.post(
        BASE + "sections/1/",
        {"shown": ["social-workers", "uses-agency"], "social-workers": "40", "uses-agency": "Yes"},
    )
    assert answer.status_code == 200
    html = page(answer)
    assert "more questions in this section" in html.text
    assert html.find("textarea", id="id_agency-why") is not None


def test_a_question_brought_in_is_shown_even_when_autosave_saved_the_answer_first(director, survey):
    page_one = {"shown": ["social-workers", "uses-agency"], "social-workers": "40", "uses-agency": "Yes"}
    assert director.post(BASE + "sections/1/save/", page_one).status_code == 200
    answer = director.post(BASE + "sections/1/", page_one)
    assert answer.status_code == 200
    assert page(answer).find("textarea", id="id_agency-why") is not None


def test_save_and_come_back_later_returns_to_the_task_list(director, survey):
    answer = director.post(
        BASE + "sections/2/", {"shown": ["confidence"], "confidence": "3", "action": "later"}, follow=True
    )
    assert answer.redirect_chain[-1][0] == BASE
    assert "Your answers are saved" in page(answer).text


def test_the_last_section_leads_to_check_your_answers(director, survey):
    answer = director.post(BASE + "sections/3/", {"shown": ["anything-else"], "anything-else": "No."})
    assert answer["Location"] == BASE + "check/"


def test_a_bad_answer_is_shown_with_an_error_summary_and_the_good_ones_kept(director, survey, places):
    answer = director.post(
        BASE + "sections/2/",
        {"shown": ["confidence", "agency-share"], "confidence": "4", "agency-share": "12.345"},
    )
    assert answer.status_code == 400
    html = page(answer)
    summary = html.one("div", class_="govuk-error-summary")
    assert summary.one("a").attrs["href"] == "#id_agency-share"
    assert "no more than 2 decimal places" in summary.text
    response = Response.objects.get(version=survey, authority=places.camden)
    assert dict(response.answers.values_list("question__code", "value")) == {"confidence": 4}


def test_autosave_says_when_it_saved_and_what_is_wrong(director, survey):
    saved = director.post(BASE + "sections/1/save/", {"shown": ["social-workers"], "social-workers": "5"})
    assert saved.status_code == 200 and saved.content.decode().startswith("Your answers were saved at ")
    bad = director.post(BASE + "sections/1/save/", {"shown": ["social-workers"], "social-workers": "lots"})
    assert bad.status_code == 400
    assert "Enter a number" in bad.content.decode()


def test_submitting_with_questions_unanswered_lists_each_with_a_link_to_it(director, survey):
    director.post(BASE + "sections/1/", {"shown": ["uses-agency"], "uses-agency": "No"})
    answer = director.post(BASE + "check/")
    assert answer.status_code == 400
    links = {
        a.attrs["href"]: a.text for a in page(answer).one("div", class_="govuk-error-summary").find_all("a")
    }
    asked = {
        "social-workers": "How many children's social workers do you employ?",
        "approaches": "Which practice approaches do you use?",
        "confidence": "How confident are you in your workforce plan?",
    }
    assert links == {
        f"{BASE}sections/{1 if code == 'social-workers' else 2}/#id_{code}": f"Answer the question: {text}"
        for code, text in asked.items()
    }


def test_check_your_answers_then_submit_shows_a_confirmation(director, survey, camden_director, places):
    answer_everything(survey, camden_director, places.camden)
    html = page(director.get(BASE + "check/"))
    assert "Check your answers before submitting" in html.text
    change = [a.attrs["href"] for a in html.find_all("a") if a.text.startswith("Change")]
    assert BASE + "sections/2/#id_confidence" in change
    assert "12.5%" in html.text and "120 social workers" in html.text
    answer = director.post(BASE + "check/", follow=True)
    assert answer.redirect_chain[-1][0] == BASE + "submitted/"
    panel = page(answer).one("div", class_="govuk-panel--confirmation")
    assert "Answers submitted" in panel.text
    assert Response.objects.get(version=survey, authority=places.camden).status == Response.Status.SUBMITTED


def test_after_the_deadline_the_pages_say_answers_are_still_taken(director, survey):
    survey.deadline = timezone.localdate() - timedelta(days=1)
    survey.save()
    text = page(director.get(BASE)).text
    assert f"The deadline was {answering.long_date(survey.deadline)}; answers are still taken until" in text
    assert page(director.get(BASE + "sections/1/")).text.count("The deadline was") == 1


def test_after_the_survey_closes_nothing_more_is_taken(director, survey, places):
    survey.closes_on = timezone.localdate() - timedelta(days=1)
    survey.save()
    assert "The survey closed on" in page(director.get(BASE)).text
    answer = director.post(BASE + "sections/1/", {"shown": ["social-workers"], "social-workers": "5"})
    assert answer.status_code == 302 and answer["Location"] == BASE
    assert (
        director.post(
            BASE + "sections/1/save/", {"shown": ["social-workers"], "social-workers": "5"}
        ).status_code
        == 400
    )
    assert not Response.objects.filter(version=survey).exists()
    assert page(director.get(BASE)).find("a", class_="govuk-button--start") is None


def test_a_draft_version_is_not_answered_but_national_admins_preview_it(as_persona, survey, camden_director):
    survey.status = SurveyVersion.Status.DRAFT
    survey.save()
    assert as_persona("camden_director").get(BASE).status_code == 404
    html = page(as_persona("national_admin").get("/survey/manage/2026/preview/"))
    assert "Shown only when the answer to “Do you use agency social workers?” is “Yes”." in html.text
    assert html.find("textarea", id="id_s1-agency-why") is not None
    assert not Response.objects.exists()


def test_a_year_or_council_that_does_not_exist_is_404(director, survey):
    assert director.get("/survey/2031/202/").status_code == 404
    assert director.get("/survey/2026/999/").status_code == 404
    assert director.get(BASE + "sections/9/").status_code == 404


def test_the_director_names_a_delegate_who_can_then_answer(director, survey, as_persona, people, places):
    html = page(director.get(BASE + "delegate/"))
    labels = [label.text for label in html.find_all("label")]
    assert any("Camden Analyst" in label for label in labels)
    analyst = people["camden_analyst"]
    answer = director.post(BASE + "delegate/", {"delegate": str(analyst.pk)})
    assert answer.status_code == 302
    assert Delegate.objects.get(version=survey, authority=places.camden).user == analyst
    client = as_persona("camden_analyst")
    page_one = {"shown": ["social-workers", "uses-agency"], "social-workers": "7", "uses-agency": "No"}
    assert client.post(BASE + "sections/1/", page_one).status_code == 302


def test_a_director_cannot_name_someone_from_another_council(director, survey, people):
    answer = director.post(BASE + "delegate/", {"delegate": str(people["leeds_admin"].pk)})
    assert answer.status_code == 400
    assert "Choose someone who works for Camden" in page(answer).text
    assert not Delegate.objects.exists()


# --- the API -------------------------------------------------------------------------------------------


def test_the_api_gives_the_councils_answers_by_question_code(as_persona, submitted):
    body = as_persona("camden_analyst").get(API).json()
    assert body["status"] == "submitted"
    assert body["answers"]["social-workers"] == "120"
    assert body["answers"]["approaches"] == ["Signs of Safety"]
    assert body["answers"]["confidence"] == 4
    assert body["missing"] == []
    assert body["can_change"] is False


def test_the_api_says_not_started_for_a_council_without_answers(as_persona, survey):
    body = as_persona("national_admin").get(API).json()
    assert body["status"] == "not_started" and body["answers"] == {}


def test_the_api_refuses_bad_answers_by_code_and_keeps_the_good_ones(as_persona, survey, camden_director):
    client = as_persona("camden_director")
    answer = client.put(
        API, json.dumps({"answers": {"social-workers": "12", "confidence": 9, "nope": 1}}), "application/json"
    )
    assert answer.status_code == 400 and answer.json()["errors"] == {
        "nope": ["There is no question with this code in this survey"]
    }
    answer = client.put(
        API, json.dumps({"answers": {"social-workers": "12", "confidence": 9}}), "application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"confidence": ["Select a number from 1 to 5"]}
    assert client.get(API).json()["answers"] == {"social-workers": "12"}


def test_the_api_answers_404_for_a_year_without_a_survey(as_persona, survey):
    answer = as_persona("camden_analyst").get("/api/v1/survey/2030/responses/202")
    assert answer.status_code == 404 and answer.json()["detail"]
    assert as_persona("camden_analyst").get("/api/v1/survey/99999999999/responses/202").status_code == 422


def test_the_api_takes_no_answers_after_the_survey_closes(as_persona, survey, camden_director):
    survey.closes_on = timezone.localdate() - timedelta(days=1)
    survey.save()
    answer = as_persona("camden_director").put(
        API, json.dumps({"answers": {"social-workers": "12"}}), "application/json"
    )
    assert answer.status_code == 400 and answer.json()["detail"] == "The survey is not taking answers."
    assert not Response.objects.exists()


def test_the_api_refuses_a_control_character_in_an_answer(as_persona, survey, camden_director):
    answer = as_persona("camden_director").put(
        API, json.dumps({"answers": {"anything-else": "bad\u0000"}}), "application/json"
    )
    assert answer.status_code == 422 and answer.json()["detail"]
    assert not Response.objects.exists()


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", [BASE, BASE + "check/", BASE + "sections/2/", "/survey/"])
def test_a_page_asks_the_database_as_often_however_many_questions(director, submitted, path):
    from slihub.survey.models import Question, Section

    before = _queries(director, path)
    for position in range(4, 9):
        extra = Section.objects.create(
            version=submitted.version, position=position, title=f"Extra {position}"
        )
        for n in range(1, 4):
            Question.objects.create(
                version=submitted.version,
                section=extra,
                position=n,
                code=f"extra-{position}-{n}",
                kind=Question.Kind.SINGLE,
                text=f"Extra {position}.{n}?",
                options=["Yes", "No"],
                required=False,
            )
    assert _queries(director, path) == before


def test_national_admins_see_which_councils_have_answered_and_read_them(as_persona, submitted):
    html = page(as_persona("national_admin").get("/survey/"))
    rows = html.find_all("tr", class_="govuk-table__row")
    assert [r.text for r in rows[1:]][0].startswith("Camden Submitted")
    assert html.find("a", href=BASE) is not None
    assert html.find("a", class_="govuk-button--start") is None  # they read, never answer


def test_the_councils_other_staff_are_told_who_answers(as_persona, survey):
    html = page(as_persona("camden_analyst").get("/survey/"))
    assert "Your director of children's services, or the person they name, answers it." in html.text
    assert html.find("a", class_="govuk-button--start") is None


def test_the_survey_page_lists_every_published_years_results_for_those_who_may_read_them(
    as_persona, people, places
):
    SurveyVersion.objects.create(year=2025, title="Survey 2025", status=SurveyVersion.Status.PUBLISHED)
    SurveyVersion.objects.create(year=2024, title="Survey 2024", status=SurveyVersion.Status.CLOSED)

    readers = (("camden_chief_executive", True), ("camden_analyst", True), ("no_membership", False))
    for persona, listed in readers:
        response = as_persona(persona).get("/survey/")
        links = page(response).find_all("a", href="/survey/2025/results/")
        assert bool(links) is listed, persona
        assert not page(response).find_all("a", href="/survey/2024/results/")
