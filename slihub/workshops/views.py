"""Workshop pages: the public list and event pages, the calendar files, registration, "My workshops", and
the organisers' new, change, publish and cancel pages. Rules live in services and selectors."""

from __future__ import annotations

import importlib.util

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from slihub.accounts.models import scope_of
from slihub.workshops import ical, selectors, services
from slihub.workshops.forms import CancelEventForm, EventForm, FilterForm
from slihub.workshops.models import Event, Registration

AFTER_PANEL = "workshops/after/_event_panel.html"


def _has_after_panel() -> bool:
    """The after-event panel (materials, feedback: slihub.workshops.after_*) if it is installed."""
    if importlib.util.find_spec("slihub.workshops.templatetags.workshop_after") is None:
        return False
    try:
        select_template([AFTER_PANEL])
    except TemplateDoesNotExist:
        return False
    return True


def workshop_list(request):
    form = FilterForm(request.GET or None)
    filters = form.filters()
    found = selectors.events(request.user, **filters)
    return render(
        request,
        "workshops/event_list.html",
        {
            "form": form,
            "events": found,
            "past": filters["past"],
            "region": filters["region"],
            "drafts": selectors.drafts(request.user) if services.can_create(request.user) else [],
            "can_create": services.can_create(request.user),
        },
    )


def workshop_detail(request, pk):
    event = selectors.visible_event(request.user, pk)
    organiser = selectors.is_organiser(request.user, event)
    registration = selectors.own_registration(request.user, event)
    return render(
        request,
        "workshops/event_detail.html",
        {
            "event": event,
            "is_organiser": organiser,
            "registration": registration,
            "position": selectors.waitlist_position(registration),
            "registrations": selectors.registrations(request.user, event) if organiser else [],
            "places_left": event.places_left,
            "can_register": services.can_register(request.user),
            "open": event.status == Event.Status.PUBLISHED and event.starts_at > _now(),
            "over": event.ends_at <= _now(),
            "shows_link": bool(
                event.online_link
                and (organiser or (registration and registration.status == Registration.Status.BOOKED))
            ),
            "practices": event.practices.order_by("name"),
            "local_practices": event.local_practices.filter(status="validated").select_related("authority"),
            "after_panel": _has_after_panel(),
        },
    )


def _now():
    return timezone.now()


@login_required
def my_workshops(request):
    upcoming, past = selectors.my_registrations(request.user)
    return render(request, "workshops/mine.html", {"upcoming": upcoming, "past": past})


def _form_page(request, event=None):
    scope = scope_of(request.user)
    regions = services.regions_for(request.user)
    if event is not None and event.region_id and event.region not in regions:
        regions = list(regions) + [event.region]  # a national admin's or creator's event elsewhere
    published = event is not None and event.status == Event.Status.PUBLISHED
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial=EventForm.initial_for(event) if event else {"format": Event.Format.VENUE},
        regions=regions,
        national=scope.national,
        published=published,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                saved = services.create_event(user=request.user, **form.event_values())
                messages.success(request, f"The workshop “{saved.title}” was saved as a draft.")
            else:
                saved = services.update_event(
                    user=request.user,
                    event=event,
                    notify=form.cleaned_data.get("notify", False),
                    **form.event_values(),
                )
                messages.success(request, f"The workshop “{saved.title}” was saved.")
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("workshop-detail", pk=saved.pk)
    return render(
        request,
        "workshops/event_form.html",
        {
            "form": form,
            "event": event,
            "maxlength": form.fields["summary"].max_length,
        },
    )


@login_required
def workshop_new(request):
    services.require_create(request.user)
    return _form_page(request)


@login_required
def workshop_edit(request, pk):
    event = selectors.organised_event(request.user, pk)
    if event.status == Event.Status.CANCELLED:
        messages.warning(request, "This workshop was cancelled: it cannot be changed.")
        return redirect("workshop-detail", pk=event.pk)
    return _form_page(request, event)


@login_required
def workshop_publish(request, pk):
    event = selectors.organised_event(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            services.publish_event(user=request.user, event=event)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"The workshop “{event.title}” is published.")
            return redirect("workshop-detail", pk=event.pk)
    return render(request, "workshops/event_publish.html", {"event": event, "error": error})


@login_required
def workshop_cancel(request, pk):
    event = selectors.organised_event(request.user, pk)
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(user=request.user, event=event, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for problem in error.messages:
                form.add_error("reason" if hasattr(error, "error_dict") else None, problem)
        else:
            messages.success(request, f"The workshop “{event.title}” is cancelled.")
            return redirect("workshop-detail", pk=event.pk)
    return render(
        request,
        "workshops/event_cancel.html",
        {"event": event, "form": form, "registered": event.booked + event.waiting},
    )


@login_required
@require_POST
def workshop_register(request, pk):
    event = selectors.visible_event(request.user, pk)
    if not services.can_register(request.user):
        raise PermissionDenied(
            "Only council staff, alliance coordinators and national admins may register for workshops."
        )
    try:
        registration = services.register(user=request.user, event=event)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        if registration.status == Registration.Status.BOOKED:
            messages.success(request, "You have a place at this workshop.")
        else:
            messages.success(
                request,
                "The workshop is full: you are on the waitlist. We will email you if a place comes free.",
            )
    return redirect("workshop-detail", pk=event.pk)


@login_required
def workshop_cancel_place(request, pk):
    event = selectors.visible_event(request.user, pk)
    registration = selectors.own_registration(request.user, event)
    if registration is None:
        messages.warning(request, "You have no place at this workshop to cancel.")
        return redirect("workshop-detail", pk=event.pk)
    error = ""
    if request.method == "POST":
        try:
            services.cancel_registration(user=request.user, event=event)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            words = "place" if registration.status == Registration.Status.BOOKED else "place on the waitlist"
            messages.success(request, f"Your {words} is cancelled.")
            return redirect("workshop-detail", pk=event.pk)
    return render(
        request,
        "workshops/cancel_place.html",
        {"event": event, "registration": registration, "error": error},
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_feed(request):
    return _ics(ical.feed(selectors.calendar_events()), "slihub-workshops.ics")


def region_calendar_feed(request, slug):
    region = selectors.feed_region(slug)
    return _ics(
        ical.feed(selectors.calendar_events(region), region=region), f"slihub-workshops-{region.slug}.ics"
    )


def event_ics(request, pk):
    event = selectors.visible_event(request.user, pk)
    registration = selectors.own_registration(request.user, event)
    with_place = selectors.is_organiser(request.user, event) or (
        registration is not None and registration.status == Registration.Status.BOOKED
    )
    name = slugify(event.title)[:60] or "workshop"
    return _ics(ical.event_file(event, with_place=with_place), f"{name}.ics")
