"""The queue's tasks (found by `slihub worker`) and the schedule. Times are UTC.

- 03:00 every day: the month's early-warning scores, unless a job already stored them: so on the 1st,
  or on the first day after it that a worker runs (periodic tasks missed while no worker ran are not
  run later, so the check is daily rather than monthly).
- 02:00 every day: the data folder checked for new or changed files, which are loaded.
- 07:00 every day: reminder emails for work waiting on someone (each at most once a week).
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from slihub.jobs import services
from slihub.jobs.models import Job


@db_task()
def run_job_task(job_id: int):
    services.run_job(job_id)


def run_now(kind: str, key: str, parameters: dict | None = None) -> Job | None:
    """Create the job and run it here, in the scheduler's worker; None when the same work is already
    queued or running."""
    job = services.create_job(kind=kind, key=key, parameters=parameters)
    return services.run_job(job.pk) if job else None


def monthly_scores(today=None) -> Job | None:
    """This month's scores, unless a job already stored them."""
    month = (today or timezone.localdate()).replace(day=1)
    key = f"monthly_scores:{month:%Y-%m}"
    if Job.objects.filter(key=key, status=Job.Status.SUCCEEDED).exists():
        return None
    return run_now(Job.Kind.MONTHLY_SCORES, key, {"month": month.isoformat()})


def data_check() -> Job | None:
    return run_now(Job.Kind.DATA_CHECK, "data_check")


def reminders() -> Job | None:
    return run_now(Job.Kind.REMINDERS, "reminders")


@db_periodic_task(crontab(hour="3", minute="0"))
def monthly_scores_task():
    monthly_scores()


@db_periodic_task(crontab(hour="2", minute="0"))
def data_check_task():
    data_check()


@db_periodic_task(crontab(hour="7", minute="0"))
def reminders_task():
    reminders()
