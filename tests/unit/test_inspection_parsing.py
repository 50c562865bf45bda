"""The inspection parsers' small rules: dates, grades in Ofsted's wording, and the merge."""

from datetime import date

import pytest

from slihub.inspections.importers import InspectionRecord, ofsted_grade, parse_date, scrape_grade
from slihub.inspections.merge import merge
from slihub.inspections.models import Grade

RI = "Requires improvement to be good"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-06-10", date(2024, 6, 10)), ("2018-01-29", date(2018, 1, 29)), ("2024-02-29", date(2024, 2, 29))],
)
def test_it_parses_iso_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("10/06/2024", "YYYY-MM-DD"),
        ("2024-6-10", "YYYY-MM-DD"),
        (" 2024-06-10", "YYYY-MM-DD"),
        ("2024-06-10T00:00", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
        ("2023-02-29", "not a real date"),
        ("2024-13-01", "not a real date"),
    ],
)
def test_it_refuses_anything_else_as_a_date(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_ofsteds_grades_are_its_exact_wording():
    assert Grade.values == ["Outstanding", "Good", RI, "Inadequate"]
    assert Grade.labels == Grade.values


@pytest.mark.parametrize("text", ["Outstanding", "Good", RI, "Inadequate", ""])
def test_an_official_grade_is_kept_verbatim(text):
    assert ofsted_grade(text) == text


@pytest.mark.parametrize(
    "text", ["good", "Requires improvement", "Requires Improvement To Be Good", "Good ", "RI"]
)
def test_an_official_grade_in_other_words_is_refused(text):
    with pytest.raises(ValueError, match="not one of Ofsted's grades"):
        ofsted_grade(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("outstanding", "Outstanding"),
        ("good", "Good"),
        ("requires improvement", RI),
        ("inadequate", "Inadequate"),
        ("to requires improvement", RI),  # the scrape's one extraction slip (Southend-on-Sea, 2019)
        ("inspection_pre_dates_judgement", ""),
        ("", ""),
    ],
)
def test_the_scrapes_grades_map_to_ofsteds_wording(text, expected):
    assert scrape_grade(text) == expected


@pytest.mark.parametrize("text", ["Good", "requires improvement to be good", "ri", "not graded", " good"])
def test_a_scrape_grade_it_does_not_know_is_refused(text):
    with pytest.raises(ValueError, match="not a grade the scrape writes"):
        scrape_grade(text)


def record(source, start, overall, *, code="202", kind="standard", end=None, link="", theme="", line=2):
    return InspectionRecord(
        code=code,
        kind=kind,
        start_date=date.fromisoformat(start),
        end_date=end,
        published_on=date(2030, 1, 1),
        judgments=(overall, overall, overall, overall, ""),
        visit_theme=theme,
        report_url=link,
        source=source,
        line=line,
    )


def test_the_merge_keeps_the_official_record_and_takes_only_end_date_and_link_from_the_scrape():
    history = [record("history.csv", "2024-06-10", "Good")]
    in_year = [
        record("in_year.csv", "2024-06-10", "Good"),
        record("in_year.csv", "2024-11-04", "", kind="focused visit", theme="Front door"),
    ]
    scrape = [
        record(
            "scrape.csv",
            "2024-06-10",
            RI,
            end=date(2024, 6, 21),
            link="https://files.ofsted.gov.uk/v1/file/1",
        ),
        record("scrape.csv", "2025-06-30", "Outstanding", kind="short"),
        record("scrape.csv", "2024-06-10", "Good", code="383"),
    ]
    merged, findings = merge(history, in_year, scrape)
    assert [(m.code, m.start_date.isoformat(), m.kind) for m in merged] == [
        ("202", "2024-06-10", "standard"),
        ("202", "2024-11-04", "focused visit"),
        ("202", "2025-06-30", "short"),
        ("383", "2024-06-10", "standard"),
    ]
    camden = merged[0]
    assert camden.overall == "Good"
    assert camden.end_date == date(2024, 6, 21) and camden.report_url.endswith("/1")
    assert camden.sources == ("history.csv", "in_year.csv", "scrape.csv")
    assert merged[1].visit_theme == "Front door" and merged[1].sources == ("in_year.csv",)
    assert (findings.in_year_in_history, findings.scrape_matched, findings.scrape_only) == (1, 1, 2)
    assert findings.official_not_in_scrape == 0
    assert [(d.field, d.kept, d.dropped) for d in findings.disagreements] == [
        ("overall_effectiveness", "Good", RI),
        ("impact_of_leaders", "Good", RI),
        ("help_and_protection", "Good", RI),
        ("children_in_care", "Good", RI),
    ]


def test_the_merge_matches_on_the_exact_start_date_and_reports_near_misses():
    history = [record("history.csv", "2024-06-10", "Good")]
    scrape = [record("scrape.csv", "2024-06-11", "Good")]
    merged, findings = merge(history, [], scrape)
    assert len(merged) == 2
    assert findings.scrape_only == 1
    assert [(r.start_date, official) for r, official in findings.near_misses] == [
        (date(2024, 6, 11), date(2024, 6, 10))
    ]
