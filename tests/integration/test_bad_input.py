"""Bad input answers a clear error on the field, never a 500, and nothing is stored.

The outside probe's findings, each a test: a number with 4,301 digits or in superscript digits, a NUL byte
in a form and in the API, control characters in free text. Run on PostgreSQL too (DATABASE_URL), where a
NUL reaching the database is an error rather than stored text.
"""

import json

import pytest

from slihub.accounts.models import Contact, Membership, Role
from slihub.evidence.models import LocalPractice
from slihub.exchange.models import HelpRequest, LedgerTransaction
from slihub.govuk import has_control_characters, has_other_digits, number_error, whole_number
from tests.integration import exchange_helpers
from tests.integration.html import page
from tests.integration.test_evidence_local_practice import FORM, SUBMIT, member

pytestmark = pytest.mark.django_db

HUGE = "9" * 4301
NUL = "\x00"


def summary_links(response) -> dict[str, str]:
    """The error summary's links: {href: message}."""
    summary = page(response).one(class_="govuk-error-summary")
    return {a.attrs["href"]: a.text.strip() for a in summary.find_all("a")}


# ---------------------------------------------------------------- the rules themselves


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("plain words", False),
        ("tab\tnewline\ncarriage return\r", False),
        ("café – “quoted” ²", False),
        ("a\x00b", True),
        ("bell\x07", True),
        ("escape\x1b[31m", True),
        ("delete\x7f", True),
        ("next line\x85", True),  # C1
        ("lone surrogate \ud800", True),
    ],
)
def test_control_characters_are_those_no_one_means_to_type(text, bad):
    assert has_control_characters(text) is bad


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024", 2024),
        (" 2024 ", 2024),
        ("²⁰²⁴", None),
        ("٢٠٢٤", None),
        ("２０２４", None),
        (HUGE, None),
        ("", None),
    ],
)
def test_a_whole_number_is_read_in_the_digits_0_to_9_only_and_never_raises(typed, expected):
    assert whole_number(typed, digits=4) == expected


def test_other_digits_are_found_whatever_the_script():
    assert [has_other_digits(t) for t in ("2024", "²", "٣", "½", "Ⅻ", "x")] == [
        False,
        True,
        True,
        True,
        True,
        False,
    ]


def test_a_number_longer_than_any_field_needs_is_refused_before_it_is_read():
    assert number_error("Days", HUGE, invalid="Enter a number") == "Enter a number"
    assert number_error("Days", "1e999999", invalid="Enter a number") == "Enter a number"
    assert number_error("Days", "²", invalid="Enter a number") == "Enter days using only the digits 0 to 9"
    assert number_error("Days", "2.5", invalid="Enter a number") is None


# ---------------------------------------------------------------- the local practice form (the probe's case)


@pytest.fixture
def member_client(as_persona, places):
    return as_persona("camden_analyst")


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (HUGE, "Enter the year as four digits, like 2024"),
        ("9" * 5000, "Enter the year as four digits, like 2024"),
        ("²⁰²⁴", "Enter year the cost applies to using only the digits 0 to 9"),
        ("٢٠٢٤", "Enter year the cost applies to using only the digits 0 to 9"),
        ("２０２４", "Enter year the cost applies to using only the digits 0 to 9"),
        ("20 24", "Enter the year as four digits, like 2024"),
    ],
)
def test_the_local_practice_form_refuses_an_implausible_year_on_the_field(
    member_client, places, year, message
):
    response = member_client.post(SUBMIT, {**FORM, "authority": places.camden.pk, "cost_year": year})
    assert response.status_code == 400
    assert summary_links(response) == {"#cost_year": message}
    assert page(response).one(id="cost_year-error").text.strip() == f"Error: {message}"
    assert not LocalPractice.objects.exists()


@pytest.mark.parametrize("cost", ["9" * 4301, "£1e9999", "١٢٥٠"])
def test_the_local_practice_form_refuses_an_implausible_cost(member_client, places, cost):
    response = member_client.post(SUBMIT, {**FORM, "authority": places.camden.pk, "cost_per_child": cost})
    assert response.status_code == 400
    assert list(summary_links(response)) == ["#cost_per_child"]
    assert not LocalPractice.objects.exists()


@pytest.mark.parametrize(
    ("field", "label"),
    [("title", "Title"), ("summary", "What was done"), ("comparison", "The comparison group")],
)
@pytest.mark.parametrize("character", [NUL, "\x07", "\x1b", "\x7f", "\x9b"])
def test_the_local_practice_form_refuses_control_characters_in_free_text(
    member_client, places, field, label, character
):
    response = member_client.post(
        SUBMIT, {**FORM, "authority": places.camden.pk, field: f"Family{character} conferences"}
    )
    assert response.status_code == 400
    assert summary_links(response) == {
        f"#{field}": f"{label} must not include control characters, such as a null character"
    }
    assert not LocalPractice.objects.exists()


