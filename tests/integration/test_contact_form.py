"""The add-a-contact form: GOV.UK error summary on bad input, a success banner on good input."""

import pytest

from slihub.accounts.models import Contact
from tests.integration.html import heading, page

GOOD = {
    "name": "Pat Smith",
    "job_title": "Principal social worker",
    "email": "pat.smith@example.gov.uk",
    "phone": "0113 222 4444",
    "notes": "Leads the edge of care team",
}
ADD = "/authorities/383/contacts/add/"


@pytest.fixture
def leeds(as_persona, leeds_admin):
    return as_persona("leeds_admin")


def error_summary(response) -> list[tuple[str, str]]:
    """(link target, message) for each entry of the GOV.UK error summary."""
    summary = page(response).one(class_="govuk-error-summary")
    assert summary.one("h2", class_="govuk-error-summary__title").text == "There is a problem"
    return [(link.attrs["href"], link.text) for link in summary.find_all("a")]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the contact's name"),
        ({"name": "   "}, "name", "Enter the contact's name"),
        ({"job_title": ""}, "job_title", "Enter the contact's job title"),
        ({"email": ""}, "email", "Enter an email address"),
        (
            {"email": "pat.smith.example.gov.uk"},
            "email",
            "Enter an email address in the correct format, like name@example.gov.uk",
        ),
        ({"phone": "call the office"}, "phone", "Enter a telephone number, like 020 7946 0000"),
        ({"phone": "12"}, "phone", "Enter a telephone number, like 020 7946 0000"),
        ({"notes": "x" * 2001}, "notes", "Notes must be 2,000 characters or less"),
    ],
)
def test_it_shows_an_error_summary_linking_to_the_field_and_saves_nothing(leeds, change, field, message):
    response = leeds.post(ADD, GOOD | change)

    assert response.status_code == 200
    assert error_summary(response) == [(f"#id_{field}", message)]
    document = page(response)
    assert document.one("title").text.startswith("Error: Add a contact")
    # The link target exists, and the field is marked as in error and described by its message.
    widget = document.one(id=f"id_{field}")
    assert {"govuk-input--error", "govuk-textarea--error"} & widget.classes
    assert f"{field}-error" in widget.attrs["aria-describedby"].split()
    assert message in document.one(id=f"{field}-error").text
    assert not Contact.objects.exists()


def test_it_keeps_what_was_typed_when_it_shows_errors(leeds):
    response = leeds.post(ADD, GOOD | {"email": "not-an-email"})
    document = page(response)
    assert document.one(id="id_name").attrs["value"] == "Pat Smith"
    assert document.one(id="id_email").attrs["value"] == "not-an-email"


def test_it_lists_every_error_in_the_order_of_the_fields(leeds):
    response = leeds.post(ADD, {"name": "", "job_title": "", "email": "nope", "phone": "ring me"})
    assert [target for target, _ in error_summary(response)] == [
        "#id_name",
        "#id_job_title",
        "#id_email",
        "#id_phone",
    ]
    assert not Contact.objects.exists()


def test_it_shows_no_error_summary_on_the_empty_form(leeds):
    document = page(leeds.get(ADD))
    assert not document.find_all(class_="govuk-error-summary")
    assert not document.find_all(class_="govuk-error-message")


def test_it_saves_a_good_contact_and_says_so(leeds, leeds_admin, places):
    response = leeds.post(ADD, GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/authorities/383/contacts/"
    saved = Contact.objects.get()
    assert (saved.authority, saved.name, saved.email, saved.phone, saved.created_by) == (
        places.leeds,
        "Pat Smith",
        "pat.smith@example.gov.uk",
        "0113 222 4444",
        leeds_admin,
    )

    document = page(leeds.get(response["Location"]))
    banner = document.one(class_="govuk-notification-banner--success")
    assert banner.one("h2").text == "Success"
    assert banner.one("p").text == "Pat Smith was added to Leeds's contacts."
    assert document.one("tbody").find("td").text == "Pat Smith"

    # The banner is shown once.
    assert not page(leeds.get(response["Location"])).find_all(class_="govuk-notification-banner")


def test_it_removes_a_contact_and_says_so(leeds, contacts):
    response = leeds.post(f"/authorities/383/contacts/{contacts['383'].id}/delete/", follow=True)
    document = page(response)
    assert document.one(class_="govuk-notification-banner--success").one("p").text == (
        "Lee Leeds was removed from Leeds's contacts."
    )
    assert "No contacts yet." in document.one("main").text
    assert not Contact.objects.filter(authority__code="383").exists()


def test_it_escapes_what_people_type(leeds, places):
    leeds.post(ADD, GOOD | {"name": "<script>alert(1)</script>"})
    response = leeds.get("/authorities/383/contacts/")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert page(response).one("tbody").find("td").text == "<script>alert(1)</script>"


def test_the_form_is_protected_against_cross_site_requests(client, leeds_admin):
    from django.test import Client

    forged = Client(enforce_csrf_checks=True)
    forged.force_login(leeds_admin)
    response = forged.post(ADD, GOOD)
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_the_add_page_of_an_unknown_authority_is_not_found(leeds):
    response = leeds.get("/authorities/999/contacts/add/")
    assert response.status_code == 404
    assert heading(page(response)) == "Page not found"
