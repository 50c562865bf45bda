"""Peer challenge: groups proposed from the hub's data and solved exactly (slihub/stats/grouping.py),
saved and edited by hand, and the challenges themselves with their agreed actions.

Reads are scoped by `visible_to(user)`; writes check that the user coordinates the alliance's region
(or is a national admin), except agreed actions' follow-up, which the councils in the challenge
record too.

Strength in an area (0 weakest to 1 strongest), from the hub's published data, for the four ILACS
judgment areas after overall effectiveness: the mean of
- the grade of that judgment in the council's latest standard or short ILACS inspection
  (Outstanding 1, Good 2/3, Requires improvement to be good 1/3, Inadequate 0), and
- the quartile band, in the direction of polarity, at the latest period, of each headline indicator
  mapped to the area in INDICATOR_AREAS (A 1, B 2/3, C 1/3, D 0; indicators without a band are left out).
An area with none of these is unknown for that council and adds nothing to its pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from slihub.accounts.models import scope_of
from slihub.alliances.models import (
    AREA_CHOICES,
    ActionStatus,
    AgreedAction,
    Alliance,
    Challenge,
    ChallengeGroup,
    Cycle,
)
from slihub.indicators.models import Comparison, Indicator
from slihub.inspections.models import JUDGMENTS, Grade, Inspection
from slihub.places.models import Authority, Boundary
from slihub.stats import grouping

# The areas groups are balanced on: Ofsted's sub-judgments (overall effectiveness sums them up).
AREAS = tuple((name, label) for name, label in JUDGMENTS if name != "overall_effectiveness")
AREA_SHORT = {
    "impact_of_leaders": "leadership of practice",
    "help_and_protection": "help and protection",
    "children_in_care": "children in care",
    "care_leavers": "care leavers",
}
# Headline indicators (LAIT code or DfE tidy equivalent) by the judgment area they inform.
INDICATOR_AREAS = {
    "ReReferral": "help_and_protection",
    "dfe:rereferral_percent": "help_and_protection",
    "PrevRegCPR": "help_and_protection",
    "dfe:cpp_subsequent_percent": "help_and_protection",
    "CPP_rate": "help_and_protection",
    "CIN": "help_and_protection",
    "LAC": "children_in_care",
    "dfe:cla_rate_31_march": "children_in_care",
    "CareLeaverAcc": "care_leavers",
    "dfe:care_leavers_suitable_19_21": "care_leavers",
    "CareLeaverEET": "care_leavers",
    "dfe:care_leavers_eet_19_21": "care_leavers",
    "Work_Force_TO_Rate": "impact_of_leaders",
    "dfe:sw_turnover_rate": "impact_of_leaders",
    "Work_Force_Agecy_Rate": "impact_of_leaders",
    "dfe:sw_agency_rate": "impact_of_leaders",
    "Work_Force_Vac_Rate": "impact_of_leaders",
    "dfe:sw_vacancy_rate": "impact_of_leaders",
}
GRADE_STRENGTH = {
    Grade.OUTSTANDING: 1.0,
    Grade.GOOD: 2 / 3,
    Grade.REQUIRES_IMPROVEMENT: 1 / 3,
    Grade.INADEQUATE: 0.0,
}
BAND_STRENGTH = {"A": 1.0, "B": 2 / 3, "C": 1 / 3, "D": 0.0}
ENGLAND = (52.56, -1.46)  # lat, lon for a council without a boundary
SIZES = (3, 4)
PAGE_TIME_LIMIT_S = 2.0


class NoCycle(ValueError):
    """The alliance has no cycle for that year."""


def centroid(geometry: dict) -> tuple[float, float]:
    """(lat, lon): the area-weighted centroid of the largest polygon's outer ring."""
    polygons = (
        geometry["coordinates"] if geometry.get("type") == "MultiPolygon" else [geometry["coordinates"]]
    )
    best = None
    for polygon in polygons:
        ring = polygon[0]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a and (best is None or abs(a) > abs(best[0])):
            best = (a, cx / (3 * a), cy / (3 * a))
    if best is None:
        return ENGLAND
    return best[2], best[1]


