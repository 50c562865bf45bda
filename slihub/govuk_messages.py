"""GOV.UK's wording for every form's validation messages, in place of Django's defaults.

GovukFormMixin calls govuk_messages() on each field: a message the form set itself is kept; one that is
still Django's default ("This field is required.", "Enter a whole number.", "Ensure this value has at
most 200 characters (it has 250).", "Select a valid choice. ...") is replaced by the Design System's
pattern for the field's label: "Enter the title", "Title must be 200 characters or less", "Age must be a
whole number", "Cohort must be 1 or more", "Select the council from the list".
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from slihub.govuk_dates import lower_first, subject

# Codes raised by a field's validators (MaxLengthValidator, MinValueValidator, ...) rather than listed in
# its default_error_messages: a form that did not set them gets GOV.UK's wording too.
VALIDATOR_CODES = (
    "max_length",
    "min_length",
    "max_value",
    "min_value",
    "step_size",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
)
# Fields whose format check is a validator raising "invalid" (a field's other validators keep their own).
FORMAT_FIELDS = (forms.EmailField, forms.URLField, forms.RegexField, forms.SlugField)
SELECTED = (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField, forms.FileField)
MULTIPLE = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


def _number(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float | Decimal) and value == int(value) and abs(value) < 10**15:
        return f"{int(value):,}"
    return str(value)


def _defaults(field) -> dict:
    """Django's own messages for this kind of field, as its __init__ collects them."""
    messages = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def wording(field, label: str) -> dict[str, str]:
    """GOV.UK's messages for a field, by error code."""
    name = subject(label)
    lower = lower_first(name)
    multiple = isinstance(field, MULTIPLE)
    chosen = isinstance(field, SELECTED) or multiple
    words = {
        "required": f"Select {lower}" if chosen else f"Enter {lower}",
        "invalid": f"Enter {lower} in the correct format",
        "invalid_choice": f"Select {lower} from the list",
        "invalid_list": f"Select {lower} from the list",
        "invalid_pk_value": f"Select {lower} from the list",
    }
    if isinstance(field, forms.FloatField | forms.DecimalField):  # both are IntegerFields to Django
        words["invalid"] = f"{name} must be a number"
    elif isinstance(field, forms.IntegerField):
        words["invalid"] = f"{name} must be a whole number"
    elif isinstance(field, forms.EmailField):
        words["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, forms.URLField):
        words["invalid"] = "Enter a web address in the correct format, like https://www.example.com"
    elif isinstance(field, forms.DateTimeField):
        words["invalid"] = f"{name} must be a real date and time"
    elif isinstance(field, forms.DateField):
        words["invalid"] = f"{name} must be a real date"
    elif isinstance(field, forms.TimeField):
        words["invalid"] = f"{name} must be a real time"
    if isinstance(field, forms.FileField):
        words.update(
            {
                "invalid": f"Select {lower}",
                "missing": f"Select {lower}",
                "empty": "The selected file is empty",
                "contradiction": f"Select {lower} or tick the box to clear it, not both",
            }
        )
        if field.max_length is not None:
            words["max_length"] = f"The file name must be {_number(field.max_length)} characters or less"
    else:
        if getattr(field, "max_length", None) is not None:
            words["max_length"] = f"{name} must be {_number(int(field.max_length))} characters or less"
        if getattr(field, "min_length", None) is not None:
            words["min_length"] = f"{name} must be {_number(int(field.min_length))} characters or more"
    if getattr(field, "min_value", None) is not None:
        words["min_value"] = f"{name} must be {_number(field.min_value)} or more"
    if getattr(field, "max_value", None) is not None:
        words["max_value"] = f"{name} must be {_number(field.max_value)} or less"
    if getattr(field, "step_size", None) is not None:
        words["step_size"] = f"{name} must be a multiple of {_number(field.step_size)}"
    if isinstance(field, forms.DecimalField):
        places = field.decimal_places
        if places == 0:
            words["max_decimal_places"] = f"{name} must be a whole number"
        elif places is not None:
            words["max_decimal_places"] = (
                f"{name} must have {places} decimal place{'s' if places > 1 else ''} or fewer"
            )
        if field.max_digits is not None:
            whole = field.max_digits - (places or 0)
            words["max_digits"] = words["max_whole_digits"] = f"{name} must be less than {_number(10**whole)}"
    return words


def govuk_messages(field, label: str) -> None:
    """Replaces each of a field's messages that is still Django's default with GOV.UK's wording."""
    defaults = _defaults(field)
    for code, message in wording(field, label).items():
        current = field.error_messages.get(code)
        validator = code in VALIDATOR_CODES or (code == "invalid" and isinstance(field, FORMAT_FIELDS))
        if current is None and validator:
            field.error_messages[code] = message
        elif current is not None and current is defaults.get(code):
            field.error_messages[code] = message
