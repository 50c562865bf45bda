"""slihub backup FILE: the whole database in one file, consistent while the hub runs."""

from django.core.management.base import BaseCommand, CommandError

from slihub.audit import backup


class Command(BaseCommand):
    help = (
        "Back up the database to FILE: SQLite's online backup (a consistent copy while the hub runs), or "
        "pg_dump's custom format on PostgreSQL. Restore it with `slihub restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to write (replaced only once the backup is whole)")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, file, database, **options):
        try:
            path = backup.backup(file, alias=database)
            contents = backup.holding(database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        size = path.stat().st_size
        self.stdout.write(f"Backed up the database to {path} ({size:,} bytes): {contents}.")
