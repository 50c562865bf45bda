"""The synthesis cached per practice and outcome: pooled effect, certainty with its reasons, EIF-style
level, padlocks, months of progress, impact in words and the recommendation.

``recompute`` runs after every import (inside its transaction) for the practices it touched. An
outcome is pooled when a practice has at least two poolable estimates of it on one measure.

The model: random effects by REML (as metafor), unless a source printed its own pooled estimate for the
practice and outcome (a PublishedPool, from the library's transcriptions): then the source's studies are
pooled with the source's model (DL, REML, EE, MH or MH-DL), and the result must reproduce the printed one
(``reproduction``: estimate and both limits within one unit of the last printed decimal, on the printed
scale). One that does not gets no recommendation (rule "not-reproduced"), so nothing suggests it.
``reproduction`` is the one place that check is made: the loader, the data test and
``slihub evidence check-content`` all use it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from slihub.evidence.content import STUDY_PREFIX, TranscribedSynthesis
from slihub.evidence.models import EffectEstimate, Practice, PublishedPool, Synthesis
from slihub.stats import evidence_rating as er
from slihub.stats import meta_analysis
from slihub.stats.mantel_haenszel import mantel_haenszel

MIN_STUDIES = 2
DEFAULT_METHOD = "REML"
#: the models in words, as the pages and check-content say them
METHOD_WORDS = {
    "REML": "random effects (REML)",
    "DL": "random effects (DerSimonian and Laird)",
    "EE": "common effect (inverse variance)",
    "MH": "common effect (Mantel-Haenszel)",
    "MH-DL": "random effects (Mantel-Haenszel, DerSimonian and Laird)",
}
NOT_REPRODUCED = "not-reproduced"


def pool_effects(method: str, measure: str, yi, vi, inputs=None):
    """Pool one outcome's studies with ``method``. MH and MH-DL need each study's counts (``inputs``: the
    transcribed data, with events1, n1, events2, n2). The result has estimate, se, ci_lb, ci_ub, pi_lb,
    pi_ub, tau2, I2, weights (percent) and k, on the log scale for OR and RR."""
    if method in ("MH", "MH-DL"):
        tables = [(d["events1"], d["n1"], d["events2"], d["n2"]) for d in inputs]
        return mantel_haenszel(tables, measure, random=method == "MH-DL")
    return meta_analysis.meta_analysis(yi, vi, method=method, tau2_ci=False)


@dataclass(frozen=True)
class Printed:
    """A source's pooled estimate as printed (a ratio for OR and RR), with its decimals and model."""

    measure: str
    method: str
    estimate: float
    ci_lb: float
    ci_ub: float
    decimals: int
    k: int | None = None

    @classmethod
    def of(cls, pool) -> Printed:
        get = pool.get if isinstance(pool, dict) else lambda name: getattr(pool, name)
        return cls(
            *(get(name) for name in ("measure", "method", "estimate", "ci_lb", "ci_ub", "decimals", "k"))
        )


@dataclass(frozen=True)
class Reproduction:
    reproduces: bool
    words: str
    hub: tuple[float, float, float]  # on the printed scale


def reproduction(printed: Printed, result, k: int) -> Reproduction:
    """Whether the hub's pooled result reproduces the printed one: the estimate and both confidence limits
    within one unit of the last printed decimal, on the printed scale (ratios for OR and RR), and the same
    number of studies where the source gives it. With the two side by side in words."""
    scale = math.exp if printed.measure in er.RATIO_MEASURES else float
    hub = (scale(result.estimate), scale(result.ci_lb), scale(result.ci_ub))
    shown = (printed.estimate, printed.ci_lb, printed.ci_ub)
    unit = 10.0**-printed.decimals
    close = all(abs(h - p) <= unit * (1 + 1e-9) for h, p in zip(hub, shown, strict=True))
    same_k = printed.k is None or printed.k == k

    def text(values) -> str:
        e, lb, ub = (f"{v:.{printed.decimals}f}" for v in values)
        return f"{e} ({lb} to {ub})"

    studies = f"{k} stud{'y' if k == 1 else 'ies'}"
    words = f"The source reports {text(shown)}; the hub's pooling of its {studies} gives {text(hub)}."
    if not same_k:
        words += f" The source pooled {printed.k} studies."
    if not (close and same_k):
        words += " They differ by more than the last printed decimal."
    return Reproduction(close and same_k, words[:400], hub)


def check_transcribed(synthesis: TranscribedSynthesis) -> tuple[Reproduction | None, object | None]:
    """Pool a synthesis as its content file transcribes it, with the source's model, and check it against the
    printed result (None when the source printed none). The pooled result is None with fewer than two
    studies that estimate an effect, unless the source printed a result for its one study (a trial's own
    odds ratio, say), which is then checked against that study's effect."""
    method = synthesis.published["method"] if synthesis.published else DEFAULT_METHOD
    usable = [e for e in synthesis.effects if e["yi"] is not None]
    if len(usable) < (1 if synthesis.published else MIN_STUDIES):
        return None, None
    result = pool_effects(
        method,
        synthesis.measure,
        [e["yi"] for e in usable],
        [e["vi"] for e in usable],
        [e["inputs"] for e in usable],
    )
    if not synthesis.published:
        return None, result
    printed = Printed.of({**synthesis.published, "measure": synthesis.measure})
    return reproduction(printed, result, len(usable)), result


def synthesise(practice: Practice, effects: list[EffectEstimate], pool: PublishedPool | None = None) -> dict:
    """The Synthesis fields for one practice's poolable estimates of one outcome (one measure), pooled with
    the model of the source's printed pool when there is one."""
    outcome = effects[0].outcome
    measure = effects[0].measure
    method = pool.method if pool is not None else DEFAULT_METHOD
    result = pool_effects(
        method, measure, [e.yi for e in effects], [e.vi for e in effects], [e.inputs for e in effects]
    )
    checked = reproduction(Printed.of(pool), result, len(effects)) if pool is not None else None
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
    if checked is not None and not checked.reproduces:
        advice = er.Recommendation(
            "",
            er.Rule(NOT_REPRODUCED, "", "The source's own pooled result is not reproduced from its studies."),
            "Not used for a recommendation: the hub's pooling of the studies as transcribed does not "
            "reproduce the source's printed result, so the transcription (or the source) is in doubt.",
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
        "method": method,
        "reproduces": checked.reproduces if checked is not None else None,
        "reproduction": checked.words if checked is not None else "",
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
    pools = {
        (p.practice_id, p.outcome_id, p.measure): p
        for p in PublishedPool.objects.filter(practice__in=practices.keys())
    }
    rows = []
    for key, members in groups.items():
        pool = pools.get(key)
        if pool is not None:  # the source's own studies, as it pooled them (not a council's upload)
            members = [e for e in members if e.study.source.startswith(STUDY_PREFIX)]
        if len(members) >= MIN_STUDIES:
            rows.append(synthesise(practices[key[0]], members, pool))
    Synthesis.objects.filter(practice__in=practices.keys()).delete()
    Synthesis.objects.bulk_create([Synthesis(**row) for row in rows])
    return len(rows)
