"""Training, scoring and backtesting the early-warning model, and recording changes of director.

The model is a penalised logistic regression (stats/risk.py) on the signals in features.py, one
for each target: "Inadequate" overall, and "Requires improvement to be good" or worse. For the
first of each month it is trained afresh on the inspections whose reports were published before
that day, each described by what was public on the first of the month it began in, and then it
scores every authority on what is public that day. So a month's scores never depend on anything
published later, and the backtest of those scores is the hub's own record, not a re-run.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.places.models import Authority, Succession
from slihub.stats import risk
from slihub.warning.explain import explain
from slihub.warning.features import (
    BASELINE_FEATURES,
    FEATURES,
    snapshot,
)
from slihub.warning.models import BacktestReport, DirectorChange, RiskModel, RiskScore, Target
from slihub.warning.panel import Outcome, Panel, load_panel

FIRST_MONTH = date(2019, 1, 1)  # ILACS began in 2018: a year of outcomes before the first score
HALF_LIFE_YEARS = 3.0  # "Inadequate" has grown rarer since 2022: recent inspections weigh more
PENALTY_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
BASELINE_PENALTY = 1.0
WINSOR = 3.0  # standard deviations: no single figure may push a risk further
TOP = 15  # the watchlist's flag: the 15 highest risks in a month
BACKTEST_SINCE = date(2022, 1, 1)

TARGETS = {Target.INADEQUATE: lambda o: o.inadequate, Target.BELOW_GOOD: lambda o: o.below_good}


def month_start(day: date) -> date:
    return day.replace(day=1)


def months(first: date, last: date) -> list[date]:
    out, day = [], month_start(first)
    while day <= last:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


@dataclass(frozen=True)
class Scored:
    authority_id: int
    probability: float
    rank: int
    scored: int
    contributions: dict[str, float]


class Scorer:
    """Trains and scores from one Panel, remembering each authority's features on each date."""

    def __init__(self, panel: Panel | None = None):
        self.panel = panel or load_panel()
        self._snapshots = {}
        self._penalties = {}
        self._authorities = _authority_spans()

    def snapshot(self, authority_id: int, day: date):
        key = (authority_id, day)
        if key not in self._snapshots:
            self._snapshots[key] = snapshot(self.panel, authority_id, day)
        return self._snapshots[key]

    def matrix(self, pairs, names) -> np.ndarray:
        return np.array([self.snapshot(a, day).vector(names) for a, day in pairs], dtype=float).reshape(
            len(pairs), len(names)
        )

    def authorities_on(self, day: date) -> list[int]:
        """The authorities with children's services responsibilities on `day`."""
        return [
            a
            for a, (start, end) in self._authorities.items()
            if (start is None or start <= day) and (end is None or day < end)
        ]

    def known_outcomes(self, as_of: date) -> list[Outcome]:
        return [o for o in self.panel.outcomes if o.published_on < as_of]

    def fit(
        self,
        outcomes: list[Outcome],
        target: str,
        *,
        as_of: date | None,
        names=FEATURES,
        penalty: float | None = None,
    ) -> risk.LogisticModel | None:
        """The model for `target` from these outcomes; None while they hold only one class."""
        data = self._data(outcomes, target, as_of, names)
        if data is None:
            return None
        if penalty is None:
            penalty = (
                self._yearly_penalty(target, as_of, names) if as_of else self._penalty(outcomes, *data, names)
            )
        X, y, weights = data
        return risk.fit_logistic(X, y, feature_names=names, weights=weights, penalty=penalty, winsor=WINSOR)

    def _data(self, outcomes, target, as_of, names):
        y = np.array([TARGETS[target](o) for o in outcomes], dtype=float)
        if len(outcomes) == 0 or y.min() == y.max():
            return None
        X = self.matrix([(o.authority_id, o.month) for o in outcomes], names)
        ages = [(as_of - o.month).days / 365.25 for o in outcomes] if as_of else None
        return X, y, None if as_of is None else risk.decay_weights(ages, HALF_LIFE_YEARS)

    def _yearly_penalty(self, target, as_of: date, names) -> float:
        """Re-chosen each January from what was known then, and kept for the year: the choice holds
        out one inspection year at a time, which costs dozens of fits, too many to repeat monthly."""
        january = date(as_of.year, 1, 1)
        key = (target, tuple(names), january)
        if key not in self._penalties:
            outcomes = self.known_outcomes(january)
            data = self._data(outcomes, target, january, names)
            self._penalties[key] = (
                max(PENALTY_GRID) if data is None else self._penalty(outcomes, *data, names)
            )
        return self._penalties[key]

    @staticmethod
    def _penalty(outcomes, X, y, weights, names) -> float:
        """The penalty with the best held-out fit, one inspection year out at a time; the strongest
        while that cannot be done (too few years with both outcomes)."""
        years = [o.start_date.year for o in outcomes]
        try:
            return risk.select_penalty(
                X, y, years, feature_names=names, weights=weights, grid=PENALTY_GRID, winsor=WINSOR
            )
        except ValueError:
            return max(PENALTY_GRID)

    def score(self, model: risk.LogisticModel, day: date) -> list[Scored]:
        """Every authority's risk on `day`, highest first."""
        ids = self.authorities_on(day)
        X = self.matrix([(a, day) for a in ids], model.feature_names)
        p = model.predict(X)
        order = np.argsort(-p, kind="stable")
        return [
            Scored(
                ids[i],
                float(p[i]),
                rank,
                len(ids),
                dict(zip(model.feature_names, model.contributions(X[i]).tolist(), strict=True)),
            )
            for rank, i in enumerate(order, start=1)
        ]


