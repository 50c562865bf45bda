"""Downloads of the progress map's table (CSV, Excel) and of an indicator in DfE's tidy CSV format.

Values are written as stored: full precision, and a suppressed or missing cell as the
publisher's marker (text), never zero. Excel cells hold numbers as numbers.
"""

import csv
import io
import re

from slihub.indicators import formatting
from slihub.indicators import periods as period_kinds
from slihub.indicators.models import Indicator, Period, Value
from slihub.indicators.selectors import MapTable

TABLE_COLUMNS = [
    "old_la_code",
    "new_la_code",
    "la_name",
    "region_name",
    "time_period",
    "value",
    "rank",
    "ranked",
    "band",
    "band_meaning",
    "neighbours_average_2025",
    "neighbours_with_value_2025",
    "neighbours_average_2021",
    "region_value",
    "england_value",
    "change",
    "change_since",
    "trend_3_periods",
    "trend_3_periods_covered",
    "trend_5_periods",
]
TIDY_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
ENGLAND = ("E92000001", "England")
_LEVELS = {"england": (0, "National"), "region": (1, "Regional"), "la": (2, "Local authority")}
# A flagged period's flag goes in a 'version' column (a filter, as in DfE's outcomes files), only
# in the files of indicators that have one; the time_identifier stays one EES knows.
VERSIONS = {"provisional": "Provisional", "revised": "Revised", "final": "Final", "outturn": "Outturn"}
UNFLAGGED = "Not stated"


def cell(value: float | None, status: str):
    """A number as the publisher wrote it (62.0 -> 62), or the marker."""
    if value is None:
        return status
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _text(value) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


def filename(indicator: Indicator, period: Period | None, extension: str) -> str:
    period_part = f"_{re.sub(r'[^0-9A-Za-z]+', '-', period.label).strip('-')}" if period else ""
    return f"{indicator.slug}{period_part}.{extension}"


def table_rows(table: MapTable) -> list[list]:
    """A row per authority: band, change and trend as the precomputed Comparison has them (the same
    as the map's table and the authority's page), with the periods the change and the trend cover."""
    covered = ", ".join(table.trend_periods) if len(table.trend_periods) == 3 else ""
    out = []
    for row in table.rows:
        authority = row.authority
        out.append(
            [
                authority.code,
                authority.ons_code,
                authority.name,
                authority.region.name,
                table.period.label,
                cell(row.value, row.status) if row.published else "",
                row.rank,
                row.ranked if row.published else None,
                row.band,
                table.band_text(row),
                row.neighbours,
                row.neighbours_count if row.published else None,
                row.neighbours_2021,
                row.region_value,
                row.england_value,
                row.change,
                table.change_from if row.change is not None else "",
                row.trend_3,
                covered if row.trend_3 else "",
                row.trend_5,
            ]
        )
    return out


def table_csv(table: MapTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    for row in table_rows(table):
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue()


def table_xlsx(table: MapTable) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Authorities")
    sheet.append(TABLE_COLUMNS)
    for row in table_rows(table):
        sheet.append(["" if value is None else value for value in row])
    about = book.create_sheet(title="About")
    indicator = table.indicator
    for label, value in [
        ("Indicator", indicator.name),
        ("Code", indicator.code),
        ("Period", table.period.label),
        ("Unit", indicator.unit),
        ("Polarity", indicator.get_polarity_display()),
        (
            "Bands",
            formatting.no_band_reason(indicator.polarity, indicator.quartiles)
            or "Quartile bands by polarity (A best)",
        ),
        ("Change", f"Change {table.change_words}"),
        ("Trend", f"Trend {table.trend_words}"),
        ("Source", indicator.publisher or indicator.source),
        ("Markers", "; ".join(f"{m}: {meaning}" for m, meaning in table.markers) or "none"),
        ("Licence", "Contains public sector information licensed under the Open Government Licence v3.0."),
    ]:
        about.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def value_column(indicator: Indicator) -> str:
    """The tidy file's value column: the mapped column's name, or the LAIT code made an identifier."""
    name = indicator.short_name or indicator.code
    return re.sub(r"[^0-9A-Za-z]+", "_", name.replace("%", "pct").replace("&", "and")).strip("_") or "value"


def tidy_period(period: Period, year_type: str = "") -> tuple[str, str]:
    """(time_period, time_identifier) as EES writes them, from the indicator's year type
    (periods.tidy_time): ('202425', 'Academic year') for LAIT's '2025' of an attainment indicator."""
    return period_kinds.tidy_time(period, year_type)


def has_versions(found) -> bool:
    return any(value.period.flag for value in found)


def tidy_rows(indicator: Indicator, found, *, versions: bool | None = None) -> list[list[str]]:
    def order(value: Value):
        level = _LEVELS[value.area_type][0]
        code = value.authority.code if value.authority else value.region.code if value.region else ""
        return (value.period.sort_key, value.period.label, level, code)

    if versions is None:
        versions = has_versions(found)
    out = []
    for value in sorted(found, key=order):
        time_period, identifier = tidy_period(value.period, indicator.year_type)
        region_code = region_name = old = new = name = ""
        if value.area_type == "region":
            region_code, region_name = value.region.code, value.region.name
        elif value.area_type == "la":
            authority = value.authority
            region_code, region_name = authority.region.code, authority.region.name
            old, new, name = authority.code, authority.ons_code, authority.name
        version = [VERSIONS.get(value.period.flag, UNFLAGGED)] if versions else []
        out.append(
            [
                time_period,
                identifier,
                _LEVELS[value.area_type][1],
                *ENGLAND,
                region_code,
                region_name,
                old,
                new,
                name,
                *version,
                _text(cell(value.value, value.status)),
            ]
        )
    return out


def tidy_csv(indicator: Indicator, found) -> str:
    found = list(found)
    versions = has_versions(found)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*TIDY_COLUMNS, *(["version"] if versions else []), value_column(indicator)])
    writer.writerows(tidy_rows(indicator, found, versions=versions))
    return buffer.getvalue()


AUTHORITY_SERIES_COLUMNS = [
    "time_period",
    "old_la_code",
    "la_name",
    "value",
    "neighbours_average_2025",
    "region_name",
    "region_value",
    "region_value_is_mean",
    "england_value",
    "england_value_is_mean",
    "rank",
    "ranked",
    "band",
    "change",
    "source",  # the publisher of the period's figures: LAIT, or DfE statistics where its twin fills a year
]


def authority_series_csv(page) -> str:
    """An authority_indicator_selectors.AuthorityIndicator's table: a row per period, oldest first,
    the authority's figure (or its marker) beside its comparators' at full precision."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(AUTHORITY_SERIES_COLUMNS)
    authority = page.authority
    for row in page.rows:
        writer.writerow(
            [
                row.period,
                authority.code,
                authority.name,
                _text(cell(row.figure.value, row.figure.marker)),
                _text(row.neighbours_value),
                authority.region.name,
                _text(row.region_value),
                "yes" if row.region.estimated else "",
                _text(row.england_value),
                "yes" if row.england.estimated else "",
                _text(row.rank),
                _text(row.ranked or None),
                row.band,
                _text(row.change_value),
                row.source,
            ]
        )
    return buffer.getvalue()
