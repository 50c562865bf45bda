"""Peer challenges and their agreed actions: private. Signed-out requests answer 401; a challenge the
user may not see answers 404, the same as one that does not exist."""

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from slihub.alliances import challenges
from slihub.alliances.models import AREA_CHOICES
from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, AuthorityRef, Id

router = Router(tags=["challenges (private)"], auth=django_auth)
AREA_NAMES = dict(AREA_CHOICES)


class FocusAreaOut(Schema):
    area: str  # Ofsted's judgment field, such as care_leavers
    name: str


class AgreedActionOut(Schema):
    id: int
    text: str
    owner_authority: AuthorityRef
    owner_name: str
    due_on: date
    status: str  # open, done or dropped
    follow_up: str
    overdue: bool  # open and past its due date

    @staticmethod
    def resolve_overdue(obj):
        from django.utils import timezone

        return obj.status == "open" and obj.due_on < timezone.localdate()


class ChallengeSummary(Schema):
    id: int
    alliance: str
    year: int  # the cycle's first year: 2026 for 2026 to 2027
    held_on: date
    host: AuthorityRef
    challengers: list[AuthorityRef]
    group: int | None  # the challenge group's number in the cycle, if recorded

    @staticmethod
    def resolve_alliance(obj):
        return obj.cycle.alliance.name

    @staticmethod
    def resolve_year(obj):
        return obj.cycle.year

    @staticmethod
    def resolve_challengers(obj):
        return list(obj.challengers.all())

    @staticmethod
    def resolve_group(obj):
        return obj.group.number if obj.group else None


class ChallengeOut(ChallengeSummary):
    focus_areas: list[FocusAreaOut]
    focus_indicators: list[str]  # indicator slugs
    notes: str
    actions: list[AgreedActionOut]
    recorded_at: datetime

    @staticmethod
    def resolve_focus_areas(obj):
        return [{"area": a, "name": AREA_NAMES.get(a, a)} for a in obj.focus_areas]

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())


@router.get(
    "/challenges",
    response={200: list[ChallengeSummary], **SIGNED_IN, **INVALID},
    summary="The peer challenges you may see",
)
@paginate(Pagination)
def list_challenges(request):
    """Latest first. The councils in a challenge (host and challengers, their chief executives and lead
    members included) see it, as do their region's coordinators and national admins."""
    return challenges.visible_challenges(request.auth)


@router.get(
    "/challenges/{challenge_id}",
    response={200: ChallengeOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="One peer challenge, with its focus areas and agreed actions",
)
def get_challenge(request, challenge_id: Id):
    """404 for one you may not see, the same as for one that does not exist."""
    found = challenges.challenge(request.auth, challenge_id)
    if found is None:
        raise Http404("No such challenge.")
    return found
