"""Early-warning risk scores: private, never public (401 when signed out, 403 outside one's scope)."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, Code
from slihub.places import selectors as places
from slihub.warning import selectors
from slihub.warning.explain import settled
from slihub.warning.models import RiskScore, Target

router = Router(tags=["early warning (private)"], auth=django_auth)


class SignalOut(Schema):
    feature: str
    label: str
    contribution: float  # the push on the log-odds: positive raises the risk
    text: str
    # raised the risk, and its figure is worse than its comparator (neighbours, England, or England's
    # change); a rate of need, spending or deprivation (no better direction) never is
    concern: bool = False
    worse: bool | None = None  # worse than its comparator; null without a direction or a comparator
    sentence: str = ""  # what it did to the risk, in plain words


class RiskOut(Schema):
    la: str
    name: str
    month: date
    target: str
    probability: float
    rank: int  # 1 = highest risk in England that month
    scored: int
    # the chance that Ofsted's next graded inspection begins within 12 months; null before a first one
    inspection_soon: float | None = None
    signals: list[SignalOut]

    @staticmethod
    def resolve_la(obj):
        return obj.authority.code

    @staticmethod
    def resolve_name(obj):
        return obj.authority.name

    @staticmethod
    def resolve_signals(obj):
        return [settled(s) for s in obj.signals]  # a score stored before today's rules, read by them


@router.get(
    "/warning/scores",
    response={200: list[RiskOut], **SIGNED_IN, **INVALID},
    summary="The watchlist: risk scores for the latest month",
)
@paginate(Pagination)
def list_scores(request, target: Target = Target.INADEQUATE):
    """Highest risk first. National admins see every authority, alliance coordinators their region,
    council staff their own council. `target` is `inadequate` or `below_good`."""
    return selectors.watchlist(request.auth, target)[1]


@router.get(
    "/authorities/{code}/risk",
    response={200: list[RiskOut], **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="An authority's risk scores over the last 12 months",
)
def authority_risk(request, code: Code):
    """Both targets, month by month, latest first, with the signals behind each score."""
    authority = places.authority(code)
    selectors.require_view(request.auth, authority)
    latest = selectors.latest_month()
    if latest is None:
        return []
    first = date(latest.year - 1, latest.month, 1)
    return list(
        RiskScore.objects.filter(authority=authority, month__gte=first)
        .select_related("authority")
        .order_by("-month", "target")
    )
