"""`slihub forecast-costs`: what a child in care costs a year, and the forecast's spending, from published
outturn."""

import json

from django.core.management.base import BaseCommand, CommandError

from slihub.forecast import costs, services


def money(pounds: float | None) -> str:
    if pounds is None:
        return "-"
    if abs(pounds) >= 1e9:
        return f"£{pounds / 1e9:,.2f}bn"
    if abs(pounds) >= 1e6:
        return f"£{pounds / 1e6:,.1f}m"
    return f"£{pounds:,.0f}"


class Command(BaseCommand):
    help = (
        "The cost per child looked after per year for England or a council from the latest revenue "
        "outturn (RO3), by placement type where the data allow, and the forecast's spending for the next "
        "years (median and 80% range), with published national estimates beside England's."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--la", metavar="CODE", help="a council's DfE or ONS code (default: England)")
        where.add_argument(
            "--all", action="store_true", help="every council, and the sum of their medians beside England's"
        )
        parser.add_argument("--years", type=int, default=5, help="years ahead, 1 to 5 (default 5)")
        parser.add_argument(
            "--inflation",
            type=float,
            default=0.0,
            metavar="PCT",
            help="yearly rise in the unit cost after the outturn year, in per cent (default 0)",
        )
        parser.add_argument("--simulations", type=int, default=1000, help="simulations (default 1000)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, la=None, years=5, inflation=0.0, simulations=1000, json=False, **options):
        try:
            if options.get("all"):
                result = costs.councils(years, inflation / 100, simulations)
            else:
                result = costs.projection(la, years, inflation / 100, simulations)
        except services.ForecastError as error:
            raise CommandError(str(error), returncode=2) from None
        if json:
            self.stdout.write(_dumps(result))
        elif options.get("all"):
            self.report_all(result)
        else:
            self.report(result)

    def report_all(self, result: dict) -> None:
        out = self.stdout.write
        england = result["england"]
        labels = [y["year"] for y in england["years"]]
        out(
            f"Every council: the cost per child looked after a year in {result['year']} and projected "
            f"spending (median of {result['simulations']:,} simulations), {_prices(england)}."
        )
        out(f"  {'council':<32} {'unit cost':>10}  {'source':<18}" + "".join(f"{y:>10}" for y in labels))
        for row in result["councils"]:
            medians = {y["year"]: y["median"] for y in row["years"]}
            out(
                f"  {row['name'][:32]:<32} {money(row['unit_cost']):>10}  {row['source']:<18}"
                + "".join(f"{money(medians.get(y)):>10}" for y in labels)
            )
        for total in result["sum_of_council_medians"]:
            out(
                f"  {total['year']}: the {total['councils']} councils' medians add up to "
                f"{money(total['sum'])}; England's own projection's median is "
                f"{money(total['england_median'])}."
            )
        for row in result["left_out"]:
            out(f"  Left out of the sum: {row['name']} ({row['reason']})")

    def report(self, result: dict) -> None:
        out = self.stdout.write
        unit = result["unit_cost"]
        source, children = unit["source"], unit["children"]
        out(
            f"{result['area']['name']}: a child looked after cost {money(unit['unit_cost'])} a year "
            f"({money(unit['unit_cost_weekly'])} a week) in {unit['year']}."
        )
        net = (
            f"; net {money(source['net_spend'])} ({source['net_place']})"
            if source["net_spend"] is not None
            else ""
        )
        out(f"  Spending: {money(source['spend'])} gross: {source['name']}, {source['place']}{net}.")
        counts = ", ".join(
            f"{c['looked_after']:,.0f} at 31 March {c['year']}"
            for c in children["counts"]
            if c["looked_after"]
        )
        out(
            f"  Children: {children['child_years']:,.1f} child-years of care ({counts}; "
            f"{children['method']}; {children['source']})."
        )
        out(f"  By placement type ({unit['year']} outturn, gross):")
        for kind in unit["placement_types"]:
            cost = f"{money(kind['unit_cost'])} a year each" if kind["unit_cost"] is not None else ""
            spent = money(kind["spend"]) if kind["spend"] is not None else kind["status"]
            out(f"    {kind['name']:<34} {spent:>10}  {cost:<22} ({kind['place']})")
            if kind["note"]:
                out(f"      {kind['note']}")
        weekly = unit["published_weekly"]
        out(
            f"  DfE's own weekly unit costs for {weekly['year']}: all {money(weekly['all'])}, fostering "
            f"{money(weekly['fostering'])}, residential {money(weekly['residential'])} ({weekly['source']})."
        )
        history = unit["history"]
        if history.get("yearly_rise") is not None:
            out(
                f"  DfE's weekly unit cost went from {money(history['first']['weekly'])} in "
                f"{history['first']['year']} to {money(history['latest']['weekly'])} in "
                f"{history['latest']['year']}: {history['yearly_rise']:.1%} a year ({history['source']})."
            )
        if result["no_projection"]:
            out(f"\nNo projection of spending: {result['no_projection']}")
            return
        prices = _prices(result)
        out(
            f"\nProjected spending on children looked after: {prices}; {result['simulations']:,} simulations "
            f"of the forecast from 31 March {result['forecast_origin']}."
        )
        out("  year      children   unit cost     median spend   80% range")
        for y in result["years"]:
            low, high = y["interval_80"]
            out(
                f"  {y['year']}  {y['looked_after_median']:>8,.0f}  {money(y['unit_cost']):>10}  "
                f"{money(y['median']):>14}   {money(low)} to {money(high)}"
            )
        if "reference_points" not in result:
            return
        csc = result.get("childrens_social_care")
        if csc:
            out(
                f"\nFor scale: all children's social care in England cost {money(csc['spend'])} gross in "
                f"{csc['year']} ({csc['source']}, {csc['place']})."
            )
        out("\nPublished estimates to set beside the national figure (each measures something different):")
        for point in result["reference_points"]:
            out(f"  {money(point['figure'])} for {point['period']}: {point['measures']}.")
            out(f'    {point["who"]}, {point["published"]}: "{point["quote"]}"')
            out(f"    {point['address']} ({point['place']})")


def _prices(result: dict) -> str:
    rate = result["inflation"]
    if rate == 0:
        return f"unit cost held at {result['inflation_from']} prices (inflation 0% a year)"
    return f"unit cost rising {rate:.1%} a year from {result['inflation_from']}"


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
