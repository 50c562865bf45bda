"""Judging a body of evidence: certainty (GRADE-style), EIF-style levels, EEF months of progress and
padlocks, cost bands, cost per extra child, and the recommendation rule that applies.

Every rule is data (``THRESHOLDS``, ``MONTHS_OF_PROGRESS``, ``COST_BANDS``, ``RECOMMENDATION_RULES``)
so the pages can show the very table the code uses. Each judgement returns its reasons: a certainty
rating lists every domain checked with the change it made (-2..+1) and why.

Conventions: effects are on a scale where 0 is "no effect" (SMD, MD, or the log of a ratio), and
``benefit_sign`` says which direction is good (+1: higher is better; -1: lower is better, for example
fewer children entering care). No Django and no slihub imports here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CERTAINTY_LEVELS = ("very low", "low", "moderate", "high")

#: designs a study can have; only "rct" counts as randomised
DESIGNS = {
    "rct": "Randomised controlled trial",
    "quasi-experimental": "Quasi-experimental",
    "pre-post": "Pre-post (before and after)",
    "observational": "Observational",
    "not-stated": "Not stated",
}
RANDOMISED = {"rct"}
RISK_OF_BIAS = {"low": "Low", "some": "Some concerns", "high": "High"}
RATIO_MEASURES = {"OR", "RR"}  # pooled on the log scale
STANDARDISED = {"SMD", "ZCOR"}

#: every number the judgements use, with what it means (shown on the thresholds page)
THRESHOLDS: dict[str, tuple[float, str]] = {
    "randomised_weight_share": (
        0.5,
        "Certainty starts high when randomised trials carry at least this share of the pooled weight, "
        "otherwise low (quasi-experimental, pre-post, observational and not-stated designs).",
    ),
    "rob_serious_share": (
        0.5,
        "Risk of bias: rated down one level when studies at high risk, with some concerns, or whose risk "
        "of bias was not assessed carry at least this share of the weight. Not assessed is not assumed "
        "to be low: where no source judges a study's risk of bias, the hub cannot rule out serious bias.",
    ),
    "rob_very_serious_share": (
        0.5,
        "Risk of bias: rated down two levels when studies at high risk alone carry at least this share.",
    ),
    "i2_inconsistency": (
        50.0,
        "Inconsistency: rated down one level when I² is at least this many percent and the "
        "prediction interval crosses no effect.",
    ),
    "optimal_information_size": (
        400.0,
        "Imprecision: rated down one level when the studies hold fewer children than this in total.",
    ),
    "smd_ci_width": (
        0.5,
        "Imprecision: rated down one level when the confidence interval crosses no effect, or (for "
        "standardised effects) is wider than this many standard deviations.",
    ),
    "egger_p": (
        0.10,
        "Small-study effects: rated down one level when Egger's test gives p below this value...",
    ),
    "egger_min_k": (10.0, "...and only with at least this many studies (fewer cannot test it)."),
    "large_smd": (
        0.8,
        "Large effect: rated up one level when a standardised effect is at least this size (or a ratio "
        "at least 2, or at most 0.5), its confidence interval excludes no effect, and nothing was "
        "rated down.",
    ),
    "large_ratio": (2.0, "The ratio (OR or RR) counted as a large effect (or its inverse)."),
    "meaningful_smd": (
        0.10,
        "A meaningful benefit: a standardised effect of at least this size (two months' progress), or "
        "any benefit whose confidence interval excludes no effect for other measures.",
    ),
    "acceptable_cost_rating": (
        3.0,
        "An acceptable cost: a cost rating of at most this (under £1,000 per child).",
    ),
}


def threshold(name: str) -> float:
    return THRESHOLDS[name][0]


# ---------------------------------------------------------------------------------------------
# Certainty (GRADE-style)


@dataclass(frozen=True)
class StudyInput:
    """What the certainty rating needs to know of one study."""

    design: str  # one of DESIGNS
    risk_of_bias: str = ""  # one of RISK_OF_BIAS, or "" when not assessed
    weight: float = 1.0  # its weight in the pooled analysis (any scale)
    n: int | None = None  # children (or units) in the study


@dataclass(frozen=True)
class Adjustment:
    domain: str
    change: int  # levels: negative rates down, positive up, 0 checked with no change
    reason: str
    not_assessed: float | None = None  # risk of bias only: the weight share of studies not assessed


@dataclass(frozen=True)
class Certainty:
    level: str  # one of CERTAINTY_LEVELS
    start: str
    adjustments: tuple[Adjustment, ...] = field(default_factory=tuple)

    @property
    def changes(self) -> tuple[Adjustment, ...]:
        """Only the adjustments that moved the rating."""
        return tuple(a for a in self.adjustments if a.change)

    @property
    def rank(self) -> int:
        return CERTAINTY_LEVELS.index(self.level)


def _share(studies: Sequence[StudyInput], keep) -> float:
    total = sum(s.weight for s in studies)
    return sum(s.weight for s in studies if keep(s)) / total if total > 0 else 0.0


def _is_large(estimate: float, measure: str) -> bool:
    if measure in RATIO_MEASURES:
        return abs(estimate) >= math.log(threshold("large_ratio"))
    if measure in STANDARDISED:
        return abs(estimate) >= threshold("large_smd")
    return False


def grade_certainty(
    studies: Sequence[StudyInput],
    *,
    measure: str,
    estimate: float,
    ci_lb: float,
    ci_ub: float,
    pi_lb: float,
    pi_ub: float,
    i2: float,
    egger_p: float | None = None,
) -> Certainty:
    """The certainty of a pooled effect, GRADE-style, with a reason for every domain checked."""
    if not studies:
        raise ValueError("at least one study is needed to rate certainty")
    k = len(studies)
    adjustments: list[Adjustment] = []

    randomised = _share(studies, lambda s: s.design in RANDOMISED)
    start = 3 if randomised >= threshold("randomised_weight_share") else 1
    start_name = CERTAINTY_LEVELS[start]
    if start == 3:
        start_reason = f"Starts high: randomised trials carry {randomised:.0%} of the weight."
    else:
        start_reason = (
            f"Starts low: randomised trials carry {randomised:.0%} of the weight; the rest are "
            "non-randomised or their design is not stated."
        )
    adjustments.append(Adjustment("study design", 0, start_reason))

    # Risk of bias. "Not assessed" counts with "some concerns" and "high": unknown is not low.
    high = _share(studies, lambda s: s.risk_of_bias == "high")
    some = _share(studies, lambda s: s.risk_of_bias == "some")
    unassessed = _share(studies, lambda s: s.risk_of_bias not in RISK_OF_BIAS)
    concerns = high + some + unassessed
    shares = (
        f"high risk {high:.0%}, some concerns {some:.0%}, not assessed {unassessed:.0%}, "
        f"low risk {max(0.0, 1 - concerns):.0%} of the weight"
    )
    if high >= threshold("rob_very_serious_share"):
        rob = Adjustment("risk of bias", -2, f"Very serious: {shares}.", unassessed)
    elif concerns >= threshold("rob_serious_share"):
        reason = f"Serious: {shares}."
        if high + some < threshold("rob_serious_share"):
            reason += (
                " Rated down because risk of bias was not assessed for much of the evidence: the hub "
                "does not assume unassessed studies are at low risk."
            )
        rob = Adjustment("risk of bias", -1, reason, unassessed)
    else:
        rob = Adjustment("risk of bias", 0, f"Not serious: {shares}.", unassessed)
    adjustments.append(rob)

    # Inconsistency
    pi_crosses = pi_lb < 0 < pi_ub
    if k < 2:
        adjustments.append(Adjustment("inconsistency", 0, "Not assessable with a single study."))
    elif i2 >= threshold("i2_inconsistency") and pi_crosses:
        adjustments.append(
            Adjustment(
                "inconsistency",
                -1,
                f"Serious: I² is {i2:.0f}% and the prediction interval ({pi_lb:.2f} to {pi_ub:.2f}) "
                "crosses no effect.",
            )
        )
    else:
        why = f"I² is {i2:.0f}%" + (
            " but the prediction interval does not cross no effect" if not pi_crosses else " (below 50%)"
        )
        adjustments.append(Adjustment("inconsistency", 0, f"Not serious: {why}."))

    # Imprecision
    problems = []
    if ci_lb <= 0 <= ci_ub:
        problems.append(f"the confidence interval ({ci_lb:.2f} to {ci_ub:.2f}) includes no effect")
    elif measure in STANDARDISED and ci_ub - ci_lb > threshold("smd_ci_width"):
        problems.append(
            f"the confidence interval is {ci_ub - ci_lb:.2f} standard deviations wide "
            f"(over {threshold('smd_ci_width'):.2f})"
        )
    sizes = [s.n for s in studies if s.n is not None]
    total_n = sum(sizes) if len(sizes) == k else None
    if total_n is None:
        problems.append("the total sample is not known for every study")
    elif total_n < threshold("optimal_information_size"):
        problems.append(
            f"the studies hold {total_n:,} in total, "
            f"under the {threshold('optimal_information_size'):,.0f} needed"
        )
    if problems:
        change = -min(2, len(problems))
        label = "Very serious" if change == -2 else "Serious"
        adjustments.append(Adjustment("imprecision", change, f"{label}: {'; '.join(problems)}."))
    else:
        adjustments.append(
            Adjustment(
                "imprecision",
                0,
                "Not serious: the confidence interval excludes no effect and the studies hold "
                f"{total_n:,} in total.",
            )
        )

    # Small-study effects (publication bias)
    if k < threshold("egger_min_k"):
        adjustments.append(
            Adjustment("small-study effects", 0, f"Not tested: {k} studies, Egger's test needs at least 10.")
        )
    elif egger_p is None:
        adjustments.append(Adjustment("small-study effects", 0, "Not tested: Egger's test could not be run."))
    elif egger_p < threshold("egger_p"):
        adjustments.append(
            Adjustment("small-study effects", -1, f"Suspected: Egger's test p = {egger_p:.3f} (below 0.10).")
        )
    else:
        adjustments.append(
            Adjustment("small-study effects", 0, f"Not suspected: Egger's test p = {egger_p:.3f}.")
        )

    # Large effect
    rated_down = any(a.change < 0 for a in adjustments)
    excludes_null = not (ci_lb <= 0 <= ci_ub)
    if _is_large(estimate, measure) and excludes_null and not rated_down:
        adjustments.append(
            Adjustment(
                "large effect", 1, "Rated up: a large effect whose confidence interval excludes no effect."
            )
        )
    elif _is_large(estimate, measure):
        adjustments.append(
            Adjustment(
                "large effect",
                0,
                "Not rated up: the effect is large, but "
                + (
                    "its confidence interval includes no effect."
                    if not excludes_null
                    else "the evidence was rated down."
                ),
            )
        )
    else:
        adjustments.append(Adjustment("large effect", 0, "Not rated up: the effect is not large."))

    level = max(0, min(3, start + sum(a.change for a in adjustments)))
    without = max(0, min(3, start + sum(a.change for a in adjustments if a is not rob)))
    if rob.change == -1 and high + some < threshold("rob_serious_share") and without > level:
        # say what the unknown costs: assessed and found low, the evidence would lose this downgrade
        better = CERTAINTY_LEVELS[without]
        at_least = "" if better == "high" else "at least "
        index = adjustments.index(rob)
        adjustments[index] = Adjustment(
            rob.domain,
            rob.change,
            f"{rob.reason} Assessed and found at low risk, certainty would be {at_least}{better}.",
            rob.not_assessed,
        )
    return Certainty(level=CERTAINTY_LEVELS[level], start=start_name, adjustments=tuple(adjustments))


# ---------------------------------------------------------------------------------------------
# EIF-style levels and EEF-style padlocks

EIF_LEVELS = {
    "4": "Level 4: evidence of a long-term positive impact through at least two rigorous evaluations.",
    "3": "Level 3: evidence of a short-term positive impact from at least one rigorous evaluation.",
    "2": "Level 2: preliminary evidence of improving a child outcome, without a causal design.",
    "NL2": "NL2: evidence not yet at level 2 (studies exist but none shows preliminary evidence).",
    "NE": "NE: found not to be effective in at least one rigorous evaluation.",
}


@dataclass(frozen=True)
class EifLevel:
    level: str  # "4", "3", "2", "NL2" or "NE"
    plus: bool = False  # "+": the evidence meets the criteria with a margin
    mixed: bool = False  # "*": the evidence base includes mixed findings

    @property
    def label(self) -> str:
        return self.level + ("+" if self.plus else "") + ("*" if self.mixed else "")

    @property
    def meaning(self) -> str:
        return EIF_LEVELS[self.level]


def parse_eif_rating(text: str, *, mixed: bool = False) -> EifLevel | None:
    """ "4+", "3", "2+", "NL2", "NE" to an EifLevel; "" to None; anything else raises ValueError."""
    text = text.strip().upper()
    if not text:
        return None
    plus = text.endswith("+")
    core = text.rstrip("+")
    if core not in EIF_LEVELS or (plus and core in {"NL2", "NE"}):
        raise ValueError(f"{text!r} is not an EIF rating (4, 3, 2 with an optional +, NL2 or NE)")
    return EifLevel(core, plus=plus, mixed=mixed)


@dataclass(frozen=True)
class StudyFinding:
    """One study's finding on an outcome, for the EIF-style level."""

    design: str
    maryland: int | None  # Maryland scientific methods scale 1-5
    risk_of_bias: str
    benefit: bool  # a statistically significant benefit
    harm_or_null: bool  # no effect (CI includes 0) or significant harm


