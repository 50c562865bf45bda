"""Writes for regional knowledge workshops: events (draft, published, cancelled) and registrations with a
waitlist.

Every function takes keyword arguments only and runs in one transaction. Refusals raise Django's
ValidationError with a message a person can act on (keyed by field where a form field is at fault);
a person without the right raises PermissionDenied.

No overbooking: `register` and `cancel_registration` lock the event's row (`select_for_update`, which on
SQLite is the IMMEDIATE transaction that every write already takes) and count the places booked inside
the transaction, so two people registering at once for the last place cannot both get it. A cancelled
place goes to the first person on the waitlist (by when they joined it) in the same transaction; they
are told by email once it is committed.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.evidence.models import LocalPractice, Practice
from slihub.exchange.taxonomy import THEMES
from slihub.places.models import Region
from slihub.workshops.models import Event, Registration

THEME_LABELS = dict(THEMES)
MAX_CAPACITY = 5000
MAX_SUMMARY = 5000
EDITABLE = (
    "title",
    "summary",
    "theme",
    "region",
    "format",
    "venue",
    "online_link",
    "starts_at",
    "ends_at",
    "capacity",
)
# the changes that people registered are told about
TOLD = ("starts_at", "ends_at", "format", "venue", "online_link")


# Who may do what -------------------------------------------------------------------------------------


def can_create(user) -> bool:
    """Alliance coordinators (for their regions) and national admins (any region, or national)."""
    scope = scope_of(user)
    return bool(scope.national or scope.coordinates)


def require_create(user) -> None:
    if not can_create(user):
        raise PermissionDenied("Only alliance coordinators and national admins organise workshops.")


def regions_for(user):
    """The regions this person may hold a workshop in (England's nine; a coordinator's own)."""
    scope = scope_of(user)
    regions = Region.objects.filter(parent=None).order_by("name")
    return regions if scope.national else regions.filter(pk__in=scope.coordinates)


def is_organiser(user, event: Event) -> bool:
    return Event.objects.organised_by(user).filter(pk=event.pk).exists()


def require_organiser(user, event: Event) -> None:
    if not is_organiser(user, event):
        raise PermissionDenied(
            "Only the workshop's organisers (who made it, its region's alliance coordinators) and national "
            "admins may change it."
        )


def can_register(user) -> bool:
    """Signed-in council staff (any council role, chief executives and lead members), alliance
    coordinators and national admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_of(user)
    return bool(scope.national or scope.member_of or scope.leads or scope.coordinates)


def _council_of(user):
    scope = scope_of(user)
    ids = sorted(scope.member_of | scope.leads)
    if not ids:
        return None
    from slihub.places.models import Authority

    return Authority.objects.filter(pk=ids[0]).first()


# Events ---------------------------------------------------------------------------------------------


