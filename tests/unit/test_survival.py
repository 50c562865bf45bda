"""The Kaplan-Meier estimate against a published example, and the chance of an event ahead."""

import numpy as np
import pytest

from slihub.stats.survival import kaplan_meier

# Freireich et al. (1963), the 6-MP arm of the leukaemia remission trial: weeks in remission, "+" open.
SIX_MP = "6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+"
# Its product-limit estimate as textbooks print it (e.g. Kleinbaum and Klein, Survival Analysis, table 2.1).
PRINTED = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}


def six_mp():
    durations = [float(w.rstrip("+")) for w in SIX_MP.split()]
    observed = [not w.endswith("+") for w in SIX_MP.split()]
    return kaplan_meier(durations, observed)


def test_kaplan_meier_matches_the_printed_estimate():
    s = six_mp()
    assert list(s.times) == sorted(PRINTED)
    for t, value in PRINTED.items():
        assert s.at(t) == pytest.approx(value, abs=5e-4)
    assert s.at(5.9) == 1.0 and s.at(40) == pytest.approx(0.448, abs=5e-4)
    assert (s.waits, s.events) == (21, 9)


def test_the_chance_ahead_is_conditional_on_having_waited():
    s = six_mp()
    assert s.within(0, 6.5) == pytest.approx(1 - 0.857, abs=5e-4)
    assert s.within(10, 10) == pytest.approx(1 - s.at(20) / s.at(10))
    assert s.within(30, 100) == 0.0  # no event after 23 weeks in the data


def test_with_no_open_waits_it_is_the_share_of_events_by_then():
    durations = np.arange(1, 11, dtype=float)
    s = kaplan_meier(durations, np.ones(10, dtype=bool))
    assert s.at(3) == pytest.approx(0.7)
    assert s.within(10, 1) is None  # nobody waited longer than 10: nothing to say


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="one length"):
        kaplan_meier([1.0, 2.0], [True])
    with pytest.raises(ValueError, match="not negative"):
        kaplan_meier([-1.0], [True])
