"""Loading Ofsted's inspections from small files made here, and showing them on the page and in the API.

The places are the shared handful (tests/factories.py): Camden, Leeds, North Yorkshire (whose
old ONS code E10000023 Ofsted's files may use), Cumbria (former) and Cumberland.
"""

import csv
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slihub.inspections import selectors
from slihub.inspections.files import HISTORY, IN_YEAR, SCRAPE
from slihub.inspections.models import Inspection
from slihub.inspections.services import load_inspections
from slihub.places.importers import DataFileError
from slihub.places.models import SourceFile
from tests.integration.html import page

RI = "Requires improvement to be good"
LEADERS = "The impact of leaders on social work practice with children and families"
HELP = "The experiences and progress of children who need help and protection"
IN_CARE = "The experiences and progress of children in care"
LEAVERS = "The experiences and progress of care leavers"

HISTORY_HEADER = [
    "Local authority area code",
    "Local authority name",
    "Local authority status",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    "Inspection type",
    "Overall effectiveness",
    LEADERS,
    HELP,
    IN_CARE,
    LEAVERS,
]
HISTORY_ROWS = [
    ["E09000007", "Camden", "Current", "London", "2019-01-14", "2019-02-25", "ILACS Short Inspection",
     "Good", "Good", "Good", "Good", ""],
    ["E09000007", "Camden", "Current", "London", "2024-06-10", "2024-07-23", "ILACS Standard Inspection",
     "Outstanding", "Outstanding", "Good", "Outstanding", "Good"],
    ["E08000035", "Leeds", "Current", "North East, Yorkshire and the Humber", "2022-02-21", "2022-04-05",
     "ILACS Short Inspection", "Outstanding", "Outstanding", "Outstanding", "Outstanding", ""],
    ["E10000023", "North Yorkshire", "Current", "North East, Yorkshire and the Humber", "2018-07-02",
     "2018-08-13", "ILACS Standard Inspection", *["Outstanding"] * 4, ""],
    ["E10000006", "Cumbria", "No longer exists", "North West", "2022-09-20", "2022-11-01",
     "ILACS Standard Inspection", RI, RI, RI, "Good", ""],
]  # fmt: skip
IN_YEAR_HEADER = [
    "Local authority area code",
    "Local authority name",
    "Region",
    "Inspection/Visit date",
    "Publication date",
    "Inspection/Visit type",
    "Overall effectiveness",
    LEADERS,
    HELP,
    IN_CARE,
    LEAVERS,
    "Visit Theme",
]
IN_YEAR_ROWS = [
    ["E09000007", "Camden", "London", "2024-06-10", "2024-07-23", "ILACS Standard Inspection",
     "Outstanding", "Outstanding", "Good", "Outstanding", "Good", ""],
    ["E08000035", "Leeds", "North East, Yorkshire and the Humber", "2024-11-05", "2024-12-05",
     "ILACS Focused Visit", "", "", "", "", "", "Children in care"],
    ["E06000063", "Cumberland", "North West", "2024-10-07", "2024-11-12", "LA Monitoring visit",
     "", "", "", "", "", "Children in need/subject to a plan"],
]  # fmt: skip
SCRAPE_HEADER = [
    "la_code",
    "local_authority",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "inspector_name",
    "inspection_link",
    "last_seen_in_commit",
    "last_seen_at",
    "first_seen_at",
]
REPORTS = "https://files.ofsted.gov.uk/v1/file"
SEEN = ["15af1ad5", "2026-06-29T06:39:44+00:00", "2024-11-18T09:59:28+00:00"]
SCRAPE_ROWS = [
    # Camden 2024: the scrape disagrees with Ofsted on two judgments; Ofsted's record must win.
    ["202", "camden", "standard", "2024-06-10", "2024-06-21", "2024-07-23", "outstanding", "good",
     "requires improvement", "outstanding", "good", "a inspector", f"{REPORTS}/1", *SEEN],
    # Leeds 2022: the scrape gives a care leavers grade to an inspection from before they were judged.
    ["383", "leeds", "short", "2022-02-21", "2022-02-25", "2022-04-05", "outstanding", "outstanding",
     "outstanding", "outstanding", "good", "b inspector", f"{REPORTS}/2", *SEEN],
    # Leeds 2025: only the scrape has it.
    ["383", "leeds", "short", "2025-06-30", "2025-07-04", "2025-08-12", "outstanding", "good",
     "requires improvement", "inadequate", "requires improvement", "c inspector", f"{REPORTS}/3", *SEEN],
    # North Yorkshire 2021: scrape only, no overall grade, the marker for "no care leavers judgment".
    ["815", "north yorkshire", "inspection duration longer than standard framework", "2021-06-07",
     "2021-06-23", "2021-07-30", "", "good", "good", "good", "inspection_pre_dates_judgement", "d inspector",
     f"{REPORTS}/4", *SEEN],
]  # fmt: skip


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def folder(tmp_path, places):
    """A data folder holding the three files, as small as the rules allow."""
    write_csv(tmp_path / HISTORY.filename, HISTORY_HEADER, HISTORY_ROWS)
    write_csv(tmp_path / IN_YEAR.filename, IN_YEAR_HEADER, IN_YEAR_ROWS)
    write_csv(tmp_path / SCRAPE.filename, SCRAPE_HEADER, SCRAPE_ROWS)
    return tmp_path


