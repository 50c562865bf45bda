"""The survey's results: response rates, each question's published tables and figures, disclosure control
that matches `slihub survey disclose`, free text for national admins only, exports, year on year, a
council's own answers, publishing."""

import csv
import io
import json
import statistics

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from slihub.places.importers import ENGLISH_REGIONS
from slihub.stats.disclosure import SUPPRESSED, feasible_ranges
from slihub.survey import publishing
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


def test_response_rates_count_submitted_responses_over_current_councils_with_small_counts_hidden(
    survey, as_persona, places
):
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    rows = {
        tr.attrs["data-area"]: [td.text for td in tr.find_all("td")]
        for tr in document.one("table", id="response-rates").find("tbody").find_all("tr")
    }
    submitted = Response.objects.filter(version=survey, status="submitted")
    councils = survey_results.Authority.objects.current()
    assert rows["E92000001"][1] == str(councils.count())
    published = []
    for code, (responses, in_region, rate) in rows.items():
        area = submitted if code == "E92000001" else submitted.filter(authority__region__code=code)
        n = area.count()
        if responses == "c":
            assert rate == "c"
            published.append(["c", "c", int(in_region)])
        else:
            assert int(responses) == n and (n == 0 or n >= 5)
            assert rate == f"{round(100 * n / int(in_region))}%"
            published.append([n, int(in_region) - n, int(in_region)])
        if 1 <= n <= 4:
            assert responses == "c"
    # Beside each region's number of councils (public), no hidden count can be worked out.
    england = published.pop(list(rows).index("E92000001"))
    ranges = feasible_ranges([*published, england])
    assert all(least < most for least, most in ranges.values())


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


def _rows_by_area(table) -> dict[str, list[str]]:
    return {
        tr.attrs["data-area"]: [td.text for td in tr.find_all("td")]
        for tr in table.find("tbody").find_all("tr")
    }


def test_drafts_do_not_count(survey):
    found = survey_results.build_results(survey)
    staffing = next(q for q in found.questions if q.code == "staffing")
    submitted = Response.objects.filter(version=survey, status="submitted").count()
    assert Response.objects.filter(version=survey).count() > submitted
    assert staffing.tables[0].england.total.value == submitted


def test_percentages_are_shown_only_where_the_count_and_its_total_are(survey, as_persona):
    found = survey_results.build_results(survey)
    seen = 0
    for result in found.questions:
        for table in result.tables:
            for row in [*table.regions, table.england]:
                for cell in row.cells:
                    if cell.percent:
                        seen += 1
                        assert cell.shown and row.total.shown
                        assert cell.percent == f"{round(100 * cell.value / row.total.value)}%"
                    else:
                        assert not (cell.shown and row.total.shown and row.total.value > 0)
    assert seen > 0
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    for td in document.find_all("td"):
        if td.attrs.get("data-value") == SUPPRESSED:
            assert td.text == SUPPRESSED


def test_multiple_choice_gives_each_option_a_table_of_ticked_and_not_ticked(survey, as_persona):
    found = survey_results.build_results(survey)
    tools = next(q for q in found.questions if q.code == "tools")
    assert [t.option for t in tools.tables] == data.TOOLS
    answers = list(
        Answer.objects.filter(question__code="tools", response__version=survey, response__status="submitted")
    )
    for table in tools.tables:
        ticked = sum(table.option in a.value for a in answers)
        england = table.england
        assert england.total.value == len(answers)
        assert england.cells[0].value in (ticked, SUPPRESSED)
        assert england.cells[1].value in (len(answers) - ticked, SUPPRESSED)
    text = page(as_persona("national_admin").get("/survey/2026/results/")).one(id="q-tools").text
    assert "Councils could tick more than one option, so each option has its own table" in text


def test_a_scale_is_a_table_of_its_points_labelled_at_its_ends(survey, as_persona):
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    table = document.one("table", **{"data-table": "confidence"})
    headers = [th.text for th in table.find("thead").find_all("th")]
    assert headers == ["Area", "1 (Not at all)", "2", "3", "4", "5 (Very)", "Total"]


