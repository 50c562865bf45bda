"""People, their roles, and the access rule every private record goes through.

A user's memberships give a Scope: the authorities they belong to, the regions
they coordinate, or everything for a national admin. Each private model's
queryset has `visible_to(user)` built on it, and nothing else decides access.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from slihub.places.models import Authority, Region


class User(AbstractUser):
    full_name = models.CharField(max_length=150, blank=True)

    def __str__(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    COUNCIL_MEMBER = "council_member", "Council member"
    COUNCIL_ADMIN = "council_admin", "Council admin"
    ALLIANCE_COORDINATOR = "alliance_coordinator", "Alliance coordinator"
    NATIONAL_ADMIN = "national_admin", "National admin"
    # national in reach, but only over the evidence library: reviews and publishes councils' study uploads
    EVIDENCE_EDITOR = "evidence_editor", "Evidence editor"
    # a council's political and corporate leads: they read its improvement cycle (self-assessment,
    # challenge reports, support agreements, early-warning summary) but none of its other records
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    LEAD_MEMBER = "lead_member", "Lead member for children's services"
    # the council's director of children's services: a council admin who also answers the annual survey
    DIRECTOR = "director", "Director of children's services"


COUNCIL_ROLES = (Role.COUNCIL_MEMBER, Role.COUNCIL_ADMIN, Role.DIRECTOR)
ADMIN_ROLES = (Role.COUNCIL_ADMIN, Role.DIRECTOR)
LEADER_ROLES = (Role.CHIEF_EXECUTIVE, Role.LEAD_MEMBER)
NATIONAL_ROLES = (Role.NATIONAL_ADMIN, Role.EVIDENCE_EDITOR)


class Membership(models.Model):
    """A role someone holds: in a council, for a region, or nationally."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"is_current": True},
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"parent": None},
    )

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=(*COUNCIL_ROLES, *LEADER_ROLES), authority__isnull=False, region__isnull=True)
                    | Q(role=Role.ALLIANCE_COORDINATOR, authority__isnull=True, region__isnull=False)
                    | Q(role__in=NATIONAL_ROLES, authority__isnull=True, region__isnull=True)
                ),
            ),
            # One constraint per kind of scope: SQLite cannot treat NULLs as equal in one.
            models.UniqueConstraint(
                fields=["user", "role", "authority"],
                condition=Q(authority__isnull=False),
                name="membership_unique_council",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="membership_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role=Role.NATIONAL_ADMIN), name="membership_unique_national"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role=Role.EVIDENCE_EDITOR),
                name="membership_unique_evidence_editor",
            ),
        ]

    def __str__(self):
        where = self.authority or self.region or "England"
        return f"{self.user}: {self.get_role_display()}, {where}"


