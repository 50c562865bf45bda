"""Sample activity for a hub on one's own machine, so that a newcomer sees each page with content.

`seed()` makes, through the hub's own services (so permissions, the audit log and the ledger's double entry
are exactly as if people had done it, signed in with the demo accounts): specialists in Camden, Islington
and Leeds; an agreed loan from Camden to Leeds with days delivered to the ledger; a loan Leeds offers to
Islington, waiting for Islington; an open help request from Camden; a local practice from Islington in
peer review; a draft self-assessment for Camden in the London alliance's cycle; and a published London
workshop with registrations. Everything a person reads starts "Sample:".

Every record made is listed in DemoRecord under the step that made it. A step already done is skipped, so
seeding twice changes nothing. `remove()` deletes exactly the listed records, newest first; one that
something made since depends on (a user's loan on a sample help request, say) is kept and named.
Never in production: the command refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from slihub.accounts.models import Membership, Role, User
from slihub.alliances import selectors as alliance_selectors
from slihub.alliances import selfassessment
from slihub.alliances import services as alliance_services
from slihub.alliances.models import Alliance, SelfAssessment, SelfAssessmentEvent, SelfRating
from slihub.evidence import services as evidence_services
from slihub.evidence.models import LocalPracticeEvent, PeerValidation
from slihub.exchange import services as exchange
from slihub.exchange.models import AvailabilityWindow, HelpRequest, LedgerEntry, Mode, Seniority, Specialist
from slihub.inspections.models import Grade
from slihub.places.models import Authority, Region
from slihub.web.models import DemoRecord
from slihub.workshops import services as workshops
from slihub.workshops.models import Event

SAMPLE = "Sample: "
CAMDEN, ISLINGTON, LEEDS, LONDON = "202", "206", "383", "E12000007"

# Rows that belong to a sample record and go with it: its history, its availability, its ratings, the
# validators assigned to it. Removing a sample record never takes anything else with it.
OWNED_ROWS = (AvailabilityWindow, LocalPracticeEvent, PeerValidation, SelfAssessmentEvent, SelfRating)


class DemoDataError(Exception):
    """Sample activity cannot be made (the demo accounts or the reference data are missing)."""


@dataclass
class Removal:
    removed: int = 0
    kept: list[str] = field(default_factory=list)  # what was kept, and why, in words


# --------------------------------------------------------------------------------------------------
# Seeding


def _people() -> dict[str, User]:
    from slihub.accounts.demo import DEMO_PEOPLE

    names = [p.username for p in DEMO_PEOPLE]
    found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    missing = [n for n in names if n not in found]
    if missing:
        raise DemoDataError(
            f"The demo accounts are missing ({', '.join(missing)}): run slihub create-demo-accounts first."
        )
    return found


def _register(key: str, objects: Iterable[models.Model]) -> None:
    for obj in objects:
        DemoRecord.objects.create(
            key=key, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )


def _as(user: User, service: Callable, **kwargs):
    """A service called as `user` would call it from a page: the audit log names them."""
    with set_actor(user):
        return service(user=user, **kwargs)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# The sample specialist in each council's bank: (admin, name, role, seniority, expertise, days a week).
SPECIALISTS = {
    CAMDEN: (
        "camden.admin",
        "Sample: Camden front door lead",
        "Team manager",
        Seniority.TEAM_MANAGER,
        ["front_door_mash", "child_protection"],
        3,
    ),
    LEEDS: (
        "leeds.admin",
        "Sample: Leeds placements lead",
        "Service manager",
        Seniority.SERVICE_MANAGER,
        ["children_in_care", "commissioning_sufficiency"],
        2,
    ),
    ISLINGTON: (
        "islington.admin",
        "Sample: Islington practice auditor",
        "Senior practitioner",
        Seniority.SENIOR_PRACTITIONER,
        ["quality_assurance", "performance_data"],
        2,
    ),
}


def _specialist(code, p, councils, today):
    admin, name, role, seniority, expertise, days = SPECIALISTS[code]
    specialist = _as(
        p[admin],
        exchange.add_specialist,
        authority=councils[code],
        name=name,
        role=role,
        seniority=seniority,
        expertise=expertise,
        days_per_week=days,
        consent_to_list=True,
        windows=[(today, today + timedelta(days=364))],
        email=f"{name.removeprefix(SAMPLE).lower().replace(' ', '.')}@example.gov.uk",
    )
    return [specialist]


def _bank(councils, code) -> Specialist | None:
    """The council's sample specialist (by the registry, not the name: anyone may type "Sample:")."""
    seeded = DemoRecord.objects.filter(content_type=ContentType.objects.get_for_model(Specialist))
    return councils[code].specialists.filter(pk__in=seeded.values("object_id"), is_active=True).first()


