"""What works for a problem, for early warning and the alliances: strongest recommendation first."""

import pytest
from django.utils import timezone

from slihub.evidence.models import LocalPractice, Outcome, Practice, Synthesis, keys
from slihub.evidence.selectors import practices_by_problem, practices_for_problems

pytestmark = pytest.mark.django_db

POOLED = dict(
    measure="SMD", k=3, estimate=0.3, se=0.1, ci_lb=0.1, ci_ub=0.5, pi_lb=0.0, pi_ub=0.6, tau2=0.0, i2=0.0,
    certainty_start="high", eif_level="", impact="", rule="r", rule_reason="",
)  # fmt: skip


def names(suggestions):
    return [s.name for s in suggestions]


# ---------------------------------------------------------------------------------------------
# practices_for_problems: what works for a problem, by the outcomes a practice's syntheses are on


def pooled_on(slug, problem_outcomes, themes=("parents_carers_families", "vulnerable_children")):
    """A practice with one synthesis per (outcome slug, problem, recommendation, certainty[, reproduces])."""
    made = Practice.objects.create(
        slug=slug, name=slug.replace("-", " ").title(), themes=keys(themes), source="x"
    )
    for outcome_slug, problem, recommendation, certainty, *reproduces in problem_outcomes:
        outcome, _ = Outcome.objects.get_or_create(
            slug=outcome_slug,
            defaults={"name": outcome_slug.replace("-", " ").capitalize(), "problem": problem},
        )
        Synthesis.objects.create(
            practice=made,
            outcome=outcome,
            recommendation=recommendation,
            certainty=certainty,
            reproduces=reproduces[0] if reproduces else None,
            **POOLED,
        )
    return made


@pytest.fixture
def problem_library(places):
    pooled_on("parenting-programme", [("child-behaviour", "behaviour", "Offer", "high")])
    pooled_on("cp-offer-low", [("section-47", "child_protection", "Offer", "low")])
    pooled_on("cp-offer-high", [("maltreatment", "child_protection", "Offer", "high")])
    pooled_on("cp-not-reproduced", [("section-47", "child_protection", "Offer", "high", False)])
    pooled_on("cp-harmful", [("section-47", "child_protection", "Do not offer", "high")])
    pooled_on(  # good on one child protection outcome, advised against on another: never suggested for it
        "cp-mixed",
        [
            ("maltreatment", "child_protection", "Offer", "high"),
            ("section-47", "child_protection", "Do not offer", "moderate"),
        ],
    )
    pooled_on("cp-research", [("maltreatment", "child_protection", "Only in research", "very low")])
    pooled_on(  # its Offer is on another problem: for child protection it is a Consider
        "cp-and-care",
        [
            ("maltreatment", "child_protection", "Consider", "high"),
            ("entry-to-care", "children_in_care", "Offer", "high"),
        ],
    )
    pooled_on("front-door", [("re-referral", "front_door", "Consider", "moderate")])
    common = dict(
        summary="s", evidence="e", status=LocalPractice.Status.VALIDATED, published_at=timezone.now()
    )
    LocalPractice.objects.create(
        authority=places.camden, title="Edge of care hub", themes=keys(["vulnerable_children"]), **common
    )
    LocalPractice.objects.create(authority=places.leeds, title="Youth club", themes=keys(["youth"]), **common)


def test_what_works_for_a_problem_ranks_its_syntheses_then_local_practice(problem_library):
    found = practices_for_problems(["child_protection"], limit=10)
    assert names(found) == [
        "Cp Offer High",
        "Cp Offer Low",
        "Cp And Care",
        "Edge of care hub (Camden)",
        "Cp Research",
    ]
    assert [(s.recommendation, s.certainty, s.problem) for s in found[:3]] == [
        ("Offer", "high", "child_protection"),
        ("Offer", "low", "child_protection"),
        ("Consider", "high", "child_protection"),
    ]
    assert found[0].outcome == "Maltreatment" and found[3].kind == "local practice"


def test_several_problems_are_ranked_together(problem_library):
    found = practices_for_problems(["front_door", "child_protection"], limit=4)
    assert names(found) == ["Cp Offer High", "Cp Offer Low", "Cp And Care", "Front Door"]
    assert {s.problem for s in found} == {"child_protection", "front_door"}


def test_a_problem_the_library_holds_nothing_on_gives_an_empty_list(problem_library):
    # validated local practice exists, but none has a workforce theme; the parenting programme's Offer is
    # on behaviour
    assert practices_for_problems(["workforce"]) == []
    assert practices_for_problems([]) == []
    assert practices_for_problems(["child_protection"], limit=0) == []


def test_an_unknown_problem_is_refused(problem_library):
    with pytest.raises(ValueError, match="unknown problem 'parenting'"):
        practices_for_problems(["parenting"])


def test_what_works_for_a_problem_reads_in_two_queries(problem_library, django_assert_num_queries):
    with django_assert_num_queries(2):
        practices_for_problems(["child_protection", "front_door", "children_in_care"])


def test_by_problem_each_problem_has_its_own_list_and_local_practice_is_listed_once(problem_library):
    found = practices_by_problem(
        ["child_protection", "front_door", "children_in_care", "workforce"], limit=10
    )
    assert {problem: names(listed) for problem, listed in found.items()} == {
        "child_protection": [
            "Cp Offer High",
            "Cp Offer Low",
            "Cp And Care",  # a Consider on child protection ...
            "Edge of care hub (Camden)",  # under the first problem asked whose theme it has
            "Cp Research",
        ],
        "front_door": ["Front Door"],
        "children_in_care": ["Cp And Care"],  # ... and an Offer on entry to care
        "workforce": [],  # nothing yet: callers say so
    }
    assert found["children_in_care"][0].recommendation == "Offer"
    assert names(practices_by_problem(["child_protection"], limit=2)["child_protection"]) == [
        "Cp Offer High",
        "Cp Offer Low",
    ]


def test_by_problem_reads_in_two_queries(problem_library, django_assert_num_queries):
    with django_assert_num_queries(2):
        practices_by_problem(["child_protection", "front_door", "children_in_care", "care_leavers"])
