"""People and accounts: invitations by email with expiring links, accepting them, changing and removing
roles, deactivating accounts, the rules that keep a council (and the hub) manageable, and the audit
entries of each write."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from slihub.accounts import invitations
from slihub.accounts import people as services
from slihub.accounts.models import Invitation, Membership, Role, User
from tests import factories
from tests.integration.html import heading, page, table_rows

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long and quiet river 42"
LINK = re.compile(r"http://\S+/accounts/invitation/(\S+)/")
DJANGO_WORDING = ("This field is required", "This password is too", "didn’t match", "Enter a valid")


def token_from(message) -> str:
    return LINK.search(message.body)[1]


def invite_to_leeds(client, mailoutbox, email="nia@example.gov.uk", role=Role.COUNCIL_MEMBER):
    response = client.post(
        "/authorities/383/people/invite/", {"email": email, "full_name": "Nia", "role": role}
    )
    assert response.status_code == 302, page(response).one("main").text
    return token_from(mailoutbox[-1])


def errors_of(response) -> list[str]:
    summary = page(response).find(class_="govuk-error-summary")
    return [item.text for item in summary.find_all("li")] if summary else []


# ------------------------------------------------------------------------------------ invitations


def test_an_invitation_email_is_plain_words_with_a_link_and_its_date(as_persona, places, people, mailoutbox):
    client = as_persona("leeds_admin")
    response = client.post(
        "/authorities/383/people/invite/",
        {"email": "Nia@Example.gov.uk", "full_name": "Nia Patel", "role": Role.COUNCIL_ADMIN},
    )
    assert response.status_code == 302
    assert response["Location"] == "/authorities/383/people/"
    [message] = mailoutbox
    invitation = Invitation.objects.get()
    until = invitations.in_words(invitation.expires_at)
    assert message.to == ["nia@example.gov.uk"]
    assert message.subject == "You are invited to SLI Hub"
    assert "Leeds Admin has invited you" in message.body
    assert "as a council admin for Leeds." in message.body
    assert f"This link works until {until}." in message.body
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", until)
    assert "<" not in message.body and "&#" not in message.body  # plain text, nothing escaped
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
    # only a hash of the token is stored
    token = token_from(message)
    assert token not in invitation.token_hash
    assert invitation.token_hash == invitations.hash_token(token)
    # the list says when the link stops working
    listed = page(client.get("/authorities/383/people/"))
    assert f"Works until {until}" in listed.one("main").text


def test_the_invitee_sets_name_and_password_and_signs_in_with_their_email(
    as_persona, client, places, people, mailoutbox
):
    token = invite_to_leeds(as_persona("leeds_admin"), mailoutbox)
    client.logout()
    path = f"/accounts/invitation/{token}/"
    form = page(client.get(path))
    assert heading(form) == "Set up your account"
    assert "nia@example.gov.uk" in form.one("main").text
    response = client.post(
        path, {"full_name": "Nia Patel", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    user = User.objects.get(username="nia@example.gov.uk")
    assert (user.full_name, user.email) == ("Nia Patel", "nia@example.gov.uk")
    assert list(user.memberships.values_list("role", "authority__code")) == [(Role.COUNCIL_MEMBER, "383")]
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None and invitation.user == user
    signed_in = client.post("/accounts/login/", {"username": "nia@example.gov.uk", "password": GOOD_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"


def test_a_link_works_once(as_persona, client, places, people, mailoutbox):
    token = invite_to_leeds(as_persona("leeds_admin"), mailoutbox)
    path = f"/accounts/invitation/{token}/"
    data = {"full_name": "Nia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    assert client.post(path, data).status_code == 302
    again = client.post(path, data)
    assert again.status_code == 410
    assert heading(page(again)) == "This invitation has been used already."
    assert "Sign in" in page(again).one("main").text
    assert User.objects.filter(email="nia@example.gov.uk").count() == 1


def test_an_expired_link_says_what_to_do_and_makes_no_account(as_persona, client, places, people, mailoutbox):
    token = invite_to_leeds(as_persona("leeds_admin"), mailoutbox)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    path = f"/accounts/invitation/{token}/"
    response = client.get(path)
    assert response.status_code == 410
    document = page(response)
    assert heading(document) == "This invitation has expired."
    assert "Ask Leeds Admin, who invited you, to send the invitation again" in document.one("main").text
    client.post(path, {"full_name": "Nia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert not User.objects.filter(email="nia@example.gov.uk").exists()
    with pytest.raises(Exception, match="no longer works"):
        invitations.accept(token=token, full_name="Nia", password=GOOD_PASSWORD)


def test_sending_again_replaces_the_link_and_restarts_the_week(
    as_persona, client, places, people, mailoutbox
):
    admin = as_persona("leeds_admin")
    old = invite_to_leeds(admin, mailoutbox)
    invitation = Invitation.objects.get()
    Invitation.objects.update(
        expires_at=timezone.now() - timedelta(days=1)
    )  # expired: sending again revives it
    response = admin.post(
        f"/people/invitations/{invitation.pk}/resend/", {"next": "/authorities/383/people/"}
    )
    assert response["Location"] == "/authorities/383/people/"
    new = token_from(mailoutbox[-1])
    assert new != old
    assert client.get(f"/accounts/invitation/{old}/").status_code == 404
    assert client.get(f"/accounts/invitation/{new}/").status_code == 200
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)


def test_a_withdrawn_invitation_stops_working(as_persona, client, places, people, mailoutbox):
    admin = as_persona("leeds_admin")
    token = invite_to_leeds(admin, mailoutbox)
    invitation = Invitation.objects.get()
    confirm = page(admin.get(f"/people/invitations/{invitation.pk}/withdraw/"))
    assert heading(confirm) == "Are you sure you want to withdraw this invitation?"
    admin.post(f"/people/invitations/{invitation.pk}/withdraw/")
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code == 410
    assert heading(page(response)) == "This invitation has been withdrawn."
    assert "Invitations not yet accepted" in page(admin.get("/authorities/383/people/")).one("main").text
    assert "nia@example.gov.uk" not in admin.get("/authorities/383/people/").content.decode()


def test_an_unknown_link_explains_itself(client, db):
    response = client.get("/accounts/invitation/not-a-real-token/")
    assert response.status_code == 404
    assert "Check that you copied the whole link" in page(response).one("main").text


def test_a_refused_password_is_explained_in_plain_words_and_nothing_is_made(
    as_persona, client, places, people, mailoutbox
):
    token = invite_to_leeds(as_persona("leeds_admin"), mailoutbox)
    path = f"/accounts/invitation/{token}/"
    response = client.post(path, {"full_name": "", "password1": "12345", "password2": "12345"})
    assert response.status_code == 200
    assert errors_of(response) == [
        "Enter your full name",
        "Password must be 12 characters or more",
        "Password is too common: choose one that is harder to guess",
        "Password must include a letter or a symbol, not only numbers",
    ]
    mismatch = client.post(
        path, {"full_name": "Nia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"}
    )
    assert errors_of(mismatch) == ["Enter the same password in both boxes"]
    similar = client.post(
        path, {"full_name": "Nia", "password1": "nia@example.gov.uk", "password2": "nia@example.gov.uk"}
    )
    assert "Password must not be like your name, username or email address" in errors_of(similar)
    for answer in (response, mismatch, similar):
        assert not any(words in answer.content.decode() for words in DJANGO_WORDING)
    assert not User.objects.filter(email="nia@example.gov.uk").exists()


def test_an_invitation_to_someone_with_an_account_is_refused_with_a_reason(
    as_persona, places, people, mailoutbox
):
    User.objects.create(username="taken", email="taken@example.gov.uk")
    response = as_persona("leeds_admin").post(
        "/authorities/383/people/invite/", {"email": "TAKEN@example.gov.uk", "role": Role.COUNCIL_MEMBER}
    )
    assert errors_of(response) == [
        "There is already an account with this email address. A national admin can add a role to it"
    ]
    assert mailoutbox == [] and not Invitation.objects.exists()


def test_a_mail_server_that_refuses_saves_nothing_and_says_so(as_persona, places, people, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(invitations, "send_mail", refuse)
    response = as_persona("national_admin").post(
        "/people/invite/", {"email": "x@example.gov.uk", "role": Role.EVIDENCE_EDITOR}
    )
    assert response.status_code == 200
    assert errors_of(response) == [
        "The email could not be sent, so nothing was saved. Try again later, or ask the hub's operators."
    ]
    assert not Invitation.objects.exists()


# ----------------------------------------------------------------- what council admins may grant


@pytest.mark.parametrize(
    "role", [Role.NATIONAL_ADMIN, Role.EVIDENCE_EDITOR, Role.DIRECTOR, "alliance_coordinator"]
)
def test_a_council_admin_cannot_grant_national_regional_or_director_roles(as_persona, places, people, role):
    client = as_persona("leeds_admin")
    offered = page(client.get("/authorities/383/people/invite/"))
    assert not offered.find("input", value=role)
    response = client.post("/authorities/383/people/invite/", {"email": "n@example.gov.uk", "role": role})
    assert errors_of(response) == ["Choose one of the roles listed"]
    assert not Invitation.objects.exists()
    member = factories.User.objects.create(username="lena")
    membership = Membership.objects.create(user=member, role=Role.COUNCIL_MEMBER, authority=places.leeds)
    client.post(f"/people/roles/{membership.pk}/change/", {"role": role})
    membership.refresh_from_db()
    assert membership.role == Role.COUNCIL_MEMBER


def test_a_council_admin_cannot_change_another_councils_people_through_the_services(places, people):
    camden_membership = people["camden_analyst"].memberships.get()
    with pytest.raises(PermissionDenied):
        services.change_membership(
            actor=people["leeds_admin"], membership=camden_membership, role=Role.COUNCIL_ADMIN
        )
    with pytest.raises(PermissionDenied):
        services.remove_membership(actor=people["leeds_admin"], membership=camden_membership)
    with pytest.raises(PermissionDenied):
        services.invite(
            actor=people["leeds_admin"],
            email="a@example.gov.uk",
            role=Role.COUNCIL_MEMBER,
            authority=places.camden,
        )
    with pytest.raises(PermissionDenied):
        services.set_active(actor=people["leeds_admin"], person=people["camden_analyst"], active=False)
    assert Membership.objects.filter(pk=camden_membership.pk, role=Role.COUNCIL_MEMBER).exists()


# ------------------------------------------------------------------- nobody locks a council out


def test_the_only_council_admin_cannot_remove_or_demote_themselves(as_persona, places, people):
    client = as_persona("leeds_admin")
    own = people["leeds_admin"].memberships.get()
    response = client.post(f"/people/roles/{own.pk}/remove/")
    assert response.status_code == 200
    message = (
        "You are Leeds's only council admin. Make someone else a council admin of Leeds first, "
        "so that someone can still manage Leeds's people."
    )
    assert errors_of(response) == [message]
    demoted = client.post(f"/people/roles/{own.pk}/change/", {"role": Role.COUNCIL_MEMBER})
    assert errors_of(demoted) == [message]
    own.refresh_from_db()
    assert own.role == Role.COUNCIL_ADMIN


def test_a_council_admin_may_step_down_once_there_is_another(as_persona, places, people):
    other = factories.User.objects.create(username="second.admin")
    Membership.objects.create(user=other, role=Role.COUNCIL_ADMIN, authority=places.leeds)
    client = as_persona("leeds_admin")
    own = people["leeds_admin"].memberships.get()
    response = client.post(f"/people/roles/{own.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == "/"  # they can no longer see the page
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_a_deactivated_fellow_admin_does_not_count(as_persona, places, people):
    other = factories.User.objects.create(username="second.admin", is_active=False)
    Membership.objects.create(user=other, role=Role.COUNCIL_ADMIN, authority=places.leeds)
    own = people["leeds_admin"].memberships.get()
    response = as_persona("leeds_admin").post(f"/people/roles/{own.pk}/remove/")
    assert "only council admin" in errors_of(response)[0]


def test_the_only_national_admin_keeps_their_role_and_nobody_deactivates_themselves(
    as_persona, places, people
):
    client = as_persona("national_admin")
    admin = people["national_admin"]
    own = admin.memberships.get()
    response = client.post(f"/people/roles/{own.pk}/remove/")
    assert errors_of(response)[0].startswith("You are the hub's only national admin.")
    own_page = page(client.get(f"/people/{admin.pk}/"))
    assert not own_page.find("a", href=f"/people/{admin.pk}/deactivate/")
    refused = client.post(f"/people/{admin.pk}/deactivate/")
    assert errors_of(refused) == [
        "You cannot deactivate your own account. Ask another national admin if it should be deactivated."
    ]
    admin.refresh_from_db()
    assert admin.is_active and Membership.objects.filter(pk=own.pk).exists()


# --------------------------------------------------------------------------- national admins' pages


def test_a_deactivated_account_cannot_sign_in_and_can_be_reactivated(as_persona, client, places, people):
    admin = as_persona("national_admin")
    analyst = people["camden_analyst"]
    confirm = page(admin.get(f"/people/{analyst.pk}/deactivate/"))
    assert heading(confirm) == "Are you sure you want to deactivate this account?"
    admin.post(f"/people/{analyst.pk}/deactivate/")
    analyst.refresh_from_db()
    assert not analyst.is_active
    assert User.objects.filter(pk=analyst.pk).exists()  # never deleted
    detail = page(admin.get(f"/people/{analyst.pk}/"))
    assert "This account is deactivated" in detail.one("main").text
    admin.post(f"/people/{analyst.pk}/reactivate/")
    analyst.refresh_from_db()
    assert analyst.is_active


def test_a_national_admin_adds_changes_and_removes_roles_anywhere(as_persona, places, people):
    client = as_persona("national_admin")
    analyst = people["camden_analyst"]
    response = client.post(
        f"/people/{analyst.pk}/roles/add/", {"role": Role.ALLIANCE_COORDINATOR, "region": places.yorkshire.pk}
    )
    assert response.status_code == 302
    coordinator = analyst.memberships.get(role=Role.ALLIANCE_COORDINATOR)
    assert coordinator.region == places.yorkshire
    missing = client.post(f"/people/{analyst.pk}/roles/add/", {"role": Role.COUNCIL_MEMBER})
    assert errors_of(missing) == ["Choose the council for a council member"]
    client.post(
        f"/people/roles/{coordinator.pk}/change/", {"role": Role.DIRECTOR, "authority": places.leeds.pk}
    )
    coordinator.refresh_from_db()
    assert (coordinator.role, coordinator.authority, coordinator.region) == (
        Role.DIRECTOR,
        places.leeds,
        None,
    )
    client.post(f"/people/roles/{coordinator.pk}/remove/")
    assert list(analyst.memberships.values_list("role", flat=True)) == [Role.COUNCIL_MEMBER]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (
            "",
            [
                "Camden Analyst",
                "Camden Chief Executive",
                "Evidence Editor",
                "Leeds Admin",
                "London Coordinator",
            ],
        ),
        ("q=leeds", ["Leeds Admin"]),
        ("q=camden.analyst", ["Camden Analyst"]),
        ("role=alliance_coordinator", ["London Coordinator"]),
        ("council=202", ["Camden Analyst", "Camden Chief Executive"]),
        ("region=london", ["Camden Analyst", "Camden Chief Executive", "London Coordinator"]),
        ("active=no", []),
    ],
)
def test_the_list_of_people_searches_and_filters(as_persona, places, people, query, names):
    document = page(as_persona("national_admin").get(f"/people/?{query}"))
    rows = table_rows(document.find_all("table")[0])
    shown = [row[0] for row in rows if row[0] != "Nobody matches these filters."]
    expected = names if query else [*names, "National Admin", "No Membership"]
    assert sorted(shown) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("council=999&region=nowhere&role=king&active=x", "could not be read"),
        ("q=" + "x" * 101, "could not be read"),
        ("council=999", "There is no council with the code 999."),
        ("region=nowhere", "There is no such region."),
    ],
)
def test_bad_filters_are_explained_not_a_server_error(as_persona, places, people, query, problem):
    response = as_persona("national_admin").get(f"/people/?{query}")
    assert response.status_code == 200
    summary = page(response).one(class_="govuk-error-summary").text
    assert problem in summary


def test_a_null_character_in_the_search_is_never_a_server_error(as_persona, places, people):
    response = as_persona("national_admin").get("/people/?q=%00camden.analyst")
    assert response.status_code == 200  # the hub's middleware leaves control characters out of a query


def test_the_list_of_people_reads_in_a_bounded_number_of_queries(
    as_persona, places, people, django_assert_max_num_queries
):
    client = as_persona("national_admin")
    client.get("/people/")
    for number in range(30):
        person = User.objects.create(username=f"extra{number}")
        Membership.objects.create(user=person, role=Role.COUNCIL_MEMBER, authority=places.camden)
    with django_assert_max_num_queries(15):
        client.get("/people/")


# ---------------------------------------------------------------------------------------- the audit


def entries(model, **kwargs):
    return LogEntry.objects.filter(content_type__model=model._meta.model_name, **kwargs)


def test_every_write_is_in_the_audit_log_with_who_made_it(as_persona, client, places, people, mailoutbox):
    admin_user = people["national_admin"]
    admin = as_persona("national_admin")
    admin.post(
        "/people/invite/",
        {"email": "ria@example.gov.uk", "role": Role.COUNCIL_MEMBER, "authority": places.camden.pk},
    )
    invitation = Invitation.objects.get()
    created = entries(Invitation, object_id=invitation.pk, action=LogEntry.Action.CREATE).get()
    assert created.actor == admin_user
    assert "email" in created.changes_dict and "token_hash" not in created.changes_dict  # a secret's hash
    admin.post(f"/people/invitations/{invitation.pk}/resend/")
    resent = entries(Invitation, object_id=invitation.pk, action=LogEntry.Action.UPDATE).get()
    assert resent.actor == admin_user and "expires_at" in resent.changes_dict
    assert "token_hash" not in resent.changes_dict
    token = token_from(mailoutbox[-1])

    client.logout()
    anonymous = client
    anonymous.post(
        f"/accounts/invitation/{token}/",
        {"full_name": "Ria", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    ria = User.objects.get(username="ria@example.gov.uk")
    assert entries(User, object_id=ria.pk, action=LogEntry.Action.CREATE).exists()
    membership = ria.memberships.get()
    assert entries(Membership, object_id=membership.pk, action=LogEntry.Action.CREATE).exists()
    assert entries(Invitation, object_id=invitation.pk, changes__icontains="accepted_at").exists()

    admin = as_persona("national_admin")
    admin.post(
        f"/people/roles/{membership.pk}/change/", {"role": Role.COUNCIL_ADMIN, "authority": places.camden.pk}
    )
    changed = entries(Membership, object_id=membership.pk, action=LogEntry.Action.UPDATE).get()
    assert changed.actor == admin_user
    assert changed.changes_dict["role"] == ["council_member", "council_admin"]
    admin.post(f"/people/{ria.pk}/roles/add/", {"role": Role.EVIDENCE_EDITOR})
    assert entries(Membership, action=LogEntry.Action.CREATE, actor=admin_user).exists()
    admin.post(f"/people/roles/{membership.pk}/remove/")
    assert (
        entries(Membership, object_id=membership.pk, action=LogEntry.Action.DELETE).get().actor == admin_user
    )
    admin.post(f"/people/{ria.pk}/deactivate/")
    deactivated = entries(User, object_id=ria.pk, action=LogEntry.Action.UPDATE, actor=admin_user).get()
    assert deactivated.changes_dict["is_active"] == ["True", "False"]

    second = services.invite(actor=admin_user, email="sam@example.gov.uk", role=Role.EVIDENCE_EDITOR)
    admin.post(f"/people/invitations/{second.pk}/withdraw/")
    assert entries(
        Invitation, object_id=second.pk, changes__icontains="withdrawn_at", actor=admin_user
    ).exists()


def test_a_council_invitation_is_in_that_councils_audit_log(as_persona, places, people, mailoutbox):
    from slihub.audit.models import EntryAuthority

    invite_to_leeds(as_persona("leeds_admin"), mailoutbox)
    entry = entries(Invitation, action=LogEntry.Action.CREATE).get()
    assert list(EntryAuthority.objects.filter(entry=entry).values_list("authority__code", flat=True)) == [
        "383"
    ]


@pytest.mark.parametrize(
    ("persona", "link"),
    [
        ("anonymous", None),
        ("camden_analyst", None),
        ("london_coordinator", None),
        ("camden_chief_executive", None),
        ("leeds_admin", "/authorities/383/people/"),
        ("camden_director", "/authorities/202/people/"),
        ("national_admin", "/people/"),
    ],
)
def test_the_header_links_to_the_people_pages_for_their_managers(as_persona, camden_director, persona, link):
    page = as_persona(persona).get("/regions/").content.decode()
    header = page.split('aria-label="Your account"')[-1].split("</nav>")[0] if "Your account" in page else ""
    shown = re.findall(r'href="([^"]*)"[^>]*>People<', header)
    assert shown == ([link] if link else [])
    assert "/admin/" not in header  # Django's admin is no longer where people are managed
