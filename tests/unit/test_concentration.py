"""Concentration (Gini, top share) and polarisation (the quartile gap) on answers worked by hand."""

import pytest

from slihub.stats import matching
from slihub.stats.barchart import column_chart_svg
from slihub.stats.concentration import direction, gini, quartile_gap, top_share


def test_the_exchange_still_reads_gini_and_top_share_from_matching():
    assert matching.gini is gini and matching.top_share is top_share


def test_gini_counts_the_councils_that_gave_nothing():
    assert gini([10, 10, 10, 10]) == 0
    assert gini([10, 0, 0, 0]) == pytest.approx(0.75)  # (n - 1) / n: one council gives everything
    assert gini([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(0.9)
    assert gini([4, 3, 2, 1]) == pytest.approx(0.25)  # sum |xi - xj| = 20 over 2 n^2 mean = 80


def test_top_share_takes_a_tenth_of_the_councils_rounded_up():
    assert top_share([5, 3, 1, 1] + [0] * 16) == pytest.approx(8 / 10)  # the top 2 of 20
    assert top_share([6, 2, 2]) == pytest.approx(0.6)  # one of three


def test_the_gap_is_between_the_medians_of_the_best_and_worst_quarters_when_higher_is_better():
    # Eight councils: quarters of two. Worst quarter 1, 3 (median 2); best 9, 15 (median 12).
    found = quartile_gap([9, 1, 5, 15, 3, 6, 7, 4], higher_is_better=True)
    assert (found.best, found.worst, found.gap, found.per_quarter, found.councils) == (12, 2, 10, 2, 8)


def test_the_gap_reads_lower_as_better_the_other_way_round_and_is_never_negative():
    found = quartile_gap([9, 1, 5, 15, 3, 6, 7, 4], higher_is_better=False)
    assert (found.best, found.worst, found.gap) == (2, 12, 10)


def test_the_gap_needs_four_councils_and_takes_a_quarter_rounded_down():
    assert quartile_gap([1, 2, 3], higher_is_better=True) is None
    found = quartile_gap([1, 2, 3, 4, 5, 6, 7], higher_is_better=True)  # 7 // 4 = 1 in each quarter
    assert (found.best, found.worst, found.gap, found.per_quarter) == (7, 1, 6, 1)
    with pytest.raises(ValueError):
        quartile_gap([1, 2, 3, float("nan")], higher_is_better=True)


def test_direction_in_words():
    assert direction(10, 12) == "widening"
    assert direction(10, 8) == "narrowing"
    assert direction(10, 10.4) == "about the same"
    assert direction(None, 3) == ""


def test_a_column_chart_has_axes_a_unit_and_every_value_in_words():
    svg = column_chart_svg(
        ["2025 to 26", "2026 to 27"],
        [12, None],
        texts=["12 days", "no figure"],
        title="Support days",
        y_label="Support days",
        x_label="Year (April to March)",
        id_prefix="c",
    )
    assert 'role="img"' in svg and '<title id="c-title">Support days</title>' in svg
    assert "2025 to 26: 12 days; 2026 to 27: no figure." in svg
    assert "Year (April to March)" in svg and svg.count("<rect") == 1 and "no figure</text>" in svg
    with pytest.raises(ValueError):
        column_chart_svg(["a"], [1, 2], texts=["1"], title="t", y_label="y", x_label="x", id_prefix="c")
