import copy

from django import forms
from django.core.exceptions import ValidationError

from slihub.exchange import taxonomy
from slihub.exchange.models import HelpRequest, Mode, Seniority, six_month_error, swe_number_validator
from slihub.govuk import GovukFormMixin, guard_field
from slihub.govuk_dates import DATE_HINT, GovukDateField
from slihub.places.models import Authority


class GovukForm(GovukFormMixin, forms.Form):
    """A plain form in GOV.UK style."""


def _date(label, hint=DATE_HINT, required=True, *, not_before_today=False, enter=None):
    """GOV.UK's date input: day, month and year boxes (the browser's date picker shows mm/dd/yyyy).
    `enter`: what the "Enter ..." message asks for, where the label does not read well after "Enter"."""
    return GovukDateField(
        label=label,
        help_text=hint,
        required=required,
        not_before_today=not_before_today,
        error_messages={"required": f"Enter {enter or 'the ' + label[0].lower() + label[1:]}"},
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
            "min_value": "Days a week must be 0.5 or more",
            "max_value": "Days a week must be 5 or less",
            "max_decimal_places": "Enter whole or half days, like 2 or 2.5",
        },
    )


def _expertise(label, hint):
    return forms.MultipleChoiceField(
        label=label,
        help_text=hint,
        choices=taxonomy.EXPERTISE,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one area of expertise",
            "invalid_choice": "Select areas of expertise from the list",
        },
    )


class SweNumberField(forms.CharField):
    """Capitals before the format check, so that "sw123456" is taken as SW123456."""

    def to_python(self, value):
        return super().to_python(value).upper()


class SpecialistDetailsForm(GovukForm):
    """A specialist's details: adding one (with a first availability window, below) or changing them."""

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
        error_messages={"required": "Select the seniority", "invalid_choice": "Select the seniority"},
    )
    expertise = _expertise("Expertise", "Select all that apply")
    accreditation = forms.CharField(label="Accreditation", max_length=200, required=False)
    swe_number = SweNumberField(
        label="Social Work England registration number",
        help_text="SW followed by digits, for example SW123456",
        max_length=12,
        required=False,
        validators=[swe_number_validator],
    )
    days_per_week = _days_per_week("Most days a week")
    remote = forms.BooleanField(label="Can work remotely", required=False)
    on_site = forms.BooleanField(label="Can work on site", required=False)
    consent_to_list = forms.BooleanField(
        label="They consent to be listed in the exchange (other councils see an anonymised profile)",
        required=False,
    )

    @classmethod
    def initial_of(cls, specialist) -> dict:
        return {name: getattr(specialist, name) for name in cls.base_fields}

    def clean(self):
        data = super().clean()
        if not data.get("remote") and not data.get("on_site"):
            self.add_error("remote", "Select at least one way of working: remote or on site")
        return data


class SpecialistForm(SpecialistDetailsForm):
    available_from = _date("Available from", enter="the date they are available from")
    available_to = _date("Available until", enter="the date they are available until")

    field_order = [*SpecialistDetailsForm.base_fields][:-1] + [
        "available_from",
        "available_to",
        "consent_to_list",
    ]

    def clean(self):
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", "The availability must end after it starts")
        return data


class WindowForm(GovukForm):
    start = _date("Available from", enter="the date they are available from")
    end = _date("Available until", enter="the date they are available until")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The availability must end after it starts")
        return data


