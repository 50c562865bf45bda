"""The London coordinator creates a workshop with two places (a mistake first, shown in the error summary)
and publishes it; three council staff register, the third joining the waitlist; one with a place cancels,
and the waitlisted person now has the place and an email saying so. axe runs on every page on the way, and
the Content-Security-Policy blocks nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(reference_data):
    """Three council staff with email addresses: Camden, Islington and Leeds."""
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Authority

    people = []
    for username, code in (("camden.worker", "202"), ("islington.worker", "206"), ("leeds.worker", "383")):
        user, _ = ensure_user(
            username=username,
            full_name=username.replace(".", " ").title(),
            password=PASSWORD,
            role=Role.COUNCIL_MEMBER,
            authority=Authority.objects.get(code=code),
        )
        user.email = f"{username}@example.gov.uk"
        user.save()
        people.append(user)
    return people


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_workshop_fills_and_a_cancellation_promotes_the_waitlist(
    page, site, axe, london_coordinator, staff
):
    day = timezone.localdate() + timedelta(days=21)

    # The coordinator creates the workshop: a mistake first
    sign_in(page, site, "london.coordinator")
    page.goto(f"{site}/workshops/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional knowledge workshops")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Create a workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a workshop")
    check_accessibility(axe, page)
    page.get_by_label("Title").fill("Keeping teenagers safe: what works")
    page.get_by_label("Theme").select_option(label="Youth")
    page.get_by_label("Region").select_option(label="London")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("End time").fill("9am")
    page.get_by_label("Number of places").fill("2")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the venue's address")
    expect(summary).to_contain_text("The end time must be after the start time")
    check_accessibility(axe, page)
    page.get_by_label("Venue address").fill("Camden Town Hall, Judd Street, London")
    page.get_by_label("End time").fill("12:30pm")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keeping teenagers safe: what works")
    expect(page.locator("#draft")).to_contain_text("This is a draft")
    check_accessibility(axe, page)

    # ...and publishes it
    page.get_by_role("link", name="Publish the workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the workshop")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#places")).to_have_text("2 of 2 left")
    expect(page.locator("#details")).to_contain_text("10am to 12:30pm")
    event_url = page.url
    sign_out(page)

    # Three people register: two places, then the waitlist
    for person, expected in zip(
        staff, ["Place confirmed", "Place confirmed", "On the waitlist"], strict=True
    ):
        sign_in(page, site, person.username)
        page.goto(event_url)
        if expected == "On the waitlist":
            expect(page.locator("#places")).to_have_text("Full (2 places)")
            page.get_by_role("button", name="Join the waitlist").click()
            expect(page.locator("#your-place")).to_contain_text("You are number 1 on the waitlist")
        else:
            page.get_by_role("button", name="Register for a place").click()
        expect(page.locator("#your-place")).to_contain_text(expected)
        check_accessibility(axe, page)
        sign_out(page)

    # The first cancels their place
    mail.outbox.clear()
    sign_in(page, site, "camden.worker")
    page.goto(f"{site}/workshops/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My workshops")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Keeping teenagers safe: what works").click()
    page.get_by_role("link", name="Cancel your place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your place")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Cancel my place").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your place is cancelled.")
    expect(page.locator("#places")).to_have_text("Full (2 places)")
    check_accessibility(axe, page)
    sign_out(page)

    # The waitlisted person now has the place, and was told by email
    promoted = [m for m in mail.outbox if m.to == ["leeds.worker@example.gov.uk"]]
    assert [m.subject for m in promoted] == ["You have a place: Keeping teenagers safe: what works"]
    sign_in(page, site, "leeds.worker")
    page.goto(event_url)
    expect(page.locator("#your-place")).to_contain_text("Place confirmed")
    check_accessibility(axe, page)
    check_reflow(page)

    # The coordinator sees who has the places, and who cancelled
    sign_out(page)
    sign_in(page, site, "london.coordinator")
    page.goto(event_url)
    table = page.locator("#registrations")
    expect(table).to_contain_text("Leeds Worker")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("Place confirmed")
    expect(table.locator("tbody tr").nth(2)).to_contain_text("Cancelled")
    check_accessibility(axe, page)
