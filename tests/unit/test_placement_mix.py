"""Splitting simulated children into placement types (or UASC and the rest) by published shares."""

import numpy as np
import pytest

from slihub.stats import placement_mix as pm

PARTS = ("fostering", "residential", "parents")
YEARS = [2020, 2021, 2022, 2023, 2024, 2025]
PERCENTS = np.array(
    [[70, 10, 8], [71, 9, 7], [69, 11, 8], [68, 11, 8], [67, 12, 7], [67, 12, 7]], dtype=float
)


def stock(sims=2000, horizons=3, level=300):
    rng = np.random.default_rng(1)
    return rng.poisson(level, (sims, horizons)).astype(float)


def test_the_mean_shares_and_the_remainder_add_up_to_one():
    fit = pm.fit_mix(YEARS, PERCENTS, PARTS, "rest", stock=300)
    assert fit.parts == (*PARTS, "rest")
    assert fit.mean.sum() == pytest.approx(1.0)
    assert fit.mean[:3] == pytest.approx([0.67, 0.12, 0.07])  # the last two years' mean
    assert fit.mean[3] == pytest.approx(0.14) and fit.concentration > 0


def test_the_parts_are_whole_children_never_negative_and_add_up_to_each_simulated_stock():
    simulated = stock()
    counts = pm.simulate_mix(simulated, pm.fit_mix(YEARS, PERCENTS, PARTS, "rest", stock=300), seed=2)
    assert counts.shape == (2000, 3, 4) and counts.dtype.kind == "i"
    assert (counts >= 0).all()
    assert (counts.sum(axis=2) == simulated).all()


def test_intervals_are_ordered_and_centred_on_the_shares():
    counts = pm.simulate_mix(
        stock(level=1000), pm.fit_mix(YEARS, PERCENTS, PARTS, "rest", stock=1000), seed=3
    )
    summary = pm.summarise(counts, (*PARTS, "rest"))
    for rows in summary.values():
        for row in rows:
            low, high = row["interval_80"]
            assert low <= row["median"] <= high
    assert summary["fostering"][0]["median"] == pytest.approx(670, rel=0.03)
    assert summary["fostering"][0]["interval_80"][1] > summary["fostering"][0]["interval_80"][0]


def test_a_suppressed_share_is_unknown_not_zero():
    percents = PERCENTS.copy()
    percents[-1, 1] = np.nan  # residential suppressed in 2025
    fit = pm.fit_mix(YEARS, percents, PARTS, "rest", stock=300)
    assert fit.suppressed["residential"] == (2025,)
    assert fit.mean[1] == pytest.approx(0.12)  # 2024's share only, not (12 + 0) / 2
    percents[-2:, 2] = np.nan  # parents suppressed in both years read
    fit = pm.fit_mix(YEARS, percents, PARTS, "rest", stock=300)
    assert fit.unknown == ("parents",) and fit.mean[2] == 0
    assert fit.mean[3] == pytest.approx(1 - 0.67 - 0.12)  # their children stay in the remainder


def test_every_share_suppressed_is_refused():
    with pytest.raises(ValueError, match="suppressed"):
        pm.fit_mix(YEARS[:2], np.full((2, 3), np.nan), PARTS, "rest")


def test_shares_over_100_from_rounding_are_scaled_down():
    fit = pm.fit_mix([2025], [[60, 30, 12]], PARTS, "rest")
    assert fit.mean.sum() == pytest.approx(1.0) and fit.mean[3] == pytest.approx(0)


def test_steadier_shares_give_narrower_intervals():
    steady = pm.fit_mix(YEARS, np.tile([67, 12, 7], (6, 1)), PARTS, "rest", window=6)
    moving = pm.fit_mix(YEARS, PERCENTS + np.array([[5, -4, 2], [-5, 4, -2]] * 3), PARTS, "rest", window=6)
    assert steady.concentration > moving.concentration


def test_the_backtest_scores_each_horizon_and_interval():
    areas = {"a": (np.array(YEARS), PERCENTS, np.full(6, 300.0))}
    report = pm.backtest(areas, PARTS, "rest", sims=300)
    assert report["outcomes"] == {1: 9, 2: 6, 3: 3}  # three types, from 2022, 2023 and 2024
    assert all(v is not None and v < 3 for v in report["mae_points"].values())
    assert 0 <= report["coverage_80"] <= 1 and 0 <= report["coverage_80_above_zero"] <= 1


def test_a_trend_carries_the_shares_on():
    fit = pm.fit_mix(YEARS, PERCENTS, PARTS, "rest", window=6, method="trend", ahead=1)
    assert fit.mean[0] < 0.67  # fostering has been falling


def test_the_chain_of_binomials_is_a_multinomial():
    rng = np.random.default_rng(1)
    p = np.array([0.6, 0.12, 0.03, 0.25])
    counts = pm._multinomial(rng, np.full(100_000, 300), np.tile(p, (100_000, 1)))
    assert (counts.sum(axis=1) == 300).all() and (counts >= 0).all()
    assert counts.mean(axis=0) == pytest.approx(300 * p, rel=0.01)
    assert counts.var(axis=0) == pytest.approx(300 * p * (1 - p), rel=0.03)
    assert np.cov(counts[:, 0], counts[:, 1])[0, 1] == pytest.approx(-300 * p[0] * p[1], rel=0.05)
