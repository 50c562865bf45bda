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


def test_a_projection_path_grows_the_latest_estimate_and_holds_past_its_last_year():
    from slihub.forecast.projections import path_for
    from tests.unit.test_forecast import true_process

    series = true_process(10, seed=1)  # years 2016 to 2025, estimate 50,000
    loaded = {2024: (100, "P"), 2025: (110, "P"), 2027: (130, "P")}  # 2026 skipped; nothing after 2027
    path, about = path_for(series, [2026, 2027, 2028, 2029], loaded)
    assert path == pytest.approx([55_000, 55_000, 65_000, 65_000])
    assert about["used"] == "projection" and about["base_year"] == 2024 and about["source"] == "P"
    held, about = path_for(series, [2026], {2030: (1, "P")})
    assert held is None and "no figure for mid-2024" in about["projection_not_used"]
