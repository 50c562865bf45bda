"""Writes to the evidence library: loading the starter content, atomically and idempotently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from slihub.accounts.models import COUNCIL_ROLES, Membership, scope_of
from slihub.evidence import content, importers, search, synthesis
from slihub.evidence.models import (
    THEME_LABELS,
    EffectEstimate,
    LocalPractice,
    LocalPracticeEvent,
    Outcome,
    PeerValidation,
    Practice,
    PublishedPool,
    Study,
    Synthesis,
    keys,
)
from slihub.govuk import has_control_characters
from slihub.places import releases
from slihub.places.importers import DataFileError
from slihub.places.models import Region
from slihub.places.services import DataFolderError, LoadReport
from slihub.places.sync import sync_rows

PRACTICE_FIELDS = (
    "name kind summary themes ecm_outcomes age_groups age_description setting delivery_model level_of_need "
    "cost_per_child cost_year cost_source cost_statement cost_rating eif_rating eef_months eef_padlocks "
    "links source source_note details aliases rating_history"
).split()
STUDY_FIELDS = (
    "citation year country design design_detail maryland n_intervention n_comparison n_total "
    "sample_description risk_of_bias risk_of_bias_basis url source_note"
).split()
EFFECT_FIELDS = (
    "measure yi vi statement intervention_value comparison_value significant timeframe primary"
).split()
STARTER_SOURCES = ("eif", "eef", "wwcsc")
#: fields only the transcriptions set (uk_tested, uk_available); the starter leaves them as they are
CONTENT_PRACTICE_FIELDS = ["uk_tested", "uk_available", "aliases"]


def _kept_by_others(prefix: str = "") -> Q:
    """Studies on a starter practice that another loader owns, which a starter reload must leave alone: a
    review's transcription (Study.source "review:...") and a council's upload (keyed "upload-...", or
    owned)."""
    return (
        ~Q(**{f"{prefix}source": ""})
        | Q(**{f"{prefix}key__startswith": "upload-"})
        | Q(**{f"{prefix}uploaded_by__isnull": False})
    )


def resolve_evidence_dir(folder: str | Path | None = None) -> Path:
    chosen = folder or settings.EVIDENCE_DIR
    if not chosen:
        raise DataFolderError(
            "No evidence folder: set SLIHUB_EVIDENCE_DIR (or SLIHUB_DATA_DIR, whose sibling 'evidence' "
            f"is used) to the folder holding {', '.join(importers.EVIDENCE_FILES)}"
        )
    path = Path(chosen)
    if not path.is_dir():
        raise DataFolderError(f"The evidence folder {path} does not exist")
    sibling = path.resolve().parent / "evidence"
    if not (path / importers.EIF_PROGRAMMES).exists() and (sibling / importers.EIF_PROGRAMMES).exists():
        return sibling  # given the public data folder (as `load-public-data --data-dir` passes it)
    return path


def _defaults(fields, row: dict) -> dict:
    model_defaults = {
        "kind": "programme",
        "links": [],
        "details": {},
        "country": "",
        "design_detail": "",
        "sample_description": "",
        "risk_of_bias": "",
        "risk_of_bias_basis": "",
        "url": "",
        "source_note": "",
        "statement": "",
        "intervention_value": "",
        "comparison_value": "",
        "timeframe": "",
        "measure": "",
        "primary": False,
        "summary": "",
        "themes": "",
        "ecm_outcomes": "",
        "age_groups": "",
        "age_description": "",
        "setting": "",
        "delivery_model": "",
        "level_of_need": "",
        "cost_source": "",
        "cost_statement": "",
        "eif_rating": "",
        "aliases": "",
        "rating_history": [],
    }
    return {name: row.get(name, model_defaults.get(name)) for name in fields}


def store_practices(practices: list[dict], outcomes: list[dict], *, sources: tuple[str, ...]) -> LoadReport:
    """Make the practices of ``sources`` (and their studies and effects) equal to ``practices``.
    Call inside a transaction."""
    report = LoadReport()
    report.changes["outcomes"] = sync_rows(
        Outcome, [dict(o) for o in outcomes], key=("slug",), delete_missing=False
    )
    outcome_ids = dict(Outcome.objects.values_list("slug", "id"))
    scope = Q(source__in=sources)
    previous = set(Practice.objects.filter(scope).values_list("id", flat=True))
    report.changes["practices"] = sync_rows(
        Practice,
        [{"slug": p["slug"], **_defaults(PRACTICE_FIELDS, p)} for p in practices],
        key=("slug",),
        scope=scope,
    )
    practice_ids = dict(Practice.objects.filter(scope).values_list("slug", "id"))
    report.changes["studies"] = sync_rows(
        Study,
        [
            {"practice_id": practice_ids[p["slug"]], "key": s["key"], **_defaults(STUDY_FIELDS, s)}
            for p in practices
            for s in p["studies"]
        ],
        key=("practice_id", "key"),
        scope=Q(practice__source__in=sources) & ~_kept_by_others(),
    )
    study_ids = {
        (practice_id, key): pk
        for pk, practice_id, key in Study.objects.filter(practice__source__in=sources)
        .exclude(_kept_by_others())
        .values_list("id", "practice_id", "key")
    }
    report.changes["effect estimates"] = sync_rows(
        EffectEstimate,
        [
            {
                "study_id": study_ids[(practice_ids[p["slug"]], s["key"])],
                "outcome_id": outcome_ids[e["outcome"]],
                **_defaults(EFFECT_FIELDS, e),
            }
            for p in practices
            for s in p["studies"]
            for e in s["effects"]
        ],
        key=("study_id", "outcome_id"),
        scope=Q(study__practice__source__in=sources) & ~_kept_by_others("study__"),
    )
    if report.changed:
        ids = list(practice_ids.values())
        synthesis.recompute(ids)
        search.reindex(sorted(previous | set(ids)))  # removed practices leave the index too
        releases.bump(releases.EVIDENCE)  # the library's cached pages render afresh
    return report


def store_content(found: content.Content) -> LoadReport:
    """Add or update what the library's own transcriptions hold (content.py): their outcomes, the practices
    they define (source "review"), their studies on any practice with their effects, and the sources'
    published pools. Each file read replaces its own studies and pools; what a file no longer in the folder
    brought is kept, as indicator imports keep history. Call inside a transaction."""
    report = LoadReport()
    report.changes["review outcomes"] = sync_rows(
        Outcome,
        [{"domain": "", **{k: v for k, v in o.items()}} for o in found.outcomes],
        key=("slug",),
        delete_missing=False,
    )
    outcome_ids = dict(Outcome.objects.values_list("slug", "id"))
    report.changes["review practices"] = sync_rows(
        Practice,
        [
            {"slug": p["slug"], **_defaults(PRACTICE_FIELDS + CONTENT_PRACTICE_FIELDS, p)}
            for p in found.practices
        ],
        key=("slug",),
        scope=Q(source=content.SOURCE),
        delete_missing=False,
    )
    practice_ids = dict(Practice.objects.filter(slug__in=found.practice_slugs).values_list("slug", "id"))
    files = Q(source__in=[f"{content.STUDY_PREFIX}{key}" for key in found.files])
    before = set(Study.objects.filter(files).values_list("practice_id", flat=True))
    report.changes["review studies"] = sync_rows(
        Study,
        [
            {
                "practice_id": practice_ids[s["practice"]],
                "key": s["key"],
                **_defaults([*STUDY_FIELDS, "source"], s),
            }
            for s in found.studies
        ],
        key=("practice_id", "key"),
        scope=files,
    )
    study_ids = {
        (practice_id, key): pk
        for pk, practice_id, key in Study.objects.filter(files).values_list("id", "practice_id", "key")
    }
    effect_scope = Q(study__source__in=[f"{content.STUDY_PREFIX}{key}" for key in found.files])
    report.changes["review effect estimates"] = sync_rows(
        EffectEstimate,
        [
            {
                "study_id": study_ids[(practice_ids[s["practice"]], s["key"])],
                "outcome_id": outcome_ids[e["outcome"]],
                **_defaults(EFFECT_FIELDS + ["inputs", "source_place"], e),
            }
            for s in found.studies
            for e in s["effects"]
        ],
        key=("study_id", "outcome_id"),
        scope=effect_scope,
    )
    # a file's pools: those of its syntheses, and any it printed before (by its citation)
    pairs = {(practice_ids[s.practice], outcome_ids[s.outcome]) for s in found.syntheses}
    pool_scope = Q(citation__in=found.citations) | Q(
        pk__in=[p.pk for p in PublishedPool.objects.all() if (p.practice_id, p.outcome_id) in pairs]
    )
    report.changes["published pools"] = sync_rows(
        PublishedPool,
        [
            {
                "practice_id": practice_ids[p["practice"]],
                "outcome_id": outcome_ids[p["outcome"]],
                **{k: v for k, v in p.items() if k not in ("practice", "outcome")},
            }
            for p in found.pools
        ],
        key=("practice_id", "outcome_id"),
        scope=pool_scope,
    )
    if report.changed:
        ids = sorted(set(practice_ids.values()) | before)
        synthesis.recompute(ids)
        search.reindex(ids)
        releases.bump(releases.EVIDENCE)
    return report


def load_evidence(
    folder: str | Path | None = None,
    *,
    content_dir: str | Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> LoadReport:
    """Load the evidence starter content from ``folder`` (default: settings.EVIDENCE_DIR; given the public
    data folder instead, its sibling ``evidence`` is used) and the library's own transcriptions from
    ``content_dir`` (default: settings.EVIDENCE_CONTENT_DIR, the content folder shipped with the hub), all
    or nothing: every file is checked before the database is touched. A second load changes nothing.

    Raises DataFolderError (no folder) or DataFileError (a bad cell: file, line and column; a bad value
    in a transcription: file and JSON path)."""
    evidence_dir = resolve_evidence_dir(folder)
    practices, outcomes = importers.read_all(evidence_dir, None)
    studies = sum(len(p["studies"]) for p in practices)
    progress(f"Read {evidence_dir}: {len(practices)} practices, {studies} studies, {len(outcomes)} outcomes")
    content_dir = Path(content_dir or getattr(settings, "EVIDENCE_CONTENT_DIR", "") or content.CONTENT_DIR)
    found = content.read_content(
        content_dir,
        known_practices={p["slug"] for p in practices},
        known_studies={(p["slug"], s["key"]) for p in practices for s in p["studies"]},
        known_outcomes={o["slug"] for o in outcomes},
    )
    progress(
        f"Read {content_dir}: {len(found.files)} transcribed sources, {len(found.practices)} new practices, "
        f"{len(found.studies)} studies, {len(found.pools)} published pools to reproduce"
    )
    with transaction.atomic():
        report = store_practices(practices, outcomes, sources=STARTER_SOURCES)
        report.changes.update(store_content(found).changes)
    for name, changes in report.changes.items():
        progress(f"  {name}: {changes}")
    progress(f"  syntheses: {Synthesis.objects.count()} pooled outcomes")
    unreproduced = Synthesis.objects.filter(reproduces=False).count()
    if unreproduced:
        progress(f"  {unreproduced} sources' pooled results not reproduced: not used for a recommendation")
    return report


__all__ = ["DataFileError", "DataFolderError", "load_evidence", "store_content", "store_practices"]


# ---------------------------------------------------------------------------------------------
# Local practice and its peer validation
#
# submitted --(a national admin or the region's coordinator assigns two validators)--> in_review
# in_review --(both assigned validators approve)--> validated (published, searchable)
# in_review --(either refuses, with reasons)--> rejected
# Every step is a LocalPracticeEvent: who (and in what role, at the time), when, the state it left.

VALIDATIONS_NEEDED = 2
#: what validators check, published on the rules page
VALIDATION_CRITERIA = (
    "The practice is described clearly enough for another council to repeat it: what was done, by whom, "
    "and for whom.",
    "The outcome is relevant to children and families and is measured the same way before and after.",
    "The figures give their periods and numbers of children, and the change is larger than normal "
    "year-to-year variation.",
    "Other explanations (changes in thresholds, recording, demand or other services) are considered; a "
    "comparison group, where there is one, is like the group that received the practice.",
    "Any cost per child is given with its year and what it includes.",
)


class LocalPracticeError(ValueError):
    """A submission, assignment or decision the rules do not allow; the message says why."""


def _role(user, *, authority=None) -> str:
    """The role in which ``user`` acts, as the history shows it: "Alliance coordinator, London"."""
    scope = scope_of(user)
    if authority is not None:
        return f"Council member, {authority.name}"
    if scope.national:
        return "National admin"
    regions = Region.objects.filter(pk__in=scope.coordinates).order_by("name")
    return f"Alliance coordinator, {', '.join(r.name for r in regions)}" if regions else ""


def _record(practice, *, action, actor=None, actor_role="", note="") -> LocalPracticeEvent:
    return LocalPracticeEvent.objects.create(
        local_practice=practice,
        actor=actor,
        actor_role=actor_role[:300],
        action=action,
        status=practice.status,
        note=note,
    )


def submit_local_practice(
    *,
    user,
    authority,
    title: str,
    summary: str,
    evidence: str,
    themes: list[str],
    for_whom: str = "",
    outcome_measure: str = "",
    outcome_before: str = "",
    outcome_after: str = "",
    comparison: str = "",
    cost_per_child: Decimal | None = None,
    cost_year: int | None = None,
) -> LocalPractice:
    """A council member submits their council's practice for peer validation."""
    if authority.pk not in scope_of(user).member_of:
        raise PermissionDenied("Only members of this council can submit its practice.")
    unknown = [t for t in themes if t not in THEME_LABELS]
    if unknown:
        raise LocalPracticeError(f"unknown theme {unknown[0]!r}")
    if not title.strip() or not summary.strip() or not evidence.strip():
        raise LocalPracticeError("A title, what was done and what the data shows are all needed.")
    if cost_per_child is not None and (cost_per_child < 0 or cost_year is None):
        raise LocalPracticeError("A cost per child needs its year, and cannot be negative.")
    with transaction.atomic():
        practice = LocalPractice.objects.create(
            authority=authority,
            submitted_by=user,
            title=title.strip(),
            summary=summary.strip(),
            for_whom=for_whom.strip(),
            outcome_measure=outcome_measure.strip(),
            outcome_before=outcome_before.strip(),
            outcome_after=outcome_after.strip(),
            comparison=comparison.strip(),
            evidence=evidence.strip(),
            cost_per_child=cost_per_child,
            cost_year=cost_year if cost_per_child is not None else None,
            themes=keys(themes),
        )
        _record(
            practice,
            action=LocalPracticeEvent.Action.SUBMITTED,
            actor=user,
            actor_role=_role(user, authority=authority),
        )
    return practice


