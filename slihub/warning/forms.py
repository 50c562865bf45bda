from django import forms

from slihub.govuk import GovukFormMixin
from slihub.govuk_dates import GovukDateField
from slihub.places.models import Authority


class DirectorChangeForm(GovukFormMixin, forms.Form):
    authority = forms.ModelChoiceField(
        Authority.objects.current(),
        label="Council",
        empty_label="Choose a council",
        to_field_name="code",
        error_messages={"required": "Choose the council", "invalid_choice": "Choose the council"},
    )
    started_on = GovukDateField(
        label="Date the new director started",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the new director started"},
        not_after_today=True,
    )
    name = forms.CharField(label="New director's name", max_length=120, required=False)
    interim = forms.BooleanField(label="This is an interim appointment", required=False)
    note = forms.CharField(label="Note", max_length=300, required=False)
