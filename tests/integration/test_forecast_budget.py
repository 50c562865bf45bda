"""A council's budget for children looked after, and the gap between it and the projected spending:
private to the council (its admins and director enter it; its members see it), its region's alliance
coordinators and national admins. Every persona against the council page, the budget form and the API."""

import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from slihub.forecast import budgets, refresh
from slihub.forecast.models import Budget, StoredCost
from slihub.forecast.spend_pages import pounds
from tests.integration.html import page
from tests.integration.test_forecast_costs import data_dir, world  # noqa: F401 - fixtures

SIMULATIONS = 200
COUNCIL_PAGE = "/forecast/202/"
FORM = "/forecast/202/budget/"
API = "/api/v1/forecasts/202/budget"
pytestmark = pytest.mark.django_db

# Who sees Camden's budget (on its forecast page and from the API), and who may enter it.
SEES = {
    "anonymous": False,
    "camden_analyst": True,  # a Camden council member
    "leeds_admin": False,  # another council's admin
    "london_coordinator": True,  # Camden's region's alliance coordinator
    "national_admin": True,
    "evidence_editor": False,
    "no_membership": False,
    "camden_chief_executive": False,  # a leader, not a council member: the budget is the council staff's
    "camden_director": True,
}
ENTERS = {name: name == "camden_director" for name in SEES}
PERSONAS = list(SEES)


@pytest.fixture
def stored(world, camden_director, people):  # noqa: F811
    refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    return world


@pytest.fixture
def with_budget(stored, camden_director):
    Budget.objects.create(
        authority=stored.camden, year_end=2026, amount=30_000_000, entered_by=camden_director
    )
    return stored


# ---------------------------------------------------------------------------------------------------
# The council's forecast page


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_council_page_shows_the_budget_and_gap_only_to_those_who_may_see_it(
    persona, with_budget, as_persona
):
    response = as_persona(persona).get(COUNCIL_PAGE)
    assert response.status_code == 200
    table = page(response).one(id="spend-table").text
    assert ("£30.0m" in table and "Gap" in table) is SEES[persona]
    link = page(response).find("a", href=FORM)
    assert (link is not None) is ENTERS[persona]
    if SEES[persona]:
        assert "private" in response["Cache-Control"]


def test_the_page_with_a_budget_is_never_served_from_the_shared_cache(
    with_budget, as_persona, settings, client
):
    settings.PAGE_CACHE = True
    assert client.get(COUNCIL_PAGE)["X-Page-Cache"] == "miss"
    assert client.get(COUNCIL_PAGE)["X-Page-Cache"] == "hit"
    assert "£30.0m" not in page(client.get(COUNCIL_PAGE)).one(id="spend-table").text
    director = as_persona("camden_director")
    response = director.get(COUNCIL_PAGE)
    assert "X-Page-Cache" not in response and "£30.0m" in page(response).one(id="spend-table").text
    director.logout()
    assert "£30.0m" not in page(client.get(COUNCIL_PAGE)).one(id="spend-table").text


def test_the_gap_is_projected_spending_minus_the_budget_with_its_range(with_budget, as_persona):
    cost = StoredCost.objects.get(authority=with_budget.camden)
    first = next(y for y in cost.years if y["year_end"] == 2026)
    row = (
        page(as_persona("camden_analyst").get(COUNCIL_PAGE))
        .one(id="spend-table")
        .one("tbody")
        .find_all("tr")[0]
    )
    cells = [c.text for c in row.find_all("td")]
    assert cells[3] == "£30.0m"
    assert cells[4] == pounds(first["median"] - 30_000_000)
    assert cells[5] == f"{pounds(first['p10'] - 30_000_000)} to {pounds(first['p90'] - 30_000_000)}"
    inflated = page(as_persona("camden_analyst").get(COUNCIL_PAGE + "?inflation=10")).one(id="spend-table")
    factor = 1.1 ** (2026 - 2025)
    assert pounds(first["median"] * factor - 30_000_000) in inflated.text


# ---------------------------------------------------------------------------------------------------
# The budget form


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_budget_form_is_for_the_councils_admins_and_director_only(persona, stored, as_persona):
    client = as_persona(persona)
    got = client.get(FORM)
    posted = client.post(FORM, {"budget_2026": "£36,500,000"})
    if persona == "anonymous":
        assert got.status_code == 302 and got["Location"].startswith(reverse("login"))
        assert posted.status_code == 302 and posted["Location"].startswith(reverse("login"))
    elif ENTERS[persona]:
        assert got.status_code == 200 and "Budget for 2025-26" in page(got).text
        assert posted.status_code == 302 and posted["Location"] == COUNCIL_PAGE
    else:
        assert got.status_code == 403 and posted.status_code == 403
    saved = list(Budget.objects.values_list("year_end", "amount"))
    assert saved == ([(2026, 36_500_000)] if ENTERS[persona] else [])


def test_a_bad_amount_is_refused_with_a_govuk_error_summary_and_nothing_saved(stored, as_persona):
    response = as_persona("camden_director").post(FORM, {"budget_2026": "lots", "budget_2027": "36.5m"})
    assert response.status_code == 200
    document = page(response)
    summary = document.one(class_="govuk-error-summary")
    assert "is not one" in summary.text and summary.one("a").attrs["href"] == "#id_budget_2026"
    assert "govuk-input--error" in document.one(id="id_budget_2026").attrs["class"]
    assert not Budget.objects.exists()