def strengths(authorities: list[Authority]) -> dict[int, dict[str, float]]:
    """authority id -> {area: strength 0..1} from the latest inspection and headline indicator bands."""
    ids = [a.id for a in authorities]
    scores: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    seen = set()
    for inspection in (
        Inspection.objects.graded().filter(authority__in=ids).order_by("authority", "-start_date")
    ):
        if inspection.authority_id in seen:
            continue
        seen.add(inspection.authority_id)
        for name, _ in AREAS:
            grade = getattr(inspection, name)
            if grade in GRADE_STRENGTH:
                scores[inspection.authority_id][name].append(GRADE_STRENGTH[grade])
    indicators = dict(Indicator.objects.filter(code__in=INDICATOR_AREAS).values_list("id", "code"))
    latest = set()
    rows = (
        Comparison.objects.filter(indicator__in=indicators, authority__in=ids)
        .order_by("authority", "indicator", "-period__sort_key")
        .values_list("authority_id", "indicator_id", "quartile")
    )
    for authority_id, indicator_id, band in rows:
        if (authority_id, indicator_id) in latest:
            continue
        latest.add((authority_id, indicator_id))
        if band in BAND_STRENGTH:
            scores[authority_id][INDICATOR_AREAS[indicators[indicator_id]]].append(BAND_STRENGTH[band])
    return {
        authority_id: {area: sum(values) / len(values) for area, values in areas.items() if values}
        for authority_id, areas in scores.items()
    }


def last_year_pairs(alliance: Alliance, year: int) -> list[list[str]]:
    """The groups of the alliance's previous cycle, as lists of DfE codes."""
    groups = ChallengeGroup.objects.filter(cycle__alliance=alliance, cycle__year=year - 1).prefetch_related(
        "authorities"
    )
    return [sorted(a.code for a in g.authorities.all()) for g in groups]


def region_instance(
    alliance: Alliance, year: int, *, weights: grouping.Weights | None = None
) -> grouping.Instance:
    """The grouping instance for an alliance's current councils in a cycle year."""
    members = list(alliance.members().order_by("name"))
    centroids = {b.authority_id: centroid(b.geometry) for b in Boundary.objects.filter(authority__in=members)}
    strength = strengths(members)
    councils = tuple(
        grouping.Council(
            code=a.code,
            name=a.name,
            lat=centroids.get(a.id, ENGLAND)[0],
            lon=centroids.get(a.id, ENGLAND)[1],
            strengths=strength.get(a.id, {}),
        )
        for a in members
    )
    codes = {c.code for c in councils}
    pairs = set()
    for group in last_year_pairs(alliance, year):
        group = [c for c in group if c in codes]
        pairs.update(frozenset((a, b)) for i, a in enumerate(group) for b in group[i + 1 :])
    return grouping.Instance(
        councils=councils,
        areas=tuple(grouping.Area(code, AREA_SHORT[code]) for code, _ in AREAS),
        last_year=frozenset(pairs),
        sizes=SIZES,
        weights=weights or grouping.Weights(),
    )


# --------------------------------------------------------------------------------------------------
# Challenge groups: propose, save, edit by hand


def require_coordinator(user, alliance: Alliance) -> None:
    scope = scope_of(user)
    if not (scope.national or alliance.region_id in scope.coordinates):
        raise PermissionDenied(
            f"Only the {alliance.region.name} alliance's coordinators and national admins "
            "form its challenge groups."
        )


def propose(alliance: Alliance, year: int, *, time_limit_s: float = PAGE_TIME_LIMIT_S) -> grouping.Result:
    instance = region_instance(alliance, year)
    return grouping.solve(instance, time_limit_s=time_limit_s, lp_bound_when_unproven=False)


def _score_parts(group: grouping.GroupScore) -> dict:
    return {
        "complement": group.complement / grouping.SCALE,
        "repeat": group.repeat / grouping.SCALE,
        "repeat_pairs": group.repeats,
        "travel": group.travel / grouping.SCALE,
        "km_total": round(group.km_total, 3),
        "km_max": round(group.km_max, 3),
        "score": group.score / grouping.SCALE,
    }


