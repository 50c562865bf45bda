"""Reads for a practice's page (its forest plot's studies, the source's own pooled results, where its
studies were run) and for comparing practices on one outcome: effect on the same scale, certainty,
recommendation, cost per child and cost per extra child achieving the outcome for a cohort.

The library is public: nothing here is scoped by user. The cohort figures come from the person's own
numbers (or a cohort of 100 children), applied to the pooled ratio with slihub.stats.evidence_rating's
cohort_cost, as the practice page's calculator does.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from slihub.evidence import decision as words
from slihub.evidence.models import (
    PROBLEM_LABELS,
    PROBLEMS,
    EffectEstimate,
    Outcome,
    PublishedPool,
    Study,
    Synthesis,
)
from slihub.govuk import number_error, whole_number
from slihub.stats import evidence_rating as er

#: the cohort the public sees figures for, until they give their own
DEFAULT_COHORT = 100


def forest_studies(synthesis: Synthesis) -> list[tuple[str, int | None, int | None, float, float]]:
    """(citation, year, participants, yi, vi) of the estimates a synthesis pools, in the studies' order."""
    return list(
        EffectEstimate.objects.filter(
            study__practice_id=synthesis.practice_id,
            outcome_id=synthesis.outcome_id,
            measure=synthesis.measure,
            yi__isnull=False,
            vi__isnull=False,
        )
        .order_by("study__year", "study__key", "study__pk")
        .values_list("study__citation", "study__year", "study__n_total", "yi", "vi")
    )


def published_pools(practice) -> dict[int, PublishedPool]:
    """The source's own pooled result for each of a practice's outcomes, by outcome id."""
    return {pool.outcome_id: pool for pool in PublishedPool.objects.filter(practice=practice)}


def countries(practice) -> tuple[list[tuple[str, int]], int]:
    """Where a practice's studies were run: ([(country, studies)], most first; studies not saying)."""
    rows = (
        Study.objects.filter(practice=practice)
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")
    )
    known = [(row["country"], row["n"]) for row in rows if row["country"]]
    return known, sum(row["n"] for row in rows if not row["country"])


# ---------------------------------------------------------------------------------------------
# Comparison


def comparable_outcomes() -> list[tuple[str, str, list[tuple[Outcome, int]]]]:
    """Outcomes with a pooled result, grouped by problem (key, label, [(outcome, practices)]), for
    choosing; outcomes with no problem come last under "Other outcomes" (key "")."""
    outcomes = Outcome.objects.filter(syntheses__isnull=False).annotate(
        practices=Count("syntheses__practice", distinct=True)
    )
    groups: dict[str, list] = defaultdict(list)
    for outcome in outcomes.order_by("name"):
        groups[outcome.problem].append((outcome, outcome.practices))
    order = [key for key, _ in PROBLEMS] + [""]
    return [(key, PROBLEM_LABELS.get(key, "Other outcomes"), groups[key]) for key in order if groups.get(key)]


class UnknownChoice(LookupError):
    """The outcome or problem asked for is not in the library: the message says what to do."""


@dataclass
class Cohort:
    cohort: int
    baseline: float | None  # a proportion
    baseline_from: str  # how the baseline was chosen, in words
    own: bool  # the person gave the cohort size
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


#: the most children a cohort may hold: seven digits
MAX_COHORT = 9_999_999


def cohort_size(text: str) -> tuple[int | None, str | None]:
    """The number of children typed for a cost calculation, or None and what is wrong in GOV.UK's
    words: a negative number or nought is refused as such, not as "not a whole number"."""
    given = whole_number(text, digits=7)
    digits = text.removeprefix("-").replace(",", "")
    if given is None and digits.isascii() and digits.isdigit():
        given = -1 if text.startswith("-") else MAX_COHORT + 1
    if given is None:
        return None, "Enter the number of children as a whole number, like 120"
    if given < 1:
        return None, "Children in your cohort must be 1 or more"
    if given > MAX_COHORT:
        return None, f"Children in your cohort must be {MAX_COHORT:,} or fewer"
    return given, None


