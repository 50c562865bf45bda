"""Regional knowledge workshops: organisers create, publish, change and cancel events; council staff
register, join the waitlist and cancel; a cancelled place goes to the first on the waitlist, who is told."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from slihub.evidence.models import LocalPractice, Practice
from slihub.jobs import reminders
from slihub.workshops import services
from slihub.workshops.models import Event, Registration
from tests import factories
from tests.integration.html import heading, page, table_rows

LONDON = ZoneInfo("Europe/London")


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """`days` from today at hour:minute, London time."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def make_event(organiser, region, *, capacity=20, publish=True, days=30, **fields) -> Event:
    values = {
        "title": "Edge of care: what works",
        "theme": "vulnerable_children",
        "region": region,
        "format": Event.Format.VENUE,
        "venue": "Camden Town Hall, Judd Street, London",
        "starts_at": at(days, 10),
        "ends_at": at(days, 12, 30),
        "capacity": capacity,
        **fields,
    }
    event = services.create_event(user=organiser, **values)
    if publish:
        event = services.publish_event(user=organiser, event=event)
    return event


def staff(places, n: int, authority=None):
    """n council members (with email addresses) of `authority` (Camden by default)."""
    from slihub.accounts.models import Role

    return [
        factories.user(
            f"staff.{i}",
            Role.COUNCIL_MEMBER,
            authority=authority or places.camden,
            email=f"staff{i}@example.gov.uk",
        )
        for i in range(n)
    ]


@pytest.fixture
def emails(people):
    for name, person in people.items():
        person.email = f"{name}@example.gov.uk"
        person.save()
    return people


# Creating and publishing --------------------------------------------------------------------------------


def test_it_creates_a_draft_that_only_organisers_see(places, emails, london_coordinator, camden_analyst):
    event = make_event(london_coordinator, places.london, publish=False)
    assert event.status == Event.Status.DRAFT
    assert event.created_by == london_coordinator
    assert not Event.objects.visible_to(camden_analyst).filter(pk=event.pk).exists()
    assert Event.objects.visible_to(london_coordinator).filter(pk=event.pk).exists()


def test_it_lets_a_coordinator_create_events_in_their_region_only(places, people):
    with pytest.raises(ValidationError) as error:
        make_event(people["london_coordinator"], places.yorkshire)
    assert error.value.message_dict["region"] == ["Choose a region you coordinate"]
    with pytest.raises(ValidationError) as error:
        make_event(people["london_coordinator"], None)
    assert "only national admins hold national workshops" in error.value.message_dict["region"][0]


def test_it_lets_a_national_admin_create_a_national_event(places, people):
    event = make_event(people["national_admin"], None)
    assert event.region is None and event.status == Event.Status.PUBLISHED


@pytest.mark.parametrize(
    "name", ["camden_analyst", "leeds_admin", "evidence_editor", "camden_chief_executive"]
)
def test_it_refuses_event_creation_to_others(places, people, name):
    with pytest.raises(PermissionDenied):
        make_event(people[name], places.london)


def test_it_checks_the_event(places, people):
    with pytest.raises(ValidationError) as error:
        make_event(
            people["national_admin"],
            places.london,
            theme="nonsense",
            format=Event.Format.HYBRID,
            venue="",
            online_link="",
            starts_at=at(5, 14),
            ends_at=at(5, 13),
        )
    problems = error.value.message_dict
    assert problems["theme"] == ["Choose a theme"]
    assert problems["venue"] == ["Enter the venue's address"]
    assert problems["online_link"] == ["Enter the link to join online"]
    assert problems["ends_at"] == ["The end time must be after the start time"]


def test_it_links_practices_but_only_validated_local_practice(places, people):
    practice = Practice.objects.create(
        slug="family-group-conferencing", name="Family group conferencing", source="eif"
    )
    validated = LocalPractice.objects.create(
        authority=places.camden,
        title="Camden's edge of care team",
        summary="s",
        evidence="e",
        status="validated",
    )
    waiting = LocalPractice.objects.create(
        authority=places.leeds,
        title="Leeds restorative practice",
        summary="s",
        evidence="e",
        status="in_review",
    )
    with pytest.raises(ValidationError) as error:
        make_event(people["national_admin"], places.london, local_practices=[validated, waiting])
    assert error.value.message_dict["local_practices"] == ["Choose validated local practice only"]
    event = make_event(
        people["national_admin"], places.london, practices=[practice], local_practices=[validated]
    )
    assert list(event.practices.all()) == [practice]
    assert list(event.local_practices.all()) == [validated]


