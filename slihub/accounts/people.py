"""Writes to people and their memberships: keyword-only, checked against accounts.rules, one transaction.

Nobody is ever deleted: the audit log and the records people made refer to them, so accounts are
deactivated instead (they can no longer sign in) and can be reactivated. Every change here is recorded
by the audit log (accounts' models are registered with django-auditlog), with who made it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from slihub.accounts import invitations, rules
from slihub.accounts.models import (
    COUNCIL_ROLES,
    LEADER_ROLES,
    NATIONAL_ROLES,
    Invitation,
    Membership,
    Role,
    User,
)

COUNCIL_HELD = (*COUNCIL_ROLES, *LEADER_ROLES)


def check_scope(role: str, authority, region) -> None:
    """The place a role needs: a council, a region, or neither."""
    if role in COUNCIL_HELD and (authority is None or region is not None):
        raise ValidationError({"authority": f"Choose the council for a {Role(role).label.lower()}"})
    if role == Role.ALLIANCE_COORDINATOR and (region is None or authority is not None):
        raise ValidationError({"region": "Choose the region for an alliance coordinator"})
    if role in NATIONAL_ROLES and (authority is not None or region is not None):
        raise ValidationError(
            {"role": f"A {Role(role).label.lower()} is national: leave council and region empty"}
        )


def _check_grant(actor, role: str, authority) -> None:
    if role not in rules.grantable_roles(actor, authority):
        if rules.grantable_roles(actor, authority):
            raise PermissionDenied(f"Only a national admin can make someone a {Role(role).label.lower()}.")
        raise PermissionDenied("You cannot manage people there.")


def _refuse_self_lockout(actor, membership: Membership, *, role=None, authority=None) -> None:
    if membership.user_id != actor.pk or not rules.takes_away_admin(
        membership, role=role, authority=authority
    ):
        return
    if not rules.last_admin(membership):
        return
    if membership.role == Role.NATIONAL_ADMIN:
        raise ValidationError(
            "You are the hub's only national admin. Make someone else a national admin first, "
            "so that someone can still manage the hub's people."
        )
    name = membership.authority.name
    raise ValidationError(
        f"You are {name}'s only council admin. Make someone else a council admin of {name} first, "
        f"so that someone can still manage {name}'s people."
    )


@transaction.atomic
def invite(*, actor, email: str, full_name: str = "", role: str, authority=None, region=None) -> Invitation:
    """Make an invitation and email its link. Raises ValidationError for a bad request, PermissionDenied
    if `actor` may not grant the role there, invitations.NotSent if the email cannot be sent (then
    nothing is saved)."""
    _check_grant(actor, role, authority)
    check_scope(role, authority, region)
    email = email.strip().lower()
    if invitations.username_taken(email):
        raise ValidationError(
            {
                "email": "There is already an account with this email address. "
                "A national admin can add a role to it"
            }
        )
    if (
        Invitation.objects.pending()
        .filter(email__iexact=email, role=role, authority=authority, region=region)
        .exists()
    ):
        raise ValidationError(
            {
                "email": "This person already has an invitation for this role. "
                "Send it again from the list of invitations"
            }
        )
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        role=role,
        authority=authority,
        region=region,
        invited_by=actor,
    )
    token = invitations.issue(invitation)
    invitation.full_clean()
    invitation.save()
    invitations.send(invitation, token)
    return invitation


def _check_invitation(actor, invitation: Invitation) -> None:
    if not (rules.is_national(actor) or rules.manages_council(actor, invitation.authority)):
        raise PermissionDenied("You cannot manage this invitation.")
    if invitation.role not in rules.grantable_roles(actor, invitation.authority):
        raise PermissionDenied(
            f"Only a national admin can manage an invitation to be a {invitation.get_role_display().lower()}."
        )
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has been accepted already.")
    if invitation.withdrawn_at is not None:
        raise ValidationError("This invitation has been withdrawn.")


@transaction.atomic
def resend(*, actor, invitation: Invitation) -> Invitation:
    """A new link, working for the full time again; the old link stops working."""
    _check_invitation(actor, invitation)
    token = invitations.issue(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    invitations.send(invitation, token)
    return invitation


@transaction.atomic
def withdraw(*, actor, invitation: Invitation) -> Invitation:
    _check_invitation(actor, invitation)
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return invitation


@transaction.atomic
def add_membership(*, actor, person: User, role: str, authority=None, region=None) -> Membership:
    _check_grant(actor, role, authority)
    check_scope(role, authority, region)
    if Membership.objects.filter(user=person, role=role, authority=authority, region=region).exists():
        raise ValidationError({"role": f"{person} already has this role"})
    try:
        with transaction.atomic():
            return Membership.objects.create(user=person, role=role, authority=authority, region=region)
    except IntegrityError:  # a national role held once only, or the same role added in another tab
        raise ValidationError({"role": f"{person} already has this role"}) from None


@transaction.atomic
def change_membership(*, actor, membership: Membership, role: str, authority=None, region=None) -> Membership:
    """Change a membership's role (and, for national admins, its council or region)."""
    if not rules.may_change(actor, membership):
        raise PermissionDenied("You cannot change this person's role.")
    if not rules.is_national(actor):
        authority, region = membership.authority, None  # a council admin changes roles within their council
    _check_grant(actor, role, authority)
    check_scope(role, authority, region)
    _refuse_self_lockout(actor, membership, role=role, authority=authority)
    clash = Membership.objects.filter(user=membership.user, role=role, authority=authority, region=region)
    if clash.exclude(pk=membership.pk).exists():
        raise ValidationError({"role": f"{membership.user} already has this role"})
    membership.role, membership.authority, membership.region = role, authority, region
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError({"role": f"{membership.user} already has this role"}) from None
    return membership


@transaction.atomic
def remove_membership(*, actor, membership: Membership) -> None:
    """Take a role away (the account stays, with its history)."""
    if not rules.may_change(actor, membership):
        raise PermissionDenied("You cannot remove this person's role.")
    _refuse_self_lockout(actor, membership)
    membership.delete()


@transaction.atomic
def set_active(*, actor, person: User, active: bool) -> User:
    """Deactivate (they can no longer sign in) or reactivate an account. National admins only."""
    if not rules.is_national(actor):
        raise PermissionDenied("Only national admins can deactivate or reactivate accounts.")
    if person.pk == actor.pk and not active:
        raise ValidationError(
            "You cannot deactivate your own account. Ask another national admin if it should be deactivated."
        )
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
    return person
