"""The menu of support: councils' asks and offers, and the offers that match an ask. Private to
signed-in councils, alliances and national users (401 signed out, 403 with no council, region or
national role). A council's own staff post for it (403 for another council's); bad input answers 400 or
422 with the reason."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from slihub.alliances import menu
from slihub.api.pagination import Pagination
from slihub.api.schemas import BODY, INVALID, NOT_FOUND, SIGNED_IN, AuthorityRef, Code, Id, InputSchema
from slihub.exchange.taxonomy import LABELS
from slihub.places import selectors as places
from slihub.places.models import Region

router = Router(tags=["menu of support (private)"], auth=django_auth)
ERRORS = {**SIGNED_IN, **INVALID}

AreaCode = Literal[tuple(LABELS)]


class MenuFilters(InputSchema):
    region: Code | None = Field(None, description="a region's slug or ONS code: its councils only")
    area: AreaCode | None = Field(None, description="an area of the exchange's taxonomy")
    authority: Code | None = Field(None, description="a council's DfE or ONS code: its own only")
    status: Literal["open", "closed", "all"] = Field("open", description="open (the default), closed or all")


class AskOut(Schema):
    id: int
    authority: AuthorityRef
    region: str  # the council's region's slug
    area: str
    area_name: str
    title: str
    details: str
    indicators: list[str]  # indicator slugs
    status: str  # open or closed
    posted_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_region(obj):
        return obj.authority.region.slug if obj.authority.region_id else ""

    @staticmethod
    def resolve_area_name(obj):
        return LABELS.get(obj.area, obj.area)


class SpecialistRef(Schema):
    id: int
    reference: str  # the exchange's anonymised name, like S12
    role: str


class PracticeRef(Schema):
    id: int
    title: str
    url: str


class OfferOut(AskOut):
    specialists: list[SpecialistRef]
    practices: list[PracticeRef]

    @staticmethod
    def resolve_specialists(obj):
        return [{"id": s.id, "reference": s.reference, "role": s.role} for s in obj.specialists.all()]

    @staticmethod
    def resolve_practices(obj):
        return [{"id": p.id, "title": p.title, "url": p.get_absolute_url()} for p in obj.practices.all()]


class MatchOut(Schema):
    offer: OfferOut
    same_region: bool
    reasons: list[str]  # why it matches, in plain words


class MatchesOut(Schema):
    ask: AskOut
    regional: list[MatchOut]  # the best offers from the ask's region, best first
    national: list[MatchOut]  # then the best from the rest of England


class AskIn(InputSchema):
    authority: Code = Field(..., description="the asking council's DfE or ONS code")
    area: str = Field(..., max_length=40, description="an area of the exchange's taxonomy")
    title: str = Field(..., max_length=200)
    details: str = Field("", max_length=5000)
    indicators: list[Code] = Field(default_factory=list, max_length=50, description="indicator slugs")


class OfferIn(AskIn):
    specialists: list[Id] = Field(
        default_factory=list, max_length=50, description="the council's own listed exchange specialists"
    )
    practices: list[Id] = Field(
        default_factory=list, max_length=50, description="the council's own validated local practice"
    )


def _filters(filters: MenuFilters) -> dict:
    region = None
    if filters.region:
        key = filters.region.strip()
        region = Region.objects.filter(parent=None, slug=key.lower()).first() or (
            Region.objects.filter(parent=None, code=key.upper()).first()
        )
        if region is None:
            raise Http404(f"No region has the slug or code {key[:60]!r}.")
    authority = places.authority(filters.authority) if filters.authority else None
    status = "" if filters.status == "all" else filters.status
    return {"region": region, "area": filters.area or "", "authority": authority, "status": status}


def _refuse(error: ValidationError):
    reasons = [f"{name}: {' '.join(problems)}" for name, problems in error.message_dict.items()]
    raise HttpError(400, "; ".join(reasons)) from None


def _post(request, post, payload: AskIn) -> int:
    """Posts the payload for its council through a menu service (post_ask or post_offer): the new id, or
    400 with the reason."""
    authority = places.authority(payload.authority)
    try:
        return post(user=request.auth, authority=authority, **payload.model_dump(exclude={"authority"})).id
    except ValidationError as error:
        _refuse(error)


@router.get("/asks", response={200: list[AskOut], **NOT_FOUND, **ERRORS}, summary="Asks for support")
@paginate(Pagination)
def list_asks(request, filters: Query[MenuFilters]):
    """Newest first; open ones unless `status` says otherwise. 404 for an unknown region or council."""
    menu.require_read(request.auth)
    return menu.asks(request.auth, **_filters(filters))


@router.get("/offers", response={200: list[OfferOut], **NOT_FOUND, **ERRORS}, summary="Offers of support")
@paginate(Pagination)
def list_offers(request, filters: Query[MenuFilters]):
    """Newest first, with the specialists and validated local practice that back each offer."""
    menu.require_read(request.auth)
    return menu.offers(request.auth, **_filters(filters))


@router.get(
    "/asks/{ask_id}/matches",
    response={200: MatchesOut, **NOT_FOUND, **ERRORS},
    summary="The open offers that match an ask",
)
def ask_matches(request, ask_id: Id):
    """The best three offers in the ask's region, then the best three in the rest of England, each with
    the reasons it matches. A council's own offers never match its asks; a closed ask matches nothing."""
    menu.require_read(request.auth)
    found = menu.ask(request.auth, ask_id)
    matches = menu.match_asks([found]).get(found.id) if found.status == "open" else None
    regional = matches.regional if matches else []
    national = matches.national if matches else []
    prefetch_related_objects([m.offer for m in regional + national], "specialists", "practices")

    def out(rows):
        return [{"offer": m.offer, "same_region": m.same_region, "reasons": list(m.reasons)} for m in rows]

    return {"ask": found, "regional": out(regional), "national": out(national)}


@router.post(
    "/asks",
    response={201: AskOut, **NOT_FOUND, **BODY, **ERRORS},
    summary="Post an ask for your council",
)
def create_ask(request, payload: AskIn):
    """A member or admin of the council (or a national admin); 403 for another council's, 404 for an
    unknown council, 400 with the reason for an unknown area or indicator."""
    return Status(201, menu.ask(request.auth, _post(request, menu.post_ask, payload)))


@router.post(
    "/offers",
    response={201: OfferOut, **NOT_FOUND, **BODY, **ERRORS},
    summary="Post an offer for your council",
)
def create_offer(request, payload: OfferIn):
    """Backed by the council's own strengths: indicators where it is in England's top quartile or
    improving, its listed exchange specialists and its validated local practice (400 naming any other)."""
    return Status(201, menu.offer(request.auth, _post(request, menu.post_offer, payload)))
