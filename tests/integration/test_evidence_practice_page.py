"""A practice's page leads with the decision (recommendation and why, effect in words on the scale a
practitioner reads, certainty, cost, for whom, UK tested and available), then the results by outcome with
the source's own pool beside the hub's and a forest plot that says which side favours the practice; and
comparing practices on one outcome."""

import math
import xml.etree.ElementTree as ET

import pytest

from slihub.evidence.models import Synthesis
from slihub.stats import evidence_rating as er
from tests.integration import practice_builders as build

pytestmark = pytest.mark.django_db

NS = "{http://www.w3.org/2000/svg}"


def body_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def between(body: str, start: str, end: str) -> str:
    return body.split(start, 1)[1].split(end, 1)[0]


def svg_of(body: str) -> ET.Element:
    start = body.index('<svg xmlns="http://www.w3.org/2000/svg"')
    return ET.fromstring(body[start : body.index("</svg>", start) + len("</svg>")])


@pytest.fixture
def behaviour():
    return build.outcome()


@pytest.fixture
def parenting(behaviour):
    practice = build.practice(
        "parenting-plus",
        "Parenting Plus",
        behaviour,
        build.PARENTING,
        cost_rating=2,
        cost_per_child=1180,
        cost_year=2019,
        cost_source="Foundations Guidebook, cost section",
        age_description="3 to 8 years old",
        setting="Community centre; Primary school (excerpt truncated)",
        summary="A parenting group for parents of children aged 3 to 8 (EIF text, excerpt without URL)",
        uk_tested=True,
        uk_available=False,
        source_note="see eif_guidebook_programmes.csv; digits on stored EIF page",
        details={
            "How the rating was read": "digits on stored EIF page",
            "Workforce": "Family support worker",
        },
    )
    build.recompute(practice)
    return practice


def test_the_page_leads_with_the_recommendation_effect_certainty_cost_and_for_whom(client, parenting):
    synthesis = Synthesis.objects.get(practice=parenting)
    body = body_of(client.get(parenting.get_absolute_url()))
    decision = between(body, 'id="decision"', 'id="results"')
    label = synthesis.recommendation
    assert label in er.RECOMMENDATION_RULES[0].recommendation or label in {
        r.recommendation for r in er.RECOMMENDATION_RULES
    }
    assert f">{label}</strong>" in decision
    assert body.index('id="decision"') < body.index('id="results"') < body.index('id="studies"')
    # the effect in words and on its scale: about -0.4 standard deviations is a small reduction
    assert "A small reduction in children&#x27;s behaviour problems." in decision
    assert f"standardised mean difference {er.round2(synthesis.estimate)}".replace("-", "\u2212") in decision
    assert f"<strong>{synthesis.certainty.capitalize()}</strong>" in decision
    # cost with its year and source, for whom, UK tested/available
    assert "£1,180 per child at 2019 prices" in decision and "Foundations Guidebook, cost section" in decision
    assert "Cost rating 2 of 5: £100 to £499 per child." in decision
    assert "3 to 8 years old" in decision and "Community centre" in decision
    assert "UK (3 studies)" in decision
    tested = between(decision, "Tested in the UK</dt>", "</dd>")
    available = between(decision, "Available in the UK</dt>", "</dd>")
    assert "Yes" in tested and "No" in available


def test_a_practice_with_nothing_pooled_has_no_recommendation_yet_and_says_why(client, behaviour):
    practice = build.practice("talk-group", "Talk Group", behaviour, [("Only study", 2010, 40, -0.2, 0.05)])
    build.recompute(practice)
    body = body_of(client.get(practice.get_absolute_url()))
    decision = between(body, 'id="decision"', 'id="at-a-glance"')
    assert ">No recommendation yet</strong>" in decision and "no pooled result to judge" in decision
    assert "No cost per child published" in body


def test_a_result_that_does_not_reproduce_its_source_has_no_recommendation(client, parenting, behaviour):
    build.published(parenting, behaviour, estimate=-0.90, ci_lb=-1.10, ci_ub=-0.70)
    Synthesis.objects.filter(practice=parenting).update(
        reproduces=False, reproduction="source −0.90 (−1.10 to −0.70), hub −0.41 (−0.64 to −0.19)"
    )
    body = body_of(client.get(parenting.get_absolute_url()))
    decision = between(body, 'id="decision"', 'id="at-a-glance"')
    assert ">No recommendation yet</strong>" in decision
    assert "does not reproduce the source&#x27;s yet" in decision
    table = between(body, 'id="reproduction-child-behaviour-problems"', "</table>")
    assert "The source's own pooled result beside the hub's" in table
    assert (
        "Furlong M et al. (2012)" in table
        and "\u22120.90" in table
        and "\u22121.10\u00a0to\u00a0\u22120.70" in table
    )