def test_tabs_and_new_lines_are_kept_in_free_text(member_client, places):
    text = "First line\r\nSecond line\twith a tab"
    response = member_client.post(SUBMIT, {**FORM, "authority": places.camden.pk, "summary": text})
    assert response.status_code == 302
    assert LocalPractice.objects.get().summary == text


def test_a_peer_validators_reasons_with_a_nul_are_refused(as_persona, places, people):
    client = as_persona("camden_analyst")
    client.post(SUBMIT, {**FORM, "authority": places.camden.pk})
    practice = LocalPractice.objects.get()
    bradford = member("bradford.member", Role.COUNCIL_MEMBER, places.bradford)
    client.force_login(people["london_coordinator"])
    chosen = [Membership.objects.get(user=people["leeds_admin"]).pk, Membership.objects.get(user=bradford).pk]
    assign = f"/evidence/local/{practice.pk}/assign/"
    assert client.post(assign, {"validator_1": chosen[0], "validator_2": chosen[1]}).status_code == 302
    client.force_login(people["leeds_admin"])
    response = client.post(
        f"/evidence/local/{practice.pk}/", {"decision": "approve", "comment": f"Sound{NUL}"}
    )
    assert response.status_code == 400
    assert "must not include control characters" in page(response).one(class_="govuk-error-summary").text
    assert practice.validations.get(validator=people["leeds_admin"]).decision == ""


def test_choosing_a_validator_in_superscript_digits_is_an_error_not_a_500(as_persona, places, people):
    client = as_persona("camden_analyst")
    client.post(SUBMIT, {**FORM, "authority": places.camden.pk})
    practice = LocalPractice.objects.get()
    client.force_login(people["london_coordinator"])
    response = client.post(f"/evidence/local/{practice.pk}/assign/", {"validator_1": "²", "validator_2": "٣"})
    assert response.status_code == 400
    assert "from the list" in page(response).one(class_="govuk-error-summary").text


# ---------------------------------------------------------------- every GOV.UK form, through the one mixin


@pytest.fixture
def camden_admin_client(client, places):
    client.force_login(exchange_helpers.camden_admin(places))
    return client


def test_the_redeem_form_refuses_4301_digits_and_a_nul_memo_on_their_fields(camden_admin_client, places):
    response = camden_admin_client.post(
        "/exchange/ledger/202/redeem/", {"redeem-days": HUGE, "redeem-memo": f"Review{NUL}"}
    )
    assert response.status_code == 400
    assert summary_links(response) == {
        "#id_redeem-days": "Enter the days to redeem as a number, like 2 or 2.5",
        "#id_redeem-memo": "What the credit is redeemed for must not include control characters, "
        "such as a null character",
    }
    assert not LedgerTransaction.objects.exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("days_per_week", "²", "Enter days a week using only the digits 0 to 9"),
        ("days_per_week", "٢", "Enter days a week using only the digits 0 to 9"),
        ("days_per_week", HUGE, "Days a week must be 5 or less"),
        ("days_per_week", "1e99999", "Enter the days a week as a number, like 2 or 2.5"),
        (
            "title",
            f"Front door{NUL}",
            "The problem must not include control characters, such as a null character",
        ),
        (
            "description",
            "Help\x1b[2J",
            "Description must not include control characters, such as a null character",
        ),
        (
            "start",
            f"2030-01-07{NUL}",
            "Start date must not include control characters, such as a null character",
        ),
        (
            "partner",
            f"383{NUL}",
            "Ask a particular council must not include control characters, such as a null character",
        ),
    ],
)
def test_the_ask_for_help_form_refuses_bad_input_on_the_field(as_persona, places, field, typed, message):
    form = {
        "title": "Our front door",
        "expertise_needed": ["front_door_mash"],
        "description": "Re-referrals are rising.",
        "start": "2030-01-07",
        "end": "2030-05-06",
        "days_per_week": "2",
        "mode": "on_site",
        "urgency": "3",
    }
    response = as_persona("leeds_admin").post("/exchange/councils/383/ask/", {**form, field: typed})
    assert response.status_code in (200, 400)  # the form again, with the error
    target = f"#id_{field}-day" if field in ("start", "end") else f"#id_{field}"  # a date's first box
    assert summary_links(response) == {target: message}
    assert not HelpRequest.objects.exists()


