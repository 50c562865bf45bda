"""`slihub import-evidence`: load the evidence library alone (the starter content and the library's own
transcriptions), as `slihub load-public-data --only evidence` does."""

from django.core.management.base import BaseCommand, CommandError

from slihub.evidence.services import load_evidence
from slihub.places.importers import DataFileError
from slihub.places.services import DataFolderError


class Command(BaseCommand):
    help = (
        "Load the evidence library: the EIF, EEF and WWCSC starter content and the library's own "
        "transcriptions (slihub/evidence/content). Every file is checked first; a bad one is refused "
        "whole, naming the file and the line and column (or the JSON path), and nothing changes. What the "
        "files hold is added or updated; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--evidence-dir", help="the starter content folder (default: $SLIHUB_EVIDENCE_DIR)"
        )
        parser.add_argument("--content-dir", help="the transcriptions' folder (default: the one shipped)")

    def handle(self, *args, evidence_dir=None, content_dir=None, **options):
        try:
            report = load_evidence(evidence_dir, content_dir=content_dir, progress=self.stdout.write)
        except (DataFolderError, DataFileError) as error:
            raise CommandError(f"{error}\nNothing was changed.", returncode=2) from None
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded the evidence library." if report.changed else "Already loaded: nothing changed."
            )
        )