def _clean(user, event: Event, practices, local_practices) -> None:
    """Checks an event's fields (whatever was changed); raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    event.title = (event.title or "").strip()
    event.summary = (event.summary or "").strip()
    event.venue = (event.venue or "").strip()
    event.online_link = (event.online_link or "").strip()
    if not event.title:
        fail("title", "Enter a title")
    elif len(event.title) > 200:
        fail("title", "The title must be 200 characters or fewer")
    if len(event.summary) > MAX_SUMMARY:
        fail("summary", f"The description must be {MAX_SUMMARY:,} characters or fewer")
    if event.theme not in THEME_LABELS:
        fail("theme", "Choose a theme")
    scope = scope_of(user)
    if event.region_id is None:
        if not scope.national:
            fail("region", "Choose your region: only national admins hold national workshops")
    else:
        region = Region.objects.filter(pk=event.region_id).first()
        if region is None or region.parent_id is not None:
            fail("region", "Choose one of England's nine regions")
        elif not scope.national and region.pk not in scope.coordinates:
            fail("region", "Choose a region you coordinate")
    if event.format not in Event.Format.values:
        fail("format", "Choose whether it is online, in person, or both")
    else:
        if event.format in (Event.Format.VENUE, Event.Format.HYBRID) and not event.venue:
            fail("venue", "Enter the venue's address")
        if event.format in (Event.Format.ONLINE, Event.Format.HYBRID) and not event.online_link:
            fail("online_link", "Enter the link to join online")
    if event.online_link and not event.online_link.startswith("https://"):
        fail("online_link", "Enter the link to join online, starting https://")
    if event.format == Event.Format.ONLINE:
        event.venue = ""
    if event.format == Event.Format.VENUE:
        event.online_link = ""
    if not isinstance(event.starts_at, datetime):
        fail("starts_at", "Enter the date and start time")
    if not isinstance(event.ends_at, datetime):
        fail("ends_at", "Enter the end time")
    if isinstance(event.starts_at, datetime) and isinstance(event.ends_at, datetime):
        if event.ends_at <= event.starts_at:
            fail("ends_at", "The end time must be after the start time")
    if not isinstance(event.capacity, int) or event.capacity < 1:
        fail("capacity", "Enter the number of places, 1 or more")
    elif event.capacity > MAX_CAPACITY:
        fail("capacity", f"The number of places must be {MAX_CAPACITY:,} or fewer")
    elif event.pk:
        taken = _booked(event)
        if event.capacity < taken:
            fail(
                "capacity",
                f"{taken} places are already taken: the number of places cannot be fewer than {taken}. "
                "Ask people to cancel first, or cancel their places.",
            )
    if practices is not None:
        found = Practice.objects.filter(pk__in=[getattr(p, "pk", p) for p in practices]).count()
        if found != len({getattr(p, "pk", p) for p in practices}):
            fail("practices", "Choose practices from the evidence library")
    if local_practices is not None:
        ids = {getattr(p, "pk", p) for p in local_practices}
        validated = LocalPractice.objects.filter(pk__in=ids, status=LocalPractice.Status.VALIDATED).count()
        if validated != len(ids):
            fail("local_practices", "Choose validated local practice only")
    if errors:
        raise ValidationError(errors)


def _booked(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.BOOKED).count()


@transaction.atomic
def create_event(
    *,
    user,
    title: str,
    theme: str,
    region: Region | None,
    format: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    summary: str = "",
    venue: str = "",
    online_link: str = "",
    practices=(),
    local_practices=(),
) -> Event:
    """A draft workshop: only its organisers and national admins see it until it is published."""
    require_create(user)
    event = Event(
        title=title,
        summary=summary,
        theme=theme,
        region=region,
        format=format,
        venue=venue,
        online_link=online_link,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        created_by=user,
    )
    _clean(user, event, practices, local_practices)
    if event.starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The workshop must start in the future"})
    event.save()
    event.practices.set(practices)
    event.local_practices.set(local_practices)
    return event


@transaction.atomic
def update_event(*, user, event: Event, notify: bool = True, practices=None, local_practices=None, **fields):
    """Changes an event. A published one's SEQUENCE goes up, so calendars take the new version; if its
    time, place or link changed and `notify` is true, everyone registered is told. Raising the number of
    places gives the new places to the waitlist, first come first served. Returns the event."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(user, event)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"update_event cannot change {', '.join(sorted(unknown))}")
    if event.status == Event.Status.CANCELLED:
        raise ValidationError("This workshop was cancelled: it cannot be changed.")
    before = {name: getattr(event, name) for name in EDITABLE}
    before["region"] = event.region_id
    for name, value in fields.items():
        setattr(event, name, value)
    _clean(user, event, practices, local_practices)
    after = {name: getattr(event, name) for name in EDITABLE}
    after["region"] = event.region_id
    changed = [name for name in EDITABLE if before[name] != after[name]]
    links_changed = False
    if practices is not None:
        old = set(event.practices.values_list("pk", flat=True))
        links_changed |= old != {getattr(p, "pk", p) for p in practices}
    if local_practices is not None:
        old = set(event.local_practices.values_list("pk", flat=True))
        links_changed |= old != {getattr(p, "pk", p) for p in local_practices}
    if (changed or links_changed) and event.status == Event.Status.PUBLISHED:
        event.sequence += 1
    event.save()
    if practices is not None:
        event.practices.set(practices)
    if local_practices is not None:
        event.local_practices.set(local_practices)
    if event.status == Event.Status.PUBLISHED:
        _fill_places(event)
        told = [name for name in changed if name in TOLD]
        if notify and told:
            _tell_registered(event, "changed", _change_text(event))
    return event


@transaction.atomic
def publish_event(*, user, event: Event) -> Event:
    """Makes a draft public: listed, in the calendar feeds, open for registration."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(user, event)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(f"This workshop is already {event.get_status_display().lower()}.")
    if event.starts_at <= timezone.now():
        raise ValidationError("This workshop's start is in the past: change its date before publishing it.")
    event.status = Event.Status.PUBLISHED
    event.published_at = timezone.now()
    event.save()
    return event


@transaction.atomic
def cancel_event(*, user, event: Event, reason: str = "") -> Event:
    """Cancels a workshop: it stays listed as cancelled (calendars show it so) and everyone registered,
    with a place or on the waitlist, is told. A draft is simply cancelled; nobody has registered."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(user, event)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError("This workshop is already cancelled.")
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": "The reason must be 1,000 characters or fewer"})
    was_published = event.status == Event.Status.PUBLISHED
    event.status = Event.Status.CANCELLED
    if was_published:
        event.sequence += 1
    event.save()
    if was_published:
        words = "The organisers have cancelled this workshop."
        if reason:
            words += f"\n\nTheir reason: {reason}"
        _tell_registered(event, "cancelled", words)
    return event


