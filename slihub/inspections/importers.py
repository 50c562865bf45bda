"""Reading Ofsted's inspection files and Data to Insight's scrape: every cell checked before any write.

Parsers return plain records and raise DataFileError naming file, line and column, so a bad
file is refused whole before the database is touched. Grades come out in Ofsted's exact
wording whatever the file wrote; "" means no judgment.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

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
    """Checks on one row, raising DataFileError at the offending cell."""

    def __init__(self, path: Path, line: int, row: dict[str, str], header: list[str]):
        self.path, self.line, self.row, self.header = path, line, row, header

    def fail(self, column: str, message: str) -> NoReturn:
        raise DataFileError(
            self.path, f"{column}: {message}", line=self.line, column=self.header.index(column) + 1
        )

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


def read_official_history(path: Path, codes: AuthorityCodes) -> list[InspectionRecord]:
    """Ofsted's ILACS inspection history (standard and short inspections), one record a row."""
    columns = [
        "Local authority area code",
        "Local authority name",
        "Local authority status",
        "Ofsted region",
        "Inspection date",
        "Publication date",
        "Inspection type",
        *OFSTED_JUDGMENT_COLUMNS,
    ]
    records: list[InspectionRecord] = []
    seen: dict[tuple, int] = {}
    for line, row, header in _rows(path, columns):
        check = _Row(path, line, row, header)
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
        raise DataFileError(path, "no inspections in the file")
    return records


def read_official_in_year(path: Path, codes: AuthorityCodes) -> list[InspectionRecord]:
    """Ofsted's inspections and visits of one year: inspections graded, visits with their theme."""
    columns = [
        "Local authority area code",
        "Local authority name",
        "Region",
        "Inspection/Visit date",
        "Publication date",
        "Inspection/Visit type",
        *OFSTED_JUDGMENT_COLUMNS,
        "Visit Theme",
    ]
    records: list[InspectionRecord] = []
    seen: dict[tuple, int] = {}
    for line, row, header in _rows(path, columns):
        check = _Row(path, line, row, header)
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
        raise DataFileError(path, "no inspections or visits in the file")
    return records


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