@pytest.fixture
def loaded(folder):
    load_inspections(folder)
    return folder


def stored() -> list[tuple]:
    """Every stored inspection as plain values, to compare the table before and after."""
    return list(
        Inspection.objects.order_by("authority__code", "start_date", "kind").values_list(
            "authority__code",
            "kind",
            "start_date",
            "end_date",
            "published_on",
            "overall_effectiveness",
            "impact_of_leaders",
            "help_and_protection",
            "children_in_care",
            "care_leavers",
            "visit_theme",
            "report_url",
            "sources",
        )
    )


def inspection(code: str, start: str) -> Inspection:
    return Inspection.objects.get(authority__code=code, start_date=date.fromisoformat(start))


def test_it_loads_every_inspection_and_visit_once(loaded):
    assert Inspection.objects.count() == 5 + 2 + 2  # history, in-year visits, scrape-only
    assert Inspection.objects.graded().count() == 7
    assert Inspection.objects.visits().count() == 2


def test_ofsteds_record_wins_where_both_hold_an_inspection(loaded):
    camden = inspection("202", "2024-06-10")
    assert camden.kind == "standard"
    grades = [grade for _, _, grade in camden.judgments()]
    assert grades == ["Outstanding", "Outstanding", "Good", "Outstanding", "Good"]
    # What Ofsted's files lack comes from the scrape.
    assert camden.end_date == date(2024, 6, 21)
    assert camden.report_url == "https://files.ofsted.gov.uk/v1/file/1"
    assert camden.sources == [HISTORY.filename, IN_YEAR.filename, SCRAPE.filename]
    assert camden.is_official
    leeds = inspection("383", "2022-02-21")
    assert leeds.care_leavers == ""  # Ofsted made no such judgment in 2022, whatever the scrape says


def test_the_scrapes_lower_case_grades_become_ofsteds_wording(loaded):
    leeds = inspection("383", "2025-06-30")
    assert (leeds.overall_effectiveness, leeds.impact_of_leaders, leeds.help_and_protection) == (
        "Outstanding",
        "Good",
        RI,
    )
    assert (leeds.children_in_care, leeds.care_leavers) == ("Inadequate", RI)
    assert leeds.sources == [SCRAPE.filename] and not leeds.is_official
    north_yorkshire = inspection("815", "2021-06-07")
    assert north_yorkshire.kind == "standard"  # "inspection duration longer than standard framework"
    assert north_yorkshire.overall_effectiveness == ""  # missing in the scrape: kept missing, never guessed
    assert north_yorkshire.care_leavers == ""


def test_authorities_are_joined_on_former_codes_and_former_authorities_keep_theirs(loaded):
    assert inspection("815", "2018-07-02").overall_effectiveness == "Outstanding"  # ONS code E10000023
    cumbria = inspection("909", "2022-09-20")
    assert cumbria.authority.name == "Cumbria" and not cumbria.authority.is_current
    assert not Inspection.objects.filter(authority__code="942", kind="standard").exists()


def test_visits_keep_their_theme_and_have_no_grades(loaded):
    focused = inspection("383", "2024-11-05")
    assert (focused.kind, focused.get_kind_display(), focused.visit_theme) == (
        "focused visit",
        "ILACS Focused Visit",
        "Children in care",
    )
    assert not any(grade for _, _, grade in focused.judgments())
    monitoring = inspection("942", "2024-10-07")
    assert monitoring.get_kind_display() == "LA Monitoring visit"


def test_loading_twice_changes_nothing(loaded):
    before = stored()
    report = load_inspections(loaded)
    assert not report.changed
    assert stored() == before


def test_the_report_counts_what_the_merge_found(folder):
    findings = load_inspections(folder).findings
    assert findings.in_year_in_history == 1
    assert findings.scrape_matched == 2 and findings.scrape_only == 2
    assert findings.official_not_in_scrape == 3
    assert {(d.code, d.field) for d in findings.disagreements} == {
        ("202", "impact_of_leaders"),
        ("202", "help_and_protection"),
        ("383", "care_leavers"),
    }
    assert findings.disagreeing("overall_effectiveness") == []


