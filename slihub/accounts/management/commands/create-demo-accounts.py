from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from slihub.accounts.demo import create_demo_accounts, demo_password
from slihub.places.models import Authority


class Command(BaseCommand):
    help = (
        "Create one demo account per role (for local use only; refused in production) and print the logins."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are for local use only and are never made in production.")
        if not Authority.objects.exists():
            raise CommandError("Load the reference data first: slihub load-public-data")
        accounts = create_demo_accounts()
        self.stdout.write(
            "Demo accounts (local use only), all with the password "
            f"{demo_password()}  (kept in {settings.VAR_DIR / 'demo-password'}):"
        )
        for username, role, created in accounts:
            self.stdout.write(f"  {username:<20} {role}{'  (new)' if created else ''}")
