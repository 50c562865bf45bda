"""A regional priority's page lists what works for the problems its indicators point to (those that are
early warning's signals), or says plainly that the evidence library holds nothing yet on one."""

from datetime import date

import pytest
from django.db import transaction

from slihub.alliances import priorities, services
from slihub.evidence.models import Outcome, Practice, Synthesis
from slihub.places import releases
from tests.integration.html import page
from tests.integration.progress_bank import build_bank

pytestmark = pytest.mark.django_db

POOLED = dict(
    measure="RR", k=2, estimate=-0.2, se=0.1, ci_lb=-0.4, ci_ub=0.0, pi_lb=-0.5, pi_ub=0.1, tau2=0.0, i2=0.0,
    certainty_start="high", eif_level="", impact="", rule="r", rule_reason="",
)  # fmt: skip


@pytest.fixture
def london(places):
    return {a.region.slug: a for a in services.ensure_alliances()}["london"]


@pytest.fixture
def bank(places):
    return build_bank(places)


def save(user, alliance, bank, codes):
    return priorities.save_priority(
        user=user,
        alliance=alliance,
        title="A priority",
        description="",
        indicators=[bank.indicators[c].slug for c in codes],
        agreed_on=date(2024, 6, 1),
    )


def pooled(name, outcome_slug, problem, recommendation="Consider", certainty="low"):
    practice = Practice.objects.create(slug=name.lower().replace(" ", "-"), name=name, source="x")
    outcome, _ = Outcome.objects.get_or_create(
        slug=outcome_slug, defaults={"name": outcome_slug, "problem": problem}
    )
    Synthesis.objects.create(
        practice=practice, outcome=outcome, recommendation=recommendation, certainty=certainty, **POOLED
    )
    with transaction.atomic():
        releases.bump(releases.EVIDENCE)


def test_re_referrals_and_children_in_need_point_to_the_front_door(client, london, bank, national_admin):
    priority = save(national_admin, london, bank, ["KS2_RWM", "ReReferral", "CIN"])
    url = f"/alliances/london/priorities/{priority.pk}/"
    document = page(client.get(url))
    [heading] = document.one(id="what-works").find_all("h3")
    assert heading.text == "Front door and re-referrals"  # KS2 results are no signal: no problem
    assert document.one(id="nothing-front_door").text == (
        "The evidence library holds nothing yet on front door and re-referrals."
    )
    # the page is cached, and renders afresh once the library changes
    pooled("Front door triage", "re-referral", "front_door")
    pooled("Group parenting programme", "child-behaviour", "behaviour", "Offer", "high")
    document = page(client.get(url))
    [item] = document.one(id="practices-front_door").find_all("li")
    assert item.one("a").text == "Front door triage"
    assert item.text.endswith(": Consider (low certainty) for re-referral")
    assert document.find(id="nothing-front_door") is None


def test_a_priority_whose_indicators_are_no_signals_lists_no_practice(client, london, bank, national_admin):
    pooled("Group parenting programme", "child-behaviour", "behaviour", "Offer", "high")
    priority = save(national_admin, london, bank, ["KS2_RWM"])
    document = page(client.get(f"/alliances/london/priorities/{priority.pk}/"))
    assert document.find(id="what-works") is None


def test_what_works_maps_dfe_codes_as_their_lait_signals(bank):
    indicators = [bank.indicators["ReReferral"]]
    indicators[0].code = "dfe:rereferral_percent"  # the same statistic in DfE's tidy files
    [works] = priorities.what_works(indicators)
    assert (works.problem, works.practices) == ("front_door", [])
