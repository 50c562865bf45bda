"""A council's answers to a year's survey: private to the council's staff and national admins.

Signed out: 401. A council whose answers are not yours (alliance coordinators, chief executives and lead
members included): 403. A year with no survey taking or having taken answers, or no such council: 404.
Only the council's director, or the delegate the director named, changes answers (PUT), while the survey
takes them; national admins read every council's answers and change none.
"""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, AuthorityRef, Code, ErrorOut, InputSchema
from slihub.survey import answering

router = Router(tags=["survey responses (private)"], auth=django_auth)
Year = Annotated[int, Field(ge=1, le=9999)]


class SurveyResponseOut(Schema):
    year: int
    title: str
    council: AuthorityRef
    status: str  # "not_started", "draft" (in progress) or "submitted"
    late: bool  # submitted after the deadline
    submitted_at: datetime | None
    submitted_by: str
    updated_at: datetime | None
    answers: dict[
        str, Any
    ]  # by question code: a string, a list of strings, an integer, or a number as a string
    asked: list[str]  # the codes of the questions the council is asked, given its answers (routing), in order
    missing: list[str]  # the codes of required questions asked and not answered
    can_change: bool  # you may change the answers now


class AnswersIn(InputSchema):
    """{question code: value}: a string (single choice, text), a list of strings (multiple choice), an
    integer (scale) or a number or its string (number); null or "" removes an answer."""

    answers: dict[str, Any]


class RefusedOut(ErrorOut):
    # by question code; absent when the body itself could not be read (the API's own 400)
    errors: dict[str, list[str]] = {}


def _out(user, version, authority, response) -> dict:
    questions = answering.questions_of(version)
    answers = answering.answers_of(response)
    by_id = {q.id: q for q in questions}
    shown = answering.shown_questions(version, answers, questions=questions)
    return {
        "year": version.year,
        "title": version.title,
        "council": {"code": authority.code, "ons_code": authority.ons_code, "name": authority.name},
        "status": response.status if response else "not_started",
        "late": bool(response) and answering.is_late(response),
        "submitted_at": response.submitted_at if response else None,
        "submitted_by": str(response.submitted_by) if response and response.submitted_by else "",
        "updated_at": response.updated_at if response else None,
        "answers": {by_id[qid].code: value for qid, value in answers.items() if qid in by_id},
        "asked": [q.code for q in shown],
        "missing": [q.code for q in shown if q.required and q.id not in answers],
        "can_change": answering.can_write(user, version, authority)
        and version.accepts_answers(timezone.localdate()),
    }


@router.get(
    "/survey/{year}/responses/{code}",
    response={200: SurveyResponseOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A council's answers to a year's survey",
)
def get_response(request, year: Year, code: Code):
    """The council's response and its answers by question code. The council's staff and national admins
    only; `code` is the council's DfE code."""
    version, authority, response = answering.find(request.auth, year, code)
    return _out(request.auth, version, authority, response)


@router.put(
    "/survey/{year}/responses/{code}",
    response={200: SurveyResponseOut, 400: RefusedOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="Save answers to a council's survey (a draft)",
)
def put_answers(request, year: Year, code: Code, body: AnswersIn):
    """Saves the answers given, by question code, as the web pages do: partial answers are fine (the rules
    on required questions apply on submitting, in the pages). Answers that break their question's rules
    are refused (400, `errors` by code) and the others kept. A submitted response that now misses a
    required answer goes back to draft. The council's director or named delegate only (403 otherwise),
    while the survey takes answers (400 after it closes)."""
    version, authority, _ = answering.find(request.auth, year, code)
    if not answering.can_write(request.auth, version, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s director of children's services, or the person they named, changes "
            "its answers."
        )
    if not version.accepts_answers(timezone.localdate()):
        return Status(400, {"detail": "The survey is not taking answers.", "errors": {}})
    questions = answering.questions_of(version)
    by_code = {q.code: q for q in questions}
    unknown = [c for c in body.answers if c not in by_code]
    if unknown:
        return Status(
            400,
            {
                "detail": "There is no question with that code in this survey.",
                "errors": {c: ["There is no question with this code in this survey"] for c in unknown},
            },
        )
    errors: dict[str, list[str]] = {}
    for section in version.sections.all():
        data = {c: v for c, v in body.answers.items() if by_code[c].section_id == section.id}
        if not data:
            continue
        try:
            answering.save_section(user=request.auth, section=section, data=data, authority=authority)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return Status(400, {"detail": " ".join(error.messages), "errors": {}})
            errors.update(error.message_dict)
    if errors:
        return Status(400, {"detail": "Some answers were refused; the others are saved.", "errors": errors})
    version, authority, response = answering.find(request.auth, year, code)
    return _out(request.auth, version, authority, response)