def test_a_changed_file_changes_only_what_changed(loaded):
    rows = [row[:] for row in HISTORY_ROWS]
    rows[0][7] = RI
    write_csv(loaded / HISTORY.filename, HISTORY_HEADER, rows)
    changes = load_inspections(loaded).changes["inspections"]
    assert (changes.created, changes.updated, changes.deleted) == (0, 1, 0)
    assert inspection("202", "2019-01-14").overall_effectiveness == RI


def broken(rows, index, column, value):
    rows = [row[:] for row in rows]
    rows[index][column] = value
    return rows


# (file, header, rows, line, column, words in the message)
BAD_FILES = [
    (HISTORY, HISTORY_HEADER, broken(HISTORY_ROWS, 1, 7, "good"), 3, 8, "not one of Ofsted's grades"),
    (HISTORY, HISTORY_HEADER, broken(HISTORY_ROWS, 2, 0, "E09999999"), 4, 1, "not the ONS code"),
    (HISTORY, HISTORY_HEADER, broken(HISTORY_ROWS, 0, 4, "14/01/2019"), 2, 5, "YYYY-MM-DD"),
    (HISTORY, HISTORY_HEADER, broken(HISTORY_ROWS, 0, 11, "Good"), 2, 12, "separately only from"),
    (HISTORY, HISTORY_HEADER, broken(HISTORY_ROWS, 4, 2, "Current"), 6, 3, "a former one"),
    (HISTORY, HISTORY_HEADER, HISTORY_ROWS + [HISTORY_ROWS[0]], 7, 5, "listed twice (first on line 2)"),
    (IN_YEAR, IN_YEAR_HEADER, broken(IN_YEAR_ROWS, 1, 6, "Good"), 3, 7, "is not graded"),
    (IN_YEAR, IN_YEAR_HEADER, broken(IN_YEAR_ROWS, 2, 11, ""), 4, 12, "has a theme"),
    (IN_YEAR, IN_YEAR_HEADER, broken(IN_YEAR_ROWS, 2, 5, "JTAI"), 4, 6, "not one of"),
    (IN_YEAR, IN_YEAR_HEADER, broken(IN_YEAR_ROWS, 0, 4, "2024-06-01"), 2, 5, "before the visit"),
    (
        SCRAPE,
        SCRAPE_HEADER,
        broken(SCRAPE_ROWS, 2, 7, "requires improvement to be good"),
        4,
        8,
        "not a grade",
    ),
    (SCRAPE, SCRAPE_HEADER, broken(SCRAPE_ROWS, 0, 0, "999"), 2, 1, "not the DfE code"),
    (SCRAPE, SCRAPE_HEADER, broken(SCRAPE_ROWS, 1, 4, "2022-02-30"), 3, 5, "not a real date"),
    (SCRAPE, SCRAPE_HEADER, broken(SCRAPE_ROWS, 1, 4, "2022-02-01"), 3, 5, "before the start"),
    (
        SCRAPE,
        SCRAPE_HEADER,
        broken(SCRAPE_ROWS, 2, 10, "inspection_pre_dates_judgement"),
        4,
        11,
        "after care",
    ),
    (SCRAPE, SCRAPE_HEADER, broken(SCRAPE_ROWS, 0, 12, "http://example.com/x"), 2, 13, "not an https gov.uk"),
]


@pytest.mark.parametrize(("source", "header", "rows", "line", "column", "words"), BAD_FILES)
def test_a_bad_file_is_refused_whole_and_nothing_changes(loaded, source, header, rows, line, column, words):
    before, files_before = stored(), list(SourceFile.objects.values_list("filename", "sha256"))
    write_csv(loaded / source.filename, header, rows)
    with pytest.raises(DataFileError) as refused:
        load_inspections(loaded)
    error = refused.value
    assert (error.path.name, error.line, error.column) == (source.filename, line, column)
    assert words in error.message
    assert str(error).startswith(f"{source.filename}, line {line}, column {column}: {header[column - 1]}: ")
    assert stored() == before
    assert list(SourceFile.objects.values_list("filename", "sha256")) == files_before


def test_a_file_without_a_column_is_refused(loaded):
    write_csv(loaded / SCRAPE.filename, SCRAPE_HEADER[:-1], [row[:-1] for row in SCRAPE_ROWS])
    with pytest.raises(DataFileError, match=r"line 1: missing column first_seen_at"):
        load_inspections(loaded)


