"""Partners in Practice eligibility and statutory intervention status (published data, public)."""

from datetime import date

from django.utils import timezone
from ninja import Query, Router, Schema

from slihub.alliances import partners
from slihub.api.schemas import INVALID, NOT_FOUND, Code, InputSchema
from slihub.inspections import interventions
from slihub.places import selectors as places

router = Router(tags=["partners in practice"])


class JudgmentsOut(Schema):
    # Ofsted's exact wording; null where the record has no grade.
    overall_effectiveness: str | None
    impact_of_leaders: str | None
    help_and_protection: str | None
    children_in_care: str | None
    care_leavers: str | None


class RestsOnOut(Schema):
    type: str
    type_name: str
    start_date: date
    end_date: date | None
    publication_date: date
    judgments: JudgmentsOut
    report_url: str | None
    official: bool  # in Ofsted's official statistics (to March 2025); else from Data to Insight's scrape


class InterventionOut(Schema):
    kind: str
    kind_name: str
    started_on: date
    ended_on: date | None  # its last day in force; null while in force
    source_url: str
    notes: str = ""


class StandingOut(Schema):
    code: str
    ons_code: str
    name: str
    region: str
    eligible: bool
    status: str  # "eligible", "not eligible" or "not yet inspected"
    since: date | None  # the day eligibility last changed to what it is
    reason: str
    inspection: RestsOnOut | None  # the latest standard or short inspection published by as_of
    interventions: list[InterventionOut]  # in force on as_of


class EligibilityChangeOut(Schema):
    code: str
    name: str
    day: date
    change: str  # "gained" or "lost"
    reason: str
    inspection_publication_date: date | None
    intervention_kind: str | None


class EligibilityOut(Schema):
    as_of: date
    eligible: int
    councils: list[StandingOut]
    history: list[EligibilityChangeOut]  # every gain and loss up to as_of, latest first


class AsOfQuery(InputSchema):
    as_of: date | None = None  # YYYY-MM-DD; today when not given


@router.get(
    "/partners-in-practice",
    response={200: EligibilityOut, **INVALID},
    summary="Partners in Practice eligibility of every council on a day",
)
def eligibility(request, query: Query[AsOfQuery]):
    """Every council that existed on `as_of` (today by default): eligible or not, the ILACS standard or
    short inspection it rests on, the interventions in force, and the reason in words; then every gain
    and loss of eligibility nationally up to that day. A council is eligible when its latest inspection
    published by then is Good or Outstanding overall and in every judgment Ofsted made (no care-leavers
    grade before 2023 is not held against it; any other missing grade is), and no statutory
    intervention is in force. 422 for a date that is not a real YYYY-MM-DD date."""
    as_of = query.as_of or timezone.localdate()
    report = partners.national(as_of)
    return {
        "as_of": as_of,
        "eligible": len(report.eligible),
        "councils": [s.as_dict() for s in report.standings],
        "history": [c.as_dict() for c in report.history],
    }


class InterventionStatusOut(Schema):
    code: str
    name: str
    as_of: date
    under_intervention: bool
    in_force: list[InterventionOut]
    past: list[InterventionOut]  # ended, or recorded to start later


def _intervention(i) -> dict:
    return {
        "kind": i.kind,
        "kind_name": i.get_kind_display(),
        "started_on": i.started_on,
        "ended_on": i.ended_on,
        "source_url": i.source_url,
        "notes": i.notes,
    }


@router.get(
    "/authorities/{code}/intervention-status",
    response={200: InterventionStatusOut, **NOT_FOUND, **INVALID},
    summary="An authority's statutory interventions, in force and past",
)
def intervention_status(request, code: Code):
    """The statutory interventions recorded for the authority (DfE code, ONS code or former ONS code):
    those in force today and the others. 404 when no authority has that code."""
    authority = places.authority(code)
    today = timezone.localdate()
    in_force, past = interventions.for_authority(authority, today)
    return {
        "code": authority.code,
        "name": authority.name,
        "as_of": today,
        "under_intervention": bool(in_force),
        "in_force": [_intervention(i) for i in in_force],
        "past": [_intervention(i) for i in past],
    }
