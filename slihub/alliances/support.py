"""Support agreements between councils and the capacity each supporting council declares.

Reads go through `SupportAgreement.objects.visible_to(user)`: the two councils (their chief executives
and lead members read them too), either council's region's coordinators, and national admins. Writes:
- an agreement: a council admin of either council, a coordinator of either council's region, or a
  national admin (council members, chief executives and lead members read only);
- a council's capacity: its council admins, its region's coordinators, national admins.

Capacity is counted per year, April to March, by the day an agreement starts (`support_year`). Every
agreement but a cancelled one counts. Saving an agreement that adds days to a supporter's year beyond its
declared capacity (or to a supporter that has declared none for that year) is refused with
`OverCapacity` unless `confirm_over_capacity` is given: a warning to heed, not a rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from slihub.accounts.models import scope_of
from slihub.alliances.models import (
    AgreementStatus,
    Alliance,
    Ask,
    Offer,
    SupportAgreement,
    SupportCapacity,
    SupportForm,
    support_year,
)
from slihub.exchange.models import Loan
from slihub.exchange.taxonomy import LABELS
from slihub.places.models import Authority

MAX_DAYS = 999  # one agreement; a council's capacity for a year may be larger
MAX_CAPACITY = 9999
MAX_TEXT = 5000
YEARS = (2000, 2100)  # the support years the hub accepts (April 2000 to March 2101)


def year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of a support year: 1 April `year` to 31 March `year + 1`."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"


# --------------------------------------------------------------------------------------------------
# Who may do what


def can_edit(user, supporting: Authority, supported: Authority) -> bool:
    scope = scope_of(user)
    return (
        scope.national
        or bool({supporting.pk, supported.pk} & scope.admin_of)
        or bool({supporting.region_id, supported.region_id} & scope.coordinates)
    )


def can_declare(user, authority: Authority) -> bool:
    scope = scope_of(user)
    return scope.can_manage(authority) or authority.region_id in scope.coordinates


def can_read_council(user, authority: Authority) -> bool:
    return scope_of(user).can_read_cycle(authority)


def can_read_alliance(user, alliance: Alliance) -> bool:
    scope = scope_of(user)
    return scope.national or alliance.region_id in scope.coordinates


def require_alliance_reader(user, alliance: Alliance) -> None:
    if not can_read_alliance(user, alliance):
        raise PermissionDenied(
            f"Only the {alliance.region.name} alliance's coordinators and national admins see all its "
            "support agreements."
        )


# --------------------------------------------------------------------------------------------------
# Capacity arithmetic


@dataclass(frozen=True)
class CapacityCheck:
    """What saving would do to a supporter's year: `already` counts its other agreements."""

    supporting: Authority
    year: int
    capacity: int | None  # None: none declared for that year
    already: int
    adding: int  # the days this save adds to the year (0 or fewer: nothing to warn about)
    total: int

    @property
    def over(self) -> bool:
        return self.adding > 0 and (self.capacity is None or self.total > self.capacity)

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def beyond(self) -> int:
        return self.total - (self.capacity or 0)

    def reason(self) -> str:
        name = self.supporting.name
        if self.capacity is None:
            return (
                f"{name} has not declared its capacity for {self.year_label}. It has {self.already} "
                f"days of support agreed that year; this agreement would make {self.total} days."
            )
        return (
            f"This agreement would take {name} beyond the {self.capacity} days it declared it can give "
            f"in {self.year_label}: {self.already} days are already agreed, and the new total would be "
            f"{self.total} days, {self.total - self.capacity} more than its capacity."
        )

    def figures(self) -> dict:
        return {
            "council": self.supporting.code,
            "year": self.year,
            "capacity": self.capacity,
            "already_agreed": self.already,
            "new_total": self.total,
        }


class OverCapacity(Exception):
    """Saving needs `confirm_over_capacity`: the check says why."""

    def __init__(self, check: CapacityCheck):
        super().__init__(check.reason())
        self.check = check


