"""`slihub survey ...`: the annual survey of directors' command line. `disclose` applies the hub's
disclosure control to a file of responses and prints the published tables (no database needed)."""

import json

from django.core.management.base import BaseCommand, CommandError

from slihub.sources import DataFileError
from slihub.stats import disclosure
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


def _dumps(document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