def test_it_will_not_publish_twice_or_in_the_past(places, people):
    event = make_event(people["national_admin"], places.london)
    with pytest.raises(ValidationError, match="already published"):
        services.publish_event(user=people["national_admin"], event=event)
    draft = make_event(people["national_admin"], places.london, publish=False)
    Event.objects.filter(pk=draft.pk).update(starts_at=at(-2, 10), ends_at=at(-2, 12))
    with pytest.raises(ValidationError, match="in the past"):
        services.publish_event(user=people["national_admin"], event=draft)


# Registering, the waitlist and cancelling ----------------------------------------------------------------


def test_it_books_places_then_waitlists(places, people):
    event = make_event(people["london_coordinator"], places.london, capacity=2)
    a, b, c, d = staff(places, 4)
    assert [services.register(user=p, event=event).status for p in (a, b, c, d)] == [
        "booked",
        "booked",
        "waitlisted",
        "waitlisted",
    ]
    assert Registration.objects.get(user=a).authority == places.camden
    assert Registration.objects.get(user=c).waitlisted_at is not None


def test_it_refuses_a_second_registration(places, people):
    event = make_event(people["london_coordinator"], places.london)
    (person,) = staff(places, 1)
    services.register(user=person, event=event)
    with pytest.raises(ValidationError, match="already registered"):
        services.register(user=person, event=event)
    assert Registration.objects.filter(user=person).count() == 1


