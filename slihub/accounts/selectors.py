"""Reads of private records, always through visible_to(user)."""

from django.core.exceptions import PermissionDenied

from slihub.accounts.models import Contact, scope_of
from slihub.places.models import Authority


def contacts_for(user, authority: Authority):
    """The authority's contacts, or PermissionDenied if the user may not see them."""
    if not scope_of(user).can_view(authority):
        raise PermissionDenied(f"You cannot see {authority.name}'s contacts.")
    return Contact.objects.visible_to(user).filter(authority=authority)


def can_manage_contacts(user, authority: Authority) -> bool:
    return scope_of(user).can_manage(authority)


def can_view_contacts(user, authority: Authority) -> bool:
    return scope_of(user).can_view(authority)


def require_manage_contacts(user, authority: Authority) -> None:
    if not can_manage_contacts(user, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s council admins and national admins can change its contacts."
        )
