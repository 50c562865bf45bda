"""Writes to the exchange: keyword-only, validated with clear messages, one transaction each.

Who may do what: a council's admins manage its bank, its help requests, its offers of its specialists to
other councils' requests, its side of a loan and the redemption of its credit; national admins may act
for any council except to offer, accept or decline a loan, which takes the councils' own admins; an
alliance coordinator may ask for help on behalf of a council in their region.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from slihub.accounts.models import Role, scope_of
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


def _day(value) -> str:
    """A date as people read it: 14 December 2026."""
    return date_format(value, "j F Y")


def require_manage(user, authority: Authority, what: str) -> None:
    """Its council admins and national admins; PermissionDenied saying so for anyone else."""
    if not scope_of(user).can_manage(authority):
        raise PermissionDenied(f"Only {authority.name}'s council admins and national admins can {what}.")


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
    require_manage(user, authority, "change its specialist bank")
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


# What a council's admins may change of a specialist (withdrawal and windows have their own services).
SPECIALIST_FIELDS = frozenset(
    {
        "name",
        "email",
        "role",
        "seniority",
        "expertise",
        "accreditation",
        "swe_number",
        "days_per_week",
        "remote",
        "on_site",
        "consent_to_list",
    }
)


def _locked(specialist: Specialist) -> Specialist:
    """The specialist's row, locked: loans lock it too, so a change and a booking never interleave."""
    return Specialist.objects.select_for_update().get(pk=specialist.pk)


@transaction.atomic
def update_specialist(*, user, specialist: Specialist, **changes) -> Specialist:
    """Change a specialist's details; a bad value (a registration number of the wrong shape, no way of
    working) raises ValidationError with a message per field and changes nothing."""
    require_manage(user, specialist.authority, "change its specialist bank")
    unknown = set(changes) - SPECIALIST_FIELDS
    if unknown:
        raise TypeError(f"update_specialist() cannot change {', '.join(sorted(unknown))}")
    if "swe_number" in changes:
        changes["swe_number"] = (changes["swe_number"] or "").strip().upper()
    if "expertise" in changes:
        changes["expertise"] = list(changes["expertise"])
    specialist = _locked(specialist)
    for name, value in changes.items():
        setattr(specialist, name, value)
    specialist.full_clean()
    specialist.save(update_fields=sorted(changes))
    return specialist


@transaction.atomic
def add_window(*, user, specialist: Specialist, start: date, end: date) -> AvailabilityWindow:
    """A period when the specialist can be lent. Windows that overlap or touch it are merged into one,
    so the bank never holds two windows for the same day."""
    require_manage(user, specialist.authority, "change its specialist bank")
    if end < start:
        raise ValidationError({"end": "The end of the availability window must be after its start"})
    _locked(specialist)
    touching = list(
        AvailabilityWindow.objects.filter(
            specialist=specialist, start__lte=end + timedelta(days=1), end__gte=start - timedelta(days=1)
        )
    )
    start = min([start, *(w.start for w in touching)])
    end = max([end, *(w.end for w in touching)])
    AvailabilityWindow.objects.filter(pk__in=[w.pk for w in touching]).delete()
    window = AvailabilityWindow(specialist=specialist, start=start, end=end)
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def remove_window(*, user, window: AvailabilityWindow) -> None:
    """Agreed loans stand; matching stops proposing the specialist for these dates."""
    require_manage(user, window.specialist.authority, "change its specialist bank")
    window.delete()


def running_loans(specialist: Specialist):
    """Agreed loans not yet ended (accepted or active): the specialist is committed to them."""
    return (
        Loan.objects.filter(specialist=specialist, status__in=(Loan.Status.ACCEPTED, Loan.Status.ACTIVE))
        .select_related("borrower")
        .order_by("start", "id")
    )


def pending_proposals(specialist: Specialist):
    return Loan.objects.filter(specialist=specialist, status=Loan.Status.PROPOSED).order_by("id")


def withdrawal_refusal(specialist: Specialist, running: list[Loan]) -> str:
    loans = "; ".join(
        f"loan {loan.reference} to {loan.borrower.name}, {_day(loan.start)} to {_day(loan.end)}"
        for loan in running
    )
    return (
        f"{specialist.name} cannot be withdrawn while on an agreed loan that has not ended ({loans}). "
        "End the loan on its page first. Nothing was changed."
    )


