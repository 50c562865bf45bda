"""Disclosure control: no published count below the threshold, and no `c` recoverable from what is shown
(checked exactly, by each `c`'s feasible range over the published table)."""

import itertools

import numpy as np
import pytest

from slihub.stats.disclosure import SUPPRESSED, extend, feasible_ranges, spread_if_enough, suppress


def shown(table) -> list[int]:
    return [value for row in table.published() for value in row if value != SUPPRESSED]


def assert_safe(table, threshold, known=None):
    published = table.published()
    known = np.zeros(table.values.shape, dtype=bool) if known is None else known
    for i, row in enumerate(published):
        for j, value in enumerate(row):
            assert value == SUPPRESSED or value == 0 or value >= threshold or known[i, j]
    # The exact check, from the published table alone (not the counts behind it).
    ranges = feasible_ranges(published)
    hidden = {(i, j) for i, row in enumerate(published) for j, value in enumerate(row) if value == SUPPRESSED}
    assert set(ranges) == hidden
    values = table.values
    for entry, (least, most) in ranges.items():
        assert least < most, f"{entry} is recoverable: {least} to {most}"
        assert least <= values[entry] <= most  # the true count fits what is published
    # Every primary-size count is hidden, and only non-zero counts are.
    assert ((values >= 1) & (values < threshold) & ~known <= table.hidden).all()
    assert not (table.hidden & (values == 0)).any()


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_publish_nothing_small_and_nothing_recoverable(seed):
    rng = np.random.default_rng(seed)
    for _ in range(4):
        rows, columns = int(rng.integers(1, 10)), int(rng.integers(1, 7))
        counts = rng.poisson(rng.uniform(0.3, 9), size=(rows, columns)).tolist()
        threshold = int(rng.choice([3, 5, 10]))
        assert_safe(suppress(counts, threshold=threshold), threshold)


def test_a_wider_protection_is_met():
    counts = [[3, 10, 12, 7], [8, 9, 20, 2], [6, 1, 15, 30], [11, 12, 13, 14]]
    table = suppress(counts, protection=4)
    for least, most in feasible_ranges(table.published()).values():
        assert most - least >= 4


def test_a_row_with_one_small_cell_gets_a_second_suppression():
    table = suppress([[3, 10, 12], [8, 9, 20]])
    published = table.published()
    assert published[0][0] == SUPPRESSED
    assert table.primary[0, 0] and table.primary.sum() == 1
    # Its row and its column each hide another cell (the smallest there), so neither subtraction works.
    assert published[0][1] == SUPPRESSED and published[1][0] == SUPPRESSED
    assert table.secondary.sum() >= 2
    assert_safe(table, 5)


def test_subtraction_would_have_recovered_the_primary_cell():
    # Without the secondary suppression, the row total minus the shown cells gives the 3 back.
    published = extend([[3, 10, 12], [8, 9, 20]]).tolist()
    published[0][0] = SUPPRESSED
    assert feasible_ranges(published)[(0, 0)] == (3, 3)


def test_zeros_are_shown_and_never_hidden():
    table = suppress([[0, 12, 0], [7, 0, 9], [0, 0, 0]])
    published = table.published()
    assert published[0][0] == 0 and published[0][2] == 0 and published[2] == [0, 0, 0, 0]
    assert not table.hidden.any()


def test_a_single_column_hides_the_row_total_with_its_cell():
    # One answer: each cell equals its row total, so hiding the cell alone would not protect it.
    table = suppress([[3], [12], [9]])
    published = table.published()
    assert published[0] == [SUPPRESSED, SUPPRESSED]
    assert_safe(table, 5)


def test_a_small_total_is_hidden_too():
    table = suppress([[2, 1, 0], [6, 7, 8]])
    published = table.published()
    assert published[0][3] == SUPPRESSED  # the North East's 3 respondents
    assert_safe(table, 5)


def test_totals_are_consistent_with_the_counts():
    counts = [[3, 10, 12], [8, 9, 20], [0, 5, 6]]
    values = suppress(counts).values
    assert values[:3, 3].tolist() == [25, 37, 11]
    assert values[3, :3].tolist() == [11, 24, 38]
    assert values[3, 3] == 73 == sum(itertools.chain.from_iterable(counts))


def test_it_is_deterministic():
    counts = np.random.default_rng(99).poisson(3, size=(9, 4)).tolist()
    first, second = suppress(counts), suppress(counts)
    assert (first.hidden == second.hidden).all()


def test_an_unbounded_entry_has_no_upper_limit():
    # Everything hidden: nothing shown bounds the one count from above.
    assert feasible_ranges([[SUPPRESSED, SUPPRESSED], [SUPPRESSED, SUPPRESSED]])[(0, 0)] == (1, float("inf"))


def test_an_inconsistent_table_is_refused():
    with pytest.raises(ValueError, match="inconsistent"):
        feasible_ranges([[SUPPRESSED, 2], [5, 4]])


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress([[-1, 3]])


def test_spread_needs_enough_councils():
    assert spread_if_enough([4, 8, 15, 16], threshold=5) is None
    assert spread_if_enough([4, 8, 15, 16, None], threshold=5) is None
    spread = spread_if_enough([1, 2, 3, 4, 5])
    assert (spread.count, spread.lower_quartile, spread.median, spread.upper_quartile) == (5, 2, 3, 4)


@pytest.mark.parametrize("seed", range(8))
def test_totals_the_reader_knows_from_elsewhere_stay_shown_and_give_nothing_away(seed):
    rng = np.random.default_rng(100 + seed)
    for _ in range(4):
        rows, columns = int(rng.integers(2, 10)), int(rng.integers(2, 6))
        counts = rng.poisson(rng.uniform(0.5, 6), size=(rows, columns)).tolist()
        values = extend(counts)
        known = np.zeros(values.shape, dtype=bool)
        known[:, -1] = True  # every row total (a region's councils) and England's
        table = suppress(counts, known=known)

        assert not (table.hidden & known).any()
        if table.safe:
            assert_safe(table, 5, known)
        else:  # everything that could be hidden is, and the table is published all `c`
            assert not ((values > 0) & ~table.hidden & ~known).any()
            assert {value for row in table.published() for value in row} == {SUPPRESSED}


def test_a_table_that_cannot_be_protected_says_so_and_publishes_nothing():
    # One region's one respondent beside a region of two, with every total known: nothing can hide it.
    counts = [[0, 1], [1, 1]]
    known = np.zeros((3, 3), dtype=bool)
    known[:, -1] = True
    table = suppress(counts, known=known)

    assert not table.safe
    assert {value for row in table.published() for value in row} == {SUPPRESSED}
    assert suppress(counts).safe


def test_a_known_total_makes_the_rule_hide_a_cell_instead():
    counts = [[3, 6], [7, 8]]
    without = suppress(counts)
    known = np.zeros((3, 3), dtype=bool)
    known[0, 2] = True  # the first row's total, 9, is published elsewhere
    table = suppress(counts, known=known)

    assert without.published()[0] == [SUPPRESSED, SUPPRESSED, 9]
    assert table.published()[0][2] == 9
    assert_safe(table, 5)


def test_a_known_mask_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="3 x 3"):
        suppress([[3, 6], [7, 8]], known=np.zeros((2, 2), dtype=bool))
