"""Writes to alliances: the alliances themselves, their annual cycle, membership agreement signatures,
groups, lead director and core indicators. Keyword-only arguments, one transaction each, validated.

Who may change an alliance: national admins, and the alliance coordinators of its region.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.alliances.models import Alliance, AllianceGroup, Cycle, Signature
from slihub.indicators.models import Indicator
from slihub.places import releases
from slihub.places.models import Authority, Region

# The release every cached alliance page reads (slihub/places/releases.py): raised by every write here
# that changes what the public pages show (core indicators, groups, signatures, lead director).
RELEASE = "alliances"

# The tartan rug's default columns, in their order: headline indicators of children's services. Each
# line is one measure: the first of its codes that is loaded stands for it (LAIT's code first, then
# DfE's tidy-file equivalent), and a measure with none loaded is skipped.
DEFAULT_CORE_INDICATORS: tuple[tuple[str, ...], ...] = (
    ("CPP_Total_Rateper10,000",),  # referrals to children's social care, rate per 10,000
    ("ReReferral", "dfe:rereferral_percent"),  # re-referrals within 12 months, %
    ("CIN_Refferals_NFA",),  # referrals closed with no further action
    ("Continue_Assess_Comp",),  # assessments completed within 45 working days
    ("CIN",),  # children in need, rate per 10,000
    ("CPP_rate",),  # child protection plans, rate per 10,000
    ("PrevRegCPR", "dfe:cpp_subsequent_percent"),  # second or subsequent child protection plans, %
    ("CPPlans2yrs",),  # child protection plans lasting two years or more, ceasing in the year
    ("LAC", "dfe:cla_rate_31_march"),  # children looked after, rate per 10,000
    ("dfe:cla_starting_rate",),  # children starting to be looked after, rate per 10,000
    ("LACStable_2016on", "dfe:cla_3_placements_year"),  # three or more placements in the year, %
    ("LAC_LongStable%", "dfe:cla_long_term_stability"),  # long-term placement stability, %
    ("LACDistance",),  # placed more than 20 miles from home, outside the authority, %
    ("dfe:absence_persistent_cla",),  # looked-after children persistently absent from school, %
    ("dfe:ks4_attainment8_cla",),  # looked-after children's Attainment 8
    ("CareLeaverEET", "dfe:care_leavers_eet_19_21"),  # care leavers in education, employment or training
    ("CareLeaverAcc", "dfe:care_leavers_suitable_19_21"),  # care leavers in suitable accommodation
    ("Stability_SocialWorker",),  # children with three or more social workers in the year
    ("Work_Force_TO_Rate", "dfe:sw_turnover_rate"),  # social worker turnover, %
    ("Work_Force_Agecy_Rate", "dfe:sw_agency_rate"),  # agency social workers, %
    ("Work_Force_Vac_Rate", "dfe:sw_vacancy_rate"),  # social worker vacancies, %
    ("Work_Force_AvgNumCase_SW",),  # social workers' average caseload
    ("Work_Force_SWAbsence",),  # social worker absence rate
    ("Total_CS_Spend_per_child", "dfe:cs_spend_per_child"),  # spending per child, where loaded
)


def default_core_indicators() -> list[str]:
    """The slugs of DEFAULT_CORE_INDICATORS that are loaded, in order (one query)."""
    codes = [code for line in DEFAULT_CORE_INDICATORS for code in line]
    found = dict(Indicator.objects.filter(code__in=codes).values_list("code", "slug"))
    chosen = []
    for line in DEFAULT_CORE_INDICATORS:
        slug = next((found[code] for code in line if code in found), None)
        if slug is not None:
            chosen.append(slug)
    return chosen


def alliance_name(region: Region) -> str:
    return f"{region.name} improvement alliance"


@transaction.atomic
def ensure_alliances(*, progress=None) -> list[Alliance]:
    """One alliance per English region, made if missing (idempotent: an existing alliance keeps its
    name, lead director and core indicators; one without core indicators gets the defaults)."""
    regions = list(Region.objects.filter(parent=None).order_by("code"))
    existing = {a.region_id: a for a in Alliance.objects.filter(region__in=regions)}
    defaults = default_core_indicators()
    made, changed = [], False
    for region in regions:
        alliance = existing.get(region.id)
        if alliance is None:
            alliance = Alliance.objects.create(
                region=region, name=alliance_name(region), core_indicators=defaults
            )
            changed = True
        elif not alliance.core_indicators and defaults:
            alliance.core_indicators = defaults
            alliance.save(update_fields=["core_indicators"])
            changed = True
        made.append(alliance)
    if changed:
        releases.bump(RELEASE)
    if progress:
        progress(f"   {len(made)} alliances, {len(defaults)} default core indicators")
    return made


def can_manage(user, alliance: Alliance) -> bool:
    scope = scope_of(user)
    return scope.national or alliance.region_id in scope.coordinates


def require_manage(user, alliance: Alliance) -> None:
    if not can_manage(user, alliance):
        raise PermissionDenied(
            f"Only the {alliance.region.name} alliance's coordinators and national admins can change it."
        )


# The stages of the cycle in order, with the words an error uses.
STAGES = (
    ("self_assessment_opens", "Self-assessment opens"),
    ("self_assessment_due", "Self-assessment due"),
    ("challenge_opens", "Peer challenge opens"),
    ("challenge_closes", "Peer challenge closes"),
    ("plan_due", "Regional plan due"),
    ("delivery_starts", "Delivery starts"),
)


def suggested_cycle(year: int) -> dict[str, date]:
    """The usual cycle starting in `year`: self-assessment November to December, peer challenge January
    to February, the regional plan in March, delivery from April."""
    return {
        "self_assessment_opens": date(year, 11, 1),
        "self_assessment_due": date(year, 12, 15),
        "challenge_opens": date(year + 1, 1, 6),
        "challenge_closes": date(year + 1, 2, 28),
        "plan_due": date(year + 1, 3, 31),
        "delivery_starts": date(year + 1, 4, 1),
    }


def cycle_errors(dates: dict[str, date]) -> dict[str, str]:
    """field -> message for each stage that comes before the one it follows."""
    errors = {}
    for (earlier, earlier_label), (later, later_label) in zip(STAGES, STAGES[1:], strict=False):
        if dates.get(earlier) and dates.get(later) and dates[later] < dates[earlier]:
            errors[later] = f"{later_label} must be the same as or after {earlier_label.lower()}"
    return errors


@transaction.atomic
def set_cycle(*, user, alliance: Alliance, year: int, **dates: date) -> Cycle:
    """Create or change the alliance's cycle for `year`; the stages must be in order."""
    require_manage(user, alliance)
    missing = {name: f"Enter the date {label.lower()}" for name, label in STAGES if not dates.get(name)}
    if missing:
        raise ValidationError(missing)
    unknown = set(dates) - {name for name, _ in STAGES}
    if unknown:
        raise ValueError(f"Unknown stage: {sorted(unknown)}")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Enter a year between 2000 and 2100"})
    errors = cycle_errors(dates)
    if errors:
        raise ValidationError(errors)
    if dates["self_assessment_opens"].year not in (year, year + 1):
        raise ValidationError(
            {"self_assessment_opens": f"Self-assessment must open in {year} or {year + 1} for this cycle"}
        )
    cycle, _ = Cycle.objects.update_or_create(alliance=alliance, year=year, defaults=dates)
    releases.bump(RELEASE)
    return cycle