def _authority_spans() -> dict[int, tuple[date | None, date | None]]:
    """Each authority's first and last day: successors start on their reorganisation's date."""
    started = dict(Succession.objects.values_list("successor_id", "effective"))
    return {a.id: (started.get(a.id), a.ended_on) for a in Authority.objects.all()}


# --------------------------------------------------------------------------------------------------
# Scores as the hub shows them


@dataclass(frozen=True)
class MonthModels:
    month: date
    models: dict[str, risk.LogisticModel | None]
    outcomes: list[Outcome]


def train(scorer: Scorer, as_of: date) -> MonthModels:
    """Both targets' models as the hub would have trained them on `as_of`."""
    outcomes = scorer.known_outcomes(as_of)
    return MonthModels(as_of, {t: scorer.fit(outcomes, t, as_of=as_of) for t in TARGETS}, outcomes)


def score_on(scorer: Scorer, as_of: date) -> dict[str, list[Scored]]:
    trained = train(scorer, as_of)
    return {t: scorer.score(m, as_of) if m else [] for t, m in trained.models.items()}


def _month_rows(scorer: Scorer, month: date) -> tuple[list[RiskModel], list[RiskScore]]:
    """One month's models and scores, unsaved: trained on what was published before the month began."""
    trained = train(scorer, month)
    fitted, scores = [], []
    for target, model in trained.models.items():
        if model is None:
            continue
        positives = sum(TARGETS[target](o) for o in trained.outcomes)
        fitted.append(
            RiskModel(
                month=month,
                target=target,
                inspections=len(trained.outcomes),
                positives=positives,
                parameters=model.to_dict(),
            )
        )
        for s in scorer.score(model, month):
            scores.append(
                RiskScore(
                    authority_id=s.authority_id,
                    month=month,
                    target=target,
                    probability=s.probability,
                    rank=s.rank,
                    scored=s.scored,
                    signals=explain(scorer, s, month),
                )
            )
    return fitted, scores


@transaction.atomic
def refresh_scores(
    *, first: date = FIRST_MONTH, through: date | None = None, scorer: Scorer | None = None
) -> int:
    """Recompute every month's scores from `first` to `through` (today): after each data import."""
    scorer = scorer or Scorer()
    through = through or timezone.localdate()
    RiskScore.objects.all().delete()
    RiskModel.objects.all().delete()
    scores, fitted = [], []
    for month in months(first, through):
        month_models, month_scores = _month_rows(scorer, month)
        fitted += month_models
        scores += month_scores
    RiskModel.objects.bulk_create(fitted, batch_size=500)
    RiskScore.objects.bulk_create(scores, batch_size=2000)
    return len(scores)


@transaction.atomic
def store_month_scores(*, month: date, scorer: Scorer | None = None) -> int:
    """One month's scores (the first of `month`'s month), replacing any stored for it and leaving every
    other month as it is: the monthly job. A month's scores use only what was published before it
    began, so they equal what `refresh_scores` stores for that month."""
    month = month_start(month)
    fitted, scores = _month_rows(scorer or Scorer(), month)
    RiskScore.objects.filter(month=month).delete()
    RiskModel.objects.filter(month=month).delete()
    RiskModel.objects.bulk_create(fitted, batch_size=500)
    RiskScore.objects.bulk_create(scores, batch_size=2000)
    return len(scores)


def compute_risk_scores(progress=print) -> int:
    """After a data import: every month's scores again, as the new data and inspections allow."""
    count = refresh_scores()
    progress(f"{count:,} risk scores, one per authority, month and target since {FIRST_MONTH:%B %Y}")
    return count


# --------------------------------------------------------------------------------------------------
# The backtest


def _evaluate(target, rows, n_boot) -> dict:
    y = [TARGETS[target](o) for o, _, _ in rows]
    return risk.evaluate(y, [p for _, p, _ in rows], [f for _, _, f in rows], n_boot=n_boot, seed=0).to_dict()


