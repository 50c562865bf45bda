"""Reading LAIT's indicator bank and DfE's tidy files: every cell checked before anything is stored.

Parsers return plain records and raise DataFileError naming file, line (for a parquet file:
the data row, counting from 1) and column, so a bad file is refused whole before the
database is touched. pandas/pyarrow are used here only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from slihub.indicators import markers, periods
from slihub.indicators.classification import classify
from slihub.indicators.mappings import Mapping
from slihub.places.importers import ENGLISH_REGIONS, LONDON_PARTS, DataFileError
from slihub.places.importers import _rows as csv_rows

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
        check(dps == "NA" or dps.isdigit(), "dps", f"{dps!r} is not a number of decimal places or NA")
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
            decimal_places=int(dps) if dps.isdigit() else None,
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
        raise DataFileError(path, f"missing column(s) {', '.join(missing)}", line=1)
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
            short_name=m.column,
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


def read_tidy(path: Path, mapping: Mapping, authority_codes: set[str]) -> list[ValueRecord]:
    """The cells `mapping` takes from an EES tidy file, checked.

    A joint return ('314 / 318', Kingston and Richmond) gives each authority the joint figure,
    as DfE's LAIT does."""
    regions = ENGLISH_REGIONS | LONDON_PARTS
    records: list[ValueRecord] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    parsed_periods: dict[tuple[str, str], periods.Period] = {}
    for line, row, header in csv_rows(path, TIDY_COLUMNS + mapping.columns):

        def fail(column, message, line=line, header=header):
            raise DataFileError(path, f"{column}: {message}", line=line, column=header.index(column) + 1)

        if any(row[column] != wanted for column, wanted in mapping.filters.items()):
            continue
        stamp = (row["time_period"], row["time_identifier"])
        if stamp not in parsed_periods:
            if row["time_identifier"].strip().lower() not in periods.TIDY_IDENTIFIERS:
                fail("time_identifier", f"unknown time_identifier {row['time_identifier']!r}")
            try:
                parsed_periods[stamp] = periods.parse_tidy(*stamp)
            except ValueError as error:
                fail("time_period", str(error))
        label = parsed_periods[stamp].label
        level = LEVELS.get(row["geographic_level"])
        if level is None:
            fail("geographic_level", f"{row['geographic_level']!r} is not one of {', '.join(LEVELS)}")
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
        for measure in mapping.measures:
            if any(row[column] != wanted for column, wanted in measure.filters.items()):
                continue
            try:
                value, status = markers.parse_cell(row[measure.column])
            except ValueError as error:
                fail(measure.column, str(error))
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
    if not records:
        raise DataFileError(path, f"no rows match the {mapping.name} mapping")
    return records
