"""Forms for support agreements and declared capacity: GOV.UK inputs and error summaries, dates as three
boxes (web/_date_input.html), and the "Save anyway" box that the capacity warning asks for."""

from __future__ import annotations

from django import forms

from slihub.alliances.models import AgreementStatus, SupportForm
from slihub.alliances.partner_forms import GovukDateField, date_parts
from slihub.alliances.support import MAX_CAPACITY, MAX_DAYS, MAX_TEXT, YEARS
from slihub.exchange.taxonomy import GROUPS
from slihub.govuk import GovukFormMixin

AREA_CHOICES = [("", "Choose an area"), *((group, list(items)) for group, items in GROUPS)]


def _council_choices(councils) -> list[tuple[str, str]]:
    return [("", "Choose a council"), *((a.code, a.name) for a in councils)]


class SupportFormBase(GovukFormMixin, forms.Form):
    def error_list(self):
        """As GovukFormMixin's, with a date's errors linked to its day box (web/_date_input.html)."""
        items = []
        for name, field in self.fields.items():
            target = f"{name}-day" if isinstance(field, GovukDateField) else self[name].auto_id
            items += [(target, error) for error in self.errors.get(name, [])]
        first = next(iter(self.fields), None)
        return [(self[first].auto_id if first else "", e) for e in self.non_field_errors()] + items

    def date_inputs(self) -> dict[str, dict]:
        """For each date field: what web/_date_input.html needs."""
        return {
            name: {
                "prefix": name,
                "legend": field.label,
                "hint": field.help_text,
                "parts": date_parts(self[name]),
                "error": " ".join(self.errors.get(name, [])),
            }
            for name, field in self.fields.items()
            if isinstance(field, GovukDateField)
        }

    def add_service_errors(self, error) -> None:
        for name, problems in error.message_dict.items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)


class AgreementForm(SupportFormBase):
    supporting = forms.ChoiceField(
        label="Council giving the support",
        error_messages={
            "required": "Choose the council giving the support",
            "invalid_choice": "Choose a council",
        },
    )
    supported = forms.ChoiceField(
        label="Council receiving the support",
        error_messages={
            "required": "Choose the council receiving the support",
            "invalid_choice": "Choose a council",
        },
    )
    area = forms.ChoiceField(
        label="Area of support",
        choices=AREA_CHOICES,
        error_messages={"required": "Choose the area of support", "invalid_choice": "Choose an area"},
    )
    form = forms.ChoiceField(
        label="Form of support",
        choices=[("", "Choose the form"), *SupportForm.choices],
        error_messages={"required": "Choose the form of support", "invalid_choice": "Choose the form"},
    )
    starts_on = GovukDateField(
        label="Start date", help_text="Its days count in the year (April to March) it starts in."
    )
    ends_on = GovukDateField(label="End date")
    days = forms.IntegerField(
        label="Days of support",
        min_value=1,
        max_value=MAX_DAYS,
        help_text="Days the supporting council gives, in whole days",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the days of support",
            "invalid": "Days must be a whole number, like 10",
            "min_value": "Days must be 1 or more",
            "max_value": f"Days must be {MAX_DAYS} or fewer",
        },
    )
    expected_outcomes = forms.CharField(
        label="Outcomes expected",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the outcomes expected",
            "max_length": f"Outcomes expected must be {MAX_TEXT:,} characters or fewer",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=AgreementStatus.choices,
        error_messages={"invalid_choice": "Choose the status"},
    )
    achieved_outcomes = forms.CharField(
        label="Outcomes achieved",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Outcomes achieved must be {MAX_TEXT:,} characters or fewer"},
    )
    loan = forms.ChoiceField(
        label="Exchange loan",
        required=False,
        help_text="For a secondment through the exchange: the loan from the supporting council to the "
        "supported council",
        error_messages={"invalid_choice": "Choose one of the loans listed"},
    )
    confirm_over_capacity = forms.BooleanField(label="Save anyway, beyond the capacity", required=False)

    def __init__(self, *args, councils=(), loans=(), new=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supporting"].choices = _council_choices(councils)
        self.fields["supported"].choices = _council_choices(councils)
        self.loans = {str(loan.pk): loan for loan in loans}
        if self.loans:
            self.fields["loan"].choices = [
                ("", "No loan"),
                *(
                    (
                        pk,
                        f"{loan.reference}: {loan.lender.name} to {loan.borrower.name}, "
                        f"{loan.start:%-d %B %Y} to {loan.end:%-d %B %Y}",
                    )
                    for pk, loan in self.loans.items()
                ),
            ]
        else:
            del self.fields["loan"]
        self.councils = {a.code: a for a in councils}
        if new:
            del self.fields["achieved_outcomes"]

    def clean(self):
        data = super().clean()
        if data.get("supporting") and data.get("supporting") == data.get("supported"):
            self.add_error(
                "supported", "A council cannot support itself: choose another council to receive it"
            )
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data

    def chosen_loan(self):
        return self.loans.get(self.cleaned_data.get("loan") or "")

    def agreement_values(self) -> dict:
        """What was entered, as the keyword arguments of support.create_agreement and update_agreement."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.fields if name not in ("supporting", "supported", "loan")}
        return dict(
            values,
            supporting=self.councils[data["supporting"]],
            supported=self.councils[data["supported"]],
            loan=self.chosen_loan(),
        )


class ProgressForm(SupportFormBase):
    status = forms.ChoiceField(
        label="Status",
        choices=AgreementStatus.choices,
        error_messages={"invalid_choice": "Choose the status"},
    )
    achieved_outcomes = forms.CharField(
        label="Outcomes achieved",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"Outcomes achieved must be {MAX_TEXT:,} characters or fewer"},
    )
    confirm_over_capacity = forms.BooleanField(label="Save anyway, beyond the capacity", required=False)


class CapacityForm(SupportFormBase):
    year = forms.IntegerField(
        label="Year, from April",
        min_value=YEARS[0],
        max_value=YEARS[1],
        help_text="The year it starts in: 2026 for April 2026 to March 2027",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the year, like 2026",
            "invalid": "Enter the year as four digits, like 2026",
            "min_value": f"Enter a year between {YEARS[0]} and {YEARS[1]}",
            "max_value": f"Enter a year between {YEARS[0]} and {YEARS[1]}",
        },
    )
    days = forms.IntegerField(
        label="Days the council can give other councils that year",
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text="In whole days. Enter 0 if it can give none.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the days the council can give",
            "invalid": "Days must be a whole number, like 40",
            "min_value": "Days must be 0 or more",
            "max_value": f"Days must be {MAX_CAPACITY:,} or fewer",
        },
    )
