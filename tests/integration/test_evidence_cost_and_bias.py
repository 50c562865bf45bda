"""Cost and risk of bias: only what the sources give, and an honest, visible rule for "not assessed"."""

import pytest

from slihub.evidence.models import Practice, Study, Synthesis
from slihub.evidence.services import load_evidence
from slihub.stats import evidence_rating as er
from tests.integration.evidence_fixtures import BCG_ROWS, PROGRAMMES, STRANDS, TRIALS, write_evidence
from tests.integration.html import page

pytestmark = pytest.mark.django_db

BCG = "bcg-vaccine-against-tuberculosis-reference-dataset"
TUITION = {
    "toolkit": "Teaching and Learning",
    "strand": "One to one tuition",
    "toolkit_version": "older website strand page (c. 2013-2015)",
    "impact_months": "+5",
    "headline_verbatim": "Moderate impact for high cost, based on extensive evidence",
    "cost_word": "high",
    "cost_rating_1to5": "4",
    "evidence_padlocks_1to5": "4",
    "notes": "Page states 'Cost estimate: Up to £1,200 per pupil' and 'Evidence estimate: Three or more'",
}
FDAC = {
    "intervention": "Family Drug and Alcohol Courts (FDAC)",
    "study": (
        "Evaluation of Family Drug and Alcohol Courts "
        "(Foundations; Supporting Families: Investing in Practice)"
    ),
    "design": "Quasi-experimental design: families referred to FDAC matched with non-referred families",
    "outcome": "Child reunified with primary carer at end of care proceedings",
    "primary_outcome": "yes",
    "intervention_group_value": "52.0%",
    "comparison_group_value": "12.5%",
    "status": "Reported (2023)",
    "source_urls": "https://foundations.org.uk/our-work/publications/evaluation-of-family-drug-and-alcohol-courts/",
}
# dat.bcg's first four random trials, and two allocated by alternation and systematically
BCG_MIXED = BCG_ROWS + [
    (5, "Frimodt-Moller et al", 1973, 33, 5036, 47, 5761, "alternate"),
    (10, "Rosenthal et al", 1961, 17, 1699, 65, 1600, "systematic"),
]


@pytest.fixture
def library(tmp_path):
    programmes = [{**PROGRAMMES[0], "eif_review_dates": "Foundations for Life, July 2016"}, PROGRAMMES[1]]
    load_evidence(
        write_evidence(
            tmp_path,
            programmes=programmes,
            strands=STRANDS + [TUITION],
            trials=TRIALS + [FDAC],
            bcg=BCG_MIXED,
        )
    )


def text(client, slug) -> str:
    return page(client.get(f"/evidence/{slug}/")).text


# ---------------------------------------------------------------- cost


def test_no_cost_per_child_is_invented(library):
    # none of the sources gives a single cost per child with its year
    assert not Practice.objects.filter(cost_per_child__isnull=False).exists()
    assert not Practice.objects.filter(cost_year__isnull=False).exists()


def test_the_eefs_stated_cost_is_kept_in_its_own_words_with_its_source(client, library):
    tuition = Practice.objects.get(slug="eef-teaching-and-learning-one-to-one-tuition")
    assert tuition.cost_statement == "Up to £1,200 per pupil"
    assert tuition.cost_source == (
        "EEF Teaching and Learning Toolkit, older website strand page (c. 2013-2015): “high” cost category"
    )
    body = text(client, tuition.slug)
    assert "Up to £1,200 per pupil, as the source states it: a limit rather than a single figure" in body
    # the EEF's own band, not the EIF bands the hub's ratings use
    assert "Cost rating 4 of 5: the EEF's “high” cost category (up to £1,200 per pupil per year" in body
    assert "£1,000 to £2,000" not in body


def test_an_eif_cost_rating_gives_its_band_and_review_and_says_there_is_no_cost_per_child(client, library):
    happy = Practice.objects.get(slug="happy-parents-group")
    assert happy.cost_source == "EIF Guidebook cost rating (EIF review: Foundations for Life, July 2016)"
    body = text(client, happy.slug)
    assert "No cost per child published. The EIF Guidebook gives a cost band, not a cost per child." in body
    assert "Cost rating 2 of 5: £100 to £499 per child." in body


def test_a_practice_without_any_cost_says_so(client, library):
    body = text(client, "family-meetings")
    assert "No cost per child published. The published evaluation gives no cost for this practice." in body


