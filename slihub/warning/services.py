"""Training, scoring and backtesting the early-warning model, and recording changes of director.

The model is a penalised logistic regression (stats/risk.py) on the signals in features.py, one
for each target: "Inadequate" overall, and "Requires improvement to be good" or worse. For the
first of each month it is trained afresh on the inspections whose reports were published before
that day, each described by what was public on the first of the month it began in, and then it
scores every authority on what is public that day. So a month's scores never depend on anything
published later, and the backtest of those scores is the hub's own record, not a re-run.

Each January the penalty and how fast older inspections fade (their half-life) are chosen by
forward chaining: for every earlier inspection year, a model trained on what was published before
that year began predicts that year's inspections; the pair with the lowest held-out log loss wins.
Each month the risks are then recalibrated to the rate of the last 24 months' published
inspections, so that they read as probabilities at today's rate, not the training years' average.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from scipy.special import logit

from slihub.accounts.models import scope_of
from slihub.places.models import Authority, Succession
from slihub.stats import risk
from slihub.warning import schedule
from slihub.warning.baselines import POINTS, PREVIOUS_GRADE, as_order, with_baselines
from slihub.warning.explain import explain
from slihub.warning.features import FEATURES, HIGHER_IS_WORSE, HISTORY_FEATURES, LOWER_IS_WORSE, snapshot
from slihub.warning.models import BacktestReport, DirectorChange, RiskModel, RiskScore, Target
from slihub.warning.panel import Outcome, Panel, load_panel

FIRST_MONTH = date(2019, 1, 1)  # ILACS began in 2018: a year of outcomes before the first score
# The choices forward chaining picks from: a grid wide enough that the choice is inside it, not at an end.
PENALTY_GRID = tuple(10 ** (k / 2) for k in range(-2, 9))  # 0.1 to 10,000, half a decade apart
HALF_LIVES = (1.5, 3.0, 6.0, None)  # years; None: every past inspection counts alike
FIRST_VALIDATION_YEAR = 2019  # the first inspection year that has a year of ILACS history behind it
RECALIBRATION_MONTHS = 24
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


def _months_before(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Scored:
    authority_id: int
    probability: float
    rank: int
    scored: int
    contributions: dict[str, float]


# The signals the model may read, nested: Ofsted's record alone; with the indicators that have a direction
# (re-referrals, timeliness, placement moves, care leavers, the workforce); and with every signal, the
# context too (rates of need, factors at assessment, spending, deprivation). Forward chaining picks one.
FEATURE_SETS = {
    "record": tuple(f for f in FEATURES if f in HISTORY_FEATURES),
    "performance": tuple(
        f
        for f in FEATURES
        if f in HISTORY_FEATURES or f.rpartition(":")[0] in HIGHER_IS_WORSE | LOWER_IS_WORSE
    ),
    "all": FEATURES,
}
FEATURE_SET_LABELS = {
    "record": "Ofsted's record only",
    "performance": "Ofsted's record and the indicators with a direction",
    "all": "Every signal",
}


@dataclass(frozen=True)
class Choice:
    """The signals, penalty and half-life forward chaining chose in a January, and how it judged them."""

    features: str  # a key of FEATURE_SETS
    penalty: float
    half_life: float | None
    log_loss: float | None  # mean held-out log loss of the choice; None when there was no history yet
    held_out: int  # inspections the choice was judged on
    at_edge: bool  # the penalty is an end of the grid: a wider grid might have chosen otherwise

    def to_dict(self) -> dict:
        return {
            "features": self.features,
            "penalty": self.penalty,
            "half_life_years": self.half_life,
            "log_loss": self.log_loss,
            "held_out": self.held_out,
            "at_edge": self.at_edge,
        }


# Before any inspection year can be held out (January 2019) the model learns almost nothing: the
# strongest penalty, every inspection alike.
NO_HISTORY = Choice("all", max(PENALTY_GRID), None, None, 0, True)


@dataclass(frozen=True)
class Recalibration:
    """The shift of every log-odds that matches the mean risk of the recent inspections to their rate."""

    since: date
    inspections: int
    positives: int
    shift: float

    @property
    def rate(self) -> float:
        """The rate aimed at: (positives + 1/2) / (inspections + 1), never exactly 0 or 1."""
        return (self.positives + 0.5) / (self.inspections + 1)

    def to_dict(self) -> dict:
        return {
            "since": self.since.isoformat(),
            "inspections": self.inspections,
            "positives": self.positives,
            "rate": self.rate,
            "shift": self.shift,
        }


@dataclass(frozen=True)
class Trained:
    model: risk.LogisticModel  # with the recalibrated intercept
    choice: Choice
    recalibration: Recalibration | None

    def parameters(self) -> dict:
        return self.model.to_dict() | {
            "choice": self.choice.to_dict(),
            "recalibration": self.recalibration.to_dict() if self.recalibration else None,
        }


class Scorer:
    """Trains and scores from one Panel, remembering each authority's features on each date."""

    def __init__(self, panel: Panel | None = None):
        self.panel = panel or load_panel()
        self._snapshots = {}
        self._choices = {}
        self._fold_fits = {}  # forward chaining's fits, per training part and penalty (see _judge)
        self._authorities = _authority_spans()

    def snapshot(self, authority_id: int, day: date):
        key = (authority_id, day)
        if key not in self._snapshots:
            self._snapshots[key] = snapshot(self.panel, authority_id, day)
        return self._snapshots[key]

    def matrix(self, pairs, names) -> np.ndarray:
        snaps = [self.snapshot(a, day) for a, day in pairs]
        if set(names) & set(BASELINES.values()):  # the backtest's references, worked out when first asked
            snaps = [with_baselines(s) for s in snaps]
        return np.array([s.vector(names) for s in snaps], dtype=float).reshape(len(pairs), len(names))

    def authorities_on(self, day: date) -> list[int]:
        """The authorities with children's services responsibilities on `day`."""
        return [
            a
            for a, (start, end) in self._authorities.items()
            if (start is None or start <= day) and (end is None or day < end)
        ]

    def known_outcomes(self, as_of: date) -> list[Outcome]:
        return [o for o in self.panel.outcomes if o.published_on < as_of]

    def _data(self, outcomes, target, names, as_of: date | None, half_life: float | None):
        """X, y and weights; None while the outcomes hold only one class."""
        y = np.array([TARGETS[target](o) for o in outcomes], dtype=float)
        if len(outcomes) == 0 or y.min() == y.max():
            return None
        X = self.matrix([(o.authority_id, o.month) for o in outcomes], names)
        if as_of is None or half_life is None:
            return X, y, np.ones(len(outcomes))
        return X, y, risk.decay_weights([(as_of - o.month).days / 365.25 for o in outcomes], half_life)

    def choice(self, target: str, as_of: date) -> Choice:
        """The signals, penalty and half-life chosen in the January of `as_of`'s year from what was
        published before it, kept for the year (the choice costs a thousand fits, too many to repeat
        monthly)."""
        key = (target, date(as_of.year, 1, 1))
        if key not in self._choices:
            self._choices[key] = self._choose(*key)
        return self._choices[key]

    def _choose(self, target, january: date) -> Choice:
        known = self.known_outcomes(january)
        best = None
        for features, names in FEATURE_SETS.items():
            for half_life in HALF_LIVES:
                best = self._judge(known, target, january, features, names, half_life, best)
        return best or NO_HISTORY

    def _judge(
        self, known, target, january, features, names, half_life, best: Choice | None
    ) -> Choice | None:
        """The best of `best` and each penalty with these signals and this half-life, judged on every
        inspection year since FIRST_VALIDATION_YEAR predicted from what was published before it began;
        ties go to the stronger penalty, the longer memory and the more signals (each tried later)."""
        folds = []
        for year in range(FIRST_VALIDATION_YEAR, january.year):
            cut = date(year, 1, 1)
            train = self._data([o for o in known if o.published_on < cut], target, names, cut, half_life)
            test = [o for o in known if o.start_date.year == year]
            if train is None or not test:
                continue
            X_test = self.matrix([(o.authority_id, o.month) for o in test], names)
            y_test = np.array([TARGETS[target](o) for o in test], dtype=float)
            # what was published before a cut-off never changes: its fits serve every later January
            folds.append(risk.Fold(*train, X_test, y_test, key=(target, features, half_life, cut)))
        if not folds:
            return best
        held = risk.forward_chained_losses(
            folds, feature_names=names, grid=PENALTY_GRID, winsor=WINSOR, fitted=self._fold_fits
        )
        for penalty, h in held.items():
            if best is None or h.log_loss <= best.log_loss + 1e-12:
                edge = penalty in (min(PENALTY_GRID), max(PENALTY_GRID))
                best = Choice(features, penalty, half_life, h.log_loss, len(h.y), edge)
        return best

    def fit(self, outcomes: list[Outcome], target: str, *, as_of: date | None, choice=None) -> Trained | None:
        """The model for `target` from these outcomes, recalibrated to the last 24 months' inspections
        published before `as_of`; None while the outcomes hold only one class. Without `as_of` (the
        leave-one-year-out backtest) every outcome counts alike and nothing is recalibrated."""
        choice = choice or (self.choice(target, as_of) if as_of else NO_HISTORY)
        names = FEATURE_SETS[choice.features]
        data = self._data(outcomes, target, names, as_of, choice.half_life)
        if data is None:
            return None
        model = risk.fit_logistic(
            *data[:2], feature_names=names, weights=data[2], penalty=choice.penalty, winsor=WINSOR
        )
        recalibration = self._recalibration(model, target, as_of) if as_of else None
        if recalibration:
            model = dataclasses.replace(model, intercept=model.intercept + recalibration.shift)
        return Trained(model, choice, recalibration)

    def _recalibration(self, model, target, as_of: date) -> Recalibration | None:
        since = _months_before(as_of, RECALIBRATION_MONTHS)
        recent = [o for o in self.panel.outcomes if since <= o.published_on < as_of]
        if not recent:
            return None
        positives = sum(TARGETS[target](o) for o in recent)
        log_odds = model.log_odds(
            self.matrix([(o.authority_id, o.month) for o in recent], model.feature_names)
        )
        rate = (positives + 0.5) / (len(recent) + 1)
        return Recalibration(since, len(recent), positives, risk.shift_to_rate(log_odds, rate))

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
    models: dict[str, Trained | None]
    outcomes: list[Outcome]


