"""`slihub warning train|score|backtest`: the early-warning model on the command line."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from slihub.places.models import Authority
from slihub.warning import explain, services
from slihub.warning.models import Target


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of {text!r} is not a date: write it as YYYY-MM-DD.", returncode=2) from None


def _metric(m: dict, name: str) -> str:
    value, (low, high) = m[name], m["intervals"][name]
    if value is None:
        return "n/a"
    interval = "" if low is None else f" ({low:.2f} to {high:.2f})"
    return f"{value:.3f}{interval}"


class Command(BaseCommand):
    help = (
        "The early-warning model: train it, score every authority, and backtest it against Ofsted's record."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        sub.add_parser("train", help="retrain every month's models since 2019 and store the scores")
        score = sub.add_parser(
            "score", help="every authority's risk as the hub would have computed it on a date"
        )
        score.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date (default: today)")
        score.add_argument("--json", action="store_true", help="print JSON")
        backtest = sub.add_parser(
            "backtest", help="the model against the previous grade and a points score on past inspections"
        )
        backtest.add_argument("--json", action="store_true", help="print JSON")
        backtest.add_argument(
            "--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)"
        )

    def handle(self, *args, subcommand, **options):
        getattr(self, subcommand)(**options)

    def train(self, **options):
        count = services.refresh_scores()
        self.stdout.write(
            f"Stored {count:,} risk scores, one per authority, month and target, since "
            f"{services.FIRST_MONTH:%B %Y}."
        )

    def score(self, *, as_of=None, json=False, **options):
        day = _date(as_of) if as_of else timezone.localdate()
        scorer = services.Scorer()
        trained = services.train(scorer, day)
        soon = services.inspections_soon(scorer, day)
        names = dict(Authority.objects.values_list("id", "code"))
        titles = dict(Authority.objects.values_list("id", "name"))
        rows: dict[int, dict] = {}
        for target, model in trained.models.items():
            for s in scorer.score(model.model, day) if model else []:
                row = rows.setdefault(
                    s.authority_id,
                    {
                        "code": names[s.authority_id],
                        "name": titles[s.authority_id],
                        "inspection_within_12_months": soon.get(s.authority_id),
                    },
                )
                row[target.value] = {"probability": round(s.probability, 6), "rank": s.rank}
                if target == Target.INADEQUATE:
                    row["signals"] = explain.explain(scorer, s, day, keep=3)
        ordered = sorted(rows.values(), key=lambda r: r.get("inadequate", {}).get("rank", 999))
        models = {
            t.value: None
            if m is None
            else {
                "inspections": len(trained.outcomes),
                "positives": sum(services.TARGETS[t](o) for o in trained.outcomes),
                "penalty": m.choice.penalty,
                "half_life_years": m.choice.half_life,
                "recalibration": m.recalibration.to_dict() if m.recalibration else None,
            }
            for t, m in trained.models.items()
        }
        if json:
            self.stdout.write(_dumps({"as_of": day.isoformat(), "models": models, "authorities": ordered}))
            return
        self.stdout.write(
            f"Risk of a poor next inspection as of {day:%-d %B %Y}, from "
            f"{len(trained.outcomes)} inspections published before then."
        )
        if not ordered:
            self.stdout.write("Too few inspections were known then to train a model.")
        for row in ordered:
            inadequate, below = row.get("inadequate", {}), row.get("below_good", {})
            signal = row.get("signals", [{}])[0].get("label", "") if row.get("signals") else ""
            self.stdout.write(
                f"{inadequate.get('rank', '-'):>4}  {row['code']}  {row['name'][:32]:<32} "
                f"inadequate {inadequate.get('probability', 0):6.1%}  "
                f"below good {below.get('probability', 0):6.1%}  {signal}"
            )

    def backtest(self, *, json=False, resamples=2000, **options):
        if resamples < 100:
            raise CommandError("--resamples must be at least 100.", returncode=2)
        results = services.backtest(n_boot=resamples)
        services.save_backtest(results)
        if json:
            self.stdout.write(_dumps(results))
            return
        self.stdout.write(
            f"Backtest: the model against the previous grade alone and a points score; top = the "
            f"{results['top']} highest risks that month; 95% intervals from {resamples} council resamples."
        )
        for target in results["targets"].values():
            for key in ("rolling", "leave_one_year_out"):
                split = target[key]
                self.stdout.write(f"\n{target['label']}: {split['description']}.")
                self.stdout.write(f"  {split['inspections']} inspections, {split['positives']} positives")
                if not split.get("evaluated"):
                    continue
                for who in services.PREDICTORS:
                    m = split[who]
                    self.stdout.write(
                        f"  {who:<14}  ROC AUC {_metric(m, 'roc_auc')}  PR AUC {_metric(m, 'pr_auc')}  "
                        f"Brier {_metric(m, 'brier')}  slope {_metric(m, 'calibration_slope')}  "
                        f"precision@top {_metric(m, 'precision_top')}  recall@top {_metric(m, 'recall_top')}"
                    )
                for who, differences in split["differences"].items():
                    d = differences["roc_auc"]
                    low, high = d["interval"]
                    interval = "" if low is None else f" ({low:+.2f} to {high:+.2f})"
                    self.stdout.write(f"  model minus {who}: ROC AUC {d['difference']:+.3f}{interval}")
        self.stdout.write("\nAims:")
        for aim in results["aims"]:
            value = aim.get("value")
            figure = "" if value is None else f" {value:.3f}"
            self.stdout.write(
                f"  {aim['target']} {aim['metric']}:{figure} {'met' if aim['met'] else 'not met'}"
            )


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
