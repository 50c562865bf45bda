"""The priority form: title, description, the indicators that track it (one address name a line, as the
alliance's core indicators), status, and the date agreed (a GOV.UK date input, read by forms.read_date)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from slihub.alliances.forms import date_parts, read_date
from slihub.alliances.models import PriorityStatus
from slihub.alliances.priorities import clean_indicators
from slihub.govuk import GovukFormMixin

DATE = "agreed_on"
DATE_LABEL = "Date agreed"


class PriorityForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="What the alliance agreed",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )
    indicators = forms.CharField(
        label="Indicators that track it",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One indicator a line, by the name in its address (for example, rereferral)",
        max_length=5000,
    )
    status = forms.ChoiceField(label="Status", choices=PriorityStatus.choices)

    def __init__(self, data=None, *, initial=None, agreed_on=None):
        super().__init__(data, initial=initial)
        self.fields["indicators"].error_messages["required"] = (
            "Choose at least one indicator to track the priority by"
        )
        self.fields["title"].error_messages["required"] = "Enter the priority's title"
        self.date_parts = date_parts(agreed_on)
        self.date_errors: dict[str, str] = {}
        self.agreed_on = agreed_on

    def is_valid(self) -> bool:
        valid = super().is_valid()
        self.agreed_on, self.date_parts = read_date(self.data, DATE, DATE_LABEL, self.date_errors)
        return valid and not self.date_errors

    def clean_indicators(self) -> list[str]:
        """Checked here as well as by the service, so that every problem shows at once."""
        try:
            return clean_indicators(self.cleaned_data["indicators"].split())
        except ValidationError as error:
            raise ValidationError(error.message_dict["indicators"]) from None

    @property
    def slugs(self) -> list[str]:
        return self.cleaned_data["indicators"]

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for name, problems in message_dict.items():
            if name == DATE:
                self.date_errors[DATE] = problems[0]
            else:
                self.add_error(name if name in self.fields else None, problems[0])

    @property
    def date_error(self) -> str:
        return self.date_errors.get(DATE, "")

    def all_errors(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary, in the order of the page (the date comes last)."""
        return list(self.error_list()) + [(f"{DATE}-day", e) for e in self.date_errors.values()]
