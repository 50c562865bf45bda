"""Forms for statutory interventions and the Partners in Practice date picker: GOV.UK date inputs
(day, month and year boxes) with the Design System's error messages."""

from __future__ import annotations

from datetime import date

from django import forms

from slihub.govuk import GovukFormMixin
from slihub.govuk_dates import PARTS
from slihub.govuk_dates import GovukDateField as SharedDateField
from slihub.inspections.models import InterventionKind
from slihub.places.models import Authority


class GovukDateField(SharedDateField):
    """The hub's GOV.UK date field (slihub/govuk_dates.py) in these pages' words; the boxes are drawn by
    alliances/partners/_date.html (ids id_<name>, id_<name>-month, id_<name>-year)."""

    def __init__(self, *, label: str, **kwargs):
        real = f"{label} must be a real date, like 14 12 2026"
        kwargs["error_messages"] = {
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": real,
            "year": real,
            **kwargs.get("error_messages", {}),
        }
        kwargs.setdefault("help_text", "")
        super().__init__(label=label, **kwargs)

    def _fail(self, code, parts=PARTS, **params):
        if code == "incomplete":  # "a day and a year", as these pages have always said
            params["missing"] = " and a ".join(parts)
        super()._fail(code, parts, **params)


def date_parts(bound_field) -> dict:
    """The day, month and year to show in a bound date field's boxes (as typed, or from its value)."""
    value = bound_field.value()
    if isinstance(value, date):
        return {"day": value.day, "month": value.month, "year": value.year}
    if isinstance(value, tuple | list):
        return dict(zip(PARTS, value, strict=False))
    return {}


class GovukForm(GovukFormMixin, forms.Form):
    def _error_target(self, name) -> str:
        """_date.html gives the day box the field's own id: a summary link to it drops "-day"."""
        return super()._error_target(name).removesuffix("-day")

    def date_fields(self) -> frozenset[str]:
        return frozenset(name for name, field in self.fields.items() if isinstance(field, GovukDateField))


class InterventionForm(GovukForm):
    authority = forms.ModelChoiceField(
        label="Council",
        queryset=Authority.objects.order_by("name"),
        empty_label="Choose a council",
        error_messages={"required": "Choose the council", "invalid_choice": "Choose the council"},
    )
    kind = forms.ChoiceField(
        label="Kind of intervention",
        choices=[("", "Choose the kind"), *InterventionKind.choices],
        error_messages={"required": "Choose the kind of intervention", "invalid_choice": "Choose the kind"},
    )
    started_on = GovukDateField(label="The date it started")
    ended_on = GovukDateField(
        label="The date it ended",
        required=False,
        help_text="Its last day in force. Leave blank while it is still in force.",
    )
    source_url = forms.CharField(
        label="Link to the published source",
        max_length=500,
        help_text="DfE's notice or direction on GOV.UK, for example",
        error_messages={"required": "Enter the link to the published notice or direction"},
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, fixed_authority: Authority | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_authority is not None:
            del self.fields["authority"]
        self.fixed_authority = fixed_authority

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "The date it ended must be the same as or after the date it started")
        return data


class AsOfForm(GovukForm):
    as_of = GovukDateField(label="The date", required=False)
