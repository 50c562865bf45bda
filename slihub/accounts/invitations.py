"""Invitations by email: the link's token, its expiry, the email, and accepting it.

The token is 32 random bytes in the link; only its SHA-256 is stored, so the database (or a backup of
it) cannot be used to accept anyone's invitation. Each invitation works once, until it expires, and
only with its newest link.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from slihub.accounts.models import Invitation, Membership, User

#: how long an invitation's link works, in days (SLIHUB_INVITATION_DAYS)
DEFAULT_DAYS = 7


class NotSent(Exception):
    """The email could not be sent; nothing was saved."""


def days_valid() -> int:
    return int(getattr(settings, "INVITATION_DAYS", DEFAULT_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def in_words(moment) -> str:
    """'14 December 2026' in the hub's time zone."""
    return format_date(timezone.localtime(moment), "j F Y")


def link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('invitation-accept', kwargs={'token': token})}"


def where(invitation: Invitation) -> str:
    """The role and where it applies, in words: 'Council admin for Camden'."""
    role = invitation.get_role_display()
    if invitation.authority_id:
        return f"{role} for {invitation.authority.name}"
    if invitation.region_id:
        return f"{role} for {invitation.region.name}"
    return role


def as_phrase(invitation: Invitation) -> str:
    """The role in a sentence: 'a council admin for Camden', 'an alliance coordinator for London'."""
    role = invitation.get_role_display()
    role = role[0].lower() + role[1:]
    place = invitation.authority or invitation.region
    article = "an" if role[0] in "aeiou" else "a"
    return f"{article} {role} for {place.name}" if place else f"{article} {role}"


def send(invitation: Invitation, token: str) -> None:
    """Email the invitation's link. Raises NotSent if the mail server refuses or cannot be reached."""
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "invitation": invitation,
            "what": as_phrase(invitation),
            "link": link(token),
            "until": in_words(invitation.expires_at),
            "inviter": invitation.invited_by,
        },
    )
    try:
        send_mail("You are invited to SLI Hub", body, None, [invitation.email])
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        raise NotSent(str(error)) from error


def issue(invitation: Invitation) -> str:
    """Give the invitation a new token and expiry (replacing any earlier link); return the token."""
    token, digest = new_token()
    now = timezone.now()
    invitation.token_hash = digest
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=days_valid())
    return token


@dataclass(frozen=True)
class Lookup:
    """What a link leads to: an invitation that can be accepted, or why not ('unknown', 'expired',
    'accepted', 'withdrawn')."""

    invitation: Invitation | None
    problem: str = ""


def find(token: str) -> Lookup:
    invitation = (
        Invitation.objects.select_related("authority", "region", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        return Lookup(None, "unknown")
    if invitation.accepted_at is not None:
        return Lookup(invitation, "accepted")
    if invitation.withdrawn_at is not None:
        return Lookup(invitation, "withdrawn")
    if invitation.expires_at <= timezone.now():
        return Lookup(invitation, "expired")
    return Lookup(invitation)


def username_taken(email: str) -> bool:
    return (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def accept(*, token: str, full_name: str, password: str) -> User:
    """Make the invitee's account (their email is their username) and membership, once.

    Raises ValidationError with a plain message if the link no longer works or the password is refused
    by the password rules."""
    found = find(token)
    if found.problem:
        raise ValidationError("This invitation link no longer works.", code=found.problem)
    invitation = Invitation.objects.select_for_update().get(pk=found.invitation.pk)
    if invitation.accepted_at is not None:  # accepted in another tab a moment ago
        raise ValidationError("This invitation link no longer works.", code="accepted")
    email = invitation.email.lower()
    if username_taken(email):
        raise ValidationError(
            "There is already an account for this email address. Sign in, or reset your password.",
            code="taken",
        )
    user = User(username=email, email=email, full_name=full_name)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(
        user=user, role=invitation.role, authority=invitation.authority, region=invitation.region
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user
