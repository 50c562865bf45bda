"""What a pooled result means for a practice lead, in words: the recommendation and why, the effect on the
scale a practitioner reads (a ratio for odds and risk ratios, never its log), the certainty and what moved
it, and which side of a forest plot favours the practice. Shared by the practice page and the comparison.

A synthesis whose pooled result does not reproduce its source's own (``Synthesis.reproduces`` False) has no
recommendation: the page says so, and why.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from slihub.evidence.synthesis import METHOD_WORDS
from slihub.stats import evidence_rating as er

NOT_JUDGED = "No recommendation yet"

#: GOV.UK tag colours by recommendation (a tag never carries meaning by colour alone: the word is there)
TAGS = {
    er.OFFER: "govuk-tag--green",
    er.CONSIDER: "govuk-tag--turquoise",
    er.DO_NOT_OFFER: "govuk-tag--red",
    er.ONLY_IN_RESEARCH: "govuk-tag--yellow",
    NOT_JUDGED: "govuk-tag--grey",
}
#: best first, for ordering outcomes and practices
RANK = {er.OFFER: 0, er.CONSIDER: 1, er.ONLY_IN_RESEARCH: 2, NOT_JUDGED: 3, er.DO_NOT_OFFER: 4}

SCALES = {
    "OR": ("Odds ratio", "Odds ratio (log scale; 1 means no difference)"),
    "RR": ("Risk ratio", "Risk ratio (log scale; 1 means no difference)"),
    "SMD": ("Standardised mean difference", "Standardised mean difference (standard deviations)"),
    "MD": ("Mean difference", "Mean difference (points on the outcome's own scale)"),
}
#: Cohen's conventional sizes of a standardised difference, as words
SMD_WORDS = ((0.2, "a very small"), (0.5, "a small"), (0.8, "a moderate"))


def number(x: float, digits: int = 2) -> str:
    """Fixed decimals with a true minus sign, never "−0.00"."""
    text = f"{x:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", "\u2212")


def is_ratio(measure: str) -> bool:
    return measure in er.RATIO_MEASURES


def shown(value: float, measure: str) -> str:
    """A value as the page prints it: the ratio itself for OR and RR (stored as its log)."""
    return number(math.exp(value)) if is_ratio(measure) else number(value)


def scale_name(measure: str) -> str:
    return SCALES.get(measure, ("Effect size", ""))[0]


def axis_label(measure: str) -> str:
    return SCALES.get(measure, ("", "Effect size"))[1]


def study_label(citation: str, year: int | None) -> str:
    """ "Webster-Stratton C (1998)", never "Webster-Stratton 1998 (1998)": the year only when the citation
    does not already carry it."""
    citation = citation.strip()
    if year and str(year) not in citation:
        return f"{citation} ({year})"
    return citation


def favours(practice_name: str, higher_is_better: bool) -> tuple[str, str]:
    """(left, right) of a forest plot: values above no effect mean more of the outcome with the practice
    (a higher score, or a ratio above 1), which favours the practice when more is better."""
    practice, comparison = f"Favours {practice_name}", "Favours comparison"
    return (comparison, practice) if higher_is_better else (practice, comparison)


def _lower_first(name: str) -> str:
    # "Children's behaviour problems" reads as a phrase; an acronym ("ECBI score") keeps its capitals
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


@dataclass(frozen=True)
class Effect:
    scale: str  # "Risk ratio", "Standardised mean difference"
    estimate: str
    ci: str
    pi: str
    words: str  # "A small reduction in children's behaviour problems"
    clear: bool  # the 95% confidence interval excludes no effect
    good: bool | None  # the estimate points to benefit (None: exactly no effect)

    @property
    def figures(self) -> str:
        return f"{self.scale.lower()} {self.estimate} (95% confidence interval {self.ci})"


def effect(synthesis) -> Effect:
    """The pooled effect in words and on the scale a practitioner reads."""
    measure, outcome = synthesis.measure, synthesis.outcome
    sign = 1 if outcome.higher_is_better else -1
    est = synthesis.estimate
    clear = not (synthesis.ci_lb <= 0 <= synthesis.ci_ub)
    good = None if est == 0 else est * sign > 0
    name = _lower_first(outcome.name)
    if is_ratio(measure):
        ratio = math.exp(est)
        change = abs(ratio - 1)
        percent = f"{change:.0%}" if change >= 0.005 else "less than 1%"
        if measure == "OR":
            words = f"The odds of {name} are {percent} {'higher' if ratio > 1 else 'lower'} with the practice"
        else:
            more = "more" if ratio > 1 else "less"
            words = f"{name[:1].upper()}{name[1:]} is {percent} {more} likely with the practice"
    elif measure in er.STANDARDISED:
        size = next((w for top, w in SMD_WORDS if abs(est) < top), "a large")
        words = f"{size[0].upper()}{size[1:]} {'increase' if est > 0 else 'reduction'} in {name}"
        if getattr(outcome, "attainment", False) and synthesis.months is not None:
            months = synthesis.months
            words += f", about {months:+d} month{'s' if abs(months) != 1 else ''}' progress"
    else:
        words = (
            f"{'An increase' if est > 0 else 'A reduction'} of {number(abs(est))} in {name} on its own scale"
        )
    if not clear:
        words += ", but the 95% confidence interval includes no difference, so there may be no effect"
    elif good is False:
        words += ": a harmful effect"
    return Effect(
        scale=scale_name(measure),
        estimate=shown(est, measure),
        ci=f"{shown(synthesis.ci_lb, measure)} to {shown(synthesis.ci_ub, measure)}",
        pi=f"{shown(synthesis.pi_lb, measure)} to {shown(synthesis.pi_ub, measure)}",
        words=words + ".",
        clear=clear,
        good=good,
    )


@dataclass(frozen=True)
class Decision:
    label: str  # Offer, Consider, Do not offer, Only in research, or No recommendation yet
    reason: str
    rule: str  # the rule's code ("" when there is no recommendation)

    @property
    def tag(self) -> str:
        return TAGS.get(self.label, "govuk-tag--grey")


def decision(synthesis, *, cost_rating: int | None = None) -> Decision:
    """The recommendation and why, in words on the page's scale (the stored reason prints log ratios)."""
    if synthesis.reproduces is False or not synthesis.recommendation:
        return Decision(
            NOT_JUDGED,
            "Its pooled result does not reproduce the source's yet"
            + (f" ({synthesis.reproduction})" if synthesis.reproduction else "")
            + ". Until it does, the hub does not use it for a recommendation.",
            "",
        )
    measure = synthesis.measure
    ci = f"{shown(synthesis.ci_lb, measure)} to {shown(synthesis.ci_ub, measure)}"
    certainty = synthesis.certainty.capitalize()
    if cost_rating:
        cost = f"a cost rating of {cost_rating} of 5 ({dict(er.COST_BANDS)[cost_rating]})"
    else:
        cost = "no known cost rating"
    reasons = {
        "harm": f"The whole 95% confidence interval ({ci}) lies on the side of harm.",
        "too-little": "Certainty of the evidence is very low: too little to judge whether it works.",
        "certain-no-benefit": f"{certainty} certainty, and the 95% confidence interval ({ci}) rules out a "
        "meaningful benefit.",
        "offer": f"{certainty} certainty of a meaningful benefit, at {cost}.",
        "consider-cost": f"{certainty} certainty of a meaningful benefit, but {cost}"
        + (": the cost is high." if cost_rating else "."),
        "consider-uncertain": "Low certainty, but the pooled effect favours a meaningful benefit.",
        "unclear": f"{certainty} certainty, and the benefit is unclear (95% confidence interval {ci}).",
    }
    return Decision(
        synthesis.recommendation, reasons.get(synthesis.rule, synthesis.rule_reason), synthesis.rule
    )


