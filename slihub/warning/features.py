"""The candidate signals of a poor next inspection, and each authority's values of them on a date.

Only what was public on the date is used: an indicator's figure from its collection's
publication rule (lags.py), an inspection from its report's publication date, a change of
director from the day it happened. Everything here works on the in-memory Panel (panel.py), so
scoring all authorities for every month since 2019 takes well under a second.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from slihub.evidence.models import PROBLEM_LABELS
from slihub.indicators.series import PAIRS
from slihub.warning.lags import (
    CIN_CENSUS,
    CLA_RETURN,
    CLA_SCHOOL_STABILITY,
    DEPRIVATION,
    EXPENDITURE,
    SCHOOL_CENSUS,
    WORKFORCE,
    Collection,
    neighbour_model_on,
)

GAP, CHANGE, LEVEL = "gap", "change", "level"


@dataclass(frozen=True)
class Signal:
    """One indicator as a risk signal."""

    code: str  # the LAIT indicator code
    name: str  # plain words, lower case after the first letter
    collection: Collection
    measures: tuple[str, ...]  # GAP to neighbours, CHANGE against England's change, LEVEL
    ratio: bool  # rates compare as ratios (% above neighbours), percentages as points
    unit: str  # how a value is written: "%", " per 10,000", " cases"
    expertise: tuple[str, ...]  # exchange expertise keys that address it
    judgment: str  # the Ofsted judgment (inspections.models.JUDGMENT_FIELDS) it bears on
    decimals: int = 1
    prefix: str = ""  # written before a value: "£"
    # the problem it points to (slihub.evidence.models.PROBLEMS), for "what works": none for deprivation
    # and spending, which no practice addresses as such
    problem: str = ""


S = Signal
# Derived in the panel: LAIT's gross spend on children's and young people's services (C&YPExpenditure)
# for the financial year to March Y, over DfE's ONS child population (dfe:population_0_17) at mid-year Y-1.
SPEND_PER_CHILD = "SpendPerChild"
SPEND, POPULATION = "C&YPExpenditure", "dfe:population_0_17"
# A reviewed table: (LAIT code, name, collection, measures, ratio, unit, exchange expertise, Ofsted judgment,
# the evidence library's problem).
# fmt: off
SIGNALS = (
    S("CIN", "Children in need rate", CIN_CENSUS, (GAP, CHANGE), True, " per 10,000",
      ("front_door_mash", "vulnerable_children"), "help_and_protection", problem="front_door"),
    S("CPP_rate", "Child protection plan rate", CIN_CENSUS, (GAP, CHANGE), True, " per 10,000",
      ("child_protection",), "help_and_protection", problem="child_protection"),
    S("ReReferral", "Re-referrals within 12 months", CIN_CENSUS, (GAP,), False, "%",
      ("front_door_mash",), "help_and_protection", problem="front_door"),
    S("PrevRegCPR", "Second or later child protection plans", CIN_CENSUS, (GAP,), False, "%",
      ("child_protection",), "help_and_protection", problem="child_protection"),
    S("Section_47", "Section 47 enquiries rate", CIN_CENSUS, (GAP,), True, " per 10,000",
      ("child_protection", "front_door_mash"), "help_and_protection", problem="child_protection"),
    S("Continue_Assess_Comp", "Assessments completed within 45 working days", CIN_CENSUS, (GAP, CHANGE),
      False, "%", ("front_door_mash", "practice_leadership"), "help_and_protection", problem="front_door"),
    S("RevCP", "Child protection plans reviewed on time", CIN_CENSUS, (GAP,), False, "%",
      ("child_protection", "quality_assurance"), "help_and_protection", problem="child_protection"),
    S("LAC", "Children looked after rate", CLA_RETURN, (GAP, CHANGE), True, " per 10,000",
      ("children_in_care", "edge_of_care"), "children_in_care", problem="children_in_care"),
    S("LACStable_2016on", "Children in care with three or more placements in the year", CLA_RETURN, (GAP,),
      False, "%", ("children_in_care", "commissioning_sufficiency"), "children_in_care",
      problem="children_in_care"),
    S("CareLeaverAcc", "Care leavers in suitable accommodation", CLA_RETURN, (GAP,), False, "%",
      ("care_leavers",), "care_leavers", problem="care_leavers"),
    S("CareLeaverEET", "Care leavers in education, employment or training", CLA_RETURN, (GAP,), False, "%",
      ("care_leavers",), "care_leavers", problem="care_leavers"),
    S("Work_Force_Agecy_Rate", "Agency social workers", WORKFORCE, (LEVEL,), False, "%",
      ("workforce_recruitment",), "impact_of_leaders", problem="workforce"),
    S("Work_Force_TO_Rate", "Social worker turnover", WORKFORCE, (LEVEL,), False, "%",
      ("workforce_recruitment",), "impact_of_leaders", problem="workforce"),
    S("Work_Force_Vac_Rate", "Social worker vacancies", WORKFORCE, (LEVEL,), False, "%",
      ("workforce_recruitment",), "impact_of_leaders", problem="workforce"),
    S("Work_Force_AvgNumCase_SW", "Average caseload per social worker", WORKFORCE, (LEVEL,), False, " cases",
      ("workforce_recruitment", "practice_leadership"), "impact_of_leaders", problem="workforce"),
    S("Work_Force_SWAbsence", "Social worker sickness absence", WORKFORCE, (LEVEL,), False, "%",
      ("workforce_recruitment",), "impact_of_leaders", problem="workforce"),
    S("Ever6_FSM_Prim", "Primary pupils eligible for free school meals in the last six years (deprivation)",
      SCHOOL_CENSUS, (LEVEL,), False, "%", (), ""),
    # Added for issue 16, chosen before any backtest was run or read, for what Ofsted inspects. The factors
    # found at the end of assessment (DfE's counts, as shares of the episodes with factors: mappings.py):
    # how a council recognises domestic abuse, parents' mental ill health and neglect, as against
    # neighbours whose families are alike. Need and recording, not performance: no direction.
    S("dfe:factor_domestic_abuse_parent_percent",
      "Assessments identifying domestic abuse of a parent or carer", CIN_CENSUS, (GAP,), False, "%",
      ("child_protection", "parents_carers_families"), "help_and_protection", problem="child_protection"),
    S("dfe:factor_mental_health_parent_percent",
      "Assessments identifying a parent's or carer's mental health", CIN_CENSUS, (GAP,), False, "%",
      ("parents_carers_families", "vulnerable_children"), "help_and_protection", problem="parents"),
    S("dfe:factor_neglect_percent", "Assessments identifying neglect", CIN_CENSUS, (GAP,), False, "%",
      ("child_protection", "parents_carers_families"), "help_and_protection", problem="child_protection"),
    # Children in care with a mid-year school move (LAIT's Stability_School is the same figure from 2021,
    # but its 2018 and 2019 cells are one placeholder for every area: DfE's series is read).
    S("dfe:cla_school_midyear_move", "Children in care with a mid-year school move", CLA_SCHOOL_STABILITY,
      (GAP,), False, "%", ("children_in_care", "schools_communities"), "children_in_care",
      problem="children_in_care"),
    # Deprivation as a level beside Ever6 (which updates yearly): one edition, no England figure published.
    S("mhclg:imd2019_average_score", "Index of multiple deprivation 2019, average score (deprivation)",
      DEPRIVATION, (LEVEL,), False, "", (), "", decimals=1),
    S(SPEND_PER_CHILD, "Spending on children's and young people's services per child", EXPENDITURE,
      (GAP, CHANGE), True, " per child", ("commissioning_sufficiency", "leadership_governance"),
      "impact_of_leaders", decimals=0, prefix="£"),
)
# fmt: on
SIGNAL_BY_CODE = {s.code: s for s in SIGNALS}
# The same statistic in DfE's tidy files (slihub import-indicators), equal to LAIT's on every cell the
# two share: the pairs of the hub's one table (slihub.indicators.series.PAIRS) whose LAIT series is a
# signal. LAIT's figure is read first; DfE's fills a year LAIT does not hold yet, so next year's
# release counts as soon as it is imported.
DFE_EQUIVALENTS = {lait: dfe for lait, dfe in PAIRS.items() if lait in SIGNAL_BY_CODE}
SIGNAL_CODES = (*SIGNAL_BY_CODE, *DFE_EQUIVALENTS.values())
# The evidence library's problem of each indicator that is a signal (LAIT's code or DfE's equal): the
# alliances' priorities ask "what works" by it. An indicator that is no signal has none here.
PROBLEM_BY_CODE = {
    **{s.code: s.problem for s in SIGNALS if s.problem},
    **{
        dfe: SIGNAL_BY_CODE[lait].problem
        for lait, dfe in DFE_EQUIVALENTS.items()
        if SIGNAL_BY_CODE[lait].problem
    },
}
_unknown = sorted({p for p in PROBLEM_BY_CODE.values() if p not in PROBLEM_LABELS})
if _unknown:
    raise ValueError(f"unknown problem {_unknown[0]!r} in SIGNALS: use one of {', '.join(PROBLEM_LABELS)}")
# Which way is worse, for the signals with a direction (the publisher's polarity); rates of need and
# of intervention have none: high or low against neighbours may each point to a problem.
HIGHER_IS_WORSE = {
    "ReReferral",
    "PrevRegCPR",
    "LACStable_2016on",
    "dfe:cla_school_midyear_move",
    "Work_Force_Agecy_Rate",
    "Work_Force_TO_Rate",
    "Work_Force_Vac_Rate",
    "Work_Force_AvgNumCase_SW",
    "Work_Force_SWAbsence",
}
LOWER_IS_WORSE = {"Continue_Assess_Comp", "RevCP", "CareLeaverAcc", "CareLeaverEET"}

# Features from Ofsted's record and the hub's own record of directors.
HISTORY_FEATURES = {
    "prev_inadequate": "Last judged Inadequate overall",
    "prev_requires_improvement": "Last judged Requires improvement to be good overall",
    "prev_outstanding": "Last judged Outstanding overall",
    "no_previous": "Not yet inspected under ILACS",
    "prev_weak_judgments": "Judgments below Good at the last inspection",
    "years_since_inspection": "Years since the last inspection",
    "monitoring_visit_12m": "A monitoring visit in the last 12 months",
    "focused_visit_12m": "A focused visit in the last 12 months",
    "director_change_12m": "A change of director in the last 12 months",
}


def feature_name(signal: Signal, measure: str) -> str:
    return f"{signal.code}:{measure}"


# Shown on the risk page but not learnt from: Ofsted's files hold monitoring and focused visits only from
# April 2024, and changes of director are only those a national admin typed in, so across the training
# years these would read "no" where the truth is unknown, and teach the model the gaps in the record.
RECORD_ONLY = ("monitoring_visit_12m", "focused_visit_12m", "director_change_12m")

FEATURES: tuple[str, ...] = (
    *(feature_name(s, m) for s in SIGNALS for m in s.measures),
    *(f for f in HISTORY_FEATURES if f not in RECORD_ONLY),
)

WEAK = ("Requires improvement to be good", "Inadequate")


@dataclass(frozen=True)
class Reading:
    """What one signal showed on a date: the figures behind a feature, for the explanation."""

    signal: Signal
    year: int  # the period label of the latest published figure
    value: float
    neighbours: float | None
    england: float | None
    previous: float | None  # the authority's figure for the year before
    england_previous: float | None


@dataclass(frozen=True)
class LastInspection:
    start_date: date
    published_on: date
    overall: str
    weak_judgments: int
    as_authority: str = ""  # a predecessor's name when the successor inherited it (Cumbria's, say)


@dataclass
class Snapshot:
    """An authority's features on a date, with the readings that explain them."""

    authority_id: int
    day: date
    values: dict[str, float] = field(default_factory=dict)  # feature name -> value (NaN if unknown)
    readings: dict[str, Reading] = field(default_factory=dict)  # signal code -> reading
    last_inspection: LastInspection | None = None

    def vector(self, names=FEATURES) -> list[float]:
        return [self.values.get(name, math.nan) for name in names]


