"""GOV.UK's date input for Django forms: three boxes (day, month, year) named <name>-day, <name>-month and
<name>-year, read with the Design System's error messages ("Start date must include a month", "... must be
a real date", "... must be today or in the future").

Every form with a date uses GovukDateField rather than the browser's date picker, whose format follows the
browser's locale (mm/dd/yyyy in many) and so disagrees with any hint. Forms render it through
web/forms/field.html (a fieldset with the label as its legend); the widget draws only the boxes.
The API keeps ISO dates: this is for pages only.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

PARTS = ("day", "month", "year")
WIDTHS = {"day": "govuk-input--width-2", "month": "govuk-input--width-2", "year": "govuk-input--width-4"}
# The hint most date fields show (GOV.UK's own example uses a date in the year ahead).
DATE_HINT = "For example, 27 3 2027"


def subject(label: str) -> str:
    """The label as the subject of an error: "Start date (optional)" -> "Start date"."""
    return str(label).removesuffix(" (optional)").strip()


def lower_first(text: str) -> str:
    """ "Start date" -> "start date", but "SWE number" stays as it is."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class GovukDateInput(forms.MultiWidget):
    """The three boxes. `error_parts` (set by the form when the field has an error) names the boxes to
    mark: only the missing ones when a part is missing, all three otherwise, as GOV.UK does."""

    template_name = "web/forms/date_input.html"

    def __init__(self, attrs=None):
        boxes = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in PARTS]
        super().__init__(boxes, attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]  # <name>-day, not Django's <name>_0
        self.error_parts: tuple[str, ...] = ()

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:  # an ISO date, as an initial value or from a link
            try:
                return decompress_iso(value)
            except ValueError:
                pass
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or name
        for part, box in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            box["attrs"]["id"] = f"{base_id}-{part}"
            box["attrs"].pop("aria-describedby", None)  # the fieldset carries the hint and error
            classes = [c for c in box["attrs"].get("class", "").split() if c != "govuk-input--error"]
            classes = [c for c in classes if c not in ("govuk-input",)]
            classes = ["govuk-input", "govuk-date-input__input", WIDTHS[part], *classes]
            if part in self.error_parts:
                classes.append("govuk-input--error")
            box["attrs"]["class"] = " ".join(dict.fromkeys(classes))
            box["part"] = part
            box["label"] = part.capitalize()
        context["widget"]["id"] = base_id
        return context

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if any(p not in (None, "") for p in parts):
            return parts
        # A script or a link may post the date whole, as an ISO date under the field's own name.
        whole = data.get(name)
        return whole if isinstance(whole, str) and whole.strip() else None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}-{part}" not in data for part in PARTS)


def decompress_iso(value: str) -> list[int]:
    parsed = date.fromisoformat(value.strip())
    return [parsed.day, parsed.month, parsed.year]


class GovukDateField(forms.Field):
    """A date typed as day, month and year. `not_before_today`: the date must be today or later (for a
    plan: a help request, a loan's new end). `not_after_today`: today or earlier (for the record of
    something that has happened: a new director's first day)."""

    widget = GovukDateInput

    def __init__(
        self, *, label: str, not_before_today: bool = False, not_after_today: bool = False, **kwargs
    ):
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(label=label, **kwargs)
        self.not_before_today = not_before_today
        self.not_after_today = not_after_today
        self.error_parts: tuple[str, ...] = ()
        name = subject(label)
        defaults = {
            "required": f"Enter {lower_first(name)}",
            "incomplete": f"{name} must include a %(missing)s",
            "invalid": f"{name} must be a real date",
            "year": "Year must include 4 numbers",
            "past": f"{name} must be today or in the future",
            "future": f"{name} must be today or in the past",
        }
        # Messages a form gives override these; a field keeps Django's error_messages dict as usual.
        given = kwargs.get("error_messages") or {}
        self.error_messages = {**self.error_messages, **defaults, **given}

    def _fail(self, code: str, parts=PARTS, **params):
        self.error_parts = tuple(parts)
        raise ValidationError(self.error_messages[code], code=code, params=params or None)

    def to_python(self, value):
        self.error_parts = ()
        if isinstance(value, date):
            return value
        if isinstance(value, str):  # an ISO date: an initial value, or from a link that fills the form in
            if not value.strip():
                return None
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                self._fail("invalid")
        if not value or not any(str(v or "").strip() for v in value):
            return None
        typed = {part: str(v or "").strip() for part, v in zip(PARTS, value, strict=False)}
        missing = [part for part in PARTS if not typed.get(part)]
        if missing:
            self._fail("incomplete", missing, missing=_and(missing))
        if not all(v.isascii() and v.isdigit() and len(v) <= 4 for v in typed.values()):
            self._fail("invalid")
        if len(typed["year"]) != 4:
            self._fail("year", ("year",))
        try:
            return date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError:
            self._fail("invalid")

    def validate(self, value):
        if value in self.empty_values and self.required:
            self.error_parts = PARTS
        super().validate(value)
        if value and self.not_before_today and value < timezone.localdate():
            self._fail("past")
        if value and self.not_after_today and value > timezone.localdate():
            self._fail("future")

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


def date_field(label: str, hint: str = DATE_HINT, *, required: bool = True, **kwargs) -> GovukDateField:
    return GovukDateField(label=label, help_text=hint, required=required, **kwargs)
