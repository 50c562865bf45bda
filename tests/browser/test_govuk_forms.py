"""GOV.UK form patterns in the browser, with axe on every state: the "Ask for help" form's date inputs
(a start in the past refused, the summary's link landing on the day box) and its character count
(GOV.UK Frontend's script counting down as a person types, then over the limit)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.dates import date_group, fill_date
from tests.browser.support import check_accessibility, sign_in
from tests.browser.test_exchange_journey import _person

pytestmark = pytest.mark.browser


@pytest.fixture
def leeds_admin(reference_data):
    from slihub.accounts.models import Role

    return _person("leeds.admin", Role.COUNCIL_ADMIN, "383")


def test_the_ask_for_help_form_uses_date_inputs_and_a_character_count(page, site, axe, leeds_admin):
    from slihub.exchange.models import HelpRequest

    sign_in(page, site, "leeds.admin")
    page.goto(site + "/exchange/councils/383/ask/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help")
    assert page.locator('input[type="date"]').count() == 0  # no browser date picker
    expect(date_group(page, "Start date").get_by_label("Day", exact=True)).to_be_visible()
    check_accessibility(axe, page)

    # The character count is GOV.UK Frontend's: it counts down as a person types, then says by how much
    # the text is too long, and the error after sending is worded as GOV.UK's.
    title = page.get_by_label("The problem")
    title.fill("Re-referrals are rising")
    # The script hides the no-script message from sight (screen readers still hear the limit).
    expect(page.locator("#id_title-info")).to_have_class(re.compile(r"\bgovuk-visually-hidden\b"))
    counter = page.locator(".govuk-character-count__status").first
    expect(counter).to_have_text("You have 177 characters remaining")
    title.fill("x" * 210)
    expect(counter).to_have_text("You have 10 characters too many")
    check_accessibility(axe, page)

    page.get_by_label("Front door and MASH").check()
    page.get_by_label("Description").fill("We want to redesign the front door.")
    yesterday = timezone.localdate() - timedelta(days=1)
    fill_date(page, "Start date", yesterday)
    fill_date(page, "End date", yesterday + timedelta(days=60))
    page.get_by_label("Days a week").fill("2")
    page.get_by_label("On site").check()
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Ask for help").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The problem must be 200 characters or less")
    expect(summary).to_contain_text("Start date must be today or in the future")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_accessibility(axe, page)
    summary.get_by_role("link", name="Start date must be today or in the future").click()
    expect(date_group(page, "Start date").get_by_label("Day", exact=True)).to_be_focused()
    assert not HelpRequest.objects.exists()

    # Put right, the request is published.
    title.fill("Re-referrals are rising")
    today = timezone.localdate()
    fill_date(page, "Start date", today)
    fill_date(page, "End date", today + timedelta(days=60))
    page.get_by_role("button", name="Ask for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Re-referrals are rising")
    check_accessibility(axe, page)
    assert HelpRequest.objects.get().start == today
