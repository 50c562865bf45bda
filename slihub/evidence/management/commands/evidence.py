"""`slihub evidence pool --csv FILE ...`: pool the studies in a CSV file (random effects by default).
`slihub evidence check-content [--json]`: pool every synthesis of the library's own transcriptions with its
source's model and say whether it reproduces the source's printed result.

The work is in slihub.evidence.pooling, slihub.evidence.content and slihub.evidence.synthesis; this command
only parses arguments and prints.
"""

import json
import math
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from slihub.evidence import content, importers, synthesis
from slihub.evidence.pooling import MEASURE_COLUMNS, OUTPUT_KEYS, PoolingError, pool_csv
from slihub.evidence.services import resolve_evidence_dir
from slihub.places.services import DataFolderError
from slihub.sources import DataFileError

COLUMN_OPTIONS = ("yi", "vi", "ai", "bi", "ci", "di", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "ri", "ni")


class Command(BaseCommand):
    requires_system_checks = []  # offline tools: neither needs the database or the site's URLs
    help = "Evidence library tools. `pool`: meta-analysis of the studies in a CSV file (as R's metafor rma)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{pool,check-content}")
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
        check = sub.add_parser(
            "check-content",
            help="check the library's transcriptions against the sources' printed pooled results",
            description=(
                "Reads the content folder (outcomes.csv and reviews/*.json) as the loader does, pools each "
                "synthesis with its source's model and prints the hub's and the source's pooled results "
                "with REPRODUCES or DOES NOT REPRODUCE. Exits 0 when the files are valid (whatever they "
                "reproduce), 2 with the message when one is not."
            ),
        )
        check.add_argument("--content-dir", help="the content folder (default: the one shipped with the hub)")
        check.add_argument(
            "--studies",
            action="store_true",
            help="also each study's effect and 95%% CI, to compare with the source",
        )
        check.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args, **options):
        if options["subcommand"] == "pool":
            return self._pool(options)
        if options["subcommand"] == "check-content":
            return self._check_content(options)
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

    def _check_content(self, options):
        known = outcomes = None
        try:  # the starter content, when its folder is there, for the practices a synthesis may name
            practices, starter_outcomes = importers.read_all(resolve_evidence_dir())
            known = {p["slug"] for p in practices}
            outcomes = {o["slug"] for o in starter_outcomes}
        except (DataFolderError, DataFileError):
            pass
        folder = Path(options["content_dir"] or settings.EVIDENCE_CONTENT_DIR)
        try:
            found = content.read_content(folder, known_practices=known, known_outcomes=outcomes)
        except DataFileError as error:
            raise CommandError(str(error), returncode=2) from None
        rows = [check_row(item) for item in found.syntheses]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=1))
            return
        if known is None:
            self.stdout.write("(No starter content folder: practices named by slug were not checked.)")
        for row in rows:
            self.stdout.write(
                f"{row['file']} syntheses[{row['index']}]: {row['practice']} / {row['outcome']} "
                f"({row['measure']}, {synthesis.METHOD_WORDS[row['method']]}, {_studies(row['k'])})"
            )
            if options["studies"]:
                for study in row["studies"]:
                    shown = _shown(study["effect"], 3) if study["effect"] else "not estimable"
                    self.stdout.write(f"    {study['key']:<40} {shown}")
            if row["hub"]:
                self.stdout.write(f"  hub:    {_shown(row['hub'], row['decimals'])}")
            if row["source"]:
                self.stdout.write(f"  source: {_shown(row['source'], row['decimals'])}")
            self.stdout.write(f"  {row['verdict']}")
        counts = {words: sum(r["verdict"].startswith(v) for r in rows) for v, words in VERDICTS.items()}
        self.stdout.write(
            f"{len(rows)} syntheses in {len(found.files)} files: "
            + ", ".join(f"{n} {words}" for words, n in counts.items())
        )


Z95 = content.Z95
#: each verdict, and how the summary line counts it
VERDICTS = {
    "REPRODUCES": "reproduce",
    "DOES NOT REPRODUCE": "do not reproduce",
    "NOT CHECKED": "not checked (no printed result)",
    "NOT POOLED": "not pooled (fewer than two studies)",
}


def _shown(values, decimals: int) -> str:
    e, lb, ub = (f"{v:.{decimals}f}" for v in values)
    return f"{e} ({lb} to {ub})"


def check_row(item: content.TranscribedSynthesis) -> dict:
    """One synthesis checked, as check-content prints it (and --json gives it)."""
    checked, result = synthesis.check_transcribed(item)
    published = item.published or {}
    scale = math.exp if item.measure in content.RATIOS else float
    hub = [scale(x) for x in (result.estimate, result.ci_lb, result.ci_ub)] if result is not None else None
    if result is None:
        verdict = "NOT POOLED: fewer than two studies estimate an effect"
    elif checked is None:
        verdict = "NOT CHECKED: the source printed no pooled result"
    elif checked.reproduces:
        verdict = "REPRODUCES"
    else:
        known = published.get("reproduces") is False
        verdict = "DOES NOT REPRODUCE" + (" (marked in the file as known)" if known else "")
    return {
        "file": item.file,
        "index": item.index,
        "practice": item.practice,
        "outcome": item.outcome,
        "measure": item.measure,
        "method": published.get("method", synthesis.DEFAULT_METHOD),
        "k": sum(e["yi"] is not None for e in item.effects),
        "decimals": published.get("decimals", 2),
        "hub": hub,
        "source": [published[n] for n in ("estimate", "ci_lb", "ci_ub")] if published else None,
        "reproduces": checked.reproduces if checked is not None else None,
        "words": checked.words if checked is not None else "",
        "studies": [
            {
                "key": e["study"],
                "effect": [scale(e["yi"] + z * math.sqrt(e["vi"])) for z in (0, -Z95, Z95)]
                if e["yi"] is not None
                else None,
            }
            for e in item.effects
        ],
        "verdict": verdict,
    }


def _studies(k: int) -> str:
    return f"{k} stud{'y' if k == 1 else 'ies'}"