class RedeemForm(GovukForm):
    days = forms.DecimalField(
        label="Days to redeem",
        help_text="In whole or half days, up to the council's credit",
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the days to redeem",
            "invalid": "Enter the days to redeem as a number, like 2 or 2.5",
            "max_decimal_places": "Enter whole or half days, like 2 or 2.5",
            "max_digits": "Enter the days to redeem as a number, like 2 or 2.5",
        },
    )
    memo = forms.CharField(
        label="What the credit is redeemed for",
        help_text="For example: a national peer review of our front door",
        max_length=300,
        error_messages={
            "required": "Enter what the credit is redeemed for",
            "max_length": "What the credit is redeemed for must be 300 characters or less",
        },
    )


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
    start = _date("Start date", "Today or later. " + DATE_HINT, not_before_today=True)
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
    partner = forms.ModelChoiceField(
        label="Ask a particular council",
        help_text="It sees the request addressed to it; any council may still offer a specialist",
        queryset=Authority.objects.filter(is_current=True).order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="Any council",
        error_messages={"invalid_choice": "Select a council from the list"},
    )

    def clean(self):
        data = super().clean()
        message = six_month_error(data.get("start"), data.get("end"))
        if message:
            self.add_error("end", message)
        return data


class OfferForm(GovukForm):
    """A council offers one of its own specialists for another council's request."""

    specialist = forms.TypedChoiceField(
        label="Specialist to offer",
        coerce=int,
        error_messages={
            "required": "Select a specialist to offer",
            "invalid_choice": "Select a specialist to offer",
        },
    )

    def __init__(self, *args, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [("", "Choose a specialist")] + [
            (s.pk, f"{s.name}, {s.role} ({s.authority.name}, {s.reference})") for s in specialists
        ]


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
    start = _date("Acting up from", enter="the date acting up starts")
    end = _date("Acting up until", enter="the date acting up ends")


class EndLoanForm(GovukForm):
    last_day = _date("Last day of the loan")
    feedback = forms.CharField(label="Feedback", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome_notes = forms.CharField(
        label="Outcome notes", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExtendLoanForm(GovukForm):
    new_end = _date(
        "New end date",
        "At most six months after the loan's start, extensions included. " + DATE_HINT,
        not_before_today=True,
    )


class DeclineForm(GovukForm):
    reason = forms.CharField(
        label="Why decline",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


# The "Ask for help" form's address may carry these (early warning links to it with the problem filled
# in). Each is checked as the form would check it; a value that would not pass is left out.
PREFILL = {
    "title": "title",
    "description": "description",
    "expertise": "expertise_needed",
    "urgency": "urgency",
    "linked_indicators": "linked_indicators",
    "ofsted_findings": "ofsted_findings",
    "start": "start",
    "end": "end",
    "days_per_week": "days_per_week",
    "mode": "mode",
    "partner": "partner",
}


URGENCY_NAMES = {label.lower(): str(value) for value, label in HelpRequest.Urgency.choices}


def prefill(query) -> dict:
    """Initial values for HelpRequestForm from a query string (a QueryDict): unknown parameters and
    values that are not valid (an unknown area of expertise, a date that does not exist, 9 days a week)
    are ignored, never an error. Expertise may repeat; the valid keys among them are kept."""
    fields = HelpRequestForm.base_fields
    initial = {}
    for parameter, name in PREFILL.items():
        values = [v for v in query.getlist(parameter) if isinstance(v, str) and v.strip()]
        if not values:
            continue
        field = guard_field(copy.deepcopy(fields[name]), name)  # the forms' own rules on what is typed
        if name == "expertise_needed":
            keys = [v.strip() for v in values if v.strip() in taxonomy.LABELS]
            if keys:
                initial[name] = list(dict.fromkeys(keys))
            continue
        if name == "linked_indicators":  # may repeat, one indicator each: kept as one line
            values = [", ".join(v.strip() for v in values)]
        if name == "urgency":  # the number or its name: 3 or "urgent"
            values[0] = URGENCY_NAMES.get(values[0].strip().lower(), values[0])
        try:
            value = field.clean(
                values[0].strip() if name not in ("description", "ofsted_findings") else values[0]
            )
        except (ValidationError, ValueError, TypeError, ArithmeticError):
            continue
        initial[name] = value
    if six_month_error(initial.get("start"), initial.get("end")):
        del initial["end"]  # the pair breaks the date rules: keep the start, let the person choose an end
    return initial
