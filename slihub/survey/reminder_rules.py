"""Which survey reminders are due: the rules, shared by the daily reminders job (slihub/jobs/
survey_reminders.py registers them) and `slihub survey remind`.

While a year's survey is open, the director of each council whose response is not yet submitted (and
the colleague the director named to answer it, if any) gets at most three reminders before the deadline:
one when 14 days or fewer remain, one at 7 days or fewer, one at 2 days or fewer. A reminder missed
(the job did not run that day) goes at the next run; when two fall due at once only the nearest is sent.
After the deadline, until the closing date, they get one "late answers are still taken" reminder.
Each reminder's key names the survey, the council and the stage, so nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from slihub.accounts.models import Membership, Role
from slihub.places.models import Authority
from slihub.survey.builder import answer_link
from slihub.survey.models import Delegate, Response, SurveyVersion

STAGES = (14, 7, 2)  # days before the deadline
DEADLINE = "survey_deadline"
LATE = "survey_late"
# a stage's key is sent once: the interval outlasts any survey
EVERY = timedelta(days=366)


@dataclass(frozen=True)
class DueReminder:
    subject_key: str
    recipient: str
    subject: str
    body: str


def stage(deadline: date, today: date) -> int | None:
    """The stage due on `today`: 14, 7 or 2 (days or fewer to the deadline), or None."""
    left = (deadline - today).days
    if left < 0:
        return None
    due = [s for s in STAGES if left <= s]
    return min(due) if due else None


def _recipients(version: SurveyVersion) -> dict[int, list[tuple[str, str]]]:
    """For each current council whose response is not submitted: (name, email) of its directors and its
    delegate, each address once."""
    submitted = set(
        Response.objects.filter(version=version, status=Response.Status.SUBMITTED).values_list(
            "authority_id", flat=True
        )
    )
    found: dict[int, dict[str, str]] = {}
    directors = (
        Membership.objects.filter(role=Role.DIRECTOR, authority__is_current=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(authority__in=submitted)
        .select_related("user")
        .order_by("authority_id", "user__username")
    )
    for m in directors:
        found.setdefault(m.authority_id, {}).setdefault(m.user.email, str(m.user))
    delegates = (
        Delegate.objects.filter(version=version, user__is_active=True, authority__is_current=True)
        .exclude(user__email="")
        .exclude(authority__in=submitted)
        .select_related("user")
    )
    for d in delegates:
        found.setdefault(d.authority_id, {}).setdefault(d.user.email, str(d.user))
    return {a: [(name, email) for email, name in people.items()] for a, people in found.items()}


def _authorities(ids) -> dict[int, Authority]:
    return Authority.objects.in_bulk(list(ids))


def deadline_reminders(now: datetime) -> Iterator[DueReminder]:
    today = timezone.localdate(now)
    versions = SurveyVersion.objects.filter(
        status=SurveyVersion.Status.OPEN, deadline__isnull=False, deadline__gte=today
    ).order_by("year")
    for version in versions:
        due = stage(version.deadline, today)
        if due is None:
            continue
        people = _recipients(version)
        authorities = _authorities(people)
        left = (version.deadline - today).days
        when = "today" if left == 0 else ("tomorrow" if left == 1 else f"in {left} days")
        for authority_id, recipients in sorted(people.items(), key=lambda item: authorities[item[0]].name):
            council = authorities[authority_id]
            for name, email in recipients:
                yield DueReminder(
                    subject_key=f"survey:{version.pk}:{authority_id}:{due}",
                    recipient=email,
                    subject=f"{version.title}: the deadline is {version.deadline:%-d %B %Y}",
                    body=(
                        f"Hello {name},\n\n"
                        f"{council.name}'s answers to the {version.title} are due {when}, on "
                        f"{version.deadline:%-d %B %Y}, and have not been submitted yet.\n\n"
                        f"Answer the survey: {answer_link(version, council)}\n\n"
                        "It is short: your answers so far are kept, and you can come back to it.\n\n"
                        f"SLI Hub (reminders go {', '.join(str(s) for s in STAGES)} days before the "
                        "deadline, until your council's answers are submitted)"
                    ),
                )


def late_reminders(now: datetime) -> Iterator[DueReminder]:
    today = timezone.localdate(now)
    versions = SurveyVersion.objects.filter(
        status=SurveyVersion.Status.OPEN,
        deadline__lt=today,
        closes_on__gte=today,
    ).order_by("year")
    for version in versions:
        people = _recipients(version)
        authorities = _authorities(people)
        for authority_id, recipients in sorted(people.items(), key=lambda item: authorities[item[0]].name):
            council = authorities[authority_id]
            for name, email in recipients:
                yield DueReminder(
                    subject_key=f"survey-late:{version.pk}:{authority_id}",
                    recipient=email,
                    subject=(
                        f"{version.title}: late answers are still taken until {version.closes_on:%-d %B %Y}"
                    ),
                    body=(
                        f"Hello {name},\n\n"
                        f"The deadline for the {version.title} was {version.deadline:%-d %B %Y}, and "
                        f"{council.name}'s answers have not been submitted yet. Late answers are "
                        f"still taken until {version.closes_on:%-d %B %Y}.\n\n"
                        f"Answer the survey: {answer_link(version, council)}\n\n"
                        "SLI Hub (this is the only reminder after the deadline)"
                    ),
                )


# (name, label, find): the reminders, in the order they run
RULES = (
    (DEADLINE, "Survey answers due soon", deadline_reminders),
    (LATE, "Survey answers late", late_reminders),
)
