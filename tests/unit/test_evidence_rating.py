"""The judgement rules: certainty with reasons, EIF levels, months of progress, cost, recommendations."""

import math

import pytest

from slihub.stats import evidence_rating as er
from slihub.stats.evidence_rating import StudyFinding, StudyInput

RCTS = [StudyInput("rct", "low", 1.0, 300) for _ in range(3)]


def rate(studies=RCTS, **kwargs):
    base = dict(
        measure="SMD", estimate=0.3, ci_lb=0.2, ci_ub=0.4, pi_lb=0.1, pi_ub=0.5, i2=10.0, egger_p=None
    )
    return er.grade_certainty(studies, **{**base, **kwargs})


def change(certainty, domain):
    return next(a for a in certainty.adjustments if a.domain == domain)


def test_randomised_evidence_starts_high_and_stays_high_without_problems():
    result = rate()
    assert result.start == "high" and result.level == "high"
    assert not result.changes
    # every domain is reported, with a reason, even when nothing changed
    assert [a.domain for a in result.adjustments] == [
        "study design",
        "risk of bias",
        "inconsistency",
        "imprecision",
        "small-study effects",
        "large effect",
    ]
    assert all(a.reason for a in result.adjustments)


def test_observational_evidence_starts_low():
    studies = [StudyInput("observational", "low", 1.0, 300), StudyInput("pre-post", "low", 1.0, 300)]
    result = rate(studies)
    assert result.start == "low" and result.level == "low"
    assert "Starts low" in change(result, "study design").reason


def test_design_not_stated_counts_as_non_randomised():
    assert rate([StudyInput("not-stated", "low", 1, 500)]).start == "low"


def test_risk_of_bias_serious_and_very_serious():
    some = [StudyInput("rct", "some", 1, 300), StudyInput("rct", "low", 1, 300)]
    assert change(rate(some), "risk of bias").change == -1
    assert rate(some).level == "moderate"
    high = [StudyInput("rct", "high", 3, 300), StudyInput("rct", "low", 1, 300)]
    assert change(rate(high), "risk of bias").change == -2
    assert rate(high).level == "low"
    unassessed = [StudyInput("rct", "", 1, 500)]
    assert change(rate(unassessed), "risk of bias").change == -1


def test_inconsistency_needs_high_i2_and_a_prediction_interval_crossing_no_effect():
    assert change(rate(i2=60, pi_lb=-0.1, pi_ub=0.7), "inconsistency").change == -1
    assert change(rate(i2=60, pi_lb=0.05, pi_ub=0.7), "inconsistency").change == 0
    assert change(rate(i2=40, pi_lb=-0.1, pi_ub=0.7), "inconsistency").change == 0
    single = rate([StudyInput("rct", "low", 1, 900)], i2=0)
    assert "single study" in change(single, "inconsistency").reason


def test_imprecision_from_the_interval_and_the_sample():
    assert change(rate(ci_lb=-0.05, ci_ub=0.6), "imprecision").change == -1
    assert change(rate(ci_lb=0.05, ci_ub=0.7), "imprecision").change == -1  # wider than 0.5 SD
    small = [StudyInput("rct", "low", 1, 100), StudyInput("rct", "low", 1, 100)]
    assert change(rate(small), "imprecision").change == -1
    both = rate(small, ci_lb=-0.1, ci_ub=0.6)
    assert change(both, "imprecision").change == -2 and both.level == "low"
    unknown = [StudyInput("rct", "low", 1, None)]
    assert "not known" in change(rate(unknown), "imprecision").reason


def test_small_study_effects_only_with_ten_studies():
    ten = [StudyInput("rct", "low", 1, 100) for _ in range(10)]
    assert change(rate(ten, egger_p=0.05), "small-study effects").change == -1
    assert change(rate(ten, egger_p=0.10), "small-study effects").change == 0
    nine = ten[:9]
    result = change(rate(nine, egger_p=0.01), "small-study effects")
    assert result.change == 0 and "at least 10" in result.reason


def test_large_effect_rates_up_only_when_nothing_was_rated_down():
    studies = [StudyInput("observational", "low", 1, 500)]
    up = rate(studies, estimate=0.9, ci_lb=0.85, ci_ub=0.95, pi_lb=0.8, pi_ub=1.0)
    assert change(up, "large effect").change == 1 and up.level == "moderate"
    ratio = rate(studies, measure="OR", estimate=math.log(2.5), ci_lb=0.8, ci_ub=1.0, pi_lb=0.7, pi_ub=1.1)
    assert change(ratio, "large effect").change == 1
    down = rate([StudyInput("observational", "high", 1, 500)], estimate=0.9, ci_lb=0.85, ci_ub=0.95)
    assert change(down, "large effect").change == 0 and down.level == "very low"


