"""The stock-and-flow forecast of children looked after: its simulation, intervals and backtest."""

import numpy as np
import pytest

from slihub.stats import forecast as engine

POPULATION = 50_000
START_RATE = 30.0  # per 10,000 children: 150 starts a year
EXIT_SHARE = 0.35  # of those who could leave: the stock settles at 150 * 0.65 / 0.35, about 279


def true_process(years: int, seed: int, stock: int = 280) -> engine.Series:
    """An area whose rates never change: Poisson starts and binomial ceases, as the model assumes."""
    rng = np.random.default_rng(seed)
    n, stocks, starts, ceases = stock, [stock], [150], [100]
    for _ in range(years - 1):
        s = rng.poisson(START_RATE * POPULATION / 10_000)
        c = rng.binomial(n + s, EXIT_SHARE)
        n = n + s - c
        stocks.append(n)
        starts.append(s)
        ceases.append(c)
    return engine.Series.of(range(2016, 2016 + years), stocks, starts, ceases, [POPULATION] * years)


def test_the_median_is_near_the_expectation_of_known_constant_rates():
    series = true_process(10, seed=1)
    f = engine.forecast(series, horizons=5, sims=4000, seed=3)
    # Expected stock h years on from N: N(1-q)^h + S(1-q) * (1 - (1-q)^h) / q.
    n, s, q = series.stock[-1], START_RATE * POPULATION / 10_000, EXIT_SHARE
    expected = [n * (1 - q) ** h + s * (1 - q) * (1 - (1 - q) ** h) / q for h in range(1, 6)]
    median = f.quantiles()["median"]
    assert np.allclose(median, expected, rtol=0.08), (median, expected)


def test_the_80_percent_interval_covers_about_80_percent_of_futures_from_the_true_process():
    series = true_process(10, seed=2)
    q = engine.forecast(series, horizons=3, sims=4000, seed=5).quantiles()
    # Futures of the true process from the same origin.
    rng = np.random.default_rng(11)
    futures = np.empty((4000, 3))
    n = np.full(4000, series.stock[-1])
    for h in range(3):
        s = rng.poisson(START_RATE * POPULATION / 10_000, 4000)
        n = n + s - rng.binomial((n + s).astype(int), EXIT_SHARE)
        futures[:, h] = n
    inside = (futures >= q["p10"]) & (futures <= q["p90"])
    # The model adds the rates' own uncertainty, so it may be a little wider, never much narrower.
    assert (inside.mean(axis=0) >= 0.75).all() and (inside.mean(axis=0) <= 0.97).all(), inside.mean(axis=0)
    inside_50 = ((futures >= q["p25"]) & (futures <= q["p75"])).mean(axis=0)
    assert (inside_50 >= 0.45).all() and (inside_50 <= 0.85).all(), inside_50


def test_no_count_is_negative_and_ceases_never_exceed_those_at_risk():
    # A tiny area whose exits are nearly everyone: draws of high exit shares must not push below zero.
    series = engine.Series.of(
        range(2016, 2022), [3, 1, 0, 2, 1, 0], [2, 1, 0, 3, 1, 0], [2, 3, 1, 1, 2, 1], [900] * 6
    )
    f = engine.fit(series)
    assert 0 < 1 / (1 + np.exp(-f.ceases.level)) < 1
    sims = engine.simulate(f, horizons=5, sims=5000, seed=0)
    assert (sims >= 0).all()
    # The binomial draw itself: ceases from those at risk are never more than them.
    rng = np.random.default_rng(0)
    at_risk = rng.integers(0, 5, 10_000)
    assert (rng.binomial(at_risk, 0.99) <= at_risk).all()


def test_ceases_in_the_simulation_never_exceed_those_at_risk():
    f = engine.fit(true_process(8, seed=4))
    # A draw of exit shares near one: the binomial still leaves nobody leaving twice.
    f = engine.Fit(**{**f.__dict__, "ceases": engine.RateFit(4.0, 1.0, 1.0)})
    flows = engine.simulate_flows(f, horizons=5, sims=2000, seed=1)
    assert (flows["ceases"] <= flows["at_risk"]).all()
    assert min(flows[name].min() for name in flows) >= 0
    assert (flows["stock"] == 0).any(), "the test reaches the floor"


def test_the_same_seed_gives_the_same_forecast_and_another_seed_does_not():
    series = true_process(8, seed=6)
    a = engine.forecast(series, sims=500, seed=7).simulations
    b = engine.forecast(series, sims=500, seed=7).simulations
    c = engine.forecast(series, sims=500, seed=8).simulations
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_the_backtest_uses_no_data_after_its_origin():
    series = true_process(10, seed=9)
    changed = engine.Series.of(
        series.years,
        np.where(series.years == 2023, series.stock * 3, series.stock),
        np.where(series.years >= 2023, series.starts * 2, series.starts),
        series.ceases,
        series.population,
    )
    before = {(o.origin, o.horizon): o for o in engine.backtest(series, sims=300)}
    after = {(o.origin, o.horizon): o for o in engine.backtest(changed, sims=300)}
    assert before.keys() == after.keys()
    for key, o in before.items():
        origin, horizon = key
        if origin < 2023:  # forecasts made before the changed year are the same forecasts
            assert (o.model, o.naive, o.trend) == (after[key].model, after[key].naive, after[key].trend)
        if origin + horizon == 2023:  # only the outcome they are compared with changed
            assert after[key].actual == 3 * o.actual
    assert any(before[k].model != after[k].model for k in before if k[0] >= 2023)


