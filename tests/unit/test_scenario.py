"""Scenarios on the forecast: edited entry rates, exit shares and placement mix stay possible, and are
simulated with the baseline's draws."""

import math

import numpy as np
import pytest

from slihub.stats import forecast as engine
from slihub.stats import scenario as sc

POPULATION = 50_000


def area(seed: int = 1, stock: int = 280, years: int = 10) -> engine.Series:
    """Constant rates: 30 starts per 10,000 children, 35% of those at risk leave each year."""
    rng = np.random.default_rng(seed)
    n, stocks, starts, ceases = stock, [stock], [150], [100]
    for _ in range(years - 1):
        s = rng.poisson(30 * POPULATION / 10_000)
        c = rng.binomial(n + s, 0.35)
        n = n + s - c
        stocks.append(n)
        starts.append(s)
        ceases.append(c)
    return engine.Series.of(range(2016, 2016 + years), stocks, starts, ceases, [POPULATION] * years)


FIT = engine.fit(area())
EXTREMES = [
    sc.Scenario(exits_times=0),
    sc.Scenario(exits_plus=-100),
    sc.Scenario(exits_times=0, exits_plus=-50),
    sc.Scenario(entries_times=100),
    sc.Scenario(entries_times=100, exits_times=0),
    sc.Scenario(entries_times=0),
    sc.Scenario(entries_plus=-10_000),
    sc.Scenario(entries_times=0, exits_times=100),
    sc.Scenario(exits_plus=100),
    sc.Scenario(exits_times=0.5, exits_plus=-20, entries_times=3, entries_plus=12.5),
]


@pytest.mark.parametrize("scenario", EXTREMES, ids=lambda s: "; ".join(s.describe()))
def test_leavers_never_vanish_while_children_are_in_care(scenario):
    _, flows = sc.simulate_pair(FIT, scenario, horizons=5, sims=2000, seed=7)
    share = sc.rates(sc.adjust(FIT, scenario))["ceases_share"]
    assert sc.MIN_SHARE <= share <= sc.MAX_SHARE
    in_care = flows["at_risk"] > 0
    assert in_care.any()
    for h in range(5):
        held = in_care[:, h]
        if held.any():
            # Some leave every year: in expectation at least the floor share of those at risk.
            assert flows["ceases"][held, h].sum() > 0
            assert flows["ceases"][held, h].mean() >= 0.5 * sc.MIN_SHARE * flows["at_risk"][held, h].mean()
    # Never more leave than could.
    assert (flows["ceases"] <= flows["at_risk"]).all()


@pytest.mark.parametrize("scenario", EXTREMES, ids=lambda s: "; ".join(s.describe()))
def test_no_scenario_makes_a_negative_count(scenario):
    _, flows = sc.simulate_pair(FIT, scenario, horizons=5, sims=1000, seed=3)
    for name in ("stock", "starts", "at_risk", "ceases"):
        assert (flows[name] >= 0).all(), name


def test_exits_times_zero_still_lets_the_floor_share_leave_a_council_sized_area():
    # The defect this guards against: an adjusted forecast in which nobody leaves care.
    _, flows = sc.simulate_pair(FIT, sc.Scenario(exits_times=0), horizons=5, sims=1000, seed=1)
    assert (np.median(flows["ceases"], axis=0) > 0).all()


def test_a_null_scenario_gives_exactly_the_baseline():
    baseline, same = sc.simulate_pair(FIT, sc.Scenario(), horizons=5, sims=500, seed=11)
    for name in baseline:
        assert np.array_equal(baseline[name], same[name])
    assert sc.adjust(FIT, sc.Scenario()) == FIT
    assert np.array_equal(baseline["stock"], engine.simulate(FIT, 5, 500, 11))
    assert all(
        d["median"] == 0 and d["interval_80"] == [0, 0]
        for d in sc.difference(baseline["stock"], same["stock"])
    )


@pytest.mark.parametrize("scenario", [sc.Scenario(entries_times=1.1), sc.Scenario(exits_plus=-3)])
def test_a_scenario_is_simulated_with_the_baselines_draws(scenario):
    # Paired: differences taken simulation by simulation are far narrower than differences against an
    # independent run (another seed) of the same scenario, and than the scenario drawn on its own with
    # the baseline's seed (the rate paths paired, the counts not).
    baseline, paired = sc.simulate_pair(FIT, scenario, horizons=5, sims=2000, seed=5)
    _, unpaired = sc.simulate_pair(FIT, scenario, horizons=5, sims=2000, seed=6)
    rates_only = engine.simulate_flows(sc.adjust(FIT, scenario), horizons=5, sims=2000, seed=5)
    paired_spread = (paired["stock"] - baseline["stock"]).std(axis=0)
    assert (paired_spread < 0.5 * (unpaired["stock"] - baseline["stock"]).std(axis=0)).all()
    assert (paired_spread < 0.8 * (rates_only["stock"] - baseline["stock"]).std(axis=0)).all()


@pytest.mark.parametrize(
    "scenario",
    [
        sc.Scenario(entries_times=0.7),
        sc.Scenario(entries_times=1.4),
        sc.Scenario(exits_plus=-8),
        sc.Scenario(exits_times=1.3),
        sc.Scenario(entries_times=1.2, exits_plus=-5),
        sc.Scenario(exits_times=0),
    ],
)
def test_a_paired_scenario_has_the_distribution_it_would_have_on_its_own(scenario):
    # The coupling only pairs the draws: the scenario's simulations are as simulate_flows draws them
    # for the adjusted rates (means within a few standard errors, quantiles close), every year and flow.
    _, paired = sc.simulate_pair(FIT, scenario, horizons=5, sims=20_000, seed=8)
    alone = engine.simulate_flows(sc.adjust(FIT, scenario), horizons=5, sims=20_000, seed=9)
    for name in ("stock", "starts", "ceases"):
        a, b = paired[name], alone[name]
        se = np.sqrt((a.var(axis=0) + b.var(axis=0)) / 20_000) + 1e-9
        assert (np.abs(a.mean(axis=0) - b.mean(axis=0)) < 4 * se).all(), name
        for q in (0.1, 0.5, 0.9):
            spread = b.std(axis=0) + 1
            assert (np.abs(np.quantile(a, q, axis=0) - np.quantile(b, q, axis=0)) < 0.1 * spread).all(), name


