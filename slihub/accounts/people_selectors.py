"""Reads for the people pages, scoped by who asks."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from slihub.accounts import rules
from slihub.accounts.models import Invitation, Membership, User
from slihub.places.models import Authority, Region


def require_national(user) -> None:
    if not rules.is_national(user):
        raise PermissionDenied("Only national admins manage everyone's accounts.")


def require_council_manager(user, authority: Authority) -> None:
    if not rules.manages_council(user, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s council admins and national admins manage its people."
        )


@dataclass
class PeopleFilters:
    query: str = ""
    role: str = ""
    council: Authority | None = None
    region: Region | None = None
    active: str = ""  # "", "yes" or "no"


def _memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("authority", "region").order_by("role", "id"),
    )


def search_people(user, filters: PeopleFilters) -> QuerySet:
    """Everyone matching the filters, by name (national admins only)."""
    require_national(user)
    people = User.objects.order_by("full_name", "username").prefetch_related(_memberships())
    if filters.query:
        words = filters.query.strip()
        people = people.filter(
            Q(full_name__icontains=words) | Q(username__icontains=words) | Q(email__icontains=words)
        )
    if filters.role:
        people = people.filter(memberships__role=filters.role)
    if filters.council is not None:
        people = people.filter(memberships__authority=filters.council)
    if filters.region is not None:
        people = people.filter(
            Q(memberships__region=filters.region) | Q(memberships__authority__region=filters.region)
        )
    if filters.active in ("yes", "no"):
        people = people.filter(is_active=filters.active == "yes")
    return people.distinct()


def person(user, person_id: int) -> User:
    """One person, for national admins (404 for an id that does not exist)."""
    require_national(user)
    return get_object_or_404(User.objects.prefetch_related(_memberships()), pk=person_id)


def council_memberships(user, authority: Authority) -> QuerySet:
    """The council's people: one row per role held there."""
    require_council_manager(user, authority)
    return (
        Membership.objects.filter(authority=authority)
        .select_related("user")
        .order_by("user__full_name", "user__username", "role")
    )


def pending_invitations(user, authority: Authority | None = None) -> QuerySet:
    invitations = (
        Invitation.objects.visible_to(user).pending().select_related("authority", "region", "invited_by")
    )
    return invitations if authority is None else invitations.filter(authority=authority)


def membership_for(user, membership_id: int) -> Membership:
    """A membership the user may see on a people page: national admins any, council admins those of
    their councils (404 otherwise, as for an id that does not exist)."""
    memberships = Membership.objects.select_related("user", "authority", "region")
    if not rules.is_national(user):
        memberships = memberships.filter(authority__in=rules.councils_managed(user))
    return get_object_or_404(memberships, pk=membership_id)


def invitation_for(user, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.visible_to(user).select_related("authority", "region"), pk=invitation_id
    )
