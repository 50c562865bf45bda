"""Typing a date into GOV.UK's date input (day, month and year boxes in a fieldset named by its legend),
as a person does, and reading one back."""

from datetime import date


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def date_group(scope, legend):
    """The fieldset of the date input whose legend is `legend` (exactly)."""
    return scope.get_by_role("group", name=legend, exact=True)


def fill_date(scope, legend, value):
    """Types `value` (a date or an ISO date) into the day, month and year boxes under `legend`."""
    day = _date(value)
    group = date_group(scope, legend)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def expect_date(expect, scope, legend, value):
    """The boxes under `legend` show `value`."""
    day = _date(value)
    group = date_group(scope, legend)
    expect(group.get_by_label("Day", exact=True)).to_have_value(str(day.day))
    expect(group.get_by_label("Month", exact=True)).to_have_value(str(day.month))
    expect(group.get_by_label("Year", exact=True)).to_have_value(str(day.year))
