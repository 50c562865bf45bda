"""The workshops' iCalendar (RFC 5545): the feed of every published workshop, each region's feed, and one
event's file, parsed with the `icalendar` package."""

from datetime import UTC, timedelta

import icalendar
import pytest
from django.test import override_settings

from slihub.workshops import services
from slihub.workshops.models import Event
from tests.integration.test_workshops import at, make_event


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_of(calendar) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def workshops(places, people):
    organiser = people["national_admin"]
    return {
        "london": make_event(organiser, places.london, title="London: edge of care"),
        "yorkshire": make_event(organiser, places.yorkshire, title="Yorkshire: youth work", theme="youth"),
        "national": make_event(organiser, None, title="National: family help"),
        "draft": make_event(organiser, places.london, title="A draft", publish=False),
    }


@override_settings(SITE_URL="https://slihub.example.org")
def test_the_feed_lists_every_published_workshop(workshops, client):
    calendar = parse(client.get("/workshops/calendar.ics"))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//SLI Hub//Regional knowledge workshops//EN"
    found = events_of(calendar)
    assert sorted(found) == ["London: edge of care", "National: family help", "Yorkshire: youth work"]
    london = workshops["london"]
    item = found["London: edge of care"]
    assert str(item["UID"]) == f"{london.uid}@slihub.example.org"
    assert item.decoded("DTSTART") == london.starts_at.astimezone(UTC)
    assert item.decoded("DTSTART").utcoffset() == timedelta(0)
    assert item.decoded("DTEND") == london.ends_at.astimezone(UTC)
    assert item.decoded("DTSTAMP").utcoffset() == timedelta(0)
    utc = london.starts_at.astimezone(UTC)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z".encode() in client.get("/workshops/calendar.ics").content
    assert str(item["URL"]) == f"https://slihub.example.org/workshops/{london.pk}/"
    assert str(item["LOCATION"]) == "Camden Town Hall, Judd Street, London"
    assert f"https://slihub.example.org/workshops/{london.pk}/" in str(item["DESCRIPTION"])
    assert int(item["SEQUENCE"]) == 0
    assert str(item["STATUS"]) == "CONFIRMED"


def test_the_feed_is_crlf_with_folded_lines(places, people, client):
    long_title = "A workshop" + " with a very long title" * 6
    make_event(people["national_admin"], places.london, title=long_title)
    content = client.get("/workshops/calendar.ics").content
    lines = content.split(b"\r\n")
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    title = str(events_of(icalendar.Calendar.from_ical(content)).popitem()[1]["SUMMARY"])
    assert title == long_title


def test_a_regions_feed_lists_its_workshops_only(workshops, client):
    found = events_of(parse(client.get("/workshops/regions/yorkshire-and-the-humber/calendar.ics")))
    assert list(found) == ["Yorkshire: youth work"]
    assert client.get("/workshops/regions/atlantis/calendar.ics").status_code == 404
    assert client.get("/workshops/regions/inner-london/calendar.ics").status_code == 404  # not a region


def test_a_change_raises_the_sequence_and_keeps_the_uid(workshops, people, client):
    london = workshops["london"]
    before = events_of(parse(client.get("/workshops/calendar.ics")))["London: edge of care"]
    services.update_event(
        user=people["national_admin"], event=london, starts_at=at(31, 11), ends_at=at(31, 12)
    )
    after = events_of(parse(client.get("/workshops/calendar.ics")))["London: edge of care"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART") == at(31, 11).astimezone(UTC)


def test_a_cancelled_workshop_stays_in_the_feed_as_cancelled(workshops, people, client):
    services.cancel_event(user=people["national_admin"], event=workshops["yorkshire"])
    item = events_of(parse(client.get("/workshops/calendar.ics")))["Yorkshire: youth work"]
    assert str(item["STATUS"]) == "CANCELLED"
    assert int(item["SEQUENCE"]) == 1


def test_an_events_file_has_one_event_and_a_reminder(workshops, client):
    london = workshops["london"]
    response = client.get(f"/workshops/{london.pk}/event.ics")
    calendar = parse(response)
    (item,) = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == "London: edge of care"
    (alarm,) = item.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(days=1)
    assert 'filename="london-edge-of-care.ics"' in response["Content-Disposition"]


def test_the_online_link_is_in_the_file_only_for_people_with_a_place(places, people, as_persona):
    event = make_event(
        people["national_admin"],
        places.london,
        capacity=1,
        format=Event.Format.ONLINE,
        venue="",
        online_link="https://meet.example.org/w",
    )
    services.register(user=people["camden_analyst"], event=event)
    services.register(user=people["leeds_admin"], event=event)  # waitlisted
    client = as_persona("camden_analyst")
    (item,) = parse(client.get(f"/workshops/{event.pk}/event.ics")).walk("VEVENT")
    assert "https://meet.example.org/w" in str(item["DESCRIPTION"])
    assert str(item["LOCATION"]) == "Online"
    client.force_login(people["leeds_admin"])
    (item,) = parse(client.get(f"/workshops/{event.pk}/event.ics")).walk("VEVENT")
    assert "meet.example.org" not in str(item["DESCRIPTION"])
    client.logout()
    assert b"meet.example.org" not in client.get(f"/workshops/{event.pk}/event.ics").content


def test_a_drafts_file_is_for_its_organisers_only(workshops, as_persona):
    draft = workshops["draft"]
    assert as_persona("anonymous").get(f"/workshops/{draft.pk}/event.ics").status_code == 404
    client = as_persona("national_admin")
    (item,) = parse(client.get(f"/workshops/{draft.pk}/event.ics")).walk("VEVENT")
    assert str(item["STATUS"]) == "TENTATIVE"


def test_the_feed_with_no_workshops_is_still_a_calendar(places, client):
    calendar = parse(client.get("/workshops/calendar.ics"))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "SLI Hub workshops"
