"""The early warning's signals added in issue 16, on the real files: factors identified at the end of
assessment, school moves of children in care and the indices of deprivation 2019. Each loads for about
150 authorities a year, known cells match the files, and the risk model's panel reads them."""

import shutil

import pytest

from slihub.indicators import deprivation
from slihub.indicators.models import ImportedSource, Indicator, Value
from slihub.indicators.services import LAIT_BANK, LAIT_DICTIONARY, load_indicator_data
from slihub.places.models import Authority
from slihub.sources import DataFileError
from slihub.warning.features import SIGNAL_BY_CODE
from slihub.warning.panel import load_panel

pytestmark = pytest.mark.django_db

FACTORS = (
    "dfe:factor_domestic_abuse_parent_percent",
    "dfe:factor_mental_health_parent_percent",
    "dfe:factor_neglect_percent",
)
SCHOOL_MOVES = "dfe:cla_school_midyear_move"
IMD = "mhclg:imd2019_average_score"


def authorities_a_year(code: str) -> dict[int, int]:
    rows = Value.objects.filter(
        indicator__code=code, area_type="la", authority__is_current=True, value__isnull=False
    ).values_list("period__end_year", "authority_id")
    years: dict[int, set] = {}
    for year, authority in rows:
        years.setdefault(year, set()).add(authority)
    return {year: len(found) for year, found in sorted(years.items())}


def value(code, year, authority=None):
    found = Value.objects.get(
        indicator__code=code,
        period__end_year=year,
        area_type="la" if authority else "england",
        authority__code=authority,
    )
    return found.value


@pytest.mark.parametrize("code", FACTORS)
def test_each_factor_has_about_150_authorities_every_year_from_2018(code):
    years = authorities_a_year(code)
    assert list(years) == list(range(2018, 2026))
    assert min(years.values()) >= 144 and max(years.values()) <= 153


def test_school_moves_have_about_140_authorities_a_year_and_none_for_2020():
    years = authorities_a_year(SCHOOL_MOVES)
    assert list(years) == [2021, 2022, 2023, 2024]  # 2020 is 'x' throughout: the pandemic's census
    assert min(years.values()) >= 135


def test_every_current_authority_has_a_deprivation_score():
    assert authorities_a_year(IMD) == {2019: 153}


def test_known_cells_match_the_files():
    # Camden's 2025 row: 1,867 episodes with factors, 607 with domestic abuse of a parent, 491 a parent's
    # mental health, 256 neglect.
    assert value(FACTORS[0], 2025, "202") == 32.5
    assert value(FACTORS[1], 2025, "202") == 26.3
    assert value(FACTORS[2], 2025, "202") == 13.7
    assert value("dfe:assessment_factor_episodes", 2025, "202") == 1867
    assert value(FACTORS[0], 2025) == 31.7  # England: 162,890 of 513,250
    assert value(SCHOOL_MOVES, 2021, "202") == 13 and value(SCHOOL_MOVES, 2024, "202") == 6
    assert value(SCHOOL_MOVES, 2024) == 8
    assert value(IMD, 2019, "805") == 35.037  # Hartlepool
    assert value("mhclg:imd2019_most_deprived_10_percent", 2019, "805") == 36.21


def test_a_split_countys_successors_have_its_deprivation_score_said_to_be_an_approximation():
    assert value(IMD, 2019, "909") == value(IMD, 2019, "942") == value(IMD, 2019, "943") == 21.261
    assert value(IMD, 2019, "928") == value(IMD, 2019, "940") == value(IMD, 2019, "941") == 18.605
    description = Indicator.objects.get(code=IMD).description
    assert "Cumbria's figure is given to Cumberland and to Westmorland and Furness" in description
    assert "Northamptonshire's figure is given to North Northamptonshire and to West Northamptonshire" in (
        description
    )


def test_the_panel_reads_each_new_signal_for_about_150_authorities_a_year():
    panel = load_panel()
    current = set(Authority.objects.filter(is_current=True).values_list("id", flat=True))
    for code in (*FACTORS, SCHOOL_MOVES, IMD):
        assert code in SIGNAL_BY_CODE
        years: dict[int, int] = {}
        for authority, series in panel.values[code].items():
            for year in series:
                years[year] = years.get(year, 0) + (authority in current)
        assert min(years.values()) >= 135, (code, years)
    assert set(panel.england[FACTORS[0]]) == set(range(2018, 2026))
    assert IMD not in panel.england  # MHCLG publishes no England average score


def test_a_bad_deprivation_file_changes_nothing_and_the_same_file_again_is_skipped(data_dir, tmp_path):
    for name in (LAIT_DICTIONARY, LAIT_BANK):
        (tmp_path / name).symlink_to(data_dir / name)
    lines = (data_dir / deprivation.FILENAME).read_text(encoding="utf-8-sig").splitlines()
    (tmp_path / deprivation.FILENAME).write_text(
        "\n".join([*lines, "E06000099,Atlantis,12.000,9,0.0100,1,0.0,1,0.0,1,0.0,1"]) + "\n", encoding="utf-8"
    )
    before = sorted(Value.objects.filter(indicator__source="imd2019").values_list("id", "value"))
    fingerprint = ImportedSource.objects.get(source="imd2019").fingerprint
    with pytest.raises(DataFileError, match=r"line 153.*E06000099 \(Atlantis\)"):
        load_indicator_data(tmp_path, mapping_names=[deprivation.SOURCE])
    assert sorted(Value.objects.filter(indicator__source="imd2019").values_list("id", "value")) == before
    assert ImportedSource.objects.get(source="imd2019").fingerprint == fingerprint
    shutil.copyfile(data_dir / deprivation.FILENAME, tmp_path / deprivation.FILENAME)
    report = load_indicator_data(tmp_path, mapping_names=[deprivation.SOURCE])
    assert report.skipped == ["lait", "imd2019"] and not report.changed
