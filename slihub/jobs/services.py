"""Jobs: ask for one, run it, record how it went.

`request_job` records the job and puts it on the queue once the transaction commits; the worker's task
calls `run_job`, which takes the job only if it is still queued (so a job delivered twice runs once),
runs its kind's work (slihub/jobs/work.py) and records the result or the error in plain words.
"""

import contextlib
import hashlib
import logging
import shutil
import uuid
from pathlib import Path

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.indicators.mappings import MAPPINGS
from slihub.jobs import progress
from slihub.jobs.models import Job

logger = logging.getLogger(__name__)

UPLOAD_LIMIT = 200 * 1024 * 1024  # bytes: DfE's largest tidy file is a few tens of MB


def request_job(*, kind: str, key: str, parameters: dict | None = None, started_by=None) -> Job:
    """The job for this work: a new one, queued, or the one already queued or running with the same key."""
    if kind not in Job.Kind.values:
        raise ValidationError(f"Unknown kind of job: {kind!r}.")
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, key=key, parameters=parameters or {}, started_by=started_by)
    except IntegrityError:
        return Job.objects.get(key=key, status__in=Job.ACTIVE)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from slihub.jobs.tasks import run_job_task  # the tasks module imports this one

    run_job_task(job_id)


def create_job(*, kind: str, key: str, parameters: dict | None = None) -> Job | None:
    """A job for the scheduler to run at once in its own worker (no second trip through the queue), or
    None when the same work is already queued or running."""
    try:
        with transaction.atomic():
            return Job.objects.create(kind=kind, key=key, parameters=parameters or {})
    except IntegrityError:
        return None


def _take(job_id: int) -> Job | None:
    """Mark the job running if it is still queued; None if it is not (already run, or running)."""
    taken = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    return Job.objects.get(pk=job_id) if taken else None


def run_job(job_id: int) -> Job | None:
    """Run a queued job to its end and record how it ended. Never raises for the work's own failures."""
    from slihub.jobs.work import WORK, JobFailed

    job = _take(job_id)
    if job is None:
        logger.info("Job %s is not queued (already run or running): nothing to do.", job_id)
        return None
    reporter = progress.Reporter(job)
    status, result, error = Job.Status.SUCCEEDED, "", ""
    try:
        # The audit log names the person who started the job for what it changes ("The hub" otherwise).
        with set_actor(job.started_by) if job.started_by_id else contextlib.nullcontext():
            result = WORK[job.kind](job, reporter)
    except JobFailed as failure:
        status, error = Job.Status.FAILED, str(failure)
    except Exception as unexpected:  # noqa: BLE001 - recorded on the job and logged in full
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        status = Job.Status.FAILED
        error = (
            f"The job stopped on an error it did not expect ({type(unexpected).__name__}: {unexpected}). "
            "Whatever it was writing was not kept; tell the hub's administrators."
        )
    reporter.close()
    snap = reporter.snapshot
    Job.objects.filter(pk=job.pk).update(
        status=status,
        finished_at=timezone.now(),
        result=result or "",
        error=error,
        log="\n".join(snap.log),
        progress_done=snap.total if status == Job.Status.SUCCEEDED and snap.total else snap.done,
        progress_total=snap.total,
        progress_message=("Finished" if status == Job.Status.SUCCEEDED else "Stopped")
        + (f": {snap.message}" if snap.message else ""),
    )
    progress.clear(job.pk)
    job.refresh_from_db()
    return job


def fail_abandoned_jobs() -> int:
    """Jobs left running by a worker that stopped: failed, saying so, so that they can be asked for again.
    For a worker starting on the SQLite queue, which only this machine's workers share."""
    return Job.objects.filter(status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        error="The worker stopped while this job was running, so it did not finish. Start it again.",
    )


# --------------------------------------------------------------------------------------------------
# An indicator import started from the web


def _safe_name(name: str) -> str:
    stem = Path(name).name
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in stem).strip("._") or "upload"
    return cleaned[:120] if cleaned.lower().endswith(".csv") else cleaned[:116] + ".csv"


def request_indicator_import(*, user, upload, mapping: str) -> Job:
    """Save an uploaded DfE tidy CSV in the var folder and queue its import with the chosen mapping.
    National admins only; the same file with the same mapping already queued or running is that job."""
    if not scope_of(user).national:
        raise PermissionDenied("Only national admins can import indicators.")
    if mapping not in MAPPINGS:
        raise ValidationError({"mapping": "Choose the mapping that reads the file"})
    if upload.size > UPLOAD_LIMIT:
        raise ValidationError({"file": "The file must be smaller than 200 MB"})
    if not upload.name.lower().endswith(".csv"):
        raise ValidationError({"file": "The file must be a CSV file"})
    folder = Path(settings.JOBS_UPLOAD_DIR) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / _safe_name(upload.name)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    key = f"indicator_import:{mapping}:{digest.hexdigest()}"
    job = request_job(
        kind=Job.Kind.INDICATOR_IMPORT,
        key=key,
        parameters={"path": str(path), "mapping": mapping, "filename": upload.name[:200]},
        started_by=user,
    )
    if job.parameters.get("path") != str(path):  # the same file is already on its way: keep one copy
        shutil.rmtree(folder, ignore_errors=True)
    return job
