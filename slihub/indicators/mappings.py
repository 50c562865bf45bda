"""Declarative mappings for DfE's EES 'tidy' files: which columns of which rows become which indicators.

A mapping names the rows it takes (`filters`: column -> required value; rows that differ are
skipped, but the columns must exist) and, for each indicator, the value column and its metadata.
Next year's release of a file loads with the same mapping:
`slihub import-indicators FILE --mapping NAME`. No Django here: plain data.
"""

from dataclasses import dataclass, field

CLA_PUBLISHER = "DfE, Children looked after in England including adoption"
CIN_PUBLISHER = "DfE, Characteristics of children in need"
CSWW_PUBLISHER = "DfE, Children's social work workforce"


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
    filters: dict[str, str] = field(default_factory=dict)  # extra row filters for this measure only


@dataclass(frozen=True)
class Mapping:
    name: str
    filename: str  # the file's name in the data folder
    description: str
    publisher: str
    year_type: str
    measures: tuple[Measure, ...]
    filters: dict[str, str] = field(default_factory=dict)
    link: str = ""

    @property
    def columns(self) -> list[str]:
        names = [*self.filters, *(m.column for m in self.measures)]
        names += [c for m in self.measures for c in m.filters]
        return list(dict.fromkeys(names))

    def signature(self) -> str:
        """Changes when the mapping changes, so a reload with an edited mapping is not skipped."""
        return repr(self)


VC, STAY_SAFE = "vulnerable_children", "stay_safe"
CLA_31_MARCH = "Children looked after on 31 March each year"

MAPPINGS: dict[str, Mapping] = {
    m.name: m
    for m in [
        Mapping(
            name="cla_rate",
            filename="dfecsc_cla_number_and_rate_per_10k_children.csv",
            description="Children looked after at 31 March, starting and ceasing: number and rate per 10,000",
            publisher=CLA_PUBLISHER,
            year_type="Annual (31 March)",
            link="https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
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
                    filters={"population_type": "Children starting to be looked after each year"},
                ),
            ),
        ),
        Mapping(
            name="cin_referrals",
            filename="dfecsc_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
            description="Referrals to children's social care and re-referrals within 12 months",
            publisher=CIN_PUBLISHER,
            year_type="Annual (year to 31 March)",
            filters={"category": "Referrals and Re-referrals"},
            measures=(
                Measure(
                    "dfe:referrals", "referral_count", "Referrals, number", "Number", "none", 0, VC, STAY_SAFE
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
                ),
            ),
        ),
        Mapping(
            name="cpp_subsequent",
            filename="dfecsc_d3_cpps_subsequent_plan_2013_to_2025.csv",
            description="Child protection plans starting that were a second or subsequent plan",
            publisher=CIN_PUBLISHER,
            year_type="Annual (year to 31 March)",
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
                ),
            ),
        ),
        Mapping(
            name="cin_31_march",
            filename="dfecsc_b1_children_in_need_2013_to_2025.csv",
            description="Children in need: episodes at any point, started, ended and at 31 March",
            publisher=CIN_PUBLISHER,
            year_type="Annual (year to 31 March)",
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
                ),
            ),
        ),
        Mapping(
            name="csww",
            filename="dfecsc_csww_indicators_2017_to_2025.csv",
            description="Children's social work workforce at 30 September (a joint return counts for both)",
            publisher=CSWW_PUBLISHER,
            year_type="Annual (end of September)",
            measures=(
                Measure(
                    "dfe:sw_fte",
                    "inpost_fte",
                    "Children and family social workers in post, FTE",
                    "FTE",
                    "none",
                    1,
                    VC,
                    "unclassified",
                ),
                Measure(
                    "dfe:sw_turnover_rate",
                    "turnover_rate_fte",
                    "Social worker turnover rate, FTE %",
                    "%",
                    "low",
                    1,
                    VC,
                    "unclassified",
                ),
                Measure(
                    "dfe:sw_agency_rate",
                    "agency_rate_fte",
                    "Agency social worker rate, FTE %",
                    "%",
                    "low",
                    1,
                    VC,
                    "unclassified",
                ),
                Measure(
                    "dfe:sw_vacancy_rate",
                    "vacancy_rate_fte",
                    "Social worker vacancy rate, FTE %",
                    "%",
                    "low",
                    1,
                    VC,
                    "unclassified",
                ),
                Measure(
                    "dfe:sw_caseload",
                    "caseload_fte",
                    "Average caseload per case-holding social worker, FTE",
                    "Cases",
                    "low",
                    1,
                    VC,
                    "unclassified",
                ),
                Measure(
                    "dfe:sw_absence_rate",
                    "absence_rate_fte",
                    "Social worker sickness absence rate, %",
                    "%",
                    "low",
                    1,
                    VC,
                    "unclassified",
                ),
            ),
        ),
    ]
}
