"""Every cell the inspection import stores equals its source cell in the public files.

Read here with the csv module and a mapping of the test's own, not with the importer's code.
"""

import csv
from collections import Counter
from datetime import date

import pytest

from slihub.inspections import selectors
from slihub.inspections.models import Inspection
from slihub.inspections.services import load_inspections
from slihub.places.models import Authority

pytestmark = pytest.mark.django_db

HISTORY = "derived_ofsted_ilacs_inspection_history_2018_to_2025-03.csv"
IN_YEAR = "derived_ofsted_ilacs_inyear_2024-04_to_2025-03.csv"
SCRAPE = "derived_d2i_ilacs_inspections_union_from_git_history.csv"

OFSTED_COLUMNS = [
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]
SCRAPE_COLUMNS = [
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
]
FIELDS = [
    "overall_effectiveness",
    "impact_of_leaders",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
]
KINDS = {
    "ILACS Standard Inspection": "standard",
    "ILACS Short Inspection": "short",
    "ILACS Focused Visit": "focused visit",
    "LA Monitoring visit": "monitoring visit",
}
SCRAPE_KINDS = {
    "standard": "standard",
    "short": "short",
    "inspection duration longer than standard framework": "standard",
}
RI = "Requires improvement to be good"
SCRAPE_GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement": RI,
    "inadequate": "Inadequate",
    "to requires improvement": RI,
    "inspection_pre_dates_judgement": "",
    "": "",
}


def read_csv(path):
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def files(data_dir):
    return {name: read_csv(data_dir / name) for name in (HISTORY, IN_YEAR, SCRAPE)}


@pytest.fixture
def stored():
    return {
        (i.authority.code, i.start_date, i.kind): i for i in Inspection.objects.select_related("authority")
    }


def code_of(ons_code: str) -> str:
    return Authority.objects.by_code(ons_code).code


def grades(inspection) -> list[str]:
    return [getattr(inspection, name) for name in FIELDS]


def test_every_official_inspection_is_stored_with_ofsteds_cells(files, stored):
    assert len(files[HISTORY]) == 271
    for row in files[HISTORY]:
        key = (code_of(row["Local authority area code"]), date.fromisoformat(row["Inspection date"]))
        inspection = stored[(*key, KINDS[row["Inspection type"]])]
        assert inspection.get_kind_display() == row["Inspection type"]
        assert inspection.published_on == date.fromisoformat(row["Publication date"])
        assert grades(inspection) == [row[column] for column in OFSTED_COLUMNS], key
        assert inspection.sources[0] == HISTORY


def test_every_in_year_inspection_and_visit_is_stored(files, stored):
    rows = files[IN_YEAR]
    assert Counter(row["Inspection/Visit type"] for row in rows) == {
        "ILACS Focused Visit": 36,
        "LA Monitoring visit": 24,
        "ILACS Short Inspection": 30,
        "ILACS Standard Inspection": 22,
    }
    for row in rows:
        kind = KINDS[row["Inspection/Visit type"]]
        key = (
            code_of(row["Local authority area code"]),
            date.fromisoformat(row["Inspection/Visit date"]),
            kind,
        )
        inspection = stored[key]
        assert inspection.published_on == date.fromisoformat(row["Publication date"])
        assert grades(inspection) == [row[column] for column in OFSTED_COLUMNS], key
        assert inspection.visit_theme == row["Visit Theme"]
        assert IN_YEAR in inspection.sources
        if kind in ("focused visit", "monitoring visit"):
            assert inspection.sources == [IN_YEAR] and not any(grades(inspection))


def test_every_scraped_inspection_is_stored_with_ofsteds_record_winning(files, stored):
    official, scrape_only = 0, 0
    for row in files[SCRAPE]:
        start = date.fromisoformat(row["inspection_start_date"])
        matches = [i for (code, day, _), i in stored.items() if code == row["la_code"] and day == start]
        assert len(matches) == 1, row
        inspection = matches[0]
        assert inspection.end_date == date.fromisoformat(row["inspection_end_date"])
        assert inspection.report_url == row["inspection_link"]
        assert SCRAPE in inspection.sources
        if inspection.sources == [SCRAPE]:
            scrape_only += 1
            assert inspection.kind == SCRAPE_KINDS[row["inspection_framework"]]
            assert inspection.published_on == date.fromisoformat(row["publication_date"])
            assert grades(inspection) == [SCRAPE_GRADES[row[column]] for column in SCRAPE_COLUMNS]
        else:
            official += 1
            assert inspection.sources[0] == HISTORY  # Ofsted's record, checked cell by cell above
    assert (official, scrape_only) == (232, 44)


def test_nothing_else_is_stored(files, stored):
    visits = sum(
        row["Inspection/Visit type"] in ("ILACS Focused Visit", "LA Monitoring visit")
        for row in files[IN_YEAR]
    )
    assert len(stored) == len(files[HISTORY]) + visits + 44
    assert set(Inspection.objects.values_list(*FIELDS[:1], flat=True)) <= {
        "Outstanding",
        "Good",
        RI,
        "Inadequate",
        "",
    }


def test_the_scrape_agrees_with_ofsted_on_231_of_232_overall_grades(files, stored):
    history = {
        (code_of(row["Local authority area code"]), row["Inspection date"]): row["Overall effectiveness"]
        for row in files[HISTORY]
    }
    compared = [
        (history[key], SCRAPE_GRADES[row["overall_effectiveness_grade"]])
        for row in files[SCRAPE]
        if (key := (row["la_code"], row["inspection_start_date"])) in history
    ]
    assert len(compared) == 232
    disagreeing = [(ofsted, scraped) for ofsted, scraped in compared if ofsted != scraped]
    assert disagreeing == [(RI, "")]  # Southend-on-Sea, July 2019: the scrape missed the grade
    southend = stored[("882", date(2019, 7, 15), "standard")]
    assert southend.overall_effectiveness == RI


def test_former_authorities_keep_their_inspections(stored):
    for code, start in [("837", date(2018, 7, 16)), ("928", date(2019, 6, 17)), ("909", date(2022, 9, 20))]:
        inspection = stored[(code, start, "standard")]
        assert not inspection.authority.is_current
    assert not Inspection.objects.filter(authority__code__in=["940", "941"], start_date__year=2019).exists()


def test_loading_again_changes_nothing(data_dir):
    report = load_inspections(data_dir)
    assert not report.changed
    assert report.findings.scrape_matched == 232 and report.findings.scrape_only == 44
    assert report.findings.near_misses == []


def test_national_counts_cover_every_current_authority():
    counts = dict(selectors.national_counts())
    assert sum(counts.values()) == 153
    assert counts[""] == 2  # Brent and Somerset, April 2026: the scrape has no overall grade yet
    assert list(counts) == ["Outstanding", "Good", RI, "Inadequate", ""]
