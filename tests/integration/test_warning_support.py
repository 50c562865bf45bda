"""Support suggestions: councils strong in a flagged council's weak areas, and asking one of them."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from slihub.evidence.models import LocalPractice, keys
from slihub.exchange.models import Specialist
from slihub.indicators.models import Comparison
from slihub.warning.features import SIGNAL_BY_CODE
from slihub.warning.selectors import Area, ask_url, strong_councils
from tests.integration.warning_fixtures import add_inspection, indicator, period

pytestmark = pytest.mark.django_db

SIGNAL = SIGNAL_BY_CODE["ReReferral"]
AREA = Area("ReReferral", SIGNAL.name, "", "vulnerable_children", SIGNAL.expertise, SIGNAL.judgment)


def validated(authority, title, themes=("vulnerable_children",)):
    return LocalPractice.objects.create(
        authority=authority,
        title=title,
        summary="s",
        evidence="e",
        themes=keys(list(themes)),
        status=LocalPractice.Status.VALIDATED,
        published_at=timezone.now(),
    )


@pytest.fixture
def areas(places):
    """Re-referrals in 2023: Camden (asking), Islington and Leeds top quartile; Bradford and North
    Yorkshire not. Islington and North Yorkshire judged Good; Leeds Inadequate; Bradford RI."""
    rereferrals, year = indicator("ReReferral"), period(2023)
    for authority, quartile in [
        (places.camden, "A"),
        (places.islington, "A"),
        (places.leeds, "A"),
        (places.bradford, "C"),
        (places.north_yorkshire, "B"),
    ]:
        Comparison.objects.create(indicator=rereferrals, period=year, authority=authority, quartile=quartile)
    for authority, grade in [
        (places.islington, "Good"),
        (places.north_yorkshire, "Good"),
        (places.leeds, "Inadequate"),
        (places.bradford, "Requires improvement to be good"),
    ]:
        add_inspection(authority, date(2023, 3, 6), grade)
    return [AREA]


def by_code(found):
    return {c["authority"].code: c for c in found}


def test_top_quartile_councils_judged_good_are_suggested_and_never_the_council_itself(places, areas):
    found = by_code(strong_councils(places.camden, areas))
    assert set(found) == {"206"}  # Leeds is top quartile but inadequate; North Yorkshire not strong here
    assert found["206"]["strengths"] == [SIGNAL.name] and found["206"]["practice"] == []


def test_validated_local_practice_in_the_areas_theme_counts_as_strength(places, areas):
    validated(places.bradford, "Front door redesign")
    validated(places.north_yorkshire, "Youth club", themes=("youth",))  # another theme: not counted
    LocalPractice.objects.create(
        authority=places.north_yorkshire,
        title="Draft",
        summary="s",
        evidence="e",
        themes=keys(["vulnerable_children"]),
    )  # not validated: not counted
    found = by_code(strong_councils(places.camden, areas))
    assert set(found) == {"206", "380"}
    assert [lp.title for lp in found["380"]["practice"]] == ["Front door redesign"]
    assert found["380"]["strengths"] == [] and found["380"]["judgments"] == []


def test_each_suggested_council_can_be_asked_directly(places):
    url = ask_url(places.leeds, [AREA], flagged=True, today=date(2030, 1, 1), partner=places.camden)
    parts = urlsplit(url)
    assert parts.path == "/exchange/councils/383/ask/"
    query = parse_qs(parts.query)
    assert query["partner"] == ["202"] and query["expertise"] == list(SIGNAL.expertise)
    assert "partner" not in parse_qs(urlsplit(ask_url(places.leeds, [AREA], flagged=True)).query)


def specialist(authority, expertise, *, listed=True):
    return Specialist.objects.create(
        authority=authority,
        name="A Specialist",
        role="Team manager",
        seniority=3,
        expertise=expertise,
        days_per_week=2,
        consent_to_list=listed,
    )


def test_among_equals_a_council_with_a_specialist_free_comes_first(places, areas):
    validated(places.bradford, "Front door redesign")  # Bradford and Islington: one ground each
    specialist(places.islington, ["send"])  # not this expertise
    specialist(places.bradford, ["front_door_mash"], listed=False)  # not listed
    assert [c["free"] for c in strong_councils(places.camden, areas)] == [0, 0]
    specialist(places.bradford, ["front_door_mash", "send"])
    found = strong_councils(places.camden, areas)
    assert [(c["authority"].code, c["free"]) for c in found] == [("380", 1), ("206", 0)]
