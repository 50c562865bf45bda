"""Forms of the alliance pages: the cycle's dates (GOV.UK date inputs), signatures, groups, leadership."""

from __future__ import annotations

from datetime import date

from django import forms

from slihub.alliances.models import SignatoryRole
from slihub.alliances.services import STAGES
from slihub.govuk import GovukFormMixin, text_error

DATE_PARTS = ("day", "month", "year")


def read_date(
    data, prefix: str, label: str, errors: dict, *, required: bool = True
) -> tuple[date | None, dict]:
    """A GOV.UK date input (prefix-day, prefix-month, prefix-year): the date, or None with an error
    added to `errors[prefix]`."""
    parts = {part: str(data.get(f"{prefix}-{part}", "")).strip() for part in DATE_PARTS}
    if not any(parts.values()):
        if required:
            errors[prefix] = f"Enter the date {label[:1].lower() + label[1:]}"
        return None, parts
    for value in parts.values():
        problem = text_error(label, value)
        if problem:
            errors[prefix] = problem
            return None, parts
    missing = [part for part in DATE_PARTS if not parts[part]]
    if missing:
        errors[prefix] = f"{label} must include a {' and a '.join(missing)}"
        return None, parts
    if (
        not all(
            parts[part].isascii() and parts[part].isdigit() and len(parts[part]) <= 4 for part in DATE_PARTS
        )
        or len(parts["year"]) != 4
    ):
        errors[prefix] = f"{label} must be a real date, like 14 12 2026"
        return None, parts
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), parts
    except ValueError:
        errors[prefix] = f"{label} must be a real date, like 14 12 2026"
        return None, parts


def date_parts(value: date | None) -> dict:
    if value is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


class CycleDates:
    """The cycle form: a year and six GOV.UK date inputs, checked for order."""

    def __init__(self, data=None, *, initial: dict[str, date] | None = None, year: int | None = None):
        self.data = data
        self.errors: dict[str, str] = {}
        self.dates: dict[str, date | None] = {}
        self.parts = {name: date_parts((initial or {}).get(name)) for name, _ in STAGES}
        self.year_text = str(year or "")
        self.labels = dict(STAGES)

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        self.year_text = str(self.data.get("year", "")).strip()
        if not (self.year_text.isascii() and self.year_text.isdigit() and len(self.year_text) == 4):
            self.errors["year"] = "Enter the year the cycle starts, like 2026"
        for name, label in STAGES:
            self.dates[name], self.parts[name] = read_date(self.data, name, label, self.errors)
        return not self.errors

    @property
    def year(self) -> int:
        return int(self.year_text)

    def add_errors(self, errors: dict[str, list[str] | str]):
        for name, problems in errors.items():
            self.errors.setdefault(
                name if name in self.labels or name == "year" else "year",
                problems[0] if isinstance(problems, list) else problems,
            )

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) in the order of the form, for the error summary."""
        order = ["year", *self.labels]
        return [
            (f"{name}-day" if name in self.labels else name, self.errors[name])
            for name in order
            if name in self.errors
        ]

    def fields(self) -> list[dict]:
        return [
            {"name": name, "label": label, "parts": self.parts[name], "error": self.errors.get(name, "")}
            for name, label in STAGES
        ]


class SignatureForm(GovukFormMixin, forms.Form):
    authority = forms.ChoiceField(label="Council")
    role = forms.ChoiceField(label="Signed as", choices=SignatoryRole.choices)
    name = forms.CharField(label="Name of the person who signed", max_length=150)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", "Choose a council")] + [(a.code, a.name) for a in members]


class GroupForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Group name", max_length=100, help_text="For example, North Central London")
    authorities = forms.MultipleChoiceField(label="Councils", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authorities"].choices = [(a.code, a.name) for a in members]
        self.fields["authorities"].widget.attrs["class"] = "govuk-checkboxes__input"
        self.fields["authorities"].error_messages["required"] = "Choose at least one council"


class LeadershipForm(GovukFormMixin, forms.Form):
    lead_director = forms.CharField(label="Lead director", max_length=150, required=False)
    lead_authority = forms.ChoiceField(label="Lead director's council", required=False)
    core_indicators = forms.CharField(
        label="Core indicators",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text="One indicator a line, by the name in its address (for example, rereferral)",
        max_length=5000,
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_authority"].choices = [("", "None chosen")] + [(a.code, a.name) for a in members]
