"""Jobs: work that runs on a schedule or takes longer than a request, with its status and progress.

Huey carries the work (settings.HUEY); a Job row is what people see of it: who started it, how far it
has gone, and how it ended, in plain words. Each kind of job is idempotent: running it twice changes
nothing the first run did not, and a job already running or finished is never run again.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from slihub.accounts.models import scope_of


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National admins see every job; anyone else the jobs they started."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if scope_of(user).national:
            return self
        return self.filter(started_by=user)


class Job(models.Model):
    class Kind(models.TextChoices):
        MONTHLY_SCORES = "monthly_scores", "Monthly early-warning scores"
        DATA_CHECK = "data_check", "Check for new data files"
        REMINDERS = "reminders", "Reminders"
        INDICATOR_IMPORT = "indicator_import", "Indicator import"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What makes two jobs the same work (for example the month, or a file's SHA-256 and mapping):
    # while one is queued or running, asking for the same work again returns it instead of a second.
    key = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    parameters = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(null=True, blank=True)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    progress_message = models.CharField(max_length=500, blank=True)
    log = models.TextField(blank=True)  # what the job reported, a line at a time
    error = models.TextField(blank=True)  # why it failed, in plain words
    result = models.TextField(blank=True)  # what it did, in a sentence or two

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status"], name="job_kind_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(status__in=["queued", "running"]), name="job_one_active_per_key"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]), name="job_status_known"
            ),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="job_failure_says_why"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    @property
    def title(self) -> str:
        """The kind of job and what it is about: "Indicator import: c1.csv", "..., December 2026"."""
        label = self.get_kind_display()
        if self.parameters.get("filename"):
            return f"{label}: {self.parameters['filename']}"
        if self.parameters.get("month"):
            return f"{label}, {date.fromisoformat(self.parameters['month']):%B %Y}"
        return label

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if self.progress_total:
            return min(100, round(100 * (self.progress_done or 0) / self.progress_total))
        return None


class ReminderSent(models.Model):
    """One reminder email, kept so that a rerun within the week sends nothing twice."""

    kind = models.CharField(max_length=50)  # the reminder's name in slihub/jobs/reminders.py
    subject_key = models.CharField(max_length=100)  # what it was about, e.g. "peer_validation:12"
    recipient = models.EmailField()
    sent_at = models.DateTimeField()
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders")

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["kind", "subject_key", "recipient", "sent_at"], name="reminder_last")]

    def __str__(self):
        return f"{self.kind} {self.subject_key} to {self.recipient} at {self.sent_at:%Y-%m-%d %H:%M}"