def _agreed_loan(p, councils, today):
    """Leeds asks, Camden offers its specialist, Leeds accepts, Camden records two days delivered."""
    specialist = _bank(councils, CAMDEN)
    if specialist is None:
        return []
    request = _as(
        p["leeds.admin"],
        exchange.create_help_request,
        authority=councils[LEEDS],
        title="Sample: Re-referrals at our front door are rising",
        expertise_needed=["front_door_mash"],
        days_per_week=2,
        mode=Mode.REMOTE,
        description="Sample: we want help to redesign how the front door and MASH decide on contacts, so "
        "that fewer families come back within a year.",
        start=today,
        end=today + timedelta(days=90),
        urgency=HelpRequest.Urgency.SOON,
    )
    loan = _as(p["camden.admin"], exchange.offer_specialist, request=request, specialist=specialist)
    _as(p["leeds.admin"], exchange.accept_loan, loan=loan)
    delivery = _as(
        p["camden.admin"],
        exchange.record_delivery,
        loan=loan,
        days=2,
        on=today,
        memo="Sample: first week, reviewing contacts",
    )
    return [request, loan, delivery, *LedgerEntry.objects.filter(transaction=delivery).order_by("pk")]


def _proposed_loan(p, councils, today):
    """Islington asks; Leeds offers its specialist; Islington has yet to accept or decline."""
    specialist = _bank(councils, LEEDS)
    if specialist is None:
        return []
    start = today + timedelta(days=28)
    request = _as(
        p["islington.admin"],
        exchange.create_help_request,
        authority=councils[ISLINGTON],
        title="Sample: Fewer placement moves for children in care",
        expertise_needed=["children_in_care"],
        description="Sample: too many of our children in care move placement three or more times a year.",
        start=start,
        end=start + timedelta(days=120),
        days_per_week=1,
        mode=Mode.REMOTE,
    )
    loan = _as(p["leeds.admin"], exchange.offer_specialist, request=request, specialist=specialist)
    return [request, loan]


def _open_request(p, councils, today):
    """Camden asks Islington directly for help with its case audits; nobody has offered yet."""
    start = today + timedelta(days=42)
    return [
        _as(
            p["camden.admin"],
            exchange.create_help_request,
            authority=councils[CAMDEN],
            partner=councils[ISLINGTON],
            title="Sample: Help with our case audit programme",
            expertise_needed=["quality_assurance"],
            description="Sample: we want an experienced auditor to moderate a month of our case audits.",
            start=start,
            end=start + timedelta(days=60),
            days_per_week=1,
            mode=Mode.REMOTE,
        )
    ]


def _local_practice(p, councils, today):
    """Islington submits a practice; London's coordinator assigns validators from Camden and Leeds."""
    practice = _as(
        p["islington.analyst"],
        evidence_services.submit_local_practice,
        authority=councils[ISLINGTON],
        title="Sample: Family group conferences before child protection",
        summary="Sample: every family at the point of a strategy discussion is offered a family group "
        "conference within ten working days.",
        evidence="Sample: 38 families in the first year; the share stepping down from a plan rose.",
        themes=["vulnerable_children", "parents_carers_families"],
        for_whom="Families with children on the edge of a child protection plan",
        outcome_measure="Children becoming subject to a second child protection plan within two years",
        outcome_before="24%",
        outcome_after="17%",
    )
    validators = [
        Membership.objects.get(user=p[name], authority=councils[code], role=Role.COUNCIL_MEMBER)
        for name, code in (("camden.analyst", CAMDEN), ("leeds.analyst", LEEDS))
    ]
    _as(
        p["london.coordinator"],
        evidence_services.assign_validators,
        local_practice=practice,
        memberships=validators,
    )
    return [practice]


def _self_assessment(p, councils, today):
    """A draft of Camden's self-assessment in the London alliance's cycle (the cycle made if it has none)."""
    alliance = Alliance.objects.filter(region__code=LONDON).first()
    if alliance is None:
        return []  # the alliances are made by load-public-data; nothing to write into yet
    made = []
    cycle = alliance_selectors.current_cycle(alliance, today)
    if cycle is None:
        year = today.year if today.month >= 9 else today.year - 1
        cycle = _as(
            p["london.coordinator"],
            alliance_services.set_cycle,
            alliance=alliance,
            year=year,
            **alliance_services.suggested_cycle(year),
        )
        made.append(cycle)
    if SelfAssessment.objects.filter(authority=councils[CAMDEN], cycle=cycle).exists():
        return made  # Camden's own: never written over
    assessment = _as(p["camden.analyst"], selfassessment.start, authority=councils[CAMDEN], cycle=cycle)
    _as(
        p["camden.analyst"],
        selfassessment.save_answers,
        assessment=assessment,
        answers={
            "quality": "Sample: audits show most children are seen alone and plans say what will change.",
            "how_known": "Sample: monthly case audits, practice weeks and what families tell us.",
        },
        ratings={
            "impact_of_leaders": {
                "grade": Grade.GOOD,
                "evidence": "Sample: a stable leadership team since 2023.",
            }
        },
    )
    return [*made, assessment]


