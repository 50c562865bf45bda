"""Support agreements between councils and their declared capacity: private. Signed-out requests answer
401; an agreement or a council's capacity the user may not see answers 404, the same as one that does
not exist. Recording an agreement that would take the supporting council beyond its declared capacity
for the year (April to March) answers 409 with the figures, unless the body confirms it."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from slihub.alliances import support
from slihub.alliances.models import AgreementStatus, Ask, Offer, SupportForm
from slihub.api.pagination import Pagination
from slihub.api.schemas import (
    BODY,
    INVALID,
    NOT_FOUND,
    SIGNED_IN,
    AuthorityRef,
    Code,
    ErrorOut,
    Id,
    InputSchema,
)
from slihub.exchange.models import Loan
from slihub.places import selectors as places

router = Router(tags=["support agreements (private)"], auth=django_auth)
ERRORS = {**SIGNED_IN, **INVALID}
Year = Annotated[int, Field(ge=support.YEARS[0], le=support.YEARS[1])]
Text = Annotated[str, Field(max_length=support.MAX_TEXT)]


class SupportAgreementOut(Schema):
    id: int
    supporting: AuthorityRef
    supported: AuthorityRef
    area: str  # a key of the exchange's expertise taxonomy, such as front_door_mash
    area_name: str
    form: str  # diagnostic, case_audit, mentoring, training or secondment
    starts_on: date
    ends_on: date
    year: int  # the support year its days count in: 2026 for April 2026 to March 2027
    days: int
    expected_outcomes: str
    achieved_outcomes: str
    status: str  # proposed, agreed, completed or cancelled (cancelled days do not count)
    ask: int | None
    offer: int | None
    loan: int | None  # the exchange loan of a secondment
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_area_name(obj):
        return obj.get_area_display()

    @staticmethod
    def resolve_ask(obj):
        return obj.ask_id

    @staticmethod
    def resolve_offer(obj):
        return obj.offer_id

    @staticmethod
    def resolve_loan(obj):
        return obj.loan_id


class OverCapacityOut(ErrorOut):
    """409: saving would take the supporting council beyond its declared capacity (or it declared none)."""

    council: str  # the supporting council's DfE code
    year: int
    capacity: int | None  # null: none declared for that year
    already_agreed: int  # days of its other agreements that count that year
    new_total: int


class SupportAgreementIn(InputSchema):
    supporting: Code  # DfE code of the council giving the support
    supported: Code
    area: Annotated[str, Field(max_length=40)]
    form: SupportForm
    starts_on: date
    ends_on: date
    days: Annotated[int, Field(ge=1, le=support.MAX_DAYS)]
    expected_outcomes: Text
    status: AgreementStatus = AgreementStatus.PROPOSED
    ask: Id | None = None
    offer: Id | None = None
    loan: Id | None = None  # for a secondment: an exchange loan from `supporting` to `supported`
    confirm_over_capacity: bool = False


class CapacityOut(Schema):
    council: AuthorityRef
    year: int  # 2026 for April 2026 to March 2027
    days: int | None  # declared; null when none
    agreed: int  # days agreed that year (all agreements but the cancelled)
    left: int | None  # days - agreed (negative beyond capacity); null when none declared


class CapacityIn(InputSchema):
    days: Annotated[int, Field(ge=0, le=support.MAX_CAPACITY)]


@router.get(
    "/support-agreements",
    response={200: list[SupportAgreementOut], **ERRORS},
    summary="The support agreements you may see",
)
@paginate(Pagination)
def list_agreements(request):
    """Latest first. The two councils (their chief executives and lead members included), either
    council's region's coordinators and national admins see an agreement."""
    return support.visible_agreements(request.auth)


@router.get(
    "/support-agreements/{agreement_id}",
    response={200: SupportAgreementOut, **NOT_FOUND, **ERRORS},
    summary="One support agreement",
)
def get_agreement(request, agreement_id: Id):
    """404 for one you may not see, the same as for one that does not exist."""
    found = support.agreement(request.auth, agreement_id)
    if found is None:
        raise Http404("No such support agreement.")
    return found


def _council(code: str, what: str):
    try:
        return places.authority(code)
    except Http404:
        raise HttpError(400, f"No council has the code {code[:20]!r} (the {what} council).") from None


def _menu_item(user, model, pk, what):
    if pk is None:
        return None
    found = model.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise HttpError(400, f"No {what} {pk} that you may see.")
    return found


@router.post(
    "/support-agreements",
    response={201: SupportAgreementOut, 409: OverCapacityOut, **BODY, **ERRORS},
    summary="Record a support agreement",
)
def create_agreement(request, payload: SupportAgreementIn):
    """A council admin of either council, a coordinator of either council's region, or a national admin
    (403 otherwise). 400 with the reason for a bad value (a council that supports itself, an end before
    the start, a loan between other councils). 409 with the figures when the supporting council's days
    that year would go beyond its declared capacity (or it declared none): send it again with
    `confirm_over_capacity: true` to save it anyway."""
    user = request.auth
    loan = None
    if payload.loan is not None:
        loan = Loan.objects.visible_to(user).filter(pk=payload.loan).first()
        if loan is None:
            raise HttpError(400, f"No exchange loan {payload.loan} that you may see.")
    try:
        made = support.create_agreement(
            user=user,
            supporting=_council(payload.supporting, "supporting"),
            supported=_council(payload.supported, "supported"),
            area=payload.area,
            form=payload.form.value,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            days=payload.days,
            expected_outcomes=payload.expected_outcomes,
            status=payload.status.value,
            ask=_menu_item(user, Ask, payload.ask, "ask"),
            offer=_menu_item(user, Offer, payload.offer, "offer"),
            loan=loan,
            confirm_over_capacity=payload.confirm_over_capacity,
        )
    except support.OverCapacity as over:
        return Status(409, {"detail": over.check.reason(), **over.check.figures()})
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return Status(201, support.agreement(user, made.pk))


def _capacity(user, code: str, year: int) -> dict:
    authority = places.authority(code)
    if not support.can_read_council(user, authority):
        raise Http404(f"No council with the code {code[:20]!r} whose support you may see.")
    use = support.capacity_use([authority], [year])[authority.pk][0]
    return {"council": authority, "year": year, "days": use.capacity, "agreed": use.agreed, "left": use.left}


@router.get(
    "/support-capacity/{code}/{year}",
    response={200: CapacityOut, **NOT_FOUND, **ERRORS},
    summary="A council's declared capacity for a year, and the days agreed",
)
def get_capacity(request, code: Code, year: Year):
    """The council's own people, its region's coordinators and national admins; 404 for anyone else."""
    return _capacity(request.auth, code, year)


@router.put(
    "/support-capacity/{code}/{year}",
    response={200: CapacityOut, **NOT_FOUND, **BODY, **ERRORS},
    summary="Declare a council's capacity for a year",
)
def put_capacity(request, code: Code, year: Year, payload: CapacityIn):
    """The council's admins, its region's coordinators and national admins (403 for others who may read
    it, 404 for anyone else). Whole days; 0 says it can give none."""
    user = request.auth
    authority = places.authority(code)
    if not support.can_read_council(user, authority):
        raise Http404(f"No council with the code {code[:20]!r} whose support you may see.")
    try:
        support.declare_capacity(user=user, authority=authority, year=year, days=payload.days)
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return _capacity(user, code, year)
