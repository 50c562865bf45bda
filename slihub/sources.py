"""The public files SLI Hub reads, where each comes from, and the attribution its licence asks for.

One list serves the loader (to say what is missing and where to get it), the
README and the data sources page.
"""

from dataclasses import dataclass

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
ONS_OS = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2023."
)
ONS = "Source: Office for National Statistics licensed under the Open Government Licence v3.0."
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True)
class Source:
    filename: str
    title: str
    publisher: str
    page: str  # the publisher's page for the underlying data
    origin: str  # where this exact file was taken from
    attribution: str


REFERENCE_SOURCES = (
    Source(
        filename="derived_la_reference.csv",
        title="The 153 local authorities with children's services responsibilities: codes, names, type, "
        "region and Ofsted region",
        publisher="Department for Education; Ofsted",
        page="https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
        origin="Built from DfE's children in need release, LAIT's area list and Ofsted's "
        "inspection outcomes (see PROVENANCE.md in the shared data folder)",
        attribution=OGL,
    ),
    Source(
        filename="derived_statistical_neighbours_long.csv",
        title="Children's services statistical neighbours, DfE models of April 2021 and May 2025",
        publisher="Department for Education",
        page="https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
        origin="Long form of sn_april_2021.xlsx and sn_may_2025.xlsx in "
        "dfe-analytical-services/local-authority-interactive-tool",
        attribution=OGL,
    ),
    Source(
        filename="derived_ctyua_may2023_england_buc_wgs84.geojson",
        title="Counties and Unitary Authorities (May 2023) boundaries, England, ultra generalised",
        publisher="Office for National Statistics",
        page="https://geoportal.statistics.gov.uk/",
        origin="CTYUA_MAY_2023_UK_BUC shapefile (dfe-analytical-services/attendance-data-dashboard), "
        "English features reprojected to WGS84",
        attribution=ONS_OS,
    ),
)


EES = "https://explore-education-statistics.service.gov.uk/find-statistics/"
LAIT_REPO = "dfe-analytical-services/local-authority-interactive-tool, 01_data/02_prod/"
LAIT_PAGE = "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"
CSC_DASHBOARD = "dfe-analytical-services/CSC_outcomes_and_enablers (data-raw/)"
OUTCOMES = "outcomes-for-children-in-need-including-children-looked-after"


def _dfe(filename: str, title: str, release: str) -> Source:
    return Source(
        filename=filename,
        title=title,
        publisher="Department for Education",
        page=EES + release,
        origin=CSC_DASHBOARD,
        attribution=OGL,
    )


INDICATOR_SOURCES = (
    Source(
        filename="lait_lait_data_dictionary.csv",
        title="LAIT's data dictionary: each indicator's definition, polarity, decimal places and source",
        publisher="Department for Education",
        page=LAIT_PAGE,
        origin=LAIT_REPO + "lait_data_dictionary.csv",
        attribution=OGL,
    ),
    Source(
        filename="lait_bds_long_0.parquet",
        title="LAIT's indicator bank: 434 indicators for every authority, region and England, 2016 to 2025",
        publisher="Department for Education",
        page=LAIT_PAGE,
        origin=LAIT_REPO + "bds_long_0.parquet",
        attribution=OGL,
    ),
    _dfe(
        "dfecsc_cla_number_and_rate_per_10k_children.csv",
        "Children looked after: number and rate per 10,000 children",
        "children-looked-after-in-england-including-adoptions",
    ),
    _dfe(
        "dfecsc_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        "Children in need: referrals and re-referrals within 12 months",
        "characteristics-of-children-in-need",
    ),
    _dfe(
        "dfecsc_d3_cpps_subsequent_plan_2013_to_2025.csv",
        "Child protection plans starting, of which second or subsequent plans",
        "characteristics-of-children-in-need",
    ),
    _dfe(
        "dfecsc_b1_children_in_need_2013_to_2025.csv",
        "Children in need at any point, starting, ending and at 31 March",
        "characteristics-of-children-in-need",
    ),
    _dfe(
        "dfecsc_csww_indicators_2017_to_2025.csv",
        "Children's social work workforce: FTE, agency, turnover, vacancies, caseloads and absence",
        "children-s-social-work-workforce",
    ),
    _dfe(
        "dfecsc_ks2_la.csv",
        "Key stage 2 attainment of children in need, on a child protection plan and looked after",
        OUTCOMES,
    ),
    _dfe(
        "dfecsc_ks4_la.csv",
        "Key stage 4 attainment and progress of children in need, on a child protection plan and "
        "looked after",
        OUTCOMES,
    ),
    _dfe(
        "dfecsc_absence_la.csv",
        "School absence of children in need, on a child protection plan and looked after",
        OUTCOMES,
    ),
    _dfe(
        "dfecsc_la_care_leavers_accommodation_suitability.csv",
        "Care leavers aged 17 to 21: suitability of their accommodation",
        "children-looked-after-in-england-including-adoptions",
    ),
    _dfe(
        "dfecsc_la_care_leavers_activity.csv",
        "Care leavers aged 17 to 21: education, employment or training",
        "children-looked-after-in-england-including-adoptions",
    ),
    _dfe(
        "dfecsc_la_cla_placement_stability.csv",
        "Placement stability of children looked after",
        "children-looked-after-in-england-including-adoptions",
    ),
    Source(
        filename="dfecsc_ons_mid-year_population_estimates_2012_to_2024.csv",
        title="Mid-year population estimates of children aged 0 to 17, 2012 to 2024",
        publisher="Office for National Statistics",
        page="https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates",
        origin=CSC_DASHBOARD,
        attribution=ONS,
    ),
)


def by_filename(filename: str) -> Source | None:
    return next((s for s in (*REFERENCE_SOURCES, *INDICATOR_SOURCES) if s.filename == filename), None)


def missing_files_help(sources=REFERENCE_SOURCES) -> str:
    """What to fetch, one file a line, for a user assembling the data folder by hand."""
    return "\n".join(f"  {s.filename}: {s.title}. Publisher: {s.publisher}, {s.page}" for s in sources)
