from django import forms

from slihub.govuk import GovukFormMixin
from slihub.places.models import Authority


class DirectorChangeForm(GovukFormMixin, forms.Form):
    authority = forms.ModelChoiceField(
        Authority.objects.current(),
        label="Council",
        empty_label="Choose a council",
        to_field_name="code",
        error_messages={"required": "Choose the council", "invalid_choice": "Choose the council"},
    )
    started_on = forms.DateField(
        label="Date the new director started",
        help_text="For example, 27/3/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date the new director started",
            "invalid": "Enter the date as day/month/year, like 27/3/2026",
        },
    )
    name = forms.CharField(label="New director's name (optional)", max_length=120, required=False)
    interim = forms.BooleanField(label="This is an interim appointment", required=False)
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)