def read_cohort(params) -> Cohort:
    """Cohort size and baseline rate (percent) from ?cohort=&baseline=; bad input is an error on its field
    and the defaults stand in, never a 500."""
    raw = {name: (params.get(name) or "").strip()[:20] for name in ("cohort", "baseline")}
    errors = {}
    cohort = DEFAULT_COHORT
    if raw["cohort"]:
        given, problem = cohort_size(raw["cohort"])
        if problem:
            errors["cohort"] = problem
        else:
            cohort = given
    baseline = None
    if raw["baseline"]:
        text = raw["baseline"].rstrip("%").strip()
        try:
            if number_error("Baseline rate", text, invalid="x"):
                raise ValueError
            value = float(text) / 100
            if not (math.isfinite(value) and 0 < value < 1):
                raise ValueError
            baseline = value
        except ValueError:
            errors["baseline"] = "Enter the baseline rate as a percentage between 0 and 100, like 30"
    return Cohort(
        cohort=cohort,
        baseline=baseline,
        baseline_from="the rate you gave" if baseline is not None else "",
        own=bool(raw["cohort"]) and "cohort" not in errors,
        values=raw,
        errors=errors,
    )


def comparison_baseline(syntheses: list[Synthesis]) -> tuple[float | None, int]:
    """The comparison groups' rate in the pooled studies of these syntheses (total events over total
    children, from the transcribed counts), and how many studies give it: the baseline when the person
    gives none, as GRADE's summary tables take the control group's risk."""
    outcome_ids = {s.outcome_id for s in syntheses}
    practice_ids = {s.practice_id for s in syntheses}
    events = children = studies = 0
    for inputs in EffectEstimate.objects.filter(
        outcome_id__in=outcome_ids,
        study__practice_id__in=practice_ids,
        measure__in=er.RATIO_MEASURES,
    ).values_list("inputs", flat=True):
        if not isinstance(inputs, dict):
            continue
        e, n = inputs.get("events2"), inputs.get("n2")
        if isinstance(e, int | float) and isinstance(n, int | float) and 0 <= e <= n and n > 0:
            events, children, studies = events + e, children + n, studies + 1
    if not children or not 0 < events / children < 1:
        return None, 0
    return events / children, studies


@dataclass
class Row:
    synthesis: Synthesis
    practice: object
    decision: words.Decision
    effect: words.Effect
    cost_per_child: str
    cost_rating: str
    cohort: dict | None  # {"extra": "4.2", "per_extra": "£1,234", "total": "£..."} or {"none": reason}


def _money(x: float) -> str:
    return f"£{x:,.0f}"


def _row(synthesis: Synthesis, cohort: Cohort, baseline: float | None) -> Row:
    practice = synthesis.practice
    cost = None if practice.cost_per_child is None else float(practice.cost_per_child)
    per_child = (
        f"{_money(cost)}" + (f" ({practice.cost_year} prices)" if practice.cost_year else " (no price year)")
        if cost is not None
        else "No cost per child published"
    )
    rating = f"{practice.cost_rating} of 5" if practice.cost_rating else "Not rated"
    figures: dict | None
    if synthesis.measure not in er.RATIO_MEASURES:
        figures = {"none": "Not worked out: the studies measure a score, not a count of children"}
    elif cost is None:
        figures = {"none": "Not worked out: no cost per child is published"}
    elif baseline is None:
        figures = {"none": "Give your baseline rate to work this out"}
    else:
        ratio = math.exp(synthesis.estimate)
        kind = "odds_ratio" if synthesis.measure == "OR" else "risk_ratio"
        try:
            result = er.cohort_cost(
                cohort=cohort.cohort,
                unit_cost=cost,
                baseline_rate=baseline,
                higher_is_better=synthesis.outcome.higher_is_better,
                **{kind: ratio},
            )
        except ValueError as error:
            figures = {"none": f"Not worked out: {error}"}
        else:
            figures = {
                "total": _money(result.total_cost),
                "extra": f"{result.extra_children:,.1f}",
                "per_extra": (
                    _money(result.cost_per_extra_child)
                    if result.cost_per_extra_child is not None
                    else "None: no extra children at this baseline"
                ),
                "value": result.cost_per_extra_child,
            }
    return Row(
        synthesis=synthesis,
        practice=practice,
        decision=words.decision(synthesis, cost_rating=practice.cost_rating),
        effect=words.effect(synthesis),
        cost_per_child=per_child,
        cost_rating=rating,
        cohort=figures,
    )


