"""The synthesis cached per practice and outcome: pooled effect (REML, as metafor), certainty with its
reasons, EIF-style level, padlocks, months of progress, impact in words and the recommendation.

``recompute`` runs after every import (inside its transaction) for the practices it touched. An
outcome is pooled when a practice has at least two poolable estimates of it on one measure.
"""

from __future__ import annotations

import math
from collections import defaultdict

from slihub.evidence.models import EffectEstimate, Practice, Synthesis
from slihub.stats import evidence_rating as er
from slihub.stats import meta_analysis

MIN_STUDIES = 2


def _pool(effects: list[EffectEstimate]):
    yi = [e.yi for e in effects]
    vi = [e.vi for e in effects]
    return meta_analysis.meta_analysis(yi, vi, method="REML", tau2_ci=False)


def synthesise(practice: Practice, effects: list[EffectEstimate]) -> dict:
    """The Synthesis fields for one practice's poolable estimates of one outcome (one measure)."""
    outcome = effects[0].outcome
    measure = effects[0].measure
    result = _pool(effects)
    egger_p = None
    if len(effects) >= er.threshold("egger_min_k"):
        try:
            egger_p = meta_analysis.egger_test([e.yi for e in effects], [e.vi for e in effects]).pval
        except (ValueError, ArithmeticError):
            egger_p = None
    weights = result.weights
    studies = [
        er.StudyInput(e.study.design, e.study.risk_of_bias, w, e.study.n_total)
        for e, w in zip(effects, weights, strict=True)
    ]
    certainty = er.grade_certainty(
        studies,
        measure=measure,
        estimate=result.estimate,
        ci_lb=result.ci_lb,
        ci_ub=result.ci_ub,
        pi_lb=result.pi_lb,
        pi_ub=result.pi_ub,
        i2=result.I2,
        egger_p=egger_p,
    )
    sign = 1 if outcome.higher_is_better else -1
    z = 1.959963984540054
    findings = []
    for e in effects:
        lb, ub = (e.yi - z * math.sqrt(e.vi)) * sign, (e.yi + z * math.sqrt(e.vi)) * sign
        lb, ub = min(lb, ub), max(lb, ub)
        findings.append(
            er.StudyFinding(e.study.design, e.study.maryland, e.study.risk_of_bias, lb > 0, lb <= 0)
        )
    eif = er.eif_level_from_findings(findings)
    months = (
        er.months_of_progress(result.estimate * sign) if outcome.attainment and measure == "SMD" else None
    )
    advice = er.recommend(
        certainty=certainty.level,
        measure=measure,
        estimate=result.estimate,
        ci_lb=result.ci_lb,
        ci_ub=result.ci_ub,
        cost_rating=practice.cost_rating,
        benefit_sign=sign,
    )
    cost_per_effect = None
    if practice.cost_per_child is not None and measure in er.STANDARDISED:
        cost_per_effect = er.cost_per_unit_effect(float(practice.cost_per_child), result.estimate * sign)
    sizes = [e.study.n_total for e in effects]
    return {
        "practice_id": practice.pk,
        "outcome_id": outcome.pk,
        "measure": measure,
        "k": result.k,
        "total_n": sum(sizes) if all(n is not None for n in sizes) else None,
        "estimate": result.estimate,
        "se": result.se,
        "ci_lb": result.ci_lb,
        "ci_ub": result.ci_ub,
        "pi_lb": result.pi_lb,
        "pi_ub": result.pi_ub,
        "tau2": result.tau2,
        "i2": result.I2,
        "egger_p": egger_p,
        "certainty": certainty.level,
        "certainty_start": certainty.start,
        "certainty_reasons": [
            {"domain": a.domain, "change": a.change, "reason": a.reason}
            | ({"not_assessed": round(a.not_assessed, 4)} if a.not_assessed is not None else {})
            for a in certainty.adjustments
        ],
        "eif_level": eif.label if eif else "",
        "padlocks": er.eef_padlocks(result.k, certainty.level),
        "months": months,
        "impact": er.describe_impact(
            result.estimate, measure, benefit_sign=sign, attainment=outcome.attainment
        )[:300],
        "recommendation": advice.recommendation,
        "rule": advice.rule.code,
        "rule_reason": advice.reason[:400],
        "cost_per_unit_effect": cost_per_effect,
    }


def recompute(practice_ids=None) -> int:
    """Recompute the syntheses of these practices (all when None); returns how many there are now."""
    practices = (
        Practice.objects.all() if practice_ids is None else Practice.objects.filter(pk__in=practice_ids)
    )
    practices = {p.pk: p for p in practices}
    effects = (
        EffectEstimate.objects.filter(
            study__practice__in=practices.keys(), yi__isnull=False, vi__isnull=False
        )
        .exclude(measure__in=["", "RD"])
        .select_related("study", "outcome")
        .order_by("study__practice_id", "outcome_id", "study__year", "study__key")
    )
    groups: dict[tuple[int, int, str], list[EffectEstimate]] = defaultdict(list)
    for effect in effects:
        groups[(effect.study.practice_id, effect.outcome_id, effect.measure)].append(effect)
    rows = []
    for (practice_id, _outcome, _measure), members in groups.items():
        if len(members) >= MIN_STUDIES:
            rows.append(synthesise(practices[practice_id], members))
    Synthesis.objects.filter(practice__in=practices.keys()).delete()
    Synthesis.objects.bulk_create([Synthesis(**row) for row in rows])
    return len(rows)
