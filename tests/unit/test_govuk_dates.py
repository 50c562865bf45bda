"""GOV.UK's date input as a Django field: reading the three boxes, GOV.UK's error wording, the boxes
marked at fault, and the error summary's link to the first of them."""

from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

from slihub.govuk import GovukFormMixin
from slihub.govuk_dates import GovukDateField


class PlanForm(GovukFormMixin, forms.Form):
    starts = GovukDateField(label="Start date", not_before_today=True)
    delivered = GovukDateField(label="Date delivered", required=False)


def parts(name, day, month, year) -> dict:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def errors(data) -> dict:
    form = PlanForm(data)
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_three_boxes_make_a_date():
    soon = timezone.localdate() + timedelta(days=30)
    form = PlanForm(
        parts("starts", str(soon.day), str(soon.month), str(soon.year))
        | parts("delivered", "03", "2", "2025")
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"starts": soon, "delivered": date(2025, 2, 3)}


def test_spaces_around_the_numbers_are_ignored():
    form = PlanForm(parts("starts", " 1 ", " 1 ", " 2099 "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts"] == date(2099, 1, 1)


@pytest.mark.parametrize(
    "typed,message,marked",
    [
        (("", "", ""), "Enter start date", ("day", "month", "year")),
        (("14", "", "2099"), "Start date must include a month", ("month",)),
        (("", "", "2099"), "Start date must include a day and month", ("day", "month")),
        (("31", "2", "2099"), "Start date must be a real date", ("day", "month", "year")),
        (("14", "13", "2099"), "Start date must be a real date", ("day", "month", "year")),
        (("fourteen", "12", "2099"), "Start date must be a real date", ("day", "month", "year")),
        (("¹4", "12", "2099"), "Start date must be a real date", ("day", "month", "year")),
        (("14", "12", "99"), "Year must include 4 numbers", ("year",)),
    ],
)
def test_a_missing_part_or_an_impossible_date_is_refused_in_govuk_words(typed, message, marked):
    form = PlanForm(parts("starts", *typed))
    assert not form.is_valid()
    assert list(form.errors["starts"]) == [message]
    assert form.fields["starts"].widget.error_parts == marked
    # The summary links to the first box at fault, so focus lands where the fix is needed.
    assert ("id_starts-" + marked[0], message) in form.error_list()


def test_a_date_before_today_is_refused_where_it_must_be_today_or_later():
    yesterday = timezone.localdate() - timedelta(days=1)
    assert errors(parts("starts", yesterday.day, yesterday.month, yesterday.year)) == {
        "starts": ["Start date must be today or in the future"]
    }
    today = timezone.localdate()
    assert PlanForm(parts("starts", today.day, today.month, today.year)).is_valid()


def test_a_record_of_what_happened_is_refused_a_date_after_today():
    class Record(GovukFormMixin, forms.Form):
        started = GovukDateField(label="Date they started", not_after_today=True)

    tomorrow = timezone.localdate() + timedelta(days=1)
    form = Record(parts("started", tomorrow.day, tomorrow.month, tomorrow.year))
    assert dict(form.errors) == {"started": ["Date they started must be today or in the past"]}
    today = timezone.localdate()
    assert Record(parts("started", today.day, today.month, today.year)).is_valid()


def test_a_record_of_the_past_takes_a_past_date():
    form = PlanForm(parts("starts", "1", "1", "2099") | parts("delivered", "1", "1", "2001"))
    assert form.is_valid(), form.errors


def test_an_iso_date_posted_whole_is_read_and_a_bad_one_refused():
    assert PlanForm({"starts": "2099-01-07"}).is_valid()
    assert errors({"starts": "2099-02-30"}) == {"starts": ["Start date must be a real date"]}


def test_the_boxes_show_what_was_typed_with_only_the_faulty_ones_marked():
    form = PlanForm(parts("starts", "14", "", "2099"))
    form.is_valid()
    html = str(form["starts"])
    assert 'name="starts-day" value="14"' in html and 'id="id_starts-day"' in html
    assert 'name="starts-year" value="2099"' in html
    month = html[html.index('name="starts-month"') :].split(">")[0]
    assert "govuk-input--error" in month
    day = html[html.index('name="starts-day"') :].split(">")[0]
    assert "govuk-input--error" not in day
    assert 'type="date"' not in html


def test_an_initial_date_fills_the_boxes():
    html = str(PlanForm(initial={"starts": date(2027, 3, 27)})["starts"])
    assert 'name="starts-day" value="27"' in html
    assert 'name="starts-month" value="3"' in html
    assert 'name="starts-year" value="2027"' in html


def test_a_form_message_overrides_the_default():
    class Named(GovukFormMixin, forms.Form):
        on = GovukDateField(label="Date delivered", error_messages={"required": "Enter the date delivered"})

    assert dict(Named({}).errors) == {"on": ["Enter the date delivered"]}
