"""`slihub exchange match`: propose specialist loans (see slihub/stats/matching.py for the maths)."""

import json

from django.core.management.base import BaseCommand, CommandError

from slihub.exchange.instances import InstanceError, read_instance, result_to_json, result_to_text
from slihub.stats.matching import solve

NO_DATABASE = (
    "Matching against the hub's records needs a migrated database ({error}). Run `slihub migrate` first, "
    "or use --instance FILE.json to solve a self-contained instance (format: "
    "slihub/exchange/INSTANCE_FORMAT.md). Nothing was matched."
)


class Command(BaseCommand):
    help = (
        "The specialist exchange. `match` proposes loans that maximise the total fit of requests "
        "and specialists."
    )
    # A self-contained instance needs neither the database nor the system checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        match = subcommands.add_parser(
            "match",
            help="propose loans for all open requests and available specialists at once",
            description=(
                "Propose loans maximising total fit minus the spreading penalty, with explanations, "
                "the greedy baseline, every feasible pair and the penalty schedules."
            ),
        )
        match.add_argument("--instance", metavar="FILE.json", help="a self-contained instance (no database)")
        match.add_argument("--json", action="store_true", help="print the result as JSON")
        match.add_argument(
            "--dry-run",
            action="store_true",
            help="against the database: show the proposals without storing them",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "match":
            self.match(
                instance_path=options.get("instance"),
                as_json=options.get("json", False),
                dry_run=options.get("dry_run", False),
            )

    def match(self, *, instance_path, as_json, dry_run):
        if not instance_path:
            self.match_records(as_json=as_json, dry_run=dry_run)
            return
        if dry_run:
            raise CommandError(
                "--dry-run is for matching against the database; --instance never stores.", returncode=2
            )
        try:
            instance = read_instance(instance_path)
        except InstanceError as error:
            raise CommandError(f"{error}\nNothing was matched.", returncode=2) from None
        result = solve(instance)
        if as_json:
            self.stdout.write(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(result_to_text(result))

    def match_records(self, *, as_json, dry_run):
        from django.db import DatabaseError

        from slihub.exchange.runs import run_matching

        try:
            run, result = run_matching(dry_run=dry_run)
        except DatabaseError as error:
            raise CommandError(NO_DATABASE.format(error=str(error).splitlines()[0]), returncode=2) from None
        if as_json:
            document = result_to_json(result) | {"run": run.pk if run else None, "dry_run": dry_run}
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        self.stdout.write(result_to_text(result))
        if run is None:
            self.stdout.write("Dry run: nothing was stored.")
        else:
            self.stdout.write(
                f"Stored as matching run {run.pk}: "
                + (
                    "1 proposal awaits"
                    if len(result.assignments) == 1
                    else f"{len(result.assignments)} proposals await"
                )
                + " both councils."
            )
