"""Reminders of regional knowledge workshops (registered with slihub.jobs.reminders.reminder).

Everyone with a place at a published workshop is reminded once, in the two days before it starts (the
daily reminders job finds it on its first run inside that window). A workshop moved to another time is
a new reminder: the key carries the start time.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from slihub.jobs.reminders import Due, _link, reminder
from slihub.workshops.models import Event, Registration
from slihub.workshops.selectors import describe_when, describe_where

BEFORE = timedelta(days=2)


@reminder("workshop_upcoming", "Workshops in the next two days", every=timedelta(days=365))
def workshops_coming_up(now: datetime) -> Iterable[Due]:
    """A reminder to each person with a place at a published workshop starting within two days."""
    places = (
        Registration.objects.filter(
            status=Registration.Status.BOOKED,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + BEFORE,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "event")
        .order_by("event__starts_at", "event_id", "id")
    )
    for r in places:
        event, person = r.event, r.user
        name = person.full_name or person.get_full_name() or person.username
        link = _link(reverse("workshop-detail", kwargs={"pk": event.pk}))
        joining = (
            "Join online from the workshop's page (the link is there for people with a place).\n\n"
            if event.format != Event.Format.VENUE
            else ""
        )
        yield Due(
            subject_key=f"workshop:{r.pk}:{event.starts_at.isoformat()}",
            recipient=person.email,
            subject=f"Coming up: {event.title}, {timezone.localtime(event.starts_at):%-d %B}",
            body=(
                f"Hello {name},\n\n"
                f"You have a place at {event.title}.\n\n"
                f"When: {describe_when(event)}\n"
                f"Where: {describe_where(event)}\n\n"
                f"{joining}"
                f"If you can no longer come, cancel your place so that someone on the waitlist can have it: "
                f"{link}\n\n"
                "SLI Hub workshops"
            ),
        )