def can_assign(user, practice: LocalPractice) -> bool:
    """National admins, and the alliance coordinator of the submitting council's region."""
    scope = scope_of(user)
    return scope.national or practice.authority.region_id in scope.coordinates


def open_slots(practice: LocalPractice) -> int:
    return max(0, VALIDATIONS_NEEDED - practice.validations.count())


def awaits_validators(practice: LocalPractice) -> bool:
    """Open to assignment: just submitted, or in review with a validator released."""
    open_states = (LocalPractice.Status.SUBMITTED, LocalPractice.Status.IN_REVIEW)
    return practice.status in open_states and open_slots(practice) > 0


def eligible_validators(practice: LocalPractice):
    """Council memberships whose holders may validate this practice: members of a current council other
    than the submitting one, who are not themselves members of the submitting council."""
    insiders = Membership.objects.filter(authority=practice.authority).values("user")
    taken = practice.validations.values("validator_authority")
    return (
        Membership.objects.filter(role__in=COUNCIL_ROLES, authority__is_current=True, user__is_active=True)
        .exclude(authority=practice.authority)
        .exclude(user__in=insiders)
        .exclude(authority__in=taken)
        .select_related("user", "authority")
        .order_by("authority__name", "user__full_name", "user__username", "pk")
    )


def _person(user) -> str:
    return user.get_full_name() or getattr(user, "full_name", "") or user.username


