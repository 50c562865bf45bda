"""Declarative mappings for DfE's EES 'tidy' files: which columns of which rows become which indicators.

A mapping names the rows it takes (`filters`: column -> required value; rows that differ are
skipped, but the columns must exist) and, for each indicator, the value column and its metadata.
Next year's release of a file loads with the same mapping:
`slihub import-indicators FILE --mapping NAME`. No Django here: plain data.

Polarity is reviewed here, measure by measure, and `why` says the reason (it is shown on the
indicator's page). The rules: a count grows with the authority's size, so it has no polarity;
a rate of children in contact with social care (in need, on a plan, looked after) has none
either, because a high rate may be unmet need met late or a low threshold and a low one may be
good early help or need not found: DfE's LAIT sets none for these. A measure of what happens to
children (attainment, absence, stability, repeat plans, care leavers' outcomes) or of the
workforce's health has the direction DfE and LAIT give it. Classification (theme and Every Child
Matters outcome) follows classification.py's reasoning for the matching LAIT topics, except that
care leavers' accommodation and activity are 'achieve economic well-being' (decent homes;
education, employment or training), and outcomes of children in need are 'enjoy and achieve'.
"""

from dataclasses import dataclass, field

CLA_PUBLISHER = "DfE, Children looked after in England including adoption"
CIN_PUBLISHER = "DfE, Characteristics of children in need"
CSWW_PUBLISHER = "DfE, Children's social work workforce"
OUTCOMES_PUBLISHER = "DfE, Outcomes for children in need, including children looked after"
ONS_PUBLISHER = "ONS, Mid-year population estimates (via DfE's children's social care dashboard)"
STABILITY_PUBLISHER = "DfE, Stability measures for children looked after in England"

EES = "https://explore-education-statistics.service.gov.uk/find-statistics/"


@dataclass(frozen=True)
class Measure:
    code: str  # the indicator's code, unique across the bank: 'dfe:...'
    column: str  # the tidy file's value column
    name: str
    unit: str
    polarity: str  # high, low or none
    decimal_places: int | None
    theme: str
    outcome: str
    why: str  # the reason for the polarity, in a sentence
    filters: dict[str, str] = field(default_factory=dict)  # extra row filters for this measure only
    # A count column: the value stored is `column` as a percentage of it (the file gives counts only).
    # A marker in either cell is stored as the value's marker; a zero count as 'z' (not applicable).
    denominator: str = ""
    # (lowest, highest) possible value, None for no limit; None for the limits of the unit (below).
    # Only refuses (it never changes what is stored), so it is left out of the mapping's signature.
    bounds: tuple[float | None, float | None] | None = field(default=None, repr=False, compare=False)

    @property
    def limits(self) -> tuple[float | None, float | None]:
        """The values this measure can possibly take: a value outside them is refused on import."""
        return self.bounds if self.bounds is not None else unit_limits(self.unit)


def unit_limits(unit: str) -> tuple[float | None, float | None]:
    """What a unit allows: a percentage 0 to 100, a rate per 10,000 0 to 10,000, a number, FTE or
    caseload 0 or more; any other unit (an average score, say) no limit unless the measure sets one."""
    if unit.startswith("%"):
        return (0, 100)
    if unit == "Rate per 10,000":
        return (0, 10_000)
    if unit in ("Number", "Number of children", "FTE", "Cases"):
        return (0, None)
    return (None, None)


@dataclass(frozen=True)
class Mapping:
    name: str
    filename: str  # the file's name in the data folder
    topic: str  # a short heading, as LAIT's topics ('Children Looked After')
    description: str
    publisher: str
    year_type: str  # as LAIT writes year types; downloads.tidy_period turns it into EES's time_identifier
    measures: tuple[Measure, ...]
    filters: dict[str, str] = field(default_factory=dict)
    link: str = ""

    @property
    def columns(self) -> list[str]:
        names = [*self.filters, *(m.column for m in self.measures)]
        names += [c for m in self.measures for c in m.filters]
        names += [m.denominator for m in self.measures if m.denominator]
        return list(dict.fromkeys(names))

    def signature(self) -> str:
        """Changes when the mapping changes, so a reload with an edited mapping is not skipped."""
        return repr(self)


