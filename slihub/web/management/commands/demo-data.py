from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from slihub.web import demo_data


class Command(BaseCommand):
    help = (
        "Seed sample activity for trying the hub (help requests, loans and the ledger, a local practice in "
        "review, a self-assessment, a workshop), made by the demo accounts and marked 'Sample:'; "
        "--remove removes exactly what it seeded. For local use only: refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true", help="remove the sample activity seeded before")

    def handle(self, *args, remove=False, **options):
        if settings.PRODUCTION:
            raise CommandError("Sample activity is for local use only and is never made in production.")
        if remove:
            result = demo_data.remove()
            self.stdout.write(f"Removed {result.removed} sample records.")
            for line in result.kept:
                self.stdout.write(f"  {line}")
            return
        try:
            report = demo_data.seed()
        except demo_data.DemoDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("Sample activity (marked 'Sample:'; remove it with slihub demo-data --remove):")
        for what, made in report:
            self.stdout.write(f"  {what}{'  (new)' if made else '  (already there)'}")