def test_a_reproduced_result_shows_both_pools_side_by_side(client, parenting, behaviour):
    synthesis = Synthesis.objects.get(practice=parenting)
    build.published(
        parenting,
        behaviour,
        estimate=round(synthesis.estimate, 2),
        ci_lb=round(synthesis.ci_lb, 2),
        ci_ub=round(synthesis.ci_ub, 2),
    )
    Synthesis.objects.filter(practice=parenting).update(reproduces=True)
    body = body_of(client.get(parenting.get_absolute_url()))
    assert "Yes: the hub's pooled result" in between(body, 'id="decision"', 'id="at-a-glance"')
    table = between(body, 'id="reproduction-child-behaviour-problems"', "</table>")
    hub = f"{synthesis.estimate:.2f}".replace("-", "\u2212")
    assert table.count(hub) == 2  # the source's figure and the hub's, the same to the printed decimals


@pytest.fixture
def care():
    return build.outcome("entry-to-care", "Entry to care", higher_is_better=False, problem="children_in_care")


def rr_studies(log_rr: float):
    """Three trials near ``log_rr`` with comparison groups of 30 in 100 entering care."""
    counts = {"events1": 20, "n1": 100, "events2": 30, "n2": 100}
    return [
        (f"Trial {i} ({2000 + i})", 2000 + i, 200, log_rr + d, 0.045, counts)
        for i, d in enumerate((-0.05, 0.0, 0.05))
    ]


def test_a_ratio_is_shown_as_a_ratio_never_as_its_log(client, care):
    practice = build.practice(
        "family-group-conferences", "Family Group Conferences", care, rr_studies(-0.37), measure="RR"
    )
    build.recompute(practice)
    synthesis = Synthesis.objects.get(practice=practice)
    body = body_of(client.get(practice.get_absolute_url()))
    ratio = f"{math.exp(synthesis.estimate):.2f}"
    assert f"risk ratio {ratio} (95% confidence interval" in body
    assert f"Entry to care is {1 - math.exp(synthesis.estimate):.0%} less likely with the practice" in body
    for log in (synthesis.estimate, synthesis.ci_lb, synthesis.ci_ub):
        assert f"{log:.2f}" not in body and f"{log:.2f}".replace("-", "\u2212") not in body
    assert "Log risk ratio" not in body and "log risk ratio" not in body
    # the plot's axis is a log axis labelled with ratios
    svg = svg_of(body)
    texts = ["".join(t.itertext()) for t in svg.iter(f"{NS}text")]
    assert "Risk ratio (log scale; 1 means no difference)" in texts
    assert "1" in texts  # the tick at no difference


def test_the_forest_plot_says_which_side_favours_the_practice(client, parenting, care):
    body = body_of(client.get(parenting.get_absolute_url()))
    svg = svg_of(body)
    assert svg.get("viewBox") and svg.get("width") == "100%" and svg.get("height") is None
    x = {"".join(t.itertext()): float(t.get("x")) for t in svg.iter(f"{NS}text")}
    # fewer behaviour problems is better: the left side (below 0) favours the practice
    assert x["\u2190 Favours Parenting Plus"] < x["Favours comparison \u2192"]
    reunify = build.outcome("reunification", "Return home", higher_is_better=True, problem="children_in_care")
    practice = build.practice("reunify", "Reunify", reunify, build.PARENTING)
    build.recompute(practice)
    svg = svg_of(body_of(client.get(practice.get_absolute_url())))
    x = {"".join(t.itertext()): float(t.get("x")) for t in svg.iter(f"{NS}text")}
    assert x["\u2190 Favours comparison"] < x["Favours Reunify \u2192"]


def test_the_prediction_interval_is_drawn_and_in_the_table(client, parenting):
    synthesis = Synthesis.objects.get(practice=parenting)
    body = body_of(client.get(parenting.get_absolute_url()))
    pi = f"{synthesis.pi_lb:.2f} to {synthesis.pi_ub:.2f}".replace("-", "\u2212")
    svg = svg_of(body)
    titles = ["".join(t.itertext()) for t in svg.iter(f"{NS}title")]
    assert f"95% prediction interval: {pi}" in titles
    table = between(body, 'id="forest-child-behaviour-problems-table"', "</table>")
    assert "95% prediction interval</th>" in table and pi in table
    assert "grey bar under it is the 95% prediction interval" in body


