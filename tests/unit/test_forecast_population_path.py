"""A forecast driven by projected population: starts follow the projected children aged 0 to 17."""

import numpy as np
import pytest

from slihub.stats import forecast as engine
from tests.unit.test_forecast import POPULATION, true_process


def test_without_a_path_the_last_estimate_is_held_and_the_draws_are_unchanged():
    f = engine.fit(true_process(10, seed=1))
    held = engine.simulate_flows(f, 5, 500, seed=4)
    same = engine.simulate_flows(f, 5, 500, seed=4, population=[POPULATION] * 5)
    for name in ("stock", "starts", "ceases"):
        assert np.array_equal(held[name], same[name])


def test_a_growing_projected_population_brings_more_starts_and_a_larger_stock():
    f = engine.fit(true_process(10, seed=1))
    held = engine.simulate_flows(f, 5, 2000, seed=4)
    grown = engine.simulate_flows(f, 5, 2000, seed=4, population=POPULATION * np.linspace(1.1, 1.5, 5))
    ratio = grown["starts"].mean(axis=0) / held["starts"].mean(axis=0)
    assert np.allclose(ratio, np.linspace(1.1, 1.5, 5), rtol=0.05)
    assert (np.median(grown["stock"], axis=0)[1:] > np.median(held["stock"], axis=0)[1:]).all()


def test_forecast_passes_the_path_through():
    series = true_process(10, seed=1)
    shrunk = engine.forecast(series, 3, 1000, seed=2, population=[POPULATION * 0.5] * 3)
    held = engine.forecast(series, 3, 1000, seed=2)
    assert shrunk.quantiles()["median"][-1] < held.quantiles()["median"][-1]


@pytest.mark.parametrize("path", [[POPULATION] * 2, [POPULATION, 0, POPULATION], [POPULATION, np.nan, 1.0]])
def test_a_path_too_short_or_not_positive_is_refused(path):
    f = engine.fit(true_process(10, seed=1))
    with pytest.raises(ValueError, match="population path"):
        engine.simulate_flows(f, 3, 100, population=path)
