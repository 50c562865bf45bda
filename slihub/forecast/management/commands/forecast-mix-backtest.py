"""`slihub forecast-mix-backtest`: how well each way of carrying placement shares forward did."""

import json

from django.core.management.base import BaseCommand

from slihub.forecast import mix


class Command(BaseCommand):
    help = (
        "Backtest the forecast's split by placement type: from 2022, 2023 and 2024, using only the shares "
        "published by then, each way of carrying LAIT's placement shares forward (the last year's, the "
        "mean of the last 2, 3 or 6 years, a straight line through 3 or 6) against the shares published "
        "one to three years later: mean absolute error in percentage points, and how often the 80% "
        "interval held the published share. England and every current council."
    )

    def add_arguments(self, parser):
        parser.add_argument("--simulations", type=int, default=1000, help="simulations (default 1000)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, simulations=1000, json=False, **options):
        report = mix.backtest(simulations)
        if json:
            self.stdout.write(_dumps(report))
            return
        for name, rows in report.items():
            self.stdout.write(f"{'England' if name == 'england' else 'Every council'}:")
            self.stdout.write("  method       error 1, 2, 3 years ahead (points)   outcomes        80% held")
            for r in rows:
                errors = ", ".join("-" if v is None else f"{v:.2f}" for v in r["mae_points"].values())
                outcomes = ", ".join(str(v) for v in r["outcomes"].values())
                held = "-" if r["coverage_80"] is None else f"{r['coverage_80']:.0%}"
                label = f"{r['method']} of {r['window']}"
                self.stdout.write(f"  {label:<12} {errors:<36} {outcomes:<15} {held}")


def _dumps(report) -> str:
    return json.dumps(report, indent=2)
