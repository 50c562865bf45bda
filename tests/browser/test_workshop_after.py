"""After a workshop, in the browser: the organisers' pages and the feedback form pass axe (with their
error summaries showing) and reflow at 320 pixels; an upload and a feedback go through."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.support import check_accessibility, check_reflow, sign_in


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def event(london_coordinator, camden_member):
    from slihub.places.models import Authority, Region
    from slihub.workshops.models import Event, Registration

    starts = timezone.now() - timedelta(hours=3)
    made = Event.objects.create(
        title="Reducing re-referrals",
        theme="vulnerable_children",
        region=Region.objects.get(slug="london"),
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=10,
        status=Event.Status.PUBLISHED,
        created_by=london_coordinator,
    )
    Registration.objects.create(
        event=made, user=camden_member, authority=Authority.objects.get(code="202"), status="booked"
    )
    return made


def test_the_organisers_pages_are_accessible(page, site, axe, event, tmp_path):
    sign_in(page, site, "london.coordinator")
    for route in ("attendance/", "shared/", "feedback/summary/", "materials/new/"):
        page.goto(f"{site}/workshops/{event.pk}/{route}")
        check_accessibility(axe, page)
        check_reflow(page)

    bad = tmp_path / "setup.exe"
    bad.write_bytes(b"MZ")
    page.get_by_label("Title").fill("Slides")
    page.get_by_label("Slides", exact=True).check()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Upload").click()
    assert "must be a PDF" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Title").input_value() == "Slides"
    check_accessibility(axe, page)

    good = tmp_path / "slides.pdf"
    good.write_bytes(b"%PDF-1.7\n%%EOF\n")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Upload").click()
    page.goto(f"{site}/workshops/{event.pk}/materials/new/")
    assert page.locator("#materials").inner_text().count("Slides") >= 1
    check_accessibility(axe, page)

    page.goto(f"{site}/workshops/{event.pk}/shared/")
    page.get_by_label("Find practice").fill("nothing matches this")
    page.get_by_role("button", name="Search").click()
    assert page.locator("#no-results").is_visible()
    check_accessibility(axe, page)


def test_the_feedback_form_is_accessible_with_its_errors(page, site, axe, event):
    from slihub.workshops.models import Feedback

    sign_in(page, site, "camden.member")
    page.goto(f"{site}/workshops/{event.pk}/feedback/")
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_label("What will you take back to your council?").fill("x" * 301)
    page.get_by_role("button", name="Send feedback").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select how useful the event was" in summary
    assert "300 characters or fewer" in summary
    check_accessibility(axe, page)

    page.get_by_label("Very useful", exact=True).check()
    page.get_by_label("What will you take back to your council?").fill("The triage model")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_load_state()
    feedback = Feedback.objects.get(event=event)
    assert (feedback.usefulness, feedback.will_use) == (5, "The triage model")
