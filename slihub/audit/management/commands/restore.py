"""slihub restore FILE --yes: replace the database with a backup made by `slihub backup`."""

from django.core.management.base import BaseCommand, CommandError

from slihub.audit import backup
from slihub.places import releases


class Command(BaseCommand):
    help = (
        "Restore the database from FILE, made by `slihub backup`. Everything in the database is replaced; "
        "when it holds data, the command says what and refuses unless --yes is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup made by `slihub backup`")
        parser.add_argument("--yes", action="store_true", help="replace a database that holds data")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, file, yes, database, **options):
        try:
            backup.kind_of_file(file)
            present = backup.holding(database)
            if not present.empty and not yes:
                raise CommandError(
                    f"The database holds {present}. Restoring {file} replaces all of it with the backup's "
                    "contents. Nothing was changed: run again with --yes to replace it."
                )
            backup.restore(file, alias=database)
            if database == "default":
                releases.bump_everything()  # no cached page outlives the data it showed
            restored = backup.holding(database)
            advice = backup.migration_state(database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        replaced = "" if present.empty else f" It replaced {present}."
        self.stdout.write(f"Restored {file}: the database now holds {restored}.{replaced}")
        if advice:
            self.stdout.write(advice)