def test_the_region_filter_shows_one_region_beside_england(survey, as_persona):
    document = page(as_persona("national_admin").get("/survey/2026/results/?region=E12000003"))
    table = document.one("table", **{"data-table": "staffing"})
    assert list(_rows_by_area(table)) == ["E12000003", "E92000001"]
    assert "Yorkshire and The Humber and England" in table.one("caption").text
    figures = document.one("table", class_="app-survey-figures")
    assert list(_rows_by_area(figures)) == ["E12000003", "E92000001"]


def test_the_related_indicators_are_named_beside_the_question(survey, as_persona):
    from slihub.indicators.models import Indicator

    indicator = Indicator.objects.create(
        code="test:turnover", slug="social-worker-turnover", source="test", name="Social worker turnover"
    )
    survey.questions.get(code="staffing").indicators.add(indicator)
    section = page(as_persona("national_admin").get("/survey/2026/results/")).one(id="q-staffing")
    link = section.one("a", href="/indicators/social-worker-turnover/")
    assert link.text == "Social worker turnover"


def test_free_text_is_listed_with_council_names_for_national_admins(survey, as_persona, client):
    document = page(as_persona("national_admin").get("/survey/2026/results/"))
    texts = document.one(id="q-comments").one("details")
    camden = Answer.objects.get(question__code="comments", response__authority__name="Camden")
    assert "Camden" in texts.text and camden.value in texts.text
    _published(survey)
    client.logout()
    document = page(as_persona("camden_analyst").get("/survey/2026/results/"))
    assert document.one(id="q-comments").find("details") is None
    assert "Words from" not in document.text


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_the_downloads_hold_exactly_what_the_page_shows(survey, as_persona):
    client = as_persona("national_admin")
    document = page(client.get("/survey/2026/results/"))
    on_page = _page_tables(document)
    rows = _csv_rows(client.get("/survey/2026/results.csv").content)
    header, body = rows[0], rows[1:]
    assert header == ["question_code", "question", "option", "area_code", "area", "measure", "value"]
    for key, page_rows in on_page.items():
        code, _, option = key.partition(": ")
        answers = _page_answers(survey, key)
        areas = [*REGION_CODES, "E92000001"]
        for area, page_row in zip(areas, page_rows, strict=True):
            values = {r[5]: r[6] for r in body if r[0] == code and r[2] == option and r[3] == area}
            assert [values[f"count: {a}"] for a in answers] + [values["total"]] == page_row, (key, area)
    figures = _rows_by_area(document.one("table", class_="app-survey-figures"))
    for area, shown in figures.items():
        values = {r[5]: r[6] for r in body if r[0] == "caseload" and r[3] == area}
        if shown == ["fewer than 5 answers"]:
            assert values == {"median": "fewer than 5 answers"}
        else:
            assert [values[m] for m in ("answers", "lower quartile", "median", "upper quartile")] == shown
    assert not any(r[0] == "comments" for r in body)
    book = load_workbook(io.BytesIO(client.get("/survey/2026/results.xlsx").content), read_only=True)
    sheet = [
        ["" if v is None else str(v) for v in row] for row in book["Results"].iter_rows(values_only=True)
    ]
    assert sheet == rows
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert "1 to 4" in about["c"]