@transaction.atomic
def withdraw_specialist(*, user, specialist: Specialist) -> list[Loan]:
    """Take a specialist out of the bank: no longer listed nor matched. Refused while they are on an
    agreed loan that has not ended; proposals awaiting an answer are declined (the councils see them
    as declined, and the pairs are never proposed again). Returns those declined proposals."""
    require_manage(user, specialist.authority, "change its specialist bank")
    specialist = _locked(specialist)
    if not specialist.is_active:
        raise ValidationError(f"{specialist.name} is already withdrawn from the bank.")
    running = list(running_loans(specialist))
    if running:
        raise ValidationError(withdrawal_refusal(specialist, running))
    declined = list(pending_proposals(specialist))
    for loan in declined:
        loan.status = Loan.Status.DECLINED
        loan.save(update_fields=["status"])
        Decline.objects.get_or_create(
            request_id=loan.request_id,
            specialist=specialist,
            defaults={
                "authority": specialist.authority,
                "declined_by": user,
                "reason": "Withdrawn from the bank",
            },
        )
    specialist.is_active = False
    specialist.withdrawn_at, specialist.withdrawn_by = timezone.now(), user
    specialist.save(update_fields=["is_active", "withdrawn_at", "withdrawn_by"])
    return declined


@transaction.atomic
def reinstate_specialist(*, user, specialist: Specialist) -> Specialist:
    """Back in the bank after a withdrawal: listed again if they consent, matched again."""
    require_manage(user, specialist.authority, "change its specialist bank")
    specialist = _locked(specialist)
    if specialist.is_active:
        raise ValidationError(f"{specialist.name} is in the bank already.")
    specialist.is_active, specialist.withdrawn_at, specialist.withdrawn_by = True, None, None
    specialist.save(update_fields=["is_active", "withdrawn_at", "withdrawn_by"])
    return specialist


# --------------------------------------------------------------------------------------------------
# Help requests


def can_ask_for_help(user, authority: Authority) -> bool:
    """Its council admins, national admins, and the alliance coordinator of its region (early warning
    and alliances act for a council in difficulty); council members cannot."""
    scope = scope_of(user)
    return scope.can_manage(authority) or authority.region_id in scope.coordinates


def ask_for_help_refusal(authority: Authority) -> str:
    return (
        f"Only {authority.name}'s council admins, the alliance coordinator for {authority.region.name} "
        "and national admins can ask for help on its behalf."
    )


