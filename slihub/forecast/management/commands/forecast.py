"""`slihub forecast [backtest|refresh]`: children looked after, 1 to 5 years ahead, from published data."""

import json

from django.core.management.base import BaseCommand, CommandError

from slihub.forecast import refresh, services


class Command(BaseCommand):
    help = (
        "Forecast children looked after at 31 March for England or a council from the published "
        "starts, ceases and population, with 50% and 80% intervals; backtest the forecasts; or work out "
        "and store every forecast and the backtest for the forecast pages and API (refresh)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            nargs="?",
            choices=["backtest", "refresh"],
            help="backtest every council; or refresh the stored forecasts the pages and API show",
        )
        parser.add_argument("--la", metavar="CODE", help="a council's DfE or ONS code (default: England)")
        parser.add_argument(
            "--as-of-year", type=int, metavar="YYYY", help="forecast from figures published up to this year"
        )
        parser.add_argument("--years", type=int, default=5, help="years ahead, 1 to 5 (default 5)")
        parser.add_argument("--simulations", type=int, default=1000, help="simulations (default 1000)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, action=None, **options):
        try:
            if action == "backtest":
                self.backtest(**options)
            elif action == "refresh":
                self.refresh(**options)
            else:
                self.forecast(**options)
        except services.ForecastError as error:
            raise CommandError(str(error), returncode=2) from None

    def forecast(self, *, la=None, as_of_year=None, years=5, simulations=1000, json=False, **options):
        result = services.forecast(la, as_of_year, years, simulations)
        if json:
            self.stdout.write(_dumps(result))
            return
        last = result["published"][-1]
        self.stdout.write(
            f"{result['area']['name']}: children looked after at 31 March, from figures published up to "
            f"{result['as_of_year']} ({last['looked_after']:,} at 31 March {last['year']}); "
            f"{simulations:,} simulations."
        )
        self.stdout.write(
            f"Starts {result['rates']['starts_per_10000']} per 10,000 children; "
            f"{result['rates']['ceases_share']:.1%} of those who could leave care leave in a year."
        )
        self.stdout.write("  year   median   50% interval      80% interval      naive   trend")
        for h, naive, trend in zip(result["horizons"], result["naive"], result["trend"], strict=True):
            (a, b), (c, d) = h["interval_50"], h["interval_80"]
            self.stdout.write(
                f"  {h['year']}  {h['median']:>7,.0f}  {a:>7,.0f} to {b:<7,.0f}  {c:>7,.0f} to {d:<7,.0f}"
                f"  {naive:>7,.0f} {trend:>7,.0f}"
            )

    def refresh(self, *, simulations=1000, json=False, **options):
        done = refresh.refresh_forecasts(simulations=simulations)
        if json:
            self.stdout.write(
                _dumps(
                    {
                        "areas": done.areas,
                        "without": done.without,
                        "backtest": done.backtest,
                        "costs": done.costs,
                        "costs_missing": done.costs_missing,
                    }
                )
            )
            return
        if not done.areas and not done.without:
            self.stdout.write(
                "No published figures of children looked after are held: run load-public-data. "
                "The stored forecasts were cleared."
            )
            return
        councils = max(done.areas - 1, 0)
        self.stdout.write(
            f"Stored the forecasts of England and {councils} councils, "
            f"{simulations:,} simulations each"
            + (f"; {done.without} councils have too few published years" if done.without else "")
            + (", and the backtest." if done.backtest else ".")
        )
        if done.costs_missing:
            self.stdout.write(f"No costs were stored: {done.costs_missing}")
        else:
            self.stdout.write(f"Stored the unit cost and projected spending of {done.costs} areas.")

    def backtest(self, *, simulations=1000, json=False, **options):
        result = services.backtest(simulations)
        if json:
            self.stdout.write(_dumps(result))
            return
        origins = result["origins"]
        self.stdout.write(
            f"Backtest: forecasts from each year {origins[0]} to {origins[-1]} using only the figures "
            "published by then, against the stocks published 1 to 3 years later."
            if origins
            else "Backtest: too few published years to backtest."
        )
        for label, summary in (
            ("England", result["england"]),
            ("Councils, pooled", result["councils_pooled"]),
        ):
            self.stdout.write(f"\n{label}: mean absolute percentage error (model / naive / trend)")
            for h, m in summary["by_horizon"].items():
                if m:
                    self.stdout.write(
                        f"  {h} year{'s' if h > 1 else ' '} ahead: {m['model']:5.1f}% / {m['naive']:5.1f}% / "
                        f"{m['trend']:5.1f}%  ({m['outcomes']} outcomes)"
                    )
            if summary["coverage_80"] is not None:
                self.stdout.write(
                    f"  outcomes inside the 80% interval: {summary['coverage_80']:.0%}; "
                    f"inside the 50% interval: {summary['coverage_50']:.0%}"
                )
        self.stdout.write(
            "\nCouncils where the model's error is lower than the naive (and trend) baseline's:"
        )
        for h, b in result["councils_beaten"].items():
            self.stdout.write(
                f"  {h} year{'s' if h > 1 else ' '} ahead: {b['model_beats_naive']} of {b['councils']} "
                f"({b['model_beats_trend']} beat the trend)"
            )


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
