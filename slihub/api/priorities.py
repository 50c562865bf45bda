"""Regional improvement priorities and how each is tracked over time (published data, public)."""

from datetime import date

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from slihub.alliances import priorities, priority_tracking, selectors
from slihub.alliances.models import Priority
from slihub.api.alliances import CouncilRef
from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, Code, Id
from slihub.stats import tracking

router = Router(tags=["alliances"])


class PrioritySummaryOut(Schema):
    id: int
    alliance: str  # the region's slug
    title: str
    description: str
    status: str  # active, achieved or closed
    agreed_on: date
    indicators: list[str]  # indicator slugs


class PeriodFiguresOut(Schema):
    period: str
    region: float | None  # null when neither published nor computable
    region_is_mean: bool  # the region's figure is the mean of its councils' values (none published)
    england: float | None


class CouncilMoveOut(Schema):
    council: CouncilRef
    before: float
    after: float
    change: float  # after - before, in the indicator's unit
    direction: str  # improved or worsened (by the indicator's polarity); rose or fell without one; unchanged


class TrackedIndicatorOut(Schema):
    indicator: str  # slug
    code: str
    name: str
    unit: str
    polarity: str  # high, low or none
    baseline_period: str | None  # the period current when the priority was agreed
    latest_period: str | None
    periods: list[PeriodFiguresOut]  # oldest first
    region_change: float | None  # baseline to latest
    england_change: float | None
    region_direction: str | None
    councils: list[CouncilMoveOut]  # improved (or fell) first, then worsened (or rose), then unchanged
    not_compared: list[CouncilRef]  # no published figure in the baseline or the latest period


class PriorityOut(PrioritySummaryOut):
    region: str  # the region's name
    tracking: list[TrackedIndicatorOut]
    not_loaded: list[str]  # indicator slugs the hub has not loaded


def _summary(priority: Priority) -> dict:
    return {
        "id": priority.pk,
        "alliance": priority.alliance.region.slug,
        "title": priority.title,
        "description": priority.description,
        "status": priority.status,
        "agreed_on": priority.agreed_on,
        "indicators": list(priority.indicators or []),
    }


def _ref(authority) -> dict:
    return {"code": authority.code, "name": authority.name}


ORDER = (tracking.IMPROVED, tracking.FELL, tracking.WORSENED, tracking.ROSE, tracking.UNCHANGED)


def _tracked(t: priority_tracking.TrackedIndicator) -> dict:
    return {
        "indicator": t.indicator.slug,
        "code": t.indicator.code,
        "name": t.indicator.name,
        "unit": t.indicator.unit,
        "polarity": t.indicator.polarity,
        "baseline_period": t.baseline_period.label if t.baseline_period else None,
        "latest_period": t.latest_period.label if t.latest_period else None,
        "periods": [
            {"period": p.label, "region": p.region, "region_is_mean": p.region_mean, "england": p.england}
            for p in t.periods
        ],
        "region_change": t.region_change,
        "england_change": t.england_change,
        "region_direction": t.region_direction,
        "councils": [
            {
                "council": _ref(m.authority),
                "before": m.before,
                "after": m.after,
                "change": m.change,
                "direction": m.direction,
            }
            for way in ORDER
            for m in t.moves.get(way, [])
        ],
        "not_compared": [_ref(a) for a in t.not_compared],
    }


@router.get(
    "/alliances/{region}/priorities",
    response={200: list[PrioritySummaryOut], **NOT_FOUND, **INVALID},
    summary="An alliance's priorities",
)
@paginate(Pagination)
def list_priorities(request, region: Code):
    """The regional improvement priorities an alliance agreed (active first, latest agreed first), each
    with the indicators that track it. 404 for a region with no alliance."""
    alliance = selectors.alliance(region)
    return [_summary(p) for p in priorities.priorities(alliance)]


@router.get(
    "/priorities/{priority_id}", response={200: PriorityOut, **NOT_FOUND, **INVALID}, summary="One priority"
)
def get_priority(request, priority_id: Id):
    """A priority tracked over time: for each indicator, the region's and England's figures for every
    period, the period current when it was agreed (the latest ending in a year before the agreement), the
    change since, and which of the region's councils improved or worsened between that period and the
    latest, in the direction of the indicator's polarity (rose or fell where it has none)."""
    found = Priority.objects.select_related("alliance__region").filter(pk=priority_id).first()
    if found is None:
        raise Http404(f"No priority {priority_id}.")
    tracked, missing = priority_tracking.track(found)
    return {
        **_summary(found),
        "region": found.alliance.region.name,
        "tracking": [_tracked(t) for t in tracked],
        "not_loaded": missing,
    }
