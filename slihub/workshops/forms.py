"""Forms for workshops: the organisers' event form (a GOV.UK date input, start and end times typed as
people write them, "10am" or "14:30"), the cancellation form, and the list's filters."""

from __future__ import annotations

import re
from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from slihub.evidence.models import LocalPractice, Practice
from slihub.exchange.taxonomy import THEMES
from slihub.govuk import GovukFormMixin
from slihub.govuk_dates import GovukDateField
from slihub.places.models import Region
from slihub.workshops.models import Event
from slihub.workshops.services import MAX_CAPACITY, MAX_SUMMARY

NATIONAL = "national"
TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
MAX_LINKED = 30


def read_time(value: str, label: str) -> time:
    """'10am', '10:30am', '2.30pm', '14:30', 'midday' -> a time; ValidationError naming the field if not."""
    text = " ".join(value.strip().lower().split())
    if text in ("midday", "noon", "12 noon"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = TIME.match(text)
    problem = f"Enter the {label.lower()} as a time, like 10am, 2:30pm or 14:30"
    if not match or not text.isascii():
        raise ValidationError(problem)
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise ValidationError(problem)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(problem)
    return time(hour, minute)


def _lines(value: str) -> list[str]:
    """Names or numbers, one a line (or separated by commas); addresses are read by their last part."""
    items = []
    for raw in re.split(r"[\n,]+", value or ""):
        item = raw.strip().rstrip("/")
        if item:
            items.append(item.rsplit("/", 1)[-1])
    return list(dict.fromkeys(items))


class EventForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    summary = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the workshop covers, who it is for, and what councils will share",
    )
    theme = forms.ChoiceField(
        label="Theme",
        choices=[("", "Choose a theme"), *THEMES],
        error_messages={"required": "Choose a theme", "invalid_choice": "Choose a theme"},
    )
    region = forms.ChoiceField(
        label="Region",
        error_messages={"required": "Choose a region", "invalid_choice": "Choose a region"},
    )
    format = forms.ChoiceField(
        label="How people take part",
        choices=Event.Format.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether it is online, in person, or both",
            "invalid_choice": "Choose whether it is online, in person, or both",
        },
    )
    venue = forms.CharField(
        label="Venue address",
        required=False,
        max_length=300,
        help_text="For a workshop in person: the building, street and town",
    )
    online_link = forms.CharField(
        label="Link to join online",
        required=False,
        max_length=200,
        help_text="Starting https://. Only people with a place see it.",
    )
    on = GovukDateField(
        label="Date",
        help_text="For example, 14 12 2026",
        error_messages={
            "required": "Enter the date of the workshop",
            "incomplete": "The date must include a %(missing)s",
            "invalid": "The date must be a real date, like 14 12 2026",
            "year": "The date must be a real date, like 14 12 2026",
        },
    )
    starts = forms.CharField(
        label="Start time",
        max_length=20,
        help_text="For example, 10am or 14:30",
        error_messages={"required": "Enter the start time"},
    )
    ends = forms.CharField(
        label="End time",
        max_length=20,
        help_text="For example, 12:30pm",
        error_messages={"required": "Enter the end time"},
    )
    capacity = forms.IntegerField(
        label="Number of places",
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text="When they are taken, people can join a waitlist",
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number, like 30",
            "min_value": "The number of places must be 1 or more",
            "max_value": f"The number of places must be {MAX_CAPACITY:,} or fewer",
        },
    )
    practices = forms.CharField(
        label="Practices from the evidence library",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, by the name in its address: for example functional-family-therapy",
    )
    local_practices = forms.CharField(
        label="Validated local practice",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, by the number in its address: for example 12",
    )
    notify = forms.BooleanField(
        label="Email the people registered if the time or place changes", required=False, initial=True
    )

    def __init__(self, *args, regions=(), national: bool = False, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a region")] + [(r.slug, r.name) for r in regions]
        if national:
            choices.append((NATIONAL, "National (all of England)"))
        self.fields["region"].choices = choices
        self.regions = {r.slug: r for r in regions}
        self.fields["online_link"].widget.attrs["spellcheck"] = "false"
        self.fields["summary"].widget.attrs["class"] += " govuk-js-character-count"
        self.fields["capacity"].widget.attrs.update(
            {"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}
        )
        self.fields["capacity"].widget.input_type = "text"
        for name in ("starts", "ends"):
            self.fields[name].widget.attrs["class"] += " govuk-input--width-5"
        if not published:
            del self.fields["notify"]

    @staticmethod
    def initial_for(event: Event) -> dict:
        local_start, local_end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {
            "title": event.title,
            "summary": event.summary,
            "theme": event.theme,
            "region": event.region.slug if event.region_id else NATIONAL,
            "format": event.format,
            "venue": event.venue,
            "online_link": event.online_link,
            "on": local_start.date(),
            "starts": f"{local_start:%H:%M}",
            "ends": f"{local_end:%H:%M}",
            "capacity": event.capacity,
            "practices": "\n".join(event.practices.order_by("name").values_list("slug", flat=True)),
            "local_practices": "\n".join(
                str(pk) for pk in event.local_practices.values_list("pk", flat=True)
            ),
            "notify": True,
        }

    def clean_region(self):
        value = self.cleaned_data["region"]
        return None if value == NATIONAL else self.regions[value]

    def clean_online_link(self):
        value = self.cleaned_data["online_link"].strip()
        if value and (not value.startswith("https://") or " " in value or len(value) < 12):
            raise ValidationError("Enter the link to join online, starting https://")
        return value

    def clean_starts(self):
        return read_time(self.cleaned_data["starts"], "Start time")

    def clean_ends(self):
        return read_time(self.cleaned_data["ends"], "End time")

    def clean_practices(self):
        slugs = _lines(self.cleaned_data["practices"])
        if len(slugs) > MAX_LINKED:
            raise ValidationError(f"Link {MAX_LINKED} practices or fewer")
        found = {p.slug: p for p in Practice.objects.filter(slug__in=slugs)}
        missing = [s for s in slugs if s not in found]
        if missing:
            raise ValidationError(f"The evidence library has no practice called {', '.join(missing[:5])}")
        return [found[s] for s in slugs]

    def clean_local_practices(self):
        items = _lines(self.cleaned_data["local_practices"])
        if len(items) > MAX_LINKED:
            raise ValidationError(f"Link {MAX_LINKED} local practices or fewer")
        bad = [i for i in items if not (i.isascii() and i.isdigit() and len(i) <= 9)]
        if bad:
            raise ValidationError(f"Enter local practice by its number, like 12 (not {bad[0][:40]})")
        ids = [int(i) for i in items]
        found = {
            p.pk: p for p in LocalPractice.objects.filter(pk__in=ids, status=LocalPractice.Status.VALIDATED)
        }
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise ValidationError(f"No validated local practice has the number {', '.join(missing[:5])}")
        return [found[i] for i in ids]

    def clean(self):
        data = super().clean()
        on, starts, ends = data.get("on"), data.get("starts"), data.get("ends")
        if on and starts and ends:
            data["starts_at"] = timezone.make_aware(datetime.combine(on, starts))
            data["ends_at"] = timezone.make_aware(datetime.combine(on, ends))
            if ends <= starts:
                self.add_error("ends", "The end time must be after the start time")
        fmt = data.get("format")
        if fmt in (Event.Format.VENUE, Event.Format.HYBRID) and not data.get("venue"):
            self.add_error("venue", "Enter the venue's address")
        if fmt in (Event.Format.ONLINE, Event.Format.HYBRID) and not data.get("online_link"):
            if "online_link" not in self.errors:
                self.add_error("online_link", "Enter the link to join online")
        return data

    def event_values(self) -> dict:
        """What was entered, as the keyword arguments of services.create_event and update_event."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "theme": data["theme"],
            "region": data["region"],
            "format": data["format"],
            "venue": data["venue"],
            "online_link": data["online_link"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data["capacity"],
            "practices": data["practices"],
            "local_practices": data["local_practices"],
        }

    def error_list(self):
        """As GovukFormMixin's (a date's errors link to its first box at fault), the radios' to the first."""
        items = []
        for name in self.fields:
            target = "id_format_0" if name == "format" else self._error_target(name)
            items += [(target, error) for error in self.errors.get(name, [])]
        return [("id_title", e) for e in self.non_field_errors()] + items

    def add_service_errors(self, error: ValidationError) -> None:
        where = {"starts_at": "starts", "ends_at": "ends"}
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                field = where.get(name, name)
                for problem in problems:
                    self.add_error(field if field in self.fields else None, problem)
        else:
            for problem in error.messages:
                self.add_error(None, problem)


class CancelEventForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why it is cancelled (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="We email this to everyone registered",
    )


class FilterForm(forms.Form):
    region = forms.ChoiceField(label="Region", required=False)
    theme = forms.ChoiceField(label="Theme", required=False, choices=[("", "All themes"), *THEMES])
    when = forms.ChoiceField(
        label="When", required=False, choices=[("", "Upcoming"), ("past", "Past workshops")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(parent=None).order_by("name")
        self.regions = {r.slug: r for r in regions}
        self.fields["region"].choices = [
            ("", "All regions"),
            *((r.slug, r.name) for r in regions),
            (NATIONAL, "National workshops"),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {"region": None, "national": False, "theme": "", "past": False}
        data = self.cleaned_data
        return {
            "region": self.regions.get(data["region"]),
            "national": data["region"] == NATIONAL,
            "theme": data["theme"],
            "past": data["when"] == "past",
        }
