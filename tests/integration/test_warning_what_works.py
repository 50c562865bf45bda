"""Early warning's "What works": practices whose pooled results on outcomes of the problem behind a weak
area recommend them, never a practice matched by a broad theme alone; and the page says plainly when the
evidence library holds nothing yet on a problem, while strong councils and specialists still show."""

from datetime import date

import pytest
from django.utils import timezone

from slihub.evidence.models import LocalPractice, Outcome, Practice, Synthesis, keys
from slihub.exchange.models import Specialist
from slihub.indicators.models import Comparison
from slihub.warning.features import SIGNAL_BY_CODE, SIGNALS
from slihub.warning.models import RiskScore, Target
from slihub.warning.selectors import AuthorityRisk, suggestions, weak_areas
from tests.integration.html import page
from tests.integration.warning_fixtures import add_inspection, indicator, period

pytestmark = pytest.mark.django_db

MONTH = date(2024, 3, 1)
POOLED = dict(
    measure="SMD", k=3, estimate=-0.3, se=0.1, ci_lb=-0.5, ci_ub=-0.1, pi_lb=-0.6, pi_ub=0.0, tau2=0.0,
    i2=0.0, certainty_start="high", eif_level="", impact="", rule="r", rule_reason="",
)  # fmt: skip
FAMILIES = ("parents_carers_families", "vulnerable_children")


def pooled(name, outcome_slug, problem, recommendation, certainty, themes=FAMILIES):
    made = Practice.objects.create(
        slug=name.lower().replace(" ", "-"), name=name, themes=keys(themes), source="x"
    )
    outcome, _ = Outcome.objects.get_or_create(
        slug=outcome_slug, defaults={"name": outcome_slug.replace("-", " ").capitalize(), "problem": problem}
    )
    Synthesis.objects.create(
        practice=made, outcome=outcome, recommendation=recommendation, certainty=certainty, **POOLED
    )
    return made


@pytest.fixture
def library(places):
    """Parenting programmes in the families and vulnerable children themes, as the library holds today,
    and two practices pooled on child protection and front door outcomes."""
    pooled("Group parenting programme", "child-behaviour-problems", "behaviour", "Offer", "high")
    pooled("Parenting for substance misuse", "parental-substance-misuse", "parents", "Consider", "moderate")
    Practice.objects.create(  # rated by its publisher, not pooled: once suggested by its theme alone
        slug="family-support-eif",
        name="Family support (EIF)",
        themes=keys(FAMILIES),
        eif_rating="4",
        source="eif",
    )
    pooled("Family group conferences", "section-47-enquiry", "child_protection", "Offer", "moderate")
    pooled("Front door triage", "child-protection-re-referral", "front_door", "Consider", "low")
    for code in ("Work_Force_Agecy_Rate", "Work_Force_TO_Rate", "ReReferral", "Section_47", "SpendPerChild"):
        indicator(code)  # the fixtures' indicators are all in the vulnerable children theme


def raised(*codes):
    return [
        {"feature": f"{code}:{SIGNAL_BY_CODE[code].measures[0]}", "label": SIGNAL_BY_CODE[code].name,
         "contribution": 0.5, "text": f"{SIGNAL_BY_CODE[code].name} above neighbours", "concern": True}
        for code in codes
    ]  # fmt: skip


def risk_of(authority, *codes):
    return AuthorityRisk(authority, MONTH, raising=raised(*codes))


def test_every_signal_with_expertise_names_its_problem_and_deprivation_and_spending_none():
    assert {s.code: s.problem for s in SIGNALS if s.problem} == {
        **dict.fromkeys(["CIN", "ReReferral", "Continue_Assess_Comp"], "front_door"),
        **dict.fromkeys(["CPP_rate", "Section_47", "RevCP", "PrevRegCPR"], "child_protection"),
        **dict.fromkeys(["LAC", "LACStable_2016on"], "children_in_care"),
        **dict.fromkeys(["CareLeaverAcc", "CareLeaverEET"], "care_leavers"),
        **{s.code: "workforce" for s in SIGNALS if s.code.startswith("Work_Force")},
        **dict.fromkeys(
            ["dfe:factor_domestic_abuse_parent_percent", "dfe:factor_neglect_percent"], "child_protection"
        ),
        "dfe:factor_mental_health_parent_percent": "parents",
        "dfe:cla_school_midyear_move": "children_in_care",
    }
    assert SIGNAL_BY_CODE["Ever6_FSM_Prim"].problem == SIGNAL_BY_CODE["SpendPerChild"].problem == ""
    assert SIGNAL_BY_CODE["mhclg:imd2019_average_score"].problem == ""


