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


def missing_files_help(sources=REFERENCE_SOURCES) -> str:
    """What to fetch, one file a line, for a user assembling the data folder by hand."""
    return "\n".join(f"  {s.filename}: {s.title}. Publisher: {s.publisher}, {s.page}" for s in sources)
