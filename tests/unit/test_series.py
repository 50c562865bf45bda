"""series.stitch and sources_text: LAIT's years first, DfE's only for the years LAIT lacks."""

from slihub.indicators.series import LAIT_OF, PAIRS, sources_text, stitch
from slihub.warning.features import DFE_EQUIVALENTS


def test_laits_years_then_dfes_for_the_years_lait_lacks():
    lait = {y: ("lait", y) for y in range(2019, 2024)}
    dfe = {y: ("dfe", y) for y in range(2019, 2025)}
    stitched = stitch(lait, dfe)
    assert list(stitched) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert [item[0] for item, _ in stitched.values()] == ["lait"] * 5 + ["dfe"]
    assert [filled for _, filled in stitched.values()] == [False] * 5 + [True]


def test_a_suppressed_lait_year_is_never_filled_from_dfe():
    # LAIT's marker is that year's figure: DfE's number for the same statistic would undo the suppression.
    stitched = stitch({2023: (None, "-")}, {2023: (12.0, ""), 2024: (13.0, "")})
    assert stitched[2023] == ((None, "-"), False)
    assert stitched[2024] == ((13.0, ""), True)


def test_sources_are_named_as_runs_of_periods():
    points = [("2019", "LAIT"), ("2020", "LAIT"), ("2021", "LAIT"), ("2024", "DfE statistics")]
    assert sources_text(points) == "2019 to 2021 from LAIT; 2024 from DfE statistics"
    assert sources_text([("2024", "LAIT")]) == "2024 from LAIT"
    assert sources_text([]) == ""


def test_one_table_read_both_ways_and_early_warning_reads_its_signals_from_it():
    assert len(PAIRS) == len(LAIT_OF) == 18
    assert all(PAIRS[LAIT_OF[dfe]] == dfe for dfe in LAIT_OF)
    # Early warning's eleven signals with a DfE twin; the other pairs are not signals.
    assert len(DFE_EQUIVALENTS) == 11 and DFE_EQUIVALENTS.items() <= PAIRS.items()