def test_certainty_never_leaves_the_scale():
    bad = [StudyInput("observational", "high", 1, 10) for _ in range(10)]
    result = rate(bad, ci_lb=-1, ci_ub=1, i2=90, pi_lb=-2, pi_ub=2, egger_p=0.01)
    assert result.level == "very low"
    assert sum(a.change for a in result.adjustments) < -3


def test_certainty_needs_a_study():
    with pytest.raises(ValueError):
        rate([])


# --- EIF levels and padlocks


@pytest.mark.parametrize(
    ("text", "label", "level", "plus"),
    [("4+", "4+", "4", True), ("3", "3", "3", False), ("2+", "2+", "2", True), ("nl2", "NL2", "NL2", False)],
)
def test_parse_eif_rating(text, label, level, plus):
    parsed = er.parse_eif_rating(text)
    assert (parsed.label, parsed.level, parsed.plus) == (label, level, plus)
    assert level in parsed.meaning.split(":")[0]


def test_parse_eif_rating_blank_and_bad():
    assert er.parse_eif_rating("") is None
    assert er.parse_eif_rating("3", mixed=True).label == "3*"
    for bad in ("5", "NE+", "three"):
        with pytest.raises(ValueError):
            er.parse_eif_rating(bad)


def finding(design="rct", maryland=5, rob="low", benefit=True):
    return StudyFinding(design, maryland, rob, benefit, not benefit)


def test_eif_level_from_findings():
    assert er.eif_level_from_findings([]) is None
    assert er.eif_level_from_findings([finding(), finding()]).level == "4"
    assert er.eif_level_from_findings([finding()]).level == "3"
    mixed = er.eif_level_from_findings([finding(), finding(benefit=False)])
    assert mixed.label == "3*"
    assert er.eif_level_from_findings([finding(benefit=False)]).level == "NE"
    assert er.eif_level_from_findings([finding("pre-post", 2)]).level == "2"
    assert er.eif_level_from_findings([finding("rct", 5, "high")]).level == "2"  # not rigorous
    assert er.eif_level_from_findings([finding("observational", 1, "high", False)]).level == "NL2"


def test_padlocks():
    assert er.eef_padlocks(30, "high") == 5
    assert er.eef_padlocks(30, "moderate") == 4
    assert er.eef_padlocks(6, "low") == 3
    assert er.eef_padlocks(6, "very low") == 2
    assert er.eef_padlocks(1, "very low") == 1
    assert er.eef_padlocks(0, "high") == 0


# --- months of progress: every boundary of the EEF table

BOUNDARIES = [
    (0.0, 0),
    (0.01, 0),
    (0.02, 1),
    (0.09, 1),
    (0.10, 2),
    (0.18, 2),
    (0.19, 3),
    (0.26, 3),
    (0.27, 4),
    (0.35, 4),
    (0.36, 5),
    (0.44, 5),
    (0.45, 6),
    (0.52, 6),
    (0.53, 7),
    (0.61, 7),
    (0.62, 8),
    (0.69, 8),
    (0.70, 9),
    (0.78, 9),
    (0.79, 10),
    (0.87, 10),
    (0.88, 11),
    (0.95, 11),
    (0.96, 12),
    (1.50, 12),
]


@pytest.mark.parametrize(("size", "months"), BOUNDARIES)
def test_months_of_progress_boundaries(size, months):
    assert er.months_of_progress(size) == months
    assert er.months_of_progress(-size) == -months


@pytest.mark.parametrize(
    ("size", "months"),
    [(0.014, 0), (0.015, 1), (0.094, 1), (0.095, 2), (0.185, 3), (0.955, 12), (0.9549, 11), (-0.015, -1)],
)
def test_months_of_progress_rounds_to_two_places_first(size, months):
    assert er.months_of_progress(size) == months


def test_months_of_progress_refuses_nan():
    with pytest.raises(ValueError):
        er.months_of_progress(float("nan"))


def test_describe_impact():
    assert er.describe_impact(0.3, "SMD", attainment=True) == (
        "Moderate impact: 0.30 standard deviations, about 4 months' progress."
    )
    assert er.describe_impact(-0.2, "SMD").startswith("Negative impact")
    assert "less likely" in er.describe_impact(math.log(0.5), "RR", benefit_sign=-1)
    assert er.describe_impact(math.log(0.5), "RR", benefit_sign=-1).startswith("An improvement")
    assert "own scale" in er.describe_impact(3.0, "MD")


# --- cost


@pytest.mark.parametrize(
    ("cost", "rating"),
    [
        (0, 1),
        (99.99, 1),
        (100, 2),
        (499, 2),
        (499.99, 2),
        (500, 3),
        (999, 3),
        (1000, 4),
        (2000, 4),
        (2000.01, 5),
    ],
)
def test_cost_rating_bands(cost, rating):
    assert er.cost_rating(cost) == rating