def counted_days(authority: Authority, year: int, *, exclude: SupportAgreement | None = None) -> int:
    first, last = year_bounds(year)
    found = SupportAgreement.objects.counting().filter(
        supporting=authority, starts_on__gte=first, starts_on__lte=last
    )
    if exclude is not None and exclude.pk:
        found = found.exclude(pk=exclude.pk)
    return found.aggregate(total=Sum("days"))["total"] or 0


def declared(authority: Authority, year: int) -> int | None:
    return (
        SupportCapacity.objects.filter(authority=authority, year=year).values_list("days", flat=True).first()
    )


def capacity_check(
    *,
    supporting: Authority,
    starts_on: date,
    days: int,
    status: str,
    existing: SupportAgreement | None = None,
) -> CapacityCheck:
    """What saving an agreement (new, or `existing` as stored) with these values does to the supporter's
    year. It adds days when it counts (not cancelled) and counted less before in that same year."""
    year = support_year(starts_on)
    already = counted_days(supporting, year, exclude=existing)
    counts = status != AgreementStatus.CANCELLED
    new = days if counts else 0
    before = 0
    if (
        existing is not None
        and existing.pk
        and existing.status != AgreementStatus.CANCELLED
        and existing.supporting_id == supporting.pk
        and existing.year == year
    ):
        before = existing.days
    return CapacityCheck(
        supporting=supporting,
        year=year,
        capacity=declared(supporting, year),
        already=already,
        adding=new - before,
        total=already + new,
    )


@dataclass(frozen=True)
class YearUse:
    """One support year of a council's capacity: declared, agreed (counted), left."""

    year: int
    capacity: int | None
    agreed: int

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.agreed

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.agreed > self.capacity

    @property
    def over_by(self) -> int:
        return self.agreed - (self.capacity or 0)


def capacity_use(authorities: list[Authority], years: list[int] | None = None) -> dict[int, list[YearUse]]:
    """authority id -> its years, latest first: every year it declared capacity for or gives support in,
    or just `years` when given. Two queries, whatever the number of councils."""
    ids = [a.pk for a in authorities]
    declared_days: dict[tuple[int, int], int] = {}
    capacities = SupportCapacity.objects.filter(authority__in=ids)
    agreements = SupportAgreement.objects.counting().filter(supporting__in=ids)
    if years:
        capacities = capacities.filter(year__in=years)
        span = Q()
        for year in years:
            first, last = year_bounds(year)
            span |= Q(starts_on__gte=first, starts_on__lte=last)
        agreements = agreements.filter(span)
    for authority_id, year, days in capacities.values_list("authority_id", "year", "days"):
        declared_days[(authority_id, year)] = days
    agreed: dict[tuple[int, int], int] = defaultdict(int)
    for authority_id, starts_on, days in agreements.values_list("supporting_id", "starts_on", "days"):
        agreed[(authority_id, support_year(starts_on))] += days
    out: dict[int, list[YearUse]] = {}
    for authority_id in ids:
        own_years = set(years) if years else {y for (a, y) in {*declared_days, *agreed} if a == authority_id}
        out[authority_id] = [
            YearUse(
                year=y, capacity=declared_days.get((authority_id, y)), agreed=agreed.get((authority_id, y), 0)
            )
            for y in sorted(own_years, reverse=True)
        ]
    return out


# --------------------------------------------------------------------------------------------------
# Reads


def visible_agreements(user):
    return SupportAgreement.objects.visible_to(user).select_related(
        "supporting", "supported", "loan", "ask", "offer"
    )


def agreement(user, pk: int) -> SupportAgreement | None:
    return visible_agreements(user).filter(pk=pk).first()


def council_agreements(user, authority: Authority) -> tuple[list, list]:
    """(given, received): the council's agreements the user may see, latest first."""
    found = list(visible_agreements(user).filter(Q(supporting=authority) | Q(supported=authority)))
    return (
        [a for a in found if a.supporting_id == authority.pk],
        [a for a in found if a.supported_id == authority.pk],
    )


def alliance_agreements(user, alliance: Alliance) -> list[SupportAgreement]:
    region = alliance.region_id
    return list(visible_agreements(user).filter(Q(supporting__region=region) | Q(supported__region=region)))


