"""Early warning: a successor council inherits its predecessors' inspection history (Cumberland has
Cumbria's), until it has inspections of its own; the training outcomes stay on the council inspected."""

from datetime import date

import pytest

from slihub.places.models import Region, Succession
from slihub.warning.explain import describe
from slihub.warning.features import snapshot
from slihub.warning.panel import load_panel
from tests import factories
from tests.integration.html import page
from tests.integration.warning_fixtures import add_inspection

REORGANISED = date(2023, 4, 1)


@pytest.fixture
def cumbria_inspected(places):
    """Cumbria (replaced by Cumberland on 1 April 2023): Inadequate in 2022, a monitoring visit after."""
    add_inspection(places.cumbria, date(2022, 5, 14), "Inadequate", published=date(2022, 7, 1))
    add_inspection(
        places.cumbria, date(2022, 12, 5), "", published=date(2023, 1, 10), kind="monitoring visit"
    )
    return places


def test_a_successor_with_no_inspection_has_its_predecessors_last_grade(cumbria_inspected):
    places = cumbria_inspected
    day = date(2023, 6, 1)
    snap = snapshot(load_panel(), places.cumberland.id, day)
    assert snap.values["no_previous"] == 0.0
    assert snap.values["prev_inadequate"] == 1.0
    assert snap.values["prev_requires_improvement"] == 0.0
    assert snap.values["prev_weak_judgments"] == 1.0  # add_inspection grades the leaders' judgment too
    assert snap.values["years_since_inspection"] == pytest.approx((day - date(2022, 5, 14)).days / 365.25)
    assert snap.values["monitoring_visit_12m"] == 1.0  # Cumbria's visit, published in January 2023
    assert snap.last_inspection.as_authority == "Cumbria"
    assert describe("prev_inadequate", snap) == (
        "Judged Inadequate overall in the inspection of Cumbria from 14 May 2022."
    )
    assert describe("years_since_inspection", snap).startswith("Last inspected as Cumbria from 14 May 2022")
    assert describe("prev_weak_judgments", snap).endswith("at the last inspection of Cumbria.")


def test_the_inherited_history_keeps_the_publication_rule(cumbria_inspected):
    """Cumbria's report came out on 1 July 2022: before then Cumberland's features do not know it."""
    snap = snapshot(load_panel(), cumbria_inspected.cumberland.id, date(2022, 6, 1))
    assert snap.values["no_previous"] == 1.0
    assert snap.last_inspection is None


def test_once_the_successor_is_inspected_its_own_inspection_is_the_last(cumbria_inspected):
    places = cumbria_inspected
    add_inspection(places.cumberland, date(2024, 10, 7), "Good", published=date(2024, 11, 26))
    panel = load_panel()
    snap = snapshot(panel, places.cumberland.id, date(2025, 1, 1))
    assert snap.values["prev_inadequate"] == 0.0
    assert snap.values["prev_weak_judgments"] == 0.0
    assert snap.last_inspection.start_date == date(2024, 10, 7)
    assert snap.last_inspection.as_authority == ""
    assert describe("prev_inadequate", snap) == "Judged Good overall in the inspection from 7 October 2024."
    # Still Cumbria's before Cumberland's own report was published.
    assert snapshot(panel, places.cumberland.id, date(2024, 11, 1)).last_inspection.as_authority == "Cumbria"


def test_training_outcomes_stay_one_per_inspection_on_the_council_inspected(cumbria_inspected):
    places = cumbria_inspected
    add_inspection(places.cumberland, date(2024, 10, 7), "Good", published=date(2024, 11, 26))
    outcomes = [(o.authority_id, o.start_date) for o in load_panel().outcomes]
    assert sorted(outcomes) == sorted(
        [(places.cumbria.id, date(2022, 5, 14)), (places.cumberland.id, date(2024, 10, 7))]
    )


def test_councils_that_succeeded_no_one_inherit_nothing(cumbria_inspected):
    snap = snapshot(load_panel(), cumbria_inspected.camden.id, date(2023, 6, 1))
    assert snap.values["no_previous"] == 1.0 and snap.values["monitoring_visit_12m"] == 0.0


def test_history_passes_down_a_chain_of_reorganisations_and_stops_at_each_date(cumbria_inspected):
    """A made-up second reorganisation: Cumberland replaced in 2026 by a new council, which then has
    Cumberland's inspections and, through it, Cumbria's; a predecessor's inspection after the date it
    was replaced is not inherited, and DfE's "(Pre LG)" is not part of the name Ofsted inspected."""
    places = cumbria_inspected
    Succession.objects.filter(predecessor=places.cumbria).delete()
    places.cumbria.name = "Cumbria (Pre LG)"
    places.cumbria.save()
    Succession.objects.create(predecessor=places.cumbria, successor=places.cumberland, effective=REORGANISED)
    north_west = Region.objects.get(code="E12000002")
    newer = factories.authority("944", "E06000099", "Solway", "UA", north_west)
    Succession.objects.create(predecessor=places.cumberland, successor=newer, effective=date(2026, 4, 1))
    add_inspection(places.cumberland, date(2024, 10, 7), "Requires improvement to be good")
    add_inspection(places.cumberland, date(2026, 5, 4), "Outstanding")  # after it was replaced: not inherited

    panel = load_panel()
    inherited = [(i.start_date, i.as_authority) for i in panel.graded[newer.id]]
    assert inherited == [(date(2022, 5, 14), "Cumbria"), (date(2024, 10, 7), "Cumberland")]
    snap = snapshot(panel, newer.id, date(2026, 9, 1))
    assert snap.values["prev_requires_improvement"] == 1.0
    assert describe("prev_requires_improvement", snap) == (
        "Judged Requires improvement to be good overall in the inspection of Cumberland from 7 October 2024."
    )


def test_the_risk_page_shows_the_inherited_history(cumbria_inspected, as_persona):
    document = page(as_persona("national_admin").get("/warning/authorities/942/"))
    assert [li.text for li in document.one("ul", id="inherited-inspections").find_all("li")] == [
        "Cumbria: LA Monitoring visit from 5 December 2022",
        "Cumbria: ILACS Standard Inspection from 14 May 2022: Inadequate overall",
    ]
    # A council that replaced no one shows none.
    assert (
        page(as_persona("national_admin").get("/warning/authorities/202/")).find(id="inherited-inspections")
        is None
    )
