"""Reads for regional knowledge workshops, always scoped by who is asking (Event.objects.visible_to,
organised_by; Registration.objects.visible_to).

Events come back with what the pages show worked out once: `booked` and `waiting` (counts), `places_left`,
`when` ("Monday 14 December 2026, 10am to 12:30pm", London time), `theme_name` and `where`.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from slihub.exchange.taxonomy import THEMES
from slihub.places.models import Region
from slihub.workshops.models import Event, Registration

THEME_LABELS = dict(THEMES)
LIVE = (Registration.Status.BOOKED, Registration.Status.WAITLISTED)


def govuk_time(moment: datetime) -> str:
    """A time as GOV.UK writes it: 10am, 2:30pm, midday, midnight (London time)."""
    local = timezone.localtime(moment)
    if local.minute == 0 and local.hour in (0, 12):
        return "midnight" if local.hour == 0 else "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def govuk_date(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def describe_when(event: Event) -> str:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{govuk_date(start)}, {govuk_time(start)} to {govuk_time(end)}"
    return f"{govuk_date(start)}, {govuk_time(start)} to {govuk_date(end)}, {govuk_time(end)}"


def describe_where(event: Event) -> str:
    if event.format == Event.Format.ONLINE:
        return "Online"
    if event.format == Event.Format.HYBRID:
        return f"{event.venue} (or join online)"
    return event.venue


def _counted(queryset):
    return (
        queryset.select_related("region")
        .prefetch_related("practices", "local_practices__authority")
        .annotate(
            booked=Count("registrations", filter=Q(registrations__status=Registration.Status.BOOKED)),
            waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
        )
    )


def decorate(event: Event) -> Event:
    if not hasattr(event, "booked"):
        counts = event.registrations.aggregate(
            booked=Count("id", filter=Q(status=Registration.Status.BOOKED)),
            waiting=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
        )
        event.booked, event.waiting = counts["booked"], counts["waiting"]
    event.places_left = max(event.capacity - event.booked, 0)
    event.when = describe_when(event)
    event.where = describe_where(event)
    event.theme_name = THEME_LABELS.get(event.theme, event.theme)
    event.region_name = event.region.name if event.region_id else "National"
    return event


def events(
    user,
    *,
    region: Region | None = None,
    national: bool = False,
    theme: str = "",
    past: bool = False,
    now=None,
):
    """Published (and cancelled) workshops: upcoming ones soonest first, or past ones latest first; one
    region's, or the national ones only (`national`), if asked."""
    now = now or timezone.now()
    found = Event.objects.published().visible_to(user)
    if region is not None:
        found = found.filter(region=region)
    elif national:
        found = found.filter(region__isnull=True)
    if theme:
        found = found.filter(theme=theme)
    if past:
        found = found.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    else:
        found = found.filter(ends_at__gt=now).order_by("starts_at", "id")
    return [decorate(e) for e in _counted(found)]


def drafts(user) -> list[Event]:
    """The drafts this person organises (to publish or change)."""
    found = Event.objects.organised_by(user).filter(status=Event.Status.DRAFT).order_by("starts_at", "id")
    return [decorate(e) for e in _counted(found)]


def visible_event(user, pk) -> Event:
    event = _counted(Event.objects.visible_to(user)).filter(pk=pk).first()
    if event is None:
        raise Http404("No workshop has that number.")
    return decorate(event)


def is_organiser(user, event: Event) -> bool:
    return Event.objects.organised_by(user).filter(pk=event.pk).exists()


def organised_event(user, pk) -> Event:
    """An event the user may change: 404 if they cannot see it, 403 if they see it but do not organise it."""
    event = visible_event(user, pk)
    if not is_organiser(user, event):
        raise PermissionDenied(
            "Only the workshop's organisers (who made it, its region's alliance coordinators) and national "
            "admins may change it."
        )
    return event


def own_registration(user, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user, status__in=LIVE).first()


def registrations(user, event: Event) -> list[Registration]:
    """The event's registrations this person may see (all of them for its organisers): places first, then
    the waitlist in its order, then cancellations."""
    order = {
        Registration.Status.BOOKED: 0,
        Registration.Status.WAITLISTED: 1,
        Registration.Status.CANCELLED: 2,
    }
    found = list(
        Registration.objects.visible_to(user).filter(event=event).select_related("user", "authority")
    )

    def key(r):
        waiting = r.status == Registration.Status.WAITLISTED and r.waitlisted_at is not None
        return (order[r.status], r.waitlisted_at if waiting else r.registered_at, r.id)

    found.sort(key=key)
    position = 0
    for r in found:
        if r.status == Registration.Status.WAITLISTED:
            position += 1
            r.position = position
    return found


def waitlist_position(registration: Registration) -> int | None:
    if registration is None or registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=Registration.Status.WAITLISTED)
    ahead = ahead.filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, id__lt=registration.id)
    )
    return ahead.count() + 1


def my_registrations(user, *, now=None) -> tuple[list[Registration], list[Registration]]:
    """The person's own live registrations: (upcoming, past), each with its event decorated."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return [], []
    found = (
        Registration.objects.filter(user=user, status__in=LIVE)
        .select_related("event__region")
        .order_by("event__starts_at", "id")
    )
    upcoming, past = [], []
    for r in found:
        decorate(r.event)
        (upcoming if r.event.ends_at > now else past).append(r)
    past.reverse()
    return upcoming, past


def calendar_events(region: Region | None = None):
    """What the calendar feeds list: every published workshop and every cancelled one (so that calendars
    that took it mark it cancelled), for one region if given."""
    found = Event.objects.published().select_related("region").order_by("starts_at", "id")
    if region is not None:
        found = found.filter(region=region)
    return found


def feed_region(slug: str) -> Region:
    region = Region.objects.filter(parent=None, slug=slug).first()
    if region is None:
        raise Http404("No region has that name.")
    return region
