"""Public reference data: authorities, statistical neighbours, regions."""

from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router
from ninja.pagination import paginate

from slihub.api.pagination import Pagination
from slihub.api.schemas import (
    INVALID,
    NOT_FOUND,
    AuthorityDetailOut,
    AuthorityOut,
    Code,
    InputSchema,
    NeighbourOut,
    QueryText,
    RegionOut,
)
from slihub.places import selectors
from slihub.places.models import AuthorityType, NeighbourModel

router = Router(tags=["places"])

TypeCode = Literal[tuple(AuthorityType.values)]
ModelCode = Literal[tuple(NeighbourModel.values)]


class AuthorityFilters(InputSchema):
    q: QueryText = ""
    region: QueryText = Field("", description="a region's ONS code or slug; 404 when it names no region")
    type: TypeCode | None = None
    include_former: bool = False


@router.get(
    "/authorities", response={200: list[AuthorityOut], **NOT_FOUND, **INVALID}, summary="List authorities"
)
@paginate(Pagination)
def list_authorities(request, filters: Query[AuthorityFilters]):
    """The 153 current authorities (and the former ones with `include_former=true`), filterable by name or
    code (`q`), region (`region`: ONS code or slug, Inner/Outer London included) and `type`."""
    region = selectors.region(filters.region) if filters.region else None
    return selectors.authorities(
        q=filters.q, region=region, la_type=filters.type or "", include_former=filters.include_former
    )


@router.get(
    "/authorities/{code}", response={200: AuthorityDetailOut, **NOT_FOUND, **INVALID}, summary="One authority"
)
def get_authority(request, code: Code):
    """An authority by its DfE code (`202`) or ONS code (`E09000007`, former codes too)."""
    return selectors.authority(code)


@router.get(
    "/authorities/{code}/neighbours",
    response={200: list[NeighbourOut], **NOT_FOUND, **INVALID},
    summary="An authority's statistical neighbours",
)
@paginate(Pagination)
def list_neighbours(request, code: Code, model: ModelCode = NeighbourModel.MAY_2025.value):
    """The ten statistical neighbours in DfE's 2025 model (default) or 2021 model, closest first."""
    return selectors.neighbours(selectors.authority(code), model)


@router.get("/regions", response={200: list[RegionOut], **INVALID}, summary="List regions")
@paginate(Pagination)
def list_regions(request):
    return selectors.regions()


@router.get("/regions/{code}", response={200: RegionOut, **NOT_FOUND, **INVALID}, summary="One region")
def get_region(request, code: Code):
    """A region by ONS code (`E12000007`) or slug (`london`)."""
    region = selectors.region(code)
    if not region.is_english_region:
        raise Http404(f"{region.name} is part of a region; ask for {region.parent.code}.")
    return selectors.regions().get(pk=region.pk)