def _rigorous(f: StudyFinding) -> bool:
    return (
        (f.design in RANDOMISED or f.design == "quasi-experimental")
        and (f.maryland or 0) >= 4
        and (f.risk_of_bias in {"low", "some"})
    )


def eif_level_from_findings(findings: Sequence[StudyFinding]) -> EifLevel | None:
    """The EIF-style level the studies support (None without studies). A simplified reading of EIF's
    standards: rigorous = RCT or quasi-experimental, Maryland 4+, risk of bias low or some concerns."""
    if not findings:
        return None
    rigorous_benefit = sum(1 for f in findings if _rigorous(f) and f.benefit)
    rigorous_null = sum(1 for f in findings if _rigorous(f) and f.harm_or_null)
    mixed = rigorous_benefit > 0 and rigorous_null > 0
    if rigorous_benefit >= 2:
        return EifLevel("4", mixed=mixed)
    if rigorous_benefit == 1:
        return EifLevel("3", mixed=mixed)
    if rigorous_null:
        return EifLevel("NE")
    if any(f.benefit and (f.maryland or 0) >= 2 for f in findings):
        return EifLevel("2")
    return EifLevel("NL2")


#: (minimum studies, minimum certainty) for each number of padlocks, most first
PADLOCK_RULES = ((5, 25, "high"), (4, 15, "moderate"), (3, 5, "low"), (2, 2, "very low"), (1, 1, "very low"))


