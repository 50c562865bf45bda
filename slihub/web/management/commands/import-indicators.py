from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from slihub.indicators.importers import limits_text
from slihub.indicators.mappings import MAPPINGS
from slihub.indicators.services import import_tidy_file
from slihub.places.importers import DataFileError
from slihub.places.services import DataFolderError
from slihub.warning.features import DFE_EQUIVALENTS
from slihub.warning.services import compute_risk_scores


class Command(BaseCommand):
    help = (
        "Load one of DfE's tidy statistics files (this year's release or next year's) with a named "
        "mapping. Idempotent and all-or-nothing: a bad file is refused whole and changes nothing, "
        "naming file, line and column: a malformed CSV, an impossible value (a negative count, rate or "
        "percentage, a percentage over 100), a period that has not ended, an authority's DfE code "
        "with another authority's ONS code. Rows the mapping does not read (other geographic levels "
        "or breakdowns) are counted and reported as warnings. The periods and areas the file holds "
        "are added or updated and every other stored value of the mapping is kept, so a release "
        "holding only its new year keeps the years before; --replace-source makes the mapping's "
        "values exactly the file's, listing what it removes (per indicator, values and periods) "
        "first. Early-warning risk scores are recomputed when the file changed one of their signals."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the tidy CSV file")
        parser.add_argument("--mapping", help="which mapping reads the file (see --list)")
        parser.add_argument("--list", action="store_true", help="list the mappings and stop")
        parser.add_argument(
            "--replace-source",
            action="store_true",
            help="replace all the mapping's values with the file's: what the file does not hold is "
            "removed (listed per indicator, with its periods, before it goes)",
        )

    def handle(self, *args, file=None, mapping=None, list=False, replace_source=False, **options):
        if list:
            for name, chosen in MAPPINGS.items():
                self.stdout.write(f"{name}: {chosen.description} (file {chosen.filename})")
                for measure in chosen.measures:
                    low, high = measure.limits
                    limits = "" if low is None and high is None else f" ({limits_text(low, high)})"
                    self.stdout.write(f"    {measure.code}: {measure.name} <- {measure.column}{limits}")
            return
        if not file or not mapping:
            raise CommandError("Give a FILE and --mapping NAME (or --list to see the mappings).")
        try:
            with transaction.atomic():
                if replace_source:
                    self.stdout.write(
                        self.style.WARNING(f"Replacing the {mapping} mapping's values with {file}'s.")
                    )
                report = import_tidy_file(
                    file, mapping=mapping, progress=self._progress, replace_source=replace_source
                )
                signals = {m.code for m in MAPPINGS[mapping].measures} & set(DFE_EQUIVALENTS.values())
                if report.changed and signals:
                    self.stdout.write("== Early-warning risk scores")
                    compute_risk_scores(progress=self.stdout.write)
        except (DataFolderError, DataFileError) as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        warnings, removed = len(report.warnings), report.values_removed
        warned = f" with {warnings} warning{'' if warnings == 1 else 's'}, above" if warnings else ""
        if removed:
            warned += f"; {removed} stored value{'' if removed == 1 else 's'} removed, listed above"
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {file} with the {mapping} mapping{warned}."
                if report.changed
                else "Already loaded: nothing changed."
            )
        )

    def _progress(self, line: str) -> None:
        self.stdout.write(self.style.WARNING(line) if line.startswith("Warning:") else line)