VC, YOUTH, UNCLASSIFIED = "vulnerable_children", "youth", "unclassified"
STAY_SAFE, ENJOY, ECONOMIC = "stay_safe", "enjoy_achieve", "economic_wellbeing"
CLA_31_MARCH = "Children looked after on 31 March each year"

# Why, for the measures that share a reason.
COUNT = "A count grows with the size of the authority: neither higher nor lower is better."
CONTACT_RATE = (
    "Neither: a high rate may mean need met late or a low threshold, a low one good early help or "
    "need not found. DfE's LAIT sets no polarity for these rates."
)
ATTAINMENT = "Higher is better: more pupils reaching the standard (DfE's LAIT: higher is better)."
ABSENCE = "Lower is better: fewer school sessions missed (DfE's LAIT: lower is better)."

# The social care groups of the outcomes release (KS2, KS4, absence), as DfE defines them.
GROUPS = (
    ("cla", "CLA 12 months at 31 March", "children looked after for at least 12 months at 31 March"),
    (
        "cino",
        "CINO at 31 March",
        "children in need at 31 March, excluding those on a child protection plan or looked after",
    ),
    (
        "cppo",
        "CPPO at 31 March",
        "children on a child protection plan at 31 March, excluding those looked after",
    ),
)


def by_group(code: str, column: str, name: str, **metadata) -> tuple[Measure, ...]:
    """One measure per social care group of the outcomes release: '{group}' in name is replaced."""
    return tuple(
        Measure(
            f"{code}_{key}",
            column,
            name.format(group=words),
            filters={"social_care_group": group},
            **metadata,
        )
        for key, group, words in GROUPS
    )


CARE_LEAVER_AGES = (
    ("17_18", "17 to 18 years", "aged 17 to 18"),
    ("19_21", "19 to 21 years", "aged 19 to 21"),
)


def by_age(code: str, breakdown: str, name: str, **metadata) -> tuple[Measure, ...]:
    """One measure per care leavers' age band: '{age}' in name is replaced."""
    return tuple(
        Measure(
            f"{code}_{key}",
            "care_leaver_percent",
            name.format(age=words),
            filters={"care_leaver_age": age, "breakdown": breakdown},
            **metadata,
        )
        for key, age, words in CARE_LEAVER_AGES
    )


FACTORS = "Factors identified at the end of assessment"
FACTOR_EPISODES = "Episodes_with_assessment_factor"


def factor_share(code: str, column: str, what: str, found: str) -> Measure:
    """A factor identified at the end of assessment as a share of the episodes with factors recorded:
    `what` names the factor in the indicator's name, `found` in the reason for its polarity."""
    return Measure(
        code,
        column,
        f"Assessments identifying {what}, % of episodes with factors recorded",
        "% of episodes with factors",
        "none",
        1,
        VC,
        STAY_SAFE,
        f"Neither: a high share may mean more {found} among the families assessed, or that social "
        f"workers recognise and record it well; a low one less of it, or that it goes unrecognised. "
        f"A measure of need, not of performance (DfE publishes no direction for it).",
        denominator=FACTOR_EPISODES,
    )


