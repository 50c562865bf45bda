"""The concentration and polarisation watch, and the directors of children's services recorded in the hub.

The watch answers everyone, scoped as its page is: the headline-indicator gap (published data) for all;
the support and director figures for signed-in council, alliance and national users (else null); the
names of councils both giving and receiving support, and their days, only to national admins and, for
their region's councils, its coordinators (else those lists are empty and only the counts say more).
"""

from datetime import date

from ninja import Router, Schema
from ninja.security import django_auth

from slihub.alliances import selectors, watch
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, AuthorityRef, Code, RegionRef
from slihub.places import selectors as places

router = Router(tags=["concentration watch"])
SOURCE = (
    "Appointments recorded in the hub by national admins and alliance coordinators; not an official dataset."
)


class CouncilDaysOut(Schema):
    council: AuthorityRef
    given: int
    received: int


class SupportYearOut(Schema):
    year: int  # 2026 for April 2026 to March 2027
    label: str
    councils: int  # the area's councils, all counted in the share and the Gini (zeros included)
    days: int  # support days given by the area's councils, cancelled agreements left out
    supporters: int  # councils that gave any support
    top_share: float | None  # share of the days given by the top 10% of councils; null when none given
    top_count: int  # how many councils make the top 10%
    gini: float | None  # Gini index of days given over all the area's councils; null when none given
    both_count: int  # councils that both gave and received support
    both: list[AuthorityRef]  # those of them the user may see named
    by_council: list[CouncilDaysOut]  # days per council, for the councils the user may see named


class GapPointOut(Schema):
    period: str
    councils: int  # councils with a published figure
    per_quarter: int
    best: str  # median of the best quarter, as published values are written
    worst: str
    gap: float  # how much better the best quarter is, in the indicator's unit (never negative)


class GapIndicatorOut(Schema):
    area: str  # the national framework's outcome or enabler, as the headline set arranges it
    slug: str
    name: str
    unit: str
    polarity: str
    direction: str  # "widening", "narrowing", "about the same", or "" with fewer than two periods
    points: list[GapPointOut]


class DirectorCountOut(Schema):
    council: AuthorityRef
    permanent: int
    interim: int


class DirectorsOut(Schema):
    since: date  # appointments starting after this day and up to today are counted
    source: str
    councils: int
    councils_recorded: int  # councils with any appointment recorded in the hub
    permanent: int
    interim: int
    councils_with_many: list[DirectorCountOut]  # 3 or more new directors in five years


class WatchOut(Schema):
    area: str
    region: RegionRef | None
    councils: int
    gap: list[GapIndicatorOut]
    signed_in_figures: (
        bool  # false: support and directors are null (sign in as a council, alliance or national user)
    )
    support: list[SupportYearOut] | None
    directors: DirectorsOut | None


def _ref(authority) -> dict:
    return {"code": authority.code, "ons_code": authority.ons_code, "name": authority.name}


def _out(found: watch.Watch) -> dict:
    support = directors = None
    if found.aggregates:
        support = [
            {
                "year": y.year,
                "label": y.label,
                "councils": y.councils,
                "days": y.days,
                "supporters": y.supporters,
                "top_share": y.top_share,
                "top_count": y.top_count,
                "gini": y.gini,
                "both_count": len(y.both),
                "both": [_ref(a) for a in found.named(y.both)],
                "by_council": [
                    {"council": _ref(a), "given": y.given.get(a.id, 0), "received": y.received.get(a.id, 0)}
                    for a in found.named(found.councils)
                    if a.id in y.given or a.id in y.received
                ],
            }
            for y in found.years
        ]
        d = found.directors
        directors = {
            "since": d.since,
            "source": SOURCE,
            "councils": d.councils,
            "councils_recorded": d.councils_recorded,
            "permanent": d.permanent,
            "interim": d.interim,
            "councils_with_many": [
                {"council": _ref(c.authority), "permanent": c.permanent, "interim": c.interim} for c in d.many
            ],
        }
    return {
        "area": found.area,
        "region": {"code": found.region.code, "name": found.region.name} if found.region else None,
        "councils": len(found.councils),
        "gap": [
            {
                "area": g.area,
                "slug": g.indicator.slug,
                "name": g.indicator.name,
                "unit": g.indicator.unit,
                "polarity": g.indicator.polarity,
                "direction": g.direction,
                "points": [
                    {
                        "period": p.period,
                        "councils": p.councils,
                        "per_quarter": p.per_quarter,
                        "best": p.best,
                        "worst": p.worst,
                        "gap": p.gap,
                    }
                    for p in g.points
                ],
            }
            for g in found.gaps
        ],
        "signed_in_figures": found.aggregates,
        "support": support,
        "directors": directors,
    }


@router.get(
    "/watch", response={200: WatchOut}, summary="The concentration and polarisation watch for England"
)
def national_watch(request):
    """Per year April to March: support days given, councils giving, the top 10% share and the Gini index
    over all England's councils (zeros included), councils both giving and receiving; the gap between
    the best and worst quarters of councils on the headline indicators; directors' changes in five
    years. Support and directors are null unless signed in as a council, alliance or national user."""
    return _out(watch.watch(request.user))


@router.get(
    "/watch/{region}",
    response={200: WatchOut, **NOT_FOUND, **INVALID},
    summary="The concentration and polarisation watch for one region",
)
def regional_watch(request, region: Code):
    """As /watch, over the region's councils. `region` is the region's slug (london) or ONS code."""
    alliance = selectors.alliance(region)
    return _out(watch.watch(request.user, alliance.region))


class AppointmentOut(Schema):
    id: int
    name: str
    started_on: date
    ended_on: date | None  # their last day in post; null while in post
    interim: bool
    source_url: str


class DirectorsOfOut(Schema):
    council: AuthorityRef
    source: str
    appointments: list[AppointmentOut]  # latest first


@router.get(
    "/directors/{code}",
    auth=django_auth,
    response={200: DirectorsOfOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A council's directors of children's services, as recorded in the hub",
    tags=["concentration watch (signed in)"],
)
def council_directors(request, code: Code):
    """Every signed-in user. Recorded by national admins and the region's coordinators; not an
    official dataset. 404 for a code that names no council."""
    authority = places.authority(code)
    return {
        "council": _ref(authority),
        "source": SOURCE,
        "appointments": [
            {
                "id": a.id,
                "name": a.name,
                "started_on": a.started_on,
                "ended_on": a.ended_on,
                "interim": a.interim,
                "source_url": a.source_url,
            }
            for a in watch.appointments(authority)
        ],
    }
