"""Reading Ofsted's inspection files and Data to Insight's scrape: every cell checked before any write.

Parsers return plain records and raise DataFileError naming file, line and column, so a bad
file is refused whole before the database is touched. Grades come out in Ofsted's exact
wording whatever the file wrote; "" means no judgment.

A further release a user downloads (`read_release`) is either table as CSV, or Ofsted's
workbook (.ods) with both sheets; a sheet's rows are checked exactly as the CSV's are.
"""

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn
from xml.etree import ElementTree

from slihub.inspections.models import CARE_LEAVERS_JUDGED_FROM, Grade, InspectionKind
from slihub.places.importers import DataFileError, _rows

# Ofsted's column headings for the five judgments, in Ofsted's order (the same in both official files).
OFSTED_JUDGMENT_COLUMNS = (
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
)
SCRAPE_JUDGMENT_COLUMNS = (
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
)

OFSTED_KINDS = {label: value for value, label in InspectionKind.choices}
OFSTED_INSPECTION_KINDS = {"ILACS Standard Inspection", "ILACS Short Inspection"}

# Data to Insight writes Ofsted's grades in lower case and shortens "Requires improvement to be good".
SCRAPE_GRADES = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "inadequate": Grade.INADEQUATE,
    # An extraction slip of the scrape's ("...requires improvement to be good" cut short), seen once:
    # Southend-on-Sea's help and protection judgment of July 2019, which Ofsted records as RI.
    "to requires improvement": Grade.REQUIRES_IMPROVEMENT,
}
# The scrape's marker for a care leavers judgment on an inspection from before such judgments existed.
PRE_DATES_JUDGEMENT = "inspection_pre_dates_judgement"
SCRAPE_KINDS = {
    "standard": InspectionKind.STANDARD,
    "short": InspectionKind.SHORT,
    # Wiltshire's standard inspection of June 2019 ran over its fortnight; Ofsted records it as standard.
    "inspection duration longer than standard framework": InspectionKind.STANDARD,
}

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DFE_CODE = re.compile(r"^[0-9]{3}$")
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
REPORT_URL = re.compile(r"^https://[A-Za-z0-9.-]+\.gov\.uk/\S*$")


@dataclass(frozen=True)
class AuthorityCodes:
    """What the parsers need to know of the authorities already loaded."""

    by_ons: dict[str, str]  # ONS code (current or former) -> DfE code
    dfe: frozenset[str]
    former: frozenset[str]  # DfE codes of authorities that no longer exist


@dataclass(frozen=True)
class InspectionRecord:
    code: str  # DfE code of the authority inspected
    kind: str  # InspectionKind value
    start_date: date
    end_date: date | None
    published_on: date
    judgments: tuple[str, str, str, str, str]  # Ofsted's wording, in Ofsted's order; "" for none
    visit_theme: str
    report_url: str
    source: str  # file name
    line: int

    @property
    def overall(self) -> str:
        return self.judgments[0]


