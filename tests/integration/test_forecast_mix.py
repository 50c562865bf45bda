"""The forecast by placement type and UASC, and ONS population projections loaded by a user."""

import csv
import json
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from slihub.forecast import refresh, services
from slihub.forecast.models import ForecastBasis, StoredForecast
from slihub.indicators.models import Value
from slihub.places.models import PopulationProjection
from slihub.places.projections import ProjectionFileError, parse
from tests.integration.html import page
from tests.integration.test_forecast_costs import add
from tests.integration.test_forecast_pages import SIMULATIONS, published  # noqa: F401 (a fixture)

HEADER = ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP", *map(str, range(2022, 2031))]


def snpp(path, areas: dict[str, float], sexes=("persons",), growth=1.05, skip_age=None, extra=()):
    """A file in ONS's SNPP layout (invented numbers): each area's children aged 0 to 17 are `total`
    in 2022, rising by `growth` a year, spread evenly over the ages 0 to 17; adults too."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for code, total in areas.items():
            for sex in sexes:
                for age in [*range(90), "90 and over", "All ages"]:
                    if age == skip_age:
                        continue
                    each = total / 18 / len(sexes) if isinstance(age, int) and age < 18 else 500.0
                    writer.writerow(
                        [code, code, "Population", sex, age, *(round(each * growth**i, 3) for i in range(9))]
                    )
        for row in extra:
            writer.writerow(row)
    return path


SHARES = {  # LAIT placement shares and UASC, 2024 and 2025; None: suppressed ('-')
    "LAC_Foster_Placements": (56, 63),
    "LAC_SecHome_And_ChildHome": (15, 14),
    "LAC_Other_Res_Settings": (3, None),
    "LAC_Ind_SInd_Liv_Arr": (17, 17),
    "LAC_Other_Place_Inc_Unreg": (0, 0),
    "LAC_Parents_OR_Others": (7, 3),
    "UASC_%_Starting": (23, 24),
    "Unacc_Asylmn_Seek_Childn": (39, 35),
}


def add_shares(authority) -> None:
    rows: list = []
    for code, values in SHARES.items():
        for year, value in zip(("2024", "2025"), values, strict=True):
            add(rows, code, year, value, area_type="la", authority=authority)
    Value.objects.bulk_create(rows)


@pytest.fixture
def stored(published):  # noqa: F811
    add_shares(published.camden)
    refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    return published


def test_the_stored_forecast_is_split_by_placement_type_adding_up_to_the_forecast(stored):
    basis = ForecastBasis.objects.get(authority=stored.camden)
    mix = basis.rates["placement_mix"]
    assert mix["fit"]["suppressed"] == {"other_residential": [2025]}
    by_type = mix["by_type"]
    assert set(by_type) == set(mix["fit"]["parts"])
    median = StoredForecast.objects.get(authority=stored.camden, horizon=1).median
    total = sum(rows[0]["median"] for rows in by_type.values())
    assert total == pytest.approx(median, rel=0.05)  # medians of parts: near, not exactly, the total's
    for rows in by_type.values():
        for row in rows:
            low, high = row["interval_80"]
            assert 0 <= low <= row["median"] <= high
    assert by_type["other_including_unregistered"][0] == {
        "year": 2026,
        "median": 0.0,
        "interval_80": [0.0, 0.0],
    }


def test_uasc_is_forecast_from_its_published_shares_and_says_what_drives_it(stored):
    uasc = ForecastBasis.objects.get(authority=stored.camden).rates["uasc"]
    assert "National Transfer Scheme" in uasc["note"]
    assert uasc["looked_after_latest"]["number"] == 35
    assert len(uasc["looked_after"]) == 5 and len(uasc["starts"]) == 5
    leeds = ForecastBasis.objects.get(authority=stored.leeds).rates["uasc"]
    assert "looked_after" not in leeds and "No figure" in leeds["note"]  # nothing published: no split


def test_the_api_gives_the_parts_the_population_and_what_is_not_published(client, stored):
    data = client.get("/api/v1/forecasts/202").json()
    assert set(data["placement_mix"]["by_type"]) >= {"fostering", "residential", "rest"}
    assert data["uasc"]["starts"][0]["year"] == 2026
    assert data["population"]["used"] == "estimate"
    assert "903 return" in data["by_age"]
    england = client.get("/api/v1/forecasts/england").json()
    assert england["placement_mix"] == {
        "note": "No share of children by placement is published for the years read."
    }


def test_the_council_page_shows_the_placement_and_uasc_tables(client, stored):
    document = page(client.get("/forecast/202/"))
    table = document.one(id="placement-table")
    assert "Foster placements" in table.text and "Not published" in table.text
    names = [row.one("th").text for row in table.one("tbody").find_all("tr")]
    assert (
        names[0] == "Foster placements" and names[-1] == "Other placements (for example placed for adoption)"
    )
    assert "2030" in table.text
    chart = document.one(id="placement-chart").one("svg")
    assert chart.attrs["role"] == "img"
    assert "Children looked after in Camden at 31 March 2030 by placement type" in chart.one("title").text
    assert (
        "Foster placements:" in chart.one("desc").text
        and "The table gives every year." in chart.one("desc").text
    )
    assert "National Transfer Scheme" in document.text
    assert document.one(id="uasc-table")
    assert "not published in the files the hub reads" in document.one(id="by-age").text
    assert "holds ONS's latest mid-year estimate" in document.one(id="population-used").text


# --------------------------------------------------------------------------------------------------
# Population projections


def test_the_parser_sums_ages_0_to_17_of_persons_or_of_both_sexes(tmp_path):
    parsed = parse(snpp(tmp_path / "p.csv", {"E09000007": 36_000}))
    assert parsed.totals["E09000007"][2022] == 36_000
    assert parsed.totals["E09000007"][2024] == round(36_000 * 1.05**2)
    both = parse(snpp(tmp_path / "s.csv", {"E09000007": 36_000}, sexes=("males", "females")))
    assert both.totals == parsed.totals


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p.write_text("AREA,NAME\n"), "line 1: the columns must start AREA_CODE"),
        (lambda p: snpp(p, {"E09000007": 36_000}, skip_age=7), "no persons rows for age 7"),
        (
            lambda p: snpp(
                p,
                {"E09000007": 36_000},
                extra=[["E09000007", "x", "Population", "persons", "3", "-5", *["1"] * 8]],
            ),
            "line 94, column 2022: '-5' is not a count",
        ),
        (
            lambda p: snpp(
                p, {"E09000007": 36_000}, extra=[["E09000007", "x", "Population", "people", "3", *["1"] * 9]]
            ),
            "line 94, column SEX",
        ),
        (lambda p: snpp(p, {"E09000007": 36_000}, extra=[["E09000007", "x"]]), "line 94: 2 columns"),
        (
            lambda p: snpp(
                p, {"E09000007": 36_000}, extra=[["E09000007", "x", "Population", "persons", "3", *["1"] * 9]]
            ),
            r"line 94: a second persons row for E09000007 aged 3 \(the first is line 5\)",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_line(tmp_path, change, message):
    path = tmp_path / "bad.csv"
    change(path)
    with pytest.raises(ProjectionFileError, match=message):
        parse(path)


def test_loading_replaces_the_files_years_keeps_the_rest_and_is_audited(tmp_path, stored):
    call_command(
        "load-population-projections",
        str(snpp(tmp_path / "a.csv", {"E09000007": 36_000, "E08000035": 170_000, "E07000001": 9_000})),
        "--no-refresh",
        stdout=StringIO(),
    )
    assert PopulationProjection.objects.filter(authority=stored.camden).count() == 9
    entries = LogEntry.objects.filter(content_type__model="populationprojection")
    assert entries.count() == 18 and entries.filter(action=LogEntry.Action.CREATE).count() == 18
    out = StringIO()
    call_command(
        "load-population-projections",
        str(snpp(tmp_path / "b.csv", {"E09000007": 40_000})),
        "--no-refresh",
        "--source",
        "ONS 2022-based SNPP",
        stdout=out,
    )
    assert "9 changed" in out.getvalue()
    assert PopulationProjection.objects.get(authority=stored.camden, year=2022).population_0_17 == 40_000
    assert (
        PopulationProjection.objects.get(authority=stored.leeds, year=2022).population_0_17 == 170_000
    )  # kept
    assert entries.filter(action=LogEntry.Action.UPDATE).count() == 9


def test_a_bad_file_changes_nothing(tmp_path, stored):
    call_command(
        "load-population-projections",
        str(snpp(tmp_path / "a.csv", {"E09000007": 36_000})),
        "--no-refresh",
        stdout=StringIO(),
    )
    before = list(PopulationProjection.objects.values_list("year", "population_0_17"))
    bad = snpp(
        tmp_path / "bad.csv",
        {"E09000007": 50_000},
        extra=[["E09000007", "x", "Population", "persons", "3", "lots", *["1"] * 8]],
    )
    with pytest.raises(CommandError, match="line 94, column 2022.*\nNothing was changed"):
        call_command("load-population-projections", str(bad), stdout=StringIO())
    assert list(PopulationProjection.objects.values_list("year", "population_0_17")) == before


def test_a_councils_forecast_follows_its_loaded_projection(tmp_path, stored, client):
    held = StoredForecast.objects.get(authority=stored.camden, horizon=5).median
    call_command(
        "load-population-projections",
        str(snpp(tmp_path / "a.csv", {"E09000007": 36_000}, growth=1.10)),
        stdout=StringIO(),
    )
    grown = StoredForecast.objects.get(authority=stored.camden, horizon=5).median
    assert grown > held * 1.1
    population = ForecastBasis.objects.get(authority=stored.camden).rates["population"]
    assert population["used"] == "projection" and population["base_year"] == 2024
    # The latest estimate (36,000 in the fixture) grown as the projection grows from mid-2024.
    assert [p["population_0_17"] for p in population["path"]] == pytest.approx(
        [36_000 * 1.1**k for k in range(1, 6)], abs=2
    )
    command = services.forecast("202", simulations=refresh.SIMULATIONS)  # as `slihub forecast --la 202`
    assert command["horizons"][-1]["median"] == pytest.approx(grown)
    assert "follows ONS" not in page(client.get("/forecast/383/")).text
    assert (
        "applying its growth from mid-2024"
        in page(client.get("/forecast/202/")).one(id="population-used").text
    )


def test_the_projected_spending_follows_the_projection_too(tmp_path, settings, published, client):  # noqa: F811
    from slihub.forecast import costs
    from slihub.forecast.models import StoredCost
    from tests.integration.test_forecast_costs import ro3_rows, write_ods

    settings.DATA_DIR = str(tmp_path)
    write_ods(tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_202425", ro3_rows())
    add_shares(published.camden)
    call_command(
        "load-population-projections",
        str(snpp(tmp_path / "a.csv", {"E09000007": 36_000}, growth=1.10)),
        stdout=StringIO(),
    )
    stored_years = StoredCost.objects.get(authority=published.camden).years
    asked = costs.projection("202", simulations=refresh.SIMULATIONS)["years"]
    assert [y["median"] for y in asked] == pytest.approx([y["median"] for y in stored_years])
    document = page(client.get("/forecast/202/"))
    table = document.one(id="placement-spending-table")
    assert [row.one("th").text for row in table.one("tbody").find_all("tr")] == [
        "Fostering",
        "Residential care",
        "Everything else",
    ]


def test_the_placement_backtest_command_scores_each_choice(stored):
    out = StringIO()
    call_command("forecast-mix-backtest", "--simulations", "200", "--json", stdout=out)
    report = json.loads(out.getvalue())
    councils = {(r["method"], r["window"]): r for r in report["councils"]}
    assert set(councils) == {("last", 1), ("mean", 2), ("mean", 3), ("mean", 6), ("trend", 3), ("trend", 6)}
    # Camden's shares are held for 2024 and 2025 only: from 2024, one year ahead, 5 published types.
    assert councils["mean", 2]["outcomes"] == {"1": 5, "2": 0, "3": 0}
    assert councils["last", 1]["mae_points"]["1"] == pytest.approx((7 + 1 + 0 + 0 + 4) / 5)
    text = StringIO()
    call_command("forecast-mix-backtest", "--simulations", "200", stdout=text)
    assert "Every council:" in text.getvalue() and "mean of 2" in text.getvalue()
