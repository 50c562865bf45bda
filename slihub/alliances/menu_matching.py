"""Which offers on the menu of support fit an ask, best first, and why: pure functions, no database.

An offer fits an ask when their areas of the exchange's taxonomy are the same, closely related (named
below, such as Ofsted's children in care judgment and the children in care practice area), or only in
the same group of the taxonomy (the weakest fit). Among the offers that fit, the order is:
- the area: same, then related, then the same group;
- the indicators the ask and the offer both name;
- the offering council's strength on the ask's indicators (top quartile of England, or improving);
- the agreed support days the offering council already gives this year: a council giving many ranks
  lower, so that the same few councils are not asked every time.
The caller splits the fitting offers into those of the ask's region and the rest of England. A council's
own offers never fit its asks.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from slihub.exchange.taxonomy import GROUPS, LABELS

# Pairs of areas close enough that support in one serves the other (either way round).
RELATED_PAIRS = (
    ("ofsted_in_care", "children_in_care"),
    ("ofsted_in_care", "permanence_adoption"),
    ("ofsted_in_care", "commissioning_sufficiency"),
    ("ofsted_care_leavers", "care_leavers"),
    ("ofsted_care_leavers", "youth"),
    ("ofsted_help_protection", "child_protection"),
    ("ofsted_help_protection", "front_door_mash"),
    ("ofsted_help_protection", "edge_of_care"),
    ("ofsted_help_protection", "vulnerable_children"),
    ("ofsted_leaders", "practice_leadership"),
    ("ofsted_leaders", "leadership_governance"),
    ("ofsted_leaders", "quality_assurance"),
    ("ofsted_leaders", "workforce_recruitment"),
    ("ofsted_overall", "leadership_governance"),
    ("ofsted_overall", "ofsted_leaders"),
    ("disabled_children", "send"),
    ("schools_communities", "send"),
    ("vulnerable_children", "child_protection"),
    ("vulnerable_children", "children_in_care"),
    ("vulnerable_children", "edge_of_care"),
    ("youth", "care_leavers"),
    ("youth", "edge_of_care"),
    ("parents_carers_families", "edge_of_care"),
    ("parents_carers_families", "early_years"),
    ("children_in_care", "permanence_adoption"),
    ("children_in_care", "care_leavers"),
    ("children_in_care", "edge_of_care"),
    ("children_in_care", "commissioning_sufficiency"),
    ("child_protection", "front_door_mash"),
    ("child_protection", "edge_of_care"),
    ("practice_leadership", "quality_assurance"),
    ("practice_leadership", "workforce_recruitment"),
    ("leadership_governance", "performance_data"),
    ("quality_assurance", "performance_data"),
)
RELATED = frozenset(RELATED_PAIRS) | frozenset((b, a) for a, b in RELATED_PAIRS)
GROUP_OF = {key: name for name, areas in GROUPS for key, _ in areas}

SAME, CLOSE, GROUP, NONE = 3, 2, 1, 0
# What each part adds to an offer's place in the order. The area dominates; the indicators come next;
# load only reorders offers that are otherwise alike: a day given costs a twentieth of a point, at most
# 1.5 (30 days), less than the smallest indicator's part, so that load never outweighs a strength.
AREA_POINTS = {SAME: 30.0, CLOSE: 20.0, GROUP: 10.0}
SHARED_POINTS = 4.0
TOP_QUARTILE_POINTS = 3.0
IMPROVING_POINTS = 2.0
LOAD_POINTS_PER_DAY = 0.05
MAX_LOAD_POINTS = 1.5


def area_fit(asked: str, offered: str) -> int:
    """SAME, CLOSE (a related area), GROUP (the same group of the taxonomy only) or NONE."""
    if asked == offered:
        return SAME
    if (asked, offered) in RELATED:
        return CLOSE
    if GROUP_OF.get(asked) is not None and GROUP_OF.get(asked) == GROUP_OF.get(offered):
        return GROUP
    return NONE


@dataclass(frozen=True)
class AskFacts:
    id: int
    authority_id: int
    region_id: int | None
    area: str
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class OfferFacts:
    id: int
    authority_id: int
    authority_name: str
    region_id: int | None
    area: str
    indicators: tuple[str, ...] = ()
    # The offering council's strength on indicators: {slug: (top quartile, improving)}
    strengths: dict = field(default_factory=dict, hash=False, compare=False)
    days_given: int = 0  # agreed support days this year (April to March), cancelled ones not counted


@dataclass(frozen=True)
class Match:
    offer_id: int
    same_region: bool
    score: float
    reasons: tuple[str, ...]


def _names(slugs, names: dict[str, str]) -> str:
    shown = [names.get(slug, slug) for slug in slugs]
    return "; ".join(shown)


def _parts(ask: AskFacts, offer: OfferFacts):
    """(area fit, shared, top quartile, improving indicators) of a fitting pair, or None."""
    if offer.authority_id == ask.authority_id:
        return None
    fit = area_fit(ask.area, offer.area)
    if fit == NONE:
        return None
    offered = offer.indicators
    strengths = offer.strengths
    shared = [slug for slug in ask.indicators if slug in offered]
    top = [slug for slug in ask.indicators if strengths.get(slug, (False, False))[0]]
    improving = [slug for slug in ask.indicators if strengths.get(slug, (False, False))[1]]
    return fit, shared, top, improving


def _score(offer: OfferFacts, fit: int, shared, top, improving) -> float:
    score = AREA_POINTS[fit] + SHARED_POINTS * len(shared)
    score += TOP_QUARTILE_POINTS * len(top) + IMPROVING_POINTS * len(improving)
    score -= min(max(offer.days_given, 0) * LOAD_POINTS_PER_DAY, MAX_LOAD_POINTS)
    return round(score, 6)


def _reasons(ask, offer, fit, shared, top, improving, names) -> tuple[str, ...]:
    offered_label = LABELS.get(offer.area, offer.area)
    reasons = [
        {
            SAME: f"The same area: {offered_label}",
            CLOSE: f"A closely related area: {offered_label}",
            GROUP: f"A broadly related area ({GROUP_OF[offer.area].lower()}): {offered_label}",
        }[fit]
    ]
    if shared:
        plural = "s" if len(shared) != 1 else ""
        reasons.append(f"Both name {len(shared)} indicator{plural}: {_names(shared, names)}")
    if top:
        reasons.append(f"{offer.authority_name} is in England's top quartile for {_names(top, names)}")
    if improving:
        reasons.append(f"{offer.authority_name} is improving on {_names(improving, names)}")
    reasons.append("In the same region" if _same_region(ask, offer) else "In another region")
    days = max(offer.days_given, 0)
    if days:
        plural = "s" if days != 1 else ""
        reasons.append(f"{offer.authority_name} already gives {days} agreed day{plural} of support this year")
    else:
        reasons.append(f"{offer.authority_name} gives no agreed support days yet this year")
    return tuple(reasons)


def _same_region(ask: AskFacts, offer: OfferFacts) -> bool:
    return ask.region_id is not None and ask.region_id == offer.region_id


def match(ask: AskFacts, offer: OfferFacts, names: dict[str, str] | None = None) -> Match | None:
    """How well one offer fits one ask, with the reasons in plain words; None when it does not fit."""
    parts = _parts(ask, offer)
    if parts is None:
        return None
    return Match(
        offer_id=offer.id,
        same_region=_same_region(ask, offer),
        score=_score(offer, *parts),
        reasons=_reasons(ask, offer, *parts, names or {}),
    )


def best_matches(
    ask: AskFacts, offers, *, limit: int = 3, names: dict[str, str] | None = None
) -> tuple[list[Match], list[Match]]:
    """The best `limit` offers in the ask's region, then the best `limit` in the rest of England.

    Ties go to the council giving fewer days, then to the older offer (lower id), so the order is stable.
    Scores every offer, and words the reasons only for those shown."""
    ranked = {True: [], False: []}
    for offer in offers:
        parts = _parts(ask, offer)
        if parts is not None:
            key = (-_score(offer, *parts), offer.days_given, offer.id)
            ranked[_same_region(ask, offer)].append((key, offer, parts))
    chosen = {where: heapq.nsmallest(limit, found, key=lambda row: row[0]) for where, found in ranked.items()}
    names = names or {}
    regional, national = (
        [
            Match(offer.id, where, -key[0], _reasons(ask, offer, *parts, names))
            for key, offer, parts in chosen[where]
        ]
        for where in (True, False)
    )
    return regional, national
