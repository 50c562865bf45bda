"""Councils' spending on children looked after, read from MHCLG's revenue outturn workbooks.

The files (in SLIHUB_DATA_DIR, never copied into the repository) are the OpenDocument workbooks
"RO3_LA_Data_<year>_data_by_LA.ods" and "RSX_LA_Data_<year>_data_by_LA.ods" as DfE's 'Children's
social care: outcomes and enablers' dashboard keeps them. Each has a sheet RO3_LA_Data_<yyyyyy>
(RSX_LA_Data_<yyyyyy>) whose header is on row 7: E-code, ONS Code, Local authority, Notes, Class,
Detailed Class, Certification, then one column per line and measure, in GBP thousand, one row per
English authority (districts, police, fire... too) and a row for England (Class 'Eng'), then a
second table of class totals below a blank row.

What they hold on children looked after (RO3 only; RSX gives children's social care as one line):
 - "Children Looked After": the line's total;
 - "of which residential care", "of which fostering services", "of which asylum seeking children who
   are looked after" and "of which other": its parts (residential care and fostering are kinds of
   placement; asylum-seeking children's spending cuts across placements; 'other' is the rest: the
   workbook does not say what, but DfE's description of the same spending in the section 251 outturn
   (LAIT TotalLACFinance) lists adoption, special guardianship support, short breaks, children placed
   with family or friends, education of children looked after and leaving care support);
 - for each: Employees (C1), Running Expenses (C2), Total Expenditure (C3 = C1 + C2), Sales, Fees and
   Charges (C4), Other Income (C5), Total Income (C6), Net Current Expenditure (C7 = C3 - C6).
 The hub reads Total Expenditure (gross) and Net Current Expenditure (net) of each, and of the
 "TOTAL CHILDREN SOCIAL CARE" line (RO3) and "Children Social Care" (RSX).

A cell is a number, blank, or one of MHCLG's markers: [x] (data not received in time), [z] (not
collected), [n] (no appropriate estimation), [Y] (not relevant), or a note reference such as
[note 4] (Gateshead's children looked after total was split across lines 16-19 by MHCLG). Markers are
kept as published, never turned into zero. A row's Notes cell 'M' means the return was not received.

Read with the standard library (zipfile and an incremental XML parser): the RO3 sheet is 497 columns
wide and its content.xml 26 MB. Any problem raises DataFileError naming file, sheet, row and column.
"""

import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings

from slihub.sources import DataFileError

ODS = "urn:oasis:names:tc:opendocument:xmlns:"
TABLE, OFFICE, TEXT = f"{{{ODS}table:1.0}}", f"{{{ODS}office:1.0}}", f"{{{ODS}text:1.0}}"
RO3, RSX = "RO3", "RSX"
FILE_PATTERN = re.compile(r"(?:^|_)(RO3|RSX)_LA_Data_(\d{4})-(\d\d)_data_by_LA\.ods$")
HEADER_ROW = 7
NOTES_SHEET = "Notes"  # marker -> what it means: '[x]' -> 'Data not received in time for publication'
FIXED = ["E-code", "ONS Code", "Local authority", "Notes", "Class"]
CHILDREN_CLASSES = {"UA", "MD", "LB", "SC"}  # unitary, metropolitan, London borough, shire county
ENGLAND_CLASS = "Eng"
GROSS, NET = "gross", "net"
MEASURES = {GROSS: "Total Expenditure (C3 = C1 + C2)", NET: "Net Current Expenditure (C7 = C3 - C6)"}
LOOKED_AFTER, RESIDENTIAL, FOSTERING, ASYLUM, OTHER, CHILDREN_SOCIAL_CARE = (
    "looked_after",
    "residential",
    "fostering",
    "asylum",
    "other",
    "childrens_social_care",
)
LINES = {
    RO3: {
        LOOKED_AFTER: "Children's social care - Children Looked After",
        RESIDENTIAL: "Children's social care - Children Looked After of which residential care",
        FOSTERING: "Children's social care - Children Looked After of which fostering services",
        ASYLUM: "Children's social care - Children Looked After of which asylum seeking children who are "
        "looked after",
        OTHER: "Children's social care - Children Looked After of which other",
        CHILDREN_SOCIAL_CARE: "TOTAL CHILDREN SOCIAL CARE",
    },
    RSX: {CHILDREN_SOCIAL_CARE: "Children Social Care"},
}
LINE_NAMES = {
    LOOKED_AFTER: "Children looked after (all)",
    RESIDENTIAL: "of which residential care",
    FOSTERING: "of which fostering services",
    ASYLUM: "of which asylum-seeking children",
    OTHER: "of which other",
    CHILDREN_SOCIAL_CARE: "Children's social care (all)",
}
MARKER = re.compile(r"^\[(x|z|n|Y|note \d+)\]$")
MAX_CONTENT_BYTES = 200_000_000
MAX_WIDTH = 2000