def test_saving_again_changes_or_removes_a_year_and_each_write_is_audited(stored, as_persona):
    director = as_persona("camden_director")
    director.post(FORM, {"budget_2026": "36.5m", "budget_2027": "£40,000,000"})
    assert page(director.get(FORM)).one(id="id_budget_2026").attrs["value"] == "£36,500,000"
    director.post(FORM, {"budget_2026": "", "budget_2027": "41m"})
    assert list(Budget.objects.values_list("year_end", "amount")) == [(2027, 41_000_000)]
    assert LogEntry.objects.get_for_model(Budget).count() == 4  # two created, one changed, one deleted


# ---------------------------------------------------------------------------------------------------
# Amounts


@pytest.mark.parametrize(
    "given, pounds_",
    [
        ("£36,500,000", 36_500_000),
        ("36500000", 36_500_000),
        ("36.5m", 36_500_000),
        ("£36.5 million", 36_500_000),
        ("36,500k", 36_500_000),
        ("£1.2bn", 1_200_000_000),
        ("  £ 36,500,000 ", 36_500_000),
        ("36.5M", 36_500_000),
    ],
)
def test_amounts_are_read_in_pounds(given, pounds_):
    assert budgets.parse_amount(given) == pounds_


@pytest.mark.parametrize(
    "given, reason",
    [
        ("", "Enter the budget"),
        ("lots", "is not one"),
        ("-5,000,000", "cannot be negative"),
        ("0", "more than £0"),
        ("1,23,456", "commas"),
        ("36.5.5m", "is not one"),
        ("1000.50", "whole pounds"),
        ("20bn", "£10bn"),
        ("3６m", "digits 0 to 9"),
        ("36.5 millions", "is not one"),
        ("36\x00m", "control characters"),
        ("1" * 40, "Enter the budget"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(given, reason):
    with pytest.raises(ValidationError, match=reason):
        budgets.parse_amount(given)


# ---------------------------------------------------------------------------------------------------
# The API


API_GET = {
    "anonymous": 401,
    "camden_analyst": 200,
    "leeds_admin": 403,
    "london_coordinator": 200,
    "national_admin": 200,
    "evidence_editor": 403,
    "no_membership": 403,
    "camden_chief_executive": 403,
    "camden_director": 200,
}
API_PUT = {name: 401 if name == "anonymous" else 200 if ENTERS[name] else 403 for name in PERSONAS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_budget_api_answers_each_persona(persona, with_budget, as_persona):
    client = as_persona(persona)
    got = client.get(API)
    assert got.status_code == API_GET[persona]
    if got.status_code == 200:
        body = got.json()
        assert body["may_edit"] is ENTERS[persona]
        assert body["years"][0]["budget"] == 30_000_000 and body["prices"] == "2024-25 prices"
    else:
        assert got.json()["detail"]
    put = client.put(API, json.dumps({"budgets": {"2027": "36.5m"}}), content_type="application/json")
    assert put.status_code == API_PUT[persona]
    if put.status_code != 200:
        assert put.json()["detail"]
    stored = Budget.objects.filter(year_end=2027).values_list("amount", flat=True)
    assert list(stored) == ([36_500_000] if ENTERS[persona] else [])


def test_the_api_gives_the_gap_as_projected_spending_minus_the_budget(with_budget, as_persona):
    cost = StoredCost.objects.get(authority=with_budget.camden)
    first = next(y for y in cost.years if y["year_end"] == 2026)
    year = as_persona("camden_analyst").get(API).json()["years"][0]
    assert year["year_end"] == 2026 and year["projected_median"] == pytest.approx(first["median"])
    assert year["gap_median"] == pytest.approx(first["median"] - 30_000_000)
    assert year["gap_interval_80"] == pytest.approx([first["p10"] - 30_000_000, first["p90"] - 30_000_000])
    assert all(y["gap_median"] is None for y in as_persona("camden_analyst").get(API).json()["years"][1:])


@pytest.mark.parametrize(
    "body, status, reason",
    [
        ({"budgets": {"2027": "lots"}}, 400, "2027: Enter the budget as an amount"),
        ({"budgets": {"2027": -5}}, 400, "cannot be negative"),
        ({"budgets": {"1999": 1000}}, 400, "financial years ending 31 March 2026 to 2030"),
        ({"budgets": {"soon": 1000}}, 422, "budgets"),
        ({"nothing": 1}, 422, "budgets"),
    ],
)
def test_the_api_refuses_a_bad_budget_with_the_reason(body, status, reason, stored, as_persona):
    response = as_persona("camden_director").put(API, json.dumps(body), content_type="application/json")
    assert response.status_code == status and reason in response.json()["detail"]
    assert not Budget.objects.exists()


def test_the_api_removes_a_year_given_null_and_answers_404_for_an_unknown_council(with_budget, as_persona):
    director = as_persona("camden_director")
    director.put(API, json.dumps({"budgets": {"2026": None}}), content_type="application/json")
    assert not Budget.objects.exists()
    assert director.get("/api/v1/forecasts/999/budget").status_code == 404


def test_without_costs_the_director_still_finds_the_budget_form(world, data_dir, camden_director, as_persona):  # noqa: F811
    (data_dir / "RO3_LA_Data_2024-25_data_by_LA.ods").unlink()
    refresh.refresh_forecasts(simulations=SIMULATIONS, backtest=False)
    document = page(as_persona("camden_director").get(COUNCIL_PAGE))
    assert "not been worked out" in document.one(id="cost").text
    assert document.find("a", href=FORM) is not None