def eef_padlocks(k: int, certainty: str) -> int:
    """EEF-style padlocks (0-5) from the number of studies and their certainty: an approximation of the
    EEF's own rating, which also weighs recency and outcome measures."""
    rank = CERTAINTY_LEVELS.index(certainty)
    for locks, min_k, min_certainty in PADLOCK_RULES:
        if k >= min_k and rank >= CERTAINTY_LEVELS.index(min_certainty):
            return locks
    return 0


# ---------------------------------------------------------------------------------------------
# EEF months of progress

#: (largest effect size after rounding to 2 dp, months); 0.96 and above is 12 months
MONTHS_OF_PROGRESS = (
    (Decimal("0.01"), 0),
    (Decimal("0.09"), 1),
    (Decimal("0.18"), 2),
    (Decimal("0.26"), 3),
    (Decimal("0.35"), 4),
    (Decimal("0.44"), 5),
    (Decimal("0.52"), 6),
    (Decimal("0.61"), 7),
    (Decimal("0.69"), 8),
    (Decimal("0.78"), 9),
    (Decimal("0.87"), 10),
    (Decimal("0.95"), 11),
)
MONTHS_MAX = 12


def round2(x: float) -> Decimal:
    """Round half away from zero to 2 dp, on the decimal the number prints as (0.015 -> 0.02)."""
    return Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def months_of_progress(effect_size: float) -> int:
    """EEF's conversion of an effect size to months of additional progress (negative sizes mirror)."""
    if not math.isfinite(effect_size):
        raise ValueError("the effect size must be a finite number")
    d = round2(effect_size)
    size = abs(d)
    months = next((m for top, m in MONTHS_OF_PROGRESS if size <= top), MONTHS_MAX)
    return -months if d < 0 else months


