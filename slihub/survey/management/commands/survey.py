"""`slihub survey ...`: the annual survey of directors' command line. `disclose` applies the hub's
disclosure control to a file of responses and prints the published tables (no database needed).
`remind` sends the survey's reminders that are due now (the same rules as the daily reminders job, and
the same record of what was sent, so nothing goes twice); `open` opens a year's survey and invites its
directors."""

import json

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from slihub.sources import DataFileError
from slihub.stats import disclosure
from slihub.survey import builder, reminder_rules
from slihub.survey.models import SurveyVersion
from slihub.survey.tables import question_tables, read_responses, tables_to_json, tables_to_text


class Command(BaseCommand):
    help = "The annual survey of directors of children's services."
    requires_system_checks = []  # `disclose` reads a file only

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        disclose = subparsers.add_parser(
            "disclose",
            help="print the published tables of a file of responses, with disclosure control",
            description=(
                "Count a file of responses (CSV columns respondent,region,question,answer; one row per "
                "respondent and question) per region and answer, with totals and England, and print the "
                "tables as published: counts of 1 to threshold-1 and the counts that would give them "
                "away show as c."
            ),
        )
        disclose.add_argument("--csv", required=True, metavar="FILE", help="the responses (UTF-8 CSV)")
        disclose.add_argument(
            "--threshold",
            type=int,
            default=disclosure.DEFAULT_THRESHOLD,
            help=f"the least count published (default {disclosure.DEFAULT_THRESHOLD})",
        )
        disclose.add_argument("--json", action="store_true", help="print a JSON object")
        disclose.add_argument(
            "--ranges", action="store_true", help="also print the least and most each c could be"
        )

        remind = subparsers.add_parser(
            "remind",
            help="send the survey's reminders that are due now",
            description=(
                "Email the directors (and named delegates) of councils that have not submitted an open "
                "survey: when 14, 7 and 2 days or fewer remain before the deadline, and once after it "
                "until the survey closes. A reminder already sent (by this command or the daily "
                "reminders job) is not sent again."
            ),
        )
        remind.add_argument("--dry-run", action="store_true", help="print what is due; send nothing")
        opener = subparsers.add_parser(
            "open",
            help="open a year's survey and invite every director not yet invited",
            description=(
                "Open a draft (or closed) survey and email an invitation to every active director of "
                "children's services not invited yet. Run again, it invites only directors added since."
            ),
        )
        opener.add_argument("--year", type=int, required=True, help="the survey's year, like 2027")

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"_{subcommand}")(**options)

    def _disclose(self, *, csv, threshold, json: bool, ranges: bool, **_):
        if threshold < 1:
            raise CommandError("--threshold must be at least 1", returncode=2)
        try:
            responses = read_responses(csv)
        except DataFileError as error:
            raise CommandError(f"{error}\nNothing was published.", returncode=2) from None
        except OSError as error:
            raise CommandError(f"{csv}: cannot read the file ({error.strerror})", returncode=2) from None
        tables = question_tables(responses, threshold=threshold)
        if json:
            self.stdout.write(_dumps(tables_to_json(tables, threshold, ranges=ranges)))
        else:
            self.stdout.write(tables_to_text(tables, threshold, ranges=ranges), ending="")

    def _remind(self, *, dry_run: bool, **_):
        sent_model = apps.get_model("jobs", "ReminderSent")  # the daily job's record (slihub.jobs)
        now = timezone.now()
        sent = held = 0
        for name, _label, find in reminder_rules.RULES:
            for item in find(now):
                recent = sent_model.objects.filter(
                    kind=name,
                    subject_key=item.subject_key,
                    recipient=item.recipient,
                    sent_at__gt=now - reminder_rules.EVERY,
                ).exists()
                if recent:
                    held += 1
                    continue
                if dry_run:
                    self.stdout.write(f"Would send: {item.subject} to {item.recipient}")
                else:
                    send_mail(item.subject, item.body, None, [item.recipient])
                    sent_model.objects.create(
                        kind=name, subject_key=item.subject_key, recipient=item.recipient, sent_at=now
                    )
                    self.stdout.write(f"Sent: {item.subject} to {item.recipient}")
                sent += 1
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{sent} survey reminder{'' if sent == 1 else 's'} {verb}; "
            f"{held} already sent before, not sent again."
        )

    def _open(self, *, year: int, **_):
        version = SurveyVersion.objects.filter(year=year).first()
        if version is None:
            raise CommandError(f"There is no survey for {year}", returncode=2)
        try:
            opened = builder.open_version(version=version)
        except ValidationError as error:
            problems = [m for messages in error.message_dict.values() for m in messages]
            message = f"The {year} survey did not open: " + "; ".join(problems)
            raise CommandError(message, returncode=2) from None
        for invitation in opened.invited:
            self.stdout.write(f"Invited {invitation.user.email} ({invitation.authority.name})")
        n = len(opened.invited)
        self.stdout.write(f"The {year} survey is open; {n} director{'' if n == 1 else 's'} invited.")


def _dumps(document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
