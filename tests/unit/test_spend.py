"""Unit costs and projected spend on children in care: the arithmetic, against hand-worked answers."""

import numpy as np
import pytest

from slihub.stats import spend


def test_it_takes_child_years_as_the_mean_of_the_two_31_march_counts():
    care = spend.child_years(214, 205)
    assert care.value == 209.5
    assert care.method == spend.MEAN_OF_COUNTS


def test_it_falls_back_to_the_count_at_31_march_and_says_so():
    care = spend.child_years(None, 205)
    assert care.value == 205
    assert care.method == spend.COUNT_AT_END


@pytest.mark.parametrize("before, after", [(10, None), (-1, 5), (5, -1)])
def test_it_refuses_a_missing_or_negative_count(before, after):
    with pytest.raises(ValueError):
        spend.child_years(before, after)


def test_a_unit_cost_is_spend_per_child_year():
    assert spend.unit_cost(36_491_000, 209.5) == pytest.approx(174_181.38, abs=0.01)


def test_it_refuses_a_unit_cost_with_no_children():
    with pytest.raises(ValueError, match="child-years"):
        spend.unit_cost(1_000, 0)


def test_inflation_compounds_yearly_from_the_outturn_year():
    factors = spend.inflation_factors([2026, 2027, 2028], 2025, 0.03)
    assert factors == pytest.approx([1.03, 1.0609, 1.092727])


def test_no_inflation_keeps_the_outturn_years_prices():
    assert spend.inflation_factors([2026, 2030], 2025, 0.0).tolist() == [1.0, 1.0]


def test_it_refuses_inflation_of_minus_100_percent_or_less():
    with pytest.raises(ValueError):
        spend.inflation_factors([2026], 2025, -1.0)


def test_projected_spend_uses_each_years_mean_stock_and_the_inflated_unit_cost():
    stocks = np.array([[110.0, 130.0], [90.0, 70.0]])
    result = spend.projected_spend(100, stocks, 1_000, [2026, 2027], 2025, inflation=0.10)
    # Path 1: (100+110)/2 * 1000 * 1.1 and (110+130)/2 * 1000 * 1.21; path 2 likewise.
    expected = np.array([[105 * 1_100, 120 * 1_210], [95 * 1_100, 80 * 1_210]])
    assert result == pytest.approx(expected)


def test_a_forecast_origin_before_the_outturn_year_is_deflated_not_inflated():
    result = spend.projected_spend(100, np.array([[100.0]]), 1_000, [2025], 2025, inflation=0.10)
    assert result[0, 0] == pytest.approx(100_000)  # the outturn year itself: no inflation
    result = spend.projected_spend(100, np.array([[100.0]]), 1_000, [2024], 2025, inflation=0.10)
    assert result[0, 0] == pytest.approx(100_000 / 1.1)


def test_it_refuses_stocks_that_do_not_match_the_years():
    with pytest.raises(ValueError):
        spend.projected_spend(100, np.ones((3, 2)), 1_000, [2026], 2025)


def test_the_summary_gives_median_and_80_percent_interval_of_each_year():
    spending = np.column_stack([np.arange(1, 102, dtype=float), np.full(101, 7.0)])
    first, second = spend.summarise(spending)
    assert first["median"] == 51
    assert first["interval_80"] == pytest.approx([11, 91])
    assert second == {"median": 7.0, "interval_80": [7.0, 7.0]}
