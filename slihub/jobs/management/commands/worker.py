"""`slihub worker`: runs the jobs queue (Huey's consumer, as `run_huey`) with the schedule."""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from slihub.jobs import services


class Command(BaseCommand):
    help = (
        "Run queued jobs and the schedule (monthly early-warning scores, the daily data check, reminders) "
        "until stopped with Ctrl-C. The queue is in the var folder, or in Redis when REDIS_URL is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-w",
            "--workers",
            type=int,
            default=None,
            help=f"worker threads (default {settings.HUEY['consumer']['workers']}: SLIHUB_WORKERS)",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="run queued jobs only (when another worker already runs the schedule)",
        )

    def handle(self, *args, workers=None, no_schedule=False, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1.", returncode=2)
        if not settings.REDIS_URL:
            # The SQLite queue is this machine's alone: a job still marked running was cut short when
            # the last worker stopped.
            abandoned = services.fail_abandoned_jobs()
            if abandoned:
                self.stdout.write(
                    f"Marked {abandoned} job{'' if abandoned == 1 else 's'} cut short by the last worker "
                    "as failed."
                )
        where = "Redis" if settings.REDIS_URL else settings.HUEY["filename"]
        self.stdout.write(f"Jobs worker: queue {settings.HUEY['name']!r} in {where}. Ctrl-C stops it.")
        options = {"workers": workers or settings.HUEY["consumer"]["workers"]}
        if no_schedule:
            options["periodic"] = False
        # The consumer's log lines go through the hub's logging (settings.LOGGING), not a handler of its own.
        huey_logger = logging.getLogger("huey")
        huey_logger.setLevel(logging.INFO)
        huey_logger.addHandler(logging.NullHandler())
        call_command("run_huey", **options)