def test_national_counts_use_each_current_authoritys_latest_inspection(loaded):
    # Camden 2024 Outstanding, Leeds 2025 Outstanding, North Yorkshire 2021 (overall missing);
    # Cumbria is former and not counted.
    assert selectors.national_counts() == [
        ("Outstanding", 2),
        ("Good", 0),
        (RI, 0),
        ("Inadequate", 0),
        ("", 1),
    ]
    assert dict(selectors.national_counts(current_only=False))[RI] == 1
    assert dict(selectors.national_counts("care_leavers"))[RI] == 1
    with pytest.raises(ValueError, match="judgment must be one of"):
        selectors.national_counts("leadership")


def test_the_api_lists_an_authoritys_inspections_latest_first(client, loaded):
    response = client.get("/api/v1/authorities/383/inspections")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["start_date"] for item in body["items"]] == ["2025-06-30", "2024-11-05", "2022-02-21"]
    latest, visit, older = body["items"]
    assert latest["type_name"] == "ILACS Short Inspection"
    assert latest["help_and_protection"] == RI and latest["official"] is False
    assert visit["type"] == "focused visit" and visit["overall_effectiveness"] is None
    assert visit["visit_theme"] == "Children in care"
    assert older["care_leavers"] is None and older["report_url"] == "https://files.ofsted.gov.uk/v1/file/2"
    paged = client.get("/api/v1/authorities/E08000035/inspections?limit=1&offset=1").json()
    assert paged["count"] == 3 and [item["start_date"] for item in paged["items"]] == ["2024-11-05"]


def test_the_api_answers_404_for_an_unknown_authority(client, loaded):
    response = client.get("/api/v1/authorities/999/inspections")
    assert response.status_code == 404
    assert response.json() == {"detail": "No authority has the code '999'."}


def test_the_authority_page_shows_the_latest_judgments_and_the_history(client, loaded):
    response = client.get("/authorities/202/")
    assert response.status_code == 200
    document = page(response)
    judgments = document.one("dl", id="latest-judgments")
    rows = [
        (row.one("dt").text, row.one("dd").text)
        for row in judgments.find_all("div", class_="govuk-summary-list__row")
    ]
    assert rows == [
        ("Overall effectiveness", "Outstanding"),
        (LEADERS, "Outstanding"),
        (HELP, "Good"),
        (IN_CARE, "Outstanding"),
        (LEAVERS, "Good"),
    ]
    table = document.one("table", id="inspection-history")
    assert table.one("caption").text == "Inspections and visits of Camden, latest first"
    assert all(th.attrs.get("scope") == "col" for th in table.one("thead").find_all("th"))
    body_rows = table.one("tbody").find_all("tr")
    assert [row.one("th").attrs["scope"] for row in body_rows] == ["row", "row"]
    cells = [[row.one("th").text] + [td.text for td in row.find_all("td")] for row in body_rows]
    assert cells == [
        ["10 June 2024", "ILACS Standard Inspection", "Outstanding", "",
         "Ofsted report of 10 June 2024", "Ofsted"],
        ["14 January 2019", "ILACS Short Inspection", "Good", "", "", "Ofsted"],
    ]  # fmt: skip
    assert body_rows[0].one("a").attrs["href"] == "https://files.ofsted.gov.uk/v1/file/1"


def test_the_page_says_when_care_leavers_were_not_judged_and_a_visit_is_not_graded(client, loaded):
    document = page(client.get("/authorities/383/"))
    judgments = document.one("dl", id="latest-judgments").text
    assert "Outstanding" in judgments  # 2025, from the scrape
    assert "Data to Insight's scrape" in document.one("main").text
    visit = document.one("table", id="inspection-history").one("tbody").find_all("tr")[1]
    assert [td.text for td in visit.find_all("td")][:3] == [
        "ILACS Focused Visit",
        "Not graded",
        "Children in care",
    ]
    cumbria = page(client.get("/authorities/909/")).one("dl", id="latest-judgments").text
    assert "Not judged separately: before January 2023" in cumbria


def test_the_page_of_an_authority_never_inspected_says_so(client, loaded):
    document = page(client.get("/authorities/206/"))
    assert document.find("dl", id="latest-judgments") is None
    assert "There is no Ofsted inspection of Islington" in document.one("main").text


def test_the_authority_page_reads_inspections_in_two_queries_whatever_their_number(client, loaded):
    # one for the list of inspections and visits, one for the Partners in Practice record (graded only)
    with CaptureQueriesContext(connection) as queries:
        client.get("/authorities/202/")
    assert sum("inspections_inspection" in q["sql"] for q in queries.captured_queries) == 2
