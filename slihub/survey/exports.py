"""The published results as CSV and Excel: exactly the tables and figures the results page shows (with
`c` where the page shows `c`), one row per figure. Free text is never exported."""

import csv
import io

from slihub.survey import results as survey_results

COLUMNS = ["question_code", "question", "option", "area_code", "area", "measure", "value"]
ABOUT = [
    ("c", "A count of 1 to 4 councils, or a count that would let one be worked out by subtraction."),
    (
        "Percentages",
        "Of the councils in the row that answered; given only where the count and total are shown.",
    ),
    (
        "Numbers",
        "Median and quartiles only where at least 5 councils answered. " + survey_results.QUARTILE_METHOD,
    ),
    (
        "Responses",
        "Only submitted responses count. Response rates are submitted responses over current councils.",
    ),
    ("Free text", "Not included."),
]


def rows(version, rates, found: survey_results.Results) -> list[list]:
    """Every published figure as (question_code, question, option, area_code, area, measure, value)."""
    out = []
    for rate in rates:
        out.append(["", "Response rate", "", rate.code, rate.name, "councils", rate.councils])
        out.append(["", "Response rate", "", rate.code, rate.name, "responses", rate.responses])
        out.append(["", "Response rate", "", rate.code, rate.name, "response rate", rate.percent])
    for result in found.questions:
        for table in result.tables:
            for row in [*table.regions, table.england]:
                for answer, cell in zip(table.columns, row.cells, strict=True):
                    base = [result.code, result.text, table.option, row.code, row.name]
                    out.append([*base, f"count: {answer}", cell.value])
                    if cell.percent:
                        out.append([*base, f"percent: {answer}", cell.percent])
                base = [result.code, result.text, table.option, row.code, row.name]
                out.append([*base, "total", row.total.value])
        for figures in result.figures:
            base = [result.code, result.text, "", figures.code, figures.name]
            if figures.spread is None:
                out.append([*base, "median", "fewer than 5 answers"])
                continue
            spread = figures.spread
            out.append([*base, "answers", figures.answered])
            for measure, value in [
                ("lower quartile", spread.lower_quartile),
                ("median", spread.median),
                ("upper quartile", spread.upper_quartile),
            ]:
                out.append([*base, measure, survey_results.format_number(value)])
    return out


def results_csv(version, rates, found) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(version, rates, found))
    return buffer.getvalue()


def results_xlsx(version, rates, found) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Results")
    sheet.append(COLUMNS)
    for row in rows(version, rates, found):
        sheet.append(row)
    about = book.create_sheet(title="About")
    about.append(["Survey", f"{version.title} ({version.year})"])
    for label, text in ABOUT:
        about.append([label, text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(version, extension: str) -> str:
    return f"survey-results-{version.year}.{extension}"
