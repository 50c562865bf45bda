"""`slihub evidence pool --csv FILE ...`: pool the studies in a CSV file (random effects by default).

The work is in slihub.evidence.pooling; this command only parses arguments and prints.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from slihub.evidence.pooling import MEASURE_COLUMNS, OUTPUT_KEYS, PoolingError, pool_csv

COLUMN_OPTIONS = ("yi", "vi", "ai", "bi", "ci", "di", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "ri", "ni")


class Command(BaseCommand):
    help = "Evidence library tools. `pool`: meta-analysis of the studies in a CSV file (as R's metafor rma)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{pool}")
        pool = sub.add_parser(
            "pool",
            help="pool effect sizes from a CSV file",
            description=(
                "Pool studies from a CSV: either --yi COL --vi COL, or --measure with the raw columns "
                "(OR|RR: --ai --bi --ci --di; SMD|MD: --m1i --sd1i --n1i --m2i --sd2i --n2i; "
                "ZCOR: --ri --ni)."
            ),
        )
        pool.add_argument("--csv", required=True, help="CSV file with a header row")
        pool.add_argument(
            "--measure", choices=sorted(MEASURE_COLUMNS), help="compute effect sizes from raw columns"
        )
        for name in COLUMN_OPTIONS:
            pool.add_argument(f"--{name}", metavar="COL", help=f"column holding {name}")
        pool.add_argument("--method", default="REML", choices=["EE", "DL", "REML", "PM", "HE"])
        pool.add_argument("--test", default="z", choices=["z", "knha"])
        pool.add_argument("--json", action="store_true", help="print a JSON object")

    def handle(self, *args, **options):
        if options["subcommand"] == "pool":
            return self._pool(options)
        raise CommandError(f"unknown subcommand {options['subcommand']!r}", returncode=2)

    def _pool(self, options):
        measure = options["measure"]
        roles = MEASURE_COLUMNS[measure] if measure else ("yi", "vi")
        missing = [f"--{role}" for role in roles if not options[role]]
        if missing:
            what = f"--measure {measure}" if measure else "pooling given effect sizes (or use --measure)"
            raise CommandError(f"{what} needs {' '.join(missing)}", returncode=2)
        extra = [f"--{name}" for name in COLUMN_OPTIONS if options[name] and name not in roles]
        if extra:
            raise CommandError(
                f"{' '.join(extra)} cannot be used here "
                f"(this input form needs {', '.join(f'--{r}' for r in roles)})",
                returncode=2,
            )
        try:
            values = pool_csv(
                options["csv"],
                columns={role: options[role] for role in roles},
                measure=measure,
                method=options["method"],
                test=options["test"],
            )
        except PoolingError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(values))
            return
        for key in OUTPUT_KEYS:
            value = values[key]
            self.stdout.write(f"{key:<9}{value}" if isinstance(value, int) else f"{key:<9}{value:.6g}")