def test_it_promotes_the_first_on_the_waitlist_and_tells_them(
    places, people, django_capture_on_commit_callbacks
):
    event = make_event(people["london_coordinator"], places.london, capacity=2)
    a, b, c, d = staff(places, 4)
    for person in (a, b, c, d):
        services.register(user=person, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled, promoted = services.cancel_registration(user=a, event=event)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert promoted.user == c
    statuses = dict(Registration.objects.filter(event=event).values_list("user__username", "status"))
    assert statuses == {
        "staff.0": "cancelled",
        "staff.1": "booked",
        "staff.2": "booked",
        "staff.3": "waitlisted",
    }
    assert Registration.objects.get(user=c).promoted_at is not None
    assert [m.to for m in mail.outbox] == [["staff2@example.gov.uk"]]
    assert mail.outbox[0].subject == "You have a place: Edge of care: what works"
    assert f"/workshops/{event.pk}/" in mail.outbox[0].body


def test_it_sends_no_email_before_the_transaction_commits(places, people, django_capture_on_commit_callbacks):
    event = make_event(people["london_coordinator"], places.london, capacity=1)
    a, b = staff(places, 2)
    services.register(user=a, event=event)
    services.register(user=b, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.cancel_registration(user=a, event=event)
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_waitlisted_person_leaving_promotes_nobody(places, people):
    event = make_event(people["london_coordinator"], places.london, capacity=1)
    a, b, c = staff(places, 3)
    for person in (a, b, c):
        services.register(user=person, event=event)
    _, promoted = services.cancel_registration(user=b, event=event)
    assert promoted is None
    assert Registration.objects.get(user=c).status == "waitlisted"


def test_it_can_register_again_after_cancelling(places, people):
    event = make_event(people["london_coordinator"], places.london)
    (person,) = staff(places, 1)
    services.register(user=person, event=event)
    services.cancel_registration(user=person, event=event)
    assert services.register(user=person, event=event).status == "booked"
    assert Registration.objects.filter(user=person).count() == 2


@pytest.mark.parametrize(
    "name, allowed",
    [
        ("camden_analyst", True),
        ("leeds_admin", True),
        ("london_coordinator", True),
        ("national_admin", True),
        ("camden_chief_executive", True),
        ("evidence_editor", False),
        ("no_membership", False),
    ],
)
def test_who_may_register(places, people, name, allowed):
    event = make_event(people["national_admin"], places.london)
    if allowed:
        assert services.register(user=people[name], event=event).status == "booked"
    else:
        with pytest.raises(PermissionDenied):
            services.register(user=people[name], event=event)


def test_it_refuses_registration_for_drafts_cancelled_and_started_events(places, people):
    organiser = people["national_admin"]
    draft = make_event(organiser, places.london, publish=False)
    with pytest.raises(ValidationError, match="not open for registration"):
        services.register(user=people["camden_analyst"], event=draft)
    cancelled = make_event(organiser, places.london)
    services.cancel_event(user=organiser, event=cancelled)
    with pytest.raises(ValidationError, match="cancelled"):
        services.register(user=people["camden_analyst"], event=cancelled)
    started = make_event(organiser, places.london)
    Event.objects.filter(pk=started.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="already started"):
        services.register(user=people["camden_analyst"], event=started)


# Changing and cancelling events ------------------------------------------------------------------------


def test_capacity_cannot_fall_below_places_taken(places, people):
    event = make_event(people["london_coordinator"], places.london, capacity=3)
    for person in staff(places, 3):
        services.register(user=person, event=event)
    with pytest.raises(ValidationError) as error:
        services.update_event(user=people["london_coordinator"], event=event, capacity=2)
    assert error.value.message_dict["capacity"][0].startswith(
        "3 places are already taken: the number of places cannot be fewer than 3."
    )


def test_more_places_go_to_the_waitlist(places, people, django_capture_on_commit_callbacks):
    event = make_event(people["london_coordinator"], places.london, capacity=1)
    a, b, c = staff(places, 3)
    for person in (a, b, c):
        services.register(user=person, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(user=people["london_coordinator"], event=event, capacity=2)
    assert Registration.objects.get(user=b).status == "booked"
    assert Registration.objects.get(user=c).status == "waitlisted"


def test_changing_a_published_event_raises_its_sequence_and_tells_registrants(
    places, people, django_capture_on_commit_callbacks
):
    event = make_event(people["london_coordinator"], places.london)
    a, b = staff(places, 2)
    services.register(user=a, event=event)
    services.register(user=b, event=event)
    services.cancel_registration(user=b, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.update_event(
            user=people["london_coordinator"], event=event, starts_at=at(31, 14), ends_at=at(31, 16)
        )
    assert changed.sequence == 1
    assert [m.to for m in mail.outbox] == [["staff0@example.gov.uk"]]
    assert "2pm to 4pm" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.update_event(user=people["london_coordinator"], event=event, title="A new title")
    assert changed.sequence == 2 and mail.outbox == []  # the title is not worth an email


def test_changing_a_draft_keeps_its_sequence(places, people):
    event = make_event(people["london_coordinator"], places.london, publish=False)
    assert services.update_event(user=people["london_coordinator"], event=event, title="New").sequence == 0


def test_cancelling_an_event_tells_everyone_registered(places, people, django_capture_on_commit_callbacks):
    event = make_event(people["london_coordinator"], places.london, capacity=1)
    a, b = staff(places, 2)
    services.register(user=a, event=event)
    services.register(user=b, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_event(
            user=people["national_admin"], event=event, reason="The venue flooded."
        )
    assert cancelled.status == "cancelled" and cancelled.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["staff0@example.gov.uk", "staff1@example.gov.uk"]
    assert all("The venue flooded." in m.body and m.subject.startswith("Cancelled:") for m in mail.outbox)


def test_only_organisers_change_an_event(places, people):
    event = make_event(people["london_coordinator"], places.london)
    for name in ("camden_analyst", "leeds_admin", "evidence_editor", "no_membership"):
        with pytest.raises(PermissionDenied):
            services.update_event(user=people[name], event=event, title="Mine now")
        with pytest.raises(PermissionDenied):
            services.cancel_event(user=people[name], event=event)
    yorkshire = factories.user("yorkshire.coordinator", "alliance_coordinator", region=places.yorkshire)
    with pytest.raises(PermissionDenied):
        services.update_event(user=yorkshire, event=event, title="Mine now")
    assert services.update_event(user=people["national_admin"], event=event, title="Fine").title == "Fine"


# Reminders -------------------------------------------------------------------------------------------


def test_it_reminds_each_booked_person_once_two_days_before(places, people):
    soon = make_event(people["london_coordinator"], places.london, capacity=1, days=30)
    later = make_event(people["london_coordinator"], places.london, days=40)
    a, b, c = staff(places, 3)
    services.register(user=a, event=soon)
    services.register(user=b, event=soon)  # waitlisted: no reminder
    services.register(user=c, event=later)
    mail.outbox.clear()
    now = soon.starts_at - timedelta(days=1, hours=20)
    reminders.send_due(now=now)
    ours = [m for m in mail.outbox if m.subject.startswith("Coming up:")]
    assert [m.to for m in ours] == [["staff0@example.gov.uk"]]
    assert "Camden Town Hall" in ours[0].body and f"/workshops/{soon.pk}/" in ours[0].body
    mail.outbox.clear()
    reminders.send_due(now=now + timedelta(days=1))
    assert [m for m in mail.outbox if m.subject.startswith("Coming up:")] == []
    reminders.send_due(now=soon.starts_at - timedelta(days=3))
    assert [m for m in mail.outbox if m.subject.startswith("Coming up:")] == []


# Pages ---------------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_published_events_with_filters(places, people, client):
    organiser = people["national_admin"]
    london = make_event(organiser, places.london, title="London workshop")
    make_event(organiser, places.yorkshire, title="Yorkshire workshop", theme="youth")
    make_event(organiser, places.london, title="Draft workshop", publish=False)
    past = make_event(organiser, places.london, title="Past workshop")
    Event.objects.filter(pk=past.pk).update(starts_at=at(-3, 10), ends_at=at(-3, 12))
    document = page(client.get("/workshops/"))
    assert heading(document) == "Regional knowledge workshops"
    titles = [h.text for h in document.one("ul", id="events").find_all("h3")]
    assert titles == ["London workshop", "Yorkshire workshop"]
    titles = [
        h.text for h in page(client.get("/workshops/?region=london")).one("ul", id="events").find_all("h3")
    ]
    assert titles == ["London workshop"]
    titles = [
        h.text for h in page(client.get("/workshops/?theme=youth")).one("ul", id="events").find_all("h3")
    ]
    assert titles == ["Yorkshire workshop"]
    make_event(organiser, None, title="National workshop")
    titles = [
        h.text for h in page(client.get("/workshops/?region=national")).one("ul", id="events").find_all("h3")
    ]
    assert titles == ["National workshop"]
    document = page(client.get("/workshops/?when=past"))
    assert [h.text for h in document.one("ul", id="events").find_all("h3")] == ["Past workshop"]
    assert london.pk


def test_the_event_page_shows_details_places_and_practices(places, people, client):
    practice = Practice.objects.create(
        slug="family-group-conferencing", name="Family group conferencing", source="eif"
    )
    local = LocalPractice.objects.create(
        authority=places.camden,
        title="Camden's edge of care team",
        summary="s",
        evidence="e",
        status="validated",
    )
    event = make_event(
        people["london_coordinator"], places.london, capacity=3, practices=[practice], local_practices=[local]
    )
    services.register(user=people["camden_analyst"], event=event)
    document = page(client.get(f"/workshops/{event.pk}/"))
    assert heading(document) == "Edge of care: what works"
    assert document.one("dd", id="places").text == "2 of 3 left"
    when = document.one("dl", id="details").text
    assert "10am to 12:30pm" in when and "Camden Town Hall" in when
    hrefs = [a.attrs["href"] for a in document.one("main").find_all("a")]
    assert "/evidence/family-group-conferencing/" in hrefs
    assert f"/evidence/local/{local.pk}/" in hrefs
    assert f"/workshops/{event.pk}/event.ics" in hrefs
    assert document.find("table", id="registrations") is None  # not for the public


def test_the_online_link_is_shown_only_to_people_with_a_place(places, people, as_persona):
    event = make_event(
        people["london_coordinator"],
        places.london,
        capacity=1,
        format=Event.Format.ONLINE,
        online_link="https://meet.example.org/edge-of-care",
        venue="",
    )
    services.register(user=people["camden_analyst"], event=event)
    services.register(user=people["leeds_admin"], event=event)  # waitlisted
    client = as_persona("leeds_admin")
    assert b"meet.example.org" not in client.get(f"/workshops/{event.pk}/").content
    client.force_login(people["camden_analyst"])
    assert page(client.get(f"/workshops/{event.pk}/")).one("a", id="online-link").text == (
        "https://meet.example.org/edge-of-care"
    )
    client.logout()
    assert b"meet.example.org" not in client.get(f"/workshops/{event.pk}/").content
    assert b"meet.example.org" not in client.get("/workshops/calendar.ics").content


def test_registering_and_cancelling_through_the_pages(
    places, people, client, django_capture_on_commit_callbacks
):
    event = make_event(people["london_coordinator"], places.london, capacity=1)
    a, b = staff(places, 2)
    client.force_login(a)
    response = client.post(f"/workshops/{event.pk}/register/")
    assert response.status_code == 302 and response["Location"] == f"/workshops/{event.pk}/"
    assert "Place confirmed" in page(client.get(f"/workshops/{event.pk}/")).one("div", id="your-place").text
    client.force_login(b)
    client.post(f"/workshops/{event.pk}/register/")
    assert (
        "number 1 on the waitlist"
        in page(client.get(f"/workshops/{event.pk}/")).one("div", id="your-place").text
    )
    client.force_login(a)
    assert heading(page(client.get(f"/workshops/{event.pk}/cancel-place/"))) == "Cancel your place"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/workshops/{event.pk}/cancel-place/")
    assert response.status_code == 302
    assert Registration.objects.get(user=b, status="booked")
    assert [m.to for m in mail.outbox] == [["staff1@example.gov.uk"]]
    client.force_login(b)
    rows = table_rows(page(client.get("/workshops/mine/")).one("table", id="upcoming"))
    assert rows[0][0] == "Edge of care: what works" and rows[0][2] == "Place confirmed"


def test_the_organiser_sees_registrations_in_order(places, people, as_persona):
    event = make_event(people["london_coordinator"], places.london, capacity=1)
    a, b, c = staff(places, 3)
    for person in (a, b, c):
        services.register(user=person, event=event)
    client = as_persona("london_coordinator")
    rows = table_rows(page(client.get(f"/workshops/{event.pk}/")).one("table", id="registrations"))
    assert [(r[0], r[2]) for r in rows] == [
        ("Staff 0", "Place confirmed"),
        ("Staff 1", "On the waitlist (number 1)"),
        ("Staff 2", "On the waitlist (number 2)"),
    ]


def form_data(**changes) -> dict:
    day = at(20)
    data = {
        "title": "Reunification: what councils learnt",
        "summary": "Councils share their reunification practice.",
        "theme": "vulnerable_children",
        "region": "london",
        "format": "venue",
        "venue": "Islington Town Hall, Upper Street",
        "online_link": "",
        "on-day": str(day.day),
        "on-month": str(day.month),
        "on-year": str(day.year),
        "starts": "9:30am",
        "ends": "1pm",
        "capacity": "25",
        "practices": "",
        "local_practices": "",
    }
    return {**data, **changes}


def test_a_coordinator_creates_edits_and_publishes_through_the_pages(places, people, as_persona):
    client = as_persona("london_coordinator")
    assert heading(page(client.get("/workshops/new/"))) == "Create a workshop"
    response = client.post("/workshops/new/", form_data())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workshops/{event.pk}/"
    assert event.status == "draft" and event.capacity == 25
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "09:30"
    assert timezone.localtime(event.ends_at).strftime("%H:%M") == "13:00"
    response = client.post(f"/workshops/{event.pk}/edit/", form_data(capacity="30", title="Reunification"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.capacity, event.sequence) == ("Reunification", 30, 0)
    assert heading(page(client.get(f"/workshops/{event.pk}/publish/"))) == "Publish the workshop"
    client.post(f"/workshops/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == "published" and event.published_at is not None


def test_the_form_shows_errors_in_the_house_style(places, people, as_persona):
    client = as_persona("london_coordinator")
    response = client.post(
        "/workshops/new/",
        form_data(
            title="",
            **{"on-day": "31", "on-month": "2"},
            starts="25pm",
            capacity="0",
            region="yorkshire-and-the-humber",
        ),
    )
    assert response.status_code == 200
    document = page(response)
    summary = [
        (a.attrs["href"], a.text) for a in document.one("div", class_="govuk-error-summary").find_all("a")
    ]
    assert summary == [
        ("#id_title", "Enter a title"),
        ("#id_region", "Choose a region"),
        ("#id_on-day", "The date must be a real date, like 14 12 2026"),
        ("#id_starts", "Enter the start time as a time, like 10am, 2:30pm or 14:30"),
        ("#id_capacity", "The number of places must be 1 or more"),
    ]
    assert document.one("title").text.startswith("Error:")
    assert Event.objects.count() == 0


def test_lowering_capacity_below_places_taken_says_so_on_the_form(places, people, as_persona):
    event = make_event(people["london_coordinator"], places.london, capacity=2, days=20)
    for person in staff(places, 2):
        services.register(user=person, event=event)
    client = as_persona("london_coordinator")
    response = client.post(f"/workshops/{event.pk}/edit/", form_data(capacity="1"))
    assert response.status_code == 200
    error = page(response).one("p", id="capacity-error").text
    assert "2 places are already taken" in error


def test_cancelling_an_event_through_its_page(places, people, as_persona):
    event = make_event(people["london_coordinator"], places.london)
    client = as_persona("london_coordinator")
    assert heading(page(client.get(f"/workshops/{event.pk}/cancel/"))) == "Cancel the workshop"
    client.post(f"/workshops/{event.pk}/cancel/", {"reason": "Speaker unwell"})
    event.refresh_from_db()
    assert event.status == "cancelled"
    document = page(client.get(f"/workshops/{event.pk}/"))
    assert "This workshop is cancelled." in document.one("div", id="cancelled").text


# The API -------------------------------------------------------------------------------------------


def test_the_api_lists_published_workshops(places, people, client):
    make_event(people["national_admin"], places.london, title="Published")
    make_event(people["national_admin"], places.london, title="Draft", publish=False)
    body = client.get("/api/v1/workshops").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["title"], item["region"], item["places_left"], item["status"]) == (
        "Published",
        "london",
        20,
        "published",
    )
    assert client.get("/api/v1/workshops?region=nowhere").status_code == 404
    assert client.get("/api/v1/workshops?theme=nowhere").status_code == 422


def test_the_api_registers_and_cancels(places, people, as_persona):
    event = make_event(people["national_admin"], places.london, capacity=1)
    client = as_persona("camden_analyst")
    response = client.post(f"/api/v1/workshops/{event.pk}/register")
    assert response.status_code == 201 and response.json()["status"] == "booked"
    response = client.post(f"/api/v1/workshops/{event.pk}/register")
    assert response.status_code == 400
    assert response.json() == {"detail": "You are already registered for this workshop."}
    client.force_login(people["leeds_admin"])
    assert client.post(f"/api/v1/workshops/{event.pk}/register").json()["status"] == "waitlisted"
    client.force_login(people["camden_analyst"])
    body = client.post(f"/api/v1/workshops/{event.pk}/cancel").json()
    assert body["cancelled"]["status"] == "cancelled" and body["promoted"] is None  # not theirs to see
    assert Registration.objects.get(user=people["leeds_admin"]).status == "booked"
    assert client.post(f"/api/v1/workshops/{event.pk}/cancel").status_code == 400


# Times as people type and read them ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("10am", (10, 0)),
        ("10:30am", (10, 30)),
        ("2.30 pm", (14, 30)),
        ("12pm", (12, 0)),
        ("12am", (0, 0)),
        ("14:30", (14, 30)),
        ("9", (9, 0)),
        ("midday", (12, 0)),
    ],
)
def test_it_reads_times_as_people_write_them(typed, expected):
    from slihub.workshops.forms import read_time

    moment = read_time(typed, "Start time")
    assert (moment.hour, moment.minute) == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "10:75", "ten", "１０am", "10:3"])
def test_it_refuses_times_that_are_not_times(typed):
    from slihub.workshops.forms import read_time

    with pytest.raises(ValidationError, match="Enter the start time as a time"):
        read_time(typed, "Start time")


@pytest.mark.parametrize(
    "hour, minute, expected", [(10, 0, "10am"), (14, 30, "2:30pm"), (12, 0, "midday"), (0, 0, "midnight")]
)
def test_it_writes_times_the_govuk_way(hour, minute, expected):
    from slihub.workshops.selectors import govuk_time

    assert govuk_time(at(3, hour, minute)) == expected


def test_the_list_page_reads_the_same_queries_however_many_events(
    places, people, client, django_assert_max_num_queries
):
    make_event(people["national_admin"], places.london)
    with CaptureQueriesContext(connection) as one:
        client.get("/workshops/")
    for i in range(5):
        make_event(people["national_admin"], places.yorkshire, title=f"Workshop {i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/workshops/").status_code == 200


def test_a_cancelled_workshops_page_says_so_to_the_people_registered(places, people, as_persona):
    event = make_event(people["london_coordinator"], places.london)
    services.register(user=people["camden_analyst"], event=event)
    services.cancel_event(user=people["london_coordinator"], event=event)
    document = page(as_persona("camden_analyst").get(f"/workshops/{event.pk}/"))
    assert document.one("div", id="your-place").text == (
        "This workshop is cancelled: you no longer need to keep the date."
    )
    assert document.find("a", id="cancel-place") is None
    assert document.find("button", id="register") is None


def test_a_refused_registration_says_why_under_important_not_success(places, people, as_persona):
    event = make_event(people["london_coordinator"], places.london)
    client = as_persona("camden_analyst")
    first = client.post(f"/workshops/{event.pk}/register/", follow=True)
    again = client.post(f"/workshops/{event.pk}/register/", follow=True)

    assert page(first).one(class_="govuk-notification-banner__title").text == "Success"
    banner = page(again).one(class_="govuk-notification-banner")
    assert banner.one(class_="govuk-notification-banner__title").text == "Important"
    assert "already registered" in banner.text
