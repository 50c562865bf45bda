"""Reading LAIT's indicator bank and DfE's tidy files: every cell checked before anything is stored.

Parsers return plain records and raise DataFileError naming file, line (for a parquet file:
the data row, counting from 1) and column, so a bad file is refused whole before the
database is touched. pandas/pyarrow are used here only.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from slihub.indicators import markers, periods
from slihub.indicators.classification import classify
from slihub.indicators.mappings import Mapping
from slihub.places.importers import ENGLISH_REGIONS, LONDON_PARTS
from slihub.sources import DataFileError, csv_rows, plain_digits

ENGLAND = "E92000001"
LAIT_COLUMNS = ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"]
# LAIT's area numbers for England and the regions -> ONS codes ('' is England).
LAIT_AREAS = {
    970: ("", "England"),
    980: ("E12000001", "North East"),
    981: ("E12000002", "North West"),
    982: ("E12000003", "Yorkshire and the Humber"),
    983: ("E12000004", "East Midlands"),
    984: ("E12000005", "West Midlands"),
    985: ("E12000006", "East of England"),
    986: ("E12000007", "London"),
    987: ("E13000001", "London (Inner)"),
    988: ("E13000002", "London (Outer)"),
    989: ("E12000008", "South East"),
    990: ("E12000009", "South West"),
}
POLARITIES = {"High": "high", "Low": "low", "-": "none", "NA": "none"}
DICTIONARY_COLUMNS = [
    "Measure_short",
    "Topic",
    "Measure",
    "Chart_title",
    "Polarity",
    "y_axis_name",
    "Description",
    "Data Owner (DO) /Supplier and Contact Details",
    "Methodology",
    "Hyperlink(s)",
    "dps",
    "Year_Type",
    "No_Quartile",
]
TIDY_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "old_la_code",
    "new_la_code",
]
LEVELS = {"National": "england", "Regional": "region", "Local authority": "la"}
# EES's other geographic levels (its data standards). A release may carry rows at these beside
# its authorities: they are counted and reported, not read. A level that is neither these nor
# LEVELS is refused: a misspelt 'Local Authority' would otherwise drop every authority's row.
OTHER_EES_LEVELS = frozenset(
    {
        "English devolved area",
        "Institution",
        "Local authority district",
        "Local enterprise partnership",
        "Local skills improvement plan area",
        "MAT",
        "Mayoral combined authority",
        "Opportunity area",
        "Parliamentary constituency",
        "Planning area",
        "Police force area",
        "Provider",
        "RSC region",
        "School",
        "Sponsor",
        "Ward",
    }
)
ONS_AREA_CODE = re.compile(r"^[EWSNK][0-9]{8}$")
# ONS codes DfE's own files give an authority that the reference data does not hold (reviewed
# against the files; none is another authority's code): ONS code -> DfE code.
OTHER_ONS_CODES = {
    "E10000002": "825",  # Buckinghamshire County Council, until the unitary council of April 2020
    "E08000038": "370",  # Barnsley after its boundary change with Sheffield (DfE's 2025 workforce file)
    "E08000039": "373",  # Sheffield after the same change
}
# The day a period of each year type ends (month, day); academic and financial years end on
# 31 August and 31 March whatever the year type says.
YEAR_ENDS = {
    "annual (31 march)": (3, 31),
    "annual (year to 31 march)": (3, 31),
    "annual (end of september)": (9, 30),
    "annual (end of sept)": (9, 30),
    "annual (mid-year, 30 june)": (6, 30),
    "calendar year": (12, 31),
}
MAX_KINDS = 12  # kinds of row not read named one by one in the warnings; the rest are summed


@dataclass(frozen=True)
class IndicatorRecord:
    code: str
    source: str
    name: str
    short_name: str
    topic: str
    description: str
    polarity: str
    unit: str
    decimal_places: int | None
    quartiles: bool
    theme: str
    outcome: str
    publisher: str
    methodology: str
    link: str
    year_type: str


# (indicator code, period label, area type 'la'/'region'/'england', area code, value, status)
ValueRecord = tuple[str, str, str, str, float | None, str | None]


def _na(text: str) -> str:
    return "" if text.strip() in ("NA", "") else text.strip()


def read_dictionary(path: Path) -> dict[str, IndicatorRecord]:
    """LAIT's data dictionary: 'Measure_short' -> indicator.

    Some measures are listed twice, once under each of two topics; the first listing is kept
    and a repeat must agree with it on polarity."""
    records: dict[str, IndicatorRecord] = {}
    first_line: dict[str, int] = {}
    for line, row, header in csv_rows(path, DICTIONARY_COLUMNS):

        def check(ok, column, message, line=line, header=header):
            if not ok:
                raise DataFileError(path, f"{column}: {message}", line=line, column=header.index(column) + 1)

        code = row["Measure_short"]
        check(bool(code.strip()), "Measure_short", "the indicator code is empty")
        check(row["Polarity"] in POLARITIES, "Polarity", f"{row['Polarity']!r} is not High, Low, - or NA")
        dps = row["dps"].strip()
        check(dps == "NA" or plain_digits(dps), "dps", f"{dps!r} is not a number of decimal places or NA")
        check(
            row["No_Quartile"] in ("N", "NA", "Y", ""),
            "No_Quartile",
            f"{row['No_Quartile']!r} is not N or NA",
        )
        check(bool(row["Measure"].strip()), "Measure", "the indicator name is empty")
        polarity = POLARITIES[row["Polarity"]]
        if code in records:
            check(
                records[code].polarity == polarity,
                "Polarity",
                f"{code} is listed on line {first_line[code]} with polarity {records[code].polarity}",
            )
            continue
        theme, outcome = classify(code, row["Topic"])
        first_line[code] = line
        records[code] = IndicatorRecord(
            code=code,
            source="lait",
            name=row["Measure"].strip(),
            short_name=code,
            topic=_na(row["Topic"]),
            description=_na(row["Description"]),
            polarity=polarity,
            unit=_na(row["y_axis_name"]),
            decimal_places=int(dps) if plain_digits(dps) else None,
            quartiles=row["No_Quartile"] != "N",
            theme=theme,
            outcome=outcome,
            publisher=_na(row["Data Owner (DO) /Supplier and Contact Details"]),
            methodology=_na(row["Methodology"]),
            link=_na(row["Hyperlink(s)"]),
            year_type=_na(row["Year_Type"]),
        )
    if not records:
        raise DataFileError(path, "no indicators in the data dictionary")
    return records


def read_lait(path: Path, indicators: Iterable[str], authority_codes: set[str]) -> list[ValueRecord]:
    """Every cell of LAIT's long table, checked; 'line' in errors is the data row (from 1).

    Each distinct cell text is checked once (the columns are dictionary-encoded), so the whole
    bank of 641,070 rows reads in a few seconds."""
    import numpy as np
    import pyarrow.compute as pc  # only importers use pyarrow
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as error:  # pyarrow raises several types for an unreadable file
        raise DataFileError(path, f"not a readable parquet file ({error})") from None
    header = table.column_names
    missing = [name for name in LAIT_COLUMNS if name not in header]
    if missing:
        raise DataFileError(
            path, f"missing column{'' if len(missing) == 1 else 's'} {', '.join(missing)}", line=1
        )
    if table.num_rows == 0:
        raise DataFileError(path, "no values in the file")

    def fail(column: str, row_index: int, message: str):
        raise DataFileError(
            path, f"{column}: {message}", line=int(row_index) + 1, column=header.index(column) + 1
        )

    def encoded(column: str) -> tuple[list, np.ndarray]:
        """(distinct texts, index of each row's text); a null cell is reported."""
        chunked = table.column(column)
        nulls = np.asarray(chunked.is_null().to_numpy(zero_copy_only=False))
        if nulls.any():
            fail(column, np.flatnonzero(nulls)[0], "the cell is empty")
        array = pc.dictionary_encode(chunked.combine_chunks())
        return array.dictionary.to_pylist(), np.asarray(array.indices.to_numpy(zero_copy_only=False))

    def first_row(indices: np.ndarray, wanted: int) -> int:
        return int(np.flatnonzero(indices == wanted)[0])

    known = set(indicators)
    codes, code_index = encoded("Short Desc")
    for k, code in enumerate(codes):
        if code not in known:
            fail("Short Desc", first_row(code_index, k), f"{code!r} is not in the data dictionary")
    labels, label_index = encoded("Years")
    for k, label in enumerate(labels):
        try:
            periods.parse_label(label)
        except ValueError as error:
            fail("Years", first_row(label_index, k), str(error))
    numbers = np.asarray(table.column("LA Number").to_numpy(), dtype=float)
    bad = np.isnan(numbers) | (numbers != np.round(numbers))
    if bad.any():
        fail("LA Number", np.flatnonzero(bad)[0], f"{numbers[bad][0]!r} is not an area number")
    numbers = numbers.astype(int)
    names, name_index = encoded("LA and Regions")
    areas: dict[int, tuple[str, str]] = {}
    for number in np.unique(numbers).tolist():
        at = int(np.flatnonzero(numbers == number)[0])
        if number in LAIT_AREAS:
            area_code, expected = LAIT_AREAS[number]
            rows = np.flatnonzero(numbers == number)
            wrong = rows[np.asarray([names[i] != expected for i in name_index[rows]])]
            if wrong.size:
                fail(
                    "LA and Regions",
                    wrong[0],
                    f"area {number} should be {expected!r}, not {names[name_index[wrong[0]]]!r}",
                )
            areas[number] = ("england" if number == 970 else "region", area_code)
        else:
            if f"{number:03d}" not in authority_codes:
                fail("LA Number", at, f"{number} is not a known authority code ({names[name_index[at]]})")
            areas[number] = ("la", f"{number:03d}")
    keys = (code_index.astype(np.int64) * len(labels) + label_index) * 1000 + numbers
    unique_keys, first, counts = np.unique(keys, return_index=True, return_counts=True)
    if (counts > 1).any():
        repeated = unique_keys[counts > 1][0]
        rows = np.flatnonzero(keys == repeated)
        fail("LA Number", rows[1], f"the same indicator, period and area as on row {rows[0] + 1}")
    cells, cell_index = encoded("Values")
    parsed_cells = []
    for k, cell in enumerate(cells):
        try:
            parsed_cells.append(markers.parse_cell(cell))
        except ValueError as error:
            fail("Values", first_row(cell_index, k), str(error))
    return [
        (codes[c], labels[y], *areas[n], *parsed_cells[v])
        for c, y, n, v in zip(
            code_index.tolist(), label_index.tolist(), numbers.tolist(), cell_index.tolist(), strict=True
        )
    ]


def mapping_indicators(mapping: Mapping) -> dict[str, IndicatorRecord]:
    return {
        m.code: IndicatorRecord(
            code=m.code,
            source=mapping.name,
            name=m.name,
            # A share the hub calculates is not the file's column: the export names it apart.
            short_name=f"{m.column}_percent" if m.denominator else m.column,
            topic=mapping.topic,
            # The file's description, then why the measure has its polarity (reviewed in mappings.py).
            description=f"{mapping.description}.\n{m.why}",
            polarity=m.polarity,
            unit=m.unit,
            decimal_places=m.decimal_places,
            quartiles=True,
            theme=m.theme,
            outcome=m.outcome,
            publisher=mapping.publisher,
            methodology="",
            link=mapping.link,
            year_type=mapping.year_type,
        )
        for m in mapping.measures
    }


@dataclass
class TidyFile:
    """What `read_tidy` found: the values to store, and warnings about rows it did not read."""

    records: list[ValueRecord]
    warnings: list[str] = field(default_factory=list)


def period_end(period: periods.Period, year_type: str, time_identifier: str = "") -> date:
    """The last day of a tidy file's period, from the mapping's year type.

    When the day is not known (a 'Reporting year' of an unknown year type), the first day of the
    year it ends in: the earliest it can end, so no period that may have ended is refused."""
    if period.kind == periods.ACADEMIC:
        return date(period.end_year, 8, 31)
    if period.kind == periods.FINANCIAL:
        return date(period.end_year, 3, 31)
    day = YEAR_ENDS.get(year_type.strip().lower())
    if day is None and time_identifier.strip().lower() == "calendar year":
        day = (12, 31)
    return date(period.end_year, *(day or (1, 1)))


def share(count: float | None, count_status: str | None, total: float | None, total_status: str | None):
    """(value, marker) of a count as a percentage of a total, to one decimal place: the count's marker if
    it has one, else the total's; a total of zero is 'z' (not applicable)."""
    if count is None or total is None:
        return None, count_status or total_status
    if total < 0:
        raise ValueError(f"a total of {total:g}: a count cannot be negative")
    if total == 0:
        return None, "z"
    return round(100 * count / total, 1), None


def limits_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:,g} to {high:,g}"
    return f"{low:,g} or more" if low is not None else f"{high:,g} or less"