def test_the_contact_form_refuses_a_nul_in_the_name(as_persona, places):
    response = as_persona("leeds_admin").post(
        "/authorities/383/contacts/add/",
        {"name": f"Pat{NUL} Smith", "job_title": "Principal social worker", "email": "pat@example.gov.uk"},
    )
    assert response.status_code in (200, 400)  # the form again, with the error
    assert summary_links(response) == {
        "#id_name": "Name must not include control characters, such as a null character"
    }
    assert not Contact.objects.exists()


def test_signing_in_with_a_nul_in_the_username_is_an_error_not_a_500(client, people):
    response = client.post("/accounts/login/", {"username": f"leeds.admin{NUL}", "password": "x"})
    assert response.status_code in (200, 400)
    assert "must not include control characters" in page(response).one(class_="govuk-error-summary").text


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("path", "same_as"),
    [
        ("/authorities/?q=%00", "/authorities/"),
        ("/authorities/?q=Cam%00den", "/authorities/"),
        ("/indicators/?q=a%00b", "/indicators/"),
        ("/evidence/?q=%1b", "/evidence/"),
        ("/evidence/local/?q=%00", "/evidence/local/"),
        ("/exchange/specialists/?%00=1", "/exchange/specialists/"),
    ],
)
def test_a_query_parameter_with_a_control_character_is_left_out_of_a_page(as_persona, places, path, same_as):
    """As a page ignores any parameter it cannot use: never a 500 (PostgreSQL refuses to compare a NUL)."""
    client = as_persona("camden_analyst")
    response = client.get(path)
    assert response.status_code == 200
    assert page(response).one("main").text == page(client.get(same_as)).one("main").text


@pytest.mark.parametrize("path", ["/authorities/%00/", "/exchange/banks/2%0002/", "/indicators/%1b/"])
def test_a_control_character_in_a_pages_path_names_no_page(as_persona, places, path):
    response = as_persona("camden_analyst").get(path)
    assert response.status_code == 404
    assert page(response).one("h1").text.strip() == "Page not found"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/authorities?q=%00", "q"),
        ("/api/v1/evidence/practices?q=x%00", "q"),
        ("/api/v1/indicators/x/values?period=%00", "period"),
    ],
)
def test_a_control_character_in_an_api_query_answers_422_naming_it(client, places, path, name):
    response = client.get(path)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith(f"{name}: must not contain control characters")


def test_a_control_character_in_an_api_path_answers_422(client, places):
    response = client.get("/api/v1/authorities/%00")
    assert response.status_code == 422 and response.json()["detail"].startswith("The address must not")


# ---------------------------------------------------------------- the API's bodies


@pytest.fixture
def credit(places, people):
    """Camden with three days of credit, and one of its admins."""
    admin = exchange_helpers.camden_admin(places)
    loan = exchange_helpers.agreed_loan(places, people["leeds_admin"], admin)
    from slihub.exchange import services

    services.record_delivery(user=admin, loan=loan, days=3, on=exchange_helpers.START)
    return admin


def post_json(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_probes_nul_memo_answers_422_in_json_naming_the_memo(client, credit):
    client.force_login(credit)
    response = post_json(client, "/api/v1/exchange/ledger/202/redeem", {"days": 1, "memo": f"Review{NUL}"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] == "payload.memo: must not contain control characters, such as a null character"
    assert body["errors"] == [
        {
            "loc": ["body", "payload", "memo"],
            "msg": "must not contain control characters, such as a null character",
            "type": "control_characters",
        }
    ]
    assert not LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REDEMPTION).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": "1", "memo": "\x1b[31mReview"}, "memo"),
        ({"days": f"1{NUL}", "memo": "Review"}, "days"),
        ({"days": "٢", "memo": "Review"}, "days"),
        ({"days": "9" * 25 + "x", "memo": "Review"}, "days"),
        ({"days": 1, "memo": "x" * 301}, "memo"),
    ],
)
def test_bad_redemptions_answer_422_naming_the_field(client, credit, body, field):
    client.force_login(credit)
    response = post_json(client, "/api/v1/exchange/ledger/202/redeem", body)
    assert response.status_code == 422, response.content
    assert [e["loc"][-1] for e in response.json()["errors"]] == [field]
    assert field in response.json()["detail"]


