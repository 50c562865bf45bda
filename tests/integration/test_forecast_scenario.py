"""Scenarios on a council's forecast (`slihub forecast-scenario` and scenarios.run_scenario), on a small
world: published counts for England, Camden and Leeds, LAIT placement shares, and a small RO3 workbook."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from slihub.forecast import costs, scenarios, services
from slihub.indicators.models import Value
from slihub.stats import scenario as sc
from tests.integration.test_forecast_costs import add, add_area, data_dir  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
SIMS = 300


@pytest.fixture
def world(places, data_dir):  # noqa: F811
    rows: list = []
    add_area(rows, 1, 80_000, 12_000_000, {2024: 83_530, 2025: 81_770}, area_type="england")
    camden = dict(area_type="la", authority=places.camden)
    add_area(rows, 2, 200, 36_000, {2024: 214, 2025: 205}, **camden)
    add_area(rows, 4, 1_300, 170_000, {2025: 1_320}, area_type="la", authority=places.leeds)
    for year, fostering, residential in (("2024", 56, 15), ("2025", 63, 14)):
        add(rows, "LAC_Foster_Placements", year, fostering, **camden)
        add(rows, "LAC_SecHome_And_ChildHome", year, residential, **camden)
    Value.objects.bulk_create(rows)
    return places


def run(*args) -> str:
    out = StringIO()
    call_command("forecast-scenario", *args, stdout=out)
    return out.getvalue()


def scenario(**kwargs) -> sc.Scenario:
    moves = tuple(sc.Move.parse(m) for m in kwargs.pop("moves", ()))
    return sc.Scenario(moves=moves, **kwargs)


def test_a_null_scenario_is_the_published_forecast_exactly(world):
    result = scenarios.run_scenario("202", scenario(), years=3, simulations=SIMS)
    published = services.forecast("202", None, 3, SIMS, 0)
    assert [y["median"] for y in result["baseline"]["looked_after"]] == [
        h["median"] for h in published["horizons"]
    ]
    assert result["baseline"]["looked_after"] == result["scenario_result"]["looked_after"]
    assert all(d["median"] == 0 and d["interval_80"] == [0, 0] for d in result["difference"]["spend"])


def test_a_scenarios_baseline_follows_a_loaded_population_projection_as_the_forecast_does(world):
    from django.utils import timezone

    from slihub.places.models import PopulationProjection

    for year, people in ((2024, 36_000), (2025, 39_000), (2026, 42_000), (2027, 45_000)):
        PopulationProjection.objects.create(
            authority=world.camden, year=year, population_0_17=people, source="test", loaded_at=timezone.now()
        )
    published = services.forecast("202", None, 3, SIMS, 0)
    assert published["population"]["used"] == "projection"
    result = scenarios.run_scenario("202", scenario(entries_times=0.9), years=3, simulations=SIMS)
    assert [y["median"] for y in result["baseline"]["looked_after"]] == [
        h["median"] for h in published["horizons"]
    ]
    assert all(d["interval_80"][1] <= 0 for d in result["difference"]["looked_after"])


def test_the_baseline_spend_is_forecast_costs_projection(world):
    result = scenarios.run_scenario("202", scenario(entries_times=0.9), years=3, simulations=SIMS)
    projected = costs.projection("202", 3, 0.0, SIMS, 0)
    assert [y["median"] for y in result["baseline"]["spend"]] == pytest.approx(
        [y["median"] for y in projected["years"]]
    )


def test_the_other_placements_cost_makes_the_baseline_mix_reproduce_the_unit_cost(world):
    result = scenarios.run_scenario("202", scenario(moves=["10:residential:fostering"]), 2, SIMS)
    mix = result["placements"]
    assert mix["shares"] == pytest.approx({"fostering": 0.63, "residential": 0.14, "other": 0.23})
    reproduced = sum(mix["shares"][t] * mix["unit_costs"][t] for t in sc.PLACEMENTS)
    assert reproduced == pytest.approx(mix["all_placements"])
    assert mix["unit_costs"]["residential"] == costs.unit_costs("202")["placement_types"][0]["unit_cost"]


def test_moving_residential_to_fostering_changes_cost_not_children(world):
    result = scenarios.run_scenario("202", scenario(moves=["10:residential:fostering"]), 3, SIMS)
    assert result["baseline"]["looked_after"] == result["scenario_result"]["looked_after"]
    mix = result["placements"]
    assert mix["scenario_shares"]["residential"] == pytest.approx(0.126)
    assert sum(mix["scenario_shares"].values()) == pytest.approx(1)
    cheaper = mix["unit_costs"]["fostering"] < mix["unit_costs"]["residential"]
    for d in result["difference"]["spend"]:
        low, high = d["interval_80"]
        assert (high < 0) if cheaper else (low > 0)


def test_fewer_entries_give_fewer_children_and_lower_spend_with_paired_intervals(world):
    result = scenarios.run_scenario("202", scenario(entries_times=0.7), 3, SIMS)
    assert result["rates"]["scenario"]["starts_per_10000"] == pytest.approx(
        result["rates"]["baseline"]["starts_per_10000"] * 0.7, abs=0.02
    )
    last = result["difference"]["looked_after"][-1]
    assert last["interval_80"][1] < 0 and last["interval_80"][0] <= last["median"] <= last["interval_80"][1]
    assert result["difference"]["spend"][-1]["median"] < 0


def test_leavers_never_vanish_even_when_exits_are_multiplied_by_zero(world):
    result = scenarios.run_scenario("202", scenario(exits_times=0), 5, SIMS)
    assert result["rates"]["scenario"]["ceases_share"] == sc.MIN_SHARE
    assert all(y["median"] > 0 for y in result["scenario_result"]["ceases"])


def test_a_council_without_placement_shares_gets_spend_but_refuses_a_move(world):
    result = scenarios.run_scenario("383", scenario(entries_times=1.2), 2, SIMS)
    assert "missing" in result["placements"] and len(result["difference"]["spend"]) == 2
    with pytest.raises(scenarios.ScenarioError, match="placement mix"):
        scenarios.run_scenario("383", scenario(moves=["10:residential:fostering"]), 2, SIMS)


def test_without_a_workbook_counts_still_come_but_spend_is_said_to_be_missing(world, settings, tmp_path):
    settings.DATA_DIR = str(tmp_path / "empty")
    result = scenarios.run_scenario("202", scenario(entries_times=0.9), 2, SIMS)
    assert "spend" not in result["baseline"] and result["no_spend"]
    assert len(result["difference"]["looked_after"]) == 2


def test_the_command_prints_the_scenario_against_the_baseline(world):
    text = run(
        "--la", "202", "--move", "10:residential:fostering", "--years", "2", "--simulations", str(SIMS)
    )
    assert "Camden" in text and "10% of residential placements moved to fostering" in text
    assert "Spending in the financial year" in text and "2025-26" in text and "2026-27" in text
    assert "Placement mix" in text and "read moves to or from it with care" not in text
    text = run("--la", "202", "--move", "10:other:fostering", "--years", "1", "--simulations", str(SIMS))
    assert "read moves to or from it with care" in text


def test_the_command_prints_json(world):
    data = json.loads(
        run(
            "--la",
            "202",
            "--entries-times",
            "0.9",
            "--exits-plus",
            "2",
            "--json",
            "--years",
            "2",
            "--simulations",
            str(SIMS),
        )
    )
    assert data["scenario"]["entries_times"] == 0.9 and data["scenario"]["exits_plus"] == 2
    assert [y["year"] for y in data["difference"]["looked_after"]] == [2026, 2027]
    assert np.isfinite(data["difference"]["spend"][0]["median"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--la", "999"], "No council has the code"),
        (["--la", "202", "--entries-times", "-2"], "between 0 and 100"),
        (["--la", "202", "--exits-plus", "150"], "percentage points"),
        (["--la", "202", "--move", "10:residential"], "PERCENT:FROM:TO"),
        (["--la", "202", "--move", "10:kinship:fostering"], "not a placement type"),
        (["--la", "202", "--years", "9"], "1 to 5 years"),
        (["--la", "202", "--inflation", "300"], "between -50 and 50"),
        (["--la", "383", "--move", "10:residential:fostering"], "placement mix"),
    ],
)
def test_the_command_refuses_bad_settings_plainly_with_status_2(world, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args, "--simulations", str(SIMS))
    assert error.value.returncode == 2
