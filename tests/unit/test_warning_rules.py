"""The publication rules and the signal arithmetic, without a database."""

import math
from datetime import date

from slihub.warning.features import CHANGE, GAP, LEVEL, SIGNAL_BY_CODE, Reading, _measure
from slihub.warning.lags import (
    CIN_CENSUS,
    CLA_RETURN,
    EXPENDITURE,
    SCHOOL_CENSUS,
    WORKFORCE,
    neighbour_model_on,
)


def test_each_collection_is_used_only_after_its_usual_publication():
    # The year to 31 March 2024: published in the autumn of 2024, used from 1 December; looked-after
    # figures from 1 January, since the 2020 release came out on 10 December (releases.py).
    assert CIN_CENSUS.available_on(2024) == date(2024, 12, 1)
    assert CLA_RETURN.available_on(2024) == date(2025, 1, 1)
    # The workforce at 30 September 2024: published in February 2025, used from 1 March.
    assert WORKFORCE.available_on(2024) == date(2025, 3, 1)
    # The January 2024 school census: published in June, used from 1 July.
    assert SCHOOL_CENSUS.available_on(2024) == date(2024, 7, 1)
    assert "Used from 1 March of year Y+1" in WORKFORCE.rule
    # Spending in the year to 31 March 2024: published in December 2024 or January 2025, used from April.
    assert EXPENDITURE.available_on(2024) == date(2025, 4, 1)


def test_the_2025_neighbour_model_is_used_only_once_published():
    assert neighbour_model_on(date(2025, 5, 31)) == "2021"
    assert neighbour_model_on(date(2025, 6, 1)) == "2025"


def reading(code, value, neighbours=None, england=None, previous=None, england_previous=None):
    return Reading(SIGNAL_BY_CODE[code], 2024, value, neighbours, england, previous, england_previous)


def test_rates_compare_as_ratios_and_percentages_as_points():
    rate = reading("CIN", 440.0, neighbours=400.0, england=330.0, previous=400.0, england_previous=330.0)
    assert math.isclose(_measure(rate.signal, GAP, rate), 10.0)  # 10% above its neighbours
    assert math.isclose(_measure(rate.signal, CHANGE, rate), 10.0)  # rose 10% while England stood still
    share = reading("ReReferral", 25.0, neighbours=21.0, england=22.0, previous=20.0, england_previous=25.0)
    assert math.isclose(_measure(share.signal, GAP, share), 4.0)  # 4 points above
    assert math.isclose(_measure(share.signal, CHANGE, share), 8.0)  # +5 points against England's -3
    agency = reading("Work_Force_Agecy_Rate", 18.5)
    assert _measure(agency.signal, LEVEL, agency) == 18.5


def test_an_unknown_comparator_gives_an_unknown_feature_not_a_zero():
    alone = reading("CIN", 440.0)
    assert math.isnan(_measure(alone.signal, GAP, alone))
    assert math.isnan(_measure(alone.signal, CHANGE, alone))
    zero = reading("CIN", 440.0, neighbours=0.0)
    assert math.isnan(_measure(zero.signal, GAP, zero))


def test_a_signal_is_a_concern_only_where_the_council_does_worse_than_its_comparator():
    from slihub.warning.features import Snapshot, is_concern

    snap = Snapshot(1, date(2025, 1, 1))
    snap.readings = {
        "ReReferral": reading("ReReferral", 25.0, neighbours=21.0, england=22.0),
        "Continue_Assess_Comp": reading("Continue_Assess_Comp", 90.0, neighbours=80.0, england=82.0),
        "Work_Force_Agecy_Rate": reading("Work_Force_Agecy_Rate", 10.0, england=16.0),
        "CIN": reading("CIN", 300.0, neighbours=330.0),
    }
    snap.values = {"ReReferral:gap": 4.0, "Continue_Assess_Comp:gap": 10.0, "CIN:gap": -9.1}
    assert is_concern("ReReferral:gap", snap, 0.3)  # more re-referrals than its neighbours, raising the risk
    assert not is_concern("ReReferral:gap", snap, -0.3)  # the same figure lowering the risk is no concern
    assert not is_concern("Continue_Assess_Comp:gap", snap, 0.3)  # more assessments on time
    assert not is_concern("Work_Force_Agecy_Rate:level", snap, 0.3)  # fewer agency staff than England
    # A rate of need has no better direction: it raises or lowers the risk, and is never a concern.
    assert not is_concern("CIN:gap", snap, 0.3) and not is_concern("CIN:gap", snap, -0.3)
    assert not is_concern("prev_inadequate", snap, 0.3)
