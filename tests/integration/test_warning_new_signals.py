"""Early warning's signals added in issue 16, read through the panel: a DfE code (with its colon) as a
feature, the school moves' later publication, and deprivation with no England figure."""

from datetime import date

import pytest

from slihub.indicators.models import Indicator, Value
from slihub.warning import explain
from slihub.warning.features import HIGHER_IS_WORSE, LOWER_IS_WORSE, snapshot
from slihub.warning.panel import load_panel
from tests.integration.warning_fixtures import build_world, period


@pytest.fixture
def world(places):
    build_world(places)
    return places


def add(code: str, year: int, figures: dict, england: float | None = None) -> None:
    indicator = Indicator.objects.get_or_create(
        code=code, defaults={"slug": code.replace(":", "-").replace("_", "-"), "source": "test", "name": code}
    )[0]
    rows = [Value(indicator=indicator, period=period(year), area_type="la", authority=a, value=v)
            for a, v in figures.items()]  # fmt: skip
    if england is not None:
        rows.append(Value(indicator=indicator, period=period(year), area_type="england", value=england))
    Value.objects.bulk_create(rows)


def test_a_factor_share_is_a_feature_from_the_cin_census_rule_and_reads_right(world):
    code = "dfe:factor_neglect_percent"
    for year, camden in ((2023, 15.0), (2024, 21.0)):
        add(code, year, {world.camden: camden, world.islington: 12.0, world.leeds: 14.0}, england=16.5)
    panel = load_panel()
    camden = world.camden.id
    assert snapshot(panel, camden, date(2024, 11, 30)).readings[code].year == 2023
    snap = snapshot(panel, camden, date(2024, 12, 1))
    feature = f"{code}:gap"
    # against its neighbours of April 2021's model (Leeds and Islington): 21 against 13, 8 points above
    assert snap.values[feature] == pytest.approx(8.0)
    assert explain.label(feature) == "Assessments identifying neglect, against neighbours"
    assert explain.describe(feature, snap) == (
        "21.0% in 2024, against 13.0% for its statistical neighbours and 16.5% for England."
    )
    # a measure of need (and of how well it is recognised): no better direction
    assert code not in HIGHER_IS_WORSE | LOWER_IS_WORSE


def test_school_moves_wait_a_year_longer_than_the_rest_of_the_looked_after_return(world):
    code = "dfe:cla_school_midyear_move"
    for year, camden in ((2023, 7.0), (2024, 12.0)):
        add(code, year, {world.camden: camden, world.islington: 8.0, world.leeds: 6.0}, england=8.0)
    panel = load_panel()
    camden = world.camden.id
    assert snapshot(panel, camden, date(2024, 12, 1)).readings[code].year == 2023
    assert snapshot(panel, camden, date(2025, 11, 30)).readings[code].year == 2023
    snap = snapshot(panel, camden, date(2025, 12, 1))
    assert snap.readings[code].year == 2024
    assert snap.values[f"{code}:gap"] == pytest.approx(5.0)  # 12 against Leeds's 6 and Islington's 8
    assert code in HIGHER_IS_WORSE  # more mid-year moves than its neighbours is worse


def test_deprivation_has_no_england_figure_and_is_used_from_its_publication(world):
    code = "mhclg:imd2019_average_score"
    add(code, 2019, {world.camden: 20.131, world.leeds: 27.3})
    panel = load_panel()
    assert code not in snapshot(panel, world.camden.id, date(2019, 9, 30)).readings
    snap = snapshot(panel, world.camden.id, date(2019, 10, 1))
    assert snap.values[f"{code}:level"] == 20.131
    assert explain.describe(f"{code}:level", snap) == "20.1 in 2019 (England not published)."
    assert code not in HIGHER_IS_WORSE | LOWER_IS_WORSE
    # an authority the file has no figure for has none, not another's
    assert code not in snapshot(panel, world.islington.id, date(2020, 1, 1)).readings
