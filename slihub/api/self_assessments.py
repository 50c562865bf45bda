"""Self-assessments: private. Signed-out requests answer 401; a self-assessment the user may not see
answers 404, the same as one that does not exist."""

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from slihub.alliances import selfassessment as sa
from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, AuthorityRef, Id

router = Router(tags=["self-assessments (private)"], auth=django_auth)


class SelfAssessmentCycleOut(Schema):
    year: int  # the year the cycle starts: 2026 for 2026 to 2027
    alliance: str
    self_assessment_due: date

    @staticmethod
    def resolve_alliance(obj):
        return obj.alliance.name


class SelfAssessmentSummary(Schema):
    id: int
    authority: AuthorityRef
    cycle: SelfAssessmentCycleOut
    status: str  # draft, submitted, moderated, returned or final
    submitted_at: datetime | None
    updated_at: datetime


class SelfRatingOut(Schema):
    area: str  # Ofsted's judgment field, such as care_leavers
    area_name: str
    grade: str  # one of Ofsted's four grades, or "" when not rated yet
    evidence: str
    links: dict  # {"indicators": [slug], "local_practice": [id], "documents": [url]}

    @staticmethod
    def resolve_area_name(obj):
        return obj.get_area_display()


class SelfAssessmentEventOut(Schema):
    at: datetime
    by: str
    from_status: str  # "" for the start
    to_status: str
    note: str

    @staticmethod
    def resolve_by(obj):
        return str(obj.by) if obj.by else ""


class SelfAssessmentOut(SelfAssessmentSummary):
    quality: str
    how_known: str
    plans: str
    moderator: str
    moderator_comments: str
    ratings: list[SelfRatingOut]
    history: list[SelfAssessmentEventOut]

    @staticmethod
    def resolve_moderator(obj):
        return str(obj.moderator) if obj.moderator else ""

    @staticmethod
    def resolve_ratings(obj):
        return [r.rating for r in sa.ratings(obj)]

    @staticmethod
    def resolve_history(obj):
        return list(sa.history(obj))


@router.get(
    "/self-assessments",
    response={200: list[SelfAssessmentSummary], **SIGNED_IN, **INVALID},
    summary="The self-assessments you may see",
)
@paginate(Pagination)
def list_self_assessments(request):
    """Latest cycle first. A council's staff, chief executive and lead member see their council's; alliance
    coordinators their region's; a moderator the ones assigned to them; national admins every one."""
    return sa.visible(request.auth)


@router.get(
    "/self-assessments/{assessment_id}",
    response={200: SelfAssessmentOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="One self-assessment, with its ratings and history",
)
def get_self_assessment(request, assessment_id: Id):
    """404 for one you may not see, the same as for one that does not exist."""
    found = sa.visible(request.auth).filter(pk=assessment_id).first()
    if found is None:
        raise Http404("No such self-assessment.")
    return found