# Registrations --------------------------------------------------------------------------------------


def live_registration(user, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(event=event, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


@transaction.atomic
def register(*, user, event: Event) -> Registration:
    """A place if one is left, else a place on the waitlist. The event's row is locked while the places
    are counted, so concurrent registrations never overbook it."""
    if not can_register(user):
        raise PermissionDenied(
            "Only council staff, alliance coordinators and national admins may register for workshops."
        )
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.PUBLISHED:
        if event.status == Event.Status.CANCELLED:
            raise ValidationError("This workshop was cancelled.")
        raise ValidationError("This workshop is not open for registration yet.")
    if event.starts_at <= timezone.now():
        raise ValidationError("This workshop has already started: registration is closed.")
    if live_registration(user, event) is not None:
        raise ValidationError("You are already registered for this workshop.")
    now = timezone.now()
    booked = _booked(event)
    registration = Registration(event=event, user=user, authority=_council_of(user))
    if booked < event.capacity:
        registration.status = Registration.Status.BOOKED
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now
    registration.save()
    return registration


@transaction.atomic
def cancel_registration(*, user, event: Event, registration: Registration | None = None):
    """Cancels the user's own place (or waitlist place), or, for an organiser, someone's `registration`.
    A freed place goes at once to the first on the waitlist, who is told by email.

    Returns (the cancelled registration, the promoted registration or None)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if registration is None:
        registration = live_registration(user, event)
        if registration is None:
            raise ValidationError("You have no place at this workshop to cancel.")
    else:
        registration = Registration.objects.get(pk=registration.pk, event=event)
        if registration.user_id != getattr(user, "pk", None):
            require_organiser(user, event)
        if registration.status == Registration.Status.CANCELLED:
            raise ValidationError("This registration is already cancelled.")
    if event.ends_at <= timezone.now():
        raise ValidationError("This workshop is over: its places can no longer be cancelled.")
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    promoted = _fill_places(event) if event.status == Event.Status.PUBLISHED else []
    return registration, (promoted[0] if promoted else None)


def _fill_places(event: Event) -> list[Registration]:
    """Gives free places to the waitlist in order (call with the event's row locked); tells each person."""
    free = event.capacity - _booked(event)
    if free <= 0:
        return []
    waiting = list(
        event.registrations.filter(status=Registration.Status.WAITLISTED)
        .select_related("user")
        .order_by("waitlisted_at", "id")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = Registration.Status.BOOKED
        registration.promoted_at = now
        registration.save()
        _email_on_commit(
            registration.user,
            f"You have a place: {event.title}",
            "A place came free and it is yours: you are no longer on the waitlist for "
            f"{event.title}.\n\n{when_text(event)}\n\n"
            f"See the details, or cancel if you cannot come: {_link(event)}",
        )
    return waiting


# Email ----------------------------------------------------------------------------------------------


def _link(event: Event) -> str:
    return f"{settings.SITE_URL}{reverse('workshop-detail', kwargs={'pk': event.pk})}"


def when_text(event: Event) -> str:
    from slihub.workshops.selectors import describe_when

    return describe_when(event)


def _change_text(event: Event) -> str:
    where = {
        Event.Format.ONLINE: "Online",
        Event.Format.VENUE: event.venue,
        Event.Format.HYBRID: f"{event.venue}, and online",
    }[event.format]
    return (
        f"The organisers have changed the workshop's time or place. It is now:\n\n{when_text(event)}\n{where}"
    )


def _tell_registered(event: Event, what: str, words: str) -> None:
    people = (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("id")
    )
    subject = {"cancelled": f"Cancelled: {event.title}", "changed": f"Changed: {event.title}"}[what]
    for registration in people:
        _email_on_commit(
            registration.user, subject, f"{words}\n\n{event.title}\n{_link(event)}\n\nSLI Hub workshops"
        )


def _email_on_commit(user, subject: str, body: str) -> None:
    if not user.email:
        return
    name = getattr(user, "full_name", "") or user.get_full_name() or user.username
    message = f"Hello {name},\n\n{body}"
    transaction.on_commit(lambda: send_mail(subject, message, None, [user.email], fail_silently=True))
