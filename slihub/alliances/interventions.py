"""Writes of statutory interventions: national admins record, correct and end them (reads are in
slihub/inspections/interventions.py). Every write raises the interventions release, so the public
pages that show them (Partners in Practice, the interventions list) render afresh."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from slihub.accounts.models import scope_of
from slihub.inspections.interventions import RELEASE
from slihub.inspections.models import Intervention, InterventionKind
from slihub.places import releases
from slihub.places.models import Authority

# Interventions began in the 2000s; a date outside these years is a typing slip.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)


def can_record(user) -> bool:
    return bool(user.is_authenticated and scope_of(user).national)


def _check(user) -> None:
    if not can_record(user):
        raise PermissionDenied("Only national admins record statutory interventions.")


def _validate(*, authority, kind, started_on, ended_on, source_url, notes) -> dict:
    errors = {}
    if authority is None:
        errors["authority"] = "Choose the council"
    if kind not in InterventionKind.values:
        errors["kind"] = "Choose the kind of intervention"
    if started_on is None:
        errors["started_on"] = "Enter the date the intervention started"
    if ended_on is not None and started_on is not None and ended_on < started_on:
        errors["ended_on"] = "The date it ended must be the same as or after the date it started"
    for name, day, label in (("started_on", started_on, "started"), ("ended_on", ended_on, "ended")):
        if day is not None and not EARLIEST <= day <= LATEST:
            errors[name] = f"The date it {label} must be between 1990 and 2100"
    parts = urlsplit(source_url or "")
    if not source_url:
        errors["source_url"] = "Enter the link to the published notice or direction"
    elif parts.scheme not in ("http", "https") or not parts.netloc or len(source_url) > 500:
        errors["source_url"] = "Enter the link as a full web address, like https://www.gov.uk/..."
    if len(notes or "") > 2000:
        errors["notes"] = "Notes must be 2,000 characters or fewer"
    if (
        authority is not None
        and started_on is not None
        and authority.ended_on
        and started_on >= authority.ended_on
    ):
        errors["started_on"] = f"{authority.name} no longer existed on that date"
    if errors:
        raise ValidationError(errors)
    return errors


def record(
    *,
    user,
    authority: Authority,
    kind: str,
    started_on: date,
    source_url: str,
    ended_on: date | None = None,
    notes: str = "",
) -> Intervention:
    _check(user)
    _validate(
        authority=authority,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        source_url=source_url,
        notes=notes,
    )
    with transaction.atomic():
        intervention = Intervention.objects.create(
            authority=authority,
            kind=kind,
            started_on=started_on,
            ended_on=ended_on,
            source_url=source_url,
            notes=notes or "",
            recorded_by=user,
        )
        releases.bump(RELEASE)
    return intervention


def update(
    *,
    user,
    intervention: Intervention,
    kind: str,
    started_on: date,
    source_url: str,
    ended_on: date | None = None,
    notes: str = "",
) -> Intervention:
    """Corrects a recorded intervention, or ends it (an end date)."""
    _check(user)
    _validate(
        authority=intervention.authority,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        source_url=source_url,
        notes=notes,
    )
    with transaction.atomic():
        locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
        locked.kind = kind
        locked.started_on = started_on
        locked.ended_on = ended_on
        locked.source_url = source_url
        locked.notes = notes or ""
        locked.save()
        releases.bump(RELEASE)
    return locked
