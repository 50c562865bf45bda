"""Writes to people and private records: keyword-only, validated, one transaction each."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from slihub.accounts.models import Contact, Membership, Role, User, scope_of
from slihub.places.models import Authority, Region


@transaction.atomic
def add_contact(
    *, user, authority: Authority, name: str, job_title: str, email: str, phone: str = "", notes: str = ""
) -> Contact:
    if not scope_of(user).can_manage(authority):
        raise PermissionDenied(f"Only {authority.name}'s council admins can change its contacts.")
    contact = Contact(
        authority=authority,
        name=name,
        job_title=job_title,
        email=email,
        phone=phone,
        notes=notes,
        created_by=user,
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def delete_contact(*, user, contact: Contact) -> None:
    if not scope_of(user).can_manage(contact.authority):
        raise PermissionDenied(f"Only {contact.authority.name}'s council admins can change its contacts.")
    contact.delete()


@transaction.atomic
def ensure_user(
    *,
    username: str,
    full_name: str,
    password: str,
    role: str,
    authority: Authority | None = None,
    region: Region | None = None,
) -> tuple[User, bool]:
    """The user with this membership, created if missing; an existing one is left as it is."""
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(password)
        if role == Role.NATIONAL_ADMIN:
            # National admins manage people and memberships in the admin site.
            user.is_staff = user.is_superuser = True
        user.save()
    Membership.objects.get_or_create(user=user, role=role, authority=authority, region=region)
    return user, created