#: an interval as the certainty reasons print it, on the log scale for ratios: "(−0.51 to 0.12)"
INTERVAL = re.compile(r"\((-?\d+\.\d+) to (-?\d+\.\d+)\)")


def certainty_reasons(synthesis) -> list[dict]:
    """The stored certainty reasons with any interval printed as ratios for OR and RR (they are stored
    with the log values the pooling works in), and a minus sign for negative numbers."""
    ratio = is_ratio(synthesis.measure)

    def interval(m: re.Match) -> str:
        low, high = float(m[1]), float(m[2])
        if ratio:
            return f"(ratio {number(math.exp(low))} to {number(math.exp(high))})"
        return f"({number(low)} to {number(high)})"

    return [
        {**reason, "reason": INTERVAL.sub(interval, str(reason.get("reason", "")))}
        for reason in synthesis.certainty_reasons or []
    ]


def certainty_moves(synthesis) -> list[str]:
    """Only what moved the certainty, as short sentences: 'Rated down one level for imprecision: ...'."""
    words = {1: "one level", 2: "two levels"}
    moves = []
    for reason in certainty_reasons(synthesis):
        change = int(reason.get("change") or 0)
        if change:
            way = "down" if change < 0 else "up"
            levels = words.get(abs(change), f"{abs(change)} levels")
            moves.append(f"Rated {way} {levels} for {reason.get('domain', '')}: {reason.get('reason', '')}")
    return moves


def reproduction(synthesis, pool) -> dict | None:
    """The source's own pooled result beside the hub's, on the printed scale (None without one)."""
    if pool is None:
        return None
    digits = pool.decimals if pool.decimals is not None else 2
    ratio = is_ratio(synthesis.measure)

    def hub(x: float) -> str:
        return number(math.exp(x) if ratio else x, digits)

    source_ci = (
        f"{number(pool.ci_lb, digits)} to {number(pool.ci_ub, digits)}"
        if pool.ci_lb is not None and pool.ci_ub is not None
        else "not printed"
    )
    return {
        "pool": pool,
        "source": number(pool.estimate, digits),
        "source_ci": source_ci.replace(" ", "\u00a0"),
        "hub": hub(synthesis.estimate),
        "hub_ci": f"{hub(synthesis.ci_lb)}\u00a0to\u00a0{hub(synthesis.ci_ub)}",
        "method": METHOD_WORDS.get(pool.method, pool.method),
        "reproduces": synthesis.reproduces,
    }


#: the pooled row's name in a forest plot and its table
POOLED = {"EE": "common effect", "MH": "common effect, Mantel-Haenszel", "MH-DL": "random effects"}


def pooled_label(method: str) -> str:
    return f"Pooled ({POOLED.get(method, 'random effects')})"


#: a transcriber's aside left in a published field: "(excerpt truncated)", "(EIF text, excerpt without URL)"
ASIDE = re.compile(r"\s*\([^()]*(?:\bexcerpt\b|\bstored\b|\.csv\b)[^()]*\)", re.IGNORECASE)


def without_asides(text: str) -> str:
    """A published field without the transcriber's asides about where it was read (they stay in the data)."""
    return ASIDE.sub("", text or "").strip()


def yes_no(value: bool | None) -> str:
    return "Not known" if value is None else "Yes" if value else "No"