def _raised_as(user, authority: Authority) -> str:
    scope = scope_of(user)
    if authority.id in scope.admin_of:
        return Role.COUNCIL_ADMIN
    if authority.region_id in scope.coordinates:
        return Role.ALLIANCE_COORDINATOR
    return Role.NATIONAL_ADMIN if scope.national else ""


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
    partner: Authority | None = None,
) -> HelpRequest:
    """``partner``: a council asked directly; it sees the request addressed to it, and others may still
    offer."""
    if not can_ask_for_help(user, authority):
        raise PermissionDenied(ask_for_help_refusal(authority))
    _check_period(start, end)
    if start < timezone.localdate():  # the form says so first; this guards every other way in
        raise ValidationError({"start": "Start date must be today or in the future"})
    if partner is not None and partner.pk == authority.pk:
        raise ValidationError({"partner": "Choose another council to ask: a council cannot lend to itself."})
    request = HelpRequest(
        authority=authority,
        partner=partner,
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
        raised_as=_raised_as(user, authority),
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
    start, end = (_day(other.start), _day(other.end)) if other else ("", "")
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
    if not specialist.is_active:
        raise ValidationError(f"{specialist.reference} is withdrawn from the bank.")
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
def offer_specialist(*, user, request: HelpRequest, specialist: Specialist) -> Loan:
    """A council answers a help request itself, offering one of its own specialists. The offer is a
    proposal the lender has already accepted; the borrower accepts or declines it as any other."""
    _require_council_admin(user, specialist.authority, "offer its specialists")
    specialist = Specialist.objects.select_for_update().get(pk=specialist.pk)
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != HelpRequest.Status.OPEN:
        status = request.get_status_display().lower()
        raise ValidationError(f"{request.reference} is {status}: it takes no offers now.")
    refusal = _offer_refusal(request, specialist)
    if refusal:
        raise ValidationError({"specialist": refusal})
    loan = propose_loan(
        request=request,
        specialist=specialist,
        explanation=f"Offered directly by {specialist.authority.name}.",
    )
    loan.lender_accepted_by = user
    loan.save(update_fields=["lender_accepted_by"])
    return loan


def _offer_refusal(request: HelpRequest, specialist: Specialist) -> str:
    name = specialist.reference
    if specialist.authority_id == request.authority_id:
        return "A council cannot lend to itself."
    if not specialist.is_active:
        return f"{name} is withdrawn from the bank."
    if request.mode not in specialist.modes:
        return f"{name} does not work {request.get_mode_display().lower()}, as the request asks."
    if specialist.days_per_week < request.days_per_week:
        return (
            f"{name} can give at most {float(specialist.days_per_week):g} days a week; "
            f"the request needs {float(request.days_per_week):g}."
        )
    if Decline.objects.filter(request=request, specialist=specialist).exists():
        return f"{request.authority.name} has declined {name} for this request already."
    if Loan.objects.filter(request=request, specialist=specialist, status=Loan.Status.PROPOSED).exists():
        return f"{name} is proposed for this request already."
    other = _overlap(specialist, request.start, request.end)
    if other is not None:
        return OVERLAP_MESSAGE.format(specialist=name, start=_day(other.start), end=_day(other.end))
    return ""


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
        # Saved, not updated in bulk, so that the audit log records the change of status.
        request = HelpRequest.objects.select_for_update().get(pk=loan.request_id)
        if request.status != HelpRequest.Status.MATCHED:
            request.status = HelpRequest.Status.MATCHED
            request.save(update_fields=["status"])
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
        raise ValidationError({"end": f"The new end date must be after the current one, {_day(loan.end)}"})
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
    require_manage(user, loan.lender, "record how the vacancy is filled")
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
        raise ValidationError(
            {"on": f"The date must be within the loan, {_day(loan.start)} to {_day(loan.end)}"}
        )
    remaining = loan.planned_days - delivered_days(loan)
    if days > remaining:
        raise ValidationError(
            {"days": f"That is more than the loan has left: {remaining} of {loan.planned_days} days"}
        )
    entry = LedgerTransaction.objects.create(
        kind=LedgerTransaction.Kind.DELIVERY, loan=loan, on=on, memo=memo, created_by=user
    )
    # One save per posting (not bulk_create), so that the audit log records each.
    LedgerEntry.objects.create(transaction=entry, authority_id=loan.lender_id, days=days)
    LedgerEntry.objects.create(transaction=entry, authority_id=loan.borrower_id, days=-days)
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
        raise ValidationError({"on": f"The end date cannot be before the loan starts, {_day(loan.start)}"})
    if on < loan.end:
        loan.status, loan.end = Loan.Status.ENDED_EARLY, on
    else:
        loan.status = Loan.Status.COMPLETED
    loan.ended_on = on
    loan.feedback, loan.outcome_notes = feedback, outcome_notes
    loan.save()
    return loan


def balance_of(authority: Authority) -> Decimal:
    return sum(LedgerEntry.objects.filter(authority=authority).values_list("days", flat=True), Decimal(0))


def days_text(days: Decimal) -> str:
    text = f"{days:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


MORE_THAN_BALANCE = "more_than_balance"  # the ValidationError code: the API answers 409 for it


@transaction.atomic
def redeem_credit(
    *, user, authority: Authority, days, memo: str, on: date | None = None
) -> LedgerTransaction:
    """A council redeems its credit nationally, against the national pool (authority None), not only
    from the councils that owe it. Its own admins and national admins may; never beyond its credit."""
    require_manage(user, authority, "redeem its credit")
    days = _days(days)
    memo = memo.strip()
    if not memo:  # the statement should say what credit went on
        raise ValidationError({"memo": "Enter what the credit is redeemed for"})
    if len(memo) > 300:
        raise ValidationError({"memo": "What the credit is redeemed for must be 300 characters or fewer"})
    # Serialise redemptions of one council, so that two at once cannot both spend the same credit.
    Authority.objects.select_for_update().get(pk=authority.pk)
    balance = balance_of(authority)
    if balance <= 0:
        state = f"its balance is {days_text(-balance)} days in debit" if balance < 0 else "its balance is 0"
        message = f"{authority.name} has no credit to redeem: {state}. Nothing was changed."
        raise ValidationError({"days": ValidationError(message, code=MORE_THAN_BALANCE)})
    if days > balance:
        message = (
            f"{authority.name} has {days_text(balance)} days of credit, fewer than the {days_text(days)} "
            "you asked to redeem. Nothing was changed."
        )
        raise ValidationError({"days": ValidationError(message, code=MORE_THAN_BALANCE)})
    entry = LedgerTransaction.objects.create(
        kind=LedgerTransaction.Kind.REDEMPTION, on=on or timezone.localdate(), memo=memo, created_by=user
    )
    # One save per posting (not bulk_create), so that the audit log records each.
    LedgerEntry.objects.create(transaction=entry, authority=authority, days=-days)
    LedgerEntry.objects.create(transaction=entry, authority=None, days=days)
    return entry
