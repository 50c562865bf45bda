"""Reads of the exchange, always through visible_to(user); the anonymised profile rule lives here."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404

from slihub.accounts.models import scope_of
from slihub.exchange.models import (
    Backfill,
    HelpRequest,
    LedgerEntry,
    LedgerTransaction,
    Loan,
    MatchRun,
    Specialist,
)
from slihub.places.models import Authority

# A council this far in debit or credit (specialist-days) is flagged to its alliance and national admins.
SOFT_LIMIT_DAYS = Decimal(60)


def shows_personal_details(user, specialist: Specialist) -> bool:
    """Name, email and registration number: the specialist's own council, national admins, and a
    council that has agreed a loan of them. Everyone else sees the anonymised profile."""
    scope = scope_of(user)
    if scope.national or specialist.authority_id in scope.member_of:
        return True
    return Loan.objects.filter(
        specialist=specialist, borrower__in=scope.member_of, status__in=Loan.AGREED
    ).exists()


def profile(user, specialist: Specialist) -> dict:
    """What this user may see of a specialist."""
    personal = shows_personal_details(user, specialist)
    return {
        "id": specialist.id,
        "reference": specialist.reference,
        "personal": personal,
        "name": specialist.name if personal else None,
        "email": specialist.email if personal else None,
        "swe_number": specialist.swe_number if personal else None,
        "authority": specialist.authority,
        "role": specialist.role,
        "seniority": specialist.get_seniority_display(),
        "expertise": specialist.expertise_labels(),
        "accreditation": specialist.accreditation,
        "days_per_week": specialist.days_per_week,
        "modes": [m.replace("_", " ") for m in specialist.modes],
        "windows": [(w.start, w.end) for w in specialist.windows.all()],
        "listed": specialist.consent_to_list,
    }


def specialist(user, pk: int) -> Specialist:
    return get_object_or_404(
        Specialist.objects.visible_to(user).select_related("authority").prefetch_related("windows"), pk=pk
    )


def bank_for(user, authority: Authority):
    """A council's whole bank: its own staff, its region's coordinators and national admins."""
    if not scope_of(user).can_view(authority):
        raise PermissionDenied(f"You cannot see {authority.name}'s specialist bank.")
    return (
        Specialist.objects.visible_to(user)
        .filter(authority=authority)
        .select_related("authority")
        .prefetch_related("windows")
    )


def listed_specialists(user):
    """Every specialist the user may see listed in the exchange (others' anonymised)."""
    return (
        Specialist.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("authority")
        .prefetch_related("windows")
        .order_by("authority__name", "id")
    )


def help_requests(user):
    return HelpRequest.objects.visible_to(user).select_related("authority")


def help_request(user, pk: int) -> HelpRequest:
    return get_object_or_404(help_requests(user), pk=pk)


def loans(user):
    return Loan.objects.visible_to(user).select_related("specialist", "lender", "borrower", "request")


def loan(user, pk: int) -> Loan:
    return get_object_or_404(loans(user), pk=pk)


def backfills(user, loan: Loan):
    return Backfill.objects.visible_to(user).filter(loan=loan)


def latest_runs(user):
    scope = scope_of(user)
    if not (scope.national or scope.coordinates):
        raise PermissionDenied("Matching runs are for national admins and alliance coordinators.")
    runs = MatchRun.objects.all()
    if not scope.national:
        runs = runs.filter(region__in=scope.coordinates)
    return runs


def proposals(user, run: MatchRun):
    return loans(user).filter(run=run).order_by("-score")


def balances(authority_ids=None) -> dict[int | None, Decimal]:
    """Balance (days) by authority id: credit positive, debit negative; None is the national pool."""
    rows = LedgerEntry.objects.all()
    if authority_ids is not None:
        rows = rows.filter(authority__in=authority_ids)
    return {row["authority"]: row["total"] for row in rows.values("authority").annotate(total=Sum("days"))}


def statement(user, authority: Authority) -> dict:
    """A council's ledger statement: each posting with its running balance."""
    if not scope_of(user).can_view(authority):
        raise PermissionDenied(f"You cannot see {authority.name}'s ledger statement.")
    entries = (
        LedgerEntry.objects.visible_to(user)
        .filter(authority=authority)
        .select_related("transaction__loan__lender", "transaction__loan__borrower")
    )
    running, lines = Decimal(0), []
    for entry in entries:
        running += entry.days
        t = entry.transaction
        if t.kind == LedgerTransaction.Kind.DELIVERY:
            other = t.loan.borrower if entry.days > 0 else t.loan.lender
            what = (
                f"{'Lent to' if entry.days > 0 else 'Borrowed from'} {other.name} (loan {t.loan.reference})"
            )
        else:
            what = "Credit redeemed nationally"
        lines.append(
            {
                "on": t.on,
                "what": what,
                "memo": t.memo,
                "credit": entry.days if entry.days > 0 else None,
                "debit": -entry.days if entry.days < 0 else None,
                "balance": running,
            }
        )
    return {
        "authority": authority,
        "lines": lines,
        "balance": running,
        "flagged": abs(running) >= SOFT_LIMIT_DAYS,
    }


def overview(user) -> dict:
    """Exchange flows between councils (days delivered, loans) and balances with soft-limit flags:
    national admins see everything, alliance coordinators what touches their region."""
    scope = scope_of(user)
    if not (scope.national or scope.coordinates):
        raise PermissionDenied("The exchange overview is for national admins and alliance coordinators.")
    agreed = Loan.objects.filter(status__in=Loan.AGREED)
    if not scope.national:
        agreed = agreed.filter(
            Q(lender__region__in=scope.coordinates) | Q(borrower__region__in=scope.coordinates)
        )
    flows: dict[tuple, dict] = defaultdict(lambda: {"loans": 0, "days": Decimal(0)})
    for loan_row in agreed.select_related("lender", "borrower").order_by("lender__name", "borrower__name"):
        key = (loan_row.lender.name, loan_row.borrower.name)
        flows[key]["loans"] += 1
    delivered = (
        LedgerEntry.objects.filter(transaction__loan__in=agreed, days__gt=0)
        .values("transaction__loan__lender__name", "transaction__loan__borrower__name")
        .annotate(total=Sum("days"))
    )
    for row in delivered:
        key = (row["transaction__loan__lender__name"], row["transaction__loan__borrower__name"])
        flows[key]["days"] = row["total"]
    authorities = Authority.objects.filter(is_current=True)
    if not scope.national:
        authorities = authorities.filter(region__in=scope.coordinates)
    totals = balances([a.id for a in authorities])
    names = dict(authorities.values_list("id", "name"))
    rows = [
        {"authority": names[a], "balance": b, "flagged": abs(b) >= SOFT_LIMIT_DAYS}
        for a, b in sorted(totals.items(), key=lambda item: names.get(item[0], ""))
        if a in names
    ]
    return {
        "flows": [{"lender": k[0], "borrower": k[1], **v} for k, v in sorted(flows.items())],
        "balances": rows,
        "soft_limit": SOFT_LIMIT_DAYS,
    }
