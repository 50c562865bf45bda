"""Councils' study uploads, staged for review: nothing public changes until an evidence editor or a
national admin accepts a batch.

upload (a council member, an evidence editor or a national admin) --> staged batch, owned by the
uploading council and person; each row proposes a study's effect on one outcome
staged --(an evidence editor or national admin, not the uploader, accepts)--> accepted: the rows are
applied in one transaction, the syntheses recomputed and the evidence release bumped
staged --(they reject, with a reason)--> rejected: nothing changes

A row is matched to a study as before (practice, citation and year give the study's key). A row that
matches an existing study is shown to the reviewer as a proposed change with old and new values; the
study keeps its owner (``Study.uploaded_by``) whoever proposed the change, so no council takes over
another's study. The review page shows, for each affected practice, the pooled results before and
after, worked out in memory by the same code that computes them (synthesis.synthesise).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.evidence import importers, search, synthesis
from slihub.evidence.models import (
    EffectEstimate,
    Outcome,
    Practice,
    StagedRow,
    Study,
    Synthesis,
    UploadBatch,
)
from slihub.places import releases
from slihub.places.importers import DataFileError
from slihub.places.models import Authority

#: the study fields a row gives, with the words the review page uses for them
STUDY_LABELS = {
    "citation": "Citation",
    "year": "Year",
    "country": "Country",
    "design": "Design",
    "maryland": "Maryland level",
    "n_intervention": "Intervention group",
    "n_comparison": "Comparison group",
    "n_total": "Sample",
    "risk_of_bias": "Risk of bias",
    "risk_of_bias_basis": "Risk of bias basis",
    "url": "Web address",
}
EFFECT_LABELS = {"measure": "Measure", "yi": "Effect size (yi)", "vi": "Variance (vi)"}
MAX_REASON = 2000


def max_studies() -> int:
    """How many studies one file may hold (settings.EVIDENCE_UPLOAD_MAX_STUDIES, 500 unless set)."""
    return int(getattr(settings, "EVIDENCE_UPLOAD_MAX_STUDIES", 500))


class UploadRefused(ValueError):
    """A review the rules do not allow now (already reviewed, one's own upload, no reason); the message
    says why."""


def can_upload(user) -> bool:
    scope = scope_of(user)
    return bool(scope.member_of) or scope.edits_evidence


def can_review(user) -> bool:
    return scope_of(user).edits_evidence


def upload_authority(user) -> Authority | None:
    """The council an upload belongs to: the uploader's council (the first by name if several); none for
    an evidence editor or national admin who is not a council member."""
    scope = scope_of(user)
    if not scope.member_of:
        return None
    return Authority.objects.filter(pk__in=scope.member_of).order_by("name").first()


@dataclass
class StageResult:
    batch: UploadBatch | None = None
    errors: list[DataFileError] = field(default_factory=list)


def stage_upload(*, user, path: Path, file_name: str) -> StageResult:
    """Check every row of an uploaded CSV (importers.UPLOAD_COLUMNS) and stage the file as a batch for
    review, owned by the uploader's council. Nothing public changes. A file with any bad row, more than
    max_studies() studies, or nothing that differs from the published library is refused whole."""
    if not can_upload(user):
        raise PermissionDenied(
            "Only council members, evidence editors and national admins can upload studies."
        )
    known = set(Practice.objects.values_list("slug", flat=True))
    records, errors = importers.read_study_upload(Path(path), known, max_studies=max_studies())
    if errors:
        return StageResult(errors=errors)
    practice_ids = dict(
        Practice.objects.filter(slug__in={r["practice"] for r in records}).values_list("slug", "id")
    )
    rows = [
        StagedRow(
            line=record["line"],
            practice_id=practice_ids[record["practice"]],
            study_key=record["study"]["key"],
            study={k: v for k, v in record["study"].items() if k != "key"},
            outcome_slug=record["outcome"]["slug"],
            outcome_name=record["outcome"]["name"],
            effect=record["effect"],
        )
        for record in records
    ]
    if all(change.kind == UNCHANGED for change in describe(rows)):
        return StageResult(
            errors=[
                DataFileError(
                    Path(file_name),
                    "every row is already in the library exactly as given: there is nothing to review",
                )
            ]
        )
    with transaction.atomic():
        batch = UploadBatch.objects.create(
            authority=upload_authority(user),
            uploaded_by=user,
            file_name=Path(file_name).name[:200] or "upload.csv",
            studies=len({(r.practice_id, r.study_key) for r in rows}),
        )
        for row in rows:
            row.batch = batch
        StagedRow.objects.bulk_create(rows, batch_size=500)
    return StageResult(batch=batch)


# ---------------------------------------------------------------------------------------------
# What a batch would change

NEW_STUDY, NEW_OUTCOME, CHANGE, UNCHANGED = "new study", "new outcome", "change", "no change"
KIND_LABELS = {
    NEW_STUDY: "Adds a study",
    NEW_OUTCOME: "Adds an outcome to a study",
    CHANGE: "Changes a study",
    UNCHANGED: "No change",
}


@dataclass
class RowChange:
    row: StagedRow
    kind: str
    changes: list[tuple[str, object, object]]  # (label, old, new) for each value that differs
    owner: str = ""  # who the existing study belongs to, in words ("" for a new study)
    other_owner: bool = False  # the existing study is not the uploading council's own

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _same(old, new) -> bool:
    if isinstance(old, float) and isinstance(new, int | float):
        return math.isclose(old, float(new), rel_tol=1e-12, abs_tol=0.0)
    return old == new


def _owner(study: Study) -> str:
    if study.uploaded_by_id:
        return study.uploaded_by.name
    if study.key.startswith("upload-"):
        return "a national upload (no council)"
    return f"the library's starter content ({study.practice.source.upper()})"


def describe(rows: list[StagedRow], authority_id: int | None = None) -> list[RowChange]:
    """What each row would add or change in the library as it is now, in the rows' order."""
    practice_ids = {r.practice_id for r in rows}
    keys = {r.study_key for r in rows}
    studies = {
        (s.practice_id, s.key): s
        for s in Study.objects.filter(practice_id__in=practice_ids, key__in=keys).select_related(
            "uploaded_by", "practice"
        )
    }
    effects = {
        (e.study_id, e.outcome.slug): e
        for e in EffectEstimate.objects.filter(study__in=[s.pk for s in studies.values()]).select_related(
            "outcome"
        )
    }
    found = []
    for row in rows:
        study = studies.get((row.practice_id, row.study_key))
        if study is None:
            found.append(RowChange(row, NEW_STUDY, []))
            continue
        changes = [
            (label, getattr(study, name), row.study.get(name, getattr(study, name)))
            for name, label in STUDY_LABELS.items()
            if name in row.study and not _same(getattr(study, name), row.study[name])
        ]
        effect = effects.get((study.pk, row.outcome_slug))
        if effect is not None:
            changes += [
                (f"{row.outcome_name}: {label}", getattr(effect, name), row.effect.get(name))
                for name, label in EFFECT_LABELS.items()
                if not _same(getattr(effect, name), row.effect.get(name))
            ]
        kind = NEW_OUTCOME if effect is None else (CHANGE if changes else UNCHANGED)
        found.append(
            RowChange(
                row,
                kind,
                changes,
                owner=_owner(study),
                other_owner=study.uploaded_by_id is None or study.uploaded_by_id != authority_id,
            )
        )
    return found


@dataclass
class PooledChange:
    outcome: str
    measure: str
    before: Synthesis | None
    after: dict | None


@dataclass
class PracticePreview:
    practice: Practice
    pooled: list[PooledChange]


def preview(batch: UploadBatch) -> list[PracticePreview]:
    """For each practice the batch touches: its pooled results now and as they would be if the batch
    were accepted, computed in memory with synthesis.synthesise (nothing is written)."""
    rows = list(batch.rows.all())
    by_practice: dict[int, list[StagedRow]] = defaultdict(list)
    for row in rows:
        by_practice[row.practice_id].append(row)
    outcomes = {o.slug: o for o in Outcome.objects.filter(slug__in={r.outcome_slug for r in rows})}
    previews = []
    for practice in Practice.objects.filter(pk__in=by_practice).order_by("name"):
        effects = list(
            EffectEstimate.objects.filter(study__practice=practice)
            .select_related("study", "outcome")
            .order_by("study__year", "study__key", "outcome_id")
        )
        studies: dict[str, Study] = {}
        for effect in effects:  # one object per study, so a changed study changes all its effects
            effect.study = studies.setdefault(effect.study.key, effect.study)
        by_key = {(e.study.key, e.outcome.slug): e for e in effects}
        rows_here = by_practice[practice.pk]
        missing = {r.study_key for r in rows_here} - set(studies)
        for study in Study.objects.filter(practice=practice, key__in=missing):
            studies[study.key] = study
        for row in rows_here:
            study = studies.get(row.study_key)
            if study is None:
                study = studies[row.study_key] = Study(practice=practice, key=row.study_key)
            for name, value in row.study.items():
                setattr(study, name, value)
            outcome = outcomes.get(row.outcome_slug) or outcomes.setdefault(
                row.outcome_slug, Outcome(slug=row.outcome_slug, name=row.outcome_name)
            )
            effect = by_key.get((row.study_key, row.outcome_slug))
            if effect is None:
                effect = by_key[(row.study_key, row.outcome_slug)] = EffectEstimate(
                    study=study, outcome=outcome
                )
                effects.append(effect)
            for name, value in row.effect.items():
                setattr(effect, name, value)
        after = {(p["outcome_slug"], p["measure"]): p for p in _pool(practice, effects)}
        before = {
            (s.outcome.slug, s.measure): s
            for s in practice.syntheses.select_related("outcome").order_by("outcome")
        }
        names = {slug: o.name for slug, o in outcomes.items()} | {
            s.outcome.slug: s.outcome.name for s in before.values()
        }
        pooled = [
            PooledChange(
                names.get(slug, slug), measure, before.get((slug, measure)), after.get((slug, measure))
            )
            for slug, measure in sorted(set(before) | set(after), key=lambda k: (names.get(k[0], k[0]), k[1]))
        ]
        previews.append(PracticePreview(practice, pooled))
    return previews


def _pool(practice: Practice, effects: list[EffectEstimate]) -> list[dict]:
    """The syntheses of these effects as recompute would store them (the same grouping and rules)."""
    groups: dict[tuple[str, str], list[EffectEstimate]] = defaultdict(list)
    for effect in effects:
        if effect.poolable:
            groups[(effect.outcome.slug, effect.measure)].append(effect)
    results = []
    for (slug, _measure), members in groups.items():
        if len(members) >= synthesis.MIN_STUDIES:
            members.sort(key=lambda e: (e.study.year is None, e.study.year or 0, e.study.key))
            results.append(synthesis.synthesise(practice, members) | {"outcome_slug": slug})
    return results


# ---------------------------------------------------------------------------------------------
# The review


def _locked(batch: UploadBatch, user) -> UploadBatch:
    if not can_review(user):
        raise PermissionDenied("Only evidence editors and national admins can review uploads.")
    locked = UploadBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != UploadBatch.Status.STAGED:
        raise UploadRefused("This upload has already been reviewed.")
    if locked.uploaded_by_id == user.pk:
        raise UploadRefused(
            "You uploaded this file: another evidence editor or national admin must review it."
        )
    return locked


def _reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise UploadRefused("Give the reason the upload is not published.")
    if len(reason) > MAX_REASON:
        raise UploadRefused(f"Keep the reason to {MAX_REASON} characters or fewer.")
    if importers.CONTROL_CHARACTERS.search(reason):
        raise UploadRefused("The reason must not include control characters, such as a null character.")
    return reason


def accept_upload(*, user, batch: UploadBatch, reason: str = "") -> UploadBatch:
    """Publish a staged batch: apply its rows in one transaction (new studies owned by the uploading
    council; existing studies keep their owner), recompute the affected practices' syntheses and search
    entries, and bump the evidence release."""
    reason = _reason(reason, required=False)
    with transaction.atomic():
        batch = _locked(batch, user)
        rows = list(batch.rows.all())
        outcomes = {}
        for slug, name in sorted({(r.outcome_slug, r.outcome_name) for r in rows}):
            outcomes[slug], _ = Outcome.objects.get_or_create(slug=slug, defaults={"name": name})
        practice_ids = sorted({r.practice_id for r in rows})
        # one publication at a time per practice: two files adding the same study wait for each other
        list(
            Practice.objects.select_for_update().filter(pk__in=practice_ids).order_by("pk").values_list("pk")
        )
        studies = {
            (s.practice_id, s.key): s
            for s in Study.objects.filter(practice_id__in=practice_ids, key__in={r.study_key for r in rows})
        }
        for row in rows:
            study = studies.get((row.practice_id, row.study_key))
            if study is None:
                study = studies[(row.practice_id, row.study_key)] = Study.objects.create(
                    practice_id=row.practice_id, key=row.study_key, uploaded_by=batch.authority, **row.study
                )
            else:
                changed = [
                    name for name, value in row.study.items() if not _same(getattr(study, name), value)
                ]
                for name in changed:
                    setattr(study, name, row.study[name])
                if changed:
                    study.save(update_fields=changed)
            EffectEstimate.objects.update_or_create(
                study=study, outcome=outcomes[row.outcome_slug], defaults=row.effect
            )
        synthesis.recompute(practice_ids)
        search.reindex(practice_ids)
        batch.status = UploadBatch.Status.ACCEPTED
        batch.reviewed_by = user
        batch.reviewed_at = timezone.now()
        batch.review_reason = reason
        batch.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
        releases.bump(releases.EVIDENCE)
    return batch


def reject_upload(*, user, batch: UploadBatch, reason: str) -> UploadBatch:
    """Close a staged batch without publishing anything, with the reason the uploader will see."""
    reason = _reason(reason, required=True)
    with transaction.atomic():
        batch = _locked(batch, user)
        batch.status = UploadBatch.Status.REJECTED
        batch.reviewed_by = user
        batch.reviewed_at = timezone.now()
        batch.review_reason = reason
        batch.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    return batch