def test_cost_rating_refuses_negative_costs():
    with pytest.raises(ValueError):
        er.cost_rating(-1)


def test_cost_per_unit_effect():
    assert er.cost_per_unit_effect(500, 0.25) == 2000
    assert er.cost_per_unit_effect(500, 0) is None


def test_cohort_cost_from_a_risk_difference():
    result = er.cohort_cost(cohort=200, unit_cost=1000, baseline_rate=0.30, risk_difference=0.10)
    assert result.total_cost == 200_000
    assert result.extra_children == pytest.approx(20)
    assert result.cost_per_extra_child == pytest.approx(10_000)


def test_cohort_cost_from_an_odds_ratio():
    # odds 0.25/0.75 = 1/3, times 2 = 2/3, rate 0.4
    result = er.cohort_cost(cohort=100, unit_cost=50, baseline_rate=0.25, odds_ratio=2.0, fixed_cost=1000)
    assert result.treated_rate == pytest.approx(0.4)
    assert result.extra_children == pytest.approx(15)
    assert result.cost_per_extra_child == pytest.approx(6000 / 15)


def test_cohort_cost_for_an_outcome_to_avoid():
    result = er.cohort_cost(
        cohort=100, unit_cost=10, baseline_rate=0.2, risk_ratio=0.5, higher_is_better=False
    )
    assert result.extra_children == pytest.approx(10)
    harmful = er.cohort_cost(
        cohort=100, unit_cost=10, baseline_rate=0.2, risk_ratio=1.5, higher_is_better=False
    )
    assert harmful.extra_children < 0 and harmful.cost_per_extra_child is None


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(cohort=0, unit_cost=1, baseline_rate=0.2, risk_difference=0.1),
        dict(cohort=10, unit_cost=1, baseline_rate=1.2, risk_difference=0.1),
        dict(cohort=10, unit_cost=1, baseline_rate=0.2),
        dict(cohort=10, unit_cost=1, baseline_rate=0.2, risk_difference=0.1, odds_ratio=2),
        dict(cohort=10, unit_cost=1, baseline_rate=0.9, risk_difference=0.2),
        dict(cohort=10, unit_cost=-1, baseline_rate=0.2, risk_difference=0.1),
        dict(cohort=10, unit_cost=1, baseline_rate=0.2, odds_ratio=0),
    ],
)
def test_cohort_cost_refuses_bad_input(kwargs):
    with pytest.raises(ValueError):
        er.cohort_cost(**kwargs)


# --- recommendations: each rule


def advise(**kwargs):
    base = dict(certainty="high", measure="SMD", estimate=0.3, ci_lb=0.2, ci_ub=0.4, cost_rating=2)
    return er.recommend(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "code", "words"),
    [
        (dict(estimate=-0.3, ci_lb=-0.4, ci_ub=-0.2), "harm", "Do not offer"),
        # harm outranks too little evidence: Scared Straight's more offending at very low certainty
        (dict(certainty="very low", estimate=-0.3, ci_lb=-0.4, ci_ub=-0.2), "harm", "Do not offer"),
        (dict(certainty="very low"), "too-little", "Only in research"),
        (dict(estimate=0.02, ci_lb=-0.03, ci_ub=0.07), "certain-no-benefit", "Do not offer"),
        ({}, "offer", "Offer"),
        (dict(certainty="moderate", cost_rating=3), "offer", "Offer"),
        (dict(cost_rating=4), "consider-cost", "Consider"),
        (dict(cost_rating=None), "consider-cost", "Consider"),
        (dict(certainty="low", ci_lb=-0.1), "consider-uncertain", "Consider"),
        (dict(certainty="low", estimate=0.05, ci_lb=-0.1, ci_ub=0.2), "unclear", "Only in research"),
        (dict(estimate=0.15, ci_lb=-0.1, ci_ub=0.4), "unclear", "Only in research"),
    ],
)
def test_recommendation_rules(kwargs, code, words):
    result = advise(**kwargs)
    assert result.rule.code == code
    assert result.recommendation == words
    assert result.reason


def test_recommendation_respects_the_direction_of_benefit():
    # fewer children entering care: a negative log ratio is the benefit
    good = advise(measure="RR", estimate=-0.5, ci_lb=-0.7, ci_ub=-0.3, benefit_sign=-1)
    assert good.rule.code == "offer"
    bad = advise(measure="RR", estimate=0.5, ci_lb=0.3, ci_ub=0.7, benefit_sign=-1)
    assert bad.rule.code == "harm"


def test_every_rule_and_threshold_is_documented():
    assert {rule.code for rule in er.RECOMMENDATION_RULES} == set(er.RULES_BY_CODE)
    assert all(rule.when for rule in er.RECOMMENDATION_RULES)
    assert all(text for _, text in er.THRESHOLDS.values())
    with pytest.raises(ValueError):
        advise(certainty="certain")
