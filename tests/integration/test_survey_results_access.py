"""Who reads the survey's results: every persona against every results page and API route, before
publication (closed), after (published), and with a public summary; an open survey has no results.

Closed: national admins only. Published: signed-in council users (members, admins, directors, chief
executives and lead members) too; alliance coordinators, evidence editors and people with no membership
do not. The public summary: anyone, signed in or not. Publishing: national admins only."""

import pytest

from slihub.survey.models import SurveyVersion
from tests.integration import survey_results_data as data

pytestmark = pytest.mark.django_db

EVERYONE = (
    "anonymous",
    "camden_analyst",
    "leeds_admin",
    "london_coordinator",
    "national_admin",
    "evidence_editor",
    "no_membership",
    "camden_chief_executive",
    "camden_director",
)
COUNCIL_USERS = {"camden_analyst", "leeds_admin", "camden_chief_executive", "camden_director"}
OTHERS = {"london_coordinator", "evidence_editor", "no_membership"}
SIGN_IN = "sign in"  # a page redirects to the sign-in page

STATES = ("open", "closed", "published", "summary")


def _full_results(state, persona):
    """The results page and its downloads."""
    if state == "open":
        return SIGN_IN if persona == "anonymous" else 404
    if persona == "anonymous":
        return SIGN_IN
    if persona == "national_admin":
        return 200
    if state == "closed":
        return 403
    return 200 if persona in COUNCIL_USERS else 403


def _own(state, persona):
    """A council's own answers beside its region and England: its members (and national admins), once
    published. Camden and Leeds both responded."""
    if persona == "anonymous":
        return SIGN_IN
    if state in ("open", "closed"):
        return 404
    if persona in ("camden_analyst", "leeds_admin", "camden_director", "national_admin"):
        return 200
    return 403  # chief executives read results, not their council's private answers


def _publish(state, persona):
    if persona == "anonymous":
        return SIGN_IN
    return 200 if persona == "national_admin" else 403


def _summary(state, persona):
    return 200 if state == "summary" else 404


def _api(state, persona):
    if state == "open":
        return 404
    if persona == "national_admin":
        return 200
    if state == "summary":
        return 200
    if persona == "anonymous":
        return 401
    if state == "published" and persona in COUNCIL_USERS:
        return 200
    return 403


ROUTES = {
    "/survey/2026/results/": _full_results,
    "/survey/2026/results/?region=E12000007": _full_results,
    "/survey/2026/results.csv": _full_results,
    "/survey/2026/results.xlsx": _full_results,
    "/survey/2026/results/our-answers/": _own,
    "/survey/2026/publish/": _publish,
    "/survey/2026/summary/": _summary,
    "/api/v1/survey/2026/results": _api,
}


@pytest.fixture
def survey(places, people, camden_director):
    authorities = data.councils(places)
    made = data.version(2026)
    data.answer_all(made, authorities)
    return made


def _set(survey, state):
    survey.status = {
        "open": SurveyVersion.Status.OPEN,
        "closed": SurveyVersion.Status.CLOSED,
        "published": SurveyVersion.Status.PUBLISHED,
        "summary": SurveyVersion.Status.PUBLISHED,
    }[state]
    survey.public_summary = state == "summary"
    survey.save()


def _outcome(response):
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"], response["Location"]
        return SIGN_IN
    return response.status_code


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", EVERYONE)
def test_each_persona_gets_what_the_rules_say_on_every_route(survey, as_persona, client, state, persona):
    _set(survey, state)
    as_persona(persona)
    got = {url: _outcome(client.get(url)) for url in ROUTES}
    expected = {url: rule(state, persona) for url, rule in ROUTES.items()}
    assert got == expected


@pytest.mark.parametrize("persona", sorted(set(EVERYONE) - {"national_admin"}))
def test_only_national_admins_can_publish(survey, as_persona, client, persona):
    as_persona(persona)
    response = client.post("/survey/2026/publish/", {"action": "publish"})
    assert _outcome(response) == (SIGN_IN if persona == "anonymous" else 403)
    survey.refresh_from_db()
    assert survey.status == SurveyVersion.Status.CLOSED


@pytest.mark.parametrize("persona", sorted(set(EVERYONE) - {"national_admin"}))
def test_only_national_admins_can_publish_a_summary(survey, as_persona, client, persona):
    _set(survey, "published")
    as_persona(persona)
    response = client.post("/survey/2026/publish/", {"action": "summary-on"})
    assert _outcome(response) == (SIGN_IN if persona == "anonymous" else 403)
    survey.refresh_from_db()
    assert not survey.public_summary


def test_api_errors_are_json_with_a_detail(survey, client, as_persona):
    response = client.get("/api/v1/survey/2026/results")
    assert response.status_code == 401 and "detail" in response.json()
    as_persona("london_coordinator")
    response = client.get("/api/v1/survey/2026/results")
    assert response.status_code == 403 and "detail" in response.json()
    for url in ("/api/v1/survey/2031/results", "/api/v1/survey/99999999999999/results"):
        response = client.get(url)
        assert response.status_code in (404, 422) and "detail" in response.json(), url


def test_a_survey_that_does_not_exist_is_404(survey, as_persona, client):
    as_persona("national_admin")
    for url in ("/survey/2031/results/", "/survey/2031/publish/", "/survey/2031/summary/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("persona", "texts"),
    [
        ("national_admin", True),
        ("camden_analyst", False),
        ("camden_chief_executive", False),
        ("anonymous", False),
    ],
)
def test_free_text_reaches_national_admins_only(survey, as_persona, client, persona, texts):
    _set(survey, "summary")
    as_persona(persona)
    page = (
        client.get("/survey/2026/results/") if persona != "anonymous" else client.get("/survey/2026/summary/")
    )
    assert (b"Words from Camden" in page.content) is texts
    api = client.get("/api/v1/survey/2026/results").json()
    comments = next(q for q in api["questions"] if q["code"] == "comments")
    assert (comments["texts"] is not None) is texts
    assert "Words from" not in client.get("/survey/2026/summary/").content.decode()
    if persona != "anonymous":
        assert b"Words from" not in client.get("/survey/2026/results.csv").content
