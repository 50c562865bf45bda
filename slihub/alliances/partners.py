"""Partners in Practice eligibility, worked out from Ofsted's judgments and statutory interventions.

The rule, as the hub applies it (documented in README "Partners in Practice eligibility"):

1. The inspection that counts is the council's latest ILACS standard or short inspection whose report
   was published on or before the day asked about. The publication date is the day the grade became
   known, so it is the day eligibility changes; the inspection's own dates are shown beside it.
   Focused and monitoring visits carry no judgments and change nothing.
2. A council is eligible when that inspection is Good or Outstanding overall and in every sub-judgment
   Ofsted made. Ofsted judged care leavers separately only from 1 January 2023: before then a blank
   care-leavers grade is no judgment at all (care leavers were judged with children in care), so it does
   not count against the council. Any other blank grade (a judgment the files lack) is not assumed
   to be Good: the council is not eligible, and the reason says which judgment is missing.
3. A council under a statutory intervention in force on the day (improvement notice, direction,
   commissioner, trust) is not eligible, whatever its grades.
4. Each authority is judged on its own inspections only. An authority that did not exist on the day is
   not listed; a new one (Cumberland, say) is "not yet inspected" until its own first inspection is
   published, whatever its predecessor's grades were.

Everything is computed in memory from two queries (graded inspections, interventions).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Min

from slihub.inspections.models import (
    CARE_LEAVERS_JUDGED_FROM,
    JUDGMENTS,
    Grade,
    Inspection,
    Intervention,
)
from slihub.places.models import Authority, Succession

GOOD_ENOUGH = frozenset({Grade.OUTSTANDING, Grade.GOOD})
JUDGMENT_NAMES = dict(JUDGMENTS)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not eligible"
NOT_INSPECTED = "not yet inspected"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class JudgmentCheck:
    field: str
    name: str  # Ofsted's name for the judgment
    grade: str  # Ofsted's wording, or ""
    met: bool
    note: str = ""  # why a blank is or is not held against the council


def check_judgments(inspection: Inspection) -> list[JudgmentCheck]:
    """Each of the five judgments of a standard or short inspection against the rule."""
    checks = []
    for name, label in JUDGMENTS:
        grade = getattr(inspection, name)
        if grade:
            checks.append(JudgmentCheck(name, label, grade, grade in GOOD_ENOUGH))
        elif name == "care_leavers" and inspection.start_date < CARE_LEAVERS_JUDGED_FROM:
            note = "Not judged separately before 2023 (care leavers were judged with children in care)"
            checks.append(JudgmentCheck(name, label, grade, True, note))
        else:
            checks.append(JudgmentCheck(name, label, grade, False, "No grade in Ofsted's published record"))
    return checks


def inspection_reason(inspection: Inspection) -> tuple[bool, str]:
    """(meets the grades rule, the reason in plain words)."""
    checks = check_judgments(inspection)
    kind = inspection.get_kind_display()
    when = f"{kind} of {long_date(inspection.start_date)}, published {long_date(inspection.published_on)}"
    below = [c for c in checks if c.grade and not c.met]
    missing = [c for c in checks if not c.grade and not c.met]
    if not below and not missing:
        overall = inspection.overall_effectiveness
        return True, f"{overall} overall and Good or Outstanding in every judgment in its {when}"
    parts = []
    if below:
        parts.append("graded " + "; ".join(f"{c.grade} for {_lower_first(c.name)}" for c in below))
    if missing:
        parts.append("no published grade for " + "; ".join(_lower_first(c.name) for c in missing))
    return False, f"In its {when}: " + ", and ".join(parts)


def intervention_reason(interventions: list[Intervention]) -> str:
    items = "; ".join(
        f"{i.get_kind_display().lower()} in force since {long_date(i.started_on)}" for i in interventions
    )
    return f"Under statutory intervention ({items}): a council under intervention is not a partner"


@dataclass
class Standing:
    """One council's eligibility on one day."""

    authority: Authority
    as_of: date
    status: str  # ELIGIBLE, NOT_ELIGIBLE or NOT_INSPECTED
    reason: str
    inspection: Inspection | None = None
    checks: list[JudgmentCheck] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)  # in force on as_of
    since: date | None = None  # the day the council's eligibility last changed to what it is now

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    def as_dict(self) -> dict:
        inspection = self.inspection
        return {
            "code": self.authority.code,
            "ons_code": self.authority.ons_code,
            "name": self.authority.name,
            "region": self.authority.region.name,
            "eligible": self.eligible,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "reason": self.reason,
            "inspection": None
            if inspection is None
            else {
                "type": inspection.kind,
                "type_name": inspection.get_kind_display(),
                "start_date": inspection.start_date.isoformat(),
                "end_date": inspection.end_date.isoformat() if inspection.end_date else None,
                "publication_date": inspection.published_on.isoformat(),
                "judgments": {c.field: c.grade or None for c in self.checks},
                "report_url": inspection.report_url or None,
                "official": inspection.is_official,
            },
            "interventions": [
                {
                    "kind": i.kind,
                    "kind_name": i.get_kind_display(),
                    "started_on": i.started_on.isoformat(),
                    "ended_on": i.ended_on.isoformat() if i.ended_on else None,
                    "source_url": i.source_url,
                }
                for i in self.interventions
            ],
        }


