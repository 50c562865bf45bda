"""The specialist exchange: signed-in users only, everything through visible_to(user)."""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import WithJsonSchema

from slihub.api.pagination import Pagination
from slihub.api.schemas import (
    BODY,
    INVALID,
    NOT_FOUND,
    SIGNED_IN,
    Code,
    ErrorOut,
    Id,
    InputSchema,
    NumberOrText,
)
from slihub.exchange import runs, selectors, services
from slihub.places import selectors as place_selectors

router = Router(tags=["specialist exchange (private)"], auth=django_auth)
# Every route here: signed in (401), in scope (403), and its parameters (422: limit and offset, ids).
ERRORS = {**SIGNED_IN, **INVALID}
REFUSED = {409: ErrorOut}  # the exchange's rules refuse it, with the reason


# An availability window, [first day, last day]: described as a two-item array, as OpenAPI 3.1 reads it
# (pydantic's own schema for a tuple is a list of item schemas, which OpenAPI 3.1 refuses).
Window = Annotated[
    tuple[date, date],
    WithJsonSchema(
        {"type": "array", "items": {"type": "string", "format": "date"}, "minItems": 2, "maxItems": 2},
    ),
]


class SpecialistOut(Schema):
    id: int
    reference: str
    personal: bool
    name: str | None
    email: str | None
    swe_number: str | None
    council: str
    role: str
    seniority: str
    expertise: list[str]
    days_per_week: float
    modes: list[str]
    windows: list[Window]


class HelpRequestOut(Schema):
    id: int
    reference: str
    council: str
    title: str
    expertise_needed: list[str]
    description: str
    start: date
    end: date
    days_per_week: float
    mode: str
    urgency: int
    status: str
    raised_as: str
    partner: str | None


class LoanOut(Schema):
    id: int
    reference: str
    specialist: str
    request: int
    lender: str
    borrower: str
    start: date
    end: date
    days_per_week: float
    status: str
    lender_accepted: bool
    borrower_accepted: bool
    score: float | None
    explanation: str


class StatementLineOut(Schema):
    on: date
    what: str
    credit: float | None
    debit: float | None
    balance: float


class StatementOut(Schema):
    council: str
    balance: float
    flagged: bool
    lines: list[StatementLineOut]


class RedeemIn(InputSchema):
    days: NumberOrText = Field(..., description='whole or half days, as a number or a string like "2.5"')
    memo: str = Field(..., max_length=300, description="what the credit is redeemed for")


class FlowOut(Schema):
    lender: str
    lender_name: str
    borrower: str
    borrower_name: str
    loans: int
    agreed_days: float
    delivered_days: float


class QuarterOut(Schema):
    quarter: str
    start: date
    end: date
    specialist_days: float
    loan_days: int
    lenders: int
    councils: int
    top_share: float | None
    gini: float | None


class ConcentrationOut(Schema):
    area: str
    councils: int
    top_councils: int
    quarters: list[QuarterOut]


class RunOut(Schema):
    id: int | None
    total_fit: float
    objective: float
    proposals: list[LoanOut]
    unassigned: list[dict]


def _specialist(user, specialist) -> dict:
    p = selectors.profile(user, specialist)
    return p | {
        "council": specialist.authority.code,
        "days_per_week": float(specialist.days_per_week),
        "expertise": specialist.expertise,
    }


def _request(r) -> dict:
    return {
        "id": r.id,
        "reference": r.reference,
        "council": r.authority.code,
        "title": r.title,
        "expertise_needed": r.expertise_needed,
        "description": r.description,
        "start": r.start,
        "end": r.end,
        "days_per_week": float(r.days_per_week),
        "mode": r.mode,
        "urgency": r.urgency,
        "status": r.status,
        "raised_as": r.raised_as,
        "partner": r.partner.code if r.partner else None,
    }


