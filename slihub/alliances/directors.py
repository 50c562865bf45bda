"""Writes of directors of children's services in post: national admins and the council's region's
coordinators record and correct appointments (no official dataset lists them). The audit log records
every change (the alliances app is registered with django-auditlog)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from slihub.accounts.models import scope_of
from slihub.alliances.models import DirectorAppointment
from slihub.govuk import has_control_characters
from slihub.places.models import Authority

# Directors of children's services date from 2005; a date outside these years is a typing slip.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)


def can_record(user, authority: Authority) -> bool:
    scope = scope_of(user)
    return bool(user.is_authenticated and (scope.national or authority.region_id in scope.coordinates))


def require_record(user, authority: Authority) -> None:
    if not can_record(user, authority):
        raise PermissionDenied(
            f"Only national admins and the {authority.region.name} alliance's coordinators record "
            f"{authority.name}'s directors."
        )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _overlapping(authority, started_on, ended_on, exclude_pk):
    """The substantive appointment at the council whose time in post overlaps this one, if any."""
    others = DirectorAppointment.objects.filter(authority=authority, interim=False).exclude(pk=exclude_pk)
    if ended_on is not None:
        others = others.filter(started_on__lte=ended_on)
    for other in others.order_by("started_on"):
        if other.ended_on is None or other.ended_on >= started_on:
            return other
    return None


def _validate(*, authority, name, started_on, ended_on, interim, source_url, exclude_pk=None) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = "Enter the director's name"
    elif len(name) > 150:
        errors["name"] = "The director's name must be 150 characters or fewer"
    elif has_control_characters(name):
        errors["name"] = "The director's name must not include control characters"
    if started_on is None:
        errors["started_on"] = "Enter the start date"
    elif not EARLIEST <= started_on <= LATEST:
        errors["started_on"] = "The start date must be between 1990 and 2100"
    if ended_on is not None:
        if not EARLIEST <= ended_on <= LATEST:
            errors["ended_on"] = "The end date must be between 1990 and 2100"
        elif started_on is not None and ended_on <= started_on:
            errors["ended_on"] = "The end date must be after the start date"
    if source_url:
        parts = urlsplit(source_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(source_url) > 500:
            errors["source_url"] = (
                "Enter the source as a full web address, like https://www.example.gov.uk/..."
            )
    if not errors and not interim:
        other = _overlapping(authority, started_on, ended_on, exclude_pk)
        if other is not None:
            until = _day(other.ended_on) if other.ended_on else "now, with no end date recorded"
            errors["started_on"] = (
                f"{other.name} is recorded as {authority.name}'s director from "
                f"{_day(other.started_on)} to {until}: give their end date first, or tick interim"
            )
    if errors:
        raise ValidationError(errors)


def record(
    *,
    user,
    authority: Authority,
    name: str,
    started_on: date,
    ended_on: date | None = None,
    interim: bool = False,
    source_url: str = "",
) -> DirectorAppointment:
    require_record(user, authority)
    name, source_url = (name or "").strip(), (source_url or "").strip()
    with transaction.atomic():
        # The council's row, locked, keeps two people from recording overlapping directors at once.
        Authority.objects.select_for_update().filter(pk=authority.pk).first()
        _validate(
            authority=authority,
            name=name,
            started_on=started_on,
            ended_on=ended_on,
            interim=interim,
            source_url=source_url,
        )
        return DirectorAppointment.objects.create(
            authority=authority,
            name=name,
            started_on=started_on,
            ended_on=ended_on,
            interim=interim,
            source_url=source_url,
            recorded_by=user,
        )


def update(
    *,
    user,
    appointment: DirectorAppointment,
    name: str,
    started_on: date,
    ended_on: date | None = None,
    interim: bool = False,
    source_url: str = "",
) -> DirectorAppointment:
    """Corrects a recorded appointment, or ends it (an end date)."""
    authority = appointment.authority
    require_record(user, authority)
    name, source_url = (name or "").strip(), (source_url or "").strip()
    with transaction.atomic():
        Authority.objects.select_for_update().filter(pk=authority.pk).first()
        _validate(
            authority=authority,
            name=name,
            started_on=started_on,
            ended_on=ended_on,
            interim=interim,
            source_url=source_url,
            exclude_pk=appointment.pk,
        )
        locked = DirectorAppointment.objects.select_for_update().get(pk=appointment.pk)
        locked.name, locked.started_on, locked.ended_on = name, started_on, ended_on
        locked.interim, locked.source_url = interim, source_url
        locked.save()
    return locked