def _require_assigner(user, practice: LocalPractice) -> None:
    if not can_assign(user, practice):
        region = practice.authority.region.name if practice.authority.region_id else "its region"
        raise PermissionDenied(
            f"Only a national admin or the alliance coordinator for {region} can assign validators."
        )


def assign_validators(*, user, local_practice: LocalPractice, memberships: list[Membership]) -> list:
    """Assign peer validators (as council memberships) to a practice, filling its open places (two,
    unless some were assigned before, or one was released). Each must be a council member of a different
    council, never of the submitting one. All or nothing."""
    with transaction.atomic():
        practice = (
            LocalPractice.objects.select_for_update().select_related("authority").get(pk=local_practice.pk)
        )
        _require_assigner(user, practice)
        if not awaits_validators(practice):
            raise LocalPracticeError("Validators are already assigned to this practice.")
        slots = open_slots(practice)
        if len(memberships) != slots or any(m is None for m in memberships):
            raise LocalPracticeError(f"Choose {slots} validator{'s' if slots != 1 else ''}.")
        earlier = list(practice.validations.values_list("validator_id", "validator_authority_id"))
        people = [v for v, _ in earlier] + [m.user_id for m in memberships]
        councils = [a for _, a in earlier] + [m.authority_id for m in memberships]
        insiders = set(
            Membership.objects.filter(authority=practice.authority).values_list("user_id", flat=True)
        )
        for membership in memberships:
            person = _person(membership.user)
            if membership.role not in COUNCIL_ROLES:
                raise LocalPracticeError(f"{person} is not a member of a council.")
            if (
                membership.authority_id == practice.authority_id
                or membership.user_id in insiders
                or membership.user_id == practice.submitted_by_id
            ):
                raise LocalPracticeError(
                    f"{person} is a member of {practice.authority.name}, the council that submitted this "
                    "practice. Validators must come from other councils."
                )
            if not membership.user.is_active or not membership.authority.is_current:
                raise LocalPracticeError(f"{person} cannot validate: their account or council is not active.")
        if len(set(people)) != len(people):
            raise LocalPracticeError("Choose two different people.")
        if len(set(councils)) != len(councils):
            raise LocalPracticeError("The two validators must come from two different councils.")
        role = _role(user)
        assigned = []
        for membership in memberships:
            assigned.append(
                PeerValidation.objects.create(
                    local_practice=practice,
                    validator=membership.user,
                    validator_authority=membership.authority,
                    assigned_by=user,
                )
            )
        practice.status = LocalPractice.Status.IN_REVIEW
        practice.save(update_fields=["status"])
        for membership in memberships:
            _record(
                practice,
                action=LocalPracticeEvent.Action.ASSIGNED,
                actor=user,
                actor_role=role,
                note=membership.authority.name,  # the person is on the validation row
            )
    return assigned


