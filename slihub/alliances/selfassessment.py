"""The annual self-assessment: who may do what, and the state machine every change goes through.

    draft --submit--> submitted --moderate--> moderated --finalise--> final
      ^                   |                       |
      |                   +------return-----------+--> returned --submit--> submitted
      +-- start (created)

- A council's members and admins start their council's self-assessment and write it while it is a
  draft or returned (save_answers, which the pages call as the user types and on every page change).
- They submit it when every question is answered and every judgment area rated.
- The region's alliance coordinator (or a national admin) assigns a moderator: a member of another
  council of the same region. The moderator comments, which makes it moderated.
- The coordinator (or a national admin) returns it with a reason, or finalises it once moderated.

Every transition writes a SelfAssessmentEvent in the same transaction as the change, so the history is
the whole story. Reads go through `SelfAssessment.objects.visible_to(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from slihub.accounts.models import COUNCIL_ROLES, Membership, User, scope_of
from slihub.alliances.models import (
    AREA_CHOICES,
    Cycle,
    SelfAssessment,
    SelfAssessmentEvent,
    SelfRating,
    Status,
)
from slihub.evidence.models import LocalPractice
from slihub.indicators.models import Indicator
from slihub.inspections.models import Grade
from slihub.places.models import Authority

QUESTIONS = (
    ("quality", "What do you know about the quality and impact of social work practice?"),
    ("how_known", "How do you know it?"),
    ("plans", "What are your plans for the next 12 months?"),
)
QUESTION_FIELDS = tuple(name for name, _ in QUESTIONS)
AREAS = tuple(AREA_CHOICES)
AREA_FIELDS = tuple(name for name, _ in AREAS)
ANSWER_MAX = 10000
EVIDENCE_MAX = 5000
MAX_LINKS = 20  # of each kind, per area
EDITABLE = (Status.DRAFT, Status.RETURNED)


# Who may do what ----------------------------------------------------------------------------------


def can_write(user, authority: Authority) -> bool:
    """Council members and admins write their own council's self-assessment (its chief executive and
    lead member read it only)."""
    return user.is_authenticated and authority.id in scope_of(user).member_of


def coordinates(user, authority: Authority) -> bool:
    scope = scope_of(user)
    return scope.national or authority.region_id in scope.coordinates


def can_read(user, authority: Authority, assessment: SelfAssessment | None = None) -> bool:
    if scope_of(user).can_read_cycle(authority):
        return True
    return bool(assessment and user.is_authenticated and assessment.moderator_id == user.id)


def is_editable(user, assessment: SelfAssessment) -> bool:
    return assessment.status in EDITABLE and can_write(user, assessment.authority)


def cycle_for(authority: Authority, year: int) -> Cycle:
    cycle = Cycle.objects.filter(alliance__region_id=authority.region_id, year=year).first()
    if cycle is None:
        raise Http404(f"{authority.name}'s alliance has no cycle for {year} to {year + 1}.")
    return cycle


def _event(assessment: SelfAssessment, user, from_status: str, note: str = "") -> SelfAssessmentEvent:
    return SelfAssessmentEvent.objects.create(
        assessment=assessment, by=user, from_status=from_status, to_status=assessment.status, note=note
    )


def _locked(assessment: SelfAssessment) -> SelfAssessment:
    """The assessment re-read under a row lock, so two transitions never interleave."""
    return (
        SelfAssessment.objects.select_for_update().select_related("authority", "cycle").get(pk=assessment.pk)
    )


def _require_status(assessment: SelfAssessment, allowed, action: str) -> None:
    if assessment.status not in allowed:
        raise ValidationError(
            f"A self-assessment that is {assessment.get_status_display().lower()} cannot be {action}."
        )


# Transitions -------------------------------------------------------------------------------------


@transaction.atomic
def start(*, user, authority: Authority, cycle: Cycle) -> SelfAssessment:
    """The council's self-assessment for the cycle: made as a draft (with an empty rating for every
    judgment area) the first time, returned as it is after that."""
    if not can_write(user, authority):
        raise PermissionDenied(f"Only {authority.name}'s own staff can start its self-assessment.")
    if cycle.alliance.region_id != authority.region_id:
        raise ValidationError(f"{authority.name} is not a member of {cycle.alliance}.")
    assessment, created = SelfAssessment.objects.get_or_create(
        authority=authority, cycle=cycle, defaults={"created_by": user}
    )
    if created:
        SelfRating.objects.bulk_create(SelfRating(assessment=assessment, area=area) for area in AREA_FIELDS)
        _event(assessment, user, "", "Started")
    return assessment


def _clean_text(value, field: str, limit: int, errors: dict) -> str:
    text = str(value or "").replace("\r\n", "\n")
    if "\x00" in text:
        errors.setdefault(field, []).append("Remove the null character from the text")
    elif len(text) > limit:
        errors.setdefault(field, []).append(f"Use {limit:,} characters or fewer")
    return text.strip()


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace(",", "\n").split("\n")
    return [str(v).strip() for v in value if str(v).strip()]


def clean_links(authority: Authority, links: dict, field: str, errors: dict) -> dict:
    """Evidence links as stored: indicator slugs that exist, ids of the council's own local practice,
    and http(s) document addresses; anything else is an error naming it."""
    indicators = list(dict.fromkeys(_as_list(links.get("indicators"))))
    practice = list(dict.fromkeys(_as_list(links.get("local_practice"))))
    documents = list(dict.fromkeys(_as_list(links.get("documents"))))
    for kind, values in (("indicators", indicators), ("local practice", practice), ("documents", documents)):
        if len(values) > MAX_LINKS:
            errors.setdefault(field, []).append(f"Link {MAX_LINKS} {kind} or fewer")
    if indicators:
        known = set(Indicator.objects.filter(slug__in=indicators).values_list("slug", flat=True))
        for slug in indicators:
            if slug not in known:
                errors.setdefault(field, []).append(f"There is no indicator {slug[:60]!r}")
    ids = []
    for value in practice:
        if not value.isdigit() or len(value) > 9:
            errors.setdefault(field, []).append(f"{value[:20]!r} is not a local practice number")
        else:
            ids.append(int(value))
    if ids:
        own = set(LocalPractice.objects.filter(authority=authority, pk__in=ids).values_list("pk", flat=True))
        for pk in ids:
            if pk not in own:
                errors.setdefault(field, []).append(f"Local practice {pk} is not {authority.name}'s")
    for url in documents:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500 or " " in url:
            errors.setdefault(field, []).append(f"{url[:60]!r} is not a web address starting https://")
    return {"indicators": indicators, "local_practice": ids, "documents": documents}


@transaction.atomic
def save_answers(
    *,
    user,
    assessment: SelfAssessment,
    answers: dict[str, str] | None = None,
    ratings: dict[str, dict] | None = None,
) -> SelfAssessment:
    """Save what the user has written so far (autosave): any of the three answers, and for any
    judgment area its grade, evidence and links. Nothing is required yet; what is given must be valid,
    and nothing is saved when any of it is not (ValidationError naming the fields)."""
    assessment = _locked(assessment)
    if not can_write(user, assessment.authority):
        raise PermissionDenied(f"Only {assessment.authority.name}'s own staff can write its self-assessment.")
    _require_status(assessment, EDITABLE, "changed")
    errors: dict[str, list[str]] = {}
    answers = answers or {}
    ratings = ratings or {}
    for name in answers:
        if name not in QUESTION_FIELDS:
            errors.setdefault(name, []).append("There is no such question")
    for area in ratings:
        if area not in AREA_FIELDS:
            errors.setdefault(area, []).append("There is no such judgment area")
    cleaned = {
        name: _clean_text(value, name, ANSWER_MAX, errors)
        for name, value in answers.items()
        if name in QUESTION_FIELDS
    }
    rating_rows = {r.area: r for r in assessment.ratings.all()}
    changed_ratings = []
    for area, given in ratings.items():
        if area not in AREA_FIELDS:
            continue
        row = rating_rows.get(area) or SelfRating(assessment=assessment, area=area)
        if "grade" in given:
            grade = str(given["grade"] or "")
            if grade and grade not in Grade.values:
                errors.setdefault(f"{area}-grade", []).append("Choose one of Ofsted's four grades")
            row.grade = grade
        if "evidence" in given:
            row.evidence = _clean_text(given["evidence"], f"{area}-evidence", EVIDENCE_MAX, errors)
        if "links" in given:
            row.links = clean_links(assessment.authority, given["links"] or {}, f"{area}-links", errors)
        changed_ratings.append(row)
    if errors:
        raise ValidationError(errors)
    if cleaned:
        for name, value in cleaned.items():
            setattr(assessment, name, value)
        assessment.save(update_fields=[*cleaned, "updated_at"])
    for row in changed_ratings:
        row.save()
    if changed_ratings and not cleaned:
        assessment.save(update_fields=["updated_at"])
    return assessment


def missing(assessment: SelfAssessment) -> list[tuple[str, str]]:
    """(field, what is missing) for everything still to do before submitting."""
    gaps = [(name, f"Answer '{label}'") for name, label in QUESTIONS if not getattr(assessment, name).strip()]
    graded = {r.area for r in assessment.ratings.all() if r.grade}
    gaps += [(area, f"Rate '{label}'") for area, label in AREAS if area not in graded]
    return gaps


@transaction.atomic
def submit(*, user, assessment: SelfAssessment) -> SelfAssessment:
    assessment = _locked(assessment)
    if not can_write(user, assessment.authority):
        raise PermissionDenied(
            f"Only {assessment.authority.name}'s own staff can submit its self-assessment."
        )
    _require_status(assessment, EDITABLE, "submitted")
    gaps = missing(assessment)
    if gaps:
        raise ValidationError({name: [text] for name, text in gaps})
    before = assessment.status
    assessment.status = Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(assessment, user, before, "Submitted" if before == Status.DRAFT else "Submitted again")
    return assessment


def moderator_choices(assessment: SelfAssessment) -> list[User]:
    """Who may moderate: staff of another current council of the same region."""
    others = Authority.objects.current().filter(region_id=assessment.authority.region_id)
    others = others.exclude(pk=assessment.authority_id)
    members = Membership.objects.filter(role__in=COUNCIL_ROLES, authority__in=others)
    own = Membership.objects.filter(authority_id=assessment.authority_id).values("user_id")
    return list(
        User.objects.filter(is_active=True, pk__in=members.values("user_id"))
        .exclude(pk__in=own)
        .order_by("full_name", "username")
    )


@transaction.atomic
def assign_moderator(*, user, assessment: SelfAssessment, moderator: User) -> SelfAssessment:
    assessment = _locked(assessment)
    if not coordinates(user, assessment.authority):
        raise PermissionDenied(
            "Only the region's alliance coordinator or a national admin assigns a moderator."
        )
    _require_status(assessment, (Status.SUBMITTED,), "given a moderator")
    if moderator.pk not in {u.pk for u in moderator_choices(assessment)}:
        raise ValidationError(
            {"moderator": [f"Choose someone from another council of {assessment.authority.region.name}"]}
        )
    assessment.moderator = moderator
    assessment.save(update_fields=["moderator", "updated_at"])
    _event(assessment, user, assessment.status, f"Moderator assigned: {moderator}")
    return assessment


@transaction.atomic
def moderate(*, user, assessment: SelfAssessment, comments: str) -> SelfAssessment:
    assessment = _locked(assessment)
    if not user.is_authenticated or assessment.moderator_id != user.id:
        raise PermissionDenied("Only the moderator assigned comments on a self-assessment.")
    _require_status(assessment, (Status.SUBMITTED,), "moderated")
    errors: dict = {}
    text = _clean_text(comments, "comments", ANSWER_MAX, errors)
    if not text and not errors:
        errors["comments"] = ["Enter your comments"]
    if errors:
        raise ValidationError(errors)
    before = assessment.status
    assessment.moderator_comments = text
    assessment.status = Status.MODERATED
    assessment.save(update_fields=["moderator_comments", "status", "updated_at"])
    _event(assessment, user, before, text)
    return assessment


@transaction.atomic
def return_to_council(*, user, assessment: SelfAssessment, reason: str) -> SelfAssessment:
    assessment = _locked(assessment)
    if not coordinates(user, assessment.authority):
        raise PermissionDenied("Only the region's alliance coordinator or a national admin returns it.")
    _require_status(assessment, (Status.SUBMITTED, Status.MODERATED), "returned")
    errors: dict = {}
    text = _clean_text(reason, "reason", 5000, errors)
    if not text and not errors:
        errors["reason"] = ["Enter why it is returned"]
    if errors:
        raise ValidationError(errors)
    before = assessment.status
    assessment.status = Status.RETURNED
    assessment.save(update_fields=["status", "updated_at"])
    _event(assessment, user, before, text)
    return assessment


@transaction.atomic
def finalise(*, user, assessment: SelfAssessment) -> SelfAssessment:
    assessment = _locked(assessment)
    if not coordinates(user, assessment.authority):
        raise PermissionDenied("Only the region's alliance coordinator or a national admin finalises it.")
    _require_status(assessment, (Status.MODERATED,), "finalised before it is moderated")
    before = assessment.status
    assessment.status = Status.FINAL
    assessment.save(update_fields=["status", "updated_at"])
    _event(assessment, user, before, "Finalised")
    return assessment


# Reads -------------------------------------------------------------------------------------------


def visible(user):
    return (
        SelfAssessment.objects.visible_to(user)
        .select_related("authority", "cycle__alliance", "moderator")
        .order_by("-cycle__year", "authority__name")
    )


def find(user, code: str, year: int) -> tuple[Authority, Cycle, SelfAssessment | None]:
    """(authority, cycle, its self-assessment or None); Http404 alike for what is missing and for what
    the user may not see, so the answer never tells whether a private record exists."""
    authority = Authority.objects.filter(code=code, is_current=True).select_related("region").first()
    if authority is None:
        raise Http404("No such council.")
    cycle = Cycle.objects.filter(alliance__region_id=authority.region_id, year=year).first()
    assessment = None
    if cycle is not None:
        assessment = visible(user).filter(authority=authority, cycle=cycle).first()
    if not can_read(user, authority, assessment):
        raise Http404("No such self-assessment.")
    if cycle is None:
        raise Http404(f"{authority.name}'s alliance has no cycle for {year} to {year + 1}.")
    return authority, cycle, assessment


@dataclass
class RatingView:
    area: str
    label: str
    rating: SelfRating


def ratings(assessment: SelfAssessment) -> list[RatingView]:
    rows = {r.area: r for r in assessment.ratings.all()}
    return [
        RatingView(area, label, rows.get(area) or SelfRating(assessment=assessment, area=area))
        for area, label in AREAS
    ]


def history(assessment: SelfAssessment):
    return assessment.events.select_related("by").order_by("at", "id")
