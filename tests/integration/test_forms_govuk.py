"""GOV.UK form patterns on real pages: the date input on the "Ask for help" form, a help request dated in
the past refused, character counts, "(optional)" once, and the cost calculator's error summary."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from slihub.evidence.models import Synthesis
from slihub.exchange.models import HelpRequest
from tests.integration.html import page
from tests.integration.test_bad_input import library  # noqa: F401 (a fixture)
from tests.integration.test_forecast_budget import stored  # noqa: F401 (a fixture)
from tests.integration.test_forecast_costs import data_dir, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ASK = "/exchange/councils/383/ask/"
BCG = "/evidence/bcg-vaccine-against-tuberculosis-reference-dataset/"


def dated(name, day) -> dict:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def ask(start, end) -> dict:
    return {
        "title": "Our front door",
        "expertise_needed": ["front_door_mash"],
        "description": "Re-referrals are rising.",
        "days_per_week": "2",
        "mode": "on_site",
        "urgency": "3",
        **dated("start", start),
        **dated("end", end),
    }


def summary_links(response) -> dict[str, str]:
    summary = page(response).one(class_="govuk-error-summary")
    return {a.attrs["href"]: a.text.strip() for a in summary.find_all("a")}


def test_the_ask_for_help_form_has_govuk_date_inputs_and_no_date_picker(as_persona, places):
    response = as_persona("leeds_admin").get(ASK)
    html = response.content.decode()
    assert 'type="date"' not in html
    document = page(response)
    for name in ("start", "end"):
        for part in ("day", "month", "year"):
            box = document.one("input", id=f"id_{name}-{part}")
            assert box.attrs["name"] == f"{name}-{part}" and box.attrs["inputmode"] == "numeric"
    legends = [legend.text for legend in document.find_all("legend")]
    assert "Start date" in legends and "End date" in legends


def test_a_help_request_starting_in_the_past_is_refused_and_nothing_is_saved(as_persona, places):
    today = timezone.localdate()
    response = as_persona("leeds_admin").post(ASK, ask(today - timedelta(days=1), today + timedelta(days=30)))
    assert response.status_code in (200, 400)
    assert summary_links(response) == {"#id_start-day": "Start date must be today or in the future"}
    assert not HelpRequest.objects.exists()
    # The boxes keep what was typed.
    assert page(response).one("input", id="id_start-year").attrs["value"] == str(
        (today - timedelta(days=1)).year
    )


def test_a_help_request_starting_today_is_taken(as_persona, places):
    today = timezone.localdate()
    response = as_persona("leeds_admin").post(ASK, ask(today, today + timedelta(days=30)))
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert (request.start, request.end) == (today, today + timedelta(days=30))


def test_a_missing_month_and_an_impossible_date_are_worded_as_govuk_does(as_persona, places):
    today = timezone.localdate()
    form = ask(today, today) | {"start-month": "", "end-day": "31", "end-month": "2"}
    response = as_persona("leeds_admin").post(ASK, form)
    assert summary_links(response) == {
        "#id_start-month": "Start date must include a month",
        "#id_end-day": "End date must be a real date",
    }
    month = page(response).one("input", id="id_start-month")
    assert "govuk-input--error" in month.attrs["class"]
    assert "govuk-input--error" not in page(response).one("input", id="id_start-day").attrs["class"]


def test_a_too_long_title_is_refused_in_govuk_words_with_a_character_count(as_persona, places):
    today = timezone.localdate()
    response = as_persona("leeds_admin").post(ASK, ask(today, today) | {"title": "x" * 250})
    assert summary_links(response) == {"#id_title": "The problem must be 200 characters or less"}
    document = page(response)
    group = document.one(class_="govuk-character-count", **{"data-maxlength": "200"})
    assert group.attrs["data-module"] == "govuk-character-count"
    assert group.find(id="id_title-info") is not None
    assert "maxlength" not in document.one("input", id="id_title").attrs
    assert not HelpRequest.objects.exists()


def test_optional_appears_once_per_label(as_persona, places):
    document = page(as_persona("leeds_admin").get(ASK))
    for label in document.find_all("label") + document.find_all("legend"):
        assert label.text.count("(optional)") <= 1, label.text
    partner = document.one("label", **{"for": "id_partner"})
    assert partner.text == "Ask a particular council (optional)"


def test_the_cost_calculator_refuses_a_negative_cohort_with_an_error_summary(client, library):  # noqa: F811
    synthesis = Synthesis.objects.get(practice__slug=BCG.strip("/").split("/")[-1])
    response = client.get(BCG, {"cohort": "-5", "unit_cost": "850", "baseline": "30"})
    assert response.status_code == 400
    assert summary_links(response) == {f"#cohort-{synthesis.pk}": "Children in your cohort must be 1 or more"}
    assert page(response).find("title").text.startswith("Error:")  # the page's own, before any chart's
    assert "Total cost" not in page(response).one("main").text


def test_the_compare_page_refuses_a_negative_cohort_in_the_same_words(client, library):  # noqa: F811
    synthesis = Synthesis.objects.get(practice__slug=BCG.strip("/").split("/")[-1])
    response = client.get("/evidence/compare/", {"outcome": synthesis.outcome.slug, "cohort": "-5"})
    assert response.status_code == 400
    assert (
        "Children in your cohort must be 1 or more" in page(response).one(class_="govuk-error-summary").text
    )


def test_the_forecast_cost_form_shows_an_error_summary(stored, as_persona):  # noqa: F811
    response = as_persona("camden_analyst").get("/forecast/202/", {"inflation": "500"})
    document = page(response)
    links = summary_links(response)
    assert list(links) == ["#inflation"] and "50" in links["#inflation"]
    assert document.find("title").text.startswith("Error:")
    assert document.one(id="inflation-error") is not None


def test_every_date_on_the_loan_page_is_a_govuk_date_input_and_a_delivery_is_recorded(
    places, leeds_admin, as_persona
):
    from slihub.exchange.models import LedgerTransaction
    from tests.integration import exchange_helpers as ex

    camden_admin = ex.camden_admin(places)
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    response = as_persona("leeds_admin").get(f"/exchange/loans/{loan.pk}/")
    assert 'type="date"' not in response.content.decode()
    legends = {legend.text for legend in page(response).find_all("legend")}
    assert {"Date delivered", "Last day of the loan", "New end date"} <= legends
    lender = as_persona("anonymous")
    lender.force_login(camden_admin)
    legends = {legend.text for legend in page(lender.get(f"/exchange/loans/{loan.pk}/")).find_all("legend")}
    assert {"Acting up from", "Acting up until"} <= legends  # the lender records its backfill
    response = as_persona("leeds_admin").post(
        f"/exchange/loans/{loan.pk}/deliver/",
        {"delivery-days": "2", "delivery-on-day": "14", "delivery-on-month": "1", "delivery-on-year": "2030"},
    )
    assert response.status_code == 302, page(response).find(class_="govuk-error-summary")
    assert LedgerTransaction.objects.get(loan=loan).on == date(2030, 1, 14)