def _loan(loan) -> dict:
    return {
        "id": loan.id,
        "reference": loan.reference,
        "specialist": loan.specialist.reference,
        "request": loan.request_id,
        "lender": loan.lender.code,
        "borrower": loan.borrower.code,
        "start": loan.start,
        "end": loan.end,
        "days_per_week": float(loan.days_per_week),
        "status": loan.status,
        "lender_accepted": bool(loan.lender_accepted_by_id),
        "borrower_accepted": bool(loan.borrower_accepted_by_id),
        "score": loan.score,
        "explanation": loan.explanation,
    }


def _refuse(error: ValidationError):
    raise HttpError(409, " ".join(error.messages)) from None


@router.get(
    "/exchange/specialists", response={200: list[SpecialistOut], **ERRORS}, summary="Specialists listed"
)
@paginate(Pagination)
def list_specialists(request):
    """Others' specialists are anonymised (no name, email or registration number) until a loan is agreed."""
    return [_specialist(request.auth, s) for s in selectors.listed_specialists(request.auth)]


@router.get(
    "/exchange/specialists/{pk}",
    response={200: SpecialistOut, **NOT_FOUND, **ERRORS},
    summary="One specialist",
)
def get_specialist(request, pk: Id):
    return _specialist(request.auth, selectors.specialist(request.auth, pk))


@router.get("/exchange/requests", response={200: list[HelpRequestOut], **ERRORS}, summary="Help requests")
@paginate(Pagination)
def list_requests(request):
    return [_request(r) for r in selectors.help_requests(request.auth)]


@router.get(
    "/exchange/requests/{pk}",
    response={200: HelpRequestOut, **NOT_FOUND, **ERRORS},
    summary="One help request",
)
def get_request(request, pk: Id):
    return _request(selectors.help_request(request.auth, pk))


class OfferIn(InputSchema):
    specialist: Id


@router.post(
    "/exchange/requests/{pk}/offer",
    response={201: LoanOut, **REFUSED, **NOT_FOUND, **BODY, **ERRORS},
    summary="Offer a specialist for a request",
)
def offer(request, pk: Id, payload: OfferIn):
    """Your council offers one of its own specialists: a proposal your side has accepted, which the
    asking council accepts or declines. 403 unless you are a council admin of the specialist's council;
    409 with the reason where the rules refuse it (request closed, specialist busy, declined before)."""
    help_request = selectors.help_request(request.auth, pk)
    specialist = selectors.specialist(request.auth, payload.specialist)
    try:
        loan = services.offer_specialist(user=request.auth, request=help_request, specialist=specialist)
    except ValidationError as error:
        _refuse(error)
    return Status(201, _loan(loan))


@router.get("/exchange/loans", response={200: list[LoanOut], **ERRORS}, summary="Loans and proposals")
@paginate(Pagination)
def list_loans(request):
    return [_loan(loan) for loan in selectors.loans(request.auth)]


@router.get("/exchange/loans/{pk}", response={200: LoanOut, **NOT_FOUND, **ERRORS}, summary="One loan")
def get_loan(request, pk: Id):
    return _loan(selectors.loan(request.auth, pk))


@router.post(
    "/exchange/loans/{pk}/accept",
    response={200: LoanOut, **REFUSED, **NOT_FOUND, **ERRORS},
    summary="Accept a loan",
)
def accept_loan(request, pk: Id):
    """Your council's side; the loan is agreed when both councils have accepted."""
    try:
        return _loan(services.accept_loan(user=request.auth, loan=selectors.loan(request.auth, pk)))
    except ValidationError as error:
        _refuse(error)


@router.post(
    "/exchange/loans/{pk}/decline",
    response={200: LoanOut, **REFUSED, **NOT_FOUND, **ERRORS},
    summary="Decline a loan",
)
def decline_loan(request, pk: Id):
    """The pair is never proposed again."""
    try:
        return _loan(services.decline_loan(user=request.auth, loan=selectors.loan(request.auth, pk)))
    except ValidationError as error:
        _refuse(error)