def test_the_backtest_starts_where_there_is_enough_history_and_covers_horizons_one_to_three():
    outcomes = engine.backtest(true_process(10, seed=10), sims=200)
    assert min(o.origin for o in outcomes) == 2016 + engine.MIN_YEARS
    assert {o.horizon for o in outcomes} == {1, 2, 3}
    assert all(o.origin + o.horizon <= 2025 for o in outcomes)
    summary = engine.summarise(outcomes)
    assert summary["by_horizon"][1]["outcomes"] == 6 and summary["by_horizon"][3]["outcomes"] == 4
    assert 0 <= summary["coverage_50"] <= summary["coverage_80"] <= 1


def test_baselines_are_the_last_value_and_a_line_through_the_last_five_stocks():
    series = engine.Series.of(range(2016, 2023), [5, 9, 10, 20, 30, 40, 50], [1] * 7, [1] * 7, [100] * 7)
    assert engine.naive(series, 3).tolist() == [50, 50, 50]
    assert engine.linear_trend(series, 2).tolist() == pytest.approx([60, 70])
    falling = engine.Series.of(range(2016, 2021), [40, 30, 20, 10, 5], [1] * 5, [1] * 5, [100] * 5)
    assert (engine.linear_trend(falling, 5) >= 0).all()


def test_too_short_a_series_is_refused():
    with pytest.raises(ValueError, match="at least 4 consecutive years"):
        engine.fit(true_process(3, seed=0))
    with pytest.raises(ValueError, match="consecutive"):
        engine.Series.of([2016, 2018], [1, 2], [1, 1], [1, 1], [9, 9])


def test_a_years_forecast_does_not_depend_on_how_many_years_are_asked_for():
    series = engine.Series(
        years=np.arange(2016, 2026),
        stock=np.array([200, 205, 210, 208, 215, 220, 218, 225, 230, 228], dtype=float),
        starts=np.array([100, 104, 98, 101, 110, 105, 99, 108, 112, 104], dtype=float),
        ceases=np.array([95, 99, 93, 103, 103, 100, 101, 101, 107, 106], dtype=float),
        population=np.full(10, 40_000.0),
    )
    three = engine.forecast(series, horizons=3, sims=500, seed=4).simulations
    five = engine.forecast(series, horizons=5, sims=500, seed=4).simulations

    assert np.array_equal(three, five[:, :3])


def test_with_no_pull_the_expected_stock_holds_and_with_full_pull_it_follows_the_published_share():
    series = true_process(8, seed=12, stock=600)  # far above where its flows settle (about 279)
    held = engine.expected(series, 3, pull=0.0)
    assert held == pytest.approx([series.stock[-1]] * 3)
    full = engine.fit(series, pull=1.0)
    share = np.clip(series.ceases[-5:], 0.5, None) / (series.stock[-6:-1] + series.starts[-5:])
    published = 1 / (1 + np.exp(-np.log(share / (1 - share)).mean()))
    assert 1 / (1 + np.exp(-full.ceases.level)) == pytest.approx(published)
    half = engine.fit(series, pull=0.5)
    balance = 1 / (1 + np.exp(-engine.fit(series, pull=0.0).ceases.level))
    assert 1 / (1 + np.exp(-half.ceases.level)) == pytest.approx((published + balance) / 2)


def test_the_pull_chosen_is_the_one_whose_earlier_forecasts_erred_least():
    # Areas falling from far above where their flows settle: the published share foresaw the fall.
    falling = [true_process(10, seed=s, stock=900) for s in range(20, 26)]
    assert engine.choose_pull(falling, [2022])[2022] == max(engine.PULL_CHOICES)
    # Areas whose stock never moves while their flows say it should fall: holding the stock was right.
    steady = [
        engine.Series.of(range(2016, 2026), [500] * 10, [150] * 10, [100] * 10, [50_000] * 10)
        for _ in range(3)
    ]
    assert engine.choose_pull(steady, [2022])[2022] == 0.0


def test_the_pull_at_an_origin_uses_no_outcome_published_after_it():
    areas = [true_process(10, seed=s, stock=900) for s in range(30, 34)]
    changed = [
        engine.Series.of(
            s.years, np.where(s.years > 2021, s.stock * 3, s.stock), s.starts, s.ceases, s.population
        )
        for s in areas
    ]
    before, after = (
        engine.choose_pull(areas, [2019, 2021, 2023]),
        engine.choose_pull(changed, [2019, 2021, 2023]),
    )
    assert before[2019] == after[2019] and before[2021] == after[2021]
    assert engine.choose_pull(areas, [2017])[2017] == 0.0  # no outcome published yet: hold the stock


def test_the_backtest_forecasts_each_origin_with_that_origins_pull():
    series = true_process(10, seed=13, stock=700)
    weights = {2019: 0.0, 2020: 1.0, 2021: 0.0, 2022: 1.0, 2023: 0.0, 2024: 1.0}
    mixed = engine.backtest(series, sims=300, pull=weights)
    for w in (0.0, 1.0):
        fixed = {(o.origin, o.horizon): o.model for o in engine.backtest(series, sims=300, pull=w)}
        assert all(fixed[(o.origin, o.horizon)] == o.model for o in mixed if weights[o.origin] == w)
    assert len({o.model for o in mixed if o.horizon == 1}) > 1
