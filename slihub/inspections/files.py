"""The three public files the inspection history comes from, official first."""

from slihub.sources import OGL, Source

HISTORY = Source(
    filename="derived_ofsted_ilacs_inspection_history_2018_to_2025-03.csv",
    title="Ofsted's ILACS inspection history, January 2018 to March 2025: type, dates and the five judgments",
    publisher="Ofsted",
    page="https://www.gov.uk/government/organisations/ofsted/about/statistics",
    origin="Sheet ILACS_inspection_history of LA_Inspection_Outcomes_as_at_31_March_2025.ods "
    "(dfe-analytical-services/CSC_outcomes_and_enablers) as CSV",
    attribution=OGL,
)
IN_YEAR = Source(
    filename="derived_ofsted_ilacs_inyear_2024-04_to_2025-03.csv",
    title="Ofsted's inspections and visits of April 2024 to March 2025, focused and monitoring visits too",
    publisher="Ofsted",
    page=HISTORY.page,
    origin="Sheet In-year_inspections of LA_Inspection_Outcomes_as_at_31_March_2025.ods "
    "(dfe-analytical-services/CSC_outcomes_and_enablers) as CSV",
    attribution=OGL,
)
SCRAPE = Source(
    filename="derived_d2i_ilacs_inspections_union_from_git_history.csv",
    title="Data to Insight's scrape of Ofsted's ILACS reports, all versions since August 2023 (not official)",
    publisher="Data to Insight, from Ofsted's reports",
    page="https://github.com/data-to-insight/ofsted-ilacs-scrape-tool",
    origin="Union of every committed version of ofsted_csc_ilacs_overview.xlsx in "
    "data-to-insight/ofsted-ilacs-scrape-tool, one row per inspection",
    attribution=OGL,
)

# In order of precedence: where files disagree about an inspection, the first that holds it wins.
INSPECTION_SOURCES = (HISTORY, IN_YEAR, SCRAPE)
OFFICIAL_FILES = frozenset({HISTORY.filename, IN_YEAR.filename})
# Every other file an inspection comes from is a release of Ofsted's statistics that a user loaded with
# `slihub import-inspections`: official too.
SHARED_FILES = frozenset(source.filename for source in INSPECTION_SOURCES)
UNOFFICIAL_FILES = frozenset({SCRAPE.filename})
