"""Regional knowledge workshops. Published workshops are public (a draft answers only its organisers and
national admins, else 404). An event's registrations answer its organisers (who made it, its region's
alliance coordinators) and national admins: 401 signed out, 403 otherwise. Signed-in council staff,
coordinators and national admins register and cancel their own place: 201 with a place or a place on
the waitlist, 400 with the reason when refused (already registered, full of nothing to cancel...)."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, AuthorityRef, Code, ErrorOut, Id, InputSchema
from slihub.exchange.taxonomy import THEMES
from slihub.places.models import Region
from slihub.workshops import selectors, services
from slihub.workshops.models import Event, Registration

router = Router(tags=["workshops"])
ERRORS = {**SIGNED_IN, **INVALID}
ThemeKey = Literal[tuple(key for key, _ in THEMES)]


class WorkshopFilters(InputSchema):
    region: Code | None = Field(None, description="a region's slug or ONS code: its workshops only")
    theme: ThemeKey | None = Field(None, description="a theme's key")
    past: bool = Field(False, description="past workshops, latest first (else upcoming, soonest first)")


class PracticeRef(Schema):
    slug: str
    name: str
    url: str


class LocalPracticeRef(Schema):
    id: int
    title: str
    authority: str
    url: str


class WorkshopOut(Schema):
    id: int
    uid: str  # the iCalendar UID's first part: stable for the workshop's life
    title: str
    summary: str
    theme: str
    theme_name: str
    region: str | None  # the region's slug; null for a national workshop
    region_name: str
    format: str  # online, venue or hybrid
    venue: str
    starts_at: datetime
    ends_at: datetime
    when: str  # as the page writes it, in London time
    status: str  # draft, published or cancelled
    sequence: int
    capacity: int
    places_taken: int
    places_left: int
    waitlist: int
    url: str
    ics_url: str
    practices: list[PracticeRef]
    local_practices: list[LocalPracticeRef]


class WorkshopDetailOut(WorkshopOut):
    online_link: str | None  # only to people with a place and organisers; else null
    my_registration: str | None  # booked or waitlisted, for the signed-in person; else null


class RegistrationOut(Schema):
    id: int
    event: int
    user: str  # the person's name
    username: str
    authority: AuthorityRef | None
    status: str  # booked, waitlisted or cancelled
    registered_at: datetime
    waitlisted_at: datetime | None
    promoted_at: datetime | None
    cancelled_at: datetime | None


class CancelOut(Schema):
    cancelled: RegistrationOut
    promoted: RegistrationOut | None  # who got the freed place from the waitlist (organisers only see it)


def _out(event: Event) -> dict:
    return {
        "id": event.pk,
        "uid": str(event.uid),
        "title": event.title,
        "summary": event.summary,
        "theme": event.theme,
        "theme_name": event.theme_name,
        "region": event.region.slug if event.region_id else None,
        "region_name": event.region_name,
        "format": event.format,
        "venue": event.venue,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "when": event.when,
        "status": event.status,
        "sequence": event.sequence,
        "capacity": event.capacity,
        "places_taken": event.booked,
        "places_left": event.places_left,
        "waitlist": event.waiting,
        "url": reverse("workshop-detail", kwargs={"pk": event.pk}),
        "ics_url": reverse("workshop-event-ics", kwargs={"pk": event.pk}),
        "practices": [
            {"slug": p.slug, "name": p.name, "url": p.get_absolute_url()} for p in event.practices.all()
        ],
        "local_practices": [
            {"id": p.pk, "title": p.title, "authority": p.authority.name, "url": p.get_absolute_url()}
            for p in event.local_practices.all()
            if p.status == "validated"
        ],
    }


def _registration(r: Registration) -> dict:
    a = r.authority
    return {
        "id": r.pk,
        "event": r.event_id,
        "user": str(r.user),
        "username": r.user.username,
        "authority": {"code": a.code, "ons_code": a.ons_code, "name": a.name} if a else None,
        "status": r.status,
        "registered_at": r.registered_at,
        "waitlisted_at": r.waitlisted_at,
        "promoted_at": r.promoted_at,
        "cancelled_at": r.cancelled_at,
    }


def _region(key: str) -> Region:
    key = key.strip()
    region = Region.objects.filter(parent=None, slug=key.lower()).first() or (
        Region.objects.filter(parent=None, code=key.upper()).first()
    )
    if region is None:
        raise Http404(f"No region has the slug or code {key[:60]!r}.")
    return region


def _refuse(error: ValidationError):
    raise HttpError(400, " ".join(error.messages)) from None


@router.get("/workshops", response={200: list[WorkshopOut], **NOT_FOUND, **INVALID}, summary="Workshops")
@paginate(Pagination)
def list_workshops(request, filters: Query[WorkshopFilters]):
    """Published workshops (cancelled ones too, marked so): upcoming soonest first, or past ones latest
    first with `past=true`. 404 for an unknown region; 422 for an unknown theme."""
    region = _region(filters.region) if filters.region else None
    return [
        _out(e)
        for e in selectors.events(request.user, region=region, theme=filters.theme or "", past=filters.past)
    ]


@router.get(
    "/workshops/{workshop_id}",
    response={200: WorkshopDetailOut, **NOT_FOUND, **INVALID},
    summary="A workshop",
)
def get_workshop(request, workshop_id: Id):
    """The online link only to people with a place and to organisers."""
    event = selectors.visible_event(request.user, workshop_id)
    mine = selectors.own_registration(request.user, event)
    organiser = selectors.is_organiser(request.user, event)
    booked = mine is not None and mine.status == Registration.Status.BOOKED
    return {
        **_out(event),
        "online_link": (event.online_link or None) if (booked or organiser) else None,
        "my_registration": mine.status if mine else None,
    }


@router.get(
    "/workshops/{workshop_id}/registrations",
    response={200: list[RegistrationOut], **NOT_FOUND, **ERRORS},
    auth=django_auth,
    summary="A workshop's registrations (organisers)",
)
def workshop_registrations(request, workshop_id: Id):
    """Places, then the waitlist in its order, then cancellations. 403 unless you organise the workshop."""
    event = selectors.organised_event(request.auth, workshop_id)
    return [_registration(r) for r in selectors.registrations(request.auth, event)]


@router.post(
    "/workshops/{workshop_id}/register",
    response={201: RegistrationOut, 400: ErrorOut, **NOT_FOUND, **ERRORS},
    auth=django_auth,
    summary="Register for a workshop",
)
def register(request, workshop_id: Id):
    """A place if one is left, else a place on the waitlist (`status` says which)."""
    event = selectors.visible_event(request.auth, workshop_id)
    if not services.can_register(request.auth):
        raise PermissionDenied(
            "Only council staff, alliance coordinators and national admins may register for workshops."
        )
    try:
        registration = services.register(user=request.auth, event=event)
    except ValidationError as error:
        _refuse(error)
    return Status(201, _registration(registration))


@router.post(
    "/workshops/{workshop_id}/cancel",
    response={200: CancelOut, 400: ErrorOut, **NOT_FOUND, **ERRORS},
    auth=django_auth,
    summary="Cancel your place at a workshop",
)
def cancel(request, workshop_id: Id):
    """Cancels your place or waitlist place; a freed place goes at once to the first on the waitlist."""
    event = selectors.visible_event(request.auth, workshop_id)
    try:
        cancelled, promoted = services.cancel_registration(user=request.auth, event=event)
    except ValidationError as error:
        _refuse(error)
    organiser = selectors.is_organiser(request.auth, event)
    return {
        "cancelled": _registration(cancelled),
        "promoted": _registration(promoted) if promoted is not None and organiser else None,
    }
