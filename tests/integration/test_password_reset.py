"""Resetting a forgotten password by email: the same answer whether or not the address has an account,
a link that works once and for settings.PASSWORD_RESET_TIMEOUT, and GOV.UK's words throughout."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator

from slihub.accounts.account_views import duration_in_words
from tests.integration.html import heading, page

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long quiet river 77"
LINK = re.compile(r"http://\S+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def analyst(people):
    person = people["camden_analyst"]
    person.email = "analyst@camden.example.gov.uk"
    person.save()
    return person


def errors_of(response) -> list[str]:
    summary = page(response).find(class_="govuk-error-summary")
    return [item.text for item in summary.find_all("li")] if summary else []


def test_the_sign_in_page_links_to_password_reset(client, db):
    document = page(client.get("/accounts/login/"))
    assert document.one("a", href="/accounts/password-reset/").text == "Forgotten your password?"


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, analyst, mailoutbox):
    known = client.post("/accounts/password-reset/", {"email": "ANALYST@camden.example.gov.uk"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.gov.uk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    sent = page(client.get("/accounts/password-reset/sent/"))
    assert heading(sent) == "Check your email"
    assert "If there is an account with that email address" in sent.one("main").text
    assert "The link works for 3 days, once." in sent.one("main").text
    [message] = mailoutbox
    assert message.to == ["analyst@camden.example.gov.uk"]
    assert message.subject == "Reset your SLI Hub password"
    assert "Your username is: camden.analyst" in message.body
    assert "The link works for 3 days, once." in message.body
    assert "<" not in message.body


def test_a_deactivated_account_gets_no_email(client, analyst, mailoutbox):
    analyst.is_active = False
    analyst.save()
    client.post("/accounts/password-reset/", {"email": analyst.email})
    assert mailoutbox == []


def test_a_bad_address_is_explained(client, db):
    response = client.post("/accounts/password-reset/", {"email": "not an address"})
    assert errors_of(response) == ["Enter an email address in the correct format, like name@example.gov.uk"]
    empty = client.post("/accounts/password-reset/", {"email": ""})
    assert errors_of(empty) == ["Enter an email address"]


def test_the_link_sets_a_new_password_once(client, analyst, mailoutbox, settings):
    client.post("/accounts/password-reset/", {"email": analyst.email})
    path = LINK.search(mailoutbox[0].body)[1]
    form_path = client.get(path)["Location"]  # Django moves the token out of the address
    form = page(client.get(form_path))
    assert heading(form) == "Choose a new password"
    weak = client.post(form_path, {"new_password1": "camden.analyst", "new_password2": "camden.analyst"})
    assert errors_of(weak) == ["Password must not be like your name, username or email address"]
    mismatch = client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "!"})
    assert errors_of(mismatch) == ["Enter the same password in both boxes"]
    for answer in (weak, mismatch):
        assert "didn’t match" not in answer.content.decode()
        assert "This password is too" not in answer.content.decode()
    done = client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password-reset/done/"
    assert heading(page(client.get(done["Location"]))) == "Your password has been changed"
    signed_in = client.post("/accounts/login/", {"username": "camden.analyst", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    client.logout()
    used = client.get(path)
    assert heading(page(used)) == "This link no longer works"
    assert "Ask for a new link" in page(used).one("main").text


def test_a_link_older_than_the_timeout_no_longer_works(client, analyst, mailoutbox, settings):
    client.post("/accounts/password-reset/", {"email": analyst.email})
    path = LINK.search(mailoutbox[0].body)[1]
    later = default_token_generator._now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(type(default_token_generator), "_now", return_value=later):
        response = client.get(path)
    assert heading(page(response)) == "This link no longer works"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(259200, "3 days"), (86400, "24 hours"), (3600, "1 hour"), (7200, "2 hours"), (1800, "30 minutes")],
)
def test_how_long_a_link_works_reads_in_words(seconds, words):
    assert duration_in_words(seconds) == words