def test_citations_carry_their_year_once_and_counts_their_thousands(client, parenting):
    body = body_of(client.get(parenting.get_absolute_url()))
    assert "Webster-Stratton 1998 (1998)" not in body and "Scott C (2001) (2001)" not in body
    assert "Gardner F (2006)" in body  # a citation without its year gets it
    assert "1,250" in body and ">1250<" not in body
    table = between(body, 'id="forest-child-behaviour-problems-table"', "</table>")
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Year</th>' in table
    assert "Weight" in table and "%" in table


def test_internal_provenance_notes_stay_off_the_page(client, parenting):
    body = body_of(client.get(parenting.get_absolute_url()))
    for note in ("eif_guidebook_programmes.csv", "digits on stored", "How the rating was read", "excerpt"):
        assert note not in body
    assert "Family support worker" in body  # the source's other details stay
    assert "Community centre; Primary school<" in body and "parents of children aged 3 to 8</p>" in body


def test_the_methods_page_says_how_transcriptions_are_checked(client):
    body = body_of(client.get("/evidence/how-we-judge/"))
    section = between(body, 'id="transcriptions"', "</h2>")
    assert "transcriptions are checked" in section.lower()


# ---------------------------------------------------------------- comparison


@pytest.fixture
def three(behaviour):
    made = [
        build.practice(
            "parenting-plus",
            "Parenting Plus",
            behaviour,
            build.PARENTING,
            cost_rating=2,
            cost_per_child=1180,
            cost_year=2019,
        ),
        build.practice(
            "calm-homes", "Calm Homes", behaviour, [("A", 2004, 90, -0.1, 0.04), ("B", 2008, 120, 0.05, 0.03)]
        ),
        build.practice(
            "steady-start",
            "Steady Start",
            behaviour,
            [("C", 2011, 300, -0.25, 0.02), ("D", 2015, 260, -0.2, 0.02)],
        ),
    ]
    build.recompute(*made)
    return made


def test_three_practices_on_one_outcome_side_by_side(client, three):
    body = body_of(client.get("/evidence/compare/", {"outcome": "child-behaviour-problems"}))
    table = between(body, 'id="compare-child-behaviour-problems-smd"', "</table>")
    assert "<caption" in table and "standardised mean difference (below 0 favours the practice)" in table
    rows = table.split("<tbody", 1)[1].count('<tr class="govuk-table__row">')
    assert rows == 3
    for practice in three:
        synthesis = Synthesis.objects.get(practice=practice)
        assert practice.name in table
        assert f"{synthesis.estimate:.2f}".replace("-", "\u2212") in table
    assert "£1,180 (2019 prices)" in table and "No cost per child published" in table
    assert "Not worked out: the studies measure a score, not a count of children" in table
    assert body.index("<table") < body.index("<form")  # the table first
    assert "A cohort of 100 children" in body


def test_choosing_practices_by_checkbox(client, three):
    body = body_of(
        client.get(
            "/evidence/compare/",
            {"outcome": "child-behaviour-problems", "practice": ["calm-homes", "steady-start"]},
        )
    )
    table = between(body, 'id="compare-child-behaviour-problems-smd"', "</table>")
    assert "Calm Homes" in table and "Steady Start" in table and "Parenting Plus" not in table
    assert 'value="calm-homes" checked' in body and 'value="parenting-plus">' in body


def test_a_practice_page_links_to_the_comparison_and_the_chooser_lists_the_outcome(client, three):
    body = body_of(client.get("/evidence/parenting-plus/"))
    assert 'href="/evidence/compare/?outcome=child-behaviour-problems"' in body
    assert "Compare with other practices for this outcome" in body
    chooser = body_of(client.get("/evidence/compare/"))
    assert "Children&#x27;s behaviour and mental health" in chooser and "(3 practices)" in chooser
    by_problem = body_of(client.get("/evidence/compare/", {"problem": "behaviour"}))
    assert "Calm Homes" in by_problem


@pytest.mark.parametrize(
    "params",
    [{"outcome": "no-such-outcome"}, {"problem": "nope"}, {"outcome": "x" * 500}, {"outcome": "é"}],
)
def test_an_unknown_outcome_or_problem_is_a_404_that_says_so(client, three, params):
    response = client.get("/evidence/compare/", params)
    assert response.status_code == 404
    body = response.content.decode()
    assert "There is no" in body and "child-behaviour-problems" in body  # the outcomes there are


