"""Reading a file of survey responses and building each question's published table.

The file (CSV, UTF-8) has the columns `respondent,region,question,answer`, one row per respondent and
question. `region` is one of England's nine regions, by name ("North East", any case) or ONS code
(E12000001); Inner and Outer London (E13000001/2) count as London. The same function builds what the
survey's result pages publish, so the command shows exactly that.
"""

from dataclasses import dataclass
from pathlib import Path

from slihub.places.importers import ENGLISH_REGIONS, LONDON, LONDON_PARTS
from slihub.sources import DataFileError, csv_rows
from slihub.stats import disclosure

COLUMNS = ["respondent", "region", "question", "answer"]


@dataclass(frozen=True)
class Response:
    line: int
    respondent: str
    region: str  # ONS code of an English region
    question: str
    answer: str


@dataclass
class QuestionTable:
    question: str
    answers: list[str]
    regions: list[tuple[str, str]]  # (ONS code, name), in code order
    table: disclosure.Suppression

    def published(self) -> list[list]:
        return self.table.published()


def _region_lookup() -> dict[str, str]:
    lookup = {}
    for code, name in ENGLISH_REGIONS.items():
        lookup[code.casefold()] = lookup[name.casefold()] = code
    for code, name in LONDON_PARTS.items():
        lookup[code.casefold()] = lookup[name.casefold()] = LONDON
    return lookup


def read_responses(path: Path | str) -> list[Response]:
    """Every response in the file, each cell checked; DataFileError names the line of the first bad one."""
    path = Path(path)
    lookup = _region_lookup()
    responses: list[Response] = []
    first_seen: dict[tuple[str, str], int] = {}
    for line, row, header in csv_rows(path, COLUMNS):

        def refuse(column, message, line=line, header=header):
            raise DataFileError(path, f"{column}: {message}", line=line, column=header.index(column) + 1)

        cells = {name: row[name].strip() for name in COLUMNS}
        for name in COLUMNS:
            if not cells[name]:
                refuse(name, "the cell is empty")
        region = lookup.get(" ".join(cells["region"].split()).casefold())
        if region is None:
            refuse("region", f"{cells['region']!r} is not one of England's nine regions (a name or E12 code)")
        key = (cells["respondent"], cells["question"])
        if key in first_seen:
            refuse(
                "question",
                f"respondent {key[0]!r} answered {key[1]!r} twice (first on line {first_seen[key]})",
            )
        first_seen[key] = line
        responses.append(Response(line, cells["respondent"], region, cells["question"], cells["answer"]))
    if not responses:
        raise DataFileError(path, "no responses in the file")
    return responses


def question_tables(
    responses: list[Response],
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    protection: int = disclosure.DEFAULT_PROTECTION,
    answer_order: dict[str, list[str]] | None = None,
) -> list[QuestionTable]:
    """Each question (in the order it first appears) as a table of the nine regions by its answers (in
    the order they first appear), suppressed for publication.

    `answer_order` (the result pages give it) names questions and their answers in order beforehand, so that
    answers nobody gave show as columns of zeros and the columns follow the questionnaire. Columns of
    zeros change nothing that is hidden: zeros are never hidden, and the other columns keep their order."""
    regions = sorted(ENGLISH_REGIONS.items())
    row_of = {code: i for i, (code, _) in enumerate(regions)}
    questions: dict[str, dict[str, list[int]]] = {}
    for question, given in (answer_order or {}).items():
        questions[question] = {answer: [0] * len(regions) for answer in given}
    for response in responses:
        answers = questions.setdefault(response.question, {})
        counts = answers.setdefault(response.answer, [0] * len(regions))
        counts[row_of[response.region]] += 1
    tables = []
    for question, answers in questions.items():
        counts = [[answers[answer][i] for answer in answers] for i in range(len(regions))]
        table = disclosure.suppress(counts, threshold=threshold, protection=protection)
        tables.append(QuestionTable(question, list(answers), regions, table))
    return tables


def _entry(value):
    return value if value == disclosure.SUPPRESSED else int(value)


def tables_to_json(tables: list[QuestionTable], threshold: int, ranges: bool = False) -> dict:
    """The published tables as a JSON-ready object (counts are numbers, or "c")."""
    document = {"threshold": threshold, "suppressed": disclosure.SUPPRESSED, "questions": []}
    for table in tables:
        published = table.published()
        answers = table.answers
        rows = []
        for i, (code, name) in enumerate(table.regions):
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "counts": {answer: _entry(published[i][j]) for j, answer in enumerate(answers)},
                    "total": _entry(published[i][-1]),
                }
            )
        england = {
            "counts": {answer: _entry(published[-1][j]) for j, answer in enumerate(answers)},
            "total": _entry(published[-1][-1]),
        }
        item = {"question": table.question, "answers": answers, "regions": rows, "england": england}
        if ranges:
            item["ranges"] = [
                {
                    "row": _row_name(table, i),
                    "column": _column_name(table, j),
                    "min": low,
                    "max": _finite(high),
                }
                for (i, j), (low, high) in sorted(table.table.ranges.items())
            ]
        document["questions"].append(item)
    return document


def _row_name(table: QuestionTable, i: int) -> str:
    return table.regions[i][1] if i < len(table.regions) else "England"


def _column_name(table: QuestionTable, j: int) -> str:
    return table.answers[j] if j < len(table.answers) else "Total"


def _finite(value):
    return None if value == float("inf") else value


def tables_to_text(tables: list[QuestionTable], threshold: int, ranges: bool = False) -> str:
    """The published tables as plain aligned text, one block per question."""
    blocks = [
        f"Counts of 1 to {threshold - 1} respondents, and the counts that would give them away, show as "
        f"{disclosure.SUPPRESSED}."
        if threshold > 1
        else "Nothing is suppressed (threshold 1)."
    ]
    for table in tables:
        published = table.published()
        header = ["Region", *table.answers, "Total"]
        body = [[name, *map(str, published[i])] for i, (_, name) in enumerate(table.regions)]
        body.append(["England", *map(str, published[-1])])
        widths = [max(len(row[k]) for row in [header, *body]) for k in range(len(header))]

        def line(cells, widths=widths):
            first = cells[0].ljust(widths[0])
            rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
            return "  ".join([first, *rest]).rstrip()

        text = [f"Question: {table.question}", line(header), *(line(row) for row in body)]
        if ranges and table.table.ranges:
            text.append("Each c could be (given what is shown):")
            for (i, j), (low, high) in sorted(table.table.ranges.items()):
                most = "no upper limit" if high == float("inf") else str(high)
                text.append(f"  {_row_name(table, i)}, {_column_name(table, j)}: {low} to {most}")
        blocks.append("\n".join(text))
    return "\n\n".join(blocks) + "\n"