def test_the_api_gives_the_cost_with_its_source(client, library):
    tuition = client.get("/api/v1/evidence/practices/eef-teaching-and-learning-one-to-one-tuition").json()
    assert tuition["cost_per_child"] is None and tuition["cost_year"] is None
    assert tuition["cost_statement"] == "Up to £1,200 per pupil"
    assert tuition["cost_source"].startswith("EEF Teaching and Learning Toolkit")


# ---------------------------------------------------------------- risk of bias


def test_risk_of_bias_is_taken_from_the_source_where_it_gives_grounds(library):
    bcg = {s.key: s for s in Study.objects.filter(practice__slug=BCG)}
    assert [bcg[f"trial-{n}"].risk_of_bias for n in (1, 2, 3, 4)] == ["", "", "", ""]
    assert "records random allocation only" in bcg["trial-1"].risk_of_bias_basis
    assert (
        bcg["trial-5"].risk_of_bias == "high"
        and "alternating allocation" in bcg["trial-5"].risk_of_bias_basis
    )
    assert (
        bcg["trial-10"].risk_of_bias == "high"
        and "systematic allocation" in bcg["trial-10"].risk_of_bias_basis
    )
    fdac = Study.objects.get(practice__slug="family-drug-and-alcohol-courts-fdac")
    assert fdac.risk_of_bias == "high"
    assert "cannot be attributed entirely to FDAC" in fdac.risk_of_bias_basis
    # nothing in the EIF statements or the other trials judges bias: not assessed
    assert set(Study.objects.filter(practice__source="eif").values_list("risk_of_bias", flat=True)) == {""}
    assert Study.objects.get(practice__slug="family-meetings").risk_of_bias == ""


def test_not_assessed_is_shown_with_its_effect_on_certainty(client, library):
    synthesis = Synthesis.objects.get(practice__slug=BCG)
    rob = next(r for r in synthesis.certainty_reasons if r["domain"] == "risk of bias")
    assert 0 < rob["not_assessed"] < 1
    assert "not assessed" in rob["reason"]
    body = text(client, BCG)
    assert "Risk of bias not assessed for studies carrying" in body
    assert "The hub does not assume unassessed studies are at low risk" in body
    assert "Risk of bias is not assessed for 4 of these 6 studies" in body
    assert "Cochrane's risk-of-bias criteria" in body  # each study's basis is shown


def test_the_downgrade_for_unassessed_studies_says_what_it_costs():
    studies = [er.StudyInput("rct", "", 1.0, 500), er.StudyInput("rct", "low", 0.5, 500)]
    base = dict(measure="SMD", estimate=0.3, ci_lb=0.2, ci_ub=0.4, pi_lb=0.1, pi_ub=0.5, i2=0.0)
    result = er.grade_certainty(studies, **base)
    rob = next(a for a in result.adjustments if a.domain == "risk of bias")
    assert rob.change == -1 and result.level == "moderate"
    assert round(rob.not_assessed, 2) == 0.67
    assert "not assessed 67%" in rob.reason
    assert "the hub does not assume unassessed studies are at low risk" in rob.reason
    assert rob.reason.endswith("Assessed and found at low risk, certainty would be high.")
    # studies judged to raise some concerns need no such note
    judged = er.grade_certainty([er.StudyInput("rct", "some", 1.0, 900)], **base)
    reason = next(a for a in judged.adjustments if a.domain == "risk of bias").reason
    assert "does not assume" not in reason and "would be" not in reason


def test_the_rules_page_explains_risk_of_bias_cost_and_local_validation(client):
    body = page(client.get("/evidence/how-we-judge/")).text
    assert "Not assessed is not treated as low risk." in body
    assert "Rated down one level" in body and "Rated down two levels" in body
    assert "The EEF's cost categories, as its older toolkit defined them" in body
    assert "None of the starter content gives a single figure" in body
    assert "Validating local practice" in body and "never from the submitting council" in body


def test_the_api_gives_each_studys_risk_of_bias_and_its_basis(client, library):
    detail = client.get(f"/api/v1/evidence/practices/{BCG}").json()
    by_key = {s["key"]: s for s in detail["studies"]}
    assert by_key["trial-5"]["risk_of_bias"] == "high"
    assert "alternating" in by_key["trial-5"]["risk_of_bias_basis"]
    assert by_key["trial-1"]["risk_of_bias"] == ""
