"""slihub.evidence.decision: the words a practice lead reads for a pooled result."""

import math
from types import SimpleNamespace

from slihub.evidence import decision
from slihub.stats import evidence_rating as er


def synthesis(**fields):
    outcome = SimpleNamespace(name="Children's behaviour problems", higher_is_better=False, attainment=False)
    values = dict(
        measure="SMD",
        estimate=-0.35,
        ci_lb=-0.5,
        ci_ub=-0.2,
        pi_lb=-0.7,
        pi_ub=0.0,
        outcome=outcome,
        months=None,
        reproduces=None,
        reproduction="",
        recommendation=er.OFFER,
        rule="offer",
        rule_reason="",
        certainty="moderate",
        certainty_reasons=[],
    )
    return SimpleNamespace(**(values | fields))


def test_a_standardised_difference_in_words():
    assert decision.effect(synthesis()).words == "A small reduction in children's behaviour problems."
    assert decision.effect(synthesis(estimate=-0.9, ci_lb=-1.2)).words.startswith("A large reduction")
    unclear = decision.effect(synthesis(estimate=-0.1, ci_lb=-0.3, ci_ub=0.1))
    assert "includes no difference" in unclear.words and not unclear.clear


def test_a_ratio_is_printed_as_a_ratio_with_its_meaning():
    care = SimpleNamespace(name="Entry to care", higher_is_better=False, attainment=False)
    rr = synthesis(
        measure="RR", estimate=math.log(0.75), ci_lb=math.log(0.6), ci_ub=math.log(0.94), outcome=care
    )
    effect = decision.effect(rr)
    assert effect.estimate == "0.75" and effect.ci == "0.60 to 0.94" and effect.scale == "Risk ratio"
    assert effect.words == "Entry to care is 25% less likely with the practice."
    odds = decision.effect(
        synthesis(measure="OR", estimate=math.log(1.5), ci_lb=0.1, ci_ub=0.7, outcome=care)
    )
    assert odds.words == "The odds of entry to care are 50% higher with the practice: a harmful effect."


def test_the_stored_reasons_log_intervals_become_ratios():
    reasons = [
        {
            "domain": "imprecision",
            "change": -1,
            "reason": "Serious: the confidence interval (-0.51 to 0.10) includes no effect.",
        }
    ]
    out = decision.certainty_reasons(synthesis(measure="OR", certainty_reasons=reasons))
    assert "(ratio 0.60 to 1.11)" in out[0]["reason"]
    moves = decision.certainty_moves(synthesis(measure="OR", certainty_reasons=reasons))
    assert moves == [
        "Rated down one level for imprecision: Serious: the confidence interval (ratio 0.60 to 1.11) "
        "includes no effect."
    ]


def test_no_recommendation_when_the_source_is_not_reproduced():
    verdict = decision.decision(synthesis(reproduces=False, reproduction="source 0.50, hub 0.42"))
    assert (
        verdict.label == decision.NOT_JUDGED and "does not reproduce" in verdict.reason and not verdict.rule
    )
    assert decision.decision(synthesis(recommendation="", rule="not-reproduced")).label == decision.NOT_JUDGED
    offer = decision.decision(synthesis(), cost_rating=2)
    assert offer.label == er.OFFER and "cost rating of 2 of 5 (£100 to £499 per child)" in offer.reason


def test_which_side_favours_the_practice_and_citations():
    assert decision.favours("X", higher_is_better=False) == ("Favours X", "Favours comparison")
    assert decision.favours("X", higher_is_better=True) == ("Favours comparison", "Favours X")
    assert decision.study_label("Webster-Stratton 1998", 1998) == "Webster-Stratton 1998"
    assert decision.study_label("Scott S", 2001) == "Scott S (2001)"
    assert decision.number(-0.001) == "0.00" and decision.number(-0.5) == "\u22120.50"


def test_a_standardised_interval_in_the_reasons_gets_a_true_minus_sign():
    reasons = [
        {
            "domain": "imprecision",
            "change": -2,
            "reason": "Very serious: the confidence interval (-0.13 to 0.18).",
        }
    ]
    (out,) = decision.certainty_reasons(synthesis(certainty_reasons=reasons))
    assert out["reason"] == "Very serious: the confidence interval (\u22120.13 to 0.18)."
    assert decision.certainty_moves(synthesis(certainty_reasons=reasons))[0].startswith(
        "Rated down two levels"
    )
