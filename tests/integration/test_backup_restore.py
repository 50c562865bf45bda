"""`slihub backup` and `slihub restore`: a backup restored into an empty database holds every private record
equal, field by field. Runs on the suite's own database: SQLite, or PostgreSQL when DATABASE_URL says so."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from slihub.accounts.models import Contact, Membership, Role
from slihub.audit import backup, registry
from slihub.audit.models import EntryAuthority
from slihub.evidence import services as evidence_services
from slihub.evidence.models import (
    EffectEstimate,
    LocalPracticeEvent,
    Outcome,
    PeerValidation,
    Practice,
    Study,
)
from slihub.exchange import services as exchange
from slihub.warning import services as warning_services
from tests import factories
from tests.integration import exchange_helpers as ex

# pg_dump reads the database from outside the test's connection: the records must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

#: the apps whose every table is compared: private records, published evidence and the audit log itself
COMPARED_APPS = (*registry.AUDITED_APPS, "slihub.audit", "auditlog", "slihub.places")
#: private records that must exist before the round trip, so that none is compared empty
MUST_HOLD = (
    "accounts.User",
    "accounts.Membership",
    "accounts.Contact",
    "exchange.Specialist",
    "exchange.AvailabilityWindow",
    "exchange.HelpRequest",
    "exchange.Loan",
    "exchange.Decline",
    "exchange.Backfill",
    "exchange.LedgerTransaction",
    "exchange.LedgerEntry",
    "evidence.Practice",
    "evidence.Study",
    "evidence.EffectEstimate",
    "evidence.LocalPractice",
    "evidence.PeerValidation",
    "evidence.LocalPracticeEvent",
    "early_warning.DirectorChange",
    "auditlog.LogEntry",
    "audit.EntryAuthority",
)


def compared_models():
    return [
        model
        for config in apps.get_app_configs()
        if config.name in COMPARED_APPS
        for model in config.get_models()
        if model._meta.managed
    ]


def snapshot(alias: str) -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model.objects.using(alias).order_by("pk").values())
        for model in compared_models()
    }


def build_private_records(places, people):
    leeds_admin = people["leeds_admin"]
    camden_admin = ex.camden_admin(places)
    factories.contact(places.camden, "Ada Camden", phone="020 7974 4444", notes="Ask about the front door")
    Membership.objects.create(
        user=people["camden_analyst"], role=Role.COUNCIL_ADMIN, authority=places.islington
    )
    specialist = ex.specialist(places, camden_admin)
    loan = ex.agreed_loan(places, leeds_admin, camden_admin, specialist_obj=specialist)
    exchange.record_delivery(
        user=camden_admin, loan=loan, days=Decimal("2.5"), on=loan.start, memo="Week one"
    )
    exchange.redeem_credit(user=camden_admin, authority=places.camden, days=Decimal("1"), memo="Training day")
    exchange.record_backfill(
        user=camden_admin,
        loan=loan,
        acting_up="Deputy manager",
        acting_role="Team manager",
        start=loan.start,
        end=loan.start + timedelta(days=30),
    )
    other = ex.help_request(
        places, leeds_admin, title="Another request", start=date(2031, 1, 6), end=date(2031, 3, 3)
    )
    proposal = exchange.propose_loan(request=other, specialist=specialist)
    exchange.decline_loan(user=camden_admin, loan=proposal, reason="Not this time")

    practice = Practice.objects.create(slug="family-group", name="Family group conferences", source="upload")
    study = Study.objects.create(
        practice=practice, key="s1", citation="Smith 2020", year=2020, uploaded_by=places.camden
    )
    outcome = Outcome.objects.create(slug="re-referrals", name="Re-referrals")
    EffectEstimate.objects.create(study=study, outcome=outcome, yi=0.35, vi=0.02)
    local = evidence_services.submit_local_practice(
        user=people["camden_analyst"],
        authority=places.camden,
        title="Front door redesign",
        summary="One team took every contact.",
        evidence="Re-referrals fell from 22% to 15%.",
        themes=["vulnerable_children"],
        cost_per_child=Decimal("120.50"),
        cost_year=2025,
    )
    PeerValidation.objects.create(
        local_practice=local,
        validator=leeds_admin,
        validator_authority=places.leeds,
        decision="approve",
        comment="Clear data",
        decided_at=timezone.now(),
    )
    LocalPracticeEvent.objects.get_or_create(local_practice=local, action=LocalPracticeEvent.Action.SUBMITTED)
    warning_services.record_director_change(
        user=people["national_admin"], authority=places.leeds, started_on=date(2025, 9, 1), name="A. Director"
    )


@pytest.fixture
def restored_alias(tmp_path):
    """A second database connection, "restored", to an empty database: a new SQLite file, or a PostgreSQL
    database created for the test (and dropped after it)."""
    settings_dict = dict(connection.settings_dict)
    settings_dict.pop("TEST", None)
    created = None
    if connection.vendor == "postgresql":
        import psycopg

        created = f"{settings_dict['NAME']}_restored"[:63]
        params = {
            key: settings_dict[name]
            for key, name in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
            if settings_dict.get(name)
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{created}"')
            admin.execute(f'CREATE DATABASE "{created}"')
        settings_dict["NAME"] = created
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    configured = connections.configure_settings(
        {"default": dict(connection.settings_dict), "restored": settings_dict}
    )
    # A connection made here, not named in settings.DATABASES: Django's test isolation allows it.
    restored = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(configured["restored"], "restored")
    connections["restored"] = restored
    try:
        yield "restored"
    finally:
        restored.close()
        del connections["restored"]
        if created:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_holds_every_private_record_equal(
    places, people, restored_alias, tmp_path
):
    build_private_records(places, people)
    before = snapshot("default")
    empty = [label for label in MUST_HOLD if not before[label]]
    assert not empty, f"the round trip would compare these empty: {empty}"
    assert EntryAuthority.objects.count() > 0 and LogEntry.objects.count() > 20

    file = tmp_path / "hub.backup"
    call_command("backup", str(file))
    assert backup.holding(restored_alias).empty
    call_command("restore", str(file), f"--database={restored_alias}")

    after = snapshot(restored_alias)
    for label, rows in before.items():
        assert after[label] == rows, f"{label} differs after the round trip"
    assert snapshot("default") == before  # the backup changed nothing


def test_restore_refuses_a_database_that_holds_data_without_yes_and_says_what_it_replaces(places, tmp_path):
    file = tmp_path / "hub.backup"
    call_command("backup", str(file))
    factories.contact(places.leeds, "Lee Leeds")
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(file))
    message = str(refusal.value)
    assert "1 contact" in message and "authorities" in message and "--yes" in message
    assert Contact.objects.filter(name="Lee Leeds").exists()  # nothing was changed


def test_restore_with_yes_replaces_the_database_with_the_backup(places, tmp_path, capsys):
    factories.contact(places.camden, "Ada Camden")
    file = tmp_path / "hub.backup"
    call_command("backup", str(file))
    factories.contact(places.leeds, "Lee Leeds")
    Contact.objects.filter(name="Ada Camden").update(job_title="Changed after the backup")
    call_command("restore", str(file), "--yes")
    assert list(Contact.objects.values_list("name", "job_title")) == [("Ada Camden", "Head of service")]
    output = capsys.readouterr().out
    assert "It replaced" in output
    assert "migrate" not in output and "version" not in output  # made by this version: nothing to do


def _sql(query: str, params=()):
    with connection.cursor() as cursor:  # a cursor each time: a PostgreSQL restore closes the connection
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else None


def test_restore_says_when_the_backup_needs_migrating_or_comes_from_a_newer_version(db, tmp_path, capsys):
    older, newer = tmp_path / "older.backup", tmp_path / "newer.backup"
    [first] = _sql("SELECT app, name FROM django_migrations WHERE app = 'audit' ORDER BY name")[:1]
    future = ("audit", "9999_from_the_future")
    insert = "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)"
    try:
        _sql("DELETE FROM django_migrations WHERE app = %s AND name = %s", first)
        call_command("backup", str(older))
        _sql(insert, [*first, timezone.now()])
        _sql(insert, [*future, timezone.now()])
        call_command("backup", str(newer))
        capsys.readouterr()
        call_command("restore", str(older), "--yes")
        assert "made by an older version of the hub: run `slihub migrate` next" in capsys.readouterr().out
        call_command("restore", str(newer), "--yes")
        output = capsys.readouterr().out
        assert "made by a newer version of the hub" in output and "audit.9999_from_the_future" in output
    finally:
        _sql("DELETE FROM django_migrations WHERE app = %s AND name = %s", future)
        if not _sql("SELECT 1 FROM django_migrations WHERE app = %s AND name = %s", first):
            _sql(insert, [*first, timezone.now()])


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("not a backup")
    with pytest.raises(CommandError, match="not a backup made by `slihub backup`"):
        call_command("restore", str(file), "--yes")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")


def test_restore_refuses_a_backup_of_the_other_kind_of_database(db, tmp_path):
    other = tmp_path / "other.backup"
    if connection.vendor == "postgresql":
        import sqlite3

        sqlite3.connect(other).execute("CREATE TABLE django_migrations (id integer)").connection.commit()
        expected = "backup of a SQLite database and this hub uses PostgreSQL"
    else:
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = "backup of a PostgreSQL database and this hub uses SQLite"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), "--yes")


def test_backup_into_a_missing_folder_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "no-such-folder" / "hub.backup"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is for PostgreSQL")
def test_a_missing_pg_dump_is_named_with_how_to_install_it(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found.*postgresql-client"):
        call_command("backup", str(tmp_path / "hub.backup"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is for PostgreSQL")
def test_a_pg_dump_older_than_the_server_is_refused_with_the_versions(db, tmp_path, monkeypatch):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match=r"pg_dump is version 9 but the database server is PostgreSQL \d+"):
        call_command("backup", str(tmp_path / "hub.backup"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup")
def test_a_sqlite_backup_taken_while_another_connection_writes_is_whole_and_consistent(db, tmp_path):
    """A hub's database file with a writer busy beside the backup (as a serving hub has): every backup is a
    sound database holding a prefix of the writer's transactions, each transaction whole."""
    import sqlite3
    import threading

    live = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE django_migrations (id integer primary key)")
    setup.execute("CREATE TABLE posting (id integer primary key, pair integer, days integer)")
    setup.commit()
    setup.close()
    settings_dict = dict(connection.settings_dict, NAME=str(live))
    settings_dict.pop("TEST", None)
    configured = connections.configure_settings(
        {"default": dict(connection.settings_dict), "live": settings_dict}
    )
    connections["live"] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(configured["live"], "live")
    stop = threading.Event()

    def write():
        writer = sqlite3.connect(live, timeout=30)
        pair = 0
        while not stop.is_set() and pair < 5000:
            pair += 1
            with writer:  # one transaction: a credit and its debit, never one without the other
                writer.execute("INSERT INTO posting (pair, days) VALUES (?, 1)", (pair,))
                writer.execute("INSERT INTO posting (pair, days) VALUES (?, -1)", (pair,))
        writer.close()

    seen = []
    thread = threading.Thread(target=write)
    thread.start()
    try:
        for number in range(5):
            path = backup.backup(tmp_path / f"backup-{number}.sqlite3", alias="live")
            copy = sqlite3.connect(path)
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
            rows, total, pairs = copy.execute(
                "SELECT COUNT(*), COALESCE(SUM(days), 0), COUNT(DISTINCT pair) FROM posting"
            ).fetchone()
            assert total == 0 and rows == 2 * pairs
            seen.append(pairs)
            copy.close()
        assert seen == sorted(seen) and seen[-1] > 0  # taken while the writer was writing
    finally:
        stop.set()
        thread.join()
        connections["live"].close()
        del connections["live"]
