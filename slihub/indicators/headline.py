"""The headline set: about forty indicators an analyst reads first, arranged by the outcomes and
enablers of DfE's children's social care national framework (classification.FrameworkArea).

A reviewed table, not a data file, beside the theme classification (classification.py): review
changes to it like code. Each row names an indicator by its slug in the bank; a data test
(tests/data/test_headline_set.py) checks against the real files that every slug exists and has
authorities' figures. LAIT's series are preferred where LAIT and DfE's tidy files publish the same
statistic, because LAIT's run back further; DfE's series (stand_in) is shown where LAIT's is not
loaded. The reason says in a few words what the indicator tells about the outcome.

The set opens the authority profile; the regional alliances' data pack can read it the same way
(HEADLINE, or areas() for the rows grouped by outcome).
"""

from __future__ import annotations

from dataclasses import dataclass

from slihub.indicators.classification import FrameworkArea

A = FrameworkArea


@dataclass(frozen=True)
class Headline:
    area: FrameworkArea
    slug: str
    reason: str
    stand_in: str = ""  # DfE's tidy-file series of the same statistic, shown where LAIT's is not loaded

    @property
    def slugs(self) -> tuple[str, ...]:
        return (self.slug, self.stand_in) if self.stand_in else (self.slug,)


HEADLINE: tuple[Headline, ...] = (
    # Families stay together and get the help they need
    Headline(A.STAY_TOGETHER, "cin", "children in need, rate per 10,000"),
    Headline(A.STAY_TOGETHER, "cpp-total-rateper10-000", "referrals to children's social care, rate"),
    Headline(
        A.STAY_TOGETHER,
        "rereferral",
        "re-referrals within 12 months: help that did not last",
        "dfe-rereferral-percent",
    ),
    Headline(A.STAY_TOGETHER, "cin-refferals-nfa", "referrals closed with no further action"),
    Headline(A.STAY_TOGETHER, "continue-assess-comp", "assessments completed within 45 working days"),
    Headline(
        A.STAY_TOGETHER,
        "lac-start-rate",
        "children starting to be looked after, rate",
        "dfe-cla-starting-rate",
    ),
    Headline(A.STAY_TOGETHER, "cinpermabsent-3term", "children in need who are persistently absent"),
    Headline(A.STAY_TOGETHER, "cin-avg-attain8-ks4", "children in need's Attainment 8 at key stage 4"),
    # Supported by their family network
    Headline(A.FAMILY_NETWORK, "lac-ceased-sgo-pct", "leaving care through a special guardianship order"),
    Headline(A.FAMILY_NETWORK, "lac-ceased-cao-pct", "leaving care through a child arrangements order"),
    Headline(A.FAMILY_NETWORK, "lac-parents-or-others", "children looked after placed with parents"),
    Headline(A.FAMILY_NETWORK, "lac-rethome-careplan-pct", "returned home as part of the care plan"),
    # Safe in and outside their homes
    Headline(A.SAFE, "cpp-rate", "child protection plans, rate per 10,000"),
    Headline(A.SAFE, "section-47", "section 47 enquiries, rate per 10,000"),
    Headline(A.SAFE, "cp-conf-15days", "initial conferences within 15 working days"),
    Headline(
        A.SAFE, "prevregcpr", "second or subsequent child protection plans", "dfe-cpp-subsequent-percent"
    ),
    Headline(A.SAFE, "cpplans2yrs", "plans lasting two years or more"),
    Headline(A.SAFE, "children-missing", "children looked after who went missing"),
    Headline(A.SAFE, "firstyjs", "first-time entrants to the youth justice system"),
    # Children in care and care leavers have stable, loving homes
    Headline(A.STABLE_HOMES, "lac", "children looked after, rate per 10,000", "dfe-cla-rate-31-march"),
    Headline(
        A.STABLE_HOMES,
        "lacstable-2016on",
        "three or more placements in the year",
        "dfe-cla-3-placements-year",
    ),
    Headline(
        A.STABLE_HOMES, "lac-longstable-pct", "long-term placement stability", "dfe-cla-long-term-stability"
    ),
    Headline(A.STABLE_HOMES, "lacdistance", "placed more than 20 miles from home"),
    Headline(A.STABLE_HOMES, "lac-foster-placements", "children looked after in foster care"),
    Headline(A.STABLE_HOMES, "stability-school", "mid-year school moves"),
    Headline(A.STABLE_HOMES, "lachealth-pct", "annual health checks"),
    Headline(A.STABLE_HOMES, "emotional-lac", "emotional and behavioural health (SDQ score)"),
    Headline(
        A.STABLE_HOMES,
        "lac-ks4-avg-attain8",
        "Attainment 8 of children looked after",
        "dfe-ks4-attainment8-cla",
    ),
    Headline(
        A.STABLE_HOMES,
        "careleaveracc",
        "care leavers in suitable accommodation",
        "dfe-care-leavers-suitable-19-21",
    ),
    Headline(
        A.STABLE_HOMES,
        "careleavereet",
        "care leavers in education, employment or training",
        "dfe-care-leavers-eet-19-21",
    ),
    Headline(A.STABLE_HOMES, "stayingput", "care leavers staying put with former foster carers"),
    # The workforce is equipped and effective
    Headline(A.WORKFORCE, "work-force-to-rate", "social worker turnover", "dfe-sw-turnover-rate"),
    Headline(A.WORKFORCE, "work-force-agecy-rate", "agency social workers", "dfe-sw-agency-rate"),
    Headline(A.WORKFORCE, "work-force-vac-rate", "social worker vacancies", "dfe-sw-vacancy-rate"),
    Headline(A.WORKFORCE, "work-force-avgnumcase-sw", "caseload per social worker", "dfe-sw-caseload"),
    Headline(A.WORKFORCE, "stability-socialworker", "children with three or more social workers in a year"),
    # Leaders drive conditions for effective practice
    Headline(A.LEADERS, "familysupportfinance", "spending on family support services"),
    Headline(A.LEADERS, "safeguardingfinance", "spending on safeguarding children"),
    Headline(A.LEADERS, "lacfinance", "weekly unit cost of a child looked after"),
)

SLUGS: tuple[str, ...] = tuple(h.slug for h in HEADLINE)
STAND_INS: tuple[str, ...] = tuple(h.stand_in for h in HEADLINE if h.stand_in)


def areas() -> list[tuple[FrameworkArea, list[Headline]]]:
    """The set grouped by outcome or enabler, in the framework's order."""
    return [(area, [h for h in HEADLINE if h.area == area]) for area in FrameworkArea]