@transaction.atomic
def record_signature(
    *, user, alliance: Alliance, authority: Authority, role: str, name: str, signed_on: date
) -> Signature:
    """Record (or correct) who signed the membership agreement for a council in one capacity."""
    require_manage(user, alliance)
    if authority.region_id != alliance.region_id or not authority.is_current:
        raise ValidationError({"authority": f"{authority.name} is not a member of {alliance.name}"})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The date signed must be today or in the past"})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the person who signed"})
    signature, _ = Signature.objects.update_or_create(
        alliance=alliance,
        authority=authority,
        role=role,
        defaults={"name": name, "signed_on": signed_on, "recorded_by": user},
    )
    signature.full_clean()
    releases.bump(RELEASE)
    return signature


@transaction.atomic
def delete_signature(*, user, signature: Signature) -> None:
    require_manage(user, signature.alliance)
    signature.delete()
    releases.bump(RELEASE)


@transaction.atomic
def save_group(
    *, user, alliance: Alliance, name: str, authorities: list[Authority], group: AllianceGroup | None = None
) -> AllianceGroup:
    """Create a group of the alliance's councils (a sub-regional cluster), or change one."""
    require_manage(user, alliance)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the group's name"})
    outsiders = [a.name for a in authorities if a.region_id != alliance.region_id or not a.is_current]
    if outsiders:
        raise ValidationError({"authorities": f"Not members of {alliance.name}: {', '.join(outsiders)}"})
    if not authorities:
        raise ValidationError({"authorities": "Choose at least one council"})
    clash = AllianceGroup.objects.filter(alliance=alliance, name__iexact=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"name": f"{alliance.name} already has a group called {name}"})
    if group is None:
        group = AllianceGroup.objects.create(alliance=alliance, name=name)
    else:
        if group.alliance_id != alliance.id:
            raise PermissionDenied("That group belongs to another alliance.")
        group.name = name
        group.save(update_fields=["name"])
    group.authorities.set(authorities)
    releases.bump(RELEASE)
    return group


@transaction.atomic
def delete_group(*, user, group: AllianceGroup) -> None:
    require_manage(user, group.alliance)
    group.delete()
    releases.bump(RELEASE)


MAX_CORE_INDICATORS = 40


@transaction.atomic
def set_leadership(
    *,
    user,
    alliance: Alliance,
    lead_director: str,
    lead_authority: Authority | None,
    core_indicators: list[str],
) -> Alliance:
    """The alliance's lead director (and their council) and its core indicators (slugs, in order)."""
    require_manage(user, alliance)
    if lead_authority is not None and lead_authority.region_id != alliance.region_id:
        raise ValidationError({"lead_authority": f"{lead_authority.name} is not a member of {alliance.name}"})
    slugs = list(dict.fromkeys(s.strip() for s in core_indicators if s.strip()))
    if len(slugs) > MAX_CORE_INDICATORS:
        raise ValidationError({"core_indicators": f"Choose up to {MAX_CORE_INDICATORS} core indicators"})
    known = set(Indicator.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise ValidationError({"core_indicators": f"No indicator has the address name {unknown[0]!r}"})
    alliance.lead_director = lead_director.strip()
    alliance.lead_authority = lead_authority
    alliance.core_indicators = slugs
    alliance.full_clean()
    alliance.save()
    releases.bump(RELEASE)
    return alliance
