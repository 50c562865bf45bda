"""Reads of public reference data (all of it is public: no user scoping needed)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from slihub.places.models import (
    DEFAULT_NEIGHBOUR_MODEL,
    Authority,
    NeighbourModel,
    Region,
    StatisticalNeighbour,
    Succession,
)


def authorities(
    *, q: str = "", region: Region | None = None, la_type: str = "", include_former: bool = False
) -> QuerySet[Authority]:
    """The directory: current authorities (and former ones if asked), filtered."""
    found = Authority.objects.select_related("region", "sub_region")
    if not include_former:
        found = found.current()
    if q.strip():
        term = q.replace("\x00", "").strip()  # PostgreSQL refuses NUL characters in text
        found = found.filter(Q(name__icontains=term) | Q(code=term) | Q(ons_code__iexact=term))
    if region is not None:
        found = found.filter(Q(region=region) | Q(sub_region=region))
    if la_type:
        found = found.filter(la_type=la_type)
    return found


def authority(code: str) -> Authority:
    """The authority with this DfE, ONS or former ONS code, or 404."""
    if "\x00" in code:  # PostgreSQL refuses NUL characters in text; no code has one
        raise Http404(f"No authority has the code {code!r}.")
    try:
        return Authority.objects.select_related("region", "sub_region").by_code(code)
    except Authority.DoesNotExist:
        raise Http404(f"No authority has the code {code!r}.") from None


def neighbours(authority: Authority, model: str = DEFAULT_NEIGHBOUR_MODEL) -> list[StatisticalNeighbour]:
    return list(
        StatisticalNeighbour.objects.filter(authority=authority, model=model)
        .select_related("neighbour", "neighbour__region")
        .order_by("rank")
    )


def neighbour_model(value: str | None) -> str:
    """A valid model from a query parameter, the default when absent; ValueError when unknown."""
    if not value:
        return DEFAULT_NEIGHBOUR_MODEL
    if value not in NeighbourModel.values:
        raise ValueError(f"model must be one of {', '.join(NeighbourModel.values)}, not {value!r}")
    return value


def successions(authority: Authority) -> tuple[list[Succession], list[Succession]]:
    """(links to predecessors, links to successors) of an authority."""
    links = Succession.objects.filter(Q(predecessor=authority) | Q(successor=authority)).select_related(
        "predecessor", "successor"
    )
    return (
        [s for s in links if s.successor_id == authority.id],
        [s for s in links if s.predecessor_id == authority.id],
    )


def regions() -> QuerySet[Region]:
    """The nine English regions with how many current authorities each has."""
    # order_by again: Django drops Meta.ordering from queries with GROUP BY.
    return (
        Region.objects.filter(parent=None)
        .annotate(authority_count=Count("authorities", filter=Q(authorities__is_current=True)))
        .order_by("code")
    )


def region(slug_or_code: str) -> Region:
    if "\x00" in slug_or_code:  # PostgreSQL refuses NUL characters in text; no slug has one
        raise Http404(f"No region has the code or slug {slug_or_code!r}.")
    return get_object_or_404(
        Region.objects.select_related("parent"), Q(slug=slug_or_code) | Q(code=slug_or_code)
    )


def region_authorities(region: Region) -> QuerySet[Authority]:
    return authorities(region=region)
