"""The survey of directors from creation to published results, in the browser.

Last year's survey (made through the services: asked, answered by six councils, closed and published)
holds "Do you use agency social workers?". A national admin creates this year's survey on the builder's
pages, carries that question forward (same code: the answers line up year on year), adds a new question,
previews it and opens it (six directors invited). Six directors sign in and answer; the admin closes the
survey and publishes the results, which show small counts suppressed as `c` and last year's figures
beside the repeated question. axe finds no violations on any of these pages.
"""

from datetime import timedelta

from django.utils import timezone

from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

LAST, THIS = 2026, 2027
# six councils in four regions, so that most regional counts are small enough to be suppressed
COUNCILS = ["202", "206", "383", "352", "330", "886"]
AGENCY = "Do you use agency social workers?"
NEW = "Is recruiting social workers harder than a year ago?"
NEW_OPTIONS = ["Harder", "About the same", "Easier"]
# (agency answer, new question's answer) per council
ANSWERS = {
    "202": ("Yes", "Harder"),
    "206": ("Yes", "Harder"),
    "383": ("Yes", "About the same"),
    "352": ("No", "Harder"),
    "330": ("Yes", "Easier"),
    "886": ("No", "Harder"),
}


def _people():
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Authority

    admin, _ = ensure_user(
        username="national.admin", full_name="Nat Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )
    directors = {}
    for code in COUNCILS:
        user, _ = ensure_user(
            username=f"dcs.{code}",
            full_name=f"Director {code}",
            password=PASSWORD,
            role=Role.DIRECTOR,
            authority=Authority.objects.get(code=code),
        )
        user.email = f"dcs.{code}@example.gov.uk"
        user.save()
        directors[code] = user
    return admin, directors


def _last_year(admin):
    """Last year's survey: asked, answered by the six councils, closed and published."""
    from slihub.places.models import Authority
    from slihub.survey import builder
    from slihub.survey.builder import QuestionFields
    from slihub.survey.models import Answer, Response
    from slihub.survey.publishing import publish_results

    today = timezone.localdate()
    version = builder.create_version(
        year=LAST,
        title=f"Survey of directors {LAST}",
        deadline=today + timedelta(days=10),
        closes_on=today + timedelta(days=10),
    )
    question = builder.add_question(
        section=builder.add_section(version=version, title="Workforce"),
        fields=QuestionFields(text=AGENCY, code="agency-use", kind="single", options=["Yes", "No"]),
    )
    builder.open_version(version=version)
    for code, answer in zip(COUNCILS, ["Yes", "Yes", "No", "No", "Yes", "Yes"], strict=True):
        response = Response.objects.create(
            version=version,
            authority=Authority.objects.get(code=code),
            status=Response.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        Answer.objects.create(response=response, question=question, value=answer)
    builder.close_version(version=version)
    publish_results(version=version, user=admin)


def _sign_in_fresh(page, site, username):
    page.context.clear_cookies()
    sign_in(page, site, username)


def test_a_survey_runs_from_creation_to_published_results(page, site, axe, reference_data):
    admin, directors = _people()
    _last_year(admin)
    deadline = timezone.localdate() + timedelta(days=21)
    closes = deadline + timedelta(days=14)

    # the national admin builds this year's survey
    sign_in(page, site, "national.admin")
    page.goto(f"{site}/survey/manage/")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Create a survey").click()
    check_accessibility(axe, page)
    page.get_by_label("Survey year").fill(str(THIS))
    page.get_by_label("Title").fill(f"Survey of directors {THIS}")
    page.get_by_label("Introduction (optional)").fill(
        "About five minutes. Your council's answers are private."
    )
    for prefix, day in (("deadline", deadline), ("closes_on", closes)):
        page.locator(f"#{prefix}-day").fill(str(day.day))
        page.locator(f"#{prefix}-month").fill(str(day.month))
        page.locator(f"#{prefix}-year").fill(str(day.year))
    page.get_by_role("button", name="Create survey").click()
    assert page.url.endswith(f"/survey/manage/{THIS}/")
    check_accessibility(axe, page)

    # carry last year's question forward
    page.get_by_role("button", name=f"Carry questions from {LAST}").click()
    check_accessibility(axe, page)
    page.get_by_label(AGENCY).check()
    page.get_by_role("button", name="Carry the questions forward").click()
    assert "1 question carried forward from 2026" in page.locator("main").inner_text()
    assert "(carried from 2026: answers line up year on year)" in page.locator("main").inner_text()

    # add a new question to the same section
    page.get_by_role("link", name="Add a question to Workforce").click()
    check_accessibility(axe, page)
    page.get_by_label("Question", exact=True).fill(NEW)
    page.get_by_label("Options (optional)").fill("\n".join(NEW_OPTIONS))
    page.get_by_role("checkbox", name="Vulnerable children").check()
    page.get_by_role("button", name="Save question").click()
    check_accessibility(axe, page)
    assert NEW in page.locator("main").inner_text()

    # preview it as a director sees it
    page.get_by_role("button", name="Preview as a director sees it").click()
    check_accessibility(axe, page)
    assert AGENCY in page.locator("main").inner_text() and NEW in page.locator("main").inner_text()

    # open it: the six directors are invited
    page.goto(f"{site}/survey/manage/{THIS}/")
    page.get_by_role("button", name="Open the survey").click()
    check_accessibility(axe, page)
    assert page.locator("#invite-count").inner_text() == (
        "6 directors of children's services will be invited by email."
    )
    page.get_by_role("button", name="Open and invite").click()
    assert "6 directors of children's services invited" in page.locator("main").inner_text()
    check_accessibility(axe, page)

    # six directors answer
    for code, (agency, recruiting) in ANSWERS.items():
        _sign_in_fresh(page, site, f"dcs.{code}")
        page.goto(f"{site}/survey/{THIS}/{code}/")
        page.get_by_role("button", name="Start now").click()
        page.get_by_label(agency, exact=True).check()
        page.get_by_label(recruiting, exact=True).check()
        page.get_by_role("button", name="Save and continue").click()
        if code == COUNCILS[0]:
            check_accessibility(axe, page)
        page.get_by_role("button", name="Submit your answers").click()
        assert "Answers submitted" in page.locator("main").inner_text()

    # the admin closes the survey and publishes the results
    _sign_in_fresh(page, site, "national.admin")
    page.goto(f"{site}/survey/manage/{THIS}/")
    page.get_by_role("button", name="Close the survey").click()
    check_accessibility(axe, page)
    assert "6 councils submitted their answers" in page.locator("#close-counts").inner_text()
    page.get_by_role("button", name="Close the survey").click()
    assert "no more answers are taken" in page.locator("main").inner_text()
    page.goto(f"{site}/survey/{THIS}/publish/")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Publish the results").click()
    assert "The results are published" in page.locator("main").inner_text()

    # a director reads the published results: small counts suppressed, last year beside the repeated question
    _sign_in_fresh(page, site, "dcs.202")
    page.goto(f"{site}/survey/{THIS}/results/")
    check_accessibility(axe, page)
    assert page.locator('table.app-survey-table[data-table="agency-use"] [data-value="c"]').count() > 0
    main = page.locator("main").inner_text()
    assert f"England in {LAST}, the last time this was asked" in main
    page.goto(f"{site}/survey/manage/")
    assert page.locator("h1").inner_text() == "You do not have access to this page"


def test_the_builders_forms_errors_and_confirmations_pass_axe(page, site, axe, reference_data):
    from slihub.survey.models import Question

    _people()
    sign_in(page, site, "national.admin")
    page.goto(f"{site}/survey/manage/new/")
    page.get_by_role("button", name="Create survey").click()  # nothing typed
    assert page.locator(".govuk-error-summary").inner_text().count("Enter the survey") == 2
    check_accessibility(axe, page)
    page.get_by_label("Survey year").fill(str(THIS))
    page.get_by_label("Title").fill(f"Survey of directors {THIS}")
    page.get_by_role("button", name="Create survey").click()

    page.get_by_role("button", name="Add a section").click()
    check_accessibility(axe, page)
    page.get_by_label("Section title").fill("Workforce")
    page.get_by_role("button", name="Save section").click()
    page.get_by_role("link", name="Add a question to Workforce").click()
    page.get_by_label("Question", exact=True).fill(AGENCY)
    page.get_by_label("Options (optional)").fill("Yes")  # one option only
    page.get_by_role("button", name="Save question").click()
    assert "Enter at least two options, one a line" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(axe, page)
    page.get_by_label("Options (optional)").fill("Yes\nNo")
    page.get_by_role("button", name="Save question").click()

    # a routed question: shown only when the first is answered Yes
    page.get_by_role("link", name="Add a question to Workforce").click()
    page.get_by_label("Question", exact=True).fill("How many agency social workers do you use?")
    page.get_by_role("radio", name="Number").check()
    page.get_by_label("Unit (optional)").fill("social workers")
    page.get_by_role("checkbox", name="Yes").check()
    check_accessibility(axe, page)
    page.get_by_role("button", name="Save question").click()
    routed = Question.objects.get(version__year=THIS, kind="number")
    assert (routed.show_if.text, routed.show_if_answers) == (AGENCY, ["Yes"])
    assert f'"{AGENCY}" is answered "Yes"' in page.locator(f"#question-{routed.pk}").inner_text()

    # moving the routed question above its question is refused, in words
    page.get_by_role("button", name="Move up question 1.2").click()
    assert "must come after it" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(axe, page)

    page.get_by_role("link", name="Change question 1.2").click()
    check_accessibility(axe, page)
    page.goto(f"{site}/survey/manage/{THIS}/")
    page.get_by_role("link", name="Delete question 1.2").click()
    check_accessibility(axe, page)
    page.get_by_role("button", name="Yes, delete it").click()
    assert not Question.objects.filter(pk=routed.pk).exists()
    page.get_by_role("button", name="Change details").click()
    check_accessibility(axe, page)
    for path in ("", f"{THIS}/", f"{THIS}/edit/", f"{THIS}/carry/", f"{THIS}/open/"):
        page.goto(f"{site}/survey/manage/{path}")
        check_reflow(page)
    page.goto(f"{site}/survey/manage/{THIS}/questions/{Question.objects.get(version__year=THIS).pk}/edit/")
    check_reflow(page)
