"""What the evidence library says about services that may lower the number of children entering care,
for a scenario's entry rate: each published study's figures on entering care, in words, with a link.

A study's effect applies to the families the service reaches (families at the pre-proceedings stage, say),
not to every child who starts care, so the page gives the effect and how to turn it into a change of the
entry rate; it never changes a scenario by itself.
"""

import math
import re
from dataclasses import dataclass

from slihub.evidence.models import EffectEstimate

# Outcomes that count children entering care, by the slugs the library gives them (reviewed by hand: an
# outcome about care proceedings, days in care or reunification is not an entry to care).
ENTRY_OUTCOMES = (
    "entry-to-care",
    "child-placed-in-local-authority-care",
    "child-looked-after-12-months-after-the-pre-proceedings-letter",
    "likelihood-of-becoming-looked-after",
)
RATIOS = {EffectEstimate.Measure.OR: "odds ratio", EffectEstimate.Measure.RR: "risk ratio"}
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Finding:
    practice: str
    url: str
    outcome: str
    study: str
    design: str
    year: int | None
    effect: str  # the figures in words
    fewer: float | None  # the relative fall in entering care among those reached (0.19: 19% fewer)


def _percent(text: str) -> float | None:
    match = _PERCENT.match(text or "")
    return float(match.group(1)) if match else None


def _in_words(estimate: EffectEstimate) -> tuple[str, float | None]:
    reached, others = _percent(estimate.intervention_value), _percent(estimate.comparison_value)
    if reached is not None and others:
        fewer = 1 - reached / others
        change = f"{abs(fewer) * 100:.0f}% {'fewer' if fewer >= 0 else 'more'}"
        significance = {True: "; statistically significant", False: "; not statistically significant"}
        words = f"{reached:g}% against {others:g}% without the service: {change} among those it reached"
        return words + significance.get(estimate.significant, ""), fewer
    if estimate.measure in RATIOS and estimate.yi is not None and estimate.vi:
        half = 1.96 * math.sqrt(estimate.vi)
        ratio, low, high = (math.exp(estimate.yi + d) for d in (0, -half, half))
        direction = "fewer" if high < 1 else "more"
        clear = "no clear difference" if low <= 1 <= high else f"{direction} entering care"
        name = RATIOS[estimate.measure]
        return f"{name} {ratio:.2f} (95% confidence interval {low:.2f} to {high:.2f}): {clear}", None
    if estimate.statement:
        return estimate.statement, None
    return "no figure the library holds for this outcome: see the practice page", None


def entering_care() -> list[Finding]:
    """Every published study's result on entering care, practices in name order."""
    estimates = EffectEstimate.objects.filter(outcome__slug__in=ENTRY_OUTCOMES).select_related(
        "study__practice", "outcome"
    )
    findings = []
    for estimate in estimates.order_by("study__practice__name", "study__year"):
        effect, fewer = _in_words(estimate)
        practice = estimate.study.practice
        findings.append(
            Finding(
                practice.name,
                practice.get_absolute_url(),
                estimate.outcome.name,
                estimate.study.citation,
                estimate.study.get_design_display(),
                estimate.study.year,
                effect,
                fewer,
            )
        )
    return findings
