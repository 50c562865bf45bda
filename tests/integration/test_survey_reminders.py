"""Survey reminders: directors and delegates of councils that have not submitted are reminded 14, 7 and
2 days (or fewer) before the deadline and once after it until the survey closes; never twice, whether
the daily reminders job or `slihub survey remind` sends them."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from slihub.accounts.models import Role
from slihub.jobs.models import ReminderSent
from slihub.jobs.reminders import send_due
from slihub.survey import builder
from slihub.survey.builder import QuestionFields
from slihub.survey.models import Delegate, Response, SurveyVersion
from slihub.survey.reminder_rules import stage
from tests import factories

DEADLINE = date(2027, 2, 28)
CLOSES = date(2027, 3, 14)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def days_before(n: int) -> datetime:
    return at(DEADLINE - timedelta(days=n))


@pytest.mark.parametrize(
    ("left", "expected"),
    [(30, None), (15, None), (14, 14), (8, 14), (7, 7), (3, 7), (2, 2), (0, 2), (-1, None)],
)
def test_the_stage_is_the_nearest_of_14_7_and_2_days(left, expected):
    assert stage(DEADLINE, DEADLINE - timedelta(days=left)) == expected


@pytest.fixture
def survey(places):
    directors = {
        "camden": factories.director(places.camden, username="camden.dcs"),
        "leeds": factories.director(places.leeds, username="leeds.dcs"),
        "islington": factories.director(places.islington, username="islington.dcs"),
    }
    version = builder.create_version(
        year=2027, title="Survey of directors 2027", deadline=DEADLINE, closes_on=CLOSES
    )
    builder.add_question(
        section=builder.add_section(version=version, title="Workforce"),
        fields=QuestionFields(text="Do you use agency staff?", kind="single", options=["Yes", "No"]),
    )
    builder.open_version(version=version, today=DEADLINE - timedelta(days=30), now=days_before(30))
    # Leeds has submitted; Camden's director named a delegate; Islington has not started
    Response.objects.create(version=version, authority=places.leeds, status=Response.Status.SUBMITTED)
    delegate = factories.user(
        "camden.delegate",
        Role.COUNCIL_MEMBER,
        authority=places.camden,
        email="camden.delegate@example.gov.uk",
    )
    Delegate.objects.create(
        version=version, authority=places.camden, user=delegate, named_by=directors["camden"]
    )
    mail.outbox.clear()
    return version


def recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


EXPECTED = ["camden.dcs@example.gov.uk", "camden.delegate@example.gov.uk", "islington.dcs@example.gov.uk"]


def test_nothing_is_due_more_than_14_days_before(survey):
    send_due(now=days_before(20))
    assert mail.outbox == []


def test_councils_that_have_not_submitted_are_reminded_at_each_stage_once(survey):
    send_due(now=days_before(14))
    assert recipients() == EXPECTED
    assert "due in 14 days, on 28 February 2027" in mail.outbox[0].body
    send_due(now=days_before(13))  # the same stage: nothing again
    send_due(now=days_before(10))
    assert len(mail.outbox) == 3
    send_due(now=days_before(7))
    send_due(now=days_before(2))
    send_due(now=days_before(1))
    assert len(mail.outbox) == 9  # three stages to three people
    assert "leeds.dcs@example.gov.uk" not in recipients()


def test_a_council_that_submits_gets_no_more_reminders(survey, places):
    send_due(now=days_before(14))
    Response.objects.create(version=survey, authority=places.islington, status=Response.Status.SUBMITTED)
    mail.outbox.clear()
    send_due(now=days_before(7))
    assert recipients() == ["camden.dcs@example.gov.uk", "camden.delegate@example.gov.uk"]


def test_after_the_deadline_one_late_reminder_until_the_survey_closes(survey):
    send_due(now=at(DEADLINE + timedelta(days=1)))
    assert len(mail.outbox) == 3
    assert (
        mail.outbox[0].subject == "Survey of directors 2027: late answers are still taken until 14 March 2027"
    )
    send_due(now=at(DEADLINE + timedelta(days=8)))
    assert len(mail.outbox) == 3
    mail.outbox.clear()
    send_due(now=at(CLOSES + timedelta(days=1)))  # past the closing date: nothing
    assert mail.outbox == []


def test_a_closed_or_draft_survey_reminds_nobody(survey):
    SurveyVersion.objects.filter(pk=survey.pk).update(status=SurveyVersion.Status.CLOSED)
    send_due(now=days_before(2))
    assert mail.outbox == []


def test_the_remind_command_sends_what_is_due_and_never_twice(survey, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: days_before(7))
    out = StringIO()
    call_command("survey", "remind", "--dry-run", stdout=out)
    assert "3 survey reminders would be sent" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists()

    out = StringIO()
    call_command("survey", "remind", stdout=out)
    assert "3 survey reminders sent; 0 already sent before" in out.getvalue()
    assert (
        "Sent: Survey of directors 2027: the deadline is 28 February 2027 to islington.dcs@example.gov.uk"
        in out.getvalue()
    )
    assert recipients() == EXPECTED

    send_due(now=days_before(6))  # the daily job knows they went
    out = StringIO()
    call_command("survey", "remind", stdout=out)
    assert "0 survey reminders sent; 3 already sent before, not sent again." in out.getvalue()
    assert len(mail.outbox) == 3
