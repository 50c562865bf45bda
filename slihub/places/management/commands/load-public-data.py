from django.core.management.base import BaseCommand, CommandError

from slihub.places.importers import DataFileError
from slihub.places.services import DataFolderError, load_reference_data


class Command(BaseCommand):
    help = (
        "Load the public reference data (authorities, reorganisations, statistical neighbours, boundaries) "
        "from the data folder. Idempotent and all-or-nothing: a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="folder of public files (default: $SLIHUB_DATA_DIR)")

    def handle(self, *args, data_dir=None, **options):
        try:
            report = load_reference_data(data_dir, progress=self.stdout.write)
        except (DataFolderError, DataFileError) as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        self.stdout.write(
            self.style.SUCCESS(
                "Reference data loaded."
                if report.changed
                else "Reference data already up to date: nothing changed."
            )
        )