class OutturnMissing(LookupError):
    """No outturn workbook is where the hub looks for one."""


@dataclass(frozen=True)
class Figure:
    """One published cell: GBP thousand as published, or the publisher's marker."""

    thousands: float | None
    status: str  # '' for a number, 'blank' for an empty cell, else the marker as published: '[x]', '[note 4]'
    place: str  # "sheet RO3_LA_Data_202425, row 59, column Q"
    meaning: str = ""  # the marker's text in the workbook's Notes sheet

    @property
    def pounds(self) -> float | None:
        return None if self.thousands is None else self.thousands * 1000


@dataclass(frozen=True)
class Outturn:
    """An authority's (or England's) row of one workbook."""

    kind: str  # RO3 or RSX
    file: str
    year: str  # '2024-25'
    year_end: int  # 2025: the year the financial year ends in (31 March)
    ecode: str
    ons_code: str
    name: str
    authority_class: str
    notes: str  # the row's Notes cell: 'M' (return not received), '[note 4]', ''
    row: int
    lines: dict[str, dict[str, Figure]] = field(default_factory=dict)  # line -> measure -> figure

    @property
    def source(self) -> str:
        return f"MHCLG revenue outturn {self.kind} {self.year} ({self.file})"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def find_file(kind: str, data_dir: str | Path | None = None) -> Path:
    """The latest year's workbook of this kind in the data folder."""
    folder = Path(data_dir if data_dir is not None else settings.DATA_DIR or "")
    if not str(folder) or not folder.is_dir():
        raise OutturnMissing(
            f"No data folder: set SLIHUB_DATA_DIR to the folder holding {kind}_LA_Data_<year>_data_by_LA.ods."
        )
    found = sorted(
        (int(m[2]), p)
        for p in folder.glob(f"*{kind}_LA_Data_*_data_by_LA.ods")
        if (m := FILE_PATTERN.search(p.name))
    )
    if not found:
        raise OutturnMissing(
            f"No {kind} outturn workbook ({kind}_LA_Data_<year>_data_by_LA.ods) in {folder}: MHCLG publishes "
            "it with 'Local authority revenue expenditure and financing'."
        )
    return found[-1][1]


def _cells(row, limit: int) -> list[tuple[str, str]]:
    """(value type, text) of each cell, repeated cells unrolled up to `limit` cells."""
    cells: list[tuple[str, str]] = []
    for cell in row:
        if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            continue
        kind = cell.get(f"{OFFICE}value-type", "")
        if kind in ("float", "currency", "percentage"):
            text = cell.get(f"{OFFICE}value", "")
        else:
            text = "\n".join("".join(p.itertext()) for p in cell.findall(f"{TEXT}p"))
        repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
        cells.extend([(kind, text)] * max(0, min(repeat, limit - len(cells))))
        if len(cells) >= limit:
            break
    return cells


def _rows(path: Path, sheets: tuple[str, ...]):
    """(sheet, row number, cells) of the named sheets' non-blank rows, in order; the last sheet named must
    be in the workbook, the others may not be."""
    try:
        workbook = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise DataFileError(path, "not an OpenDocument spreadsheet (.ods)") from None
    with workbook:
        try:
            info = workbook.getinfo("content.xml")
        except KeyError:
            raise DataFileError(path, "not an OpenDocument spreadsheet (.ods): no content.xml") from None
        if info.file_size > MAX_CONTENT_BYTES:
            raise DataFileError(path, f"content.xml is {info.file_size:,} bytes: too large for a table")
        number, current = 0, None
        with workbook.open(info) as content:
            try:
                for event, element in ElementTree.iterparse(content, events=("start", "end")):
                    if element.tag == f"{TABLE}table":
                        if event == "start":
                            current, number = element.get(f"{TABLE}name"), 0
                        else:
                            if current == sheets[-1]:
                                return
                            current = None
                            element.clear()
                        continue
                    if event != "end" or element.tag != f"{TABLE}table-row" or current not in sheets:
                        continue
                    repeat = int(element.get(f"{TABLE}number-rows-repeated", "1"))
                    cells = _cells(element, MAX_WIDTH)
                    if any(text.strip() for _, text in cells):
                        yield current, number + 1, cells
                    number += repeat
                    element.clear()
            except ElementTree.ParseError as error:
                raise DataFileError(path, f"content.xml is not well-formed XML ({error})") from None
            except ValueError:
                raise DataFileError(
                    path, f"sheet {current}, row {number + 1}: a repeat count that is not a number"
                ) from None
        raise DataFileError(path, f"no sheet {sheets[-1]}")