def test_a_pair_leaves_the_baseline_as_the_published_forecast_draws_it():
    baseline, _ = sc.simulate_pair(FIT, sc.Scenario(entries_times=0.5), horizons=5, sims=500, seed=3)
    assert np.array_equal(baseline["stock"], engine.simulate(FIT, 5, 500, 3))


def test_fewer_entries_mean_fewer_children_and_fewer_exits_mean_more():
    baseline, fewer = sc.simulate_pair(FIT, sc.Scenario(entries_times=0.8), horizons=5, sims=2000, seed=2)
    _, stay = sc.simulate_pair(FIT, sc.Scenario(exits_plus=-5), horizons=5, sims=2000, seed=2)
    assert (np.median(fewer["stock"], axis=0) < np.median(baseline["stock"], axis=0)).all()
    assert (np.median(stay["stock"], axis=0) > np.median(baseline["stock"], axis=0)).all()
    difference = sc.difference(baseline["stock"], fewer["stock"])
    assert all(d["interval_80"][0] <= d["median"] <= d["interval_80"][1] < 0 for d in difference[1:])


def test_rates_are_edited_by_multiplying_then_adding():
    base = sc.rates(FIT)
    adjusted = sc.rates(sc.adjust(FIT, sc.Scenario(entries_times=0.9, entries_plus=-2, exits_plus=3)))
    assert math.isclose(adjusted["starts_per_10000"], base["starts_per_10000"] * 0.9 - 2)
    assert math.isclose(adjusted["ceases_share"], base["ceases_share"] + 0.03)
    assert sc.start_rate(5.0, sc.Scenario(entries_plus=-8)) == 0
    assert sc.exit_share(0.3, sc.Scenario(exits_times=5)) == sc.MAX_SHARE
    assert sc.exit_share(0.3, sc.Scenario(exits_times=0)) == sc.MIN_SHARE
    assert sc.exit_share(0.005, sc.Scenario(exits_times=0.9)) == 0.005  # never raised by a cut


def test_a_zero_entry_rate_means_no_starts():
    _, flows = sc.simulate_pair(FIT, sc.Scenario(entries_times=0), horizons=3, sims=200, seed=1)
    assert (flows["starts"] == 0).all()


SHARES = {"fostering": 0.7, "residential": 0.15, "other": 0.15}


@pytest.mark.parametrize(
    "moves",
    [
        ["10:residential:fostering"],
        ["100:residential:fostering", "100:other:residential"],
        ["100:fostering:other", "50:other:residential", "100:residential:fostering"],
        ["33.3:other:fostering", "0.01:fostering:residential"],
    ],
)
def test_placement_shares_stay_whole_and_never_negative(moves):
    result = sc.mix(SHARES, sc.Scenario(moves=tuple(sc.Move.parse(m) for m in moves)))
    assert math.isclose(sum(result.values()), 1.0)
    assert all(v >= 0 for v in result.values())


def test_moving_residential_to_cheaper_fostering_lowers_cost_and_leaves_the_count_alone():
    costs = {"fostering": 40_000.0, "residential": 400_000.0, "other": 100_000.0}
    scenario = sc.Scenario(moves=(sc.Move(10, "residential", "fostering"),))
    moved = sc.mix(SHARES, scenario)
    assert math.isclose(moved["residential"], 0.135) and math.isclose(moved["fostering"], 0.715)
    assert sc.unit_cost_of(moved, costs) < sc.unit_cost_of(SHARES, costs)
    baseline, flows = sc.simulate_pair(FIT, scenario, horizons=5, sims=300, seed=4)
    assert np.array_equal(baseline["stock"], flows["stock"])
    # And the other way, the cost rises.
    back = sc.mix(SHARES, sc.Scenario(moves=(sc.Move(10, "fostering", "residential"),)))
    assert sc.unit_cost_of(back, costs) > sc.unit_cost_of(SHARES, costs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"entries_times": -1}, "between 0 and 100"),
        ({"entries_times": 101}, "between 0 and 100"),
        ({"exits_times": float("nan")}, "finite"),
        ({"exits_plus": 120}, "percentage points"),
        ({"entries_plus": "lots"}, "must be a number"),
        ({"entries_plus": 20_000}, "per 10,000"),
        ({"moves": ("10:residential:fostering",)}, "Move"),
    ],
)
def test_bad_scenarios_are_refused_in_plain_words(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sc.Scenario(**kwargs)


@pytest.mark.parametrize(
    "text, message",
    [
        ("10:residential", "PERCENT:FROM:TO"),
        ("0:residential:fostering", "between 0% and 100%"),
        ("150:residential:fostering", "between 0% and 100%"),
        ("10:kinship:fostering", "not a placement type"),
        ("10:fostering:fostering", "two different"),
        ("ten:residential:fostering", "must be a number"),
    ],
)
def test_bad_moves_are_refused_in_plain_words(text, message):
    with pytest.raises(ValueError, match=message):
        sc.Move.parse(text)


def test_a_mix_must_add_up_to_one():
    with pytest.raises(ValueError, match="add up to 1"):
        sc.mix({"fostering": 0.7, "residential": 0.2, "other": 0.2}, sc.Scenario())