def read_tidy(
    path: Path,
    mapping: Mapping,
    authority_codes: set[str],
    *,
    ons_codes: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
    today: date | None = None,
) -> TidyFile:
    """The cells `mapping` takes from an EES tidy file, checked for form and for plausibility.

    Refused (DataFileError, nothing stored), because each means the file is wrong or misread and
    storing it would change published comparisons and early-warning scores: a value outside what
    its measure can be (a negative count, rate or percentage, a percentage over 100:
    `Measure.limits`); a period that has not ended yet (`period_end` after `today`); an authority
    row whose ONS code (new_la_code) is another authority's (`ons_codes`: ONS code -> DfE code,
    current and former codes, skipped when None; `names`: DfE code -> name, for the message); and
    a geographic level that EES does not have (a typo: its rows would be lost).

    Warned (counted by kind, naming the first line): rows the mapping does not read, because a
    mapping filter or every measure's filters leave them out, or they are at another EES level
    (districts, wards...); and ONS codes the reference data does not know, paired with a known
    DfE code (DfE's files use a few, such as Buckinghamshire's county code before 2020; authorities
    are joined on the DfE code, so the value is stored).

    A joint return ('314 / 318', Kingston and Richmond) gives each authority the joint figure,
    as DfE's LAIT does."""
    today = today or date.today()
    regions = ENGLISH_REGIONS | LONDON_PARTS
    records: list[ValueRecord] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    parsed_periods: dict[tuple[str, str], periods.Period] = {}
    not_read: dict[str, list[int]] = {}  # kind of row -> [count, first line]
    unknown_ons: dict[tuple[str, str], list[int]] = {}  # (ONS code, DfE code) -> [count, first line]
    measure_columns = list(dict.fromkeys(c for m in mapping.measures for c in m.filters))
    known_ons = {**OTHER_ONS_CODES, **(ons_codes or {})}

    def who(code: str) -> str:
        return f"{names[code]} ({code})" if names and code in names else f"authority {code}"

    def count(tally: dict, key, line: int) -> None:
        entry = tally.setdefault(key, [0, line])
        entry[0] += 1

    for line, row, header in csv_rows(path, TIDY_COLUMNS + mapping.columns):

        def fail(column, message, line=line, header=header):
            raise DataFileError(path, f"{column}: {message}", line=line, column=header.index(column) + 1)

        skipped = next((c for c, wanted in mapping.filters.items() if row[c] != wanted), None)
        if skipped is not None:
            count(not_read, f"{skipped} {row[skipped]!r}", line)
            continue
        stamp = (row["time_period"], row["time_identifier"])
        if stamp not in parsed_periods:
            if row["time_identifier"].strip().lower() not in periods.TIDY_IDENTIFIERS:
                fail("time_identifier", f"unknown time_identifier {row['time_identifier']!r}")
            try:
                parsed = periods.parse_tidy(*stamp)
            except ValueError as error:
                fail("time_period", str(error))
            ends = period_end(parsed, mapping.year_type, row["time_identifier"])
            if ends > today:
                fail(
                    "time_period",
                    f"{row['time_period']} ({row['time_identifier']}) ends on {ends:%-d %B %Y}, after "
                    f"today: a statistic for a period that has not ended cannot be published",
                )
            parsed_periods[stamp] = parsed
        label = parsed_periods[stamp].label
        level = LEVELS.get(row["geographic_level"])
        if level is None:
            if row["geographic_level"] in OTHER_EES_LEVELS:
                count(not_read, f"geographic_level {row['geographic_level']!r}", line)
                continue
            fail(
                "geographic_level",
                f"{row['geographic_level']!r} is not one of {', '.join(LEVELS)} "
                f"(nor another geographic level EES uses)",
            )
        if level == "england":
            if row["country_code"] != ENGLAND:
                fail("country_code", f"{row['country_code']!r} is not England ({ENGLAND})")
            areas = [""]
        elif level == "region":
            if row["region_code"] not in regions:
                fail("region_code", f"{row['region_code']!r} is not an English region or Inner/Outer London")
            areas = [row["region_code"]]
        else:
            areas = [code.strip() for code in row["old_la_code"].split("/")]
            for code in areas:
                if code not in authority_codes:
                    fail("old_la_code", f"{code!r} is not a known authority code")
            if ons_codes is not None and row["new_la_code"].strip():
                for ons in (code.strip() for code in row["new_la_code"].split("/")):
                    # Not an ONS code at all: the row's columns are out of place.
                    if not ONS_AREA_CODE.match(ons):
                        fail("new_la_code", f"{ons!r} is not an ONS code")
                    owner = known_ons.get(ons)
                    if owner is None:
                        count(unknown_ons, (ons, row["old_la_code"].strip()), line)
                    elif owner not in areas:
                        fail(
                            "new_la_code",
                            f"{ons} is the ONS code of {who(owner)}, not of "
                            f"{' / '.join(who(area) for area in areas)} (old_la_code {row['old_la_code']}): "
                            f"one of the two codes is wrong",
                        )
        read = False
        for measure in mapping.measures:
            if any(row[column] != wanted for column, wanted in measure.filters.items()):
                continue
            read = True
            try:
                value, status = markers.parse_cell(row[measure.column])
            except ValueError as error:
                fail(measure.column, str(error))
            shown = row[measure.column]
            if measure.denominator:
                try:
                    value, status = share(value, status, *markers.parse_cell(row[measure.denominator]))
                except ValueError as error:
                    fail(measure.denominator, str(error))
                shown = f"{shown} of {row[measure.denominator]} ({value:g}%)" if value is not None else shown
            low, high = measure.limits
            if value is not None and (
                (low is not None and value < low) or (high is not None and value > high)
            ):
                fail(
                    measure.column,
                    f"{shown} is impossible for {measure.code} ({measure.unit}): it can only "
                    f"be {limits_text(low, high)}",
                )
            for area in areas:
                key = (measure.code, label, level, area)
                if key in seen:
                    fail(
                        measure.column,
                        f"a second {measure.code} value for {area or 'England'} in {label} "
                        f"(the first is on line {seen[key]})",
                    )
                seen[key] = line
                records.append((measure.code, label, level, area, value, status))
        if not read:
            count(not_read, ", ".join(f"{c} {row[c]!r}" for c in measure_columns), line)
    if not records:
        raise DataFileError(path, f"no rows match the {mapping.name} mapping")
    return TidyFile(records, _warnings(path, mapping, not_read, unknown_ons))


