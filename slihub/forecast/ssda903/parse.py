"""Reading and checking a council's SSDA903 return (header and episodes CSV files, as councils send them
to DfE) in memory: every problem is listed with its file and line, and nothing is kept but the rows read.

Framework-free (standard library only), so the D2I comparison in bench/ can run it outside Django.

The checks are the structural ones a forecast needs, with the code lists of the published 903 validation
rules (DfE's rules as the quality-lac-data-validator package codes them: 101 sex, 102 date of birth,
143 reason for new episode, 144 legal status, 146 placement type, 149 reason episode ceased, and its
integrity check that every child in the episodes has a header row). That package itself pins numpy 1.17,
which neither installs on Python 3.11 nor sits beside the hub's numpy, so the rules are coded here.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

HEADER_COLUMNS = ("CHILD", "SEX", "DOB")  # required; ETHNIC, UPN, MOTHER, MC_DOB may be there too
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC")  # required; CIN, ... may be too
SEX_CODES = {"1", "2"}  # rule 101
RNE_CODES = {"S", "P", "L", "T", "U", "B"}  # rule 143
LS_CODES = {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3"}  # rule 144
PLACE_CODES = {  # rule 146
    *("A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1"),
    *("T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"),
}
REC_CODES = {  # rule 149
    *("E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48"),
    *("E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1"),
}
MAX_CHILD_ID = 10  # characters: the 903 CHILD identifier
MAX_ERRORS = 100  # listed; the count of any others is given


@dataclass(frozen=True)
class Problem:
    file: str  # the file's name as uploaded
    line: int | None  # 1 is the column names' line; None for the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Child:
    child: str
    sex: str
    dob: date


@dataclass(frozen=True)
class Episode:
    child: str
    decom: date
    dec: date | None
    rne: str
    ls: str
    place: str
    rec: str
    year: int  # the collection year of the return it came from: the year to 31 March `year`


@dataclass
class Return903:
    """What a set of files held: children by CHILD, episodes, and the collection years of the returns."""

    children: dict[str, Child] = field(default_factory=dict)
    episodes: list[Episode] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    header_rows: int = 0
    episode_rows: int = 0
    warnings: list[Problem] = field(default_factory=list)


class Invalid903(ValueError):
    """The files cannot be read as a 903 return: the problems, each with its file and line."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems, self.more = problems, more
        super().__init__("; ".join(map(str, problems[:3])))


class _Problems:
    def __init__(self):
        self.found: list[Problem] = []
        self.more = 0

    def add(self, file: str, line: int | None, message: str) -> None:
        if len(self.found) < MAX_ERRORS:
            self.found.append(Problem(file, line, message))
        else:
            self.more += 1


def year_of(day: date) -> int:
    """The year to 31 March that a day falls in (1 April 2020 to 31 March 2021 is 2021)."""
    return day.year + 1 if day.month >= 4 else day.year


