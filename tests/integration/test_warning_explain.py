"""Explanations that read right: what raised the risk and what lowered it, each in a sentence, and a
"concern" only where a signal raised the risk and its figure is worse than its comparator."""

import dataclasses
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from slihub.warning import services
from slihub.warning.explain import sentence, settled
from slihub.warning.features import (
    HIGHER_IS_WORSE,
    LOWER_IS_WORSE,
    SIGNAL_BY_CODE,
    Reading,
    Snapshot,
    against_comparator,
    is_concern,
)
from slihub.warning.models import RiskScore, Target
from tests.integration.html import page
from tests.integration.warning_fixtures import build_world

DIRECTED = HIGHER_IS_WORSE | LOWER_IS_WORSE


def reading(code, value, neighbours=None, england=None, previous=None, england_previous=None):
    return Reading(SIGNAL_BY_CODE[code], 2024, value, neighbours, england, previous, england_previous)


@pytest.fixture
def snap():
    """Children in need 10% above the neighbours (no better direction); re-referrals 4 points above them
    (lower is better); assessments on time 10 points above (higher is better); agency staff 10% against
    England's 16%; re-referrals up 3 points on the year against England's change."""
    made = Snapshot(1, date(2025, 1, 1))
    made.readings = {
        "CIN": reading("CIN", 440.0, neighbours=400.0, england=330.0),
        "ReReferral": reading("ReReferral", 25.0, neighbours=21.0, england=22.0),
        "Continue_Assess_Comp": reading("Continue_Assess_Comp", 90.0, neighbours=80.0, england=82.0),
        "Work_Force_Agecy_Rate": reading("Work_Force_Agecy_Rate", 10.0, england=16.0),
    }
    made.values = {
        "CIN:gap": 10.0,
        "ReReferral:gap": 4.0,
        "ReReferral:change": 3.0,
        "Continue_Assess_Comp:gap": 10.0,
        "Work_Force_Agecy_Rate:level": 10.0,
    }
    return made


def said(feature, snap, push):
    return sentence(feature, push, against_comparator(feature, snap))


def test_a_signal_without_a_direction_that_lowered_the_risk_is_not_a_concern(snap):
    assert not is_concern("CIN:gap", snap, -0.2)
    assert said("CIN:gap", snap, -0.2) == (
        "Lowered the risk: higher than its statistical neighbours; neither higher nor lower is better in "
        "itself."
    )
    # Had it raised the risk, still no concern: a high rate of need is not a failing in itself.
    assert not is_concern("CIN:gap", snap, 0.2)
    assert said("CIN:gap", snap, 0.2).startswith("Raised the risk: higher than its statistical neighbours;")


def test_a_signal_with_a_direction_is_a_concern_only_when_it_raised_the_risk_and_is_worse(snap):
    assert is_concern("ReReferral:gap", snap, 0.3)
    assert said("ReReferral:gap", snap, 0.3) == (
        "Raised the risk, and a concern: higher than its statistical neighbours, where lower is better."
    )
    assert not is_concern("ReReferral:gap", snap, -0.3)
    assert said("ReReferral:gap", snap, -0.3) == (
        "Lowered the risk, though the figure is worse: higher than its statistical neighbours, where lower "
        "is better."
    )
    assert not is_concern("Continue_Assess_Comp:gap", snap, 0.3)
    assert said("Continue_Assess_Comp:gap", snap, 0.3) == (
        "Raised the risk, though not a concern: higher than its statistical neighbours, where higher is "
        "better."
    )
    assert said("Work_Force_Agecy_Rate:level", snap, -0.1) == (
        "Lowered the risk: lower than England, where lower is better."
    )
    assert said("ReReferral:change", snap, 0.1) == (
        "Raised the risk, and a concern: up on the year against England's change, where lower is better."
    )
    assert said("prev_inadequate", snap, 0.5) == "Raised the risk."