def test_last_years_published_england_figures_sit_beside_a_repeated_question(survey, as_persona, places):
    from slihub.places.models import Authority

    earlier = data.version(2025, SurveyVersion.Status.PUBLISHED, codes={"staffing", "caseload"})
    data.answer_all(earlier, Authority.objects.current(), seed=9)
    data.version(2024, SurveyVersion.Status.CLOSED, codes={"staffing"})  # not published: never shown
    client = as_persona("national_admin")
    last_year = page(client.get("/survey/2025/results/"))
    last_england = _page_tables(last_year)["staffing"][-1]
    document = page(client.get("/survey/2026/results/"))
    section = document.one(id="q-staffing")
    assert "England in 2025, the last time this was asked" in section.text
    before = [t for t in section.find_all("table") if "(2025)" in t.one("caption").text]
    assert len(before) == 1
    assert [
        [td.attrs["data-value"] for td in tr.find_all("td")] for tr in before[0].find("tbody").find_all("tr")
    ] == [last_england]
    figures = [
        t for t in document.one(id="q-caseload").find_all("table") if "(2025)" in t.one("caption").text
    ]
    assert list(_rows_by_area(figures[0])) == ["E92000001"]
    assert "last time" not in document.one(id="q-confidence").text
    api = client.get("/api/v1/survey/2026/results").json()
    staffing = next(q for q in api["questions"] if q["code"] == "staffing")
    assert staffing["earlier"]["year"] == 2025
    assert [str(c["value"]) for c in staffing["earlier"]["tables"][0]["england"]["cells"]] == last_england[
        :-1
    ]


def test_a_council_sees_its_own_answers_beside_its_region_and_england(survey, as_persona, places):
    _published(survey)
    response = Response.objects.get(version=survey, authority=places.camden)
    own = response.answers.get(question__code="staffing").value
    document = page(as_persona("camden_analyst").get("/survey/2026/results/our-answers/"))
    row = document.one("table", id="own-answers").one("tr", **{"data-question": "staffing"})
    cells = [td.text for td in row.find_all("td")]
    found = survey_results.build_results(survey)
    table = next(q for q in found.questions if q.code == "staffing").tables[0]
    column = table.columns.index(own)
    london = next(r for r in table.regions if r.code == "E12000007").cells[column]
    assert cells[0] == own
    assert cells[1].startswith(f"{own}: {london.value}")
    assert cells[2].startswith(f"{own}: {table.england.cells[column].value}")
    caseload = document.one("tr", **{"data-question": "caseload"})
    assert caseload.find_all("td")[0].text == response.answers.get(question__code="caseload").value