IMPACT_WORDS = ((1, "very low"), (3, "low"), (5, "moderate"), (7, "high"))


def describe_impact(estimate: float, measure: str, *, benefit_sign: int = 1, attainment: bool = False) -> str:
    """The pooled effect in plain words."""
    good = estimate * benefit_sign
    if measure in RATIO_MEASURES:
        ratio = math.exp(estimate)
        direction = "more likely" if ratio > 1 else "less likely"
        kind = "an improvement" if good > 0 else "a worse result" if good < 0 else "no change"
        return (
            f"{kind.capitalize()}: the outcome is {abs(ratio - 1):.0%} {direction} with the practice "
            f"(ratio {ratio:.2f})."
        )
    if measure not in STANDARDISED:
        verdict = "improves" if good > 0 else "worsens" if good < 0 else "does not change"
        return f"The practice {verdict} the outcome by {abs(estimate):.2f} on its own scale."
    months = abs(months_of_progress(good))
    word = next((w for top, w in IMPACT_WORDS if months <= top), "very high")
    if good < 0:
        text = f"Negative impact: children do worse, by {abs(good):.2f} standard deviations"
    else:
        text = f"{word.capitalize()} impact: {good:.2f} standard deviations"
    if attainment:
        text += f", about {months} month{'s' if months != 1 else ''}' {'less ' if good < 0 else ''}progress"
    return text + "."