def loan_choices(user, *, supporting: Authority | None = None, supported: Authority | None = None):
    """The exchange loans a secondment may link: visible to the user, not declined."""
    found = (
        Loan.objects.visible_to(user)
        .exclude(status=Loan.Status.DECLINED)
        .select_related("lender", "borrower", "specialist")
        .order_by("-start", "-id")
    )
    if supporting is not None:
        found = found.filter(lender=supporting)
    if supported is not None:
        found = found.filter(borrower=supported)
    return found


def menu_item(user, model, pk) -> Ask | Offer | None:
    """An ask or offer by its id (as typed in a query string), if the user may see it."""
    text = str(pk or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        return None
    return model.objects.visible_to(user).select_related("authority").filter(pk=int(text)).first()


# --------------------------------------------------------------------------------------------------
# Writes


def _validate(
    *,
    supporting: Authority,
    supported: Authority,
    area: str,
    form: str,
    starts_on: date,
    ends_on: date,
    days: int,
    expected_outcomes: str,
    achieved_outcomes: str,
    status: str,
    ask: Ask | None,
    offer: Offer | None,
    loan: Loan | None,
    new: bool,
) -> None:
    errors: dict[str, str] = {}
    if new and not supporting.is_current:
        errors["supporting"] = "Choose a current council to give the support"
    if new and not supported.is_current:
        errors["supported"] = "Choose a current council to receive the support"
    if supporting.pk == supported.pk:
        errors["supported"] = "A council cannot support itself: choose another council to receive it"
    if area not in LABELS:
        errors["area"] = "Choose the area of support"
    if form not in SupportForm.values:
        errors["form"] = "Choose the form of support"
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and not YEARS[0] <= day.year <= YEARS[1] and name not in errors:
            errors[name] = f"The date must be between {YEARS[0]} and {YEARS[1]}"
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        errors["days"] = "Days must be 1 or more"
    elif days > MAX_DAYS:
        errors["days"] = f"Days must be {MAX_DAYS} or fewer"
    if not expected_outcomes.strip():
        errors["expected_outcomes"] = "Enter the outcomes expected"
    elif len(expected_outcomes) > MAX_TEXT:
        errors["expected_outcomes"] = f"Expected outcomes must be {MAX_TEXT:,} characters or fewer"
    if len(achieved_outcomes) > MAX_TEXT:
        errors["achieved_outcomes"] = f"Achieved outcomes must be {MAX_TEXT:,} characters or fewer"
    if status not in AgreementStatus.values:
        errors["status"] = "Choose the status"
    if loan is not None:
        if form != SupportForm.SECONDMENT:
            errors["loan"] = "Only a secondment links an exchange loan"
        elif loan.lender_id != supporting.pk or loan.borrower_id != supported.pk:
            errors["loan"] = (
                "Choose a loan from the supporting council to the supported council, "
                f"not {loan.lender} to {loan.borrower}"
            )
        elif loan.status == Loan.Status.DECLINED:
            errors["loan"] = "That loan was declined: choose another"
    if offer is not None and offer.authority_id != supporting.pk:
        errors["supporting"] = f"The offer is {offer.authority}'s: it gives the support"
    if ask is not None and ask.authority_id != supported.pk:
        errors["supported"] = f"The ask is {ask.authority}'s: it receives the support"
    if errors:
        raise ValidationError(errors)


def _guard(check: CapacityCheck, confirm_over_capacity: bool) -> None:
    if check.over and not confirm_over_capacity:
        raise OverCapacity(check)


def _lock(authority: Authority) -> None:
    """One save at a time per supporting council, so that two saves cannot both pass the check."""
    list(Authority.objects.select_for_update(no_key=True).filter(pk=authority.pk).values_list("pk"))


@transaction.atomic
def create_agreement(
    *,
    user,
    supporting: Authority,
    supported: Authority,
    area: str,
    form: str,
    starts_on: date,
    ends_on: date,
    days: int,
    expected_outcomes: str,
    achieved_outcomes: str = "",
    status: str = AgreementStatus.PROPOSED,
    ask: Ask | None = None,
    offer: Offer | None = None,
    loan: Loan | None = None,
    confirm_over_capacity: bool = False,
) -> SupportAgreement:
    if not can_edit(user, supporting, supported):
        raise PermissionDenied(
            "Only the two councils' admins, their regions' coordinators and national admins record "
            "support agreements."
        )
    values = dict(
        supporting=supporting,
        supported=supported,
        area=area,
        form=form,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        expected_outcomes=expected_outcomes.strip(),
        achieved_outcomes=achieved_outcomes.strip(),
        status=status,
        ask=ask,
        offer=offer,
        loan=loan,
    )
    _validate(**values, new=True)
    _lock(supporting)
    _guard(
        capacity_check(supporting=supporting, starts_on=starts_on, days=days, status=status),
        confirm_over_capacity,
    )
    return SupportAgreement.objects.create(**values, recorded_by=user)


@transaction.atomic
def update_agreement(
    *,
    user,
    agreement: SupportAgreement,
    supporting: Authority,
    supported: Authority,
    area: str,
    form: str,
    starts_on: date,
    ends_on: date,
    days: int,
    expected_outcomes: str,
    achieved_outcomes: str,
    status: str,
    loan: Loan | None = None,
    confirm_over_capacity: bool = False,
) -> SupportAgreement:
    """Change an agreement: both the councils as stored and as changed must be the user's to edit."""
    if not (
        can_edit(user, agreement.supporting, agreement.supported) and can_edit(user, supporting, supported)
    ):
        raise PermissionDenied("You may read this support agreement but not change it.")
    changed_councils = (supporting.pk, supported.pk) != (agreement.supporting_id, agreement.supported_id)
    values = dict(
        supporting=supporting,
        supported=supported,
        area=area,
        form=form,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        expected_outcomes=expected_outcomes.strip(),
        achieved_outcomes=achieved_outcomes.strip(),
        status=status,
        loan=loan,
    )
    _validate(
        **values,
        ask=agreement.ask if not changed_councils else None,
        offer=agreement.offer if not changed_councils else None,
        new=changed_councils,
    )
    _lock(supporting)
    _guard(
        capacity_check(
            supporting=supporting, starts_on=starts_on, days=days, status=status, existing=agreement
        ),
        confirm_over_capacity,
    )
    if changed_councils:  # an ask or offer of other councils no longer describes it
        values.update(ask=None, offer=None)
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.save()
    return agreement


@transaction.atomic
def record_progress(
    *,
    user,
    agreement: SupportAgreement,
    status: str,
    achieved_outcomes: str,
    confirm_over_capacity: bool = False,
) -> SupportAgreement:
    """A status change and the outcomes achieved. Taking a cancelled agreement back counts its days again,
    so it is checked against capacity as any save is."""
    return update_agreement(
        user=user,
        agreement=agreement,
        supporting=agreement.supporting,
        supported=agreement.supported,
        area=agreement.area,
        form=agreement.form,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        days=agreement.days,
        expected_outcomes=agreement.expected_outcomes,
        achieved_outcomes=achieved_outcomes,
        status=status,
        loan=agreement.loan,
        confirm_over_capacity=confirm_over_capacity,
    )


@transaction.atomic
def declare_capacity(*, user, authority: Authority, year: int, days: int) -> SupportCapacity:
    """Set the days a council can give others in a support year (April to March); 0 says none."""
    if not can_declare(user, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s council admins, its region's coordinators and national admins "
            "declare its capacity."
        )
    errors = {}
    if not isinstance(year, int) or isinstance(year, bool) or not YEARS[0] <= year <= YEARS[1]:
        errors["year"] = f"Enter a year between {YEARS[0]} and {YEARS[1]}"
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        errors["days"] = "Days must be 0 or more"
    elif days > MAX_CAPACITY:
        errors["days"] = f"Days must be {MAX_CAPACITY:,} or fewer"
    if errors:
        raise ValidationError(errors)
    capacity, _ = SupportCapacity.objects.update_or_create(
        authority=authority, year=year, defaults={"days": days, "declared_by": user}
    )
    return capacity
