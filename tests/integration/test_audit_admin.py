"""The admin site cannot bypass the rules: records whose writes go through services are read-only there,
even for a superuser; people, memberships and contacts stay editable, and every change there is audited."""

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Group

from slihub.accounts.models import Contact, Membership, User
from slihub.exchange.models import Loan
from tests.integration import exchange_helpers as ex

pytestmark = pytest.mark.django_db

#: what national admins manage in the admin site (Django's own groups are harmless)
EDITABLE = {User, Membership, Contact, Group}


@pytest.fixture
def superuser(client, places):
    person = User.objects.create_superuser("root", "root@example.gov.uk", "a long password for root")
    client.force_login(person)
    return person


def test_a_superuser_cannot_add_a_loan_in_the_admin_even_an_overlapping_one(
    client, superuser, places, leeds_admin
):
    camden_admin = ex.camden_admin(places)
    agreed = ex.agreed_loan(places, leeds_admin, camden_admin)
    other_request = ex.help_request(places, leeds_admin, title="Another request")
    overlapping = {
        "specialist": agreed.specialist_id,
        "request": other_request.pk,
        "lender": places.camden.pk,
        "borrower": places.leeds.pk,
        "start": agreed.start.isoformat(),
        "end": agreed.end.isoformat(),
        "days_per_week": "2",
        "status": "accepted",
        "lender_accepted_by": camden_admin.pk,
        "borrower_accepted_by": leeds_admin.pk,
    }
    assert client.get("/admin/exchange/loan/add/").status_code == 403
    assert client.post("/admin/exchange/loan/add/", overlapping).status_code == 403
    assert Loan.objects.count() == 1


def test_a_superuser_cannot_change_or_delete_a_loan_in_the_admin(client, superuser, places, leeds_admin):
    loan = ex.agreed_loan(places, leeds_admin, ex.camden_admin(places))
    response = client.post(f"/admin/exchange/loan/{loan.pk}/change/", {"status": "cancelled"})
    assert response.status_code == 403
    assert client.post(f"/admin/exchange/loan/{loan.pk}/delete/", {"post": "yes"}).status_code == 403
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ACCEPTED
    assert client.get(f"/admin/exchange/loan/{loan.pk}/change/").status_code == 200  # still looked up


def test_every_model_in_the_admin_is_read_only_but_people_memberships_and_contacts(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        if model in EDITABLE or model._meta.app_label == "axes":  # axes: unlocking a locked-out sign-in
            continue
        label = model._meta.label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label


def test_people_are_still_managed_in_the_admin_and_the_change_is_audited(client, superuser, places, people):
    person = people["camden_analyst"]
    response = client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {
            "username": person.username,
            "full_name": "Camden Analyst Renamed",
            "email": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.full_name == "Camden Analyst Renamed"
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).latest()
    assert entry.actor == superuser
    assert entry.changes_dict["full_name"][1] == "Camden Analyst Renamed"


def test_the_audit_log_itself_cannot_be_changed_or_deleted_in_the_admin(client, superuser, places):
    Contact.objects.create(authority=places.leeds, name="Lee", job_title="Head", email="lee@example.gov.uk")
    entry = LogEntry.objects.latest()
    assert client.post(f"/admin/auditlog/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
