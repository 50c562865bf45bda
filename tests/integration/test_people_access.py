"""The people pages against every persona: national admins manage everyone at /people/; a council's
admins (council admins and its director) manage its people at /authorities/<code>/people/; nobody else
sees either, and links a person cannot use are not shown."""

import pytest

from slihub.accounts.models import Invitation, Membership, Role
from tests import factories
from tests.integration.html import heading, page

OK, FORBIDDEN, SIGN_IN, NOT_FOUND = "ok", "forbidden", "sign in", "not found"
ALL = ("anonymous", "camden_analyst", "leeds_admin", "london_coordinator", "national_admin")
ALL += ("evidence_editor", "no_membership", "camden_chief_executive", "camden_director")

# national pages: only national admins
NATIONAL = {persona: FORBIDDEN for persona in ALL} | {"anonymous": SIGN_IN, "national_admin": OK}

# (persona, council code) -> who may open a council's people pages
COUNCIL = {(persona, code): FORBIDDEN for persona in ALL for code in ("202", "383")}
COUNCIL |= {("anonymous", "202"): SIGN_IN, ("anonymous", "383"): SIGN_IN}
COUNCIL |= {("national_admin", "202"): OK, ("national_admin", "383"): OK}
COUNCIL |= {("leeds_admin", "383"): OK, ("camden_director", "202"): OK}

# (persona, council of the membership) -> changing or removing a council member's role; an id outside
# the councils someone manages answers 404, as one that does not exist
MEMBERSHIP = {(persona, code): NOT_FOUND for persona in ALL for code in ("202", "383")}
MEMBERSHIP |= {("anonymous", "202"): SIGN_IN, ("anonymous", "383"): SIGN_IN}
MEMBERSHIP |= {("national_admin", "202"): OK, ("national_admin", "383"): OK}
MEMBERSHIP |= {("leeds_admin", "383"): OK, ("camden_director", "202"): OK}


@pytest.fixture
def everyone(people, camden_director, places):
    """All personas, and a council member of Leeds whose role can be changed."""
    leeds_member = factories.User.objects.create(username="leeds.member", full_name="Lena Leeds")
    Membership.objects.create(user=leeds_member, role=Role.COUNCIL_MEMBER, authority=places.leeds)
    people["leeds_member"] = leeds_member
    return people


def member_of(people, code):
    user = people["camden_analyst"] if code == "202" else people["leeds_member"]
    return user.memberships.get()


def check(response, path, expected):
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"
    elif expected == FORBIDDEN:
        assert response.status_code == 403
        assert heading(page(response)) == "You do not have access to this page"
    elif expected == NOT_FOUND:
        assert response.status_code == 404
    else:
        assert response.status_code == 200, response.content[:500]


def national_paths(people):
    target = people["camden_analyst"].pk
    return [
        "/people/",
        "/people/invite/",
        f"/people/{target}/",
        f"/people/{target}/roles/add/",
        f"/people/{target}/deactivate/",
    ]


@pytest.mark.parametrize("persona", ALL)
def test_only_national_admins_open_the_national_people_pages(as_persona, everyone, persona):
    client = as_persona(persona)
    for path in national_paths(everyone):
        check(client.get(path), path, NATIONAL[persona])


@pytest.mark.parametrize("persona", ALL)
def test_only_national_admins_can_post_to_the_national_people_pages(as_persona, everyone, places, persona):
    client = as_persona(persona)
    target = everyone["camden_analyst"]
    posts = {
        "/people/invite/": {
            "email": "new@example.gov.uk",
            "role": Role.COUNCIL_MEMBER,
            "authority": places.camden.pk,
        },
        f"/people/{target.pk}/roles/add/": {"role": Role.COUNCIL_MEMBER, "authority": places.leeds.pk},
        f"/people/{target.pk}/deactivate/": {},
        f"/people/{target.pk}/reactivate/": {},
    }
    for path, data in posts.items():
        response = client.post(path, data)
        if NATIONAL[persona] == OK:
            assert response.status_code == 302, (path, response.content[:800])
        else:
            check(response, path, NATIONAL[persona])
    target.refresh_from_db()
    if NATIONAL[persona] != OK:
        assert target.is_active
        assert not Invitation.objects.exists()
        assert list(target.memberships.values_list("authority__code", flat=True)) == ["202"]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("code", ["202", "383"])
