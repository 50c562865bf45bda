"""Reminder emails for work waiting on someone: a small registry.

Each reminder is a function registered with @reminder that yields what is due now; `send_due` emails
each one unless the same reminder about the same thing went to the same person within its interval
(a week unless it says otherwise), and records what it sent, so a rerun sends nothing twice. The daily
reminders job runs them all. The annual survey and the regional workshops add theirs here the same way.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from slihub.evidence.models import LocalPractice, PeerValidation
from slihub.jobs.models import ReminderSent

PEER_VALIDATION_WAIT = timedelta(days=14)


@dataclass(frozen=True)
class Due:
    """One email that is due: what it is about (a stable key), to whom, and what it says."""

    subject_key: str
    recipient: str
    subject: str
    body: str


@dataclass(frozen=True)
class Reminder:
    name: str
    label: str
    every: timedelta
    find: Callable[[datetime], Iterable[Due]]


REMINDERS: dict[str, Reminder] = {}


def reminder(name: str, label: str, *, every: timedelta = timedelta(days=7)):
    """Register a function `find(now) -> Iterable[Due]` as a reminder sent at most once per `every`."""

    def register(find):
        REMINDERS[name] = Reminder(name, label, every, find)
        return find

    return register


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@reminder("peer_validation", "Peer validations waiting for a decision")
def peer_validations_waiting(now: datetime) -> Iterable[Due]:
    """Validators assigned to a local practice 14 days ago or more who have not yet decided."""
    waiting = (
        PeerValidation.objects.filter(
            decision="",
            validator__isnull=False,
            validator__is_active=True,
            assigned_at__lte=now - PEER_VALIDATION_WAIT,
            local_practice__status=LocalPractice.Status.IN_REVIEW,
        )
        .exclude(validator__email="")
        .select_related("validator", "local_practice__authority")
        .order_by("assigned_at", "pk")
    )
    for v in waiting:
        practice = v.local_practice
        name = v.validator.get_full_name() or v.validator.username
        days = (now - v.assigned_at).days
        yield Due(
            subject_key=f"peer_validation:{v.pk}",
            recipient=v.validator.email,
            subject=f"Waiting for your decision: {practice.title}",
            body=(
                f"Hello {name},\n\n"
                f"You were asked on {timezone.localtime(v.assigned_at):%-d %B %Y} ({days} days ago) to "
                f'validate "{practice.title}", local practice from {practice.authority.name}, and it '
                "is still waiting for your decision.\n\n"
                f"Read it and decide: {_link(reverse('evidence-local-detail', args=[practice.pk]))}\n\n"
                "If you cannot review it, tell your alliance coordinator or a national admin, who can "
                "release you and ask someone else.\n\n"
                "SLI Hub (you get this at most once a week while the practice waits for you)"
            ),
        )


def send_due(*, job=None, report=lambda *a, **k: None, now: datetime | None = None) -> str:
    """Email every reminder that is due and not sent within its interval; record each one sent."""
    now = now or timezone.now()
    sent: dict[str, int] = {}
    held = 0
    for r in REMINDERS.values():
        due = list(r.find(now))
        report(f"{r.label}: {len(due)} due", 0, len(due) or None)
        for done, item in enumerate(due, start=1):
            recent = ReminderSent.objects.filter(
                kind=r.name, subject_key=item.subject_key, recipient=item.recipient, sent_at__gt=now - r.every
            ).exists()
            if recent:
                held += 1
            else:
                send_mail(item.subject, item.body, None, [item.recipient])
                ReminderSent.objects.create(
                    kind=r.name, subject_key=item.subject_key, recipient=item.recipient, sent_at=now, job=job
                )
                sent[r.label] = sent.get(r.label, 0) + 1
            report(f"{r.label}: {done} of {len(due)} checked", done, len(due))
    total = sum(sent.values())
    words = f"Sent {total} reminder{'' if total == 1 else 's'}"
    if sent:
        words += " (" + "; ".join(f"{label}: {n}" for label, n in sent.items()) + ")"
    if held:
        words += f"; {held} already sent within the week, not sent again"
    return words + "."
