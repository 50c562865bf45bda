"""Partners in Practice eligibility with the real Ofsted files loaded matches, council by council, what
Ofsted's published judgments give, recomputed here straight from the two official CSV files."""

import csv
from datetime import date

import pytest

from slihub.alliances import partners
from slihub.places.models import Authority

HISTORY = "derived_ofsted_ilacs_inspection_history_2018_to_2025-03.csv"
IN_YEAR = "derived_ofsted_ilacs_inyear_2024-04_to_2025-03.csv"
SUB_JUDGMENTS = (
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
)
CARE_LEAVERS = "The experiences and progress of care leavers"
GOOD_ENOUGH = {"Good", "Outstanding"}
# Ofsted's official files run to 31 March 2025: every day asked about is within them.
DAYS = [
    date(2019, 3, 31),
    date(2021, 6, 30),
    date(2023, 3, 31),
    date(2023, 4, 1),
    date(2024, 9, 1),
    date(2025, 3, 31),
]


def official_inspections(data_dir) -> dict[str, list[dict]]:
    """ONS code -> standard and short inspections, from the history file then the in-year file (the
    in-year file repeats some of the history's; the history's copy is kept)."""
    found: dict[tuple, dict] = {}
    for name, date_column, type_column in (
        (HISTORY, "Inspection date", "Inspection type"),
        (IN_YEAR, "Inspection/Visit date", "Inspection/Visit type"),
    ):
        with open(data_dir / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                kind = row[type_column].strip()
                if kind not in ("ILACS Standard Inspection", "ILACS Short Inspection"):
                    continue
                key = (row["Local authority area code"].strip(), row[date_column].strip(), kind)
                found.setdefault(
                    key,
                    {
                        "start": date.fromisoformat(row[date_column].strip()),
                        "published": date.fromisoformat(row["Publication date"].strip()),
                        "overall": row["Overall effectiveness"].strip(),
                        "subs": [row[column].strip() for column in SUB_JUDGMENTS],
                        "care_leavers": row[CARE_LEAVERS].strip(),
                    },
                )
    by_code: dict[str, list[dict]] = {}
    for (ons_code, _, _), inspection in found.items():
        by_code.setdefault(ons_code, []).append(inspection)
    return by_code


def ofsted_says(inspections: list[dict], day: date) -> bool | None:
    """Eligible on the day by Ofsted's judgments alone; None when no inspection was published by then."""
    published = [i for i in inspections if i["published"] <= day]
    if not published:
        return None
    latest = max(published, key=lambda i: i["start"])
    grades = [latest["overall"], *latest["subs"]]
    if latest["care_leavers"] or latest["start"] >= date(2023, 1, 1):
        grades.append(latest["care_leavers"])
    return all(grade in GOOD_ENOUGH for grade in grades)


@pytest.fixture(scope="module")
def ofsted(data_dir):
    return official_inspections(data_dir)


@pytest.mark.django_db
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_eligibility_matches_ofsteds_published_judgments_council_by_council(ofsted, day):
    codes = {}
    for ons_code in ofsted:
        codes[Authority.objects.by_code(ons_code).pk] = ons_code
    standings = partners.eligibility(day)
    assert len(standings) >= 150  # every council of England that existed then
    mismatches = []
    for s in standings:
        expected = ofsted_says(ofsted.get(codes.get(s.authority.pk, ""), []), day)
        got = None if s.status == partners.NOT_INSPECTED else s.eligible
        if got != expected:
            mismatches.append(
                f"{s.authority.name}: hub {s.status} ({s.reason}); Ofsted's files say {expected}"
            )
    assert mismatches == []
    eligible = sum(s.eligible for s in standings)
    assert 10 < eligible < len(standings) - 50  # a real share of councils, neither none nor all


@pytest.mark.django_db
def test_reorganised_councils_are_judged_on_their_own_inspections_only(ofsted):
    on_the_day = {s.authority.code: s for s in partners.eligibility(date(2023, 4, 1))}
    assert "909" not in on_the_day  # Cumbria was gone
    for code in ("942", "943"):  # Cumberland, Westmorland and Furness: none of Cumbria's grades
        assert on_the_day[code].status == partners.NOT_INSPECTED
    before = {s.authority.code for s in partners.eligibility(date(2023, 3, 31))}
    assert "909" in before and "942" not in before