def test_a_councils_people_pages_open_to_its_admins_and_national_admins_only(
    as_persona, everyone, persona, code
):
    client = as_persona(persona)
    for path in (f"/authorities/{code}/people/", f"/authorities/{code}/people/invite/"):
        check(client.get(path), path, COUNCIL[persona, code])


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("code", ["202", "383"])
def test_inviting_to_a_council_is_for_its_admins_and_national_admins_only(
    as_persona, everyone, mailoutbox, persona, code
):
    path = f"/authorities/{code}/people/invite/"
    response = as_persona(persona).post(path, {"email": "new@example.gov.uk", "role": Role.COUNCIL_MEMBER})
    if COUNCIL[persona, code] == OK:
        assert response.status_code == 302
        assert Invitation.objects.get().authority.code == code
        assert len(mailoutbox) == 1
    else:
        check(response, path, COUNCIL[persona, code])
        assert not Invitation.objects.exists()
        assert mailoutbox == []


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("code", ["202", "383"])
def test_changing_and_removing_a_role_is_for_the_councils_admins_and_national_admins(
    as_persona, everyone, persona, code
):
    client = as_persona(persona)
    membership = member_of(everyone, code)
    for action in ("change", "remove"):
        path = f"/people/roles/{membership.pk}/{action}/"
        check(client.get(path), path, MEMBERSHIP[persona, code])
    response = client.post(
        f"/people/roles/{membership.pk}/change/",
        {"role": Role.COUNCIL_ADMIN, "authority": membership.authority_id},
    )
    membership.refresh_from_db()
    if MEMBERSHIP[persona, code] == OK:
        assert response.status_code == 302
        assert membership.role == Role.COUNCIL_ADMIN
    else:
        assert membership.role == Role.COUNCIL_MEMBER
    response = client.post(f"/people/roles/{membership.pk}/remove/")
    assert Membership.objects.filter(pk=membership.pk).exists() == (MEMBERSHIP[persona, code] != OK)


@pytest.mark.parametrize("persona", ALL)
def test_invitations_are_sent_again_and_withdrawn_only_by_those_who_manage_them(
    as_persona, everyone, places, mailoutbox, persona
):
    invitation = factories_invitation(everyone["national_admin"], places.camden)
    digest = invitation.token_hash
    mailoutbox.clear()  # the first sending
    client = as_persona(persona)
    expected = MEMBERSHIP[persona, "202"]
    path = f"/people/invitations/{invitation.pk}/withdraw/"
    check(client.get(path), path, expected)
    response = client.post(f"/people/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    if expected == OK:
        assert response.status_code == 302
        assert invitation.token_hash != digest
        assert len(mailoutbox) == 1
    else:
        assert response.status_code in (302, 404)  # 302: to sign in
        assert invitation.token_hash == digest
        assert mailoutbox == []
    client.post(path)
    invitation.refresh_from_db()
    assert (invitation.withdrawn_at is not None) == (expected == OK)


def factories_invitation(actor, authority, role=Role.COUNCIL_MEMBER, email="invited@example.gov.uk"):
    from slihub.accounts import people

    return people.invite(actor=actor, email=email, role=role, authority=authority)


# --------------------------------------------------------------------------------- links not shown


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("camden_analyst", False), ("leeds_admin", True), ("national_admin", True), ("camden_director", False)],
)
def test_the_leeds_people_page_shows_change_links_only_for_roles_the_reader_may_change(
    as_persona, everyone, persona, shown
):
    director = factories.director(
        everyone["leeds_member"].memberships.get().authority, username="leeds.director"
    )
    response = as_persona(persona).get("/authorities/383/people/")
    if persona in ("camden_analyst", "camden_director"):
        assert response.status_code == 403
        return
    document = page(response)
    member = everyone["leeds_member"].memberships.get()
    assert bool(document.find("a", href=f"/people/roles/{member.pk}/change/")) == shown
    # a council admin cannot change the director's role: a national admin records who that is
    director_link = document.find("a", href=f"/people/roles/{director.memberships.get().pk}/change/")
    assert bool(director_link) == (persona == "national_admin")


def test_a_council_admin_cannot_change_the_directors_role(as_persona, everyone, places):
    director = factories.director(places.leeds, username="leeds.director")
    membership = director.memberships.get()
    client = as_persona("leeds_admin")
    assert client.get(f"/people/roles/{membership.pk}/change/").status_code == 403
    assert client.post(f"/people/roles/{membership.pk}/remove/").status_code == 403
    assert Membership.objects.filter(pk=membership.pk, role=Role.DIRECTOR).exists()
