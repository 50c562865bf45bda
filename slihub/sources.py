"""The public files SLI Hub reads, where each comes from, and the attribution its licence asks for;
and the one CSV reader every loader uses.

One list serves the loader (to say what is missing and where to get it), the
README and the data sources page. `csv_rows` reads a CSV file for every importer (reference
data, inspections, indicators) and names the physical line each record starts on, so an error
points at the line a person finds with `sed -n 408p FILE` or `grep -n`, even when earlier
records hold line breaks inside quoted cells.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class DataFileError(Exception):
    """A file that cannot be loaded, with where the problem is."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.message = Path(path), line, column, message
        where = "".join(
            [f", line {line}" if line is not None else "", f", column {column}" if column is not None else ""]
        )
        super().__init__(f"{self.path.name}{where}: {message}")


def plain_digits(text: str) -> bool:
    """Only the digits 0 to 9 (str.isdigit() also passes superscripts, which int() refuses)."""
    return text.isascii() and text.isdigit()


def not_utf8(path: Path, error: UnicodeDecodeError) -> DataFileError:
    """The error placed by line and column in the file: a text reader's own position is only
    within the chunk it was decoding."""
    data = Path(path).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as whole:
        error = whole
    start = error.start
    line_start = data.rfind(b"\n", 0, start) + 1
    return DataFileError(
        path,
        f"not UTF-8 text ({error.reason})",
        line=data.count(b"\n", 0, start) + 1,
        column=start - line_start + 1,
    )


class LineCounter:
    """The file's lines as csv reads them, counting line feeds as they go by.

    csv's own `line_num` is the line a record ends on, and it counts a lone carriage return as a
    line: neither is the line a person finds. A record starts one line after the line feeds read
    before it: `lines = LineCounter(handle)`, `reader = csv.reader(lines)`, and before each record
    `start = lines.line_feeds + 1`."""

    def __init__(self, handle):
        self.handle = handle
        self.line_feeds = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        text = next(self.handle)
        self.line_feeds += text.count("\n")
        return text


def _plain(error: csv.Error) -> str:
    text = str(error)
    if text == "unexpected end of data":
        return "a quoted cell that starts in this record is never closed (unterminated quote)"
    if text.startswith("',' expected after '\"'"):
        return 'a quote inside a quoted cell must be doubled (""), or the cell quoted whole'
    if text.startswith("field larger than field limit"):
        return f"a cell longer than {csv.field_size_limit():,} characters"
    return f"malformed CSV: {text}"


def csv_rows(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str], list[str]]]:
    """(line number, row, header) for each data row; the header must hold `required`.

    The line is the physical line the record starts on (counting line feeds, as grep -n and sed
    do). Blank rows are skipped. A broken quote, a row with the wrong number of cells, a NUL
    character or bytes that are not UTF-8 raise DataFileError naming that line."""
    path = Path(path)
    start = 1  # the line the record being read starts on
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            lines = LineCounter(handle)
            reader = csv.reader(lines, strict=True)
            header = next(reader, None)
            if header is None:
                raise DataFileError(path, "the file is empty", line=1)
            _refuse_nul(path, header, 1)
            missing = [name for name in required if name not in header]
            if missing:
                raise DataFileError(
                    path, f"missing column{'' if len(missing) == 1 else 's'} {', '.join(missing)}", line=1
                )
            start = lines.line_feeds + 1
            for row in reader:
                line, start = start, lines.line_feeds + 1
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise DataFileError(path, f"expected {len(header)} cells, found {len(row)}", line=line)
                _refuse_nul(path, row, line)
                yield line, dict(zip(header, row, strict=True)), header
    except UnicodeDecodeError as error:
        raise not_utf8(path, error) from None
    except csv.Error as error:
        raise DataFileError(path, _plain(error), line=start) from None


def _refuse_nul(path: Path, cells: list[str], line: int) -> None:
    # PostgreSQL cannot store a NUL, and none belongs in a published table: a NUL means a damaged
    # or binary file.
    for number, cell in enumerate(cells, 1):
        if "\x00" in cell:
            raise DataFileError(path, "a NUL character (a damaged or binary file?)", line=line, column=number)


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
    _dfe(
        "dfecsc_c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
        "Children in need: factors identified at the end of assessment",
        "characteristics-of-children-in-need",
    ),
    _dfe(
        "dfecsc_la_cla_school_moves.csv",
        "School stability of children looked after: school moves and mid-year school moves",
        "stability-measures-for-children-looked-after-in-england",
    ),
    Source(
        filename="bengoodair_imd19.csv",
        title="English indices of deprivation 2019: upper-tier local authority summaries (2019 boundaries)",
        publisher="Ministry of Housing, Communities and Local Government",
        page="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        origin="BenGoodair/childrens_social_care_data, Raw_Data/LA_level/Economic_Political_Contextual/"
        "imd19.csv (MHCLG's upper-tier summaries)",
        attribution=OGL,
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
