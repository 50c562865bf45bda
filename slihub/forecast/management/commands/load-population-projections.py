"""`slihub load-population-projections FILE`: ONS sub-national population projections for the forecasts."""

from django.core.management.base import BaseCommand, CommandError

from slihub.forecast.refresh import refresh_forecasts
from slihub.places.projections import ProjectionFileError, load


class Command(BaseCommand):
    help = (
        "Load ONS's sub-national population projections (the CSV layout of the 2018-based and 2022-based "
        "tables: AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, then a column per year) and forecast "
        "children looked after with the projected children aged 0 to 17. All or nothing: a bad file is "
        "refused whole with its line and column and nothing changes. The authorities and years in the "
        "file are added or replaced; other stored projections are kept. Every change is audited. The "
        "stored forecasts are then worked out again (without the backtest, which uses estimates only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the projections CSV (persons, or males and females)")
        parser.add_argument("--source", help="how pages name the file (default: from its name)")
        parser.add_argument(
            "--no-refresh", action="store_true", help="do not work the stored forecasts out again"
        )

    def handle(self, *args, file, source=None, no_refresh=False, **options):
        try:
            report = load(file, source=source, progress=self.stdout.write)
        except ProjectionFileError as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        self.stdout.write(
            f"{report.authorities} councils: {report.added} years added, {report.changed} changed, "
            f"{report.unchanged} unchanged ({report.source})."
        )
        if report.touched and not no_refresh:
            done = refresh_forecasts(backtest=False)
            self.stdout.write(
                f"Forecasts worked out again for England and {max(done.areas - 1, 0)} councils."
            )
        self.stdout.write(
            self.style.SUCCESS("Loaded." if report.touched else "Already loaded: nothing changed.")
        )