def read(kind: str, path: Path | None = None) -> dict[str, Outturn]:
    """Every children's services authority's row and England's, by ONS code (England: E92000001)."""
    path = Path(path) if path is not None else find_file(kind)
    match = FILE_PATTERN.search(path.name)
    if not match or match[1] != kind:
        raise DataFileError(path, f"not named like {kind}_LA_Data_<yyyy-yy>_data_by_LA.ods")
    start, end2 = int(match[2]), match[3]
    year, year_end = f"{start}-{end2}", start + 1
    if (start + 1) % 100 != int(end2):
        raise DataFileError(path, f"{year} is not a financial year")
    sheet = f"{kind}_LA_Data_{start}{end2}"
    header: list[str] | None = None
    columns: dict[str, dict[str, int]] = {}
    found: dict[str, Outturn] = {}
    notes: dict[str, str] = {}
    for name, number, cells in _rows(path, (NOTES_SHEET, sheet)):
        texts = [text.strip() for _, text in cells]
        if name == NOTES_SHEET:
            if len(texts) >= 2 and (MARKER.match(texts[0]) or texts[0] == "M"):
                notes[texts[0]] = texts[1]
            continue
        if header is None:
            if number > HEADER_ROW + 20:
                break
            if all(name in texts for name in FIXED):
                header = texts
                columns = _columns(path, sheet, number, header, kind)
            continue
        row = dict(zip(header, texts + [""] * (len(header) - len(texts)), strict=False))
        if row["E-code"] in ("", "E-code") or row["E-code"].startswith("["):
            break  # the second table (class totals, under its own header) and the hidden reference row
        authority_class = row["Class"]
        if authority_class not in CHILDREN_CLASSES | {ENGLAND_CLASS}:
            if authority_class in {"SD", "O"}:
                continue
            raise DataFileError(
                path,
                f"sheet {sheet}, row {number}, column {column_letter(header.index('Class'))}: "
                f"unknown class {authority_class!r}",
            )
        lines = {}
        for line, measures in columns.items():
            lines[line] = {
                m: _figure(path, sheet, number, index, cells, notes) for m, index in measures.items()
            }
        ons = row["ONS Code"]
        if not re.fullmatch(r"E\d{8}", ons):
            raise DataFileError(
                path,
                f"sheet {sheet}, row {number}, column {column_letter(header.index('ONS Code'))}: "
                f"{ons!r} is not an ONS code",
            )
        if ons in found:
            raise DataFileError(path, f"sheet {sheet}, row {number}: a second row for {ons}")
        found[ons] = Outturn(
            kind,
            path.name,
            year,
            year_end,
            row["E-code"],
            ons,
            row["Local authority"],
            authority_class,
            row["Notes"],
            number,
            lines,
        )
    if header is None:
        raise DataFileError(path, f"sheet {sheet} has no header row with {', '.join(FIXED)}")
    if not any(o.authority_class == ENGLAND_CLASS for o in found.values()):
        raise DataFileError(path, f"sheet {sheet} has no England row (Class 'Eng')")
    return found


def _columns(path: Path, sheet: str, number: int, header: list[str], kind: str) -> dict[str, dict[str, int]]:
    columns: dict[str, dict[str, int]] = {}
    for line, label in LINES[kind].items():
        columns[line] = {}
        for measure, suffix in MEASURES.items():
            name = f"{label} - {suffix}"
            if name not in header:
                raise DataFileError(path, f"sheet {sheet}, row {number}: no column {name!r}")
            columns[line][measure] = header.index(name)
    return columns


def _figure(path: Path, sheet: str, number: int, index: int, cells: list, notes: dict[str, str]) -> Figure:
    place = f"sheet {sheet}, row {number}, column {column_letter(index)}"
    text = (cells[index][1] if index < len(cells) else "").strip()
    if not text:
        return Figure(None, "blank", place)
    if MARKER.match(text):
        return Figure(None, text, place, notes.get(text, ""))
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = math.nan
    if math.isfinite(value):
        return Figure(value, "", place)
    raise DataFileError(path, f"{place}: {text!r} is neither a number nor one of MHCLG's markers")


ENGLAND_ONS = "E92000001"
