"""Early warning: the publication-lag rule, stored scores, the CLI, pages and API against every persona."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from slihub.indicators.models import Indicator, Value
from slihub.warning import explain, services
from slihub.warning.features import snapshot
from slihub.warning.models import BacktestReport, DirectorChange, RiskScore
from slihub.warning.panel import load_panel
from tests.integration.html import heading, page
from tests.integration.warning_fixtures import add_inspection, add_values, build_world, period

AS_OF = date(2024, 6, 1)


@pytest.fixture
def world(places):
    build_world(places)
    return places


def scores_on(day: date) -> dict:
    result = services.score_on(services.Scorer(), day)
    return {
        t: [(s.authority_id, s.probability, s.rank, s.contributions) for s in rows]
        for t, rows in result.items()
    }


# ---------------------------------------------------------------------------------------------- the lag rule


def test_a_score_does_not_change_when_data_published_after_its_date_is_added(world):
    before = scores_on(AS_OF)
    assert before["inadequate"] and before["below_good"]

    # All published after 1 June 2024: the 2024 children in need figures (December 2024), the
    # workforce at September 2024 (February 2025), an inspection whose report came out in July,
    # a visit published in August, and a new director from August.
    add_values(world, 2024, seed=99)
    add_inspection(world.camden, date(2024, 5, 13), "Inadequate", published=date(2024, 7, 4))
    add_inspection(world.leeds, date(2024, 7, 1), "", published=date(2024, 8, 9), kind="focused visit")
    DirectorChange.objects.create(authority=world.bradford, started_on=date(2024, 8, 1))

    assert scores_on(AS_OF) == before


def test_data_published_before_the_date_does_change_the_score(world):
    """The converse, so that the test above could fail: the same additions, seen a year later."""
    before = scores_on(date(2025, 6, 1))
    add_values(world, 2024, seed=99)
    add_inspection(world.camden, date(2024, 5, 13), "Inadequate", published=date(2024, 7, 4))
    assert scores_on(date(2025, 6, 1)) != before


def test_a_figure_is_used_from_its_collections_publication_rule_and_never_an_older_one(world):
    add_values(world, 2024, seed=5)
    panel = load_panel()
    camden = world.camden.id
    # Children in need for the year to March 2024 are used from 1 December 2024.
    assert snapshot(panel, camden, date(2024, 11, 30)).readings["CIN"].year == 2023
    assert snapshot(panel, camden, date(2024, 12, 1)).readings["CIN"].year == 2024
    # The workforce at September 2024 is used from 1 March 2025.
    assert snapshot(panel, camden, date(2025, 2, 28)).readings["Work_Force_Agecy_Rate"].year == 2023
    assert snapshot(panel, camden, date(2025, 3, 1)).readings["Work_Force_Agecy_Rate"].year == 2024
    # An authority without the latest year's figure has none, not last year's.
    Value.objects.filter(authority=world.islington, indicator__code="CIN", period__label="2024").delete()
    later = snapshot(load_panel(), world.islington.id, date(2025, 1, 1))
    assert "CIN" not in later.readings
    assert later.values.get("CIN:gap") is None


def test_spending_per_child_divides_the_years_spend_by_the_child_population_and_waits_for_both(world):
    spend, population = indicator_for("C&YPExpenditure"), indicator_for("dfe:population_0_17")
    for year, (camden_spend, england_spend) in {2023: (80e6, 12e9), 2024: (96e6, 14e9)}.items():
        Value.objects.create(
            indicator=spend, period=period(year), area_type="la", authority=world.camden, value=camden_spend
        )
        Value.objects.create(indicator=spend, period=period(year), area_type="england", value=england_spend)
    for year, (camden_children, england_children) in {2022: (40_000, 12e6), 2023: (38_400, 11.2e6)}.items():
        Value.objects.create(
            indicator=population,
            period=period(year),
            area_type="la",
            authority=world.camden,
            value=camden_children,
        )
        Value.objects.create(
            indicator=population, period=period(year), area_type="england", value=england_children
        )
    panel = load_panel()
    # Spending in the year to March 2023 was published on 25 January 2024 (releases.py): used from the 26th.
    assert "SpendPerChild" not in snapshot(panel, world.camden.id, date(2024, 1, 25)).readings
    assert snapshot(panel, world.camden.id, date(2024, 1, 26)).readings["SpendPerChild"].value == 2000.0
    reading = snapshot(panel, world.camden.id, date(2025, 4, 1)).readings["SpendPerChild"]
    assert (reading.year, reading.value, reading.previous, reading.england) == (2024, 2500.0, 2000.0, 1250.0)
    assert explain._number(reading.value, reading.signal) == "£2,500 per child"


def test_the_previous_inspection_counts_only_once_its_report_is_published(world):
    add_inspection(world.camden, date(2024, 5, 13), "Inadequate", published=date(2024, 7, 4))
    panel = load_panel()
    assert snapshot(panel, world.camden.id, date(2024, 7, 4)).values["prev_inadequate"] == 0.0
    assert snapshot(panel, world.camden.id, date(2024, 7, 5)).values["prev_inadequate"] == 1.0


# ---------------------------------------------------------------------------------------------- stored scores


def test_refresh_stores_every_month_for_every_authority_with_ranks_and_reasons(world):
    count = services.refresh_scores(through=date(2024, 3, 15))
    months = RiskScore.objects.values_list("month", flat=True).distinct()
    assert all(m.day == 1 for m in months)
    latest = RiskScore.objects.filter(month=date(2024, 3, 1), target="inadequate").order_by("rank")
    # Cumbria ended in 2023 and Cumberland began then: six authorities existed in March 2024.
    assert [s.rank for s in latest] == [1, 2, 3, 4, 5, 6]
    assert list(latest.values_list("probability", flat=True)) == sorted(
        latest.values_list("probability", flat=True), reverse=True
    )
    assert latest[0].signals and {"feature", "label", "contribution", "text"} <= set(latest[0].signals[0])
    assert count == RiskScore.objects.count()
    # Refreshing again replaces, never duplicates.
    assert services.refresh_scores(through=date(2024, 3, 15)) == count


def test_next_years_dfe_release_counts_once_imported_and_the_scores_are_recomputed(world, tmp_path):
    """LAIT stops at 2023 here; DfE's tidy children in need file for 2024 brings re-referrals."""
    month = date(2025, 1, 1)
    services.refresh_scores(first=month, through=month)
    before = {s.authority_id: s.probability for s in RiskScore.objects.filter(month=month)}
    rows = [tidy_row("National", "", "", 22)] + [
        tidy_row("Local authority", a.code, (a.region.parent or a.region).code, 20 + 4 * i)
        for i, a in enumerate(
            [world.camden, world.islington, world.leeds, world.bradford, world.north_yorkshire]
        )
    ]
    path = tmp_path / "c1_referrals.csv"
    path.write_text("\n".join([TIDY_HEADER, *rows]) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("import-indicators", str(path), "--mapping", "cin_referrals", stdout=out)
    assert "Early-warning risk scores" in out.getvalue()
    reading = snapshot(load_panel(), world.leeds.id, month).readings["ReReferral"]
    assert (reading.year, reading.value) == (2024, 28.0)
    after = {s.authority_id: s.probability for s in RiskScore.objects.filter(month=month)}
    assert after.keys() == before.keys() and after != before


def indicator_for(code: str) -> Indicator:
    return Indicator.objects.create(
        code=code, slug=code.lower().replace("&", "").replace(":", "-"), source="lait", name=code
    )


TIDY_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent,"
    "no_further_action_percent"
)


