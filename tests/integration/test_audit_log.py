"""The audit log: every write to private records and published evidence, who made it, when, old and new
values; national admins read it all, council admins their own council's entries, everyone else nothing."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from slihub.accounts.models import Contact, Membership, Role, User
from slihub.audit import registry, selectors
from slihub.audit.models import EntryAuthority
from slihub.evidence.models import Practice, Study
from slihub.exchange import services as exchange
from slihub.exchange.models import HelpRequest, LedgerEntry, Loan, Specialist
from slihub.places.models import Authority
from tests import factories
from tests.integration import exchange_helpers as ex
from tests.integration.html import parse, table_rows

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def entries_for(instance):
    return LogEntry.objects.get_for_object(instance).order_by("timestamp", "id")


def councils_of(entry) -> set[str]:
    ids = EntryAuthority.objects.filter(entry=entry).values_list("authority_id", flat=True)
    return set(Authority.objects.filter(id__in=ids).values_list("code", flat=True))


@pytest.fixture
def loan(places, leeds_admin):
    return ex.agreed_loan(places, leeds_admin, ex.camden_admin(places))


# --- what is recorded ----------------------------------------------------------------------------------


def test_adding_a_contact_on_the_page_records_who_added_it_and_its_values(as_persona, places, leeds_admin):
    client = as_persona("leeds_admin")
    response = client.post(
        "/authorities/383/contacts/add/",
        {
            "name": "Lou Leeds",
            "job_title": "Head of early help",
            "email": "lou@example.gov.uk",
            "phone": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Lou Leeds")
    [entry] = entries_for(contact)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == leeds_admin
    assert entry.changes_dict["job_title"] == ["None", "Head of early help"]
    assert councils_of(entry) == {"383"}


def test_a_change_records_the_old_and_the_new_value_of_each_changed_field_only(places):
    contact = factories.contact(places.leeds, "Lee Leeds", job_title="Team manager")
    contact.job_title = "Head of service"
    contact.save()
    update = entries_for(contact).get(action=LogEntry.Action.UPDATE)
    assert update.changes_dict == {"job_title": ["Team manager", "Head of service"]}


def test_a_deletion_is_recorded_with_the_values_it_had(as_persona, places, leeds_admin):
    contact = factories.contact(places.leeds, "Lee Leeds")
    response = as_persona("leeds_admin").post(f"/authorities/383/contacts/{contact.pk}/delete/")
    assert response.status_code == 302
    deleted = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Contact),
        object_id=contact.pk,
        action=LogEntry.Action.DELETE,
    )
    assert deleted.actor == leeds_admin
    assert deleted.object_repr.startswith("Lee Leeds")
    assert councils_of(deleted) == {"383"}


def test_a_password_change_is_never_recorded_but_other_changes_to_a_person_are(people):
    person = people["camden_analyst"]
    person.set_password("another long password 123")
    person.save()
    person.email = "analyst@camden.example.gov.uk"
    person.save()
    for entry in entries_for(person):
        assert "password" not in entry.changes_dict
        assert "last_login" not in entry.changes_dict
    assert entries_for(person).filter(changes__icontains="analyst@camden.example.gov.uk").exists()


def test_a_loan_belongs_to_both_councils_and_its_acceptance_marks_the_request_matched_in_the_log(
    places, leeds_admin, loan
):
    accepted = entries_for(loan).filter(action=LogEntry.Action.UPDATE).last()
    assert accepted.actor is None  # a service called outside a request: no person to record
    assert accepted.changes_dict["status"] == ["proposed", "accepted"]
    assert councils_of(accepted) == {"202", "383"}
    # accept_loan used to set the request's status with a bulk update, which the audit log cannot see
    request_change = entries_for(loan.request).get(action=LogEntry.Action.UPDATE)
    assert request_change.changes_dict["status"] == ["open", "matched"]
    assert HelpRequest.objects.get(pk=loan.request_id).status == HelpRequest.Status.MATCHED


def test_days_delivered_and_credit_redeemed_record_each_ledger_posting(places, leeds_admin, loan):
    camden_admin = User.objects.get(username="camden.admin")
    exchange.record_delivery(user=camden_admin, loan=loan, days=Decimal("2"), on=loan.start)
    exchange.redeem_credit(user=camden_admin, authority=places.camden, days=Decimal("1"), memo="Training")
    postings = LedgerEntry.objects.all()
    assert postings.count() == 4
    for posting in postings:
        [entry] = entries_for(posting)
        assert entry.action == LogEntry.Action.CREATE
    camden_entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(LedgerEntry), authorities__authority=places.camden
    )
    assert camden_entries.count() == 2  # the delivery's credit and the redemption's debit


def test_an_availability_window_belongs_to_its_specialists_council(places):
    specialist = ex.specialist(places)
    window = specialist.windows.get()
    [entry] = entries_for(window)
    assert councils_of(entry) == {"202"}


def test_published_evidence_changes_are_recorded_and_an_upload_belongs_to_the_uploading_council(places):
    practice = Practice.objects.create(slug="family-group", name="Family group conferences", source="eif")
    study = Study.objects.create(
        practice=practice, key="s1", citation="Smith 2020", uploaded_by=places.camden
    )
    study.citation = "Smith and Jones 2020"
    study.save()
    assert entries_for(practice).count() == 1
    created, changed = entries_for(study)
    assert changed.changes_dict == {"citation": ["Smith 2020", "Smith and Jones 2020"]}
    assert councils_of(changed) == {"202"}


def test_every_model_of_the_private_and_evidence_apps_is_audited_but_the_named_computed_tables():
    audited = {m._meta.label for m in registry.audited_models()}
    for label in registry.EXCLUDED_MODELS:
        apps.get_model(label)  # a typo here would let a table slip out of the log unnoticed
        assert label not in audited
    for config in apps.get_app_configs():
        if config.name in registry.AUDITED_APPS:
            for model in config.get_models():
                label = model._meta.label
                assert label in audited or label in registry.EXCLUDED_MODELS, label
                assert registry.auditlog.contains(model) == (label in audited), label
    assert {"accounts.Contact", "exchange.Loan", "exchange.LedgerEntry", "evidence.Study"} <= audited
    assert {"evidence.LocalPractice", "evidence.PeerValidation", "early_warning.DirectorChange"} <= audited


def test_a_membership_of_a_council_belongs_to_that_council(places, people):
    membership = Membership.objects.create(
        user=people["camden_analyst"], role=Role.COUNCIL_ADMIN, authority=places.camden
    )
    [entry] = entries_for(membership)
    assert councils_of(entry) == {"202"}


# --- who reads it: the page -------------------------------------------------------------------------


@pytest.fixture
def two_councils_changes(places):
    """One change to a Camden record, one to a Leeds record, one to a national record (a practice)."""
    factories.contact(places.camden, "Ada Camden")
    factories.contact(places.leeds, "Lee Leeds")
    Practice.objects.create(slug="national-thing", name="A national practice", source="eif")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("camden_analyst", 403),
        ("london_coordinator", 403),
        ("leeds_admin", 200),
        ("national_admin", 200),
    ],
)
def test_only_national_admins_and_council_admins_open_the_audit_log(
    as_persona, two_councils_changes, persona, status
):
    response = as_persona(persona).get("/audit/")
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_person_with_no_membership_cannot_open_the_audit_log(client, places):
    person = User.objects.create(username="nobody")
    client.force_login(person)
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/v1/audit").status_code == 403


def test_a_council_admin_sees_exactly_their_councils_entries(as_persona, two_councils_changes):
    page = parse(as_persona("leeds_admin").get("/audit/").content)
    text = page.text
    assert "Lee Leeds" in text
    assert "Ada Camden" not in text
    assert "A national practice" not in text
    assert "1 change" in text


def test_a_national_admin_sees_every_entry_with_plain_words(as_persona, two_councils_changes):
    document = parse(as_persona("national_admin").get("/audit/").content)
    text = document.text
    for name in ("Lee Leeds", "Ada Camden", "A national practice"):
        assert name in text
    assert "Added contact: Ada Camden" in " ".join(text.split())
    assert "Job title" in text  # the field's verbose name, not job_title
    assert "Notes : empty" not in text  # an added record lists the values it has
    who = {row[1] for row in table_rows(document.one("table"))}
    assert who == {"The hub"}  # made by the fixtures, not by a person signed in


def test_the_page_shows_a_status_change_with_its_plain_labels(as_persona, places, leeds_admin, loan):
    text = " ".join(
        parse(as_persona("national_admin").get("/audit/?type=exchange.loan").content).text.split()
    )
    assert "Status : from “Proposed” to “Accepted by both councils”" in text
    assert "Start : “7 January 2030”" in text  # a date as a date
    assert "Backfills" not in text  # reverse relations are other records, audited on their own


def test_the_page_filters_by_council_kind_of_record_person_and_dates(as_persona, places, leeds_admin, people):
    client = as_persona("leeds_admin")
    client.post(
        "/authorities/383/contacts/add/",
        {"name": "Lou Leeds", "job_title": "Head of early help", "email": "lou@example.gov.uk"},
    )
    factories.contact(places.camden, "Ada Camden")
    admin = as_persona("national_admin")
    assert "Ada Camden" in admin.get("/audit/?council=202").content.decode()
    assert "Lou Leeds" not in admin.get("/audit/?council=202").content.decode()
    assert "Lou Leeds" in admin.get("/audit/?person=leeds.admin").content.decode()
    assert "Ada Camden" not in admin.get("/audit/?person=leeds.admin").content.decode()
    assert "Ada Camden" not in admin.get("/audit/?type=exchange.loan").content.decode()
    LogEntry.objects.filter(object_repr__startswith="Ada Camden").update(
        timestamp=datetime(2026, 3, 1, 9, 0, tzinfo=LONDON)
    )
    dated = admin.get(
        "/audit/?from-day=1&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026"
    ).content.decode()
    assert "Ada Camden" in dated and "Lou Leeds" not in dated
    assert "1 March 2026 at 9am" in dated


def test_a_council_admin_cannot_filter_to_another_council(as_persona, two_councils_changes):
    response = as_persona("leeds_admin").get("/audit/?council=202")
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Ada Camden" not in text
    assert "Lee Leeds" not in text  # a filter in error shows nothing, not everything


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from-day=31&from-month=2&from-year=2026", "The date from must be a real date"),
        ("to-day=1&to-month=&to-year=2026", "The date to must include a month"),
        ("from-day=²&from-month=1&from-year=2026", "The date from must be a real date"),
        (
            "from-day=2&from-month=1&from-year=2026&to-day=1&to-month=1&to-year=2026",
            "must be the same as or after",
        ),
        ("type=auditlog.logentry", "Choose a kind of record from the list"),
    ],
)
def test_bad_filters_are_explained_not_a_500(as_persona, two_councils_changes, query, message):
    response = as_persona("national_admin").get(f"/audit/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_log_is_paged_newest_first(as_persona, places):
    for number in range(55):
        factories.contact(places.leeds, f"Person {number:02d}")
    client = as_persona("national_admin")
    first = client.get("/audit/").content.decode()
    assert "Person 54" in first and "Person 04" not in first
    assert "Page 1 of 2" in first
    second = client.get("/audit/?page=2").content.decode()
    assert "Person 04" in second and "Person 54" not in second


def test_times_read_as_gov_uk_dates():
    assert selectors.when(datetime(2026, 12, 14, 15, 5, tzinfo=LONDON)) == "14 December 2026 at 3:05pm"
    assert selectors.when(datetime(2026, 12, 14, 12, 0, tzinfo=LONDON)) == "14 December 2026 at midday"
    assert selectors.when(datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)) == "1 June 2026 at 9am"


# --- who reads it: the API --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("camden_analyst", 403),
        ("london_coordinator", 403),
        ("leeds_admin", 200),
        ("national_admin", 200),
    ],
)
def test_the_api_answers_each_persona_as_the_page_does(as_persona, two_councils_changes, persona, status):
    response = as_persona(persona).get("/api/v1/audit")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")


def test_the_api_gives_a_council_admin_their_councils_entries_only(as_persona, two_councils_changes):
    body = as_persona("leeds_admin").get("/api/v1/audit").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["record"].startswith("Lee Leeds")
    assert item["record_type"] == "Contact"
    assert item["action"] == "Added"
    assert item["councils"] == ["Leeds"]
    assert {"field": "job_title", "label": "Job title", "old": "", "new": "Head of service"} in item[
        "changes"
    ]
    assert as_persona("leeds_admin").get("/api/v1/audit?council=202").status_code == 403


def test_the_api_filters_and_pages(as_persona, two_councils_changes):
    client = as_persona("national_admin")
    assert client.get("/api/v1/audit").json()["count"] == 3
    assert client.get("/api/v1/audit?council=202").json()["count"] == 1
    assert client.get("/api/v1/audit?type=evidence.practice").json()["count"] == 1
    paged = client.get("/api/v1/audit?limit=2&offset=2").json()
    assert paged["count"] == 3 and len(paged["items"]) == 1
    assert client.get("/api/v1/audit?from=2000-01-01").json()["count"] == 3
    assert client.get("/api/v1/audit?to=2000-01-01").json()["count"] == 0
    assert client.get("/api/v1/audit?type=nothing.here").status_code == 422
    assert client.get("/api/v1/audit?person=a%00b").status_code == 422  # a NUL never reaches PostgreSQL
    assert client.get("/api/v1/audit?from=2026-02-31").status_code == 422
    assert client.get("/api/v1/audit?from=2026-02-02&to=2026-02-01").status_code == 422


def test_the_api_documents_its_statuses(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/audit"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "403", "422"}


def test_specialists_made_by_a_service_are_linked_to_their_council(places):
    specialist = ex.specialist(places)
    [entry] = entries_for(Specialist.objects.get(pk=specialist.pk))
    assert councils_of(entry) == {"202"}
    assert Loan.objects.count() == 0


def test_loading_the_evidence_starter_content_records_each_practice_added_changed_and_removed(db, tmp_path):
    from slihub.evidence.services import load_evidence
    from tests.integration.evidence_fixtures import PROGRAMMES, write_evidence

    load_evidence(write_evidence(tmp_path))
    practice = Practice.objects.get(name=PROGRAMMES[0]["programme_name"])
    [added] = entries_for(practice)
    assert added.action == LogEntry.Action.CREATE
    assert added.changes_dict["name"] == ["None", practice.name]
    assert (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Study)).count()
        == Study.objects.count()
    )

    before = set(Practice.objects.values_list("id", flat=True))
    changed_rows = [dict(PROGRAMMES[0], level_of_need="Targeted-indicated")]
    load_evidence(write_evidence(tmp_path / "again", programmes=changed_rows, trials=[]))
    change = entries_for(practice).get(action=LogEntry.Action.UPDATE)
    assert change.changes_dict["level_of_need"][1] == "Targeted-indicated"
    gone = before - set(Practice.objects.values_list("id", flat=True))
    removed = LogEntry.objects.filter(
        action=LogEntry.Action.DELETE, content_type=ContentType.objects.get_for_model(Practice)
    )
    assert gone and set(removed.values_list("object_id", flat=True)) == gone


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("anonymous", False),
        ("camden_analyst", False),
        ("london_coordinator", False),
        ("leeds_admin", True),
        ("national_admin", True),
    ],
)
def test_the_navigation_links_to_the_audit_log_for_those_who_may_read_it(as_persona, persona, shown):
    assert ('href="/audit/"' in as_persona(persona).get("/").content.decode()) == shown


def test_a_change_made_through_the_api_records_the_signed_in_person(client, places, leeds_admin, loan):
    camden_admin = User.objects.get(username="camden.admin")
    exchange.record_delivery(user=camden_admin, loan=loan, days=Decimal("2"), on=loan.start)
    client.force_login(camden_admin)
    response = client.post(
        "/api/v1/exchange/ledger/202/redeem",
        {"days": "1", "memo": "Training"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    posting = LedgerEntry.objects.get(authority=places.camden, days=Decimal("-1"))
    [entry] = entries_for(posting)
    assert entry.actor == camden_admin
    listed = client.get("/api/v1/audit?type=exchange.ledgerentry").json()
    assert any(item["who_username"] == "camden.admin" for item in listed["items"])


def test_the_page_reads_a_full_page_of_entries_in_a_bounded_number_of_queries(
    as_persona, places, leeds_admin, loan, django_assert_max_num_queries
):
    for number in range(50):
        factories.contact(places.leeds if number % 2 else places.camden, f"Person {number:02d}")
    client = as_persona("national_admin")
    client.get("/audit/")  # content types and sessions warmed
    with django_assert_max_num_queries(12):
        response = client.get("/audit/")
    assert response.status_code == 200
    assert response.content.decode().count("<time datetime=") == 50


@pytest.mark.parametrize("query", ["person=%00", "council=20%002", "type=exchange.%00loan", "from-day=1%00"])
def test_a_null_character_in_a_filter_is_never_a_server_error(as_persona, two_councils_changes, query):
    assert as_persona("national_admin").get(f"/audit/?{query}").status_code == 200


@pytest.mark.parametrize(
    ("headers", "address"),
    [
        ({"X-Forwarded-For": "not-an-address", "X-Forwarded-Port": "-5"}, "127.0.0.1"),
        ({"X-Forwarded-For": "203.0.113.9, 10.0.0.1", "X-Forwarded-Port": "99999999999"}, "203.0.113.9"),
        ({}, "127.0.0.1"),
    ],
)
def test_a_forged_proxy_header_never_fails_a_change(as_persona, places, leeds_admin, headers, address):
    response = as_persona("leeds_admin").post(
        "/authorities/383/contacts/add/",
        {"name": "Lou Leeds", "job_title": "Head of early help", "email": "lou@example.gov.uk"},
        headers=headers,
    )
    assert response.status_code == 302
    [entry] = entries_for(Contact.objects.get(name="Lou Leeds"))
    assert entry.remote_addr == address
    assert entry.remote_port is None