def test_a_council_flagged_on_its_workforce_gets_no_parenting_programme(places, camden_analyst, library):
    found = suggestions(camden_analyst, risk_of(places.camden, "Work_Force_Agecy_Rate", "Work_Force_TO_Rate"))
    assert [a.problem for a in found.areas] == ["workforce", "workforce"]
    assert found.practices == []
    [works] = found.what_works
    assert (works.problem, works.label, works.practices) == ("workforce", "Workforce stability", [])
    assert works.areas == ["Agency social workers", "Social worker turnover"]


def test_a_council_flagged_on_re_referrals_and_child_protection_gets_practices_on_those_outcomes(
    places, camden_analyst, library
):
    found = suggestions(camden_analyst, risk_of(places.camden, "ReReferral", "Section_47", "SpendPerChild"))
    assert [(w.problem, [p.name for p in w.practices]) for w in found.what_works] == [
        ("front_door", ["Front door triage"]),
        ("child_protection", ["Family group conferences"]),
    ]  # spending names no problem, so asks for none
    assert {p.problem for p in found.practices} == {"front_door", "child_protection"}
    assert {p.outcome for p in found.practices} == {"Section 47 enquiry", "Child protection re referral"}


def test_validated_local_practice_in_the_problems_theme_is_listed_after_pooled_practice(
    places, camden_analyst, library
):
    LocalPractice.objects.create(
        authority=places.leeds, title="Edge of care hub", summary="s", evidence="e",
        themes=keys(["vulnerable_children"]), status=LocalPractice.Status.VALIDATED,
        published_at=timezone.now(),
    )  # fmt: skip
    found = suggestions(camden_analyst, risk_of(places.camden, "Section_47", "Work_Force_Agecy_Rate"))
    by_problem = {w.problem: [p.name for p in w.practices] for w in found.what_works}
    assert by_problem == {
        "child_protection": ["Family group conferences", "Edge of care hub (Leeds)"],
        "workforce": [],  # workforce has no theme of its own: local practice is not matched by a broad one
    }


def test_the_page_says_the_library_holds_nothing_on_workforce_and_still_shows_councils_and_specialists(
    places, camden_analyst, client, library
):
    RiskScore.objects.create(
        authority=places.camden, month=MONTH, target=Target.INADEQUATE, probability=0.4, rank=1, scored=6,
        signals=raised("Work_Force_Agecy_Rate"),
    )  # fmt: skip
    # Islington: top quarter for agency reliance and judged Good, with a workforce specialist listed
    Comparison.objects.create(
        indicator=indicator("Work_Force_Agecy_Rate"),
        period=period(2023),
        authority=places.islington,
        quartile="A",
    )
    add_inspection(places.islington, date(2023, 3, 6), "Good")
    Specialist.objects.create(
        authority=places.islington, name="A Specialist", role="Principal social worker", seniority=3,
        expertise=["workforce_recruitment"], days_per_week=2, consent_to_list=True,
    )  # fmt: skip
    client.force_login(camden_analyst)
    document = page(client.get("/warning/authorities/202/"))
    what_works = document.one(id="practices")
    assert document.one(id="nothing-workforce").text == (
        "The evidence library holds nothing yet on workforce stability."
    )
    assert what_works.find_all("a") == []  # no practice at all, least of all a parenting programme
    assert "parenting" not in what_works.text.lower()
    assert "Islington" in document.one(id="councils").text
    assert "Islington" in document.one(id="specialists").text


def test_the_page_lists_a_problems_practices_with_the_outcome_that_speaks_for_them(
    places, camden_analyst, client, library
):
    RiskScore.objects.create(
        authority=places.camden, month=MONTH, target=Target.INADEQUATE, probability=0.4, rank=1, scored=6,
        signals=raised("Section_47"),
    )  # fmt: skip
    client.force_login(camden_analyst)
    document = page(client.get("/warning/authorities/202/"))
    [item] = document.one(id="practices-child_protection").find_all("li")
    assert item.one("a").text == "Family group conferences"
    assert item.one("a").attrs["href"] == "/evidence/family-group-conferences/"
    assert item.text.endswith(": Offer (moderate certainty) for section 47 enquiry")
    assert document.find(id="nothing-child_protection") is None


def test_weak_areas_carry_their_signals_problem(places, library):
    areas = weak_areas(risk_of(places.camden, "ReReferral", "Work_Force_TO_Rate"))
    assert [(a.code, a.problem) for a in areas] == [
        ("ReReferral", "front_door"),
        ("Work_Force_TO_Rate", "workforce"),
    ]
