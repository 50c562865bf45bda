"""The compare page's figures as CSV and Excel: exactly what the page shows, a row per indicator and
authority in the page's order (each indicator's authorities highest first, as its chart and table), at
full precision, a suppressed figure as the publisher's marker, never zero."""

import csv
import io

from slihub.indicators.compare_selectors import CompareRow
from slihub.indicators.downloads import _text, cell

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
COLUMNS = [
    "indicator_code",
    "indicator_name",
    "unit",
    "time_period",
    "old_la_code",
    "new_la_code",
    "la_name",
    "region_name",
    "value",
    "rank",
    "ranked",
    "band",
    "trend_3_periods",
    "england_value",
    "source",
]


def rows(compared: list[CompareRow]) -> list[list]:
    out = []
    for row in compared:
        indicator = row.indicator
        source = indicator.publisher or indicator.source
        for one in row.ranked_cells:
            authority, figure = one.authority, one.figure
            out.append(
                [
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    row.period,
                    authority.code,
                    authority.ons_code,
                    authority.name,
                    authority.region.name,
                    cell(figure.value, figure.marker) if figure.text else "",
                    one.rank,
                    one.ranked or None,
                    one.quartile,
                    one.trend,
                    row.england_value,
                    source,
                ]
            )
    return out


def comparison_csv(compared: list[CompareRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows(compared):
        writer.writerow([_text(value) for value in row])
    writer.writerow([])
    writer.writerow([LICENCE])
    return buffer.getvalue()


def comparison_xlsx(compared: list[CompareRow], *, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Comparison")
    sheet.append(COLUMNS)
    for row in rows(compared):
        sheet.append(["" if value is None else value for value in row])
    about = book.create_sheet(title="About")
    about.append(["Comparison", title])
    for row in compared:
        indicator = row.indicator
        about.append(
            [
                indicator.name,
                f"{row.period or 'no figures'}; source: {indicator.publisher or indicator.source}",
            ]
        )
    about.append(["Bands", "Quartile bands by polarity (A best); trend over the last 3 periods"])
    about.append(["Markers", "Suppressed or missing figures are the publisher's markers (c, x, z, u, k, -)"])
    about.append(["Licence", LICENCE])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