@transaction.atomic
def save_groups(
    *, user, cycle: Cycle, groups: list[list[str]], edited_by_hand: bool = False
) -> list[ChallengeGroup]:
    """Replace the cycle's challenge groups with these (lists of DfE codes), scored and explained."""
    require_coordinator(user, cycle.alliance)
    members = {a.code: a for a in cycle.alliance.members()}
    seen: set[str] = set()
    for k, group in enumerate(groups, start=1):
        if not SIZES[0] <= len(group) <= SIZES[-1]:
            raise ValidationError({"groups": f"Group {k} has {len(group)} councils; a group has 3 or 4"})
        for code in group:
            if code not in members:
                raise ValidationError({"groups": f"Group {k}: {code} is not a council of this alliance"})
            if code in seen:
                raise ValidationError({"groups": f"{members[code].name} is in more than one group"})
            seen.add(code)
    missing = sorted(members[c].name for c in set(members) - seen)
    if missing:
        raise ValidationError({"groups": f"Every council needs a group: {', '.join(missing)} has none"})
    instance = region_instance(cycle.alliance, cycle.year)
    table = grouping.pair_scores(instance)
    index = {c.code: k for k, c in enumerate(instance.councils)}
    cycle.challenge_groups.all().delete()
    saved = []
    for number, group in enumerate(groups, start=1):
        scored = grouping.group_score([index[c] for c in group], table)
        row = ChallengeGroup.objects.create(
            cycle=cycle,
            number=number,
            reason=grouping.reason(instance, scored, table),
            score=_score_parts(scored),
            edited_by_hand=edited_by_hand,
        )
        row.authorities.set([members[c] for c in group])
        saved.append(row)
    return saved


@transaction.atomic
def move_council(*, user, cycle: Cycle, code: str, to_number: int) -> list[ChallengeGroup]:
    """Move one council into another group (by hand); sizes must stay 3 or 4."""
    require_coordinator(user, cycle.alliance)
    current = [
        (g.number, sorted(a.code for a in g.authorities.all()))
        for g in cycle.challenge_groups.prefetch_related("authorities")
    ]
    if not any(n == to_number for n, _ in current):
        raise ValidationError({"to_group": "Choose a group"})
    if not any(code in members for _, members in current):
        raise ValidationError({"council": "Choose a council in one of the groups"})
    groups = []
    for number, members in current:
        members = [c for c in members if c != code]
        if number == to_number:
            members.append(code)
        groups.append(members)
    groups = [g for g in groups if g]
    for number, members in zip([n for n, m in current], groups, strict=False):
        if not SIZES[0] <= len(members) <= SIZES[-1]:
            raise ValidationError(
                {
                    "to_group": f"That would leave group {number} with {len(members)} councils; "
                    "a group has 3 or 4"
                }
            )
    return save_groups(user=user, cycle=cycle, groups=groups, edited_by_hand=True)


def cycle_groups(cycle: Cycle) -> list[ChallengeGroup]:
    return list(cycle.challenge_groups.prefetch_related("authorities").order_by("number"))


# --------------------------------------------------------------------------------------------------
# Challenges and agreed actions


AREA_NAMES = dict(AREA_CHOICES)


def visible_challenges(user, *, cycle: Cycle | None = None):
    found = Challenge.objects.visible_to(user).select_related("host", "cycle__alliance__region", "group")
    if cycle is not None:
        found = found.filter(cycle=cycle)
    return found.prefetch_related("challengers", "actions__owner_authority")


def challenge(user, pk: int) -> Challenge | None:
    return visible_challenges(user).filter(pk=pk).first()


def can_follow_up(user, found: Challenge) -> bool:
    scope = scope_of(user)
    if scope.national or found.cycle.alliance.region_id in scope.coordinates:
        return True
    councils = {found.host_id, *(a.id for a in found.challengers.all())}
    return bool(councils & (scope.member_of))