def _models(scorer: Scorer, outcomes, target, as_of):
    """The model and the baseline from the same outcomes; None while either cannot be fitted."""
    models = {
        "model": scorer.fit(outcomes, target, as_of=as_of),
        "baseline": scorer.fit(
            outcomes, target, as_of=as_of, names=BASELINE_FEATURES, penalty=BASELINE_PENALTY
        ),
    }
    return None if any(m is None for m in models.values()) else models


def _record(scorer: Scorer, models, outcomes, results) -> None:
    """Each outcome's predicted risk on its month, and whether it was among the TOP highest that month."""
    for name, model in models.items():
        for month in sorted({o.month for o in outcomes}):
            ranked = {s.authority_id: s for s in scorer.score(model, month)}
            for o in (o for o in outcomes if o.month == month):
                s = ranked.get(o.authority_id)
                # An authority that no longer exists on the scoring list is still scored, never flagged.
                p = (
                    s.probability
                    if s
                    else float(
                        model.predict(scorer.matrix([(o.authority_id, month)], model.feature_names))[0]
                    )
                )
                results[name].append((o, p, bool(s and s.rank <= TOP)))


def _rolling(scorer: Scorer, target: str, since: date, through: date, n_boot: int) -> dict:
    """Each inspection since `since` scored as of its month by that month's model: what the hub showed."""
    results = {"model": [], "baseline": []}
    for month in sorted({o.month for o in scorer.panel.outcomes if since <= o.month <= through}):
        models = _models(scorer, scorer.known_outcomes(month), target, month)
        if models:
            _record(scorer, models, [o for o in scorer.panel.outcomes if o.month == month], results)
    description = (
        f"Each inspection that began on or after {since:%-d %B %Y}, scored for the first of its month "
        "by the model trained that month"
    )
    return _split(description, target, results, n_boot)


def _leave_one_year_out(scorer: Scorer, target: str, n_boot: int) -> dict:
    """Each inspection year held out in turn, the model trained on all the other years."""
    outcomes = list(scorer.panel.outcomes)
    results, years = {"model": [], "baseline": []}, {}
    for year in sorted({o.start_date.year for o in outcomes}):
        held = [o for o in outcomes if o.start_date.year == year]
        models = _models(scorer, [o for o in outcomes if o.start_date.year != year], target, None)
        if models:
            _record(scorer, models, held, results)
            years[str(year)] = {"inspections": len(held), "positives": sum(TARGETS[target](o) for o in held)}
    description = (
        "Each inspection year held out in turn; the model trained on every other year "
        "(later years included, so this is optimistic about what was knowable)"
    )
    return _split(description, target, results, n_boot) | {"years": years}


def _split(description, target, results, n_boot) -> dict:
    outcomes = [o for o, _, _ in results["model"]]
    return {
        "description": description,
        "inspections": len(outcomes),
        "positives": sum(TARGETS[target](o) for o in outcomes),
        **{name: _evaluate(target, rows, n_boot) for name, rows in results.items()},
    }


def backtest(
    scorer: Scorer | None = None,
    *,
    since: date = BACKTEST_SINCE,
    through: date | None = None,
    n_boot: int = 2000,
) -> dict:
    """The model against the baseline "previous grade only", on the real inspection history."""
    scorer = scorer or Scorer()
    through = through or timezone.localdate()
    return {
        "top": TOP,
        "since": since.isoformat(),
        "half_life_years": HALF_LIFE_YEARS,
        "baseline": "previous Ofsted grade only (" + ", ".join(BASELINE_FEATURES) + ")",
        "features": list(FEATURES),
        "targets": {
            target: {
                "label": Target(target).label,
                "rolling": _rolling(scorer, target, since, through, n_boot),
                "leave_one_year_out": _leave_one_year_out(scorer, target, n_boot),
            }
            for target in TARGETS
        },
    }


def save_backtest(results: dict) -> BacktestReport:
    return BacktestReport.objects.create(results=results)


# --------------------------------------------------------------------------------------------------
# Directors


@transaction.atomic
def record_director_change(
    *, user, authority: Authority, started_on: date, name: str = "", interim: bool = False, note: str = ""
) -> DirectorChange:
    if not scope_of(user).national:
        raise PermissionDenied("Only national admins can record a change of director.")
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "Enter a date that is today or in the past"})
    if DirectorChange.objects.filter(authority=authority, started_on=started_on).exists():
        raise ValidationError(
            {"started_on": f"A change of director on this date is already recorded for {authority.name}"}
        )
    change = DirectorChange(
        authority=authority,
        started_on=started_on,
        name=name.strip(),
        interim=interim,
        note=note.strip(),
        recorded_by=user,
    )
    change.full_clean()
    change.save()
    return change