def parse_date(text: str) -> date:
    """An ISO date (2024-06-10) and nothing else; ValueError otherwise."""
    if not ISO_DATE.match(text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def ofsted_grade(text: str) -> str:
    """An official file's grade: Ofsted's exact wording, or "" for an empty cell; ValueError otherwise."""
    if text == "" or text in Grade.values:
        return text
    raise ValueError(f"{text!r} is not one of Ofsted's grades ({', '.join(Grade.values)})")


def scrape_grade(text: str) -> str:
    """A grade from the scrape in Ofsted's wording ("requires improvement" -> "Requires improvement to be
    good"), "" for an empty cell or the pre-2023 care leavers marker; ValueError otherwise."""
    if text in ("", PRE_DATES_JUDGEMENT):
        return ""
    if text in SCRAPE_GRADES:
        return SCRAPE_GRADES[text].value
    raise ValueError(f"{text!r} is not a grade the scrape writes ({', '.join(SCRAPE_GRADES)})")


class _Row:
    """Checks on one row, raising DataFileError at the offending cell (a CSV's line, or a sheet's row)."""

    def __init__(self, path: Path, line: int, row: dict[str, str], header: list[str], sheet: str = ""):
        self.path, self.line, self.row, self.header, self.sheet = path, line, row, header, sheet

    def fail(self, column: str, message: str) -> NoReturn:
        number = self.header.index(column) + 1
        if self.sheet:
            where = f"sheet {self.sheet}, row {self.line}, column {_column_letters(number)}"
            raise DataFileError(self.path, f"{where} ({column}): {message}")
        raise DataFileError(self.path, f"{column}: {message}", line=self.line, column=number)

    def check(self, ok: bool, column: str, message: str) -> None:
        if not ok:
            self.fail(column, message)

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.row[column].strip()
        self.check(value == self.row[column], column, f"{self.row[column]!r} has spaces around it")
        self.check(bool(value) or not required, column, "the cell is empty")
        return value

    def date(self, column: str) -> date:
        try:
            return parse_date(self.row[column])
        except ValueError as error:
            self.fail(column, str(error))

    def grade(self, column: str, parse) -> str:
        try:
            return parse(self.row[column])
        except ValueError as error:
            self.fail(column, str(error))


def _authority(check: _Row, column: str, codes: AuthorityCodes, *, ons: bool) -> str:
    value = check.text(column)
    if ons:
        check.check(value in codes.by_ons, column, f"{value!r} is not the ONS code of a known authority")
        return codes.by_ons[value]
    check.check(bool(DFE_CODE.match(value)), column, f"{value!r} is not a 3-digit DfE code")
    check.check(value in codes.dfe, column, f"{value!r} is not the DfE code of a known authority")
    return value


def _official_judgments(check: _Row, kind: str, start: date) -> tuple[str, str, str, str, str]:
    """The five judgments of an official row: all four from 2018 on an inspection, care leavers from 2023,
    none on a visit."""
    grades = tuple(check.grade(column, ofsted_grade) for column in OFSTED_JUDGMENT_COLUMNS)
    if kind not in OFSTED_INSPECTION_KINDS:
        for column, grade in zip(OFSTED_JUDGMENT_COLUMNS, grades, strict=True):
            check.check(grade == "", column, f"a {kind} is not graded, but the cell holds {grade!r}")
        return grades
    for column, grade in zip(OFSTED_JUDGMENT_COLUMNS[:4], grades[:4], strict=True):
        check.check(grade != "", column, f"an {kind} has this judgment, but the cell is empty")
    care_leavers = OFSTED_JUDGMENT_COLUMNS[4]
    if start < CARE_LEAVERS_JUDGED_FROM:
        check.check(
            grades[4] == "",
            care_leavers,
            f"Ofsted judged care leavers separately only from {CARE_LEAVERS_JUDGED_FROM:%d %B %Y}, "
            f"but this inspection of {start:%d %B %Y} has {grades[4]!r}",
        )
    else:
        check.check(grades[4] != "", care_leavers, "an inspection from 2023 on has this judgment")
    return grades


def _no_repeat(check: _Row, seen: dict, key: tuple, column: str, what: str) -> None:
    check.check(key not in seen, column, f"{what} is listed twice (first on line {seen.get(key)})")
    seen[key] = check.line


HISTORY_COLUMNS = [
    "Local authority area code",
    "Local authority name",
    "Local authority status",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    "Inspection type",
    *OFSTED_JUDGMENT_COLUMNS,
]
IN_YEAR_COLUMNS = [
    "Local authority area code",
    "Local authority name",
    "Region",
    "Inspection/Visit date",
    "Publication date",
    "Inspection/Visit type",
    *OFSTED_JUDGMENT_COLUMNS,
    "Visit Theme",
]
# The sheets of Ofsted's workbook "LA_Inspection_Outcomes_as_at_<date>.ods" that hold the two tables.
HISTORY_SHEET = "ILACS_inspection_history"
IN_YEAR_SHEET = "In-year_inspections"

Rows = Iterable[tuple[int, dict[str, str], list[str]]]


def read_official_history(
    path: Path, codes: AuthorityCodes, rows: Rows | None = None, sheet: str = ""
) -> list[InspectionRecord]:
    """Ofsted's ILACS inspection history (standard and short inspections), one record a row; from the CSV
    at `path`, or from `rows` of a workbook's `sheet`."""
    records: list[InspectionRecord] = []
    seen: dict[tuple, int] = {}
    for line, row, header in _rows(path, HISTORY_COLUMNS) if rows is None else rows:
        check = _Row(path, line, row, header, sheet)
        code = _authority(check, "Local authority area code", codes, ons=True)
        check.text("Local authority name")
        status = check.text("Local authority status")
        check.check(
            status in ("Current", "No longer exists"),
            "Local authority status",
            f"{status!r} is not 'Current' or 'No longer exists'",
        )
        check.check(
            (status == "No longer exists") == (code in codes.former),
            "Local authority status",
            f"{status!r}, but authority {code} is {'a former' if code in codes.former else 'a current'} one",
        )
        check.text("Ofsted region")
        kind = check.text("Inspection type")
        check.check(
            kind in OFSTED_INSPECTION_KINDS,
            "Inspection type",
            f"{kind!r} is not one of {', '.join(sorted(OFSTED_INSPECTION_KINDS))}",
        )
        start, published = check.date("Inspection date"), check.date("Publication date")
        check.check(published >= start, "Publication date", f"{published} is before the inspection ({start})")
        judgments = _official_judgments(check, kind, start)
        _no_repeat(check, seen, (code, start), "Inspection date", f"the inspection of {code} on {start}")
        records.append(
            InspectionRecord(
                code=code,
                kind=OFSTED_KINDS[kind],
                start_date=start,
                end_date=None,
                published_on=published,
                judgments=judgments,
                visit_theme="",
                report_url="",
                source=path.name,
                line=line,
            )
        )
    if not records:
        raise DataFileError(path, f"no inspections in {_what(sheet)}")
    return records


def read_official_in_year(
    path: Path, codes: AuthorityCodes, rows: Rows | None = None, sheet: str = ""
) -> list[InspectionRecord]:
    """Ofsted's inspections and visits of one year: inspections graded; focused and monitoring visits and
    joint targeted area inspections with their theme. From the CSV at `path`, or `rows` of a `sheet`."""
    records: list[InspectionRecord] = []
    seen: dict[tuple, int] = {}
    for line, row, header in _rows(path, IN_YEAR_COLUMNS) if rows is None else rows:
        check = _Row(path, line, row, header, sheet)
        code = _authority(check, "Local authority area code", codes, ons=True)
        check.text("Local authority name")
        check.text("Region")
        kind = check.text("Inspection/Visit type")
        check.check(
            kind in OFSTED_KINDS, "Inspection/Visit type", f"{kind!r} is not one of {', '.join(OFSTED_KINDS)}"
        )
        start, published = check.date("Inspection/Visit date"), check.date("Publication date")
        check.check(published >= start, "Publication date", f"{published} is before the visit ({start})")
        judgments = _official_judgments(check, kind, start)
        theme = check.text("Visit Theme", required=False)
        if kind in OFSTED_INSPECTION_KINDS:
            check.check(theme == "", "Visit Theme", f"an inspection has no theme; the cell holds {theme!r}")
        else:
            check.check(theme != "", "Visit Theme", f"a {kind} has a theme, but the cell is empty")
        _no_repeat(
            check, seen, (code, start, kind), "Inspection/Visit date", f"the {kind} of {code} on {start}"
        )
        records.append(
            InspectionRecord(
                code=code,
                kind=OFSTED_KINDS[kind],
                start_date=start,
                end_date=None,
                published_on=published,
                judgments=judgments,
                visit_theme=theme,
                report_url="",
                source=path.name,
                line=line,
            )
        )
    if not records:
        raise DataFileError(path, f"no inspections or visits in {_what(sheet)}")
    return records


def _what(sheet: str) -> str:
    return f"sheet {sheet}" if sheet else "the file"


def read_scrape(path: Path, codes: AuthorityCodes) -> list[InspectionRecord]:
    """Data to Insight's scrape of Ofsted's reports: standard and short inspections, grades in Ofsted's
    wording. Empty grades are kept empty (the scrape missed them), never guessed."""
    columns = [
        "la_code",
        "local_authority",
        "inspection_framework",
        "inspection_start_date",
        "inspection_end_date",
        "publication_date",
        *SCRAPE_JUDGMENT_COLUMNS,
        "inspection_link",
        "last_seen_in_commit",
        "last_seen_at",
        "first_seen_at",
    ]
    records: list[InspectionRecord] = []
    seen: dict[tuple, int] = {}
    for line, row, header in _rows(path, columns):
        check = _Row(path, line, row, header)
        code = _authority(check, "la_code", codes, ons=False)
        check.text("local_authority")
        framework = check.text("inspection_framework")
        check.check(
            framework in SCRAPE_KINDS,
            "inspection_framework",
            f"{framework!r} is not one of {', '.join(SCRAPE_KINDS)}",
        )
        start, end = check.date("inspection_start_date"), check.date("inspection_end_date")
        published = check.date("publication_date")
        check.check(end >= start, "inspection_end_date", f"{end} is before the start ({start})")
        check.check(published >= end, "publication_date", f"{published} is before the end ({end})")
        judgments = tuple(check.grade(column, scrape_grade) for column in SCRAPE_JUDGMENT_COLUMNS)
        pre_dates = row["care_leavers_grade"] == PRE_DATES_JUDGEMENT
        check.check(
            not pre_dates or start < CARE_LEAVERS_JUDGED_FROM,
            "care_leavers_grade",
            f"{PRE_DATES_JUDGEMENT!r}, but the inspection of {start} is after care leavers were first judged",
        )
        link = check.text("inspection_link", required=False)
        ok = link == "" or bool(REPORT_URL.match(link))
        check.check(ok, "inspection_link", f"{link!r} is not an https gov.uk link")
        commit = check.text("last_seen_in_commit")
        check.check(bool(COMMIT.match(commit)), "last_seen_in_commit", f"{commit!r} is not a commit hash")
        # When the union saw the row (not stored; their order follows the repository's history, not the
        # clock, so first_seen_at can come after last_seen_at).
        _timestamp(check, "first_seen_at"), _timestamp(check, "last_seen_at")
        what = f"the inspection of {code} on {start}"
        _no_repeat(check, seen, (code, start), "inspection_start_date", what)
        records.append(
            InspectionRecord(
                code=code,
                kind=SCRAPE_KINDS[framework].value,
                start_date=start,
                end_date=end,
                published_on=published,
                judgments=judgments,
                visit_theme="",
                report_url=link,
                source=path.name,
                line=line,
            )
        )
    if not records:
        raise DataFileError(path, "no inspections in the file")
    return records


def _timestamp(check: _Row, column: str) -> datetime:
    value = check.text(column)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        check.fail(column, f"{value!r} is not an ISO date and time")
    check.check(moment.tzinfo is not None, column, f"{value!r} has no time zone")
    return moment


# --------------------------------------------------------------------------------------------------
# A further release a user downloads: either table as CSV, or Ofsted's workbook with both


def read_release(path: Path, codes: AuthorityCodes) -> tuple[list[InspectionRecord], list[InspectionRecord]]:
    """(inspection history, in-year inspections and visits) from a file of Ofsted's "Local authority
    inspection outcomes" statistics: a CSV of either table (told apart by its columns), or the .ods
    workbook, read from whichever of the two sheets it holds. The part the file lacks is []."""
    path = Path(path)
    if path.suffix.lower() == ".ods":
        sheets = read_ods_sheets(path, {HISTORY_SHEET: HISTORY_COLUMNS, IN_YEAR_SHEET: IN_YEAR_COLUMNS})
        if not sheets:
            raise DataFileError(
                path, f"the workbook has neither a sheet {HISTORY_SHEET} nor a sheet {IN_YEAR_SHEET}"
            )
        history, in_year = sheets.get(HISTORY_SHEET), sheets.get(IN_YEAR_SHEET)
        return (
            [] if history is None else read_official_history(path, codes, history, HISTORY_SHEET),
            [] if in_year is None else read_official_in_year(path, codes, in_year, IN_YEAR_SHEET),
        )
    if path.suffix.lower() != ".csv":
        raise DataFileError(path, "not a .csv or .ods file (Ofsted's table as CSV, or its .ods workbook)")
    rows = _rows(path, [])
    try:
        first = next(rows, None)
    finally:
        rows.close()
    if first is None:
        raise DataFileError(path, "no rows under the header", line=2)
    header = first[2]
    if "Inspection/Visit type" in header:
        return [], read_official_in_year(path, codes)
    if "Inspection type" in header:
        return read_official_history(path, codes), []
    raise DataFileError(
        path,
        "neither of Ofsted's tables: the in-year table has a column 'Inspection/Visit type', the "
        "inspection history a column 'Inspection type'",
        line=1,
    )


ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
TABLE, OFFICE, TEXT = (f"{{{ODS[name]}}}" for name in ("table", "office", "text"))
# content.xml of Ofsted's workbook is about 1 MB; far beyond this is no statistics table.
MAX_CONTENT_BYTES = 200_000_000
MAX_WIDTH = 200  # columns read before the table's header is found
MAX_REPEAT = 1000  # copies made of one row of data the workbook repeats


def read_ods_sheets(path: Path, wanted: dict[str, list[str]]) -> dict[str, list]:
    """sheet name -> its table's (row number, row, header) for each of the `wanted` sheets the workbook
    holds. A table starts at the first row whose first cells hold a sheet's required columns (Ofsted's
    sheets open with a title and a note); dates come as YYYY-MM-DD whatever the cell's display format."""
    try:
        with zipfile.ZipFile(path) as workbook:
            info = workbook.getinfo("content.xml")
            if info.file_size > MAX_CONTENT_BYTES:
                raise DataFileError(path, f"content.xml is {info.file_size:,} bytes: too large for a table")
            with workbook.open(info) as content:
                root = ElementTree.parse(content).getroot()
    except (zipfile.BadZipFile, KeyError):
        raise DataFileError(path, "not an OpenDocument spreadsheet (.ods)") from None
    except ElementTree.ParseError as error:
        raise DataFileError(path, f"the workbook's content.xml is not well-formed XML ({error})") from None
    sheets = {}
    for table in root.iter(f"{TABLE}table"):
        name = table.get(f"{TABLE}name")
        if name in wanted and name not in sheets:
            try:
                sheets[name] = _sheet_rows(path, name, table, wanted[name])
            except ValueError:  # int() of a repeat count
                raise DataFileError(path, f"sheet {name}: a repeated row or cell with no count") from None
    return sheets


def _sheet_rows(path: Path, name: str, table, required: list[str]) -> list:
    rows: list = []
    header: list[str] | None = None
    number = 0  # the sheet's row number of the row before this one
    for element in table.iter(f"{TABLE}table-row"):
        repeat = int(element.get(f"{TABLE}number-rows-repeated", "1"))
        first, number = number + 1, number + repeat
        cells = _cells(element, len(header) if header else None)
        if not any(cell.strip() for cell in cells):
            continue  # blank rows, down to the sheet's last (a million of them): never unrolled
        if header is None:
            if all(column in (cell.strip() for cell in cells) for column in required):
                header = [cell.strip() for cell in cells]
            continue  # Ofsted's title and note above the table
        if any(cell.strip() for cell in cells[len(header) :]):
            raise DataFileError(path, f"sheet {name}, row {first}: a cell beyond the table's last column")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        rows.extend((first + copy, row, header) for copy in range(min(repeat, MAX_REPEAT)))
    if header is None:
        raise DataFileError(path, f"sheet {name} has no table with the columns {', '.join(required)}")
    return rows


def _cells(row, width: int | None) -> list[str]:
    """A row's cell values as text (a date as YYYY-MM-DD), repeated cells unrolled, and no further than
    one cell past `width` (the sheet's empty cells repeat to its last column, 16,384)."""
    cells: list[str] = []
    limit = (width if width is not None else MAX_WIDTH) + 1
    for cell in row:
        if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            continue
        if cell.get(f"{OFFICE}value-type") == "date":
            value = cell.get(f"{OFFICE}date-value", "")[:10]
        else:
            value = "\n".join("".join(p.itertext()) for p in cell.findall(f"{TEXT}p"))
        repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
        cells.extend([value] * max(0, min(repeat, limit - len(cells))))
        if len(cells) >= limit:
            break
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _column_letters(number: int) -> str:
    """A spreadsheet's name for column `number` (1 -> A, 27 -> AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