def test_a_control_character_in_the_outcome_is_never_a_500(client, three):
    assert client.get("/evidence/compare/", {"outcome": "\x00"}).status_code < 500


def test_bad_cohort_figures_are_errors_on_their_fields_not_500(client, three):
    response = client.get(
        "/evidence/compare/", {"outcome": "child-behaviour-problems", "cohort": "lots", "baseline": "200"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the number of children as a whole number" in body
    assert "Enter the baseline rate as a percentage between 0 and 100" in body
    assert 'id="compare-child-behaviour-problems-smd"' in body  # the comparison still stands


def test_cost_per_extra_child_for_a_ratio_outcome_uses_the_comparison_groups_rate(client, care):
    made = [
        build.practice(
            f"p{i}",
            f"Practice {i}",
            care,
            rr_studies(log_rr),
            measure="RR",
            cost_per_child=cost,
            cost_year=2022,
        )
        for i, (log_rr, cost) in enumerate(((-0.4, 900), (-0.2, 300), (-0.1, 100)))
    ]
    build.recompute(*made)
    body = body_of(client.get("/evidence/compare/", {"outcome": "entry-to-care"}))
    assert "baseline rate of 30%: the comparison groups&#x27; rate in the 9 studies" in body
    synthesis = Synthesis.objects.get(practice=made[0])
    expected = er.cohort_cost(
        cohort=100,
        unit_cost=900,
        baseline_rate=0.3,
        risk_ratio=math.exp(synthesis.estimate),
        higher_is_better=False,
    )
    assert f"£{expected.cost_per_extra_child:,.0f}" in body
    # a council's own cohort and baseline
    own = body_of(
        client.get("/evidence/compare/", {"outcome": "entry-to-care", "cohort": "250", "baseline": "20"})
    )
    expected = er.cohort_cost(
        cohort=250,
        unit_cost=900,
        baseline_rate=0.2,
        risk_ratio=math.exp(synthesis.estimate),
        higher_is_better=False,
    )
    assert (
        f"£{expected.cost_per_extra_child:,.0f}" in own and "baseline rate of 20%: the rate you gave" in own
    )


def test_a_signed_in_council_member_sees_their_council_named(client, three, camden_analyst):
    client.force_login(camden_analyst)
    body = body_of(client.get("/evidence/compare/", {"outcome": "child-behaviour-problems"}))
    assert "Children in your cohort at Camden" in body


def test_the_pages_take_a_bounded_number_of_queries(client, three, care, django_assert_max_num_queries):
    # a second outcome for one practice: one more query for its forest plot, no more per study
    practice = three[0]
    for i, (citation, year, n, yi, vi, inputs) in enumerate(rr_studies(-0.2)):
        study = practice.studies.create(key=f"rr{i}", citation=citation, year=year, design="rct", n_total=n)
        study.effects.create(outcome=care, measure="RR", yi=yi, vi=vi, inputs=inputs)
    build.recompute(practice)
    with django_assert_max_num_queries(11):
        body_of(client.get(practice.get_absolute_url()))
    with django_assert_max_num_queries(6):
        body_of(client.get("/evidence/compare/", {"outcome": "child-behaviour-problems"}))


def test_bad_figures_put_error_in_the_title(client, three):
    response = client.get("/evidence/compare/", {"outcome": "child-behaviour-problems", "cohort": "0"})
    assert response.status_code == 400 and "<title>Error: " in response.content.decode()


def test_a_practice_with_many_outcomes_opens_with_a_table_of_their_recommendations(client, parenting):
    for slug in ("child-mental-health", "parental-stress"):
        other = build.outcome(slug, slug.replace("-", " ").capitalize())
        for i, (_, _, _, yi, vi) in enumerate(build.PARENTING):
            study = parenting.studies.get(key=f"s{i}")
            study.effects.create(outcome=other, measure="SMD", yi=yi, vi=vi)
    build.recompute(parenting)
    body = body_of(client.get(parenting.get_absolute_url()))
    decision = between(body, 'id="decision"', 'id="at-a-glance"')
    table = between(decision, 'id="decisions"', "</table>")
    assert "The recommendation for each of 3 outcomes" in table
    assert table.count('<tr class="govuk-table__row"><th scope="row"') == 3
    assert 'href="#decision-parental-stress"' in table
    # each outcome's card, with why, heads its results
    results = body.split('id="results"', 1)[1]
    assert results.count('class="govuk-summary-card"') == 3 and 'id="decision-parental-stress"' in results
