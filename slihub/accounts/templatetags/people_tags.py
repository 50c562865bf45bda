"""Small helpers for the people pages' templates."""

from django import template
from django.utils import timezone

from slihub.accounts import invitations, rules

register = template.Library()


@register.filter
def invitation_role(invitation) -> str:
    return invitations.where(invitation)


@register.filter
def has_expired(invitation) -> bool:
    return invitation.expires_at <= timezone.now()


@register.filter
def may_manage_invitation(user, invitation) -> bool:
    return rules.may_manage_invitation(user, invitation)


@register.filter
def membership_in_words(membership) -> str:
    """'Council admin, Camden', 'Alliance coordinator, London', 'National admin'."""
    place = membership.authority or membership.region
    return f"{membership.get_role_display()}, {place.name}" if place else membership.get_role_display()
