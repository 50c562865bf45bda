"""`slihub forecast` on a small world of published figures: England and two councils, 2016 to 2025."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from slihub.forecast import selectors
from slihub.indicators.models import Indicator, Period, Value

YEARS = range(2016, 2026)


def period(year: int) -> Period:
    return Period.objects.get_or_create(
        label=str(year),
        defaults={"kind": "year", "start_year": year, "end_year": year, "sort_key": year * 100},
    )[0]


def indicator(code: str) -> Indicator:
    return Indicator.objects.get_or_create(
        code=code,
        defaults={"slug": code.lower().replace("_", "-").replace(":", "-"), "source": "lait", "name": code},
    )[0]


def add_area(rows: list, years, seed: int, stock: int, population: int, **where) -> None:
    """Published figures from constant rates: starts 30 per 10,000, a third of those at risk leave."""
    rng = np.random.default_rng(seed)
    codes = {c: indicator(c) for c in selectors.CODES}
    n = stock
    for year in years:
        starts = rng.poisson(30 * population / 10_000)
        ceases = rng.binomial(n + starts, 1 / 3)
        n = n + starts - ceases
        figures = {
            selectors.STOCK: n,
            selectors.STARTS: starts,
            selectors.CEASES: ceases,
        }
        for code, value in figures.items():
            rows.append(Value(indicator=codes[code], period=period(year), value=value, **where))
        # The mid-year estimate of the June before the year ending 31 March.
        rows.append(
            Value(indicator=codes[selectors.POPULATION], period=period(year - 1), value=population, **where)
        )


@pytest.fixture
def world(places):
    rows: list = []
    add_area(rows, YEARS, 1, 80_000, 12_000_000, area_type="england")
    add_area(rows, YEARS, 2, 200, 36_000, area_type="la", authority=places.camden)
    add_area(rows, YEARS, 3, 1_300, 170_000, area_type="la", authority=places.leeds)
    add_area(rows, range(2023, 2026), 4, 300, 50_000, area_type="la", authority=places.islington)
    Value.objects.bulk_create(rows)
    return places


def run(*args) -> str:
    out = StringIO()
    call_command("forecast", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_json_with_each_horizon_and_its_intervals(world):
    data = json.loads(run("--la", "202", "--years", "3", "--simulations", "500", "--json"))
    assert data["area"] == {"code": "202", "name": "Camden"}
    assert data["as_of_year"] == 2025 and data["origin"] == 2025
    assert [h["year"] for h in data["horizons"]] == [2026, 2027, 2028]
    for h in data["horizons"]:
        low80, high80 = h["interval_80"]
        low50, high50 = h["interval_50"]
        assert 0 <= low80 <= low50 <= h["median"] <= high50 <= high80
    assert data["published"][-1]["year"] == 2025 and len(data["naive"]) == 3


def test_as_of_year_forecasts_from_what_was_published_by_then(world):
    data = json.loads(run("--as-of-year", "2021", "--years", "2", "--json"))
    assert data["area"]["name"] == "England"
    assert data["origin"] == 2021 and [p["year"] for p in data["published"]][-1] == 2021
    text = run("--la", "E08000035", "--years", "1", "--simulations", "200")
    assert "Leeds" in text and "2026" in text


def test_an_unknown_council_is_refused_with_exit_code_2(world):
    with pytest.raises(CommandError, match="No council has the code") as raised:
        run("--la", "999")
    assert raised.value.returncode == 2


@pytest.mark.parametrize("years", ["0", "6"])
def test_years_outside_one_to_five_are_refused_with_exit_code_2(world, years):
    with pytest.raises(CommandError, match="1 to 5 years") as raised:
        run("--years", years)
    assert raised.value.returncode == 2


def test_a_council_with_too_few_published_years_is_refused(world):
    with pytest.raises(CommandError, match="too few published years") as raised:
        run("--la", "206")
    assert raised.value.returncode == 2


def test_backtest_reports_england_and_councils_against_both_baselines(world):
    data = json.loads(run("backtest", "--simulations", "200", "--json"))
    assert data["origins"] == list(range(2019, 2025))
    assert set(data["england"]["by_horizon"]["1"]) == {"outcomes", "model", "naive", "trend"}
    assert set(data["councils"]) == {"202", "383"}  # Islington has too few years
    assert data["councils_beaten"]["1"]["councils"] == 2
    assert 0 <= data["councils_pooled"]["coverage_80"] <= 1
    text = run("backtest", "--simulations", "200")
    assert "England" in text and "1 year  ahead" in text and "of 2" in text


def test_a_council_with_no_child_in_care_is_refused_with_a_reason_not_a_traceback(world):
    codes = {c: indicator(c) for c in selectors.CODES}
    rows = [
        Value(indicator=codes[code], period=period(year), value=0, area_type="la", authority=world.leeds)
        for year in YEARS
        for code in (selectors.STOCK, selectors.STARTS, selectors.CEASES)
    ]
    Value.objects.filter(authority=world.leeds).exclude(indicator=codes[selectors.POPULATION]).delete()
    Value.objects.bulk_create(rows)

    with pytest.raises(CommandError, match="Leeds has too few children in care") as refused:
        run("--la", "383")
    assert refused.value.returncode == 2