def tidy_row(level, code, region, percent):
    place = f"{level},E92000001,England,{region},,{code},,"
    return f"2024,Reporting year,{place},Referrals and Re-referrals,100,10,{percent},5"


# ---------------------------------------------------------------------------------------------- the CLI


def run(*args) -> str:
    out = StringIO()
    call_command("warning", *args, stdout=out)
    return out.getvalue()


def test_score_as_of_prints_json_with_each_authoritys_risks_and_signals(world):
    data = json.loads(run("score", "--as-of", "2024-06-01", "--json"))
    assert data["as_of"] == "2024-06-01"
    assert data["models"]["inadequate"]["inspections"] == 25
    first = data["authorities"][0]
    assert first["inadequate"]["rank"] == 1 and 0 < first["inadequate"]["probability"] < 1
    assert "below_good" in first and first["signals"]


def test_score_refuses_a_date_that_is_not_one(world):
    with pytest.raises(CommandError, match="YYYY-MM-DD") as raised:
        run("score", "--as-of", "2024-13-01")
    assert raised.value.returncode == 2


def test_backtest_prints_the_model_and_both_baselines_with_council_intervals_for_each_split(world):
    data = json.loads(run("backtest", "--json", "--resamples", "100"))
    for target in ("inadequate", "below_good"):
        for split in ("rolling", "leave_one_year_out"):
            result = data["targets"][target][split]
            assert result["inspections"] >= result["positives"]
            if not result["evaluated"]:
                continue
            for who in services.PREDICTORS:
                assert {"roc_auc", "pr_auc", "brier", "precision_top", "recall_top", "intervals"} <= set(
                    result[who]
                )
                assert {"calibration_slope", "calibration_intercept"} <= set(result[who])
            # the model's difference from each baseline, with its own interval from the same resamples
            assert set(result["differences"]) == {"previous_grade", "points"}
            roc = result["differences"]["points"]["roc_auc"]["difference"]
            assert roc == pytest.approx(result["model"]["roc_auc"] - result["points"]["roc_auc"])
            assert sum(row["n"] for row in result["reliability"]) == result["inspections"]
            assert sum(y["inspections"] for y in result["yearly"]) == result["inspections"]
    assert {a["metric"] for a in data["aims"]} == {"roc_auc", "pr_auc", "calibration_slope", "yearly_mean"}
    assert set(data["choices"]) == {"inadequate", "below_good"}
    assert BacktestReport.objects.count() == 1