def train(scorer: Scorer, as_of: date) -> MonthModels:
    """Both targets' models as the hub would have trained them on `as_of`."""
    outcomes = scorer.known_outcomes(as_of)
    return MonthModels(as_of, {t: scorer.fit(outcomes, t, as_of=as_of) for t in TARGETS}, outcomes)


def score_on(scorer: Scorer, as_of: date) -> dict[str, list[Scored]]:
    trained = train(scorer, as_of)
    return {t: scorer.score(m.model, as_of) if m else [] for t, m in trained.models.items()}


def inspections_soon(scorer: Scorer, day: date) -> dict[int, float | None]:
    """Each authority's chance of a graded inspection beginning within 12 months of `day`."""
    ended = {a: end for a, (_, end) in scorer._authorities.items()}
    survival = schedule.waits_by_grade(scorer.panel.outcomes, day, ended)
    return {
        a: schedule.inspection_soon(survival, scorer.snapshot(a, day).last_inspection, day)
        for a in scorer.authorities_on(day)
    }


def _month_rows(scorer: Scorer, month: date) -> tuple[list[RiskModel], list[RiskScore]]:
    """One month's models and scores, unsaved: trained on what was published before the month began."""
    trained = train(scorer, month)
    soon = inspections_soon(scorer, month)
    fitted, scores = [], []
    for target, fitted_model in trained.models.items():
        if fitted_model is None:
            continue
        positives = sum(TARGETS[target](o) for o in trained.outcomes)
        fitted.append(
            RiskModel(
                month=month,
                target=target,
                inspections=len(trained.outcomes),
                positives=positives,
                parameters=fitted_model.parameters(),
            )
        )
        for s in scorer.score(fitted_model.model, month):
            scores.append(
                RiskScore(
                    authority_id=s.authority_id,
                    month=month,
                    target=target,
                    probability=s.probability,
                    rank=s.rank,
                    scored=s.scored,
                    signals=explain(scorer, s, month),
                    inspection_soon=soon.get(s.authority_id),
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

# The two simple references the model must beat, each fitted as a one-feature logistic regression on the
# same outcomes as the model (so that its risks are probabilities too): the previous overall grade on
# Ofsted's four-point scale, and a points score that adds one point for each directional signal worse
# than its comparator (baselines.py).
BASELINES = {"previous_grade": PREVIOUS_GRADE, "points": POINTS}
PREDICTORS = ("model", *BASELINES)
BASELINE_PENALTY = 0.01  # next to nothing: enough to keep a fit finite while one grade holds every positive
RELIABILITY_BINS = 10
# The aims, measured on the rolling split: (target, metric, lowest, highest).
AIMS = (
    (Target.INADEQUATE, "roc_auc", 0.75, None),
    (Target.INADEQUATE, "pr_auc", 0.26, None),
    (Target.INADEQUATE, "calibration_slope", 0.8, 1.25),
    (Target.BELOW_GOOD, "roc_auc", 0.80, None),
)
YEARLY_MEAN_WITHIN = 0.02


def _predictors(scorer: Scorer, outcomes, target, as_of, choice=None) -> dict | None:
    """The model and both baselines trained on the same outcomes; None while the model cannot be."""
    trained = scorer.fit(outcomes, target, as_of=as_of, choice=choice)
    if trained is None:
        return None
    y = np.array([TARGETS[target](o) for o in outcomes], dtype=float)
    models = {"model": trained.model}
    for name, feature in BASELINES.items():
        X = scorer.matrix([(o.authority_id, o.month) for o in outcomes], (feature,))
        models[name] = _increasing(
            risk.fit_logistic(X, y, feature_names=(feature,), penalty=BASELINE_PENALTY), y
        )
    return models


def _increasing(model: risk.LogisticModel, y) -> risk.LogisticModel:
    """A baseline read as a probability that rises with its score, as the score is meant: where the fit
    slopes the other way (councils judged Inadequate are seldom judged Inadequate again at once), the
    base rate, with the score kept only to order equal probabilities."""
    if model.coef[0] > 0:
        return model
    return dataclasses.replace(model, coef=np.array([1e-9]), intercept=float(logit(np.mean(y))))


def _record(scorer: Scorer, models, outcomes, rows) -> None:
    """Each outcome's predicted risk on its month by each predictor, whether the predictor put it among
    the TOP highest that month, and for a baseline its own score, by which it ranks."""
    for month in sorted({o.month for o in outcomes}):
        here = [o for o in outcomes if o.month == month]
        row = [{"outcome": o} for o in here]
        listed = scorer.authorities_on(month)
        ids = listed + [o.authority_id for o in here if o.authority_id not in listed]
        at = {a: i for i, a in enumerate(ids)}
        for name, model in models.items():
            feature = BASELINES.get(name)
            p = model.predict(scorer.matrix([(a, month) for a in ids], model.feature_names))
            # A baseline ranks by its score; ties (one grade, many councils) by probability, then list order.
            order = scorer.matrix([(a, month) for a in ids], (feature,))[:, 0] if feature else p
            ranks = {ids[i]: rank for rank, i in enumerate(np.lexsort((-p, -order)), start=1)}
            for r, o in zip(row, here, strict=True):
                i = at[o.authority_id]
                # An authority no longer on the scoring list is still scored, never flagged.
                flagged = o.authority_id in listed and ranks[o.authority_id] <= TOP
                r[name] = (float(p[i]), flagged, as_order(float(order[i])) if feature else None)
        rows += row


def _rolling(scorer: Scorer, target: str, since: date, through: date) -> tuple[str, list]:
    """Each inspection since `since` scored as of its month by that month's models: what the hub showed."""
    rows = []
    for month in sorted({o.month for o in scorer.panel.outcomes if since <= o.month <= through}):
        models = _predictors(scorer, scorer.known_outcomes(month), target, month)
        if models:
            _record(scorer, models, [o for o in scorer.panel.outcomes if o.month == month], rows)
    description = (
        f"Each inspection that began on or after {since:%-d %B %Y}, scored for the first of its month by "
        "the models trained that month (on reports published before it)"
    )
    return description, rows


def _leave_one_year_out(scorer: Scorer, target: str, through: date) -> tuple[str, list]:
    """Each inspection year held out in turn, the models trained on all the other years with the latest
    January's penalty, every inspection alike and no recalibration."""
    outcomes = [o for o in scorer.panel.outcomes if o.month <= through]
    choice = dataclasses.replace(scorer.choice(target, through), half_life=None)
    rows = []
    for year in sorted({o.start_date.year for o in outcomes}):
        models = _predictors(scorer, [o for o in outcomes if o.start_date.year != year], target, None, choice)
        if models:
            _record(scorer, models, [o for o in outcomes if o.start_date.year == year], rows)
    description = (
        "Each inspection year held out in turn; the models trained on every other year (later years "
        "included, so this is optimistic about what was knowable)"
    )
    return description, rows


def _yearly(target, rows) -> list[dict]:
    """Mean predicted risk against the observed rate, calendar year by calendar year."""
    out = []
    for year in sorted({r["outcome"].start_date.year for r in rows}):
        here = [r for r in rows if r["outcome"].start_date.year == year]
        out.append(
            {
                "year": year,
                "inspections": len(here),
                "positives": sum(TARGETS[target](r["outcome"]) for r in here),
                "observed": float(np.mean([TARGETS[target](r["outcome"]) for r in here])),
                **{name: float(np.mean([r[name][0] for r in here])) for name in PREDICTORS},
            }
        )
    return out


def _split(description, rows, *, target, n_boot) -> dict:
    y = np.array([TARGETS[target](r["outcome"]) for r in rows], dtype=float)
    result = {"description": description, "inspections": len(rows), "positives": int(y.sum())}
    if len(rows) == 0:
        return result | {"evaluated": False}
    predictions = {
        name: (
            np.array([r[name][0] for r in rows]),
            np.array([r[name][1] for r in rows]),
            *([np.array([r[name][2] for r in rows])] if name in BASELINES else []),
        )
        for name in PREDICTORS
    }
    metrics, differences = risk.compare(
        y,
        predictions,
        reference="model",
        n_boot=n_boot,
        seed=0,
        clusters=[r["outcome"].authority_id for r in rows],
    )
    return result | {
        "evaluated": True,
        "councils": len({r["outcome"].authority_id for r in rows}),
        **{name: metrics[name].to_dict() for name in PREDICTORS},
        "differences": {
            name: {m: d.to_dict() for m, d in diffs.items()} for name, diffs in differences.items()
        },
        "reliability": risk.calibration_table(y, predictions["model"][0], bins=RELIABILITY_BINS),
        "yearly": _yearly(target, rows),
    }


def _aims(targets: dict) -> list[dict]:
    out = []
    for target, metric, low, high in AIMS:
        m = targets[target]["rolling"].get("model")
        value = m[metric] if m else None
        met = value is not None and (low is None or value >= low) and (high is None or value <= high)
        out.append(
            {
                "target": target.value,
                "metric": metric,
                "at_least": low,
                "at_most": high,
                "value": value,
                "interval": m["intervals"][metric] if m else None,
                "met": met,
            }
        )
    rolling = targets[Target.INADEQUATE]["rolling"]
    years = rolling.get("yearly", [])
    out.append(
        {
            "target": Target.INADEQUATE.value,
            "metric": "yearly_mean",
            "within": YEARLY_MEAN_WITHIN,
            "years_off": [y["year"] for y in years if abs(y["model"] - y["observed"]) > YEARLY_MEAN_WITHIN],
            "met": bool(years) and all(abs(y["model"] - y["observed"]) <= YEARLY_MEAN_WITHIN for y in years),
        }
    )
    return out


def _choices(scorer: Scorer, through: date) -> dict:
    """Each January's choice of penalty and half-life, per target."""
    return {
        target.value: [
            {"january": date(year, 1, 1).isoformat(), **scorer.choice(target, date(year, 1, 1)).to_dict()}
            for year in range(FIRST_MONTH.year, through.year + 1)
        ]
        for target in TARGETS
    }


def backtest(
    scorer: Scorer | None = None,
    *,
    since: date = BACKTEST_SINCE,
    through: date | None = None,
    n_boot: int = 2000,
) -> dict:
    """The model against both baselines on the real inspection history, with intervals from resampling
    councils (all of a council's inspections in or out together)."""
    scorer = scorer or Scorer()
    through = through or timezone.localdate()
    targets = {}
    for target in TARGETS:
        targets[target] = {
            "label": Target(target).label,
            "rolling": _split(*_rolling(scorer, target, since, through), target=target, n_boot=n_boot),
            "leave_one_year_out": _split(
                *_leave_one_year_out(scorer, target, through), target=target, n_boot=n_boot
            ),
        }
    return {
        "run_on": timezone.localdate().isoformat(),
        "through": through.isoformat(),
        "top": TOP,
        "since": since.isoformat(),
        "resamples": n_boot,
        "predictors": {
            "model": "the hub's model",
            "previous_grade": "previous Ofsted grade only",
            "points": "points: the previous grade plus one for each signal worse than its comparator",
        },
        "features": list(FEATURES),
        "choices": _choices(scorer, through),
        "aims": _aims(targets),
        "targets": {t.value: v for t, v in targets.items()},
    }


def save_backtest(results: dict) -> BacktestReport:
    return BacktestReport.objects.create(results=results)


def compute_backtest(progress=print, n_boot: int = 500) -> BacktestReport:
    """After a data import: the backtest again, so the page shows the model as the data now stands."""
    report = save_backtest(backtest(n_boot=n_boot))
    rolling = report.results["targets"][Target.INADEQUATE]["rolling"]
    if rolling.get("evaluated"):
        progress(
            f"Backtest: {rolling['inspections']} inspections since {BACKTEST_SINCE:%B %Y}, "
            f"ROC AUC {rolling['model']['roc_auc']:.2f} for 'Inadequate'"
        )
    return report


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
