"""`slihub exchange match`: propose specialist loans (see slihub/stats/matching.py for the maths)."""

import json

from django.core.management.base import BaseCommand, CommandError

from slihub.exchange.instances import InstanceError, read_instance, result_to_json, result_to_text
from slihub.stats.matching import solve

NO_RECORDS = (
    "Matching against the hub's own records needs the exchange records (specialists, help requests, "
    "loans and the reciprocity ledger), which are not built yet. Nothing was matched. Use "
    "--instance FILE.json to solve a self-contained instance (format: slihub/exchange/INSTANCE_FORMAT.md)."
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

    def handle(self, *args, subcommand, **options):
        if subcommand == "match":
            self.match(instance_path=options.get("instance"), as_json=options.get("json", False))

    def match(self, *, instance_path, as_json):
        if not instance_path:
            raise CommandError(NO_RECORDS, returncode=2)
        try:
            instance = read_instance(instance_path)
        except InstanceError as error:
            raise CommandError(f"{error}\nNothing was matched.", returncode=2) from None
        result = solve(instance)
        if as_json:
            self.stdout.write(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(result_to_text(result))
