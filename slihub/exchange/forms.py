from django import forms

from slihub.exchange import taxonomy
from slihub.exchange.models import HelpRequest, Mode, Seniority, six_month_error, swe_number_validator
from slihub.govuk import GovukFormMixin

DATE_HINT = "For example, 2030-01-07"


class GovukForm(GovukFormMixin, forms.Form):
    """The error summary links to each field's own id, prefix included (the loan page has several forms)."""

    def error_list(self):
        items = [(self[name].auto_id, error) for name in self.fields for error in self.errors.get(name, [])]
        first = next(iter(self.fields), None)
        return [(self[first].auto_id if first else "", e) for e in self.non_field_errors()] + items


def _date(label, hint=DATE_HINT, required=True):
    return forms.DateField(
        label=label,
        help_text=hint,
        required=required,
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date",
        },
    )


def _days_per_week(label="Days a week"):
    return forms.DecimalField(
        label=label,
        help_text="From 0.5 to 5, in half days",
        min_value=0.5,
        max_value=5,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the days a week",
            "invalid": "Enter the days a week as a number, like 2 or 2.5",
            "min_value": "Days a week must be at least 0.5",
            "max_value": "Days a week must be at most 5",
            "max_decimal_places": "Enter whole or half days, like 2 or 2.5",
        },
    )


def _expertise(label, hint):
    return forms.MultipleChoiceField(
        label=label,
        help_text=hint,
        choices=taxonomy.EXPERTISE,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one area of expertise"},
    )


class SpecialistForm(GovukForm):
    name = forms.CharField(
        label="Full name", max_length=120, error_messages={"required": "Enter the full name"}
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.gov.uk"},
    )
    role = forms.CharField(label="Role", max_length=120, error_messages={"required": "Enter the role"})
    seniority = forms.TypedChoiceField(
        label="Seniority",
        choices=Seniority.choices,
        coerce=int,
        error_messages={"required": "Select the seniority"},
    )
    expertise = _expertise("Expertise", "Select all that apply")
    accreditation = forms.CharField(label="Accreditation", max_length=200, required=False)
    swe_number = forms.CharField(
        label="Social Work England registration number",
        help_text="SW followed by digits, for example SW123456",
        max_length=12,
        required=False,
        validators=[swe_number_validator],
    )
    days_per_week = _days_per_week("Most days a week")
    remote = forms.BooleanField(label="Can work remotely", required=False)
    on_site = forms.BooleanField(label="Can work on site", required=False)
    available_from = _date("Available from")
    available_to = _date("Available until")
    consent_to_list = forms.BooleanField(
        label="They consent to be listed in the exchange (other councils see an anonymised profile)",
        required=False,
    )

    def clean_swe_number(self):
        return self.cleaned_data["swe_number"].strip().upper()

    def clean(self):
        data = super().clean()
        if not data.get("remote") and not data.get("on_site"):
            self.add_error("remote", "Select at least one way of working: remote or on site")
        start, end = data.get("available_from"), data.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", "The availability must end after it starts")
        return data


class HelpRequestForm(GovukForm):
    title = forms.CharField(
        label="The problem",
        help_text="In a sentence, for example: re-referrals at our front door are rising",
        max_length=200,
        error_messages={"required": "Enter the problem"},
    )
    expertise_needed = _expertise("Expertise needed", "Select all that apply")
    linked_indicators = forms.CharField(
        label="Linked indicators",
        help_text="Indicators that show the problem",
        max_length=500,
        required=False,
    )
    ofsted_findings = forms.CharField(
        label="Ofsted findings", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        error_messages={"required": "Enter a description of the help you need"},
    )
    start = _date("Start date")
    end = _date("End date", "At most six months after the start, extensions included. " + DATE_HINT)
    days_per_week = _days_per_week()
    mode = forms.ChoiceField(
        label="Where",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where"},
    )
    urgency = forms.TypedChoiceField(
        label="Urgency",
        choices=HelpRequest.Urgency.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the urgency"},
    )

    def clean(self):
        data = super().clean()
        message = six_month_error(data.get("start"), data.get("end"))
        if message:
            self.add_error("end", message)
        return data


class DeliveryForm(GovukForm):
    days = forms.DecimalField(
        label="Days delivered",
        help_text="In whole or half days",
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the days delivered",
            "invalid": "Enter the days as a number, like 2 or 2.5",
            "max_decimal_places": "Enter whole or half days, like 2 or 2.5",
        },
    )
    on = _date("Date delivered")
    memo = forms.CharField(label="Note", max_length=300, required=False)


class BackfillForm(GovukForm):
    acting_up = forms.CharField(
        label="Who acts up", max_length=120, error_messages={"required": "Enter who acts up"}
    )
    acting_role = forms.CharField(
        label="Role they act up into",
        max_length=120,
        error_messages={"required": "Enter the role they act up into"},
    )
    start = _date("From")
    end = _date("Until")


class EndLoanForm(GovukForm):
    last_day = _date("Last day of the loan")
    feedback = forms.CharField(label="Feedback", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome_notes = forms.CharField(
        label="Outcome notes", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExtendLoanForm(GovukForm):
    new_end = _date(
        "New end date", "At most six months after the loan's start, extensions included. " + DATE_HINT
    )


class DeclineForm(GovukForm):
    reason = forms.CharField(
        label="Why decline (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
