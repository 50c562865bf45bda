"""iCalendar (RFC 5545) for workshops: the feeds (every published workshop, or one region's) and one
event's file, written with the `icalendar` package (CRLF line endings, lines folded at 75 octets).

Each event keeps its UID (<event.uid>@<the hub's host>) for life and raises its SEQUENCE on every change
once published, so a calendar that subscribed updates the event rather than adding a second one; a
cancelled workshop stays in the feed with STATUS:CANCELLED so that calendars remove it. Times are in UTC.
The online link is never in a feed: only people with a place see it, in their own event file.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from slihub.workshops.models import Event
from slihub.workshops.selectors import THEME_LABELS

PRODID = "-//SLI Hub//Regional knowledge workshops//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid(event: Event) -> str:
    return f"{event.uid}@{host()}"


def _location(event: Event) -> str:
    if event.format == Event.Format.ONLINE:
        return "Online"
    if event.format == Event.Format.HYBRID:
        return f"{event.venue} (or online)"
    return event.venue


def component(event: Event, *, online_link: bool = False, alarm: bool = False) -> VEvent:
    url = f"{settings.SITE_URL}{reverse('workshop-detail', kwargs={'pk': event.pk})}"
    region = event.region.name if event.region_id else "National"
    description = [event.summary] if event.summary else []
    description.append(f"Theme: {THEME_LABELS.get(event.theme, event.theme)}. Region: {region}.")
    if online_link and event.online_link and event.format != Event.Format.VENUE:
        description.append(f"Join online: {event.online_link}")
    description.append(f"Details and registration: {url}")
    item = VEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    item.add("created", event.created_at.astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(UTC))
    item.add("dtend", event.ends_at.astimezone(UTC))
    item.add("summary", event.title)
    item.add("description", "\n\n".join(description))
    item.add("location", _location(event))
    item.add("url", url)
    item.add("sequence", event.sequence)
    item.add("categories", [THEME_LABELS.get(event.theme, event.theme)])
    if event.status == Event.Status.CANCELLED:
        item.add("status", "CANCELLED")
    elif event.status == Event.Status.PUBLISHED:
        item.add("status", "CONFIRMED")
    else:
        item.add("status", "TENTATIVE")
    if alarm and event.status != Event.Status.CANCELLED:
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", f"Tomorrow: {event.title}")
        reminder.add("trigger", timedelta(days=-1))
        item.add_component(reminder)
    return item


def calendar(events, *, name: str, **options) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    for event in events:
        cal.add_component(component(event, **options))
    return cal.to_ical()


def feed(events, *, region=None) -> bytes:
    name = f"SLI Hub workshops: {region.name}" if region is not None else "SLI Hub workshops"
    return calendar(events, name=name)


def event_file(event: Event, *, with_place: bool = False) -> bytes:
    """One workshop's file, with a reminder the day before; its online link for people with a place."""
    return calendar([event], name=event.title, online_link=with_place, alarm=True)