def _latest(england: dict[int, float], collection: Collection, day: date) -> int | None:
    """The latest year the collection had published on `day` (England always has a figure)."""
    years = [year for year in england if collection.available_on(year) <= day]
    return max(years) if years else None


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _measure(signal: Signal, measure: str, r: Reading) -> float:
    def compare(a, b):
        if a is None or b is None or (signal.ratio and b == 0):
            return math.nan
        return 100 * (a / b - 1) if signal.ratio else a - b

    if measure == LEVEL:
        return r.value
    if measure == GAP:
        return compare(r.value, r.neighbours)
    own, england = compare(r.value, r.previous), compare(r.england, r.england_previous)
    return own - england  # NaN when either is unknown


def _latest_year(panel, signal: Signal, england: dict, own: dict, day: date) -> int | None:
    """_latest, computed once per signal and day for every authority (the panel never changes); an
    indicator without an England figure (the indices of deprivation) is dated by its own years."""
    if not england:
        return _latest(own, signal.collection, day)
    key = ("latest", signal.code, day)
    if key not in panel.cache:
        panel.cache[key] = _latest(england, signal.collection, day)
    return panel.cache[key]


def _neighbours_mean(panel, signal: Signal, model: str, authority_id: int, neighbours, year: int):
    """The neighbours' mean for a year, computed once for the months that read the same year."""
    key = ("neighbours", signal.code, model, authority_id, year)
    if key not in panel.cache:
        series = panel.values.get(signal.code, {})
        panel.cache[key] = _mean(series.get(n, {}).get(year) for n in neighbours)
    return panel.cache[key]


