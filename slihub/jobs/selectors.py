"""Reading jobs, always through Job.objects.visible_to(user): national admins see every job, anyone
else the jobs they started. A running job's progress comes from the queue's store (progress.py)."""

from django.shortcuts import get_object_or_404

from slihub.jobs import progress
from slihub.jobs.models import Job

LIST_LENGTH = 100


def jobs_for(user):
    """The latest jobs this user may see, newest first."""
    return list(Job.objects.visible_to(user).select_related("started_by")[:LIST_LENGTH])


def job(user, pk: int) -> Job:
    """One job (404 if it does not exist or is not the user's to see), with live progress while it runs:
    `log_lines` holds what it reported so far."""
    found = get_object_or_404(Job.objects.visible_to(user).select_related("started_by"), pk=pk)
    found.log_lines = found.log.splitlines() if found.log else []
    if found.active:
        live = progress.peek(found.pk)
        if live is not None:
            found.progress_done, found.progress_total = live.done, live.total
            found.progress_message = live.message
            found.log_lines = live.log
    return found