def _statement(user, authority) -> dict:
    s = selectors.statement(user, authority)
    return {
        "council": s["authority"].code,
        "balance": float(s["balance"]),
        "flagged": s["flagged"],
        "lines": [
            {
                **line,
                "credit": None if line["credit"] is None else float(line["credit"]),
                "debit": None if line["debit"] is None else float(line["debit"]),
                "balance": float(line["balance"]),
            }
            for line in s["lines"]
        ],
    }


@router.get(
    "/exchange/ledger/{code}",
    response={200: StatementOut, **NOT_FOUND, **ERRORS},
    summary="A council's statement",
)
def ledger(request, code: Code):
    return _statement(request.auth, place_selectors.authority(code))


@router.post(
    "/exchange/ledger/{code}/redeem",
    response={200: StatementOut, **REFUSED, **NOT_FOUND, **BODY, **ERRORS},
    summary="Redeem a council's credit nationally",
)
def redeem(request, code: Code, payload: RedeemIn):
    """The council's admins and national admins: whole or half days, at most its credit (409 beyond
    it; 400 for a bad number or no note). Answers the statement after the redemption."""
    authority = place_selectors.authority(code)
    try:
        services.redeem_credit(user=request.auth, authority=authority, days=payload.days, memo=payload.memo)
    except ValidationError as error:
        codes = {e.code for errors in getattr(error, "error_dict", {}).values() for e in errors}
        status = 409 if services.MORE_THAN_BALANCE in codes else 400
        raise HttpError(status, " ".join(error.messages)) from None
    return _statement(request.auth, authority)


@router.get(
    "/exchange/flows",
    response={200: list[FlowOut], **ERRORS},
    summary="Exchange flows (national admins and alliance coordinators)",
)
@paginate(Pagination)
def list_flows(request):
    """Agreed loans summed per lender and borrower, largest first, in specialist-days agreed and
    delivered. An alliance coordinator gets the flows that touch their region."""
    return [
        {
            "lender": f["lender"].code,
            "lender_name": f["lender"].name,
            "borrower": f["borrower"].code,
            "borrower_name": f["borrower"].name,
            "loans": f["loans"],
            "agreed_days": float(f["agreed"]),
            "delivered_days": float(f["delivered"]),
        }
        for f in selectors.flows(request.auth)
    ]


@router.get(
    "/exchange/concentration",
    response={200: list[ConcentrationOut], **ERRORS},
    summary="Concentration of lending by quarter (national admins and alliance coordinators)",
)
@paginate(Pagination)
def list_concentration(request):
    """Per calendar quarter: specialist-days lent in agreed loans, councils lending, the share lent by
    the top 10% of councils and the Gini index over all councils. England, and an alliance
    coordinator's region too."""
    return [
        {
            "area": report["area"],
            "councils": report["councils"],
            "top_councils": report["top_councils"],
            "quarters": [
                {
                    "quarter": q.quarter,
                    "start": q.start,
                    "end": q.end,
                    "specialist_days": round(q.lent, 3),
                    "loan_days": q.loan_days,
                    "lenders": q.lenders,
                    "councils": q.councils,
                    "top_share": q.top_share,
                    "gini": q.gini,
                }
                for q in report["quarters"]
            ],
        }
        for report in selectors.concentration(request.auth)
    ]


@router.post("/exchange/match", response={200: RunOut, **ERRORS}, summary="Run matching")
def match(request, dry_run: bool = False):
    """National admins and alliance coordinators: propose loans with explanations (dry_run stores nothing)."""
    run, result = runs.run_matching(user=request.auth, dry_run=dry_run)
    proposals = [_loan(loan) for loan in selectors.proposals(request.auth, run)] if run else []
    return {
        "id": run.pk if run else None,
        "total_fit": result.total_fit,
        "objective": result.objective,
        "proposals": proposals,
        "unassigned": [{"request": r, "reason": reason} for r, reason in result.unassigned],
    }
