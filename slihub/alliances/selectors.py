"""Reads for the alliance pages and API: the alliances, their members, groups, signatures and cycles
(public), and where each council stands in the current cycle (for those allowed to see it).

Where a council stands is read from its self-assessment's status for the cycle, which is private: the
council itself (its staff, chief executive and lead member), its region's coordinators and national
admins see it, each council only its own row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.http import Http404
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.alliances.models import Alliance, AllianceGroup, Cycle, SelfAssessment, Signature, Status
from slihub.alliances.services import STAGES
from slihub.places.models import Authority


def alliances() -> list[Alliance]:
    """Every alliance with its member councils (`members_list`), in region order: two queries."""
    found = list(Alliance.objects.select_related("region", "lead_authority").order_by("region__name"))
    by_region = defaultdict(list)
    for authority in (
        Authority.objects.current().filter(region__in=[a.region_id for a in found]).order_by("name")
    ):
        by_region[authority.region_id].append(authority)
    for alliance in found:
        alliance.members_list = by_region.get(alliance.region_id, [])
    return found


def alliance(slug: str) -> Alliance:
    """The alliance of the region with this slug (or ONS code), or 404."""
    slug = (slug or "").strip()
    found = (
        Alliance.objects.select_related("region", "lead_authority").filter(region__slug=slug.lower()).first()
        or Alliance.objects.select_related("region", "lead_authority")
        .filter(region__code=slug.upper())
        .first()
    )
    if found is None:
        raise Http404(f"No alliance for the region {slug[:60]!r}.")
    return found


def members(alliance: Alliance) -> list[Authority]:
    return list(alliance.members().order_by("name"))


def groups(alliance: Alliance) -> list[AllianceGroup]:
    return list(alliance.groups.prefetch_related("authorities").order_by("name"))


def group(alliance: Alliance, group_id: int) -> AllianceGroup:
    found = alliance.groups.filter(pk=group_id).first()
    if found is None:
        raise Http404("No such group in this alliance.")
    return found


@dataclass
class SignedCouncil:
    authority: Authority
    signatures: list[Signature] = field(default_factory=list)


def signatures(alliance: Alliance, council_list: list[Authority] | None = None) -> list[SignedCouncil]:
    """Each member council with the membership agreement signatures recorded for it (one query, plus
    one for the members when not given)."""
    council_list = members(alliance) if council_list is None else council_list
    by_authority = defaultdict(list)
    for signature in alliance.signatures.all().order_by("role"):
        by_authority[signature.authority_id].append(signature)
    return [SignedCouncil(a, by_authority.get(a.id, [])) for a in council_list]


def cycles(alliance: Alliance) -> list[Cycle]:
    return list(alliance.cycles.order_by("-year"))


def current_cycle(alliance: Alliance, today: date | None = None) -> Cycle | None:
    """The cycle under way: the latest one whose self-assessment has opened; before any has, the next."""
    today = today or timezone.localdate()
    started = alliance.cycles.filter(self_assessment_opens__lte=today).order_by("-year").first()
    return started or alliance.cycles.order_by("year").first()


def cycle_stage(cycle: Cycle, today: date | None = None) -> str:
    """Where the cycle is on `today`, in words."""
    today = today or timezone.localdate()
    if today < cycle.self_assessment_opens:
        return f"Not started: self-assessment opens on {cycle.self_assessment_opens:%-d %B %Y}"
    if today <= cycle.self_assessment_due:
        return "Self-assessment"
    if today < cycle.challenge_opens:
        return "Between self-assessment and peer challenge"
    if today <= cycle.challenge_closes:
        return "Peer challenge"
    if today <= cycle.plan_due:
        return "Agreeing the regional plan"
    if today < cycle.delivery_starts:
        return "Regional plan agreed: delivery about to start"
    return "Delivery"


def cycle_dates(cycle: Cycle) -> list[tuple[str, date]]:
    return [(label, getattr(cycle, name)) for name, label in STAGES]


# Where each council stands ------------------------------------------------------------------------


NOT_STARTED = "Not started"
SUBMITTED_STATES = (Status.SUBMITTED, Status.MODERATED, Status.FINAL)


@dataclass
class Standing:
    """One council's place in the cycle."""

    authority: Authority
    status: str  # a Status value, or '' when not started
    status_label: str
    late: bool
    late_reasons: list[str] = field(default_factory=list)
    overdue_actions: list = field(default_factory=list)  # filled by overdue_actions()


def can_see_standings(user, alliance: Alliance) -> bool:
    """Coordinators of the region and national admins see every council; a council's own people see
    their council's row."""
    scope = scope_of(user)
    if scope.national or alliance.region_id in scope.coordinates:
        return True
    return bool(visible_members(user, alliance))


def visible_members(user, alliance: Alliance, council_list: list[Authority] | None = None) -> list[Authority]:
    council_list = members(alliance) if council_list is None else council_list
    scope = scope_of(user)
    return [a for a in council_list if scope.can_read_cycle(a)]


def overdue_actions(user, alliance: Alliance, cycle: Cycle, today: date) -> dict[int, list]:
    """authority id -> its peer challenge's agreed actions past their due date and not done, for the
    alliance page's standings. Peer challenge actions are recorded by the challenge pages; until an
    action model exists this finds none. Extend here (scoped to what `user` may see) when it does."""
    try:
        from slihub.alliances import challenges
    except ImportError:
        return {}
    finder = getattr(challenges, "overdue_actions_by_authority", None)
    if finder is None:
        return {}
    return finder(user=user, alliance=alliance, cycle=cycle, today=today)


def standings(
    user, alliance: Alliance, cycle: Cycle | None, today: date | None = None, council_list=None
) -> list[Standing]:
    """Each council this user may see with its self-assessment's status in `cycle` and what is late."""
    today = today or timezone.localdate()
    shown = visible_members(user, alliance, council_list)
    if cycle is None or not shown:
        return []
    statuses = dict(
        SelfAssessment.objects.filter(cycle=cycle, authority__in=[a.id for a in shown]).values_list(
            "authority_id", "status"
        )
    )
    overdue = overdue_actions(user, alliance, cycle, today)
    labels = dict(Status.choices)
    out = []
    for authority in shown:
        status = statuses.get(authority.id, "")
        reasons = []
        if today > cycle.self_assessment_due and status not in SUBMITTED_STATES:
            reasons.append(f"Self-assessment was due on {cycle.self_assessment_due:%-d %B %Y}")
        actions = overdue.get(authority.id, [])
        if actions:
            reasons.append(f"{len(actions)} challenge action{'s' if len(actions) != 1 else ''} overdue")
        out.append(
            Standing(
                authority=authority,
                status=status,
                status_label=labels.get(status, NOT_STARTED),
                late=bool(reasons),
                late_reasons=reasons,
                overdue_actions=actions,
            )
        )
    return out
