"""Support suggestions: councils strong in a flagged council's weak areas, and asking one of them."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from slihub.evidence.models import LocalPractice, keys
from slihub.exchange.models import HelpRequest, Loan, Specialist
from slihub.indicators.models import Comparison, Indicator, Value
from slihub.inspections.models import Inspection
from slihub.places.models import Authority
from slihub.warning.features import HIGHER_IS_WORSE, LOWER_IS_WORSE, POPULATION, SIGNAL_BY_CODE
from slihub.warning.selectors import (
    Area,
    AuthorityRisk,
    ask_url,
    strong_councils,
    suggestions,
    weak_areas,
)
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


def strong(authority, code, quartile="A", value=None, england=None, year=2023):
    return Comparison.objects.update_or_create(
        indicator=indicator(code),
        period=period(year),
        authority=authority,
        defaults={"quartile": quartile, "value": value, "england_value": england},
    )[0]


def lent(lender, borrower, status=Loan.Status.COMPLETED, expertise=("send",)):
    request = HelpRequest.objects.create(
        authority=borrower,
        title="Help",
        description="x",
        expertise_needed=list(expertise),
        start=date(2030, 1, 1),
        end=date(2030, 3, 31),
        days_per_week=1,
        mode="remote",
    )
    return Loan.objects.create(
        specialist=specialist(lender, list(expertise)),
        request=request,
        lender=lender,
        borrower=borrower,
        start=request.start,
        end=request.end,
        days_per_week=1,
        status=status,
    )


def codes(found):
    return [c["authority"].code for c in found]


def test_a_council_strong_on_the_indicator_comes_before_one_with_practice_alone(places, areas):
    validated(places.bradford, "Front door redesign")
    specialist(places.bradford, ["front_door_mash"])  # capacity does not outrank a strength on the indicator
    assert codes(strong_councils(places.camden, areas)) == ["206", "380"]


def test_among_equals_capacity_then_lending_least_then_closeness(places, areas):
    """Islington, Bradford and North Yorkshire are all top quarter for re-referrals and judged Good;
    Islington and Bradford are Camden's first and second statistical neighbours, North Yorkshire neither
    a neighbour nor in London."""
    for authority in (places.bradford, places.north_yorkshire):
        strong(authority, "ReReferral")
    Inspection.objects.filter(authority=places.bradford).update(overall_effectiveness="Good")
    assert codes(strong_councils(places.camden, areas)) == ["206", "380", "815"]  # the closest first
    lent(places.islington, places.leeds)
    assert codes(strong_councils(places.camden, areas)) == ["380", "815", "206"]  # lending least first
    specialist(places.islington, ["send"])  # not this expertise
    specialist(places.north_yorkshire, ["front_door_mash"], listed=False)  # not listed
    assert [c["free"] for c in strong_councils(places.camden, areas)] == [0, 0, 0]
    specialist(places.north_yorkshire, ["front_door_mash", "send"])
    lent(places.bradford, places.leeds, Loan.Status.ACTIVE, ["front_door_mash"])  # on a loan now: not free
    found = strong_councils(places.camden, areas)
    # North Yorkshire has capacity; Bradford and Islington have lent once each: the closer first.
    assert [(c["authority"].code, c["free"], c["loans"]) for c in found] == [
        ("815", 1, 0),
        ("206", 0, 1),
        ("380", 0, 1),
    ]
    assert [c["neighbour"] for c in found] == [False, True, True]


def test_a_council_in_the_same_region_comes_before_one_further_away(places, areas):
    hackney = Authority.objects.create(
        code="204", ons_code="E09000012", name="Hackney", la_type="ILB", region=places.london
    )
    add_inspection(hackney, date(2023, 3, 6), "Good")
    for authority in (hackney, places.north_yorkshire):  # North Yorkshire is judged Good already
        strong(authority, "ReReferral")
    Inspection.objects.filter(authority=places.islington).delete()  # Islington no longer judged
    assert codes(strong_councils(places.camden, areas)) == ["204", "815"]


# ---------------------------------------------------------------------------------------------- workforce

WORKFORCE = ("Work_Force_Agecy_Rate", "Work_Force_TO_Rate")
MONTH = date(2024, 3, 1)


def raised(code, concern=True):
    signal = SIGNAL_BY_CODE[code]
    return {
        "feature": f"{code}:{signal.measures[0]}",
        "label": signal.name,
        "contribution": 0.4,
        "text": f"{signal.name}: figures",
        "worse": concern if code in HIGHER_IS_WORSE | LOWER_IS_WORSE else None,
        "concern": concern and code in HIGHER_IS_WORSE | LOWER_IS_WORSE,
        "sentence": "Raised the risk.",
    }


@pytest.fixture
def workforce(places):
    """The workforce in 2024 (England: 16% agency staff, 15% turnover). Bradford top quarter for both;
    North Yorkshire better than England on agency staff only (quartile B), no better on turnover; Islington
    top quarter for re-referrals and assessments on time, on neither workforce indicator; Leeds top quarter
    for both but judged Inadequate. All but Leeds judged Good."""
    year = 2024
    strong(places.bradford, WORKFORCE[0], "A", 8.0, 16.0, year)
    strong(places.bradford, WORKFORCE[1], "A", 9.0, 15.0, year)
    strong(places.north_yorkshire, WORKFORCE[0], "B", 12.0, 16.0, year)
    strong(places.north_yorkshire, WORKFORCE[1], "C", 17.0, 15.0, year)
    strong(places.islington, WORKFORCE[0], "D", 30.0, 16.0, year)
    strong(places.islington, "ReReferral", "A", 12.0, 22.0, year)
    strong(places.islington, "Continue_Assess_Comp", "A", 95.0, 82.0, year)
    for code in WORKFORCE:
        strong(places.leeds, code, "A", 5.0, 16.0, year)
    for authority, grade in [
        (places.bradford, "Good"),
        (places.north_yorkshire, "Good"),
        (places.islington, "Outstanding"),
        (places.leeds, "Inadequate"),
    ]:
        add_inspection(authority, date(2023, 3, 6), grade)
    return places


def test_a_workforce_driven_risk_gets_workforce_support_from_councils_strong_on_the_workforce(
    workforce, camden_analyst
):
    specialist(workforce.leeds, ["workforce_recruitment"])
    specialist(workforce.islington, ["front_door_mash"])
    lent(workforce.bradford, workforce.leeds, Loan.Status.ACCEPTED, ["workforce_recruitment"])  # not free
    risk = AuthorityRisk(workforce.camden, MONTH, raising=[raised(code) for code in WORKFORCE])
    found = suggestions(camden_analyst, risk)
    assert [a.code for a in found.areas] == list(WORKFORCE)
    assert all(a.expertise == ("workforce_recruitment",) for a in found.areas)
    assert [w.problem for w in found.what_works] == ["workforce"]
    # Bradford strong on both, North Yorkshire on one; Islington strong only on unrelated indicators and
    # Leeds (inadequate) are not suggested.
    assert codes(found.councils) == ["380", "815"]
    bradford, north_yorkshire = found.councils
    assert bradford["top_quarter"] == [SIGNAL_BY_CODE[c].name for c in WORKFORCE]
    assert north_yorkshire["better_than_england"] == [SIGNAL_BY_CODE[WORKFORCE[0]].name]
    assert north_yorkshire["top_quarter"] == []
    assert [s["profile"]["authority"].code for s in found.specialists] == ["383"]
    expertise = parse_qs(urlsplit(found.ask_url).query)["expertise"]
    assert expertise == ["workforce_recruitment"]


def test_only_signals_that_raised_the_risk_where_the_council_does_no_better_become_areas(
    workforce, camden_analyst
):
    risk = AuthorityRisk(
        workforce.camden,
        MONTH,
        raising=[raised("Continue_Assess_Comp", concern=False), raised("Section_47"), raised(WORKFORCE[1])],
        lowering=[raised("ReReferral") | {"contribution": -0.4, "concern": False}],
    )
    # Assessments on time raised the risk, but Camden does better than its comparator: no area. A rate
    # of section 47 enquiries has no direction: it raised the risk, and what lies behind it is an area.
    assert [a.code for a in weak_areas(risk)] == ["Section_47", WORKFORCE[1]]


# ---------------------------------------------------------------------------------------------- tiny councils


def city_of_london(places, children=847.0):
    city = Authority.objects.create(
        code="201", ons_code="E09000001", name="City of London", la_type="ILB", region=places.london
    )
    population = Indicator.objects.create(
        code=POPULATION,
        slug="population-0-17",
        source="dfe",
        name="Children aged 0 to 17",
        short_name="Children",
        theme="unclassified",
        outcome="stay_safe",
    )
    Value.objects.create(
        indicator=population, period=period(2024), area_type="la", authority=city, value=children
    )
    return city


def test_the_city_of_london_is_not_the_first_example_when_a_bigger_council_fits_equally(workforce):
    city = city_of_london(workforce)
    for code in WORKFORCE:
        strong(city, code, "A", 0.0, 16.0, 2024)
        strong(workforce.north_yorkshire, code, "A", 8.0, 16.0, 2024)
    add_inspection(city, date(2023, 3, 6), "Good")
    areas = weak_areas(AuthorityRisk(workforce.camden, MONTH, raising=[raised(c) for c in WORKFORCE]))
    # Bradford, Camden's statistical neighbour, first; then the City, in London, before North Yorkshire.
    assert codes(strong_councils(workforce.camden, areas)) == ["380", "201", "815"]
    # Without Bradford the City would lead, but a council of some 850 children does not while a bigger
    # one fits as well.
    Inspection.objects.filter(authority=workforce.bradford).delete()
    assert codes(strong_councils(workforce.camden, areas)) == ["815", "201"]
    # With nothing else strong on the workforce, the City is the first example after all.
    Comparison.objects.filter(authority=workforce.north_yorkshire).delete()
    validated(workforce.north_yorkshire, "Front door redesign")  # practice alone does not fit as well
    assert codes(strong_councils(workforce.camden, areas)) == ["201", "815"]


def test_a_council_whose_population_is_unknown_is_not_taken_for_a_small_one(workforce):
    city = city_of_london(workforce)
    Value.objects.filter(authority=city).delete()
    for code in WORKFORCE:
        strong(city, code, "A", 0.0, 16.0, 2024)
    add_inspection(city, date(2023, 3, 6), "Good")
    Inspection.objects.filter(authority=workforce.bradford).delete()
    areas = weak_areas(AuthorityRisk(workforce.camden, MONTH, raising=[raised(c) for c in WORKFORCE]))
    assert codes(strong_councils(workforce.camden, areas))[0] == "201"