# ---------------------------------------------------------------------------------------------- who sees what

OK, FORBIDDEN, SIGN_IN = 200, 403, 302
PAGES = {
    "/warning/": {
        "anonymous": SIGN_IN,
        "camden_analyst": OK,
        "leeds_admin": OK,
        "london_coordinator": OK,
        "national_admin": OK,
    },
    "/warning/authorities/202/": {
        "anonymous": SIGN_IN,
        "camden_analyst": OK,
        "leeds_admin": FORBIDDEN,
        "london_coordinator": OK,
        "national_admin": OK,
    },
    "/warning/authorities/383/": {
        "anonymous": SIGN_IN,
        "camden_analyst": FORBIDDEN,
        "leeds_admin": OK,
        "london_coordinator": FORBIDDEN,
        "national_admin": OK,
    },
    "/warning/backtest/": {
        "anonymous": SIGN_IN,
        "camden_analyst": FORBIDDEN,
        "leeds_admin": FORBIDDEN,
        "london_coordinator": FORBIDDEN,
        "national_admin": OK,
    },
    "/warning/directors/": {
        "anonymous": SIGN_IN,
        "camden_analyst": FORBIDDEN,
        "leeds_admin": FORBIDDEN,
        "london_coordinator": FORBIDDEN,
        "national_admin": OK,
    },
}
API = {
    "/api/v1/warning/scores": {
        "anonymous": 401,
        "camden_analyst": 200,
        "leeds_admin": 200,
        "london_coordinator": 200,
        "national_admin": 200,
    },
    "/api/v1/authorities/202/risk": {
        "anonymous": 401,
        "camden_analyst": 200,
        "leeds_admin": 403,
        "london_coordinator": 200,
        "national_admin": 200,
    },
    "/api/v1/authorities/383/risk": {
        "anonymous": 401,
        "camden_analyst": 403,
        "leeds_admin": 200,
        "london_coordinator": 403,
        "national_admin": 200,
    },
}


@pytest.fixture
def scored(world):
    services.refresh_scores(first=date(2024, 1, 1), through=date(2024, 3, 1))
    return world


@pytest.mark.parametrize(("path", "persona"), [(p, who) for p, by in PAGES.items() for who in by])
def test_each_page_is_open_only_to_those_who_may_see_it(scored, as_persona, path, persona):
    response = as_persona(persona).get(path)
    assert response.status_code == PAGES[path][persona]
    if response.status_code == SIGN_IN:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("path", "persona"), [(p, who) for p, by in API.items() for who in by])