def test_publishing_makes_the_results_readable_and_a_summary_public(survey, as_persona, client):
    admin = as_persona("national_admin")
    confirm = page(admin.get("/survey/2026/publish/"))
    assert confirm.one("h1").text == "Publish the results"
    assert any(b.text == "Publish the results" for b in confirm.find_all("button"))
    response = admin.post("/survey/2026/publish/", {"action": "publish"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == SurveyVersion.Status.PUBLISHED and survey.published_at is not None
    assert admin.get("/survey/2026/summary/").status_code == 404
    admin.post("/survey/2026/publish/", {"action": "summary-on"})
    survey.refresh_from_db()
    assert survey.public_summary
    client.logout()
    summary = page(client.get("/survey/2026/summary/"))
    assert summary.one("h1").text == "Summary of the results"
    assert _page_tables(summary).keys() == {
        "staffing",
        "confidence",
        "tools: Peer review",
        "tools: Mentoring",
        "tools: Data packs",
    }
    admin = as_persona("national_admin")
    admin.post("/survey/2026/publish/", {"action": "summary-off"})
    client.logout()
    assert client.get("/survey/2026/summary/").status_code == 404


def test_an_open_survey_cannot_be_published(survey, as_persona):
    survey.status = SurveyVersion.Status.OPEN
    survey.save()
    admin = as_persona("national_admin")
    response = admin.post("/survey/2026/publish/", {"action": "publish"})
    assert response.status_code == 400
    assert "close it before publishing its results" in page(response).one(class_="govuk-error-summary").text
    survey.refresh_from_db()
    assert survey.status == SurveyVersion.Status.OPEN


def test_publishing_is_audited(survey, people):
    from auditlog.models import LogEntry

    publishing.publish_results(version=survey, user=people["national_admin"])
    entry = LogEntry.objects.get_for_object(survey).latest("timestamp")
    assert "status" in entry.changes and "published" in str(entry.changes)


def test_the_results_page_reads_the_database_a_bounded_number_of_times(
    survey, as_persona, django_assert_max_num_queries
):
    client = as_persona("national_admin")
    client.get("/survey/2026/results/")  # works the figures out and keeps them
    with django_assert_max_num_queries(13):
        assert client.get("/survey/2026/results/").status_code == 200


@pytest.mark.parametrize("seed", range(6))
def test_columns_of_answers_nobody_gave_change_nothing_that_is_hidden(seed):
    """The pages name every option beforehand (zeros included); the command sees only answers given."""
    import random

    from slihub.survey.tables import Response as Row
    from slihub.survey.tables import question_tables

    rng = random.Random(seed)
    given = ["A", "B", "C"]
    rows = [
        Row(0, f"council {n}", rng.choice(REGION_CODES), "q", rng.choice(given[: rng.randint(1, 3)]))
        for n in range(rng.randint(20, 60))
    ]
    rows.sort(key=lambda r: given.index(r.answer))  # first appearance in the questionnaire's order
    plain = question_tables(rows)[0]
    ordered = question_tables(rows, answer_order={"q": ["Never", "A", "Unused", "B", "C", "Nobody"]})[0]
    keep = [ordered.answers.index(a) for a in plain.answers] + [len(ordered.answers)]
    dropped = [ordered.answers.index(a) for a in ordered.answers if a not in plain.answers]
    assert all(row[j] == 0 for row in ordered.published() for j in dropped)
    assert [[row[j] for j in keep] for row in ordered.published()] == plain.published()


def test_the_api_publishes_what_the_page_shows(survey, as_persona):
    client = as_persona("national_admin")
    on_page = _page_tables(page(client.get("/survey/2026/results/")))
    document = client.get("/api/v1/survey/2026/results").json()
    from_api = {}
    for question in document["questions"]:
        for table in question["tables"]:
            from_api[table["key"]] = [
                [str(cell["value"]) for cell in row["cells"]] + [str(row["total"])]
                for row in [*table["regions"], table["england"]]
            ]
    assert from_api == on_page
    assert document["threshold"] == 5 and document["suppressed"] == SUPPRESSED
    caseload = next(q for q in document["questions"] if q["code"] == "caseload")
    assert all((f["median"] is None) == (f["answered"] is None) for f in caseload["figures"])
    assert any(f["median"] is None for f in caseload["figures"])


def test_the_figures_are_kept_until_an_answer_changes(survey, as_persona, places):
    client = as_persona("national_admin")
    before = _page_tables(page(client.get("/survey/2026/results/")))["staffing"][-1]
    publishing.publish_results(version=survey, user=_admin())
    answers = Answer.objects.filter(
        question__code="staffing", response__version=survey, response__status="submitted"
    ).exclude(value="Yes")[:6]
    for answer in answers:
        answer.value = "Yes"
        answer.save()
    after = _page_tables(page(client.get("/survey/2026/results/")))["staffing"][-1]
    assert after != before and after[-1] == before[-1]  # the same councils, different answers


def _admin():
    from slihub.accounts.models import Role, User

    return User.objects.get(memberships__role=Role.NATIONAL_ADMIN)


def test_a_national_admin_picks_a_council_to_see_its_answers(survey, as_persona, places):
    _published(survey)
    client = as_persona("national_admin")
    document = page(client.get("/survey/2026/results/our-answers/"))
    links = [a.text for a in document.one("ul", id="councils").find_all("a")]
    submitted = Response.objects.filter(version=survey, status="submitted").order_by("authority__name")
    assert links == [r.authority.name for r in submitted]
    assert "Draft" not in links
    chosen = page(client.get("/survey/2026/results/our-answers/?council=383"))
    assert chosen.one("h1").text == "Leeds's answers beside its region and England"
    assert client.get("/survey/2026/results/our-answers/?council=999").status_code == 404


def test_a_council_that_did_not_respond_is_told_so(survey, as_persona, places):
    _published(survey)
    Response.objects.filter(version=survey, authority=places.camden).delete()
    document = page(as_persona("camden_analyst").get("/survey/2026/results/our-answers/"))
    assert "did not submit a response" in document.one(id="no-response").text
    assert (
        as_persona("camden_analyst").get("/survey/2026/results/our-answers/?council=383").status_code == 404
    )