MAPPINGS: dict[str, Mapping] = {
    m.name: m
    for m in [
        Mapping(
            name="cla_rate",
            filename="dfecsc_cla_number_and_rate_per_10k_children.csv",
            topic="Children Looked After",
            description="Children looked after at 31 March, starting and ceasing: number and rate per 10,000",
            publisher=CLA_PUBLISHER,
            year_type="Annual (31 March)",
            link=EES + "children-looked-after-in-england-including-adoptions",
            measures=(
                Measure(
                    "dfe:cla_rate_31_march",
                    "rate_per_10000",
                    "Children looked after at 31 March, rate per 10,000 children under 18",
                    "Rate per 10,000",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    CONTACT_RATE,
                    filters={"population_type": CLA_31_MARCH},
                ),
                Measure(
                    "dfe:cla_count_31_march",
                    "children_count",
                    "Children looked after at 31 March, number",
                    "Number",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    COUNT,
                    filters={"population_type": CLA_31_MARCH},
                ),
                Measure(
                    "dfe:cla_starting_rate",
                    "rate_per_10000",
                    "Children starting to be looked after during the year, rate per 10,000 children under 18",
                    "Rate per 10,000",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    CONTACT_RATE,
                    filters={"population_type": "Children starting to be looked after each year"},
                ),
            ),
        ),
        Mapping(
            name="cin_referrals",
            filename="dfecsc_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
            topic="Children in Need",
            description="Referrals to children's social care and re-referrals within 12 months",
            publisher=CIN_PUBLISHER,
            year_type="Annual (year to 31 March)",
            link=EES + "characteristics-of-children-in-need",
            filters={"category": "Referrals and Re-referrals"},
            measures=(
                Measure(
                    "dfe:referrals",
                    "referral_count",
                    "Referrals, number",
                    "Number",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    COUNT,
                ),
                Measure(
                    "dfe:rereferral_percent",
                    "rereferral_percent",
                    "Re-referrals within 12 months of a previous referral, %",
                    "% of referrals",
                    "low",
                    1,
                    VC,
                    STAY_SAFE,
                    "Lower is better: a child referred again within a year suggests the first response "
                    "did not meet the need (DfE's LAIT: lower is better).",
                ),
                Measure(
                    "dfe:referral_nfa_percent",
                    "no_further_action_percent",
                    "Referrals with no further action, %",
                    "% of referrals",
                    "none",
                    1,
                    VC,
                    STAY_SAFE,
                    "Neither: a high share may mean referrals that social care did not need to see, or a "
                    "high threshold; a low one the reverse (DfE's LAIT sets no polarity).",
                ),
            ),
        ),
        Mapping(
            name="cpp_subsequent",
            filename="dfecsc_d3_cpps_subsequent_plan_2013_to_2025.csv",
            topic="Child Protection",
            description="Child protection plans starting that were a second or subsequent plan",
            publisher=CIN_PUBLISHER,
            year_type="Annual (year to 31 March)",
            link=EES + "characteristics-of-children-in-need",
            filters={"category": "Child Protection Plans which are a second or subsequent plan"},
            measures=(
                Measure(
                    "dfe:cpp_starts",
                    "CPP_start",
                    "Child protection plans starting, number",
                    "Number",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    COUNT,
                ),
                Measure(
                    "dfe:cpp_subsequent_percent",
                    "CPP_subsequent_percent",
                    "Child protection plans starting that were a second or subsequent plan, %",
                    "% of plans",
                    "low",
                    1,
                    VC,
                    STAY_SAFE,
                    "Lower is better: a repeat plan suggests an earlier plan ended before the child was "
                    "safe for good (DfE's LAIT: lower is better).",
                ),
            ),
        ),
        Mapping(
            name="cin_31_march",
            filename="dfecsc_b1_children_in_need_2013_to_2025.csv",
            topic="Children in Need",
            description="Children in need: episodes at any point, started, ended and at 31 March",
            publisher=CIN_PUBLISHER,
            year_type="Annual (year to 31 March)",
            link=EES + "characteristics-of-children-in-need",
            filters={"category": "Children in Need"},
            measures=(
                Measure(
                    "dfe:cin_31_march",
                    "At31_episodes",
                    "Children in need at 31 March, number",
                    "Number",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    COUNT,
                ),
                Measure(
                    "dfe:cin_started",
                    "Started_episodes",
                    "Children in need episodes starting, number",
                    "Number",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    COUNT,
                ),
                Measure(
                    "dfe:cin_any_point",
                    "Anypoint_child",
                    "Children in need at any point in the year, number",
                    "Number",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    COUNT,
                ),
            ),
        ),
        Mapping(
            name="csww",
            filename="dfecsc_csww_indicators_2017_to_2025.csv",
            topic="Children's Services Workforce",
            description="Children's social work workforce at 30 September (a joint return counts for both)",
            publisher=CSWW_PUBLISHER,
            year_type="Annual (end of September)",
            link=EES + "children-s-social-work-workforce",
            measures=(
                Measure(
                    "dfe:sw_fte",
                    "inpost_fte",
                    "Children and family social workers in post, FTE",
                    "FTE",
                    "none",
                    1,
                    VC,
                    UNCLASSIFIED,
                    COUNT,
                ),
                Measure(
                    "dfe:sw_turnover_rate",
                    "turnover_rate_fte",
                    "Social worker turnover rate, FTE %",
                    "%",
                    "low",
                    1,
                    VC,
                    UNCLASSIFIED,
                    "Lower is better: children keep their social worker (DfE's LAIT: lower is better).",
                    # Leavers in the year over social workers in post on one day: a small team can lose
                    # more than it holds, so no upper limit.
                    bounds=(0, None),
                ),
                Measure(
                    "dfe:sw_agency_rate",
                    "agency_rate_fte",
                    "Agency social worker rate, FTE %",
                    "%",
                    "low",
                    1,
                    VC,
                    UNCLASSIFIED,
                    "Lower is better: agency staff cost more and stay for less time (DfE's LAIT: lower is "
                    "better).",
                ),
                Measure(
                    "dfe:sw_vacancy_rate",
                    "vacancy_rate_fte",
                    "Social worker vacancy rate, FTE %",
                    "%",
                    "low",
                    1,
                    VC,
                    UNCLASSIFIED,
                    "Lower is better: fewer posts unfilled (DfE's LAIT: lower is better).",
                ),
                Measure(
                    "dfe:sw_caseload",
                    "caseload_fte",
                    "Average caseload per case-holding social worker, FTE",
                    "Cases",
                    "low",
                    1,
                    VC,
                    UNCLASSIFIED,
                    "Lower is better: social workers have more time for each child (DfE's LAIT: lower is "
                    "better).",
                ),
                Measure(
                    "dfe:sw_absence_rate",
                    "absence_rate_fte",
                    "Social worker sickness absence rate, %",
                    "%",
                    "low",
                    1,
                    VC,
                    UNCLASSIFIED,
                    "Lower is better: fewer working days lost to sickness (DfE's LAIT: lower is better).",
                ),
            ),
        ),
        # The outcomes release has one version of each year (the latest, 'Final' or 'Revised'); a
        # release holding two versions of a year is refused as duplicate rows, so add a 'version'
        # filter if DfE ever publishes both.
        Mapping(
            name="ks2",
            filename="dfecsc_ks2_la.csv",
            topic="Outcomes of Children in Need and Looked After",
            description="Key stage 2 attainment of children in need and children looked after "
            "(no assessments in 2019/20 and 2020/21)",
            publisher=OUTCOMES_PUBLISHER,
            year_type="Academic Year",
            link=EES + "outcomes-for-children-in-need-including-children-looked-after",
            measures=by_group(
                "dfe:ks2_rwm",
                "pt_rwm_met_expected_standard",
                "Key stage 2, expected standard in reading, writing and maths: {group}, %",
                unit="% of eligible pupils",
                polarity="high",
                decimal_places=0,
                theme=VC,
                outcome=ENJOY,
                why=ATTAINMENT,
            ),
        ),
        Mapping(
            name="ks4",
            filename="dfecsc_ks4_la.csv",
            topic="Outcomes of Children in Need and Looked After",
            description="Key stage 4 attainment and progress of children in need and children looked after "
            "(2019/20 and 2020/21 grades were centre or teacher assessed; no Progress 8 for those years "
            "or 2024/25)",
            publisher=OUTCOMES_PUBLISHER,
            year_type="Academic Year",
            link=EES + "outcomes-for-children-in-need-including-children-looked-after",
            measures=(
                *by_group(
                    "dfe:ks4_attainment8",
                    "avg_att8",
                    "Key stage 4, average Attainment 8 score: {group}",
                    unit="Average score",
                    bounds=(0, 90),  # eight subjects graded 9 to 1, English and maths counted twice
                    polarity="high",
                    decimal_places=1,
                    theme=VC,
                    outcome=ENJOY,
                    why=ATTAINMENT,
                ),
                *by_group(
                    "dfe:ks4_english_maths_4",
                    "pt_l2basics_94",
                    "Key stage 4, grade 4 or above in English and maths: {group}, %",
                    unit="% of pupils",
                    polarity="high",
                    decimal_places=1,
                    theme=VC,
                    outcome=ENJOY,
                    why=ATTAINMENT,
                ),
                *by_group(
                    "dfe:ks4_progress8",
                    "avg_p8score",
                    "Key stage 4, average Progress 8 score: {group}",
                    unit="Average score",
                    bounds=(None, None),  # below zero is below the national average: no limit
                    polarity="high",
                    decimal_places=2,
                    theme=VC,
                    outcome=ENJOY,
                    why="Higher is better: more progress than pupils with the same starting point nationally "
                    "(0 is the national average of all pupils; DfE's LAIT: higher is better).",
                ),
            ),
        ),
        Mapping(
            name="absence",
            filename="dfecsc_absence_la.csv",
            topic="Outcomes of Children in Need and Looked After",
            description="School absence of children in need and children looked after, all school types, "
            "full year (six half terms)",
            publisher=OUTCOMES_PUBLISHER,
            year_type="Academic Year",
            link=EES + "outcomes-for-children-in-need-including-children-looked-after",
            filters={"absence_terms": "six half terms", "phase_type_grouping": "Total"},
            measures=(
                *by_group(
                    "dfe:absence_overall",
                    "pt_overall",
                    "Overall absence: {group}, % of sessions",
                    unit="% of sessions",
                    polarity="low",
                    decimal_places=1,
                    theme=VC,
                    outcome=ENJOY,
                    why=ABSENCE,
                ),
                *by_group(
                    "dfe:absence_persistent",
                    "pt_pupils_pa_10_exact",
                    "Persistent absence (10% of sessions or more): {group}, % of pupils",
                    unit="% of pupils",
                    polarity="low",
                    decimal_places=1,
                    theme=VC,
                    outcome=ENJOY,
                    why=ABSENCE,
                ),
                *by_group(
                    "dfe:absence_severe",
                    "pt_pupils_pa_50_exact",
                    "Severe absence (50% of sessions or more): {group}, % of pupils",
                    unit="% of pupils",
                    polarity="low",
                    decimal_places=1,
                    theme=VC,
                    outcome=ENJOY,
                    why=ABSENCE,
                ),
            ),
        ),
        Mapping(
            name="care_leavers_accommodation",
            filename="dfecsc_la_care_leavers_accommodation_suitability.csv",
            topic="Care Leavers",
            description="Care leavers in touch with the authority, by whether their accommodation is "
            "considered suitable, around their birthday in the year to 31 March",
            publisher=CLA_PUBLISHER,
            year_type="Annual (year to 31 March)",
            link=EES + "children-looked-after-in-england-including-adoptions",
            measures=by_age(
                "dfe:care_leavers_suitable",
                "Accommodation considered suitable",
                "Care leavers {age} in suitable accommodation, %",
                unit="% of care leavers",
                polarity="high",
                decimal_places=0,
                theme=VC,
                outcome=ECONOMIC,
                why="Higher is better: a care leaver has a safe, decent home (DfE's LAIT: higher is better).",
            ),
        ),
        Mapping(
            name="care_leavers_activity",
            filename="dfecsc_la_care_leavers_activity.csv",
            topic="Care Leavers",
            description="Care leavers' main activity around their birthday in the year to 31 March: "
            "education, employment or training, or not",
            publisher=CLA_PUBLISHER,
            year_type="Annual (year to 31 March)",
            link=EES + "children-looked-after-in-england-including-adoptions",
            measures=(
                *by_age(
                    "dfe:care_leavers_eet",
                    "Total in education, employment or training",
                    "Care leavers {age} in education, employment or training, %",
                    unit="% of care leavers",
                    polarity="high",
                    decimal_places=0,
                    theme=VC,
                    outcome=ECONOMIC,
                    why="Higher is better (DfE's LAIT: higher is better).",
                ),
                *by_age(
                    "dfe:care_leavers_neet",
                    "Total not in education, employment or training",
                    "Care leavers {age} not in education, employment or training, %",
                    unit="% of care leavers",
                    polarity="low",
                    decimal_places=0,
                    theme=VC,
                    outcome=ECONOMIC,
                    why="Lower is better, although it counts young people who are ill, disabled, pregnant "
                    "or parents too (DfE's LAIT: lower is better).",
                ),
                *by_age(
                    "dfe:care_leavers_not_known",
                    "Total information not known",
                    "Care leavers {age} whose activity is not known, %",
                    unit="% of care leavers",
                    polarity="low",
                    decimal_places=0,
                    theme=VC,
                    outcome=ECONOMIC,
                    why="Lower is better: the authority has a duty to stay in touch with its care leavers "
                    "(DfE's LAIT: 'not in touch' is lower is better).",
                ),
                Measure(
                    "dfe:care_leavers_higher_education_19_21",
                    "care_leaver_percent",
                    "Care leavers aged 19 to 21 in higher education, %",
                    "% of care leavers",
                    "high",
                    0,
                    VC,
                    ECONOMIC,
                    "Higher is better (DfE's LAIT: higher is better).",
                    filters={
                        "care_leaver_age": "19 to 21 years",
                        "breakdown": "Higher education i.e. studies beyond A level",
                    },
                ),
            ),
        ),
        Mapping(
            name="placement_stability",
            filename="dfecsc_la_cla_placement_stability.csv",
            topic="Children Looked After",
            description="Placement stability of children looked after at 31 March: short-term moves and "
            "long-term stability",
            publisher=CLA_PUBLISHER,
            year_type="Annual (31 March)",
            link=EES + "children-looked-after-in-england-including-adoptions",
            measures=(
                Measure(
                    "dfe:cla_3_placements_year",
                    "children_percent",
                    "Children looked after at 31 March with 3 or more placements during the year, %",
                    "% of children looked after",
                    "low",
                    0,
                    VC,
                    STAY_SAFE,
                    "Lower is better: each move breaks a child's relationships and schooling (DfE's LAIT: "
                    "lower is better).",
                    filters={
                        "cla_group": "CLA on 31 March",
                        "placement_stability": "With 3 or more placements during the year",
                    },
                ),
                Measure(
                    "dfe:cla_3_placements_2_years",
                    "children_percent",
                    "Children looked after for 2 years at 31 March with 3 or more placements in those 2 "
                    "years, %",
                    "% of children looked after",
                    "low",
                    0,
                    VC,
                    STAY_SAFE,
                    "Lower is better: each move breaks a child's relationships and schooling.",
                    filters={
                        "cla_group": "CLA 2 years on 31 March",
                        "placement_stability": "With 3 or more placements during the previous 2 years",
                    },
                ),
                Measure(
                    "dfe:cla_long_term_stability",
                    "children_percent",
                    "Children under 16 looked after for 2.5 years or more living with the same carer for at "
                    "least 2 years, %",
                    "% of children looked after",
                    "high",
                    0,
                    VC,
                    STAY_SAFE,
                    "Higher is better: a lasting home with the same carer (DfE's LAIT: higher is better).",
                    filters={
                        "cla_group": "Children looked after continuously for at least 2.5 years on 31 March "
                        "aged under 16 years",
                        "placement_stability": "Living with the same carer for at least 2 years",
                    },
                ),
            ),
        ),
        Mapping(
            name="population",
            filename="dfecsc_ons_mid-year_population_estimates_2012_to_2024.csv",
            topic="Contextual\\Other",
            description="ONS mid-year population estimates of children aged 0 to 17 (30 June): the "
            "denominator of DfE's rates per 10,000 children",
            publisher=ONS_PUBLISHER,
            year_type="Annual (mid-year, 30 June)",
            link="https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
            "populationestimates",
            filters={"age_group": "Children aged 0 to 17 years"},
            measures=(
                Measure(
                    "dfe:population_0_17",
                    "population_estimate",
                    "Children aged 0 to 17, mid-year population estimate",
                    "Number of children",
                    "none",
                    0,
                    UNCLASSIFIED,
                    UNCLASSIFIED,
                    "Context, not performance: " + COUNT,
                ),
            ),
        ),
        Mapping(
            name="assessment_factors",
            filename="dfecsc_c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
            topic="Children in Need",
            description="Factors identified at the end of assessment in the year to 31 March (an episode may "
            "have several). The file gives counts: each share is the hub's calculation, the episodes with "
            "the factor over the episodes with any factor recorded",
            publisher=CIN_PUBLISHER,
            year_type="Annual (year to 31 March)",
            link=EES + "characteristics-of-children-in-need",
            filters={"category": FACTORS},
            measures=(
                Measure(
                    "dfe:assessment_factor_episodes",
                    FACTOR_EPISODES,
                    "Episodes with factors identified at the end of assessment, number",
                    "Number",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    COUNT,
                ),
                # Chosen before any backtest for what Ofsted looks at in help and protection: the
                # response to domestic abuse, to parents' mental ill health and to neglect (also the
                # themes of its joint targeted area inspections). Domestic abuse of a parent or carer is
                # the commonest of the three domestic abuse factors; the three are not added, since an
                # episode may carry two of them.
                factor_share(
                    "dfe:factor_domestic_abuse_parent_percent",
                    "Domestic_Abuse_parent",
                    "domestic abuse of a parent or carer",
                    "domestic abuse",
                ),
                factor_share(
                    "dfe:factor_mental_health_parent_percent",
                    "Mental_Health_parent",
                    "a parent's or carer's mental health",
                    "parental mental ill health",
                ),
                factor_share("dfe:factor_neglect_percent", "Neglect", "neglect", "neglect"),
            ),
        ),
        Mapping(
            name="school_moves",
            filename="dfecsc_la_cla_school_moves.csv",
            topic="Children Looked After",
            description="School stability of children looked after at 31 March: school moves during the year "
            "to 31 March, from the looked after return matched to the school census (no figures for 2020). "
            "A mid-year move is one outside 1 August to 30 September",
            publisher=STABILITY_PUBLISHER,
            year_type="Annual (31 March)",
            link=EES + "stability-measures-for-children-looked-after-in-england",
            filters={"cla_group": "CLA on 31 March"},
            measures=(
                Measure(
                    "dfe:cla_school_midyear_move",
                    "percentage",
                    "Children looked after at 31 March with a mid-year school move during the year, %",
                    "% of children looked after",
                    "low",
                    0,
                    VC,
                    STAY_SAFE,
                    "Lower is better: a move in the middle of a school year breaks a child's learning and "
                    "friendships (DfE's LAIT: lower is better).",
                    filters={
                        "move_measure": "Mid-year moves",
                        "school_stability": "With one or more mid-year moves during the year",
                    },
                ),
                Measure(
                    "dfe:cla_school_move_any",
                    "percentage",
                    "Children looked after at 31 March with any school move during the year, %",
                    "% of children looked after",
                    "none",
                    0,
                    VC,
                    STAY_SAFE,
                    "Neither: it counts the usual moves from primary to secondary school and at the start of "
                    "a school year with the rest; the mid-year moves are the ones that disrupt.",
                    filters={
                        "move_measure": "Any moves",
                        "school_stability": "With one or more moves during the year",
                    },
                ),
            ),
        ),
    ]
}
