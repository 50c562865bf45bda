"""Filters for the evidence pages: a study's citation with its year once, counts with thousands
separators, and a study's effect on the scale a practitioner reads (a ratio, not its log)."""

import math

from django import template

from slihub.evidence import decision

register = template.Library()


@register.filter
def citation(study) -> str:
    """ "Webster-Stratton C (1998)", never "Webster-Stratton 1998 (1998)"."""
    return decision.study_label(study.citation, study.year)


@register.filter
def plain(text) -> str:
    """Without a transcriber's asides such as "(excerpt truncated)"."""
    return decision.without_asides(str(text or ""))


@register.filter
def thousands(value) -> str:
    """1234 as "1,234"; anything not a whole number as it is."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)


@register.filter
def effect_text(effect) -> str:
    """One study's poolable effect with its 95% CI: "risk ratio 0.41 (95% CI 0.13 to 1.26)",
    "standardised mean difference −0.35 (95% CI −0.70 to 0.00)"."""
    if not effect.poolable:
        return ""
    half = 1.959963984540054 * math.sqrt(effect.vi)
    low, high = effect.yi - half, effect.yi + half
    measure = effect.measure
    return (
        f"{decision.scale_name(measure).lower()} {decision.shown(effect.yi, measure)} "
        f"(95% CI {decision.shown(low, measure)} to {decision.shown(high, measure)})"
    )
