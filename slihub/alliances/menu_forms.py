"""Forms for the menu of support: an ask, an offer backed by the council's strengths, and the area filter.
They read what was typed; the rules (whose specialists, which strengths) are menu.py's."""

from __future__ import annotations

import re

from django import forms

from slihub.exchange.taxonomy import GROUPS
from slihub.govuk import GovukFormMixin

AREA_CHOICES = [("", "Choose an area")] + [(group, list(areas)) for group, areas in GROUPS]
FILTER_CHOICES = [("", "All areas")] + [(group, list(areas)) for group, areas in GROUPS]
SEPARATORS = re.compile(r"[\s,]+")


class MenuItemForm(GovukFormMixin, forms.Form):
    area = forms.ChoiceField(
        label="Area of support",
        choices=AREA_CHOICES,
        error_messages={"required": "Choose an area of support"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    details = forms.CharField(
        label="Details",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Details must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].error_messages["invalid_choice"] = "Choose an area of support"


class AskForm(MenuItemForm):
    """Ticks for the indicators where the council is weakest, and any others typed by short name."""

    needs = forms.MultipleChoiceField(
        label="Indicators that show the need", required=False, widget=forms.CheckboxSelectMultiple
    )
    indicators = forms.CharField(
        label="Other indicators that show the need",
        required=False,
        max_length=2000,
        help_text="The indicators' short names from their page addresses, separated by spaces, for example "
        "care-leavers-in-suitable-accommodation",
        error_messages={"max_length": "Other indicators must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [(str(value), text) for value, text in needs]
        self.fields["needs"].error_messages["invalid_choice"] = "Choose only the indicators listed"

    def clean_indicators(self) -> list[str]:
        return [s for s in SEPARATORS.split(self.cleaned_data.get("indicators") or "") if s]

    def chosen_indicators(self) -> list[str]:
        """The ticked indicators, then those typed, once each."""
        data = self.cleaned_data
        return list(dict.fromkeys([*data.get("needs", []), *data.get("indicators", [])]))


class OfferForm(MenuItemForm):
    """Ticks for the council's own strengths: indicators, listed specialists, validated practice."""

    indicators = forms.MultipleChoiceField(
        label="Indicators that back the offer", required=False, widget=forms.CheckboxSelectMultiple
    )
    specialists = forms.MultipleChoiceField(
        label="Specialists from the exchange", required=False, widget=forms.CheckboxSelectMultiple
    )
    practices = forms.MultipleChoiceField(
        label="Validated local practice", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, indicators=(), specialists=(), practices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = {"indicators": indicators, "specialists": specialists, "practices": practices}
        for name, options in choices.items():
            self.fields[name].choices = [(str(value), text) for value, text in options]
            self.fields[name].error_messages["invalid_choice"] = {
                "indicators": "Choose only the indicators listed as strengths",
                "specialists": "Choose only the specialists listed",
                "practices": "Choose only the local practice listed",
            }[name]


class AreaFilter(GovukFormMixin, forms.Form):
    area = forms.ChoiceField(label="Area of support", choices=FILTER_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].error_messages["invalid_choice"] = "Choose an area of support from the list"
