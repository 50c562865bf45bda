"""The indices of deprivation 2019 mapped to today's authorities, on small files made here (no database)."""

import pytest

from slihub.indicators.deprivation import MEASURES, read_imd
from slihub.sources import DataFileError

HEADER = (
    "Upper Tier Local Authority District code (2019),Upper Tier Local Authority District name (2019),"
    + ",".join(f'"{m.column}"' for m in MEASURES)
)
NAMES = {
    "805": "Hartlepool",
    "909": "Cumbria",
    "942": "Cumberland",
    "943": "Westmorland and Furness",
    "825": "Buckinghamshire",
    "815": "North Yorkshire",
}
# ONS code -> DfE code, as the reference data holds them: current codes, and North Yorkshire's county
# code as a former one. Buckinghamshire's county code (E10000002) is not here: importers.OTHER_ONS_CODES
# holds it.
ONS = {
    "E06000001": "805",
    "E10000006": "909",
    "E06000063": "942",
    "E06000064": "943",
    "E06000060": "825",
    "E06000065": "815",
    "E10000023": "815",
}
CURRENT = {"805", "942", "943", "825", "815"}
SUCCESSORS = {"909": ["942", "943"]}


def write(tmp_path, rows):
    path = tmp_path / "imd19.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def good_rows():
    return [
        "E06000001,Hartlepool,35.037,0.3621",
        "E10000006,Cumbria,20.581,0.0508",
        "E10000002,Buckinghamshire,10.268,0.0",
        "E10000023,North Yorkshire,13.787,0.0055",
    ]


def read(tmp_path, rows, current=CURRENT, successors=SUCCESSORS):
    return read_imd(write(tmp_path, rows), ONS, current, successors, NAMES)


def values(found):
    return {(code, area): value for code, _, _, area, value, _ in found.records}


def test_the_successors_of_a_split_county_have_its_figure_and_the_description_says_so(tmp_path):
    found = read(tmp_path, good_rows())
    score = "mhclg:imd2019_average_score"
    got = values(found)
    assert got[score, "942"] == got[score, "943"] == got[score, "909"] == 20.581
    assert found.inherited == {"942": "909", "943": "909"}
    assert "Cumbria's figure is given to Cumberland and to Westmorland and Furness" in found.description
    assert "approximation" in found.description.lower()
    record = found.indicators()[score]
    assert found.description in record.description and record.polarity == "none"


def test_former_and_county_codes_of_the_same_area_are_the_authoritys_own_figure(tmp_path):
    got = values(read(tmp_path, good_rows()))
    assert got["mhclg:imd2019_average_score", "815"] == 13.787  # North Yorkshire's county code
    assert got["mhclg:imd2019_average_score", "825"] == 10.268  # Buckinghamshire's, before 2020
    assert got["mhclg:imd2019_most_deprived_10_percent", "805"] == 36.21  # a proportion, as a %
    assert {period for _, period, *_ in read(tmp_path, good_rows()).records} == {"2019"}


def test_no_approximation_is_claimed_where_no_county_was_split(tmp_path):
    rows = [r for r in good_rows() if "Cumbria" not in r]
    found = read(tmp_path, rows, current=CURRENT - {"942", "943"}, successors={})
    assert found.inherited == {} and "Approximation" not in found.description


def test_a_code_that_is_no_authoritys_is_refused_naming_its_line(tmp_path):
    rows = [*good_rows(), "E06000099,Atlantis,12.0,0.01"]
    with pytest.raises(DataFileError) as refused:
        read(tmp_path, rows)
    assert (refused.value.line, refused.value.column) == (6, 1)
    assert "E06000099 (Atlantis) is not the ONS code of an authority the hub knows" in refused.value.message


def test_a_current_authority_left_without_a_figure_is_refused(tmp_path):
    rows = [r for r in good_rows() if "Hartlepool" not in r]
    with pytest.raises(DataFileError, match=r"no figure for Hartlepool \(805\)"):
        read(tmp_path, rows)
    rows = [r for r in good_rows() if "Cumbria" not in r]
    with pytest.raises(DataFileError, match=r"no figure for Cumberland \(942\)"):
        read(tmp_path, rows)


def test_a_successor_of_two_areas_with_figures_is_refused(tmp_path):
    successors = {"909": ["942", "943"], "805": ["942"]}
    with pytest.raises(DataFileError, match="replaced .* each with its own figure"):
        read(tmp_path, good_rows(), successors=successors)


@pytest.mark.parametrize(
    ("cell", "message"),
    [("c", "has no index of multiple deprivation"), ("120.5", "impossible"), ("n/a", "neither a number")],
)
def test_a_missing_or_impossible_score_is_refused(tmp_path, cell, message):
    rows = good_rows()
    rows[0] = f"E06000001,Hartlepool,{cell},0.3621"
    with pytest.raises(DataFileError, match=message) as refused:
        read(tmp_path, rows)
    assert (refused.value.line, refused.value.column) == (2, 3)


def test_an_area_listed_twice_is_refused(tmp_path):
    rows = [*good_rows(), "E06000063,Cumberland,21.0,0.05", "E06000063,Cumberland,21.0,0.05"]
    with pytest.raises(DataFileError, match="is Cumberland again") as refused:
        read(tmp_path, rows)
    assert refused.value.line == 7
