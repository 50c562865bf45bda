"""GOV.UK Design System conventions for Django forms: classes, error states and error summaries.

Also the hub's one rule on what a person may type (the API's schemas use the same checks):
- no control characters in any field: C0 other than tab, newline and carriage return, DEL, C1, and
  unpaired surrogates (PostgreSQL refuses a NUL, and none of them is anything a person means to type);
- numbers in the digits 0 to 9 only: superscript (²⁰²⁴), full-width or Arabic-Indic digits are refused
  with a clear message rather than read as a number, so that what is stored is what the page shows;
- numbers of a plausible length, checked before int() or Decimal() is tried (Python refuses to read an
  integer of more than 4,300 digits, and nothing the hub counts needs more than a few).
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from slihub.govuk_dates import PARTS as DATE_PARTS
from slihub.govuk_dates import GovukDateInput
from slihub.govuk_messages import govuk_messages

# C0 controls except tab (09), newline (0A) and carriage return (0D); DEL; C1 controls; lone surrogates.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# The longest number any form field takes, in characters (a cost like 99,999,999.99 is 13).
MAX_NUMBER_LENGTH = 20
# A plain number in the digits 0 to 9: a sign, digits (commas allowed), a decimal point, an exponent of
# at most two digits (1e9, but never 1e99999, whose digits Decimal() would happily spell out).
ASCII_NUMBER = re.compile(r"[+-]?([0-9][0-9,]*(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def has_other_digits(value: str) -> bool:
    """Digits or numerals other than 0 to 9: superscripts, fractions, full-width, Arabic-Indic..."""
    return any(c.isnumeric() and not "0" <= c <= "9" for c in value)


def _lower_first(label: str) -> str:
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def text_error(label: str, value: str) -> str | None:
    """The GOV.UK error for a typed value with control characters in it, or None."""
    if has_control_characters(value):
        return f"{label} must not include control characters, such as a null character"
    return None


def number_error(label: str, value: str, *, invalid: str, too_long: str | None = None) -> str | None:
    """The error for a typed number that must not reach int() or Decimal(), or None: control characters,
    digits other than 0 to 9, anything but a plain number, or more characters than any field needs."""
    value = value.strip()
    if not value:
        return None
    if has_control_characters(value):
        return text_error(label, value)
    if has_other_digits(value):
        return f"Enter {_lower_first(label)} using only the digits 0 to 9"
    if len(value) > MAX_NUMBER_LENGTH:
        return too_long or invalid
    if not ASCII_NUMBER.fullmatch(value):
        return invalid
    return None


def whole_number(value: str, *, digits: int) -> int | None:
    """A whole number typed in the digits 0 to 9 with at most `digits` digits, else None (never an
    exception: superscripts and Arabic-Indic digits pass str.isdigit() but are refused here)."""
    value = value.strip()
    if not value or len(value) > digits or not value.isascii() or not value.isdigit():
        return None
    return int(value)


NUMBER_FIELDS = (forms.IntegerField, forms.FloatField, forms.DecimalField)


def _label(field, name: str) -> str:
    return str(field.label or name.replace("_", " ").capitalize())


def _strings(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def guard_field(field, name: str):
    """Wraps a field's clean() so that bad input is refused with a message before the field parses it."""
    clean = field.clean

    def guarded_clean(value, *args, **kwargs):
        label = _label(field, name)
        for text in _strings(value):
            if isinstance(field, NUMBER_FIELDS):
                messages = field.error_messages
                too_long = (
                    messages.get("max_value") if getattr(field, "max_value", None) is not None else None
                )
                if too_long and "%(limit_value)s" in too_long:
                    too_long = too_long % {"limit_value": field.max_value}
                problem = number_error(label, text, invalid=messages["invalid"], too_long=too_long)
            else:
                problem = text_error(label, text)
            if problem:
                raise ValidationError(problem, code="bad_input")
        return clean(value, *args, **kwargs)

    field.clean = guarded_clean
    return field


WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.PasswordInput: "govuk-input",
}


# A text box of at least this many characters, and every textarea with a maximum, shows GOV.UK's
# character count ("You have 20 characters remaining") rather than refusing silently at the limit.
COUNTED_FROM = 200


def character_count(field) -> int | None:
    """The maximum the character count shows for a field, or None for a field without one."""
    limit = getattr(field, "max_length", None)
    if limit is None or type(field.widget) not in (forms.Textarea, forms.TextInput):
        return None
    return int(limit) if isinstance(field.widget, forms.Textarea) or int(limit) >= COUNTED_FROM else None


class GovukFormMixin:
    """For a Django form: GOV.UK classes, `aria-describedby` for hints and errors, error styling, GOV.UK's
    wording for Django's default messages, character counts and date inputs (web/forms/field.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            base = WIDGET_CLASSES.get(type(field.widget), "govuk-input")
            field.widget.attrs["class"] = " ".join(filter(None, [base, field.widget.attrs.get("class", "")]))
            govuk_messages(field, _label(field, name))
            field.character_count = character_count(field) if self._auto_id(name) else None
            field.character_count_words = f"{field.character_count:,}" if field.character_count else ""
            if field.character_count:
                # The count tells people the limit as they type; the browser's maxlength would cut a
                # pasted text short without saying so (GOV.UK advises against it).
                field.widget.attrs.pop("maxlength", None)
                field.widget.attrs["class"] += " govuk-js-character-count"
            described = self._described_by(name)
            if described:
                field.widget.attrs["aria-describedby"] = described
            guard_field(field, name)

    def _auto_id(self, name) -> str:
        """A field's id as BoundField.auto_id gives it, without making the BoundField: a bound field
        keeps the label and hint it was made with, and a form's own __init__ may change them after ours."""
        auto_id, html_name = self.auto_id, self.add_prefix(name)
        if auto_id and "%s" in str(auto_id):
            return str(auto_id) % html_name
        return html_name if auto_id else ""

    def _described_by(self, name, error=False) -> str:
        field, html_name = self.fields[name], self.add_prefix(name)
        ids = [f"{html_name}-hint"] if field.help_text else []
        if getattr(field, "character_count", None):
            ids.append(f"{self._auto_id(name)}-info")
        if error:
            ids.append(f"{html_name}-error")
        return " ".join(ids)

    def add_error(self, field, error):
        """Every error, from validation or added by a view afterwards (a service's refusal), marks its
        field: the error class, and aria-describedby naming the error message."""
        super().add_error(field, error)
        self._mark_errors()

    def _mark_errors(self):
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            widget = field.widget
            if isinstance(widget, GovukDateInput):
                # Only the boxes at fault: the missing part, or all three (GOV.UK's date input).
                widget.error_parts = getattr(field, "error_parts", ()) or DATE_PARTS
                continue
            base = widget.attrs["class"].split()[0]
            if f"{base}--error" not in widget.attrs["class"].split():
                widget.attrs["class"] += f" {base}--error"
            widget.attrs["aria-describedby"] = self._described_by(name, error=True)

    def _error_target(self, name) -> str:
        """The id an error summary links to: a date input's first box at fault."""
        field = self.fields[name]
        if isinstance(field.widget, GovukDateInput):
            parts = field.widget.error_parts or DATE_PARTS
            return f"{self[name].auto_id}-{parts[0]}"
        return self[name].auto_id

    def error_list(self):
        """(field id, message) pairs for the error summary, in field order; ids carry the form's prefix,
        so that a page with several forms links each error to its own field."""
        items = [
            (self._error_target(name), error) for name in self.fields for error in self.errors.get(name, [])
        ]
        first = next(iter(self.fields), None)
        return [(self._error_target(first) if first else "", e) for e in self.non_field_errors()] + items