def test_each_api_route_is_open_only_to_those_who_may_see_it(scored, as_persona, path, persona):
    response = as_persona(persona).get(path)
    assert response.status_code == API[path][persona]
    if response.status_code != 200:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("camden_analyst", {"202"}),
        ("leeds_admin", {"383"}),
        ("london_coordinator", {"202", "206"}),
        ("national_admin", {"202", "206", "383", "380", "815", "942"}),
    ],
)
def test_the_watchlist_holds_exactly_the_authorities_in_the_users_scope(
    scored, as_persona, persona, expected
):
    body = as_persona(persona).get("/api/v1/warning/scores").json()
    assert {item["la"] for item in body["items"]} == expected
    assert all(i["inspection_soon"] is None or 0 <= i["inspection_soon"] <= 1 for i in body["items"])
    document = page(as_persona(persona).get("/warning/"))
    assert len(document.one("table", id="watchlist").one("tbody").find_all("tr")) == len(expected)


def test_the_authority_page_explains_the_risk_and_offers_an_action_to_those_who_may_ask(scored, as_persona):
    document = page(as_persona("london_coordinator").get("/warning/authorities/202/"))
    assert heading(document) == "Risk of a poor next inspection"
    assert document.one(id="risk-inadequate").text.endswith("%")
    assert document.one("table", id="trend").one("tbody").find_all("tr")
    explained = document.one(id="raising").find_all("li") + document.one(id="lowering").find_all("li")
    assert explained
    # A council member who is not an admin reads the same page but cannot raise a request from it.
    member = page(as_persona("camden_analyst").get("/warning/authorities/202/"))
    assert member.find(id="ask-for-help") is None


# ---------------------------------------------------------------------------------------------- directors


def started(day, month, year) -> dict:
    """The start date as typed into GOV.UK's day, month and year boxes."""
    return {"started_on-day": day, "started_on-month": month, "started_on-year": year}


def test_a_national_admin_records_a_change_of_director(scored, as_persona):
    client = as_persona("national_admin")
    response = client.post(
        "/warning/directors/", {"authority": "202", **started("1", "9", "2023"), "name": "A Person"}
    )
    assert response.status_code == 302
    change = DirectorChange.objects.get()
    assert (change.authority.code, change.started_on, change.name) == ("202", date(2023, 9, 1), "A Person")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"authority": "202", **started("", "", "")}, "Enter the date the new director started"),
        (
            {"authority": "202", **started("31", "2", "2024")},
            "Date the new director started must be a real date",
        ),
        (
            {"authority": "202", **started("1", "", "2024")},
            "Date the new director started must include a month",
        ),
        (
            {"authority": "202", **started("1", "1", "2999")},
            "Date the new director started must be today or in the past",
        ),
        ({"authority": "", **started("1", "1", "2024")}, "Choose the council"),
    ],
)
def test_a_bad_change_of_director_is_refused_with_an_error_summary_and_nothing_stored(
    scored, as_persona, data, message
):
    response = as_persona("national_admin").post("/warning/directors/", data)
    assert response.status_code == 200
    document = page(response)
    assert message in document.one(class_="govuk-error-summary").text
    assert document.one("title").text.startswith("Error:")
    assert not DirectorChange.objects.exists()


def test_a_change_of_director_on_the_same_day_twice_is_refused(scored, as_persona):
    client = as_persona("national_admin")
    client.post("/warning/directors/", {"authority": "202", **started("1", "9", "2023")})
    response = client.post("/warning/directors/", {"authority": "202", **started("1", "9", "2023")})
    assert "already recorded" in page(response).one(class_="govuk-error-summary").text
    assert DirectorChange.objects.count() == 1


def test_a_change_of_director_feeds_the_model_from_its_date(world):
    DirectorChange.objects.create(authority=world.camden, started_on=date(2023, 9, 1))
    panel = load_panel()
    assert snapshot(panel, world.camden.id, date(2023, 8, 31)).values["director_change_12m"] == 0.0
    assert snapshot(panel, world.camden.id, date(2023, 9, 1)).values["director_change_12m"] == 1.0
    assert snapshot(panel, world.camden.id, date(2024, 9, 2)).values["director_change_12m"] == 0.0