@pytest.mark.parametrize(
    "specialist", ["1" + "0" * 4301, str(2**31), "0", "-1", '"²"', '"\\u0000"'], ids=lambda v: v[:12]
)
def test_an_offer_of_an_implausible_specialist_id_answers_422(client, credit, specialist):
    client.force_login(credit)
    body = '{"specialist": ' + specialist + "}"
    response = client.post("/api/v1/exchange/requests/1/offer", body, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_an_unreadable_body_answers_400_in_json(client, credit):
    client.force_login(credit)
    response = client.post(
        "/api/v1/exchange/ledger/202/redeem", b"{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json() == {"detail": "Cannot parse request body"}


@pytest.mark.parametrize(
    "path", ["/api/v1/exchange/specialists/99999999999999999999", "/api/v1/exchange/loans/0"]
)
def test_an_id_beyond_any_record_answers_422_not_500(client, credit, path):
    client.force_login(credit)
    response = client.get(path)
    assert response.status_code == 422 and response.json()["detail"]


# ---------------------------------------------------------------- the API always answers JSON


def test_a_method_a_route_does_not_take_answers_405_in_json(client, places):
    response = client.delete("/api/v1/authorities")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "This route takes GET only."}
    assert response["Allow"] == "GET"


def test_an_unknown_api_route_answers_404_in_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and "No API route" in response.json()["detail"]


def test_a_failure_inside_a_route_answers_500_in_json_and_is_logged(client, places, monkeypatch, caplog):
    from slihub.places import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "regions", broken)
    client.raise_request_exception = False
    with caplog.at_level("ERROR"):
        response = client.get("/api/v1/regions")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Sorry, there is a problem with the service. Try again later."}
    assert "the database went away" in caplog.text
    assert "the database went away" not in response.content.decode()


# ---------------------------------------------------------------- found by the schemathesis run


@pytest.mark.parametrize("key", ["³", "٣", "²⁰²⁴"])
def test_an_indicator_key_in_other_digits_names_no_indicator(client, places, key):
    for path in (f"/api/v1/indicators/{key}", f"/api/v1/indicators/{key}/periods"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["detail"], path


def test_comparing_an_indicator_given_in_other_digits_ignores_it(client, places):
    assert client.get("/compare/?la=202&indicator=²").status_code == 200


# ---------------------------------------------------------------- the practice page's cohort calculator


@pytest.fixture
def library(tmp_path):
    from slihub.evidence.services import load_evidence
    from tests.integration.evidence_fixtures import write_evidence

    load_evidence(write_evidence(tmp_path))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"cohort": "1" + "0" * 4000, "unit_cost": "850", "baseline": "30"}, "must be 9,999,999 or fewer"),
        ({"cohort": "1" + "0" * 4301, "unit_cost": "850", "baseline": "30"}, "must be 9,999,999 or fewer"),
        ({"cohort": "¹²⁰", "unit_cost": "850", "baseline": "30"}, "Enter the number of children"),
        ({"cohort": "120", "unit_cost": "1e308", "baseline": "30"}, "Enter the cost per child in pounds"),
        ({"cohort": "120", "unit_cost": "9" * 400, "baseline": "30"}, "Enter the cost per child in pounds"),
    ],
)
def test_the_cohort_calculator_refuses_implausible_numbers_on_the_field(client, library, query, message):
    from tests.integration.test_evidence_pages import BCG

    response = client.get(BCG, query)
    assert response.status_code == 400  # the page again, with the error summary
    assert message in page(response).one(class_="govuk-error-summary").text
    assert message in page(response).one("main").text
    assert "£inf" not in response.content.decode()


@pytest.mark.parametrize("typed", ["٢", "²", "9" * 4301])
def test_a_link_prefilling_the_ask_for_help_form_in_other_digits_fills_nothing(as_persona, places, typed):
    """The link's values go through the form's own rules: what a person could not type is not filled in."""
    from tests.integration.test_exchange_management import _values

    response = as_persona("leeds_admin").get("/exchange/councils/383/ask/", {"days_per_week": typed})
    assert response.status_code == 200
    assert _values(page(response)).get("days_per_week", "") == ""


@pytest.mark.parametrize("status", [400, 403, 413, 500, 502])
def test_an_error_page_from_outside_the_api_router_is_turned_into_json_under_api(rf, status):
    """Django's own answers (its 500 page when a middleware fails, a 400 for a request it cannot read)."""
    from django.http import HttpResponse

    from slihub.input_guard import ApiJsonErrorsMiddleware

    html = HttpResponse("<h1>Server Error (500)</h1>", status=status, content_type="text/html")
    api = ApiJsonErrorsMiddleware(lambda request: html)(rf.get("/api/v1/regions"))
    assert api.status_code == status and api["Content-Type"] == "application/json"
    assert json.loads(api.content)["detail"]
    page_answer = ApiJsonErrorsMiddleware(lambda request: html)(rf.get("/regions/"))
    assert page_answer is html  # pages keep their GOV.UK error pages
