"""Answering the survey: each kind of answer's rules, routing, drafts, submitting, late answers, changes
until the survey closes, and who may write (slihub.survey.answering)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from slihub.accounts.models import Membership, Role
from slihub.survey import answering
from slihub.survey.models import Answer, Delegate, Question, Response, SurveyVersion
from tests import factories
from tests.integration.survey_answer_support import (
    AFTER_CLOSE,
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    build_survey,
    complete_answers,
)

Kind = Question.Kind


def clean(question, raw):
    return answering.clean_answer(question, raw)


# --- each kind's rules (unsaved questions: no database) ------------------------------------------------


def test_it_takes_one_of_a_single_choice_questions_options():
    question = Question(kind=Kind.SINGLE, options=["Yes", "No"])
    assert clean(question, "No") == ("No", "")
    assert clean(question, " Yes ") == ("Yes", "")
    assert clean(question, "Maybe") == (None, "Select one of the options listed")
    assert clean(question, ["Yes"])[1] == "Give one answer"
    assert clean(question, "") == (None, "")


def test_it_takes_a_subset_of_a_multiple_choice_questions_options_in_their_order():
    question = Question(kind=Kind.MULTIPLE, options=["A", "B", "C"])
    assert clean(question, ["C", "A"]) == (["A", "C"], "")
    assert clean(question, "B") == (["B"], "")
    assert clean(question, ["A", "D"]) == (None, "Select only the options listed")
    assert clean(question, []) == (None, "")
    assert clean(question, {"A": 1})[1]


def test_it_takes_a_whole_number_in_a_scales_range():
    question = Question(kind=Kind.SCALE, scale_min=1, scale_max=5)
    assert clean(question, "3") == (3, "")
    assert clean(question, 5) == (5, "")
    for bad in ("0", "6", "3.5", "three", "³", "-1"):
        assert clean(question, bad) == (None, "Select a number from 1 to 5"), bad


def test_a_scale_may_start_below_zero():
    question = Question(kind=Kind.SCALE, scale_min=-2, scale_max=2)
    assert clean(question, "-2") == (-2, "")
    assert clean(question, "-3")[1] == "Select a number from -2 to 2"


def test_it_takes_a_number_in_range_with_up_to_two_decimal_places_as_a_string():
    question = Question(kind=Kind.NUMBER, number_min=Decimal("0"), number_max=Decimal("5000"))
    assert clean(question, "12.5") == ("12.5", "")
    assert clean(question, "12.50") == ("12.5", "")
    assert clean(question, "1,200") == ("1200", "")
    assert clean(question, 7) == ("7", "")
    assert clean(question, "0") == ("0", "")
    assert clean(question, "12.345") == (None, "Enter a number with no more than 2 decimal places")
    assert clean(question, "5000.01") == (None, "Enter a number from 0 to 5000")
    assert clean(question, "-1") == (None, "Enter a number from 0 to 5000")
    assert clean(question, "twelve") == (None, "Enter a number, like 12 or 12.5")
    assert "digits 0 to 9" in clean(question, "١٢")[1]
    assert clean(question, "9" * 500)[0] is None


def test_a_number_with_one_bound_says_which():
    assert clean(Question(kind=Kind.NUMBER, number_min=Decimal("1")), "0")[1] == "Enter a number of 1 or more"
    assert (
        clean(Question(kind=Kind.NUMBER, number_max=Decimal("10")), "11")[1] == "Enter a number of 10 or less"
    )
    assert clean(Question(kind=Kind.NUMBER), "123456.78") == ("123456.78", "")


def test_it_takes_free_text_up_to_5000_characters_without_control_characters():
    question = Question(kind=Kind.TEXT)
    assert clean(question, "  Hard to recruit.\nAnd keep.  ") == ("Hard to recruit.\nAnd keep.", "")
    assert clean(question, "x" * 5000) == ("x" * 5000, "")
    assert clean(question, "x" * 5001) == (None, "Your answer must be 5,000 characters or fewer")
    assert "control characters" in clean(question, "bad\x00")[1]
    assert clean(question, "   ") == (None, "")


# --- routing -------------------------------------------------------------------------------------------


@pytest.fixture
def survey(places):
    return build_survey()


def codes(questions):
    return [q.code for q in questions]


def by_code(version):
    return {q.code: q for q in version.questions.all()}


def test_routed_questions_are_shown_only_after_the_answer_that_leads_to_them(survey):
    q = by_code(survey)
    hidden = codes(answering.shown_questions(survey, {}))
    assert "agency-why" not in hidden and "agency-share" not in hidden
    assert hidden[0] == "social-workers"
    shown = codes(answering.shown_questions(survey, {q["uses-agency"].id: "Yes"}))
    assert shown == [
        "social-workers",
        "uses-agency",
        "agency-why",
        "approaches",
        "confidence",
        "agency-share",
        "practice-notes",
        "anything-else",
    ]
    assert "agency-why" not in codes(answering.shown_questions(survey, {q["uses-agency"].id: "No"}))


def test_routing_follows_a_multiple_choice_answer_and_a_chain(survey):
    q = by_code(survey)
    q["practice-notes"].show_if = q["approaches"]
    q["practice-notes"].show_if_answers = ["Family Safeguarding"]
    q["practice-notes"].save()
    q["anything-else"].show_if = q["agency-why"]  # shown only if agency-why is shown and answered "Other"
    q["anything-else"].show_if_answers = ["Other"]
    q["anything-else"].save()
    answers = {q["approaches"].id: ["Signs of Safety", "Family Safeguarding"], q["agency-why"].id: "Other"}
    shown = codes(answering.shown_questions(survey, answers))
    assert "practice-notes" in shown
    assert "anything-else" not in shown  # agency-why itself is hidden: uses-agency is not "Yes"
    answers[q["uses-agency"].id] = "Yes"
    assert "anything-else" in codes(answering.shown_questions(survey, answers))


# --- drafts --------------------------------------------------------------------------------------------


@pytest.fixture
def director(survey, places):
    return factories.director(places.camden, username="camden.dcs")


def section(version, position):
    return version.sections.get(position=position)


def save(version, user, position, data, places, today=BEFORE_DEADLINE):
    return answering.save_section(
        user=user, section=section(version, position), data=data, authority=places.camden, today=today
    )


def stored(version, places):
    response = Response.objects.get(version=version, authority=places.camden)
    return {a.question.code: a.value for a in response.answers.select_related("question")}, response


def test_a_director_saves_part_of_a_section_as_a_draft(survey, director, places):
    saved = save(survey, director, 1, {"social-workers": "120.50"}, places)
    answers, response = stored(survey, places)
    assert answers == {"social-workers": "120.5"}
    assert response.status == Response.Status.DRAFT
    assert response.started_by == director
    assert saved.response == response


def test_an_empty_answer_removes_the_saved_one(survey, director, places):
    save(survey, director, 1, {"social-workers": "120", "uses-agency": "No"}, places)
    save(survey, director, 1, {"social-workers": ""}, places)
    assert stored(survey, places)[0] == {"uses-agency": "No"}


def test_good_answers_are_kept_when_others_on_the_page_are_refused(survey, director, places):
    with pytest.raises(ValidationError) as refused:
        save(survey, director, 2, {"confidence": "9", "approaches": ["Signs of Safety"]}, places)
    assert refused.value.message_dict == {"confidence": ["Select a number from 1 to 5"]}
    assert stored(survey, places)[0] == {"approaches": ["Signs of Safety"]}


def test_a_question_of_another_section_is_refused(survey, director, places):
    with pytest.raises(ValidationError) as refused:
        save(survey, director, 1, {"confidence": "3"}, places)
    assert "confidence" in refused.value.message_dict


def test_saving_says_which_questions_an_answer_revealed(survey, director, places):
    saved = save(survey, director, 1, {"social-workers": "10", "uses-agency": "Yes"}, places)
    assert codes(saved.revealed) == ["agency-why"]
    saved = save(survey, director, 1, {"social-workers": "10", "uses-agency": "No"}, places)
    assert saved.revealed == []


# --- submitting ----------------------------------------------------------------------------------------


def answer_all(version, user, places, answers=None, today=BEFORE_DEADLINE):
    for position, data in (answers or complete_answers()).items():
        save(version, user, position, data, places, today=today)
    return Response.objects.get(version=version, authority=places.camden)


def at(day):
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_submitting_with_required_questions_unanswered_names_each_of_them(survey, director, places):
    save(survey, director, 1, {"uses-agency": "Yes"}, places)
    response = Response.objects.get(version=survey, authority=places.camden)
    with pytest.raises(ValidationError) as refused:
        answering.submit(user=director, response=response, now=at(BEFORE_DEADLINE))
    problems = refused.value.message_dict
    assert sorted(problems) == ["agency-share", "agency-why", "approaches", "confidence", "social-workers"]
    assert problems["social-workers"] == [
        "Answer the question: How many children's social workers do you employ?"
    ]
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_a_complete_response_is_submitted_on_time(survey, director, places):
    response = answer_all(survey, director, places)
    answering.submit(user=director, response=response, now=at(BEFORE_DEADLINE))
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_by == director
    assert not answering.is_late(response)


def test_answers_that_routing_now_hides_are_deleted_at_submit(survey, director, places):
    response = answer_all(survey, director, places)
    save(survey, director, 1, {"uses-agency": "No"}, places)  # agency-why and agency-share no longer asked
    assert "agency-why" in stored(survey, places)[0]  # kept while drafting, in case of a change back
    answering.submit(user=director, response=response, now=at(BEFORE_DEADLINE))
    answers, _ = stored(survey, places)
    assert "agency-why" not in answers and "agency-share" not in answers
    assert answers["uses-agency"] == "No"


def test_an_answer_submitted_after_the_deadline_is_taken_and_marked_late(survey, director, places):
    response = answer_all(survey, director, places, today=AFTER_DEADLINE)
    assert answering.late_message(survey, AFTER_DEADLINE) == (
        "The deadline was 14 December 2026; answers are still taken until 15 January 2027."
    )
    assert answering.late_message(survey, BEFORE_DEADLINE) == ""
    answering.submit(user=director, response=response, now=at(AFTER_DEADLINE))
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert answering.is_late(response)


def test_a_submitted_response_can_be_changed_until_the_survey_closes(survey, director, places):
    response = answer_all(survey, director, places)
    answering.submit(user=director, response=response, now=at(BEFORE_DEADLINE))
    saved = save(survey, director, 2, {"confidence": "2"}, places, today=AFTER_DEADLINE)
    assert not saved.reopened
    answers, response = stored(survey, places)
    assert answers["confidence"] == 2
    assert response.status == Response.Status.SUBMITTED
    assert not answering.is_late(response)  # a change after the deadline does not make it late


def test_a_change_that_leaves_a_required_question_unanswered_puts_it_back_in_progress(
    survey, director, places
):
    response = answer_all(survey, director, places)
    answering.submit(user=director, response=response, now=at(BEFORE_DEADLINE))
    saved = save(survey, director, 2, {"confidence": ""}, places)
    assert saved.reopened
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_answers_are_refused_after_the_survey_closes(survey, director, places):
    response = answer_all(survey, director, places)
    with pytest.raises(ValidationError, match="The survey closed on 15 January 2027"):
        save(survey, director, 2, {"confidence": "1"}, places, today=AFTER_CLOSE)
    with pytest.raises(ValidationError, match="closed"):
        answering.submit(user=director, response=response, now=at(AFTER_CLOSE))
    assert stored(survey, places)[0]["confidence"] == 4


def test_answers_are_refused_once_the_survey_is_closed_or_published(survey, director, places):
    for status in (SurveyVersion.Status.CLOSED, SurveyVersion.Status.PUBLISHED, SurveyVersion.Status.DRAFT):
        survey.status = status
        survey.save()
        with pytest.raises(ValidationError, match="not taking answers"):
            save(survey, director, 1, {"social-workers": "1"}, places)
    assert not Response.objects.exists()


# --- who may write -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["camden_analyst", "national_admin", "leeds_admin", "camden_chief_executive"]
)
def test_only_the_director_or_delegate_writes(survey, people, places, persona):
    with pytest.raises(PermissionDenied):
        save(survey, people[persona], 1, {"social-workers": "1"}, places)
    assert not Answer.objects.exists()


def test_a_director_names_a_member_of_the_council_who_may_then_answer(survey, director, people, places):
    analyst = people["camden_analyst"]
    assert {u.username for u in answering.delegate_choices(places.camden, director)} == {"camden.analyst"}
    delegate = answering.name_delegate(
        user=director, version=survey, authority=places.camden, delegate=analyst, today=BEFORE_DEADLINE
    )
    assert delegate.named_by == director
    save(survey, analyst, 1, {"social-workers": "3"}, places)
    assert stored(survey, places)[0] == {"social-workers": "3"}
    answering.name_delegate(
        user=director, version=survey, authority=places.camden, delegate=None, today=BEFORE_DEADLINE
    )
    assert not Delegate.objects.exists()
    with pytest.raises(PermissionDenied):
        save(survey, analyst, 1, {"social-workers": "4"}, places)


def test_a_delegate_answers_only_the_version_they_were_named_for(survey, director, people, places):
    other = build_survey(year=2027)
    analyst = people["camden_analyst"]
    answering.name_delegate(
        user=director, version=other, authority=places.camden, delegate=analyst, today=BEFORE_DEADLINE
    )
    assert not answering.can_write(analyst, survey, places.camden)
    assert answering.can_write(analyst, other, places.camden)


def test_a_delegate_who_leaves_the_council_can_no_longer_answer(survey, director, people, places):
    analyst = people["camden_analyst"]
    answering.name_delegate(
        user=director, version=survey, authority=places.camden, delegate=analyst, today=BEFORE_DEADLINE
    )
    Membership.objects.filter(user=analyst).delete()
    analyst = type(analyst).objects.get(pk=analyst.pk)  # a fresh scope
    assert not answering.can_write(analyst, survey, places.camden)


def test_only_the_director_names_a_delegate_and_only_from_the_council(survey, director, people, places):
    with pytest.raises(ValidationError, match="works for Camden"):
        answering.name_delegate(
            user=director,
            version=survey,
            authority=places.camden,
            delegate=people["leeds_admin"],
            today=BEFORE_DEADLINE,
        )
    with pytest.raises(ValidationError):
        answering.name_delegate(
            user=director, version=survey, authority=places.camden, delegate=director, today=BEFORE_DEADLINE
        )
    for persona in ("camden_analyst", "national_admin"):
        with pytest.raises(PermissionDenied):
            answering.name_delegate(
                user=people[persona],
                version=survey,
                authority=places.camden,
                delegate=people["camden_analyst"],
                today=BEFORE_DEADLINE,
            )
    assert not Delegate.objects.exists()


def test_a_chief_executive_cannot_be_named(survey, director, people, places):
    assert Membership.objects.filter(
        user=people["camden_chief_executive"], role=Role.CHIEF_EXECUTIVE
    ).exists()
    with pytest.raises(ValidationError):
        answering.name_delegate(
            user=director,
            version=survey,
            authority=places.camden,
            delegate=people["camden_chief_executive"],
            today=BEFORE_DEADLINE,
        )


def test_only_the_council_and_national_admins_read_its_answers(survey, director, people, places):
    readers = {name for name, user in people.items() if answering.can_read(user, places.camden)}
    assert readers == {"camden_analyst", "national_admin"}
    assert answering.can_read(director, places.camden)


def test_answers_are_shown_with_their_unit_and_a_scales_end_label():
    assert (
        answering.display(Question(kind=Kind.NUMBER, unit="social workers"), "12.5") == "12.5 social workers"
    )
    assert answering.display(Question(kind=Kind.NUMBER, unit="%"), "40") == "40%"
    assert answering.display(Question(kind=Kind.NUMBER, unit="£"), "1200") == "£1200"
    scale = Question(
        kind=Kind.SCALE, scale_min=1, scale_max=5, scale_min_label="Not at all", scale_max_label="Very"
    )
    assert [answering.display(scale, n) for n in (1, 3, 5)] == ["1 (Not at all)", "3", "5 (Very)"]
    assert answering.display(Question(kind=Kind.MULTIPLE), ["A", "C"]) == "A, C"
    assert answering.display(Question(kind=Kind.TEXT), None) == ""


def test_without_a_closing_date_answers_are_taken_until_the_survey_is_closed():
    version = SurveyVersion(status=SurveyVersion.Status.OPEN, deadline=BEFORE_DEADLINE, closes_on=None)
    assert version.accepts_answers(AFTER_CLOSE)
    assert answering.late_message(version, AFTER_DEADLINE) == (
        "The deadline was 1 December 2026; answers are still taken until the survey closes."
    )
