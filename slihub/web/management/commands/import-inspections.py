"""`slihub import-inspections FILE`: a further release of Ofsted's inspection outcomes, then the risk scores.

Here in the web layer, not in the inspections app, because the early-warning scores (a layer above the
inspections) are recomputed after a change, as import-indicators does."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from slihub.inspections.services import import_release
from slihub.places.importers import DataFileError
from slihub.places.services import DataFolderError
from slihub.warning.services import compute_risk_scores


class Command(BaseCommand):
    help = (
        "Load a further release of Ofsted's 'Local authority inspection outcomes' statistics: the "
        "'In-year inspections' table (standard and short inspections with their judgments, focused and "
        "monitoring visits and joint targeted area inspections with their theme) or the 'ILACS inspection "
        "history' table, as CSV with Ofsted's column headings, or the .ods workbook with both sheets. "
        "Additive: what the file holds is added or updated (Ofsted's record wins over Data to Insight's "
        "scrape) and every other inspection stays. The whole file is checked first; a bad row is refused "
        "naming the row and column, and nothing changes. A second run changes nothing. Early-warning "
        "risk scores are recomputed when the file changed anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Ofsted's table as CSV, or its .ods workbook")

    def handle(self, *args, file, **options):
        try:
            with transaction.atomic():
                report = import_release(file, progress=self._progress)
                if report.changed:
                    self.stdout.write("== Early-warning risk scores")
                    compute_risk_scores(progress=self.stdout.write)
        except (DataFolderError, DataFileError) as error:
            raise CommandError(f"{error}\nNothing was changed.", returncode=2) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {file}: {len(report.added)} added, {len(report.updated)} changed."
                if report.changed
                else f"Already loaded: nothing changed ({report.unchanged} inspections and visits as "
                "the file has them)."
            )
        )

    def _progress(self, line: str) -> None:
        self.stdout.write(self.style.WARNING(line) if line.startswith("Warning:") else line)