@transaction.atomic
def record_challenge(
    *,
    user,
    cycle: Cycle,
    held_on: date,
    host: Authority,
    challengers: list[Authority],
    focus_areas: list[str],
    focus_indicators: list[str],
    notes: str,
    group: ChallengeGroup | None = None,
) -> Challenge:
    require_coordinator(user, cycle.alliance)
    errors = {}
    region = cycle.alliance.region_id
    if host.region_id != region or not host.is_current:
        errors["host"] = "Choose a council of this alliance"
    if not challengers:
        errors["challengers"] = "Choose at least one challenging council"
    elif any(a.region_id != region for a in challengers):
        errors["challengers"] = "Challengers must be councils of this alliance"
    elif any(a.pk == host.pk for a in challengers):
        errors["challengers"] = "The host cannot challenge itself"
    bad = [a for a in focus_areas if a not in AREA_NAMES]
    if bad:
        errors["focus_areas"] = f"Unknown judgment area: {bad[0]}"
    known = set(Indicator.objects.filter(slug__in=focus_indicators).values_list("slug", flat=True))
    unknown = [s for s in focus_indicators if s not in known]
    if unknown:
        errors["focus_indicators"] = f"No indicator has the slug {unknown[0]}"
    if errors:
        raise ValidationError(errors)
    made = Challenge.objects.create(
        cycle=cycle,
        group=group,
        held_on=held_on,
        host=host,
        focus_areas=list(focus_areas),
        focus_indicators=list(focus_indicators),
        notes=notes,
        recorded_by=user,
    )
    made.challengers.set(challengers)
    return made


@transaction.atomic
def add_action(
    *, user, challenge: Challenge, text: str, owner_authority: Authority, owner_name: str, due_on: date
):
    require_coordinator(user, challenge.cycle.alliance)
    councils = {challenge.host_id, *(a.id for a in challenge.challengers.all())}
    errors = {}
    if not text.strip():
        errors["text"] = "Enter the action"
    if owner_authority.pk not in councils:
        errors["owner_authority"] = "The owner must be one of the councils in the challenge"
    if not owner_name.strip():
        errors["owner_name"] = "Enter the owner's name"
    if errors:
        raise ValidationError(errors)
    return AgreedAction.objects.create(
        challenge=challenge,
        text=text.strip(),
        owner_authority=owner_authority,
        owner_name=owner_name.strip(),
        due_on=due_on,
    )


@transaction.atomic
def follow_up(*, user, action: AgreedAction, status: str, notes: str) -> AgreedAction:
    if not can_follow_up(user, action.challenge):
        raise PermissionDenied("Only the councils in the challenge and its coordinators record follow-up.")
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose open, done or dropped"})
    action.status = status
    action.follow_up = notes
    action.save(update_fields=["status", "follow_up", "updated_at"])
    return action


@dataclass(frozen=True)
class Overdue:
    action: AgreedAction
    days: int


def overdue_actions(
    *, user, alliance: Alliance | None = None, authority: Authority | None = None, today: date
):
    """Open actions past their due date that `user` may see, oldest first; of an alliance's challenges
    and/or of those where `authority` hosted, challenged or owns the action."""
    found = (
        AgreedAction.objects.visible_to(user)
        .overdue(today)
        .select_related("owner_authority", "challenge__host", "challenge__cycle__alliance__region")
    )
    if alliance is not None:
        found = found.filter(challenge__cycle__alliance=alliance)
    if authority is not None:
        involved = Challenge.objects.filter(challengers=authority).values("pk")
        found = found.filter(
            Q(owner_authority=authority) | Q(challenge__host=authority) | Q(challenge__in=involved)
        ).distinct()
    return [Overdue(action=a, days=(today - a.due_on).days) for a in found.order_by("due_on", "id")]


def overdue_actions_by_authority(
    *, user, alliance: Alliance, cycle: Cycle | None, today: date
) -> dict[int, list]:
    """For the alliance page: authority id (the owner) -> its overdue actions in this cycle."""
    by_authority: dict[int, list] = defaultdict(list)
    for item in overdue_actions(user=user, alliance=alliance, today=today):
        if cycle is None or item.action.challenge.cycle_id == cycle.pk:
            by_authority[item.action.owner_authority_id].append(item)
    return dict(by_authority)
