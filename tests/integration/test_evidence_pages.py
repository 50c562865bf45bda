"""The evidence library's pages, search and API."""

import pytest

from slihub.evidence import search
from slihub.evidence.models import Practice, Synthesis
from slihub.evidence.services import load_evidence
from slihub.stats import evidence_rating as er
from tests.integration.evidence_fixtures import write_evidence

pytestmark = pytest.mark.django_db

BCG = "/evidence/bcg-vaccine-against-tuberculosis-reference-dataset/"


@pytest.fixture
def library(tmp_path):
    load_evidence(write_evidence(tmp_path))


def text(response) -> str:
    return response.content.decode()


def test_the_library_lists_practices_and_is_in_the_navigation(client, library):
    response = client.get("/evidence/")
    assert response.status_code == 200
    body = text(response)
    assert "5 practices" in body
    assert 'href="/evidence/"' in body and ">Evidence<" in body.replace("\n", "").replace(" ", "")
    assert "Happy Parents Group" in body


def test_searching_parenting_finds_the_parenting_programme_first(client, library):
    body = text(client.get("/evidence/", {"q": "parenting"}))
    assert body.index("Happy Parents Group") < body.index("Family Meetings")
    assert "Teen Mentoring" not in body


def test_search_ignores_query_syntax(client, library):
    for query in ['"', "AND OR NOT", "*", "parent*)", "-", "a:b", "NEAR(x y)"]:
        assert client.get("/evidence/", {"q": query}).status_code == 200
    assert search.search_ids("") == []
    assert search.search_ids("%%%") == []


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"theme": "youth"}, "Teen Mentoring", "Happy Parents Group"),
        ({"age": "0-4"}, "Happy Parents Group", "Teen Mentoring"),
        ({"cost_rating": "2"}, "Happy Parents Group", "Reading comprehension"),
        ({"outcome": "tuberculosis-cases"}, "BCG vaccine", "Happy Parents Group"),
        ({"q": "reading", "theme": "schools_communities"}, "Reading comprehension", "Happy Parents Group"),
    ],
)
def test_filters(client, library, params, shown, hidden):
    body = text(client.get("/evidence/", params))
    assert shown in body and hidden not in body.split('id="results"')[1]


def test_unknown_filter_values_are_ignored(client, library):
    response = client.get(
        "/evidence/", {"theme": "nope", "cost_rating": "9", "certainty": "sure", "age": "x"}
    )
    assert response.status_code == 200 and "5 practices" in text(response)


def test_filtering_by_certainty(client, library):
    certainty = Synthesis.objects.get().certainty
    body = text(client.get("/evidence/", {"certainty": certainty}))
    assert "1 practice" in body and "BCG vaccine" in body
    other = next(c for c in er.CERTAINTY_LEVELS if c != certainty)
    assert "0 practices" in text(client.get("/evidence/", {"certainty": other}))


def test_filtering_by_recommendation(client, library):
    recommendation = Synthesis.objects.get().recommendation
    body = text(client.get("/evidence/", {"recommendation": recommendation}))
    assert "1 practice" in body and "BCG vaccine" in body


def test_the_library_page_takes_a_fixed_number_of_queries(client, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/evidence/", {"q": "parent"})


def test_a_practice_page_shows_the_forest_plot_pooled_effect_certainty_cost_and_recommendation(
    client, library
):
    synthesis = Synthesis.objects.get()
    body = text(client.get(BCG))
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and "Forest plot" in body
    assert "The forest plot as a table" in body
    for citation in ("Aronson (1948)", "Ferguson &amp; Simes (1949)", "Hart &amp; Sutherland (1977)"):
        assert citation in body
    assert "95% prediction interval" in body and "95% confidence interval" in body
    decision = body.split('id="decision"')[1].split('id="at-a-glance"')[0]
    assert f">{synthesis.recommendation or 'No recommendation yet'}</strong>" in decision
    assert f"#rule-{synthesis.rule}" in body
    for reason in synthesis.certainty_reasons:
        assert reason["reason"].replace("'", "&#x27;") in body
    assert "Risk ratio" in body


def test_a_practice_without_pooled_outcomes_says_so(client, library):
    body = text(client.get("/evidence/happy-parents-group/"))
    assert "No recommendation yet" in body and "no pooled result to judge" in body
    assert "EIF evidence rating (published)" in body and "3+" in body
    assert "Cost rating 2 of 5: £100 to £499 per child." in body
    assert "10-point improvement on the ECBI" in body


def test_the_cohort_cost_calculator(client, library):
    body = text(client.get(BCG, {"cohort": "100", "unit_cost": "50", "baseline": "10"}))
    assert "Total cost" in body and "£5,000" in body and "Cost per extra child" in body
    errors = text(client.get(BCG, {"cohort": "many", "unit_cost": "£x", "baseline": "ten"}))
    assert "Enter the number of children as a whole number" in errors
    assert "Enter the cost per child in pounds" in errors
    assert "Enter the baseline rate as a percentage" in errors
    outside = text(client.get(BCG, {"cohort": "10", "unit_cost": "5", "baseline": "150"}))
    assert "Enter the baseline rate as a percentage between 0 and 100" in outside


def test_an_unknown_practice_is_404(client, library):
    assert client.get("/evidence/no-such-practice/").status_code == 404


def test_the_rules_page_shows_every_rule_and_threshold(client):
    body = text(client.get("/evidence/how-we-judge/"))
    for rule in er.RECOMMENDATION_RULES:
        assert f'id="rule-{rule.code}"' in body and rule.recommendation in body
    for name in er.THRESHOLDS:
        assert f"<code>{name}</code>" in body
    assert "0.96 and above" in body


# --- API


def test_api_lists_and_searches_practices(client, library):
    data = client.get("/api/v1/evidence/practices", {"q": "parenting"}).json()
    assert data["items"][0]["slug"] == "happy-parents-group"
    assert data["items"][0]["themes"] == ["parents_carers_families", "early_years"]
    assert data["count"] == len(data["items"])
    every = client.get("/api/v1/evidence/practices", {"limit": 2}).json()
    assert every["count"] == Practice.objects.count() and len(every["items"]) == 2


def test_api_practice_has_studies_and_syntheses(client, library):
    data = client.get("/api/v1/evidence/practices/bcg-vaccine-against-tuberculosis-reference-dataset").json()
    assert len(data["studies"]) == 4
    assert data["studies"][0]["effects"][0]["measure"] == "RR"
    (synthesis,) = data["syntheses"]
    assert synthesis["k"] == 4 and synthesis["certainty_reasons"]
    assert synthesis["recommendation"] == Synthesis.objects.get().recommendation


def test_api_filters(client, library):
    data = client.get("/api/v1/evidence/practices", {"theme": "youth"}).json()
    assert [p["slug"] for p in data["items"]] == ["teen-mentoring"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/evidence/practices/nope", 404),
        ("/api/v1/evidence/practices?certainty=sure", 422),
        ("/api/v1/evidence/practices?cost_rating=9", 422),
        ("/api/v1/evidence/practices?theme=nope", 422),
        ("/api/v1/evidence/practices?limit=0", 422),
        ("/api/v1/evidence/practices?offset=-1", 422),
        ("/api/v1/evidence/practices?q=" + "x" * 201, 422),
    ],
)
def test_api_errors_are_4xx_with_a_reason(client, library, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["detail"]


def test_api_rules(client):
    data = client.get("/api/v1/evidence/rules").json()
    assert [r["code"] for r in data["recommendation_rules"]] == [r.code for r in er.RECOMMENDATION_RULES]
    assert {t["name"] for t in data["thresholds"]} == set(er.THRESHOLDS)
