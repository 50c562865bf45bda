"""A scenario's entry rate beside what the evidence library says about entering care."""

import pytest

from slihub.evidence.models import EffectEstimate, Study
from slihub.forecast import evidence
from tests.integration import practice_builders as build
from tests.integration.test_forecast_costs import data_dir  # noqa: F401 (a fixture)
from tests.integration.test_forecast_scenario import world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _study(practice, key, year, outcome, **effect):
    study = Study.objects.create(practice=practice, key=key, citation=f"{key} trial", year=year, design="rct")
    return EffectEstimate.objects.create(study=study, outcome=outcome, **effect)


@pytest.fixture
def library():
    entry = build.outcome("entry-to-care", "Entry to care", problem="children_in_care")
    looked_after = build.outcome(
        "child-looked-after-12-months-after-the-pre-proceedings-letter",
        "Child looked after 12 months after the pre-proceedings letter",
        higher_is_better=False,
        problem="children_in_care",
    )
    days = build.outcome("days-spent-in-care", "Days spent in care", problem="children_in_care")
    fgc = build.practice("fgc", "Family Group Conferencing", looked_after, [])
    figures = {"intervention_value": "36.2%", "comparison_value": "44.8%", "significant": True}
    _study(fgc, "fgc", 2023, looked_after, **figures)
    _study(fgc, "fgc-days", 2023, days, intervention_value="87 days", comparison_value="115 days")
    mst = build.practice("mst", "Multisystemic Therapy", entry, [])
    _study(mst, "start", 2018, entry, measure="OR", yi=0.2231, vi=0.0624)
    return fgc, mst


def test_studies_on_entering_care_are_given_in_words(library):
    findings = {f.practice: f for f in evidence.entering_care()}
    assert set(findings) == {"Family Group Conferencing", "Multisystemic Therapy"}  # not days in care
    fgc = findings["Family Group Conferencing"]
    assert fgc.effect == (
        "36.2% against 44.8% without the service: 19% fewer among those it reached; statistically significant"
    )
    assert fgc.fewer == pytest.approx(1 - 36.2 / 44.8)
    assert fgc.url == "/evidence/fgc/" and fgc.design == "Randomised controlled trial" and fgc.year == 2023
    mst = findings["Multisystemic Therapy"]
    assert mst.effect == "odds ratio 1.25 (95% confidence interval 0.77 to 2.04): no clear difference"
    assert mst.fewer is None


def test_the_scenario_form_links_the_evidence_beside_the_entry_rate(world, library, as_persona):  # noqa: F811
    page = as_persona("camden_analyst").get("/forecast/202/scenarios/new/").content.decode()
    assert 'id="evidence-on-entries"' in page
    assert (
        page.index("Children starting care")
        < page.index("evidence-on-entries")
        < page.index("Children leaving care")
    )
    assert 'href="/evidence/fgc/"' in page and "19% fewer among those it reached" in page


def test_without_such_studies_the_form_says_nothing_of_them(world, as_persona):  # noqa: F811
    page = as_persona("camden_analyst").get("/forecast/202/scenarios/new/").content.decode()
    assert "evidence-on-entries" not in page