def _workshop(p, councils, today):
    """A published London workshop, with places taken by staff of Camden and Islington."""
    day = today + timedelta(days=21)
    event = _as(
        p["london.coordinator"],
        workshops.create_event,
        title="Sample: Learning from family group conferences",
        summary="Sample: Islington shares what a year of family group conferences has changed, and we "
        "discuss how other councils could try it.",
        theme="vulnerable_children",
        region=Region.objects.get(code=LONDON),
        format=Event.Format.ONLINE,
        online_link="https://meet.example.org/sample-workshop",
        starts_at=_at(day, 10),
        ends_at=_at(day, 12, 30),
        capacity=30,
    )
    _as(p["london.coordinator"], workshops.publish_event, event=event)
    places = [
        _as(p[name], workshops.register, event=event) for name in ("camden.analyst", "islington.analyst")
    ]
    return [event, *places]


STEPS: tuple[tuple[str, str, Callable], ...] = (
    ("specialist-camden", "a specialist in Camden's bank", partial(_specialist, CAMDEN)),
    ("specialist-leeds", "a specialist in Leeds's bank", partial(_specialist, LEEDS)),
    ("specialist-islington", "a specialist in Islington's bank", partial(_specialist, ISLINGTON)),
    ("agreed-loan", "an agreed loan from Camden to Leeds, 2 days delivered to the ledger", _agreed_loan),
    ("proposed-loan", "a loan Leeds offers to Islington, waiting for Islington", _proposed_loan),
    ("open-request", "an open help request from Camden, asking Islington", _open_request),
    ("local-practice", "a local practice from Islington in peer review", _local_practice),
    ("self-assessment", "a draft self-assessment for Camden in the London alliance", _self_assessment),
    ("workshop", "a published London workshop with 2 places taken", _workshop),
)


def seed(*, today: date | None = None) -> list[tuple[str, bool]]:
    """(what, made now?) for each step; a step already done is left as it is."""
    today = today or timezone.localdate()
    people = _people()
    councils = {a.code: a for a in Authority.objects.filter(code__in=(CAMDEN, ISLINGTON, LEEDS))}
    if len(councils) < 3:
        raise DemoDataError("Load the reference data first: slihub load-public-data")
    done = set(DemoRecord.objects.values_list("key", flat=True))
    report = []
    for key, what, step in STEPS:
        if key in done:
            report.append((what, False))
            continue
        with transaction.atomic():
            made = step(people, councils, today)
            _register(key, made)
        # nothing made (no alliance yet, a sample specialist withdrawn): tried again next time
        report.append((what, bool(made)))
    return report


# --------------------------------------------------------------------------------------------------
# Removal


def _label(obj: models.Model) -> str:
    text = str(obj)
    return f"{obj._meta.verbose_name} {text!r}" if text else obj._meta.verbose_name


def _would_take(obj: models.Model) -> list[models.Model]:
    """Everything deleting `obj` would delete with it."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    taken = [o for instances in collector.data.values() for o in instances]
    for queryset in collector.fast_deletes:
        taken.extend(queryset)
    return taken


def _kept(obj: models.Model, blocker: models.Model) -> str:
    return f"{_label(obj)}: kept, because {_label(blocker)} was made since and depends on it"


def remove() -> Removal:
    """Delete every seeded record that is still there, newest first, in one transaction; one that other
    records depend on, or whose deletion would take anything not seeded with it, is kept and named."""
    result = Removal()
    with transaction.atomic():
        records = list(DemoRecord.objects.select_related("content_type").order_by("-pk"))
        seeded = {(r.content_type_id, r.object_id) for r in records}
        for record in records:
            model = record.content_type.model_class()
            obj = model.objects.filter(pk=record.object_id).first() if model else None
            if obj is None:  # gone already (deleted by someone, or with a record removed before it)
                record.delete()
                continue
            try:
                taken = _would_take(obj)
            except (ProtectedError, RestrictedError) as error:
                blockers = (
                    error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
                )
                result.kept.append(_kept(obj, next(iter(blockers))))
                continue
            foreign = [
                o
                for o in taken
                if o != obj
                and not isinstance(o, OWNED_ROWS)
                and (ContentType.objects.get_for_model(o).pk, o.pk) not in seeded
            ]
            if foreign:
                result.kept.append(_kept(obj, foreign[0]))
                continue
            obj.delete()
            record.delete()
            result.removed += 1
    return result
