import numpy as np
import pytest

from slihub.stats import benchmarks

nan = np.nan


def test_ranks_put_the_best_first_by_polarity_with_ties_sharing_the_lowest_rank():
    values = [10, 30, 20, 30, None]
    assert benchmarks.ranks(values, "high")[:4].tolist() == [4, 1, 3, 1]
    assert benchmarks.ranks(values, "low")[:4].tolist() == [1, 3, 2, 3]
    assert np.isnan(benchmarks.ranks(values, "high")[4])


def test_suppressed_values_are_not_ranked_banded_or_averaged():
    values = [1.0, None, 3.0]
    assert np.isnan(benchmarks.ranks(values, "high")[1])
    assert benchmarks.quartile_bands(values, "high")[1] == ""
    means, counts = benchmarks.group_means(np.array([[1.0], [nan], [3.0]]), [[0, 1, 2], [1]])
    assert means[0, 0] == 2.0 and counts[0, 0] == 2
    assert np.isnan(means[1, 0]) and counts[1, 0] == 0


def test_quartile_bands_follow_polarity_with_a_best():
    values = list(range(1, 9))  # quartiles 2.75, 4.5, 6.25
    assert benchmarks.quartile_bands(values, "high") == list("DDCCBBAA")
    assert benchmarks.quartile_bands(values, "low") == list("AABBCCDD")


def test_a_value_on_a_quartile_boundary_goes_to_the_better_band():
    values = [1, 2, 3, 4, 5]  # quartiles exactly 2, 3, 4
    assert benchmarks.quartile_bands(values, "high") == ["D", "C", "B", "A", "A"]
    assert benchmarks.quartile_bands(values, "low") == ["A", "A", "B", "C", "D"]


def test_no_bands_without_polarity():
    assert benchmarks.quartile_bands([1, 2, 3], "none") == ["", "", ""]


def test_unknown_polarity_is_refused():
    with pytest.raises(ValueError):
        benchmarks.ranks([1], "up")


@pytest.mark.parametrize(
    "series, polarity, expected",
    [
        ([10, 12, 14], "high", "improving"),
        ([10, 12, 14], "low", "declining"),
        ([14, 12, 10], "low", "improving"),
        ([14, 12, 10], "high", "declining"),
        ([10, 12, 14], "none", "rising"),
        ([14, 12, 10], "none", "falling"),
        ([100, 101, 102], "high", "stable"),  # fitted change 2 is within 5% of 101
        ([100, 104, 106], "high", "improving"),
        ([0, 0, 0], "low", "stable"),
        ([10, None, 14], "high", ""),
    ],
)
def test_trends_are_judged_with_polarity_and_a_tolerance(series, polarity, expected):
    assert benchmarks.trend(series, polarity) == expected


def test_trend_windows_end_at_each_period_and_need_every_value():
    matrix = np.array([[1, 2, 3, 4, 5, nan, 7]], dtype=float)
    labels = benchmarks.trend_labels(matrix, 3, "high")[0].tolist()
    assert labels == ["", "", "improving", "improving", "improving", "", ""]
    assert benchmarks.trend_labels(matrix, 5, "high")[0].tolist() == ["", "", "", "", "improving", "", ""]


def test_changes_are_since_the_previous_period():
    change = benchmarks.changes(np.array([[1.0, 3.0, nan, 2.0]]))
    assert (
        np.isnan(change[0, 0]) and change[0, 1] == 2.0 and np.isnan(change[0, 2]) and np.isnan(change[0, 3])
    )


def test_group_means_are_the_means_of_members_present():
    matrix = np.array([[1.0, 2.0], [3.0, nan], [5.0, 6.0]])
    means, counts = benchmarks.group_means(matrix, [[1, 2], [0]])
    assert means.tolist() == [[4.0, 6.0], [1.0, 2.0]]
    assert counts.tolist() == [[2, 1], [1, 1]]
