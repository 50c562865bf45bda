"""Saved comparator groups: a user names a set of authorities (and optionally indicators) and shares it
by link. Writes here (keyword-only, one transaction each, audited with the accounts app where the model
lives); reads by token (anyone with the link) or by owner (the owner's list)."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from slihub.accounts.models import ComparatorGroup
from slihub.govuk import has_control_characters
from slihub.indicators.compare_selectors import MAX_AUTHORITIES, MAX_INDICATORS
from slihub.indicators.models import Indicator
from slihub.places.models import Authority

MAX_NAME = 100


def clean_name(name: str) -> str:
    """The group's name, trimmed; ValidationError with the GOV.UK message when it cannot be used."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Enter a name for the group")
    if len(name) > MAX_NAME:
        raise ValidationError(f"The name must be {MAX_NAME} characters or fewer")
    if has_control_characters(name):
        raise ValidationError("The name must not include control characters, such as a null character")
    return name


def _owned(user, group: ComparatorGroup) -> None:
    if not getattr(user, "is_authenticated", False) or group.owner_id != user.id:
        raise PermissionDenied("Only the person who saved a comparator group may change it.")


@transaction.atomic
def create_group(
    *, user, name: str, authorities: list[Authority], indicators: list[Indicator]
) -> ComparatorGroup:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to save a comparator group.")
    if not authorities:
        raise ValidationError("Choose at least one authority to save a group")
    if len(authorities) > MAX_AUTHORITIES or len(indicators) > MAX_INDICATORS:
        raise ValidationError(
            f"A group holds up to {MAX_AUTHORITIES} authorities and {MAX_INDICATORS} indicators"
        )
    return ComparatorGroup.objects.create(
        owner=user,
        name=clean_name(name),
        token=secrets.token_urlsafe(16),
        authority_codes=[a.code for a in authorities],
        indicator_codes=[i.code for i in indicators],
    )


@transaction.atomic
def rename_group(*, user, group: ComparatorGroup, name: str) -> ComparatorGroup:
    _owned(user, group)
    group.name = clean_name(name)
    group.save(update_fields=["name", "updated_at"])
    return group


@transaction.atomic
def delete_group(*, user, group: ComparatorGroup) -> None:
    _owned(user, group)
    group.delete()


def by_token(token: str) -> ComparatorGroup:
    """The group with this link, for anyone who has it; 404 otherwise."""
    token = (token or "").strip()
    group = None
    if token.isascii() and 0 < len(token) <= 32:
        group = ComparatorGroup.objects.select_related("owner").filter(token=token).first()
    if group is None:
        raise Http404("No comparator group has this link: it may have been deleted.")
    return group


def owned_by_token(user, token: str) -> ComparatorGroup:
    """The user's own group with this link; 404 for anyone else's (it is not theirs to change)."""
    group = by_token(token)
    if group.owner_id != getattr(user, "id", None):
        raise Http404("No comparator group of yours has this link.")
    return group


def groups_of(user) -> list[ComparatorGroup]:
    return list(ComparatorGroup.objects.visible_to(user).order_by("name", "id"))
