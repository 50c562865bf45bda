"""The annual survey's questionnaires: each year's version with its sections and questions.

Signed-in users only (401 otherwise). National admins see every version, drafts included; everyone else
signed in sees versions that have opened (open, closed or published); a draft answers 404 to them, the
same as a year with no survey. The questions hold no council's answers: those are in /survey/responses.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count
from django.http import Http404
from ninja import Router, Schema
from ninja.security import django_auth

from slihub.accounts.models import scope_of
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, Id
from slihub.survey.models import Question, SurveyVersion

router = Router(tags=["survey questionnaires"], auth=django_auth)


class VersionSummaryOut(Schema):
    year: int
    title: str
    status: str  # draft, open, closed or published
    deadline: date | None  # answers are asked for by this date
    closes_on: date | None  # late answers are taken until this date
    opened_at: datetime | None
    closed_at: datetime | None
    published_at: datetime | None
    section_count: int
    question_count: int


class ScaleOut(Schema):
    min: int
    max: int
    min_label: str
    max_label: str


class NumberOut(Schema):
    unit: str
    min: float | None
    max: float | None


class RoutingOut(Schema):
    question: str  # the code of the earlier question whose answer decides
    answers: list[str]  # the question is shown when that question was answered with one of these


class CarriedFromOut(Schema):
    year: int
    code: str


class QuestionOut(Schema):
    code: str  # the same code in other years' versions: the answers line up
    position: int
    text: str
    help_text: str
    kind: str  # single, multiple, scale, number or text
    required: bool
    options: list[str]  # single and multiple choice; otherwise empty
    scale: ScaleOut | None  # scale questions only
    number: NumberOut | None  # number questions only
    show_if: RoutingOut | None  # null: shown to everyone
    carried_from: CarriedFromOut | None
    themes: list[str]  # keys of the six themes
    indicators: list[str]  # indicator slugs


class SectionOut(Schema):
    position: int
    title: str
    introduction: str
    questions: list[QuestionOut]


class VersionOut(VersionSummaryOut):
    introduction: str
    sections: list[SectionOut]


def _visible(user):
    versions = SurveyVersion.objects.all()
    if scope_of(user).national:
        return versions
    return versions.exclude(status=SurveyVersion.Status.DRAFT)


def _summary(v: SurveyVersion) -> dict:
    return {
        "year": v.year,
        "title": v.title,
        "status": v.status,
        "deadline": v.deadline,
        "closes_on": v.closes_on,
        "opened_at": v.opened_at,
        "closed_at": v.closed_at,
        "published_at": v.published_at,
        "section_count": v.section_count,
        "question_count": v.question_count,
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _question(q: Question) -> dict:
    return {
        "code": q.code,
        "position": q.position,
        "text": q.text,
        "help_text": q.help_text,
        "kind": q.kind,
        "required": q.required,
        "options": list(q.options),
        "scale": (
            {
                "min": q.scale_min,
                "max": q.scale_max,
                "min_label": q.scale_min_label,
                "max_label": q.scale_max_label,
            }
            if q.kind == Question.Kind.SCALE and q.scale_min is not None and q.scale_max is not None
            else None
        ),
        "number": (
            {"unit": q.unit, "min": _number(q.number_min), "max": _number(q.number_max)}
            if q.kind == Question.Kind.NUMBER
            else None
        ),
        "show_if": (
            {"question": q.show_if.code, "answers": list(q.show_if_answers)} if q.show_if_id else None
        ),
        "carried_from": (
            {"year": q.carried_from.version.year, "code": q.carried_from.code} if q.carried_from_id else None
        ),
        "themes": list(q.themes),
        "indicators": [i.slug for i in q.indicators.all()],
    }


def _counted(queryset):
    return queryset.annotate(
        section_count=Count("sections", distinct=True), question_count=Count("questions", distinct=True)
    )


@router.get(
    "/survey/versions",
    response={200: list[VersionSummaryOut], **SIGNED_IN},
    summary="Each year's survey questionnaire",
)
def versions(request):
    """Latest year first. National admins see drafts too."""
    return [_summary(v) for v in _counted(_visible(request.user)).order_by("-year")]


@router.get(
    "/survey/versions/{year}",
    response={200: VersionOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A year's survey questionnaire with its sections and questions",
)
def version(request, year: Id):
    """Sections in order, each with its questions: kind, options, scale, number unit and range, routing
    (by the code of the question whose answer decides), themes and indicator slugs."""
    found = _counted(_visible(request.user)).filter(year=year).first()
    if found is None:
        raise Http404(f"There is no survey for {year}.")
    questions = (
        Question.objects.filter(version=found)
        .select_related("show_if", "carried_from__version")
        .prefetch_related("indicators")
        .order_by("section__position", "position")
    )
    by_section: dict[int, list[dict]] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(_question(q))
    return {
        **_summary(found),
        "introduction": found.introduction,
        "sections": [
            {
                "position": s.position,
                "title": s.title,
                "introduction": s.introduction,
                "questions": by_section.get(s.pk, []),
            }
            for s in found.sections.order_by("position")
        ],
    }
