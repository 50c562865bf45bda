from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from slihub.accounts.demo import create_demo_accounts, demo_password, group_of
from slihub.places.models import Authority


class Command(BaseCommand):
    help = (
        "Create the demo accounts (an admin and an analyst in Camden, Islington and Leeds, Camden's "
        "director, chief executive and lead member, London's coordinator, a national admin and an evidence "
        "editor; for local use only, refused in production) and print the logins."
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
        group = None
        for person, role, created in accounts:
            if group_of(person) != group:
                group = group_of(person)
                self.stdout.write(f"\n{group}")
            self.stdout.write(f"  {person.username:<23} {role}{'  (new)' if created else ''}")
            self.stdout.write(f"  {'':<23} {person.can}")