@dataclass(frozen=True)
class Scope:
    """What one user may see and change."""

    national: bool = False
    member_of: frozenset[int] = frozenset()  # authority ids, any council role
    admin_of: frozenset[int] = frozenset()  # authority ids where they are council admin
    coordinates: frozenset[int] = frozenset()  # region ids
    edits_evidence: bool = False  # reviews and publishes study uploads: evidence editors and national admins
    leads: frozenset[int] = frozenset()  # authority ids where they are chief executive or lead member
    directs: frozenset[int] = frozenset()  # authority ids where they are director of children's services

    @classmethod
    def of(cls, user) -> "Scope":
        if not user.is_authenticated or not user.is_active:
            return cls()
        memberships = list(user.memberships.values_list("role", "authority_id", "region_id"))
        national = user.is_superuser or any(role == Role.NATIONAL_ADMIN for role, _, _ in memberships)
        return cls(
            national=national,
            edits_evidence=national or any(role == Role.EVIDENCE_EDITOR for role, _, _ in memberships),
            member_of=frozenset(a for role, a, _ in memberships if role in COUNCIL_ROLES),
            admin_of=frozenset(a for role, a, _ in memberships if role in ADMIN_ROLES),
            directs=frozenset(a for role, a, _ in memberships if role == Role.DIRECTOR),
            leads=frozenset(a for role, a, _ in memberships if role in LEADER_ROLES),
            coordinates=frozenset(r for role, _, r in memberships if role == Role.ALLIANCE_COORDINATOR),
        )

    def authority_filter(self, path: str = "authority") -> Q | None:
        """A filter for records owned by an authority at `path`; None means everything."""
        if self.national:
            return None
        return Q(**{f"{path}__in": self.member_of}) | Q(**{f"{path}__region__in": self.coordinates})

    def can_view(self, authority: Authority) -> bool:
        return self.national or authority.id in self.member_of or authority.region_id in self.coordinates

    def cycle_filter(self, path: str = "authority") -> Q | None:
        """Like authority_filter, for the improvement cycle's records, which the council's chief
        executive and lead member read too."""
        if self.national:
            return None
        readers = self.member_of | self.leads
        return Q(**{f"{path}__in": readers}) | Q(**{f"{path}__region__in": self.coordinates})

    def can_read_cycle(self, authority: Authority) -> bool:
        return self.can_view(authority) or authority.id in self.leads

    def can_manage(self, authority: Authority) -> bool:
        return self.national or authority.id in self.admin_of


def scope_of(user) -> Scope:
    """The user's Scope, worked out once per request (it is kept on the user object)."""
    if not hasattr(user, "_slihub_scope"):
        user._slihub_scope = Scope.of(user)
    return user._slihub_scope


class AuthorityOwnedQuerySet(models.QuerySet):
    """For private records that belong to one authority."""

    def visible_to(self, user):
        condition = scope_of(user).authority_filter()
        return self if condition is None else self.filter(condition)


phone_validator = RegexValidator(r"^[0-9 +()-]{6,20}$", "Enter a telephone number, like 020 7946 0000")


class Contact(models.Model):
    """A council's private contact list: who to call there about what."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=20, blank=True, validators=[phone_validator])
    notes = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuthorityOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "name"]

    def __str__(self):
        return f"{self.name}, {self.job_title} ({self.authority})"


class ComparatorGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The groups a user manages: their own. (Anyone with a group's link may read it by its token.)"""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class ComparatorGroup(models.Model):
    """A named set of authorities (and optionally indicators) to compare, saved by a user and shared by
    link. Codes, not foreign keys: DfE's three-digit codes and the indicators' codes are the stable keys
    of published data, the order matters (the first authority is the one highlighted), and a code
    that no longer names anything is reported when the group is opened rather than lost."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="comparator_groups")
    name = models.CharField(max_length=100)
    token = models.CharField(max_length=32, unique=True)  # the unguessable part of the link
    authority_codes = models.JSONField(default=list)
    indicator_codes = models.JSONField(default=list, blank=True)  # [] for the headline indicators
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComparatorGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} ({self.owner})"


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National admins see every invitation; council admins their own councils'."""
        scope = scope_of(user)
        if scope.national:
            return self
        return self.filter(authority__in=scope.admin_of)

    def pending(self):
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(models.Model):
    """An emailed link to join the hub with one role. Only a hash of the link's token is stored: the
    token itself is in the email alone. Sending it again makes a new token, so the old link stops
    working; accepting it makes the account and its membership, once."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices)
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # the account made when it was accepted
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="invitation_scope_matches_role",
                condition=(
                    Q(role__in=(*COUNCIL_ROLES, *LEADER_ROLES), authority__isnull=False, region__isnull=True)
                    | Q(role=Role.ALLIANCE_COORDINATOR, authority__isnull=True, region__isnull=False)
                    | Q(role__in=NATIONAL_ROLES, authority__isnull=True, region__isnull=True)
                ),
            ),
        ]

    def __str__(self):
        where = self.authority or self.region or "England"
        return f"Invitation to {self.email}: {self.get_role_display()}, {where}"
