"""Writes to the exchange: keyword-only, validated with clear messages, one transaction each.

Who may do what: a council's admins manage its bank, its help requests and its side of a loan; national
admins may act for any council except to accept or decline a loan, which takes both councils' own admins.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from slihub.accounts.models import scope_of
from slihub.exchange.models import (
    AvailabilityWindow,
    Backfill,
    Decline,
    HelpRequest,
    LedgerEntry,
    LedgerTransaction,
    Loan,
    Specialist,
    six_month_error,
)
from slihub.places.models import Authority

OVERLAP_MESSAGE = (
    "{specialist} is already on an agreed loan from {start} to {end}, which overlaps this one. "
    "A specialist is never on two loans at once. Nothing was changed."
)


def _require_manage(user, authority: Authority, what: str) -> None:
    if not scope_of(user).can_manage(authority):
        raise PermissionDenied(f"Only {authority.name}'s council admins can {what}.")


def _require_council_admin(user, authority: Authority, what: str) -> None:
    if authority.id not in scope_of(user).admin_of:
        raise PermissionDenied(f"Only {authority.name}'s council admins can {what}.")


def _check_period(start, end, field: str = "end") -> None:
    message = six_month_error(start, end)
    if message:
        raise ValidationError({field: message})


# --------------------------------------------------------------------------------------------------
# The bank


@transaction.atomic
def add_specialist(
    *,
    user,
    authority: Authority,
    name: str,
    role: str,
    seniority: int,
    expertise: list[str],
    days_per_week,
    email: str = "",
    accreditation: str = "",
    swe_number: str = "",
    remote: bool = True,
    on_site: bool = True,
    consent_to_list: bool = False,
    windows: list[tuple[date, date]] = (),
) -> Specialist:
    _require_manage(user, authority, "change its specialist bank")
    specialist = Specialist(
        authority=authority,
        name=name,
        email=email,
        role=role,
        seniority=seniority,
        expertise=list(expertise),
        accreditation=accreditation,
        swe_number=swe_number.strip().upper(),
        days_per_week=days_per_week,
        remote=remote,
        on_site=on_site,
        consent_to_list=consent_to_list,
    )
    specialist.full_clean()
    specialist.save()
    for start, end in windows:
        add_window(user=user, specialist=specialist, start=start, end=end)
    return specialist


@transaction.atomic
def add_window(*, user, specialist: Specialist, start: date, end: date) -> AvailabilityWindow:
    _require_manage(user, specialist.authority, "change its specialist bank")
    if end < start:
        raise ValidationError({"end": "The end of the availability window must be after its start"})
    window = AvailabilityWindow(specialist=specialist, start=start, end=end)
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def set_listing(*, user, specialist: Specialist, consent_to_list: bool, is_active: bool = True) -> Specialist:
    _require_manage(user, specialist.authority, "change its specialist bank")
    specialist.consent_to_list = consent_to_list
    specialist.is_active = is_active
    specialist.save(update_fields=["consent_to_list", "is_active"])
    return specialist


# --------------------------------------------------------------------------------------------------
# Help requests


@transaction.atomic
def create_help_request(
    *,
    user,
    authority: Authority,
    title: str,
    expertise_needed: list[str],
    description: str,
    start: date,
    end: date,
    days_per_week,
    mode: str,
    urgency: int = HelpRequest.Urgency.ROUTINE,
    linked_indicators: str = "",
    ofsted_findings: str = "",
) -> HelpRequest:
    _require_manage(user, authority, "ask for help on its behalf")
    _check_period(start, end)
    request = HelpRequest(
        authority=authority,
        title=title,
        expertise_needed=list(expertise_needed),
        description=description,
        start=start,
        end=end,
        days_per_week=days_per_week,
        mode=mode,
        urgency=urgency,
        linked_indicators=linked_indicators,
        ofsted_findings=ofsted_findings,
        created_by=user,
    )
    request.full_clean()
    request.save()
    return request


# --------------------------------------------------------------------------------------------------
# Loans


def _overlap(specialist: Specialist, start: date, end: date, *, exclude: Loan | None = None) -> Loan | None:
    agreed = Loan.objects.filter(
        specialist=specialist, status__in=Loan.AGREED, start__lte=end, end__gte=start
    )
    if exclude is not None:
        agreed = agreed.exclude(pk=exclude.pk)
    return agreed.order_by("start").first()


def _overlap_error(specialist: Specialist, other: Loan | None) -> ValidationError:
    start, end = (other.start, other.end) if other else ("", "")
    return ValidationError(OVERLAP_MESSAGE.format(specialist=specialist.reference, start=start, end=end))


def _lock(loan: Loan) -> tuple[Loan, Specialist]:
    """Lock the specialist's row first (every booking of them queues here), then re-read the loan."""
    specialist = Specialist.objects.select_for_update().get(pk=loan.specialist_id)
    return Loan.objects.select_for_update().get(pk=loan.pk), specialist


