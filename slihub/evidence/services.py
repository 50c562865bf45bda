"""Writes to the evidence library: loading the starter content, atomically and idempotently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.evidence import importers, search, synthesis
from slihub.evidence.models import (
    THEME_LABELS,
    EffectEstimate,
    LocalPractice,
    Outcome,
    PeerValidation,
    Practice,
    Study,
    Synthesis,
    keys,
)
from slihub.places.importers import DataFileError
from slihub.places.models import Authority
from slihub.places.services import DataFolderError, LoadReport
from slihub.places.sync import sync_rows

PRACTICE_FIELDS = (
    "name kind summary themes ecm_outcomes age_groups age_description setting delivery_model level_of_need "
    "cost_per_child cost_year cost_source cost_rating eif_rating eef_months eef_padlocks links source "
    "source_note details"
).split()
STUDY_FIELDS = (
    "citation year country design design_detail maryland n_intervention n_comparison n_total "
    "sample_description risk_of_bias url source_note"
).split()
EFFECT_FIELDS = (
    "measure yi vi statement intervention_value comparison_value significant timeframe primary"
).split()
STARTER_SOURCES = ("eif", "eef", "wwcsc", "meta")


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
        "eif_rating": "",
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
        scope=Q(practice__source__in=sources),
    )
    study_ids = {
        (practice_id, key): pk
        for pk, practice_id, key in Study.objects.filter(practice__source__in=sources).values_list(
            "id", "practice_id", "key"
        )
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
        scope=Q(study__practice__source__in=sources),
    )
    if report.changed:
        ids = list(practice_ids.values())
        synthesis.recompute(ids)
        search.reindex(sorted(previous | set(ids)))  # removed practices leave the index too
    return report


def load_evidence(
    folder: str | Path | None = None, *, progress: Callable[[str], None] = lambda _: None
) -> LoadReport:
    """Load the evidence starter content from ``folder`` (default: settings.EVIDENCE_DIR; given the public
    data folder instead, its sibling ``evidence`` is used) and the reference datasets from the ``meta``
    folder beside it, all or nothing. A second load changes nothing.

    Raises DataFolderError (no folder) or DataFileError (a bad cell: file, line and column)."""
    evidence_dir = resolve_evidence_dir(folder)
    meta_dir = evidence_dir.parent / "meta"
    practices, outcomes = importers.read_all(evidence_dir, meta_dir if meta_dir.is_dir() else None)
    studies = sum(len(p["studies"]) for p in practices)
    progress(f"Read {evidence_dir}: {len(practices)} practices, {studies} studies, {len(outcomes)} outcomes")
    with transaction.atomic():
        report = store_practices(practices, outcomes, sources=STARTER_SOURCES)
    for name, changes in report.changes.items():
        progress(f"  {name}: {changes}")
    progress(f"  syntheses: {Synthesis.objects.count()} pooled outcomes")
    return report


__all__ = ["DataFileError", "DataFolderError", "load_evidence", "store_practices"]


@dataclass
class UploadResult:
    errors: list[DataFileError] = field(default_factory=list)
    studies: int = 0
    effects: int = 0
    practices: list[str] = field(default_factory=list)


def upload_studies(*, path: Path, authority=None) -> UploadResult:
    """Add or update the studies in a council's CSV (importers.UPLOAD_COLUMNS), all or nothing.

    Every row is checked first; with any bad row nothing is stored and each bad row's problem comes back
    with its line and column. A study is matched on its practice, citation and year, so uploading the
    same file twice changes nothing."""
    known = set(Practice.objects.values_list("slug", flat=True))
    records, errors = importers.read_study_upload(Path(path), known)
    result = UploadResult(errors=errors)
    if errors:
        return result
    with transaction.atomic():
        practices = dict(
            Practice.objects.filter(slug__in={r["practice"] for r in records}).values_list("slug", "id")
        )
        for record in records:
            outcome, _ = Outcome.objects.get_or_create(
                slug=record["outcome"]["slug"], defaults={"name": record["outcome"]["name"]}
            )
            study, _ = Study.objects.update_or_create(
                practice_id=practices[record["practice"]],
                key=record["study"]["key"],
                defaults={**record["study"], "uploaded_by": authority},
            )
            EffectEstimate.objects.update_or_create(study=study, outcome=outcome, defaults=record["effect"])
        ids = sorted(practices.values())
        synthesis.recompute(ids)
        search.reindex(ids)
    result.studies = len({(r["practice"], r["study"]["key"]) for r in records})
    result.effects = len(records)
    result.practices = sorted(practices)
    return result


# ---------------------------------------------------------------------------------------------
# Local practice and its peer validation

VALIDATIONS_NEEDED = 2


class LocalPracticeError(ValueError):
    """A submission or validation the rules do not allow; the message says why."""


def submit_local_practice(
    *, user, authority, title: str, summary: str, evidence: str, themes: list[str]
) -> LocalPractice:
    """A council member submits their council's practice for peer validation."""
    if authority.pk not in scope_of(user).member_of:
        raise PermissionDenied("Only members of this council can submit its practice.")
    unknown = [t for t in themes if t not in THEME_LABELS]
    if unknown:
        raise LocalPracticeError(f"unknown theme {unknown[0]!r}")
    return LocalPractice.objects.create(
        authority=authority,
        submitted_by=user,
        title=title.strip(),
        summary=summary.strip(),
        evidence=evidence.strip(),
        themes=keys(themes),
    )


def validator_authority(user, local_practice: LocalPractice):
    """The council a user validates for: one of theirs other than the submitting council, or None."""
    others = sorted(scope_of(user).member_of - {local_practice.authority_id})
    return Authority.objects.filter(pk__in=others).order_by("name").first() if others else None


def validate_local_practice(
    *, user, local_practice: LocalPractice, decision: str, comment: str
) -> PeerValidation:
    """A peer from another council validates (or declines to validate) a submitted practice. Two
    validations from two other councils publish it; one refusal marks it not validated."""
    with transaction.atomic():
        practice = LocalPractice.objects.select_for_update().get(pk=local_practice.pk)
        if practice.status != LocalPractice.Status.SUBMITTED:
            raise LocalPracticeError("This practice is no longer awaiting validation.")
        authority = validator_authority(user, practice)
        if authority is None:
            raise PermissionDenied("Only members of another council can validate this practice.")
        if decision not in PeerValidation.Decision.values:
            raise LocalPracticeError("Choose whether you validate this practice.")
        if not comment.strip():
            raise LocalPracticeError("Give the reasons for your decision.")
        if practice.validations.filter(Q(validator=user) | Q(validator_authority=authority)).exists():
            raise LocalPracticeError(f"{authority.name} has already given its decision on this practice.")
        validation = PeerValidation.objects.create(
            local_practice=practice,
            validator=user,
            validator_authority=authority,
            decision=decision,
            comment=comment.strip(),
        )
        if decision == PeerValidation.Decision.REJECT:
            practice.status = LocalPractice.Status.REJECTED
            practice.save(update_fields=["status"])
        elif (
            practice.validations.filter(decision=PeerValidation.Decision.APPROVE).count()
            >= VALIDATIONS_NEEDED
        ):
            practice.status = LocalPractice.Status.VALIDATED
            practice.published_at = timezone.now()
            practice.save(update_fields=["status", "published_at"])
    return validation
