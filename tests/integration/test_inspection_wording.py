"""Inspections in words: an inspection whose overall grade is blank in the source says so, and the
early-warning explanation counts an inspection's judgments consistently ("All four judgments")."""

from types import SimpleNamespace

import pytest

from slihub.inspections.models import Inspection
from slihub.warning import explain
from tests.integration.html import page


@pytest.fixture
def ungraded(places):
    """A standard inspection of Camden whose source gives the other judgments but no overall grade."""
    return Inspection.objects.create(
        authority=places.camden,
        kind="standard",
        start_date="2024-01-15",
        published_on="2024-02-20",
        overall_effectiveness="",
        impact_of_leaders="Good",
        help_and_protection="Good",
        children_in_care="Requires improvement to be good",
        care_leavers="Good",
    )


@pytest.mark.django_db
def test_an_inspection_without_an_overall_grade_says_so(client, ungraded):
    document = page(client.get("/authorities/202/"))

    latest = document.one("dl", id="latest-judgments").text
    assert "No overall grade was given in the sources" in latest
    (row,) = [r for r in document.find_all("tr") if "15 January 2024" in r.text]
    assert "No overall grade was given" in row.text


@pytest.mark.parametrize(
    ("weak", "words"),
    [(0, "None of the four judgments"), (1, "One of the four judgments"), (4, "All four judgments")],
)
def test_the_judgments_below_good_are_counted_in_words(weak, words):
    last = SimpleNamespace(weak_judgments=weak, as_authority="")
    snap = SimpleNamespace(last_inspection=last, values={"prev_weak_judgments": weak})

    assert explain.describe("prev_weak_judgments", snap) == f"{words} below Good at the last inspection."
