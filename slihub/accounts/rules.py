"""Who may manage whose memberships: the rules the people pages and their services share.

National admins manage everyone, with any role. A council's admins (council admins and its director)
manage their own council's people, and may grant only the council roles below: never a national role,
a coordinator's, or the director's (the director answers the national survey for the council, so a
national admin records who that is).
"""

from slihub.accounts.models import ADMIN_ROLES, COUNCIL_ROLES, LEADER_ROLES, Membership, Role, scope_of

#: roles a council's own admins may grant, change and remove in their council
COUNCIL_GRANTABLE = (Role.COUNCIL_MEMBER, Role.COUNCIL_ADMIN, Role.CHIEF_EXECUTIVE, Role.LEAD_MEMBER)
#: every role held in a council
COUNCIL_HELD = (*COUNCIL_ROLES, *LEADER_ROLES)

ROLE_HINTS = {
    Role.COUNCIL_MEMBER: "Sees the council's private records",
    Role.COUNCIL_ADMIN: "Also changes the council's records and manages its people",
    Role.CHIEF_EXECUTIVE: "Reads the council's improvement cycle only",
    Role.LEAD_MEMBER: "Reads the council's improvement cycle only",
    Role.DIRECTOR: "A council admin who also answers the annual survey",
    Role.ALLIANCE_COORDINATOR: "Sees the private records of every council in a region",
    Role.NATIONAL_ADMIN: "Sees and changes everything, and manages everyone's accounts",
    Role.EVIDENCE_EDITOR: "Reviews and publishes study uploads",
}


def is_national(user) -> bool:
    return scope_of(user).national


def manages_council(user, authority) -> bool:
    """National admins, and the council's admins and director."""
    return authority is not None and scope_of(user).can_manage(authority)


def grantable_roles(user, authority=None) -> list[str]:
    """The roles `user` may grant (in `authority`, when it is given)."""
    if is_national(user):
        return list(Role.values)
    if authority is not None and manages_council(user, authority):
        return list(COUNCIL_GRANTABLE)
    return []


def may_change(user, membership: Membership) -> bool:
    """Whether `user` may change or remove this membership."""
    if is_national(user):
        return True
    return membership.role in COUNCIL_GRANTABLE and manages_council(user, membership.authority)


def may_manage_invitation(user, invitation) -> bool:
    """Whether `user` may send again or withdraw this invitation."""
    if is_national(user):
        return True
    return invitation.role in COUNCIL_GRANTABLE and manages_council(user, invitation.authority)


def councils_managed(user):
    """Ids of the councils whose people `user` manages as a council admin (all, for national admins)."""
    return scope_of(user).admin_of


def takes_away_admin(membership: Membership, *, role: str | None = None, authority=None) -> bool:
    """Whether removing `membership` (role None) or changing it to `role` in `authority` takes away the
    power to manage its council's people, or the hub's."""
    if membership.role in ADMIN_ROLES:
        return role not in ADMIN_ROLES or authority != membership.authority
    return membership.role == Role.NATIONAL_ADMIN and role != Role.NATIONAL_ADMIN


def last_admin(membership: Membership) -> bool:
    """Whether this is its council's only active admin (or the hub's only active national admin)."""
    if membership.role in ADMIN_ROLES:
        others = Membership.objects.filter(
            authority=membership.authority, role__in=ADMIN_ROLES, user__is_active=True
        )
    elif membership.role == Role.NATIONAL_ADMIN:
        others = Membership.objects.filter(role=Role.NATIONAL_ADMIN, user__is_active=True)
    else:
        return False
    return not others.exclude(user=membership.user).exists()
