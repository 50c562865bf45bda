"""`slihub demo-data`: sample activity made through the hub's services by the demo accounts, seeded once,
never in production, and removed exactly (and only) by `--remove`."""

from datetime import date, timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from slihub.accounts.models import User
from slihub.alliances.models import Cycle, SelfAssessment
from slihub.alliances.services import ensure_alliances
from slihub.evidence.models import LocalPractice
from slihub.exchange import services as exchange
from slihub.exchange.models import HelpRequest, LedgerEntry, Loan, Specialist
from slihub.web.models import DemoRecord
from slihub.workshops.models import Event, Registration


def call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo_hub(places, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    ensure_alliances()
    call("create-demo-accounts")
    return places


def test_demo_data_seeds_each_capability_through_its_services_once(demo_hub):
    first = call("demo-data", "--unless-removed")  # as `make run` does
    counts = {m: m.objects.count() for m in (Specialist, HelpRequest, Loan, LedgerEntry, DemoRecord)}
    second = call("demo-data")

    assert first.count("(new)") == 9 and "(new)" not in second
    assert {m: m.objects.count() for m in counts} == counts  # nothing doubled
    assert counts[Specialist] == 3 and counts[HelpRequest] == 3
    agreed = Loan.objects.get(status=Loan.Status.ACTIVE)
    assert (agreed.lender.code, agreed.borrower.code) == ("202", "383")
    assert sorted(LedgerEntry.objects.values_list("authority__code", "days")) == [("202", 2), ("383", -2)]
    proposed = Loan.objects.get(status=Loan.Status.PROPOSED)
    assert proposed.lender_accepted_by.username == "leeds.admin" and proposed.borrower_accepted_by is None
    assert HelpRequest.objects.get(authority__code="202").partner.code == "206"  # open, asking Islington
    practice = LocalPractice.objects.get()
    assert practice.status == LocalPractice.Status.IN_REVIEW
    assert sorted(practice.validations.values_list("validator__username", flat=True)) == [
        "camden.analyst",
        "leeds.analyst",
    ]
    assessment = SelfAssessment.objects.get()
    assert (assessment.authority.code, assessment.status) == ("202", "draft")
    event = Event.objects.get()
    assert event.status == Event.Status.PUBLISHED and event.registrations.count() == 2
    # what people read is marked as sample
    titles = [
        *HelpRequest.objects.values_list("title", flat=True),
        *Specialist.objects.values_list("name", flat=True),
        practice.title,
        event.title,
        assessment.quality,
    ]
    assert all(t.startswith("Sample: ") for t in titles), titles
    # the services wrote the audit log, as for anyone signed in
    assert LogEntry.objects.get_for_object(agreed).filter(actor__username="leeds.admin").exists()


def test_demo_data_removes_exactly_what_it_seeded(demo_hub):
    call("demo-data")
    # Leeds's own request, and Islington's offer of its sample specialist for it, made after seeding
    own = exchange.create_help_request(
        user=User.objects.get(username="leeds.admin"),
        authority=demo_hub.leeds,
        title="Our own request",
        expertise_needed=["care_leavers"],
        description="Ours",
        start=date.today() + timedelta(days=200),
        end=date.today() + timedelta(days=230),
        days_per_week=1,
        mode="remote",
    )
    islington_specialist = Specialist.objects.get(authority__code="206")
    islington_admin = User.objects.get(username="islington.admin")
    own_loan = exchange.offer_specialist(user=islington_admin, request=own, specialist=islington_specialist)

    out = call("demo-data", "--remove")

    assert "kept" in out and "Islington practice auditor" in out  # the specialist our loan depends on
    assert set(Specialist.objects.values_list("name", flat=True)) == {"Sample: Islington practice auditor"}
    assert list(HelpRequest.objects.all()) == [own] and list(Loan.objects.all()) == [own_loan]
    assert not LedgerEntry.objects.exists() and not LocalPractice.objects.exists()
    assert not SelfAssessment.objects.exists() and not Event.objects.exists()
    assert not Registration.objects.exists() and not Cycle.objects.exists()
    assert DemoRecord.objects.count() == 1  # the kept specialist, still listed for a later --remove
    assert User.objects.filter(username__in=["camden.admin", "leeds.admin"]).count() == 2  # not sample data
    assert call("demo-data", "--remove").startswith("Removed 0")
    # `make run` does not bring it back; asked for, it comes back but for the step whose records are there
    assert "not seeded, as it was removed" in call("demo-data", "--unless-removed")
    assert not HelpRequest.objects.filter(title__startswith="Sample:").exists()
    assert call("demo-data").count("(new)") == 8
    assert "(new)" not in call("demo-data", "--unless-removed")


def test_demo_data_asks_for_the_demo_accounts_first(places, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="create-demo-accounts"):
        call("demo-data")
    assert not DemoRecord.objects.exists()


def test_demo_data_is_refused_in_production(demo_hub, settings):
    settings.PRODUCTION = True
    for args in (("demo-data",), ("demo-data", "--remove")):
        with pytest.raises(CommandError, match="never made in production"):
            call(*args)
    assert not DemoRecord.objects.exists() and not HelpRequest.objects.exists()