def release_validator(*, user, local_practice: LocalPractice, validation: PeerValidation) -> None:
    """Release a validator who has not decided (away, say, or not answering), so that another can be
    assigned in their place; the other validator's assignment and any decision stand."""
    with transaction.atomic():
        practice = (
            LocalPractice.objects.select_for_update().select_related("authority").get(pk=local_practice.pk)
        )
        _require_assigner(user, practice)
        validation = PeerValidation.objects.filter(pk=validation.pk, local_practice=practice).first()
        if validation is None:
            raise LocalPracticeError("That validator is not assigned to this practice.")
        if practice.status != LocalPractice.Status.IN_REVIEW:
            raise LocalPracticeError("This practice is no longer awaiting a decision.")
        if validation.decision:
            raise LocalPracticeError("A validator who has decided cannot be released: their decision stands.")
        council = validation.validator_authority.name
        validation.delete()
        _record(
            practice,
            action=LocalPracticeEvent.Action.RELEASED,
            actor=user,
            actor_role=_role(user),
            note=council,
        )


def assignment_for(user, practice: LocalPractice) -> PeerValidation | None:
    """The user's own assignment as a validator of this practice, if any."""
    if not user.is_authenticated:
        return None
    return practice.validations.filter(validator=user).select_related("validator_authority").first()


