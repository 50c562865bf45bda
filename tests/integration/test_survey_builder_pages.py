"""The questionnaire builder's pages and the questionnaire API: every persona against every route, with
the expected outcome spelt out; then the pages at work (forms, errors, carrying forward, opening)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from slihub.survey import builder
from slihub.survey.builder import QuestionFields
from slihub.survey.models import Invitation, Question, SurveyVersion
from tests import factories
from tests.integration.html import heading, page, table_rows

OK, FORBIDDEN, SIGN_IN = "ok", "forbidden", "sign in"

# The builder is for national admins only: every other signed-in persona gets the house 403 page.
PAGE_ACCESS = [
    ("anonymous", SIGN_IN),
    ("camden_analyst", FORBIDDEN),
    ("leeds_admin", FORBIDDEN),
    ("london_coordinator", FORBIDDEN),
    ("national_admin", OK),
    ("evidence_editor", FORBIDDEN),
    ("no_membership", FORBIDDEN),
    ("camden_chief_executive", FORBIDDEN),
    ("camden_director", FORBIDDEN),  # answers the survey, does not build it
]

# The questionnaire API: signed out 401; national admins see drafts; everyone else signed in sees the
# versions that have opened (the questions are not private; councils' answers are, elsewhere).
API_ACCESS = [
    ("anonymous", 401, None),
    ("camden_analyst", 200, [2026]),
    ("leeds_admin", 200, [2026]),
    ("london_coordinator", 200, [2026]),
    ("national_admin", 200, [2027, 2026]),
    ("evidence_editor", 200, [2026]),
    ("no_membership", 200, [2026]),
    ("camden_chief_executive", 200, [2026]),
    ("camden_director", 200, [2026]),
]
# GET /api/v1/survey/versions/2027 (a draft)
DRAFT_DETAIL = {
    "anonymous": 401,
    "camden_analyst": 404,
    "leeds_admin": 404,
    "london_coordinator": 404,
    "national_admin": 200,
    "evidence_editor": 404,
    "no_membership": 404,
    "camden_chief_executive": 404,
    "camden_director": 404,
}


@pytest.fixture
def surveys(people, camden_director):
    """Last year's survey, open, with a routed question; this year's draft with one question."""
    today = timezone.localdate()
    last = builder.create_version(
        year=2026,
        title="Survey of directors 2026",
        deadline=today + timedelta(days=30),
        closes_on=today + timedelta(days=40),
    )
    workforce = builder.add_section(version=last, title="Workforce")
    uses = builder.add_question(
        section=workforce,
        fields=QuestionFields(
            text="Do you use agency social workers?",
            code="agency-use",
            kind="single",
            options=["Yes", "No"],
            themes=["vulnerable_children"],
        ),
    )
    builder.add_question(
        section=workforce,
        fields=QuestionFields(
            text="How many?",
            code="agency-count",
            kind="number",
            unit="social workers",
            number_min="0",
            number_max="500",
            show_if=uses,
            show_if_answers=["Yes"],
        ),
    )
    builder.open_version(version=last)
    draft = builder.create_version(year=2027, title="Survey of directors 2027")
    builder.add_question(
        section=builder.add_section(version=draft, title="Money"),
        fields=QuestionFields(text="How confident are you?", kind="scale", scale_min=1, scale_max=5),
    )
    mail.outbox.clear()
    return {"last": last, "draft": draft, "uses": uses}


def builder_routes(surveys) -> list[tuple[str, str]]:
    """(method, path) of every builder route, with real ids."""
    draft = surveys["draft"]
    section = draft.sections.get()
    question = draft.questions.get()
    y = draft.year
    return [
        ("get", "/survey/manage/"),
        ("get", "/survey/manage/new/"),
        ("post", "/survey/manage/new/"),
        ("get", f"/survey/manage/{y}/"),
        ("get", f"/survey/manage/{y}/edit/"),
        ("post", f"/survey/manage/{y}/edit/"),
        ("get", f"/survey/manage/{y}/sections/new/"),
        ("post", f"/survey/manage/{y}/sections/new/"),
        ("get", f"/survey/manage/{y}/sections/{section.pk}/edit/"),
        ("get", f"/survey/manage/{y}/sections/{section.pk}/delete/"),
        ("post", f"/survey/manage/{y}/sections/{section.pk}/delete/"),
        ("post", f"/survey/manage/{y}/sections/{section.pk}/move/"),
        ("get", f"/survey/manage/{y}/questions/new/?section={section.pk}"),
        ("post", f"/survey/manage/{y}/questions/new/?section={section.pk}"),
        ("get", f"/survey/manage/{y}/questions/{question.pk}/edit/"),
        ("get", f"/survey/manage/{y}/questions/{question.pk}/delete/"),
        ("post", f"/survey/manage/{y}/questions/{question.pk}/delete/"),
        ("post", f"/survey/manage/{y}/questions/{question.pk}/move/"),
        ("get", f"/survey/manage/{y}/carry/"),
        ("post", f"/survey/manage/{y}/carry/"),
        ("get", f"/survey/manage/{y}/open/"),
        ("post", f"/survey/manage/{y}/open/"),
        ("get", f"/survey/manage/{y}/close/"),
        ("post", f"/survey/manage/{y}/close/"),
    ]


@pytest.mark.parametrize(("persona", "expected"), [a for a in PAGE_ACCESS if a[1] != OK])
def test_only_national_admins_reach_any_builder_route(as_persona, surveys, persona, expected):
    client = as_persona(persona)
    for method, path in builder_routes(surveys):
        response = getattr(client, method)(path)
        if expected == SIGN_IN:
            assert response.status_code == 302, (method, path)
            assert response["Location"].startswith("/accounts/login/?next="), (method, path)
        else:
            assert response.status_code == 403, (method, path)
            assert heading(page(response)) == "You do not have access to this page"
    # nothing changed
    assert Question.objects.filter(version=surveys["draft"]).count() == 1
    assert SurveyVersion.objects.get(year=2027).status == SurveyVersion.Status.DRAFT


def test_a_national_admin_reaches_every_builder_page(as_persona, surveys):
    client = as_persona("national_admin")
    for method, path in builder_routes(surveys):
        if method == "get":
            response = client.get(path)
            assert response.status_code == 200, path


@pytest.mark.parametrize(("persona", "status", "years"), API_ACCESS)
def test_the_questionnaire_api_shows_drafts_only_to_national_admins(
    as_persona, surveys, persona, status, years
):
    client = as_persona(persona)
    response = client.get("/api/v1/survey/versions")
    assert response.status_code == status
    if status == 401:
        assert response.json() == {"detail": "Sign in to use this route."}
    else:
        assert [v["year"] for v in response.json()] == years
    detail = client.get("/api/v1/survey/versions/2027")
    assert detail.status_code == DRAFT_DETAIL[persona]
    assert "detail" in detail.json() or detail.status_code == 200
    last = client.get("/api/v1/survey/versions/2026")
    assert last.status_code == (401 if persona == "anonymous" else 200)


def test_the_questionnaire_api_gives_questions_with_routing_by_code(as_persona, surveys):
    body = as_persona("camden_analyst").get("/api/v1/survey/versions/2026").json()
    assert (body["status"], body["section_count"], body["question_count"]) == ("open", 1, 2)
    [section] = body["sections"]
    uses, count = section["questions"]
    assert (uses["code"], uses["kind"], uses["options"], uses["themes"]) == (
        "agency-use",
        "single",
        ["Yes", "No"],
        ["vulnerable_children"],
    )
    assert uses["show_if"] is None and uses["number"] is None
    assert count["show_if"] == {"question": "agency-use", "answers": ["Yes"]}
    assert count["number"] == {"unit": "social workers", "min": 0.0, "max": 500.0}


@pytest.mark.parametrize("bad", ["0", "99999999999", "abc", "-1"])
def test_the_questionnaire_api_answers_bad_years_in_words(as_persona, surveys, bad):
    response = as_persona("national_admin").get(f"/api/v1/survey/versions/{bad}")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()


def test_the_list_shows_each_year_with_status_and_counts(as_persona, surveys):
    document = page(as_persona("national_admin").get("/survey/manage/"))
    assert heading(document) == "Build the survey of directors"
    rows = table_rows(document.one("table"))
    assert [row[:3] for row in rows] == [
        ["Survey of directors 2027", "Draft", "Not set"],
        ["Survey of directors 2026", "Open", f"{surveys['last'].deadline:%-d %B %Y}"],
    ]
    assert rows[1][3:] == ["2", "1", "0", "0"]  # 2 questions, 1 council invited (Camden's director)
    assert [a.text for a in document.one("table").find_all("a")] == ["2027 survey", "2026 survey"]


def test_creating_a_survey_with_dates(as_persona, people):
    client = as_persona("national_admin")
    response = client.post(
        "/survey/manage/new/",
        {
            "year": "2030",
            "title": "Survey 2030",
            "introduction": "Ten minutes.",
            "deadline-day": "28",
            "deadline-month": "2",
            "deadline-year": "2030",
            "closes_on-day": "14",
            "closes_on-month": "3",
            "closes_on-year": "2030",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/survey/manage/2030/"
    version = SurveyVersion.objects.get(year=2030)
    assert (version.deadline, version.closes_on, version.created_by) == (
        date(2030, 2, 28),
        date(2030, 3, 14),
        people["national_admin"],
    )


def test_a_bad_survey_form_shows_every_error_in_the_summary(as_persona, people):
    response = as_persona("national_admin").post(
        "/survey/manage/new/",
        {
            "year": "20x",
            "title": "",
            "deadline-day": "31",
            "deadline-month": "2",
            "deadline-year": "2030",
            "closes_on-day": "1",
            "closes_on-month": "",
            "closes_on-year": "2030",
        },
    )
    assert response.status_code == 200
    document = page(response)
    summary = [a.text for a in document.one(class_="govuk-error-summary").find_all("a")]
    assert summary == [
        "Enter the year as a number, like 2027",
        "Enter the survey's title",
        "Deadline must be a real date, like 28 2 2027",
        "Closing date must include a month",
    ]
    assert document.one("title").text.startswith("Error:")
    assert not SurveyVersion.objects.exists()


def _question_post(where, **changes):
    data = {
        "section": str(where.pk),
        "text": "How many agency social workers?",
        "help_text": "",
        "kind": "number",
        "required": "yes",
        "options": "",
        "unit": "social workers",
        "number_min": "0",
        "number_max": "500",
        "code": "",
        "indicators": "",
    }
    data.update(changes)
    return data


def test_adding_a_question_with_routing_and_themes(as_persona, surveys):
    draft = surveys["draft"]
    section = draft.sections.get()
    client = as_persona("national_admin")
    choice = client.post(
        f"/survey/manage/2027/questions/new/?section={section.pk}",
        _question_post(
            section,
            text="Do you share a team?",
            kind="single",
            options="Yes\nNo\nNot yet",
            unit="",
            number_min="",
            number_max="",
            themes=["youth"],
        ),
    )
    assert choice.status_code == 302
    shared = Question.objects.get(version=draft, code="do-you-share-a-team")
    assert shared.options == ["Yes", "No", "Not yet"] and shared.themes == ["youth"]
    routed = client.post(
        f"/survey/manage/2027/questions/new/?section={section.pk}",
        _question_post(section, routing=[f"{shared.pk}:0", f"{shared.pk}:2"]),
    )
    assert routed.status_code == 302
    new = Question.objects.get(version=draft, code="how-many-agency-social-workers")
    assert (new.show_if, new.show_if_answers, new.unit) == (shared, ["Yes", "Not yet"], "social workers")
    document = page(client.get("/survey/manage/2027/"))
    card = document.one(id=f"question-{new.pk}")
    assert 'Shown only when "Do you share a team?" is answered "Yes" or "Not yet"' in card.text
    assert "In social workers; at least 0; at most 500" in card.text


def test_a_bad_question_shows_the_builders_errors_beside_the_fields(as_persona, surveys):
    section = surveys["draft"].sections.get()
    response = as_persona("national_admin").post(
        f"/survey/manage/2027/questions/new/?section={section.pk}",
        _question_post(section, kind="single", options="Yes", indicators="no-such-indicator"),
    )
    assert response.status_code == 200
    document = page(response)
    summary = [a.text for a in document.one(class_="govuk-error-summary").find_all("a")]
    assert summary == [
        "Enter at least two options, one a line",
        "No indicator has the name no-such-indicator: use the name in the indicator's address",
    ]
    assert document.one(id="options-error").text == "Error: Enter at least two options, one a line"
    assert Question.objects.filter(version=surveys["draft"]).count() == 1


def test_an_open_survey_says_its_questions_cannot_change(as_persona, surveys):
    client = as_persona("national_admin")
    document = page(client.get("/survey/manage/2026/"))
    assert "only a draft's sections and questions can be changed" in document.one("main").text
    assert not document.find_all("a", href=f"/survey/manage/2026/questions/{surveys['uses'].pk}/edit/")
    response = client.get(f"/survey/manage/2026/questions/{surveys['uses'].pk}/edit/")
    summary = page(response).one(class_="govuk-error-summary").text
    assert "The 2026 survey is open: only a draft's sections and questions can be changed." in summary


def test_carrying_last_years_questions_forward_from_the_page(as_persona, surveys):
    client = as_persona("national_admin")
    document = page(client.get("/survey/manage/2027/carry/"))
    assert heading(document) == "Carry questions forward from 2026"
    boxes = document.find_all("input", type="checkbox", name="questions")
    assert len(boxes) == 2
    response = client.post("/survey/manage/2027/carry/", {"questions": [b.attrs["value"] for b in boxes]})
    assert response.status_code == 302
    codes = list(Question.objects.filter(version=surveys["draft"]).values_list("code", flat=True))
    assert "agency-use" in codes and "agency-count" in codes
    again = page(client.get("/survey/manage/2027/carry/"))
    assert not again.find_all("input", type="checkbox", name="questions")
    assert again.one("main").text.count("Already in 2027") == 2


def test_the_open_page_says_how_many_directors_will_be_invited_and_opens(as_persona, surveys, places):
    factories.director(places.leeds, username="leeds.dcs")
    client = as_persona("national_admin")
    SurveyVersion.objects.filter(year=2027).update(
        deadline=timezone.localdate() + timedelta(days=20),
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    document = page(client.get("/survey/manage/2027/open/"))
    assert (
        document.one(id="invite-count").text == "2 directors of children's services will be invited by email."
    )
    response = client.post("/survey/manage/2027/open/")
    assert response.status_code == 302
    assert SurveyVersion.objects.get(year=2027).status == SurveyVersion.Status.OPEN
    assert Invitation.objects.filter(version__year=2027).count() == 2 and len(mail.outbox) == 2
    again = page(client.get("/survey/manage/2027/open/"))
    assert "nobody new will be emailed" in again.one(id="invite-count").text


def test_opening_without_a_deadline_is_refused_on_the_page(as_persona, surveys):
    response = as_persona("national_admin").post("/survey/manage/2027/open/")
    assert response.status_code == 200
    summary = page(response).one(class_="govuk-error-summary").text
    assert "Enter the deadline before opening the survey" in summary
    assert SurveyVersion.objects.get(year=2027).status == SurveyVersion.Status.DRAFT
    assert not mail.outbox


def test_closing_the_open_survey(as_persona, surveys):
    client = as_persona("national_admin")
    assert client.post("/survey/manage/2026/close/").status_code == 302
    assert SurveyVersion.objects.get(year=2026).status == SurveyVersion.Status.CLOSED


def test_moving_and_deleting_questions(as_persona, surveys):
    client = as_persona("national_admin")
    last_section = surveys["draft"].sections.get()
    second = builder.add_question(section=last_section, fields=QuestionFields(text="Second", kind="text"))
    first = Question.objects.get(version=surveys["draft"], position=1)
    assert (
        client.post(f"/survey/manage/2027/questions/{second.pk}/move/", {"direction": "up"}).status_code
        == 302
    )
    assert list(last_section.questions.order_by("position").values_list("text", flat=True)) == [
        "Second",
        "How confident are you?",
    ]
    assert client.post(f"/survey/manage/2027/questions/{first.pk}/delete/").status_code == 302
    assert list(last_section.questions.values_list("text", flat=True)) == ["Second"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "How many\x00?"}, "Question must not include control characters, such as a null character"),
        ({"number_min": "٣"}, "Enter least value using only the digits 0 to 9"),
        ({"number_max": "1" * 40}, "Enter the most value as a number, like 500"),
        ({"kind": "scale", "scale_min": "5", "scale_max": "1"}, None),
        ({"kind": "slider"}, "Choose the kind of question"),
        ({"routing": ["999999:0"]}, "Choose answers from the list"),
    ],
)
def test_bad_question_input_is_refused_in_words_never_a_crash(as_persona, surveys, changes, message):
    section = surveys["draft"].sections.get()
    response = as_persona("national_admin").post(
        f"/survey/manage/2027/questions/new/?section={section.pk}", _question_post(section, **changes)
    )
    assert response.status_code == 200
    summary = [a.text for a in page(response).one(class_="govuk-error-summary").find_all("a")]
    if message:
        assert message in summary
    else:
        assert summary == ["The scale's highest point must be more than its lowest, like 1 to 5"]
    assert Question.objects.filter(version=surveys["draft"]).count() == 1


def test_changing_a_question_can_move_it_to_another_section(as_persona, surveys):
    draft = surveys["draft"]
    money = draft.sections.get()
    people_section = builder.add_section(version=draft, title="People")
    question = draft.questions.get()
    client = as_persona("national_admin")
    form = page(client.get(f"/survey/manage/2027/questions/{question.pk}/edit/"))
    assert [o.text for o in form.one("select", name="section").find_all("option")] == ["Money", "People"]
    data = _question_post(
        money,
        section=str(people_section.pk),
        text=question.text,
        kind="scale",
        scale_min="1",
        scale_max="5",
        code=question.code,
        unit="",
        number_min="",
        number_max="",
    )
    assert client.post(f"/survey/manage/2027/questions/{question.pk}/edit/", data).status_code == 302
    question.refresh_from_db()
    assert (question.section, question.position) == (people_section, 1)


def test_the_version_page_reads_a_fixed_number_of_queries_however_many_questions(as_persona, surveys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_persona("national_admin")
    with CaptureQueriesContext(connection) as few:
        client.get("/survey/manage/2026/")
    section = builder.add_section(version=SurveyVersion.objects.get(year=2027), title="More")
    for n in range(8):
        builder.add_question(
            section=section,
            fields=QuestionFields(text=f"Question {n}", kind="single", options=["A", "B"], themes=["youth"]),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/survey/manage/2027/")
    assert response.status_code == 200
    assert len(many) <= len(few)


def test_the_open_page_says_what_stops_the_survey_opening_before_the_button(as_persona, surveys):
    builder.add_section(version=surveys["draft"], title="Empty")
    document = page(as_persona("national_admin").get("/survey/manage/2027/open/"))
    problems = [li.text for li in document.one(id="open-problems").find_all("li")]
    assert problems == [
        'The section "Empty" has no questions: add one or delete the section',
        "Enter the deadline before opening the survey",
        "Enter the closing date before opening the survey",
    ]
    assert not document.find_all("button", type="submit", class_="govuk-button")