@dataclass(frozen=True)
class Change:
    """A council gaining or losing eligibility on a day, and what caused it."""

    authority: Authority
    day: date
    gained: bool
    reason: str
    inspection: Inspection | None = None
    intervention: Intervention | None = None

    def as_dict(self) -> dict:
        return {
            "code": self.authority.code,
            "name": self.authority.name,
            "day": self.day.isoformat(),
            "change": "gained" if self.gained else "lost",
            "reason": self.reason,
            "inspection_publication_date": self.inspection.published_on.isoformat()
            if self.inspection
            else None,
            "intervention_kind": self.intervention.kind if self.intervention else None,
        }


class Record:
    """Everything eligibility reads, loaded once: authorities, their graded inspections, interventions."""

    def __init__(self, authorities=None):
        query = Authority.objects.select_related("region")
        if authorities is not None:
            query = query.filter(pk__in=[a.pk for a in authorities])
        self.authorities = list(query.order_by("name"))
        ids = [a.pk for a in self.authorities]
        self.inspections: dict[int, list[Inspection]] = defaultdict(list)
        for inspection in (
            Inspection.objects.graded().filter(authority_id__in=ids).order_by("published_on", "start_date")
        ):
            self.inspections[inspection.authority_id].append(inspection)
        self.interventions: dict[int, list[Intervention]] = defaultdict(list)
        for intervention in Intervention.objects.filter(authority_id__in=ids).order_by("started_on", "pk"):
            self.interventions[intervention.authority_id].append(intervention)
        self._changes: dict[int, list[Change]] = {}
        # A successor exists from the reorganisation that made it; any other authority from the start.
        self.began = dict(
            Succession.objects.filter(successor_id__in=ids)
            .exclude(successor_id__in=Succession.objects.values("predecessor_id"))
            .values("successor_id")
            .annotate(first=Min("effective"))
            .values_list("successor_id", "first")
        )

    def exists_on(self, authority: Authority, day: date) -> bool:
        began = self.began.get(authority.pk)
        if began is not None and day < began:
            return False
        return authority.ended_on is None or day < authority.ended_on

    def _raw_standing(self, authority: Authority, day: date) -> Standing:
        published = [i for i in self.inspections[authority.pk] if i.published_on <= day]
        latest = max(published, key=lambda i: (i.start_date, i.published_on), default=None)
        in_force = [i for i in self.interventions[authority.pk] if i.in_force_on(day)]
        in_force.sort(key=lambda i: i.started_on, reverse=True)
        if latest is None:
            reason = "No ILACS standard or short inspection of this council published by then"
            if in_force:
                reason += ". " + intervention_reason(in_force)
            return Standing(authority, day, NOT_INSPECTED, reason, interventions=in_force)
        meets, reason = inspection_reason(latest)
        checks = check_judgments(latest)
        if in_force:
            status = NOT_ELIGIBLE
            reason = intervention_reason(in_force) + (
                ". Its grades would otherwise qualify: " + _lower_first(reason) if meets else ". " + reason
            )
        else:
            status = ELIGIBLE if meets else NOT_ELIGIBLE
        return Standing(authority, day, status, reason, latest, checks, in_force)

    def change_days(self, authority: Authority) -> list[date]:
        """The days on which the council's standing may change, in order."""
        days = {i.published_on for i in self.inspections[authority.pk]}
        for i in self.interventions[authority.pk]:
            days.add(i.started_on)
            if i.ended_on is not None:
                days.add(i.ended_on + timedelta(days=1))
        if authority.pk in self.began:
            days.add(self.began[authority.pk])
        if authority.ended_on is not None:
            days.add(authority.ended_on)
        return sorted(days)

    def changes(self, authority: Authority, until: date | None = None) -> list[Change]:
        """Every gain and loss of eligibility, oldest first (up to `until` when given)."""
        if authority.pk not in self._changes:
            self._changes[authority.pk] = self._work_out_changes(authority)
        return [c for c in self._changes[authority.pk] if until is None or c.day <= until]

    def _work_out_changes(self, authority: Authority) -> list[Change]:
        changes: list[Change] = []
        eligible = False
        for day in self.change_days(authority):
            if not self.exists_on(authority, day):
                if eligible:
                    successors = ", ".join(
                        s.successor.name
                        for s in authority.successions_as_predecessor.select_related("successor")
                    )
                    reason = f"{authority.name} ceased to exist on {long_date(day)}" + (
                        f"; its successors ({successors}) are judged on their own inspections"
                        if successors
                        else ""
                    )
                    changes.append(Change(authority, day, False, reason))
                    eligible = False
                continue
            standing = self._raw_standing(authority, day)
            if standing.eligible == eligible:
                continue
            eligible = standing.eligible
            new_inspection = (
                standing.inspection
                if standing.inspection and standing.inspection.published_on == day
                else None
            )
            started = next((i for i in standing.interventions if i.started_on == day), None)
            ended = next(
                (
                    i
                    for i in self.interventions[authority.pk]
                    if i.ended_on and i.ended_on + timedelta(days=1) == day
                ),
                None,
            )
            if eligible:
                if new_inspection is None and ended is not None:
                    reason = (
                        f"The {ended.get_kind_display().lower()} ended on {long_date(ended.ended_on)}; "
                        + _lower_first(standing.reason)
                    )
                else:
                    reason = standing.reason
                changes.append(
                    Change(
                        authority, day, True, reason, standing.inspection, None if new_inspection else ended
                    )
                )
            else:
                changes.append(
                    Change(
                        authority,
                        day,
                        False,
                        standing.reason,
                        new_inspection,
                        started if not new_inspection else None,
                    )
                )
        return changes

    def standing(self, authority: Authority, day: date) -> Standing:
        standing = self._raw_standing(authority, day)
        history = self.changes(authority, until=day)
        standing.since = history[-1].day if history else None
        if standing.status == NOT_INSPECTED:
            standing.since = None
        return standing

    def eligibility(self, as_of: date) -> list[Standing]:
        """Every council that existed on the day, by name."""
        return [self.standing(a, as_of) for a in self.authorities if self.exists_on(a, as_of)]

    def history(self, until: date | None = None) -> list[Change]:
        """Every gain and loss nationally, latest first."""
        everything = [c for a in self.authorities for c in self.changes(a, until)]
        return sorted(everything, key=lambda c: (c.day, c.authority.name), reverse=True)