@dataclass(frozen=True)
class Refusal:
    message: str
    forbidden: bool  # the person may never decide (403), rather than a state that rules it out (400)


def refusal(user, practice: LocalPractice) -> Refusal | None:
    """Why this user may not record a decision on this practice now (None when they may)."""
    if practice.status == LocalPractice.Status.SUBMITTED:
        return Refusal("Validators have not been assigned to this practice yet.", False)
    if practice.status != LocalPractice.Status.IN_REVIEW:
        return Refusal("This practice is no longer awaiting a decision.", False)
    if practice.authority_id in scope_of(user).member_of:
        return Refusal(
            f"You are a member of {practice.authority.name}, the council that submitted this practice. "
            "Only the validators assigned from other councils can decide.",
            True,
        )
    assignment = assignment_for(user, practice)
    if assignment is None:
        return Refusal("Only the two peer validators assigned to this practice can record a decision.", True)
    if assignment.decision:
        return Refusal("You have already given your decision on this practice.", False)
    return None


def validate_local_practice(
    *, user, local_practice: LocalPractice, decision: str, comment: str
) -> PeerValidation:
    """An assigned validator approves or refuses a practice, with reasons. Two approvals publish it as
    validated local practice; one refusal closes it as not validated."""
    with transaction.atomic():
        practice = (
            LocalPractice.objects.select_for_update().select_related("authority").get(pk=local_practice.pk)
        )
        refused = refusal(user, practice)
        if refused is not None:
            raise (PermissionDenied if refused.forbidden else LocalPracticeError)(refused.message)
        if decision not in PeerValidation.Decision.values:
            raise LocalPracticeError("Choose whether you validate this practice.")
        if not comment.strip():
            raise LocalPracticeError("Give the reasons for your decision.")
        if has_control_characters(comment):
            raise LocalPracticeError(
                "Your reasons must not include control characters, such as a null character."
            )
        validation = assignment_for(user, practice)
        validation.decision = decision
        validation.comment = comment.strip()
        validation.decided_at = timezone.now()
        validation.save(update_fields=["decision", "comment", "decided_at"])
        role = f"Peer validator, {validation.validator_authority.name}"
        approved = decision == PeerValidation.Decision.APPROVE
        if not approved:
            practice.status = LocalPractice.Status.REJECTED
        elif (
            practice.validations.filter(decision=PeerValidation.Decision.APPROVE).count()
            >= VALIDATIONS_NEEDED
        ):
            practice.status = LocalPractice.Status.VALIDATED
            practice.published_at = timezone.now()
        practice.save(update_fields=["status", "published_at"])
        _record(
            practice,
            action=LocalPracticeEvent.Action.APPROVED if approved else LocalPracticeEvent.Action.REJECTED,
            actor=user,
            actor_role=role,
            note=validation.comment,
        )
        if practice.status == LocalPractice.Status.VALIDATED:
            _record(practice, action=LocalPracticeEvent.Action.PUBLISHED)
            search.reindex_local([practice.pk])
            releases.bump(releases.EVIDENCE)  # the library lists validated local practice
        elif practice.status == LocalPractice.Status.REJECTED:
            _record(practice, action=LocalPracticeEvent.Action.CLOSED)
    return validation
