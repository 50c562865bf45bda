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
        parser.add_argument(
            "--unless-removed",
            action="store_true",
            help="seed only if the sample activity was never removed with --remove (as `make run` does, so "
            "that removing it lasts)",
        )

    def handle(self, *args, remove=False, unless_removed=False, **options):
        if settings.PRODUCTION:
            raise CommandError("Sample activity is for local use only and is never made in production.")
        marker = settings.VAR_DIR / "demo-data-removed"
        if remove:
            result = demo_data.remove()
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text("The sample activity was removed; `slihub demo-data` seeds it again.\n")
            self.stdout.write(f"Removed {result.removed} sample records.")
            for line in result.kept:
                self.stdout.write(f"  {line}")
            return
        if unless_removed and marker.exists():
            self.stdout.write(
                "Sample activity: not seeded, as it was removed (slihub demo-data seeds it again)."
            )
            return
        marker.unlink(missing_ok=True)
        try:
            report = demo_data.seed()
        except demo_data.DemoDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("Sample activity (marked 'Sample:'; remove it with slihub demo-data --remove):")
        for what, made in report:
            self.stdout.write(f"  {what}{'  (new)' if made else '  (already there)'}")
