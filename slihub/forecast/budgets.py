"""A council's budget for children looked after in coming financial years: private to the council (its
members see it; its council admins and director enter it), its region's alliance coordinators and national
admins. Writes go through the ORM one row at a time, so each is audited."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.forecast.models import Budget, StoredForecast
from slihub.govuk import has_control_characters, has_other_digits
from slihub.places.models import Authority

MAX_AMOUNT = 10_000_000_000  # £10bn: more than England's whole spending on children looked after
YEARS_AHEAD = 5
UNITS = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "bn": 10**9,
    "billion": 10**9,
}
AMOUNT = re.compile(
    r"£?\s*(?P<number>[0-9][0-9,]*(\.[0-9]+)?|\.[0-9]+)\s*(?P<unit>k|thousand|m|million|bn|billion)?"
)
EXAMPLE = "like £36,500,000 or 36.5m"


def parse_amount(text: str) -> int:
    """A budget typed as '£36,500,000', '36500000', '36.5m', '£36.5 million' or '36,500k', in whole pounds.
    Anything else is refused with the reason."""
    value = (text or "").strip().lower()
    if not value:
        raise ValidationError("Enter the budget in pounds, " + EXAMPLE)
    if has_control_characters(value):
        raise ValidationError("The budget must not include control characters, such as a null character")
    if has_other_digits(value):
        raise ValidationError("Enter the budget using only the digits 0 to 9, " + EXAMPLE)
    if value.startswith("-") or value.startswith("£-"):
        raise ValidationError("A budget cannot be negative")
    if len(value) > 30:
        raise ValidationError("Enter the budget in pounds, " + EXAMPLE)
    found = AMOUNT.fullmatch(value)
    if not found:
        raise ValidationError(f"Enter the budget as an amount in pounds, {EXAMPLE}: '{text[:30]}' is not one")
    number = found["number"]
    if "," in number and not re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?", number):
        raise ValidationError(f"The commas in '{text[:30]}' are not where thousands go: {EXAMPLE}")
    try:
        amount = Decimal(number.replace(",", "")) * UNITS[found["unit"] or ""]
    except InvalidOperation:
        raise ValidationError(f"Enter the budget as an amount in pounds, {EXAMPLE}") from None
    if amount != amount.to_integral_value():
        raise ValidationError("Give the budget in whole pounds (or millions, like 36.5m)")
    if amount <= 0:
        raise ValidationError("A budget must be more than £0: leave the year empty if there is none")
    if amount > MAX_AMOUNT:
        raise ValidationError("A budget for one council's children looked after cannot be more than £10bn")
    return int(amount)


def budget_years(authority: Authority) -> list[int]:
    """The financial years (by the year they end, 31 March) a budget may be entered for: the years the
    council's forecast covers, or the next five from today when it has none."""
    years = sorted(StoredForecast.objects.filter(authority=authority).values_list("year", flat=True))
    if years:
        return years
    today = timezone.localdate()
    first = today.year + 1 if today.month > 3 else today.year
    return list(range(first, first + YEARS_AHEAD))


def may_enter(user, authority: Authority | None) -> bool:
    """The council's admins and its director of children's services."""
    if authority is None or not user.is_authenticated:
        return False
    return authority.id in scope_of(user).admin_of


def only_admins(authority: Authority) -> str:
    return f"Only {authority.name}'s council admins and director of children's services may enter its budget."


def may_see(user, authority: Authority) -> bool:
    return user.is_authenticated and scope_of(user).can_view(authority)


def budgets(user, authority: Authority) -> list[Budget]:
    if not may_see(user, authority):
        raise PermissionDenied(f"{authority.name}'s budget is private to the council and its alliance.")
    return list(Budget.objects.visible_to(user).filter(authority=authority).order_by("year_end"))


def save_budgets(*, user, authority: Authority, amounts: dict[int, int | None]) -> list[Budget]:
    """Set (or, with None, remove) the council's budget for each year given; other years are left alone."""
    if not may_enter(user, authority):
        raise PermissionDenied(only_admins(authority))
    allowed = budget_years(authority)
    wrong = sorted(y for y in amounts if y not in allowed)
    if wrong:
        raise ValidationError(
            f"Budgets are for the financial years ending 31 March {allowed[0]} to {allowed[-1]}, "
            f"not {', '.join(str(y) for y in wrong)}."
        )
    with transaction.atomic():
        for year_end, amount in amounts.items():
            existing = Budget.objects.filter(authority=authority, year_end=year_end).first()
            if amount is None:
                if existing is not None:
                    existing.delete()
                continue
            if amount <= 0 or amount > MAX_AMOUNT:
                raise ValidationError("A budget must be more than £0 and at most £10bn.")
            if existing is None:
                Budget.objects.create(authority=authority, year_end=year_end, amount=amount, entered_by=user)
            elif existing.amount != amount:
                existing.amount, existing.entered_by = amount, user
                existing.save()
    return list(Budget.objects.filter(authority=authority).order_by("year_end"))