def snapshot(panel, authority_id: int, day: date) -> Snapshot:
    """The authority's features as the hub would have known them on `day`."""
    snap = Snapshot(authority_id, day)
    model = neighbour_model_on(day)
    neighbours = panel.neighbours.get(model, {}).get(authority_id, ())
    for signal in SIGNALS:
        series = panel.values.get(signal.code, {})
        own = series.get(authority_id, {})
        england = panel.england.get(signal.code, {})
        year = _latest_year(panel, signal, england, own, day)
        if year is None or year not in own:
            continue  # not published yet, or suppressed: unknown, never an older figure
        reading = Reading(
            signal,
            year,
            own[year],
            _neighbours_mean(panel, signal, model, authority_id, neighbours, year),
            england.get(year),
            own.get(year - 1),
            england.get(year - 1),
        )
        snap.readings[signal.code] = reading
        for measure in signal.measures:
            snap.values[feature_name(signal, measure)] = _measure(signal, measure, reading)
    snap.values.update(_history(panel, authority_id, day, snap))
    return snap


def _within_year(when: date, day: date) -> bool:
    return 0 <= (day - when).days <= 365


def _history(panel, authority_id: int, day: date, snap: Snapshot) -> dict[str, float]:
    graded = [i for i in panel.graded.get(authority_id, ()) if i.published_on < day]
    visits = [v for v in panel.visits.get(authority_id, ()) if v.published_on < day]
    changes = [c for c in panel.director_changes.get(authority_id, ()) if c <= day]
    features = {
        "monitoring_visit_12m": float(
            any(v.kind == "monitoring visit" and _within_year(v.published_on, day) for v in visits)
        ),
        "focused_visit_12m": float(
            any(v.kind == "focused visit" and _within_year(v.published_on, day) for v in visits)
        ),
        "director_change_12m": float(any(_within_year(c, day) for c in changes)),
    }
    if not graded:
        return features | {
            "no_previous": 1.0,
            "prev_inadequate": 0.0,
            "prev_requires_improvement": 0.0,
            "prev_outstanding": 0.0,
            "prev_weak_judgments": math.nan,
            "years_since_inspection": math.nan,
        }
    last = max(graded, key=lambda i: i.start_date)
    snap.last_inspection = last
    return features | {
        "no_previous": 0.0,
        "prev_inadequate": float(last.overall == "Inadequate"),
        "prev_requires_improvement": float(last.overall == "Requires improvement to be good"),
        "prev_outstanding": float(last.overall == "Outstanding"),
        "prev_weak_judgments": float(last.weak_judgments),
        "years_since_inspection": (day - last.start_date).days / 365.25,
    }


