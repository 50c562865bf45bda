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
SIGN_IN = "sign in"  # a page redirects to the sign-in page
STATES = ("open", "closed", "published", "summary")

# Per state and persona, spelt out (not computed from the rule), the outcome of:
# (the results page, its region filter and its CSV and Excel downloads; the council's own answers;
#  the publish page; the public summary; the API)
# Camden and Leeds both responded. Chief executives read the results, not their council's private answers.
EXPECTED = {
    "open": {  # no results yet
        "anonymous": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 404),
        "camden_analyst": (404, 404, 403, 404, 404),
        "leeds_admin": (404, 404, 403, 404, 404),
        "london_coordinator": (404, 404, 403, 404, 404),
        "national_admin": (404, 404, 200, 404, 404),
        "evidence_editor": (404, 404, 403, 404, 404),
        "no_membership": (404, 404, 403, 404, 404),
        "camden_chief_executive": (404, 404, 403, 404, 404),
        "camden_director": (404, 404, 403, 404, 404),
    },
    "closed": {  # national admins read the results before publishing them
        "anonymous": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 401),
        "camden_analyst": (403, 404, 403, 404, 403),
        "leeds_admin": (403, 404, 403, 404, 403),
        "london_coordinator": (403, 404, 403, 404, 403),
        "national_admin": (200, 404, 200, 404, 200),
        "evidence_editor": (403, 404, 403, 404, 403),
        "no_membership": (403, 404, 403, 404, 403),
        "camden_chief_executive": (403, 404, 403, 404, 403),
        "camden_director": (403, 404, 403, 404, 403),
    },
    "published": {  # signed-in council users read them; no public summary
        "anonymous": (SIGN_IN, SIGN_IN, SIGN_IN, 404, 401),
        "camden_analyst": (200, 200, 403, 404, 200),
        "leeds_admin": (200, 200, 403, 404, 200),
        "london_coordinator": (403, 403, 403, 404, 403),
        "national_admin": (200, 200, 200, 404, 200),
        "evidence_editor": (403, 403, 403, 404, 403),
        "no_membership": (403, 403, 403, 404, 403),
        "camden_chief_executive": (200, 403, 403, 404, 200),
        "camden_director": (200, 200, 403, 404, 200),
    },
    "summary": {  # published with a public summary: anyone reads the summary (page and API)
        "anonymous": (SIGN_IN, SIGN_IN, SIGN_IN, 200, 200),
        "camden_analyst": (200, 200, 403, 200, 200),
        "leeds_admin": (200, 200, 403, 200, 200),
        "london_coordinator": (403, 403, 403, 200, 200),
        "national_admin": (200, 200, 200, 200, 200),
        "evidence_editor": (403, 403, 403, 200, 200),
        "no_membership": (403, 403, 403, 200, 200),
        "camden_chief_executive": (200, 403, 403, 200, 200),
        "camden_director": (200, 200, 403, 200, 200),
    },
}
RESULTS_ROUTES = [
    "/survey/2026/results/",
    "/survey/2026/results/?region=E12000007",
    "/survey/2026/results.csv",
    "/survey/2026/results.xlsx",
]
OTHER_ROUTES = [
    "/survey/2026/results/our-answers/",
    "/survey/2026/publish/",
    "/survey/2026/summary/",
    "/api/v1/survey/2026/results",
]


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
        assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
        return SIGN_IN
    if response.status_code >= 400:
        if response["Content-Type"].startswith("application/json"):
            assert response.json()["detail"]
        else:
            assert b"govuk-template" in response.content  # the house error page
    return response.status_code


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", EVERYONE)
def test_each_persona_gets_what_the_table_says_on_every_route(survey, as_persona, client, state, persona):
    _set(survey, state)
    as_persona(persona)
    results, *others = EXPECTED[state][persona]
    expected = {url: results for url in RESULTS_ROUTES} | dict(zip(OTHER_ROUTES, others, strict=True))
    got = {url: _outcome(client.get(url)) for url in expected}
    assert got == expected


def test_the_summary_api_says_it_is_the_summary(survey, client, as_persona):
    _set(survey, "summary")
    assert client.get("/api/v1/survey/2026/results").json()["summary"] is True
    as_persona("camden_analyst")
    assert client.get("/api/v1/survey/2026/results").json()["summary"] is False


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