@dataclass
class Table:
    outcome: Outcome
    measure: str
    scale: str
    favours: str  # which way favours the practice, in words
    rows: list[Row]
    baseline: float | None
    baseline_from: str


@dataclass
class Comparison:
    title: str
    outcome: Outcome | None
    problem: str
    choices: list[Synthesis]  # every synthesis that can be chosen, for the checkboxes
    chosen: set[str]  # practice slugs
    tables: list[Table]
    cohort: Cohort

    @property
    def practice_choices(self) -> list[tuple[str, str, bool]]:
        """(slug, name, chosen) of each practice that can be compared, once each, by name."""
        seen = {s.practice.slug: s.practice.name for s in self.choices}
        return [(slug, name, slug in self.chosen) for slug, name in sorted(seen.items(), key=lambda p: p[1])]


def compare(
    *, outcome: str = "", problem: str = "", practices: list[str] | None = None, params=None
) -> Comparison:
    """The comparison for an outcome slug or a problem key: one table per outcome and measure, the chosen
    practices (all when none are chosen) best recommendation first. Raises UnknownChoice."""
    chosen_outcome = None
    if outcome:
        chosen_outcome = Outcome.objects.filter(slug=outcome[:120]).first()
        if chosen_outcome is None:
            raise UnknownChoice(f"There is no outcome called “{outcome[:120]}” in the library.")
        condition = Q(outcome=chosen_outcome)
        title = chosen_outcome.name
    elif problem:
        if problem not in PROBLEM_LABELS:
            raise UnknownChoice(f"There is no problem called “{problem[:60]}” in the library.")
        condition = Q(outcome__problem=problem)
        title = PROBLEM_LABELS[problem]
    else:
        raise UnknownChoice("Choose an outcome to compare practices on.")
    every = list(
        Synthesis.objects.filter(condition)
        .select_related("practice", "outcome")
        .order_by("outcome__name", "practice__name", "pk")
    )
    slugs = {s.practice.slug for s in every}
    chosen = {slug for slug in (practices or []) if slug in slugs} or slugs
    cohort = read_cohort(params or {})
    groups: dict[tuple[int, str], list[Synthesis]] = defaultdict(list)
    for synthesis in every:
        if synthesis.practice.slug in chosen:
            groups[(synthesis.outcome_id, synthesis.measure)].append(synthesis)
    tables = []
    for members in groups.values():
        first = members[0]
        baseline, baseline_from = cohort.baseline, cohort.baseline_from
        if baseline is None and first.measure in er.RATIO_MEASURES:
            baseline, studies = comparison_baseline(members)
            if baseline is not None:
                baseline_from = (
                    f"the comparison groups' rate in the {studies} stud{'y' if studies == 1 else 'ies'} "
                    "that give their counts"
                )
        rows = [_row(s, cohort, baseline) for s in members]
        rows.sort(key=lambda r: (words.RANK.get(r.decision.label, 9), r.practice.name))
        left, right = words.favours("the practice", first.outcome.higher_is_better)
        ratio = first.measure in er.RATIO_MEASURES
        favours = f"{'Below' if 'practice' in left else 'Above'} {'1' if ratio else '0'} favours the practice"
        tables.append(
            Table(
                first.outcome,
                first.measure,
                words.scale_name(first.measure),
                favours,
                rows,
                baseline,
                baseline_from,
            )
        )
    return Comparison(
        title=title,
        outcome=chosen_outcome,
        problem=problem if not outcome else "",
        choices=every,
        chosen=chosen,
        tables=tables,
        cohort=cohort,
    )


def outcome_has_others(synthesis: Synthesis) -> bool:
    """Whether another practice has a pooled result on this outcome (worth a comparison link)."""
    return (
        Synthesis.objects.filter(outcome_id=synthesis.outcome_id)
        .exclude(practice_id=synthesis.practice_id)
        .exists()
    )


def compared_counts(outcome_ids) -> Counter:
    """Practices with a pooled result on each outcome (one query for a practice page's links)."""
    return Counter(
        Synthesis.objects.filter(outcome_id__in=list(outcome_ids)).values_list("outcome_id", flat=True)
    )