def against_comparator(feature: str, snap: "Snapshot") -> float:
    """How far an indicator feature's figure stands above its comparator (negative: below): its
    neighbours for a gap, England for a level, England's change for a change on the year. NaN where
    unknown, and for a history feature."""
    code, _, measure = feature.rpartition(":")  # a DfE code holds a colon itself
    if code not in snap.readings:
        return math.nan
    if measure == LEVEL:
        reading = snap.readings[code]
        return math.nan if reading.england is None else reading.value - reading.england
    return snap.values.get(feature, math.nan)


def is_worse(feature: str, snap: "Snapshot") -> bool | None:
    """Whether the figure behind an indicator feature is worse than its comparator (neighbours, England,
    or last year against England's change). None where that cannot be said: a signal without a direction
    (rates of need, spending, deprivation), a history feature, or a comparator not known."""
    code = feature.rpartition(":")[0]
    difference = against_comparator(feature, snap)
    if code not in HIGHER_IS_WORSE | LOWER_IS_WORSE or math.isnan(difference):
        return None
    return difference > 0 if code in HIGHER_IS_WORSE else difference < 0


def is_concern(feature: str, snap: "Snapshot", contribution: float) -> bool:
    """A concern: the feature raised the risk and its figure is worse than its comparator. A signal without
    a direction that raised the risk only raised it (a high rate of need is not a failing in itself), and
    one that lowered the risk is never a concern, whatever its figure."""
    return contribution > 0 and is_worse(feature, snap) is True