def _warnings(path: Path, mapping: Mapping, not_read: dict, unknown_ons: dict) -> list[str]:
    """One sentence per kind of row not read (the most frequent first, at most MAX_KINDS) and
    per unknown ONS code, each naming the file and the first line."""
    warnings = []
    kinds = sorted(not_read.items(), key=lambda item: (-item[1][0], item[1][1]))
    for kind, (rows, first) in kinds[:MAX_KINDS]:
        warnings.append(
            f"{path.name}, line {first}: {rows:,} row{'s' if rows != 1 else ''} with {kind} not read "
            f"(the {mapping.name} mapping does not read them)"
        )
    if len(kinds) > MAX_KINDS:
        rest = kinds[MAX_KINDS:]
        warnings.append(
            f"{path.name}: {sum(rows for _, (rows, _) in rest):,} rows of {len(rest)} more kinds not read "
            f"(the {mapping.name} mapping does not read them)"
        )
    for (ons, code), (rows, first) in sorted(unknown_ons.items(), key=lambda item: item[1][1]):
        warnings.append(
            f"{path.name}, line {first}: new_la_code {ons} (with old_la_code {code}, {rows:,} "
            f"row{'s' if rows != 1 else ''}) is not an ONS code in the reference data; the values are "
            f"stored under DfE code {code}"
        )
    return warnings
