"""`slihub forecast-scenario`: a council's children in care and spending under changed entry rates, exit
shares or placement mix, against its baseline forecast."""

import json

from django.core.management.base import BaseCommand, CommandError

from slihub.forecast import scenarios, services
from slihub.stats import scenario as sc


def money(pounds: float) -> str:
    sign = "-" if pounds < 0 else ""
    pounds = abs(pounds)
    if pounds >= 1e9:
        return f"{sign}£{pounds / 1e9:,.2f}bn"
    if pounds >= 1e6:
        return f"{sign}£{pounds / 1e6:,.1f}m"
    return f"{sign}£{pounds:,.0f}"


def signed(value: float, show=lambda v: f"{v:,.0f}") -> str:
    return ("+" if value > 0 else "") + show(value)


class Command(BaseCommand):
    help = (
        "A scenario on the forecast of children looked after: change the entry rate, the share leaving "
        "care or the placement mix, and see children in care, children leaving care and spending against "
        "the baseline forecast, with 80% ranges."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="CODE", help="a council's DfE or ONS code (default: England)")
        parser.add_argument(
            "--entries-times",
            type=float,
            default=1.0,
            metavar="X",
            help="multiply the entry rate (default 1)",
        )
        parser.add_argument(
            "--entries-plus",
            type=float,
            default=0.0,
            metavar="N",
            help="add N children starting care per 10,000 children (after multiplying; default 0)",
        )
        parser.add_argument(
            "--exits-times",
            type=float,
            default=1.0,
            metavar="X",
            help="multiply the share leaving care (default 1)",
        )
        parser.add_argument(
            "--exits-plus",
            type=float,
            default=0.0,
            metavar="PP",
            help="add PP percentage points to the share leaving care (after multiplying; default 0)",
        )
        parser.add_argument(
            "--move",
            action="append",
            default=[],
            metavar="PCT:FROM:TO",
            help="move PCT%% of one placement type's children to another, e.g. 10:residential:fostering "
            "(types: fostering, residential, other); may be given more than once",
        )
        parser.add_argument("--years", type=int, default=5, help="years ahead, 1 to 5 (default 5)")
        parser.add_argument(
            "--inflation",
            type=float,
            default=0.0,
            metavar="PCT",
            help="yearly rise in unit costs, per cent (default 0)",
        )
        parser.add_argument("--simulations", type=int, default=1000, help="simulations (default 1000)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        try:
            scenario = sc.Scenario(
                entries_times=options["entries_times"],
                entries_plus=options["entries_plus"],
                exits_times=options["exits_times"],
                exits_plus=options["exits_plus"],
                moves=tuple(sc.Move.parse(m) for m in options["move"]),
            )
        except ValueError as error:
            message = str(error)
            raise CommandError(message[0].upper() + message[1:] + ".", returncode=2) from None
        try:
            result = scenarios.run_scenario(
                options["la"],
                scenario,
                years=options["years"],
                simulations=options["simulations"],
                inflation=options["inflation"] / 100,
            )
        except services.ForecastError as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=str))
        else:
            self.report(result)

    def report(self, result: dict) -> None:
        out = self.stdout.write
        rates = result["rates"]
        out(
            f"{result['area']['name']}: scenario against the baseline forecast from 31 March "
            f"{result['origin']} ({result['simulations']:,} simulations, the same draws for both)."
        )
        out("Scenario: " + "; ".join(result["scenario"]["description"]) + ".")
        base, new = rates["baseline"], rates["scenario"]
        out(
            f"  Children starting care per 10,000: {base['starts_per_10000']:g} in the baseline, "
            f"{new['starts_per_10000']:g} in the scenario."
        )
        out(
            f"  Share of children in care during a year who leave: {base['ceases_share']:.1%} in "
            f"the baseline, {new['ceases_share']:.1%} in the scenario (kept between 1% and 99%)."
        )
        out("Children looked after at 31 March (median, 80% range):")
        self.table(result, "looked_after", lambda v: f"{v:,.0f}")
        out("Children leaving care in the year to 31 March (median, 80% range):")
        self.table(result, "ceases", lambda v: f"{v:,.0f}")
        if "spend" not in result["baseline"]:
            out(f"Spending: not worked out: {result['no_spend']}")
            return
        prices = (
            f"prices rising {result['inflation'] * 100:g}% a year"
            if result["inflation"]
            else f"{result['unit_cost']['year']} prices (no inflation)"
        )
        out(f"Spending in the financial year (median, 80% range), {prices}:")
        self.table(result, "spend", money)
        placements = result["placements"] or {}
        if "shares" in placements:
            out("Placement mix (share of children; cost per child a year):")
            for kind in sc.PLACEMENTS:
                out(
                    f"  {kind:<12} {placements['shares'][kind]:6.1%} -> "
                    f"{placements['scenario_shares'][kind]:6.1%}   {money(placements['unit_costs'][kind])}"
                )
            out(
                f"  All placements: {money(placements['all_placements'])} a child a year in the baseline, "
                f"{money(placements['scenario_unit_cost'])} in the scenario."
            )
            if any(sc.OTHER in (m["from"], m["to"]) for m in result["scenario"]["moves"]):
                out(
                    "  Note: 'other' is every other placement at the cost that makes the baseline mix give "
                    "the all-placements cost, so it also carries spending that is not on placements "
                    "(asylum-seeking children, leaving care support and more): read moves to or from it "
                    "with care."
                )
        elif "missing" in placements:
            out(f"Placement types are not costed: {placements['missing']}")

    def table(self, result: dict, what: str, show) -> None:
        out = self.stdout.write
        out(f"  {'year':<8} {'baseline':>28} {'scenario':>28} {'difference':>30}")
        rows = zip(
            result["baseline"][what], result["scenario_result"][what], result["difference"][what], strict=True
        )
        for base, new, diff in rows:
            low, high = diff["interval_80"]
            change = f"{signed(diff['median'], show)} ({signed(low, show)} to {signed(high, show)})"
            out(f"  {base['year']!s:<8} {_cell(base, show):>28} {_cell(new, show):>28} {change:>30}")


def _cell(row: dict, show) -> str:
    low, high = row["interval_80"]
    return f"{show(row['median'])} ({show(low)} to {show(high)})"
