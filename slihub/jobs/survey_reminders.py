"""Reminders of the annual survey of directors (registered with slihub.jobs.reminders.reminder).

The rules (who, when) are in slihub.survey.reminder_rules, which `slihub survey remind` uses too: while a
survey is open, directors and their named delegates of councils that have not submitted are reminded when
14, 7 and 2 days or fewer remain before the deadline, and once after it until the survey closes. Each
reminder's key names the survey, the council and the stage, and `every` outlasts a survey, so none is
sent twice.
"""

from collections.abc import Iterable
from datetime import datetime

from slihub.jobs.reminders import Due, reminder
from slihub.survey import reminder_rules as rules


def _due(found) -> Iterable[Due]:
    for item in found:
        yield Due(item.subject_key, item.recipient, item.subject, item.body)


@reminder(rules.DEADLINE, "Survey answers due soon", every=rules.EVERY)
def survey_deadline(now: datetime) -> Iterable[Due]:
    """Councils that have not submitted, 14, 7 and 2 days (or fewer) before the deadline."""
    return _due(rules.deadline_reminders(now))


@reminder(rules.LATE, "Survey answers late", every=rules.EVERY)
def survey_late(now: datetime) -> Iterable[Due]:
    """Once after the deadline, while late answers are still taken."""
    return _due(rules.late_reminders(now))
