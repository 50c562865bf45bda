"""The survey's results: response rates, each question's published tables and figures, disclosure control
that matches `slihub survey disclose`, free text for national admins only, exports, year on year, a
council's own answers, publishing."""

import csv
import io
import json
import statistics

import pytest
from django.core.management import call_command

from slihub.places.importers import ENGLISH_REGIONS
from slihub.stats.disclosure import SUPPRESSED, feasible_ranges
from slihub.survey import results as survey_results
from slihub.survey.models import Answer, Response, SurveyVersion
from tests.integration import survey_results_data as data
from tests.integration.html import page

pytestmark = pytest.mark.django_db

REGION_CODES = sorted(ENGLISH_REGIONS)


@pytest.fixture
def survey(places, people):
    authorities = data.councils(places)
    made = data.version(2026)
    # all but a few councils submit; two keep a draft, which never counts
    data.answer_all(made, authorities[:-4])
    data.answer_all(made, authorities[-4:-2], status=Response.Status.DRAFT, seed=2)
    return made


def _published(survey):
    survey.status = SurveyVersion.Status.PUBLISHED
    survey.save()
    return survey


def _page_tables(document) -> dict[str, list[list[str]]]:
    """Each published table on the page by its key: its rows (regions, then England) of cell values."""
    found = {}
    for table in document.find_all("table", class_="app-survey-table"):
        if "England (" in table.one("caption").text:
            continue  # last year's England figures
        rows = []
        for tr in table.find("tbody").find_all("tr"):
            rows.append([td.attrs["data-value"] for td in tr.find_all("td")])
        found.setdefault(table.attrs["data-table"], rows)
    return found


def _command_tables(survey, tmp_path) -> dict:
    """`slihub survey disclose --json` on the same submitted answers, written as its CSV."""
    responses, order = survey_results.tables_input(survey)
    # rows in the questionnaire's order of answers, so that the command's columns come in the same order
    rank = {(key, answer): k for key, answers in order.items() for k, answer in enumerate(answers)}
    responses.sort(key=lambda r: (list(order).index(r.question), rank[(r.question, r.answer)]))
    path = tmp_path / "responses.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "region", "question", "answer"])
        for r in responses:
            writer.writerow([r.respondent, r.region, r.question, r.answer])
    out = io.StringIO()
    call_command("survey", "disclose", "--csv", str(path), "--json", stdout=out)
    return {q["question"]: q for q in json.loads(out.getvalue())["questions"]}


def test_the_page_publishes_exactly_what_the_command_prints(survey, as_persona, tmp_path):
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    on_page = _page_tables(document)
    printed = _command_tables(survey, tmp_path)
    assert (
        set(on_page)
        == set(printed)
        == {
            "staffing",
            "confidence",
            "tools: Peer review",
            "tools: Mentoring",
            "tools: Data packs",
        }
    )
    assert any(SUPPRESSED in row for rows in on_page.values() for row in rows)  # the test can fail
    for key, rows in on_page.items():
        table = printed[key]
        expected = [
            [str(region["counts"].get(answer, 0)) for answer in _page_answers(survey, key)]
            + [str(region["total"])]
            for region in table["regions"]
        ]
        england = table["england"]
        expected.append(
            [str(england["counts"].get(answer, 0)) for answer in _page_answers(survey, key)]
            + [str(england["total"])]
        )
        assert rows == expected, key


def _page_answers(survey, key):
    _, order = survey_results.tables_input(survey)
    return order[key]


def test_no_count_of_1_to_4_is_shown_in_any_table(survey, as_persona):
    document = page(as_persona("camden_analyst").get("/survey/2026/results/")) if False else None
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    shown = [
        value
        for rows in _page_tables(document).values()
        for row in rows
        for value in row
        if value != SUPPRESSED
    ]
    assert shown and all(int(value) == 0 or int(value) >= 5 for value in shown)


def test_no_hidden_cell_can_be_worked_out_from_the_page(survey, as_persona):
    """Each table as the page shows it, given to the exact range computation (linear programming over the
    published table with its totals): every `c` could be at least two values."""
    tables = _page_tables(page(as_persona("national_admin").get("/survey/2026/results/")))
    checked = 0
    for key, rows in tables.items():
        published = [[SUPPRESSED if v == SUPPRESSED else int(v) for v in row] for row in rows]
        for entry, (least, most) in feasible_ranges(published).items():
            assert least >= 1 and most - least >= 1, (key, entry, least, most)
            checked += 1
    assert checked > 0


def test_response_rates_count_submitted_responses_over_current_councils(survey, as_persona, places):
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    rows = {
        tr.attrs["data-area"]: [td.text for td in tr.find_all("td")]
        for tr in document.one("table", id="response-rates").find("tbody").find_all("tr")
    }
    submitted = Response.objects.filter(version=survey, status="submitted")
    councils = survey_results.Authority.objects.current()
    assert rows["E92000001"][:2] == [str(submitted.count()), str(councils.count())]
    london = submitted.filter(authority__region__code="E12000007").count()
    london_councils = (
        councils.filter(authority__region__code="E12000007").count()
        if False
        else councils.filter(region__code="E12000007").count()
    )
    assert rows["E12000007"] == [
        str(london),
        str(london_councils),
        f"{round(100 * london / london_councils)}%",
    ]


def test_numbers_show_median_and_quartiles_only_with_5_answers(survey, as_persona):
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    figures = document.one("table", class_="app-survey-figures")
    rows = {
        tr.attrs["data-area"]: [td.text for td in tr.find_all("td")]
        for tr in figures.find("tbody").find_all("tr")
    }
    values = [
        float(a.value)
        for a in Answer.objects.filter(
            question__code="caseload", response__version=survey, response__status="submitted"
        )
    ]
    lower, middle, upper = statistics.quantiles(values, n=4, method="inclusive")
    england = rows["E92000001"]
    assert england[0] == str(len(values))
    assert england[2] == survey_results.format_number(middle)
    assert england[1] == survey_results.format_number(lower) and england[3] == survey_results.format_number(
        upper
    )
    # regions with fewer than 5 submitted answers show no figure at all
    for code in REGION_CODES:
        answered = Answer.objects.filter(
            question__code="caseload",
            response__version=survey,
            response__status="submitted",
            response__authority__region__code=code,
        ).count()
        if answered < 5:
            assert rows[code] == ["fewer than 5 answers"], code
        else:
            assert rows[code][0] == str(answered)
    assert any(r == ["fewer than 5 answers"] for r in rows.values())