# ---------------------------------------------------------------------------------------------
# Cost

#: (rating, band) as EIF defines them
COST_BANDS = (
    (1, "under £100 per child"),
    (2, "£100 to £499 per child"),
    (3, "£500 to £999 per child"),
    (4, "£1,000 to £2,000 per child"),
    (5, "over £2,000 per child"),
)
#: the EEF's cost categories (per pupil per year) as its older toolkit page defined them; the starter
#: content maps the category words to 1-5 in this order. They are the EEF's bands, not COST_BANDS.
EEF_COST_CATEGORIES = (
    (1, "very low", "under £80 per pupil per year"),
    (2, "low", "up to £170 per pupil per year"),
    (3, "moderate", "up to £700 per pupil per year"),
    (4, "high", "up to £1,200 per pupil per year"),
    (5, "very high", "over £1,200 per pupil per year"),
)


def cost_rating(cost_per_child: float) -> int:
    """The 1-5 cost rating of a unit cost per child (EIF's bands)."""
    if not math.isfinite(cost_per_child) or cost_per_child < 0:
        raise ValueError("a cost per child must be a non-negative number of pounds")
    if cost_per_child < 100:
        return 1
    if cost_per_child < 500:
        return 2
    if cost_per_child < 1000:
        return 3
    if cost_per_child <= 2000:
        return 4
    return 5


def cost_per_unit_effect(cost_per_child: float, effect: float) -> float | None:
    """Pounds per child for each standard deviation of benefit (None without a benefit)."""
    if effect <= 0:
        return None
    return cost_per_child / effect


@dataclass(frozen=True)
class CohortCost:
    cohort: int
    total_cost: float
    baseline_rate: float
    treated_rate: float
    risk_difference: float  # treated - baseline, in the good direction when positive
    extra_children: float  # more children achieving the outcome (fewer with a bad outcome)
    cost_per_extra_child: float | None  # None when the practice brings no extra children


def risk_from_odds_ratio(baseline_rate: float, odds_ratio: float) -> float:
    odds = baseline_rate / (1 - baseline_rate) * odds_ratio
    return odds / (1 + odds)


def cohort_cost(
    *,
    cohort: int,
    unit_cost: float,
    baseline_rate: float,
    risk_difference: float | None = None,
    odds_ratio: float | None = None,
    risk_ratio: float | None = None,
    fixed_cost: float = 0.0,
    higher_is_better: bool = True,
) -> CohortCost:
    """Total cost for a cohort, and the cost per extra child achieving the outcome.

    The effect comes as a risk difference (treated minus baseline, as a proportion), an odds ratio or
    a risk ratio, applied to the council's own baseline rate. For an outcome to avoid (entering care),
    pass ``higher_is_better=False``: the extra children are those who avoid it."""
    if cohort < 1:
        raise ValueError("the cohort must hold at least one child")
    if unit_cost < 0 or fixed_cost < 0:
        raise ValueError("costs cannot be negative")
    if not 0 < baseline_rate < 1:
        raise ValueError("the baseline rate must be a proportion between 0 and 1")
    given = [x is not None for x in (risk_difference, odds_ratio, risk_ratio)]
    if sum(given) != 1:
        raise ValueError("give exactly one of risk_difference, odds_ratio and risk_ratio")
    if risk_difference is not None:
        treated = baseline_rate + risk_difference
    elif odds_ratio is not None:
        if odds_ratio <= 0:
            raise ValueError("an odds ratio must be positive")
        treated = risk_from_odds_ratio(baseline_rate, odds_ratio)
    else:
        if risk_ratio <= 0:
            raise ValueError("a risk ratio must be positive")
        treated = baseline_rate * risk_ratio
    if not 0 <= treated <= 1:
        raise ValueError(f"the effect gives a rate of {treated:.3f}, outside 0 to 1, at this baseline")
    difference = (treated - baseline_rate) * (1 if higher_is_better else -1)
    extra = cohort * difference
    total = cohort * unit_cost + fixed_cost
    return CohortCost(
        cohort=cohort,
        total_cost=total,
        baseline_rate=baseline_rate,
        treated_rate=treated,
        risk_difference=difference,
        extra_children=extra,
        cost_per_extra_child=total / extra if extra > 0 else None,
    )