def eligibility(as_of: date) -> list[Standing]:
    """Every council's Partners in Practice eligibility on the day (councils that existed then)."""
    return Record().eligibility(as_of)


def council_standing(authority: Authority, as_of: date) -> tuple[Standing | None, list[Change]]:
    """(the council's standing on the day, or None if it did not exist then; its changes, latest first)."""
    record = Record([authority])
    standing = record.standing(authority, as_of) if record.exists_on(authority, as_of) else None
    return standing, list(reversed(record.changes(authority, until=as_of)))


@dataclass
class National:
    as_of: date
    standings: list[Standing]
    history: list[Change]

    @property
    def eligible(self) -> list[Standing]:
        return [s for s in self.standings if s.eligible]

    def counts(self) -> Counter:
        return Counter(s.status for s in self.standings)

    def regions(self) -> list[tuple[str, int, int]]:
        """(region, eligible councils, councils) for each region, by region name."""
        total: Counter = Counter()
        eligible: Counter = Counter()
        for s in self.standings:
            total[s.authority.region.name] += 1
            eligible[s.authority.region.name] += s.eligible
        return [(name, eligible[name], total[name]) for name in sorted(total)]


def national(as_of: date) -> National:
    record = Record()
    return National(as_of, record.eligibility(as_of), record.history(until=as_of))
