"""Reads of the exchange, always through visible_to(user); the anonymised profile rule lives here."""

import math
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from slihub.accounts.models import Role, scope_of
from slihub.exchange.models import (
    Backfill,
    HelpRequest,
    LedgerEntry,
    LedgerTransaction,
    Loan,
    MatchRun,
    Specialist,
)
from slihub.places.models import Authority, Region
from slihub.stats import matching

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


# The open requests the exchange's home page lists; the rest are on the help requests page.
HOME_REQUESTS = 10


def at_a_glance(user, *, today: date | None = None) -> dict:
    """The exchange's home page in numbers, for this user: specialists listed and free now or later,
    open requests for help (the first few, soonest first), and loans agreed and not yet over."""
    today = today or timezone.localdate()
    available = listed_specialists(user).filter(windows__end__gte=today).distinct()
    open_requests = help_requests(user).filter(status=HelpRequest.Status.OPEN).order_by("start", "id")
    under_way = loans(user).filter(status__in=(Loan.Status.ACCEPTED, Loan.Status.ACTIVE))
    return {
        "specialists_available": available.count(),
        "open_requests": open_requests.count(),
        "loans_under_way": under_way.count(),
        "requests": list(open_requests[:HOME_REQUESTS]),
    }


def help_requests(user):
    return HelpRequest.objects.visible_to(user).select_related("authority", "partner")


def help_request(user, pk: int) -> HelpRequest:
    return get_object_or_404(help_requests(user), pk=pk)


def offerable_specialists(user, help_request: HelpRequest) -> list[Specialist]:
    """The active specialists the user may offer for a request: their own councils' banks, where they
    are council admins, the asking council's excepted."""
    return list(
        Specialist.objects.filter(authority_id__in=scope_of(user).admin_of, is_active=True)
        .exclude(authority_id=help_request.authority_id)
        .select_related("authority")
        .order_by("authority__name", "name")
    )


def asked_of(user, authority: Authority):
    """Open requests addressed to this council, for its own staff."""
    if not scope_of(user).can_view(authority):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(partner=authority, status=HelpRequest.Status.OPEN).select_related(
        "authority"
    )


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


def _staff(user, what: str):
    scope = scope_of(user)
    if not (scope.national or scope.coordinates):
        raise PermissionDenied(f"{what} is for national admins and alliance coordinators.")
    return scope


def flows(user) -> list[dict]:
    """Who lends to whom: agreed loans summed per (lender, borrower), largest first, with specialist-days
    agreed (each loan's planned days over its dates) and delivered (posted to the ledger). National
    admins see every flow; an alliance coordinator the flows that touch their region (the loans
    visible_to them), because other regions' loans are private to those councils."""
    _staff(user, "The exchange overview")
    agreed = Loan.objects.visible_to(user).filter(status__in=Loan.AGREED)
    delivered = dict(
        LedgerEntry.objects.filter(transaction__loan__in=agreed, days__gt=0)
        .values("transaction__loan")
        .annotate(total=Sum("days"))
        .values_list("transaction__loan", "total")
    )
    rows: dict[tuple[int, int], dict] = {}
    for loan in agreed.select_related("lender", "borrower"):
        row = rows.setdefault(
            (loan.lender_id, loan.borrower_id),
            {
                "lender": loan.lender,
                "borrower": loan.borrower,
                "loans": 0,
                "agreed": Decimal(0),
                "delivered": Decimal(0),
            },
        )
        row["loans"] += 1
        row["agreed"] += loan.planned_days
        row["delivered"] += delivered.get(loan.id, Decimal(0))
    return sorted(rows.values(), key=lambda r: (-r["agreed"], r["lender"].name, r["borrower"].name))


def overview(user) -> dict:
    """Exchange flows between councils and balances with soft-limit flags: national admins see
    everything, alliance coordinators what touches their region (whose councils `region_codes` names,
    for the map to pick out)."""
    scope = _staff(user, "The exchange overview")
    authorities = Authority.objects.filter(is_current=True)
    if not scope.national:
        authorities = authorities.filter(region__in=scope.coordinates)
    names = dict(authorities.values_list("id", "name"))
    totals = balances(list(names))
    rows = [
        {"authority": names[a], "balance": b, "flagged": abs(b) >= SOFT_LIMIT_DAYS}
        for a, b in sorted(totals.items(), key=lambda item: names.get(item[0], ""))
        if a in names
    ]
    return {
        "flows": flows(user),
        "balances": rows,
        "soft_limit": SOFT_LIMIT_DAYS,
        "regions": []
        if scope.national
        else list(Region.objects.filter(id__in=scope.coordinates).order_by("name")),
        "region_codes": set() if scope.national else set(authorities.values_list("code", flat=True)),
    }


TOP_SHARE = 0.1  # the concentration report's "top 10% of councils"


def concentration(user) -> list[dict]:
    """Per calendar quarter, how concentrated lending is over councils: the share lent by the top 10%
    of councils and the Gini index, over every current council (those that lent nothing count), in
    specialist-days of agreed loans (planned over their dates; an early end shortens them).

    England for everyone who may see it: the figures are totals that name no council. An alliance
    coordinator gets their region too (its councils, the loans they lend)."""
    scope = _staff(user, "The concentration report")
    loans = list(
        Loan.objects.filter(status__in=Loan.AGREED).values_list(
            "lender__code", "lender__region", "start", "end", "days_per_week"
        )
    )
    councils = list(Authority.objects.filter(is_current=True).values_list("code", "region"))
    areas: list[tuple[str, int | None]] = [("England", None)]
    areas += list(Region.objects.filter(id__in=scope.coordinates).order_by("name").values_list("name", "id"))
    reports = []
    for name, region in areas:
        lent = [
            matching.Loan(lender=code, start=start, end=end, weight=float(per_week) / 7)
            for code, loan_region, start, end, per_week in loans
            if region is None or loan_region == region
        ]
        # Former councils' loans (before a reorganisation) still count, with their lender.
        codes = [code for code, r in councils if region is None or r == region]
        codes += [loan.lender for loan in lent]
        counted = len(dict.fromkeys(codes))
        reports.append(
            {
                "area": name,
                "councils": counted,
                "top_councils": max(1, math.ceil(TOP_SHARE * counted - 1e-9)),
                "quarters": matching.concentration_by_quarter(lent, codes, share=TOP_SHARE),
            }
        )
    return reports


def raised_by(user, help_request: HelpRequest) -> str:
    """Who asked for help, for this reader: the person's name only to those who may see the council's
    private records; the role to every reader (others see an open request's council, not its staff)."""
    authority, raised_as = help_request.authority, help_request.raised_as
    if raised_as == Role.COUNCIL_ADMIN:
        role = f"a council admin of {authority.name}"
    elif raised_as == Role.ALLIANCE_COORDINATOR:
        role = f"the alliance coordinator for {authority.region.name}, on {authority.name}'s behalf"
    elif raised_as == Role.NATIONAL_ADMIN:
        role = f"a national admin, on {authority.name}'s behalf"
    else:
        role = ""
    person = help_request.created_by
    if person is not None and scope_of(user).can_view(authority):
        return f"{person}, {role}" if role else str(person)
    return role[:1].upper() + role[1:] if role else "Not recorded"