@transaction.atomic
def propose_loan(
    *,
    request: HelpRequest,
    specialist: Specialist,
    run=None,
    score: float | None = None,
    components: dict | None = None,
    explanation: str = "",
    alternatives: list | None = None,
) -> Loan:
    """A proposal from a matching run (the run checks who may start it)."""
    if specialist.authority_id == request.authority_id:
        raise ValidationError("A council cannot borrow its own specialist.")
    _check_period(request.start, request.end)
    return Loan.objects.create(
        specialist=specialist,
        request=request,
        lender_id=specialist.authority_id,
        borrower_id=request.authority_id,
        start=request.start,
        end=request.end,
        days_per_week=request.days_per_week,
        run=run,
        score=score,
        components=components or {},
        explanation=explanation,
        alternatives=alternatives or [],
    )


@transaction.atomic
def accept_loan(*, user, loan: Loan) -> Loan:
    """One council's admin accepts; when both have, the loan is agreed, unless the specialist is already
    on an overlapping agreed loan (checked under a lock on the specialist's row, and on PostgreSQL by an
    exclusion constraint too)."""
    scope = scope_of(user)
    sides = [
        s for s, a in (("lender", loan.lender_id), ("borrower", loan.borrower_id)) if a in scope.admin_of
    ]
    if not sides:
        raise PermissionDenied("Only the lending and the borrowing councils' admins can accept a loan.")
    loan, specialist = _lock(loan)
    if loan.status != Loan.Status.PROPOSED:
        raise ValidationError(f"This loan is {loan.get_status_display().lower()}: it cannot be accepted now.")
    if "lender" in sides:
        loan.lender_accepted_by = loan.lender_accepted_by or user
    if "borrower" in sides:
        loan.borrower_accepted_by = loan.borrower_accepted_by or user
    if loan.lender_accepted_by_id and loan.borrower_accepted_by_id:
        other = _overlap(specialist, loan.start, loan.end, exclude=loan)
        if other is not None:
            raise _overlap_error(specialist, other)
        loan.status = Loan.Status.ACCEPTED
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError:  # the exclusion constraint: another booking won the race
        raise _overlap_error(specialist, _overlap(specialist, loan.start, loan.end, exclude=loan)) from None
    if loan.status == Loan.Status.ACCEPTED:
        HelpRequest.objects.filter(pk=loan.request_id).update(status=HelpRequest.Status.MATCHED)
    return loan


@transaction.atomic
def decline_loan(*, user, loan: Loan, reason: str = "") -> Loan:
    """Either council's admin declines a proposal; the pair is never proposed again."""
    scope = scope_of(user)
    side = next((a for a in (loan.lender, loan.borrower) if a.id in scope.admin_of), None)
    if side is None:
        raise PermissionDenied("Only the lending and the borrowing councils' admins can decline a loan.")
    loan, _ = _lock(loan)
    if loan.status != Loan.Status.PROPOSED:
        raise ValidationError(f"This loan is {loan.get_status_display().lower()}: it cannot be declined now.")
    loan.status = Loan.Status.DECLINED
    loan.save(update_fields=["status"])
    Decline.objects.get_or_create(
        request_id=loan.request_id,
        specialist_id=loan.specialist_id,
        defaults={"authority": side, "declined_by": user, "reason": reason},
    )
    return loan


@transaction.atomic
def extend_loan(*, user, loan: Loan, end: date) -> Loan:
    """A later end, within six months of the start in all (extensions included) and with no overlap."""
    _require_council_admin(user, loan.borrower, "extend the loan")
    loan, specialist = _lock(loan)
    if loan.status not in (Loan.Status.ACCEPTED, Loan.Status.ACTIVE):
        raise ValidationError({"end": "Only an accepted or active loan can be extended."})
    if end <= loan.end:
        raise ValidationError({"end": f"The new end date must be after the current one, {loan.end}"})
    _check_period(loan.start, end)
    other = _overlap(specialist, loan.start, end, exclude=loan)
    if other is not None:
        raise _overlap_error(specialist, other)
    loan.end = end
    try:
        with transaction.atomic():
            loan.save(update_fields=["end"])
    except IntegrityError:
        raise _overlap_error(specialist, None) from None
    return loan


