"""Early warning shows, beside the score, a statutory intervention in force on the scoring date (kind,
since when, source link): on the watchlist (one query for all of them, however many) and on an
authority's risk page. The interventions are not a model feature, so the scores themselves do not move.

Risk scores are made directly here (no model is trained): only what the pages show of them matters."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slihub.inspections.models import Intervention
from slihub.warning.models import RiskScore
from tests.integration.conftest import PERSONAS
from tests.integration.html import page

MONTH = date(2026, 11, 1)  # the scoring date
SOURCE = "https://www.gov.uk/government/publications/camden-improvement-notice"
# who opens Camden's risk page, and who finds Camden on the watchlist
CAMDEN_PAGE = {
    "anonymous": 302,
    "camden_analyst": 200,
    "leeds_admin": 403,
    "london_coordinator": 200,
    "national_admin": 200,
    "evidence_editor": 403,
    "no_membership": 403,
    "camden_chief_executive": 200,
}


@pytest.fixture
def scores(places):
    authorities = [places.camden, places.islington, places.leeds, places.bradford, places.north_yorkshire]
    RiskScore.objects.bulk_create(
        RiskScore(
            authority=a,
            month=month,
            target="inadequate",
            probability=0.1 + i / 20,
            rank=len(authorities) - i,
            scored=len(authorities),
            signals=[],
        )
        for i, a in enumerate(authorities)
        for month in (date(2026, 10, 1), MONTH)
    )
    return authorities


def intervention(authority, kind, started_on, ended_on=None, source=SOURCE):
    return Intervention.objects.create(
        authority=authority, kind=kind, started_on=started_on, ended_on=ended_on, source_url=source
    )


@pytest.fixture
def interventions(scores, places):
    return [
        intervention(places.camden, "improvement notice", date(2025, 2, 3)),
        # ended before the scoring date: not shown
        intervention(places.islington, "statutory direction", date(2020, 1, 1), date(2026, 10, 31)),
        # starts after the scoring date: not shown
        intervention(places.leeds, "commissioner", date(2026, 11, 2)),
        # its last day is the scoring date: in force, shown
        intervention(places.bradford, "trust", date(2019, 4, 1), MONTH),
    ]


def row_of(document, name):
    for row in document.one("table", id="watchlist").one("tbody").find_all("tr"):
        if row.find("a") and row.find("a").text == name:
            return row
    raise AssertionError(f"{name} not on the watchlist")


def test_the_watchlist_flags_councils_under_statutory_intervention_on_the_scoring_date(
    as_persona, interventions
):
    document = page(as_persona("national_admin").get("/warning/"))
    camden = row_of(document, "Camden").text
    assert "Statutory intervention" in camden
    assert "Improvement notice in force on 1 November 2026, since 3 February 2025" in camden
    assert row_of(document, "Camden").find("a", href=SOURCE) is not None
    assert (
        "Children's services trust in force on 1 November 2026, since 1 April 2019"
        in row_of(document, "Bradford").text
    )
    assert "Statutory intervention" not in row_of(document, "Islington").text  # ended the day before
    assert "Statutory intervention" not in row_of(document, "Leeds").text  # starts the day after
    assert "Statutory intervention" not in row_of(document, "North Yorkshire").text


def test_the_watchlist_reads_interventions_in_one_query_however_many(
    as_persona, scores, places, django_assert_num_queries
):
    client = as_persona("national_admin")
    client.get("/warning/")  # warm the session and anything cached per process
    with CaptureQueriesContext(connection) as none:
        client.get("/warning/")
    for authority in scores:
        intervention(authority, "improvement notice", date(2025, 1, 1))
        intervention(authority, "commissioner", date(2025, 6, 1))
    with django_assert_num_queries(len(none.captured_queries)):
        response = client.get("/warning/")
    assert page(response).one("table", id="watchlist").text.count("Statutory intervention") == 2 * len(scores)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_risk_page_shows_the_intervention_beside_the_score_to_those_who_may_read_it(
    as_persona, interventions, persona
):
    response = as_persona(persona).get("/warning/authorities/202/")
    assert response.status_code == CAMDEN_PAGE[persona]
    if response.status_code != 200:
        return
    shown = page(response).one(id="interventions")
    assert "Improvement notice in force on 1 November 2026, since 3 February 2025" in shown.text
    assert shown.find("a", href=SOURCE) is not None


def test_the_risk_page_says_nothing_of_an_intervention_not_in_force(as_persona, interventions):
    document = page(as_persona("national_admin").get("/warning/authorities/206/"))
    assert "Statutory intervention" not in document.one(id="interventions").text


def test_an_intervention_does_not_change_the_score(as_persona, scores, places):
    before = (
        page(as_persona("national_admin").get("/warning/authorities/202/")).one(id="risk-inadequate").text
    )
    intervention(places.camden, "commissioner", date(2024, 1, 1))
    after = page(as_persona("national_admin").get("/warning/authorities/202/")).one(id="risk-inadequate").text
    assert before == after
