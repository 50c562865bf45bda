"""Each outcome's problem (slihub/evidence/problems.py): set by the importers, and by migration 0008 for
outcomes already stored."""

import importlib

import pytest
from django.apps import apps

from slihub.evidence import importers, problems
from slihub.evidence.models import PROBLEM_LABELS, Outcome
from slihub.evidence.services import load_evidence
from tests.integration.evidence_fixtures import EFFECTS, TRIALS, write_evidence
from tests.integration.test_evidence_import import STARTER

pytestmark = pytest.mark.django_db


def stored():
    return dict(Outcome.objects.values_list("name", "problem"))


def test_the_importers_give_each_outcome_its_problem(tmp_path):
    effects = EFFECTS + [
        {**EFFECTS[0], "outcome": "Reduced involvement in crime", "study": "study 2"},
        {
            **EFFECTS[0],
            "outcome_domain": "Preventing child maltreatment",
            "outcome": "Fewer injuries",
            "study": "study 3",
        },
    ]
    trials = TRIALS + [
        {**TRIALS[0], "outcome": "Re-referral within 12 months", "primary_outcome": "no"},
        {**TRIALS[0], "outcome": "Foster carer retention", "primary_outcome": "no"},
        {**TRIALS[0], "outcome": "Cost of the court hearing", "primary_outcome": "no"},
    ]
    load_evidence(write_evidence(tmp_path, effects=effects, trials=trials))
    assert stored() == {
        "Reduced behaviour problems": "behaviour",  # EIF's crime and antisocial behaviour domain
        "Reduced involvement in crime": "offending",  # ... unless the outcome names crime
        "Fewer injuries": "child_protection",  # by its domain, maltreatment
        "Attainment (months of progress)": "education",  # the EEF's
        "Child placed in care": "children_in_care",  # a trial's, by its words
        "Re-referral within 12 months": "front_door",
        "Foster carer retention": "children_in_care",
        "Cost of the court hearing": "",  # no words of a problem: none, never a guess
        "Tuberculosis cases": "",  # the reference dataset
    }


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Rate of re-referrals", "front_door"),
        ("Referrals to children's social care", "front_door"),
        ("Section 47 enquiries started", "child_protection"),
        ("Child protection plans", "child_protection"),
        ("Entry to care", "children_in_care"),
        ("Placement moves in the year", "children_in_care"),
        ("Care leavers in education, employment or training", "care_leavers"),
        ("Social worker turnover", "workforce"),
        ("School exclusions", "education"),
        ("Arrests within two years", "offending"),
        ("Parents' alcohol misuse", "parents"),
        ("Child wellbeing (SDQ)", "behaviour"),
        ("Days to the final hearing", ""),
    ],
)
def test_a_trial_outcome_outside_the_table_is_read_by_its_words(name, problem):
    assert problems.wwcsc_problem(name) == problem


def test_every_problem_in_the_tables_is_one_the_hub_knows():
    named = {
        p
        for table in (problems.EIF_DOMAINS, problems.EIF_OUTCOMES, problems.WWCSC_OUTCOMES)
        for p, _ in table.values()
    }
    assert named - {""} <= set(PROBLEM_LABELS)
    assert problems.reason("Days spent in care", problems.WWCSC_DOMAIN) == "time in care"


def test_the_migration_fills_blank_problems_and_keeps_those_already_set():
    Outcome.objects.create(
        slug="a",
        name="Reduced oppositional behaviour",
        domain="Preventing crime, violence and antisocial behaviour",
    )
    Outcome.objects.create(slug="b", name="Days spent in care", domain=problems.WWCSC_DOMAIN)
    Outcome.objects.create(slug="c", name="Attainment (months of progress)", domain="Education")
    Outcome.objects.create(slug="d", name="Tuberculosis cases", domain="Health")
    Outcome.objects.create(slug="e", name="Child behaviour", domain="")  # an upload's: not in the tables
    # a transcription's outcome carries its own problem, which the migration never overwrites
    Outcome.objects.create(
        slug="f", name="Days spent in care (review)", domain=problems.WWCSC_DOMAIN, problem="parents"
    )
    migration = importlib.import_module("slihub.evidence.migrations.0008_outcome_problems")
    migration.fill_problems(apps, None)
    assert dict(Outcome.objects.values_list("slug", "problem")) == {
        "a": "behaviour",
        "b": "children_in_care",
        "c": "education",
        "d": "",
        "e": "",
        "f": "parents",
    }


@pytest.mark.skipif(
    not (STARTER / "eif_guidebook_programmes.csv").is_file(), reason="no starter content folder"
)
def test_every_starter_outcome_is_in_the_reviewed_tables():
    """Each EIF and WWCSC outcome of the real starter content is reviewed by name, not left to the
    domain or the words: a new one fails here until someone reviews it."""
    _, outcomes = importers.read_all(STARTER, None)
    reviewed = {**problems.EIF_OUTCOMES, **problems.WWCSC_OUTCOMES, **problems.META_OUTCOMES}
    unreviewed = [
        o["name"] for o in outcomes if o["name"] not in reviewed and o["slug"] != importers.ATTAINMENT["slug"]
    ]
    assert unreviewed == []
    assert {o["name"]: o["problem"] for o in outcomes} == {
        name: reviewed.get(name, ("education",))[0] for name in (o["name"] for o in outcomes)
    }


def test_the_api_gives_each_pooled_result_and_effect_its_outcomes_problem(client):
    from slihub.evidence.models import EffectEstimate, Practice, Study, Synthesis

    practice = Practice.objects.create(slug="fgc", name="Family group conferences", source="x")
    outcome = Outcome.objects.create(
        slug="section-47-enquiry", name="Section 47 enquiries", problem="child_protection"
    )
    study = Study.objects.create(practice=practice, key="s1", citation="A trial (2020)")
    EffectEstimate.objects.create(study=study, outcome=outcome, measure="RR", yi=-0.2, vi=0.01)
    Synthesis.objects.create(
        practice=practice, outcome=outcome, measure="RR", k=1, estimate=-0.2, se=0.1, ci_lb=-0.4, ci_ub=0.0,
        pi_lb=-0.4, pi_ub=0.0, tau2=0.0, i2=0.0, certainty="low", certainty_start="high", impact="",
        recommendation="Consider", rule="r", rule_reason="",
    )  # fmt: skip
    body = client.get("/api/v1/evidence/practices/fgc").json()
    assert body["syntheses"][0]["outcome_problem"] == "child_protection"
    assert body["studies"][0]["effects"][0]["outcome_problem"] == "child_protection"
    listed = client.get("/api/v1/evidence/practices").json()["items"]
    assert listed[0]["syntheses"][0]["outcome_problem"] == "child_protection"
