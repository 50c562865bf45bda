"""Tracking a priority: the baseline period, directions by polarity, and which councils moved."""

import pytest

from slihub.stats import tracking


@pytest.mark.parametrize(
    ("ends", "year", "expected"),
    [
        ([2021, 2022, 2023, 2024, 2025], 2024, 2),  # 2023: the latest ending before 2024
        ([2021, 2022], 2030, 1),
        ([2024, 2025], 2024, None),  # nothing ended before the agreement
        ([], 2024, None),
    ],
)
def test_the_baseline_is_the_latest_period_ending_before_the_year_agreed(ends, year, expected):
    assert tracking.baseline_index(ends, year) == expected


@pytest.mark.parametrize(
    ("before", "after", "polarity", "expected"),
    [
        (10, 12, "high", "improved"),
        (10, 8, "high", "worsened"),
        (10, 8, "low", "improved"),
        (10, 12, "low", "worsened"),
        (10, 12, "none", "rose"),
        (10, 8, "none", "fell"),
        (10, 10, "high", "unchanged"),
        (None, 10, "high", None),  # a suppressed figure moves in no known direction
        (10, float("nan"), "low", None),
    ],
)
def test_direction_follows_polarity(before, after, polarity, expected):
    assert tracking.direction(before, after, polarity) == expected


def test_change_is_after_minus_before_and_none_when_missing():
    assert tracking.change(21.5, 22.4) == pytest.approx(0.9)
    assert tracking.change(None, 3) is None
    assert tracking.change(567.2, 552.1) == -15.1  # no binary floating point noise


def test_movers_groups_by_direction_largest_move_first():
    groups = tracking.movers(
        [("a", 50, 51), ("b", 65, 75), ("c", 30, 20), ("d", 5, 5), ("e", None, 4), ("f", 40, 30)], "high"
    )
    assert [m.key for m in groups["improved"]] == ["b", "a"]
    assert [(m.key, m.change) for m in groups["worsened"]] == [("c", -10.0), ("f", -10.0)]  # ties by key
    assert [m.key for m in groups["unchanged"]] == ["d"]
    assert "e" not in {m.key for moves in groups.values() for m in moves}