# ---------------------------------------------------------------------------------------------
# Recommendation

OFFER, CONSIDER, DO_NOT_OFFER, ONLY_IN_RESEARCH = "Offer", "Consider", "Do not offer", "Only in research"


@dataclass(frozen=True)
class Rule:
    code: str
    recommendation: str
    when: str  # the rule in words, as the thresholds page shows it


#: checked in order; the first that applies gives the recommendation
RECOMMENDATION_RULES = (
    Rule(
        "harm",
        DO_NOT_OFFER,
        "The confidence interval lies wholly on the side of harm, at any certainty: a practice that may "
        "harm children is not offered outside research.",
    ),
    Rule("too-little", ONLY_IN_RESEARCH, "Certainty is very low: too little evidence to judge."),
    Rule(
        "certain-no-benefit",
        DO_NOT_OFFER,
        "High or moderate certainty, and the confidence interval rules out a meaningful benefit.",
    ),
    Rule(
        "offer",
        OFFER,
        "High or moderate certainty of a meaningful benefit (the confidence interval excludes no effect), "
        "and a known cost rating of 3 or less.",
    ),
    Rule(
        "consider-cost",
        CONSIDER,
        "High or moderate certainty of a meaningful benefit, but the cost is high (rating 4 or 5) "
        "or not known.",
    ),
    Rule(
        "consider-uncertain",
        CONSIDER,
        "Low certainty, and the pooled effect favours a meaningful benefit.",
    ),
    Rule("unclear", ONLY_IN_RESEARCH, "Anything else: the benefit is unclear, so use only in research."),
)
RULES_BY_CODE = {rule.code: rule for rule in RECOMMENDATION_RULES}


@dataclass(frozen=True)
class Recommendation:
    recommendation: str
    rule: Rule
    reason: str


def _meaningful(value: float, measure: str) -> float:
    """The smallest benefit counted as meaningful on this measure's scale."""
    return threshold("meaningful_smd") if measure in STANDARDISED else 0.0


def recommend(
    *,
    certainty: str,
    measure: str,
    estimate: float,
    ci_lb: float,
    ci_ub: float,
    cost_rating: int | None,
    benefit_sign: int = 1,
) -> Recommendation:
    """The recommendation and the rule that produced it (RECOMMENDATION_RULES, first match)."""
    if certainty not in CERTAINTY_LEVELS:
        raise ValueError(f"unknown certainty {certainty!r}")
    if benefit_sign not in (1, -1):
        raise ValueError("benefit_sign must be 1 or -1")
    good, low, high = (estimate, ci_lb, ci_ub) if benefit_sign == 1 else (-estimate, -ci_ub, -ci_lb)
    meaningful = _meaningful(good, measure)
    confident = certainty in ("high", "moderate")
    benefit = low > 0 and good >= meaningful
    cost_ok = cost_rating is not None and cost_rating <= threshold("acceptable_cost_rating")
    cost_text = f"cost rating {cost_rating}" if cost_rating is not None else "cost not known"

    def chosen(code: str, reason: str) -> Recommendation:
        rule = RULES_BY_CODE[code]
        return Recommendation(rule.recommendation, rule, reason)

    if high < 0:
        return chosen("harm", f"The whole confidence interval ({low:.2f} to {high:.2f}) shows harm.")
    if certainty == "very low":
        return chosen("too-little", "Certainty of the evidence is very low.")
    if confident and high < max(meaningful, 1e-12):
        return chosen(
            "certain-no-benefit",
            f"{certainty.capitalize()} certainty, and the confidence interval (up to {high:.2f}) "
            "rules out a meaningful benefit.",
        )
    if confident and benefit and cost_ok:
        return chosen("offer", f"{certainty.capitalize()} certainty of a meaningful benefit, {cost_text}.")
    if confident and benefit:
        return chosen(
            "consider-cost", f"{certainty.capitalize()} certainty of a meaningful benefit, but {cost_text}."
        )
    if certainty == "low" and good >= meaningful and good > 0:
        return chosen(
            "consider-uncertain", f"Low certainty; the pooled effect ({good:.2f}) favours a benefit."
        )
    return chosen(
        "unclear",
        f"{certainty.capitalize()} certainty; the benefit is unclear "
        f"(pooled {good:.2f}, CI {low:.2f} to {high:.2f}).",
    )