@transaction.atomic
def record_backfill(
    *, user, loan: Loan, acting_up: str, acting_role: str, start: date, end: date
) -> Backfill:
    _require_manage(user, loan.lender, "record how the vacancy is filled")
    if not loan.is_agreed:
        raise ValidationError("Backfill is recorded for an agreed loan.")
    if end < start:
        raise ValidationError({"end": "The end date must be the same as or after the start date"})
    backfill = Backfill(
        loan=loan, acting_up=acting_up, acting_role=acting_role, start=start, end=end, recorded_by=user
    )
    backfill.full_clean()
    backfill.save()
    return backfill


def _days(value) -> Decimal:
    try:
        days = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"days": "Enter the number of days, like 2 or 2.5"}) from None
    if not days.is_finite() or days <= 0 or days * 2 != (days * 2).to_integral_value():
        raise ValidationError({"days": "Enter a number of days above 0, in whole or half days"})
    return days


def delivered_days(loan: Loan) -> Decimal:
    total = (
        LedgerEntry.objects.filter(transaction__loan=loan, authority_id=loan.lender_id)
        .values_list("days", flat=True)
        .iterator()
    )
    return sum(total, Decimal(0))


@transaction.atomic
def record_delivery(*, user, loan: Loan, days, on: date, memo: str = "") -> LedgerTransaction:
    """Days delivered: the lender is credited and the borrower debited by the same number of days."""
    scope = scope_of(user)
    if not (scope.can_manage(loan.lender) or scope.can_manage(loan.borrower)):
        raise PermissionDenied(
            "Only the lending or the borrowing council's admins can record days delivered."
        )
    days = _days(days)
    loan, _ = _lock(loan)
    if loan.status not in (Loan.Status.ACCEPTED, Loan.Status.ACTIVE):
        raise ValidationError("Days are recorded on an accepted or active loan.")
    if not loan.start <= on <= loan.end:
        raise ValidationError({"on": f"The date must be within the loan, {loan.start} to {loan.end}"})
    remaining = loan.planned_days - delivered_days(loan)
    if days > remaining:
        raise ValidationError(
            {"days": f"That is more than the loan has left: {remaining} of {loan.planned_days} days"}
        )
    entry = LedgerTransaction.objects.create(
        kind=LedgerTransaction.Kind.DELIVERY, loan=loan, on=on, memo=memo, created_by=user
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=entry, authority_id=loan.lender_id, days=days),
            LedgerEntry(transaction=entry, authority_id=loan.borrower_id, days=-days),
        ]
    )
    if loan.status == Loan.Status.ACCEPTED:
        loan.status = Loan.Status.ACTIVE
        loan.save(update_fields=["status"])
    return entry


@transaction.atomic
def end_loan(*, user, loan: Loan, on: date, feedback: str = "", outcome_notes: str = "") -> Loan:
    """Completed on its end date, or ended early before it; feedback and outcome notes are kept."""
    scope = scope_of(user)
    if not (scope.can_manage(loan.lender) or scope.can_manage(loan.borrower)):
        raise PermissionDenied("Only the lending or the borrowing council's admins can end a loan.")
    loan, _ = _lock(loan)
    if loan.status not in (Loan.Status.ACCEPTED, Loan.Status.ACTIVE):
        raise ValidationError("Only an accepted or active loan can be ended.")
    if on < loan.start:
        raise ValidationError({"on": f"The end date cannot be before the loan starts, {loan.start}"})
    if on < loan.end:
        loan.status, loan.end = Loan.Status.ENDED_EARLY, on
    else:
        loan.status = Loan.Status.COMPLETED
    loan.ended_on = on
    loan.feedback, loan.outcome_notes = feedback, outcome_notes
    loan.save()
    return loan


@transaction.atomic
def redeem_credit(*, user, authority: Authority, days, on: date, memo: str = "") -> LedgerTransaction:
    """National admins redeem a council's credit against the national pool (authority None)."""
    if not scope_of(user).national:
        raise PermissionDenied("Only national admins can redeem credit.")
    days = _days(days)
    balance = sum(LedgerEntry.objects.filter(authority=authority).values_list("days", flat=True), Decimal(0))
    if days > balance:
        raise ValidationError({"days": f"{authority.name} has {balance} days of credit, fewer than {days}"})
    entry = LedgerTransaction.objects.create(
        kind=LedgerTransaction.Kind.REDEMPTION, on=on, memo=memo, created_by=user
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=entry, authority=authority, days=-days),
            LedgerEntry(transaction=entry, authority=None, days=days),
        ]
    )
    return entry
