"""A practice's page and the comparison in a browser, with axe: the decision first, a forest plot at the
page's width with its table, and three practices compared on one outcome."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow

pytestmark = pytest.mark.browser


@pytest.fixture
def practices(reference_data):
    from tests.integration import practice_builders as build

    behaviour = build.outcome()
    made = [
        build.practice(
            "parenting-plus",
            "Parenting Plus",
            behaviour,
            build.PARENTING,
            cost_rating=2,
            cost_per_child=1180,
            cost_year=2019,
            uk_tested=True,
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


def test_a_practice_lead_reads_the_decision_then_compares(page, site, axe, practices):
    page.goto(site + "/evidence/parenting-plus/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Parenting Plus")
    expect(page.get_by_role("heading", level=2, name="Recommendation", exact=True)).to_be_visible()
    expect(page.locator("#decision-child-behaviour-problems")).to_contain_text(
        "reduction in children's behaviour"
    )
    plot = page.locator("main svg.app-forest")
    expect(plot).to_be_visible()
    expect(plot).to_contain_text("Favours Parenting Plus")
    expect(plot).to_contain_text("95% prediction interval")
    # the plot fills the width of the page's main column
    main_width = page.locator("main").evaluate("el => el.clientWidth")
    assert plot.evaluate("el => el.getBoundingClientRect().width") > 0.9 * main_width
    table = page.get_by_role("table", name=re.compile("The forest plot as a table"))
    expect(table.locator("tbody tr")).to_have_count(len(practices[0].studies.all()) + 2)  # pooled, PI
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name=re.compile("^Compare with other practices for this outcome")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's behaviour problems")
    comparison = page.get_by_role("table", name=re.compile("Children's behaviour problems: standardised"))
    expect(comparison.locator("tbody tr")).to_have_count(3)
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_label("Calm Homes").uncheck()
    page.get_by_label("Parenting Plus").check()
    page.get_by_label("Steady Start").check()
    page.get_by_role("button", name="Update the comparison").click()
    expect(comparison.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Children in your cohort").fill("lots")
    page.get_by_role("button", name="Update the comparison").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the number of children")
    check_accessibility(axe, page)


def test_the_comparison_chooser_and_an_unknown_outcome(page, site, axe, practices):
    page.goto(site + "/evidence/compare/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare practices")
    check_accessibility(axe, page)
    response = page.goto(site + "/evidence/compare/?outcome=no-such-outcome")
    assert response.status == 404
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is no outcome called")
    check_accessibility(axe, page)
    check_reflow(page)


def test_a_practice_with_three_outcomes_opens_with_their_recommendations(page, site, axe, reference_data):
    from tests.integration import practice_builders as build

    outcomes = [build.outcome(), build.outcome("parental-stress", "Parents' stress", problem="parents")]
    outcomes.append(build.outcome("school-attendance", "School attendance", higher_is_better=True))
    practice = build.practice("three-ways", "Three Ways", outcomes[0], build.PARENTING)
    for other in outcomes[1:]:
        for i, (_, _, _, yi, vi) in enumerate(build.PARENTING):
            practice.studies.get(key=f"s{i}").effects.create(outcome=other, measure="SMD", yi=yi, vi=vi)
    build.recompute(practice)
    page.goto(site + practice.get_absolute_url())
    table = page.get_by_role("table", name=re.compile("The recommendation for each of 3 outcomes"))
    expect(table.locator("tbody tr")).to_have_count(3)
    table.get_by_role("link", name="School attendance", exact=True).click()
    expect(page.locator("#decision-school-attendance")).to_be_in_viewport()
    check_accessibility(axe, page)
    check_reflow(page)