def test_a_score_stored_before_sentences_is_read_by_todays_rules():
    old = [
        {
            "feature": "CIN:gap",
            "label": "Children in need",
            "contribution": -0.3,
            "text": "t",
            "concern": True,
        },
        {
            "feature": "ReReferral:gap",
            "label": "Re-referrals",
            "contribution": 0.3,
            "text": "t",
            "concern": True,
        },
        {"feature": "RevCP:gap", "label": "Reviews", "contribution": 0.2, "text": "t", "concern": False},
    ]
    cin, rereferrals, reviews = map(settled, old)
    assert (cin["concern"], cin["worse"], cin["sentence"]) == (False, None, "Lowered the risk.")
    assert (rereferrals["concern"], rereferrals["worse"]) == (True, True)
    assert (reviews["concern"], reviews["worse"], reviews["sentence"]) == (False, False, "Raised the risk.")
    assert settled(rereferrals) is rereferrals  # already read by today's rules


@pytest.mark.django_db
def test_every_signal_the_score_command_prints_follows_the_rules(places, monkeypatch):
    build_world(places)
    # every signal read, lightly penalised, so that signals without a direction are among those printed
    every = dataclasses.replace(services.NO_HISTORY, penalty=1.0)
    monkeypatch.setattr(services.Scorer, "choice", lambda self, target, as_of: every)
    out = StringIO()
    call_command("warning", "score", "--as-of", "2024-06-01", "--json", stdout=out)
    signals = [s for row in json.loads(out.getvalue())["authorities"] for s in row["signals"]]
    assert signals
    for s in signals:
        code = s["feature"].rpartition(":")[0]  # a DfE code holds a colon itself
        raised = s["contribution"] > 0
        assert s["sentence"].startswith("Raised the risk" if raised else "Lowered the risk")
        assert s["concern"] == (raised and s["worse"] is True)
        if code not in DIRECTED:
            assert s["worse"] is None and not s["concern"]
    # The world's children in need rate (no direction) is among the printed signals, both ways or not.
    assert any(s["feature"].startswith("CIN:") for s in signals)


@pytest.fixture
def stored(places):
    """Camden's score with two signals: re-referrals (a concern) stored today, and a children in need rate
    that lowered the risk, stored before today's rules (called a concern then)."""
    return RiskScore.objects.create(
        authority=places.camden,
        month=date(2024, 3, 1),
        target=Target.INADEQUATE,
        probability=0.2,
        rank=1,
        scored=5,
        signals=[
            {
                "feature": "ReReferral:gap",
                "label": "Re-referrals within 12 months, against neighbours",
                "contribution": 0.4,
                "text": "30.0% in 2023, against 21.0% for its statistical neighbours and 22.0% for England.",
                "worse": True,
                "concern": True,
                "sentence": sentence("ReReferral:gap", 0.4, 9.0),
            },
            {
                "feature": "CIN:gap",
                "label": "Children in need rate, against neighbours",
                "contribution": -0.2,
                "text": "440.0 per 10,000 in 2023, against 400.0 per 10,000 for its statistical neighbours.",
                "concern": True,  # as stored before today's rules
            },
        ],
    )


@pytest.mark.django_db
def test_the_page_groups_what_raised_and_what_lowered_the_risk(stored, as_persona):
    document = page(as_persona("camden_analyst").get("/warning/authorities/202/"))
    headings = [h.text for h in document.find_all("h3")]
    assert "What raised the risk" in headings and "What lowered the risk" in headings
    raising, lowering = document.one(id="raising"), document.one(id="lowering")
    assert "Re-referrals within 12 months" in raising.text and "Concern" in raising.text
    assert "Raised the risk, and a concern: higher than its statistical neighbours" in raising.text
    assert "Children in need rate" in lowering.text
    assert "Concern" not in lowering.text and "Lowered the risk." in lowering.text


@pytest.mark.django_db
def test_the_api_reads_a_stored_score_by_todays_rules(stored, as_persona):
    body = as_persona("camden_analyst").get("/api/v1/authorities/202/risk").json()
    rereferrals, cin = body[0]["signals"]
    assert (rereferrals["concern"], rereferrals["worse"]) == (True, True)
    assert rereferrals["sentence"].startswith("Raised the risk, and a concern")
    assert (cin["concern"], cin["worse"], cin["sentence"]) == (False, None, "Lowered the risk.")
    listed = as_persona("camden_analyst").get("/api/v1/warning/scores").json()["items"][0]["signals"]
    assert [s["concern"] for s in listed] == [True, False]
