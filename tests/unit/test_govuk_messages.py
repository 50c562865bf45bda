"""Every GOV.UK form speaks GOV.UK's words, never Django's defaults, and counts characters where a text
has a maximum length."""

import pytest
from django import forms

from slihub.govuk import GovukFormMixin


class Everything(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, max_length=5000, required=False)
    code = forms.CharField(label="Code", min_length=3, max_length=10, required=False)
    cohort = forms.IntegerField(label="Children in the cohort", min_value=0, max_value=5000, required=False)
    rate = forms.DecimalField(label="Rate", decimal_places=1, max_digits=4, required=False)
    share = forms.FloatField(label="Share", required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], required=False)
    email = forms.EmailField(label="Email address", required=False)
    site = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    custom = forms.CharField(
        label="Custom", max_length=5, required=False, error_messages={"max_length": "Too long"}
    )


def errors(data) -> dict:
    form = Everything(data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({}, "title", "Enter title"),
        ({"title": "x" * 250}, "title", "Title must be 200 characters or less"),
        ({"summary": "x" * 5001}, "summary", "Summary must be 5,000 characters or less"),
        ({"code": "ab"}, "code", "Code must be 3 characters or more"),
        ({"cohort": "-5"}, "cohort", "Children in the cohort must be 0 or more"),
        ({"cohort": "9000"}, "cohort", "Children in the cohort must be 5,000 or less"),
        ({"cohort": "lots"}, "cohort", "Children in the cohort must be a whole number"),
        ({"rate": "1.25"}, "rate", "Rate must have 1 decimal place or fewer"),
        ({"rate": "12345"}, "rate", "Rate must be less than 1,000"),
        ({"share": "half"}, "share", "Share must be a number"),
        ({"kind": "z"}, "kind", "Select kind from the list"),
        ({"email": "nope"}, "email", "Enter an email address in the correct format, like name@example.com"),
        ({"site": "nope"}, "site", "Enter a web address in the correct format, like https://www.example.com"),
        ({"custom": "toolong"}, "custom", "Too long"),  # a form's own message is kept
    ],
)
def test_djangos_default_messages_become_govuk_wording(data, field, message):
    assert errors({"title": "A title"} | data if field != "title" else data)[field] == [message]


def test_a_choice_left_empty_asks_to_select():
    class Choose(GovukFormMixin, forms.Form):
        council = forms.ChoiceField(label="Council", choices=[("1", "Leeds")])

    assert dict(Choose({}).errors) == {"council": ["Select council"]}


def test_long_texts_and_textareas_have_a_character_count_and_short_ones_do_not():
    form = Everything()
    assert form.fields["title"].character_count == 200
    assert form.fields["summary"].character_count == 5000
    assert form.fields["code"].character_count is None  # a short text box: no count
    title = str(form["title"])
    assert "govuk-js-character-count" in title
    assert "maxlength" not in title  # the count says so; the browser would cut pasted text silently
    assert 'aria-describedby="id_title-info"' in title
    assert 'maxlength="10"' in str(form["code"])


def test_the_field_template_draws_the_count_and_says_optional_once():
    from django.template.loader import render_to_string

    form = Everything()
    html = render_to_string("web/forms/field.html", {"field": form["summary"]})
    assert 'data-module="govuk-character-count"' in html and 'data-maxlength="5000"' in html
    assert 'id="id_summary-info"' in html and "You can enter up to 5,000 characters" in html
    site = render_to_string("web/forms/field.html", {"field": form["site"]})
    assert site.count("(optional)") == 1


def test_a_label_or_hint_set_in_a_forms_own_init_is_the_one_shown():
    """The mixin must not make bound fields early: they keep the label and hint they were made with."""

    class Later(GovukFormMixin, forms.Form):
        notes = forms.CharField(label="Notes", widget=forms.Textarea, max_length=300, help_text="Soon")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["notes"].help_text = "Set afterwards"
            self.fields["notes"].label = "Your notes"

    form = Later()
    assert form["notes"].help_text == "Set afterwards"
    assert form["notes"].label == "Your notes"
