"""Councils' study uploads: the upload form, the uploader's list of batches, and the review page where an
evidence editor or national admin accepts or rejects a batch (rules in slihub.evidence.staging)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from slihub.evidence import importers, staging
from slihub.evidence.models import UploadBatch
from slihub.evidence.views import _figures, paged

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ROWS_PER_PAGE = 50


def _require_uploader(request) -> None:
    if not staging.can_upload(request.user):
        raise PermissionDenied(
            "Only council members, evidence editors and national admins can upload studies."
        )


@login_required
def upload_template(request):
    _require_uploader(request)
    response = HttpResponse(importers.upload_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="slihub-studies-template.csv"'
    return response


@login_required
def upload_studies(request):
    _require_uploader(request)
    context = {
        "columns": importers.UPLOAD_COLUMNS,
        "authority": staging.upload_authority(request.user),
        "max_studies": staging.max_studies(),
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["form_error"] = "Choose a CSV file to upload"
        elif upload.size > MAX_UPLOAD_BYTES:
            context["form_error"] = "The file must be smaller than 2 MB"
        else:
            with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                result = staging.stage_upload(
                    user=request.user, path=Path(handle.name), file_name=upload.name
                )
            if result.batch is not None:
                messages.success(
                    request,
                    f"{result.batch.file_name} is waiting for review. Nothing in the library changes until "
                    "an evidence editor publishes it.",
                )
                return redirect(result.batch.get_absolute_url())
            context["row_errors"] = [
                {"line": e.line, "column": e.column, "message": e.message} for e in result.errors
            ]
            context["file_name"] = upload.name
        return render(request, "evidence/upload.html", context, status=400)
    return render(request, "evidence/upload.html", context)


@login_required
def upload_list(request):
    reviewer = staging.can_review(request.user)
    if not (reviewer or staging.can_upload(request.user)):
        raise PermissionDenied(
            "Only council members, evidence editors and national admins have study uploads."
        )
    visible = UploadBatch.objects.visible_to(request.user).select_related(
        "authority", "uploaded_by", "reviewed_by"
    )
    awaiting = visible.filter(status=UploadBatch.Status.STAGED).order_by("uploaded_at", "pk")
    page = paged(visible.exclude(status=UploadBatch.Status.STAGED), request.GET.get("page"))
    return render(
        request,
        "evidence/uploads.html",
        {
            "reviewer": reviewer,
            "can_upload": staging.can_upload(request.user),
            "awaiting": list(awaiting[:200]),
            "awaiting_count": awaiting.count(),
            "reviewed": page.object_list,
            "page": page,
        },
    )


def _batch(request, pk: int) -> UploadBatch:
    """The batch, or Http404 alike for one that does not exist and one the user may not see."""
    found = UploadBatch.objects.visible_to(request.user).select_related(
        "authority", "uploaded_by", "reviewed_by"
    )
    batch = found.filter(pk=pk).first()
    if batch is None:
        raise Http404("No such upload.")
    return batch


@login_required
def upload_detail(request, pk):
    batch = _batch(request, pk)
    reviewer = staging.can_review(request.user)
    error, values = None, {"decision": "", "reason": ""}
    if request.method == "POST":
        if not reviewer:
            raise PermissionDenied("Only evidence editors and national admins can review uploads.")
        values = {
            "decision": request.POST.get("decision", ""),
            "reason": request.POST.get("reason", "")[: staging.MAX_REASON + 1],
        }
        try:
            if values["decision"] == "accept":
                staging.accept_upload(user=request.user, batch=batch, reason=values["reason"])
                messages.success(request, f"{batch.file_name} is published: the pooled results are updated.")
                return redirect(batch.get_absolute_url())
            if values["decision"] == "reject":
                staging.reject_upload(user=request.user, batch=batch, reason=values["reason"])
                messages.success(
                    request, f"{batch.file_name} is not published: the uploader sees your reason."
                )
                return redirect(batch.get_absolute_url())
            error = "Choose whether to publish the upload"
        except staging.UploadRefused as refused:
            error = str(refused)
    rows = list(batch.rows.select_related("practice"))
    changes = staging.describe(rows, batch.authority_id) if batch.status == UploadBatch.Status.STAGED else []
    page = paged(changes or rows, request.GET.get("page"))
    counts = {}
    for change in changes:
        counts[change.label] = counts.get(change.label, 0) + 1
    previews = []
    if batch.status == UploadBatch.Status.STAGED:
        for practice_preview in staging.preview(batch):
            previews.append(
                {
                    "practice": practice_preview.practice,
                    "pooled": [
                        {
                            "outcome": p.outcome,
                            "measure": p.measure,
                            "before": _summary(p.before),
                            "after": _summary(SimpleNamespace(**p.after) if p.after else None),
                        }
                        for p in practice_preview.pooled
                    ],
                }
            )
    may_review = reviewer and batch.status == UploadBatch.Status.STAGED
    return render(
        request,
        "evidence/upload_detail.html",
        {
            "batch": batch,
            "staged": batch.status == UploadBatch.Status.STAGED,
            "page": page,
            "changes": page.object_list if changes else [],
            "rows": page.object_list if not changes else [],
            "counts": sorted(counts.items()),
            "other_owner": sum(1 for c in changes if c.other_owner and c.kind != staging.NEW_STUDY),
            "previews": previews,
            "may_review": may_review,
            "own_upload": batch.uploaded_by_id == request.user.pk,
            "values": values,
            "error": error,
            "error_field": "reason" if error and "reason" in error.lower() else "decision",
        },
        status=400 if error else 200,
    )


def _summary(synthesis) -> dict | None:
    """A pooled result in words for the before-and-after table."""
    if synthesis is None:
        return None
    return {
        "k": synthesis.k,
        "figures": _figures(synthesis),
        "certainty": synthesis.certainty,
        "recommendation": synthesis.recommendation,
    }