def _date(text: str) -> date | None:
    """DD/MM/YYYY as the 903 writes dates; None if it is not one."""
    parts = text.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _rows(name: str, content: bytes, required: tuple[str, ...], problems: _Problems):
    """(line, row) with upper-case, stripped column names; None if the file cannot be read at all."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            problems.add(name, None, "is not a CSV text file: save it as CSV (UTF-8) and upload it again")
            return None
    if "\x00" in text:
        problems.add(name, None, "is not a CSV text file: save it as CSV (UTF-8) and upload it again")
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = [c.strip().upper() for c in next(reader)]
    except StopIteration:
        problems.add(name, None, "is empty: it needs a line of column names and a line per row")
        return None
    except csv.Error as error:
        problems.add(name, 1, f"cannot be read as CSV ({error})")
        return None
    missing = [c for c in required if c not in columns]
    if missing:
        problems.add(name, 1, f"has no column {', '.join(missing)}: the first line must name the columns")
        return None
    index = {c: columns.index(c) for c in required}
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # blank lines, as spreadsheets leave at the end
            if len(values) < len(columns):
                values = values + [""] * (len(columns) - len(values))
            rows.append((reader.line_num, {c: values[i].strip() for c, i in index.items()}))
    except csv.Error as error:
        problems.add(name, reader.line_num, f"cannot be read as CSV ({error})")
        return None
    return rows


def _child_id(value: str) -> str | None:
    if not value:
        return "has no CHILD identifier"
    if len(value) > MAX_CHILD_ID or not value.isascii() or not value.isalnum():
        return f"CHILD must be up to {MAX_CHILD_ID} letters and digits"
    return None


def _headers(files, problems: _Problems, result: Return903) -> None:
    for name, content in files:
        rows = _rows(name, content, HEADER_COLUMNS, problems)
        if rows is None:
            continue
        seen: set[str] = set()
        for line, row in rows:
            result.header_rows += 1
            child = row["CHILD"]
            if (wrong := _child_id(child)) is not None:
                problems.add(name, line, wrong)
                continue
            if child in seen:
                problems.add(name, line, "this CHILD has another row earlier in the file (one row a child)")
                continue
            seen.add(child)
            dob = _date(row["DOB"])
            if dob is None:
                problems.add(name, line, "DOB must be a date written DD/MM/YYYY, like 05/11/2012 (rule 102)")
                continue
            if row["SEX"] not in SEX_CODES:
                problems.add(name, line, "SEX must be 1 (male) or 2 (female) (rule 101)")
                continue
            result.children[child] = Child(child, row["SEX"], dob)  # a later file's row replaces one


def _collection_year(episodes: list[tuple[int, dict, date, date | None]]) -> int | None:
    """The year a return reports: the year to 31 March holding most of its episodes' end dates (every
    end in a return falls in its year), else most of its start dates."""
    ends = [year_of(dec) for _, _, _, dec in episodes if dec]
    years = ends or [year_of(decom) for _, _, decom, _ in episodes]
    return max(set(years), key=lambda y: (years.count(y), y)) if years else None


def _episode_rows(name: str, content: bytes, problems: _Problems, result: Return903):
    rows = _rows(name, content, EPISODE_COLUMNS, problems)
    if rows is None:
        return None
    if not rows:
        problems.add(name, None, "has no episodes: only the line of column names")
        return None
    good = []
    for line, row in rows:
        result.episode_rows += 1
        if (wrong := _child_id(row["CHILD"])) is not None:
            problems.add(name, line, wrong)
            continue
        decom = _date(row["DECOM"])
        dec = _date(row["DEC"]) if row["DEC"] else None
        checks = [
            (decom is None, "DECOM (date episode commenced) must be a date written DD/MM/YYYY"),
            (bool(row["DEC"]) and dec is None, "DEC (date episode ceased) must be a date written DD/MM/YYYY"),
            (row["RNE"] not in RNE_CODES, f"RNE {row['RNE']!r} is not a reason for new episode (rule 143)"),
            (row["LS"] not in LS_CODES, f"LS {row['LS']!r} is not a legal status code (rule 144)"),
            (row["PLACE"] not in PLACE_CODES, f"PLACE {row['PLACE']!r} is not a placement type (rule 146)"),
            (bool(dec) and not row["REC"], "an episode with a DEC needs a REC (reason episode ceased)"),
            (
                bool(row["REC"]) and row["REC"] not in REC_CODES,
                f"REC {row['REC']!r} is not a reason (rule 149)",
            ),
        ]
        failed = [message for bad, message in checks if bad]
        if not failed and dec is not None and dec < decom:
            failed.append("DEC (date episode ceased) is before DECOM (date episode commenced)")
        for message in failed:
            problems.add(name, line, message)
        if not failed:
            good.append((line, row, decom, dec))
    return good


def _episodes(files, problems: _Problems, result: Return903) -> None:
    by_year: dict[int, str] = {}
    read = []
    for name, content in files:
        good = _episode_rows(name, content, problems, result)
        if not good:  # unreadable, or every row has a problem (each listed)
            continue
        year = _collection_year(good)
        if year in by_year:
            problems.add(
                name, None, f"reports the same year (to 31 March {year}) as {by_year[year]}: one file a year"
            )
            continue
        by_year[year] = name
        seen: set[tuple[str, date]] = set()
        for line, row, decom, dec in good:
            key = (row["CHILD"], decom)
            if key in seen:
                problems.add(
                    name, line, "this CHILD has another episode starting on the same DECOM in the file"
                )
                continue
            seen.add(key)
            if decom > date(year, 3, 31):
                problems.add(
                    name, line, f"DECOM is after 31 March {year}, the end of the year this file reports"
                )
                continue
            if dec is not None and year_of(dec) != year:
                result.warnings.append(
                    Problem(name, line, f"DEC falls outside the year to 31 March {year} this file reports")
                )
            read.append((name, line, year, row, decom, dec))
    years = sorted(by_year)
    missing = [y for y in range(years[0], years[-1] + 1) if y not in by_year] if years else []
    for year in missing:
        problems.add(
            "The episodes files",
            None,
            f"have no return for the year to 31 March {year}: upload every year's "
            f"return from {years[0]} to {years[-1]}, or only consecutive years",
        )
    result.years = years
    # An episode open at a year's end is in the next year's return too: the later return's row is kept.
    latest: dict[tuple[str, date], tuple] = {}
    for item in sorted(read, key=lambda r: r[2]):
        latest[(item[3]["CHILD"], item[4])] = item
    for name, line, year, row, decom, dec in sorted(latest.values(), key=lambda r: (r[0], r[1])):
        child = result.children.get(row["CHILD"])
        if child is None:
            problems.add(name, line, "this CHILD has no row in the header files (integrity check INT01)")
        elif decom < child.dob:
            problems.add(name, line, "DECOM is before the child's DOB in the header file")
        else:
            result.episodes.append(
                Episode(row["CHILD"], decom, dec, row["RNE"], row["LS"], row["PLACE"], row["REC"], year)
            )


def read_return(headers: list[tuple[str, bytes]], episodes: list[tuple[str, bytes]]) -> Return903:
    """The children and episodes of one or more years' returns, each (file name, content); Invalid903 with
    every problem (up to MAX_ERRORS) if any file or row cannot be used. Nothing is written anywhere."""
    problems, result = _Problems(), Return903()
    if not headers:
        problems.add("Header file", None, "choose the header file (or one a year) of the return")
    if not episodes:
        problems.add("Episodes file", None, "choose the episodes file (one a year) of the return")
    if problems.found:
        raise Invalid903(problems.found)
    _headers(headers, problems, result)
    _episodes(episodes, problems, result)
    if problems.found:
        raise Invalid903(problems.found, problems.more)
    return result
