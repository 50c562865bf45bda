from django.shortcuts import render

from slihub.places import maps, selectors
from slihub.places.models import AuthorityType
from slihub.places.page_cache import cache_published
from slihub.places.releases import REFERENCE


@cache_published(datasets=[REFERENCE], params=["region", "type", "former", "q"])
def authority_list(request):
    region_slug = request.GET.get("region", "")
    regions = list(selectors.regions())
    region = next((r for r in regions if r.slug == region_slug), None)
    la_type = request.GET.get("type", "")
    include_former = request.GET.get("former") == "yes"
    found = list(
        selectors.authorities(
            q=request.GET.get("q", ""),
            region=region,
            la_type=la_type if la_type in AuthorityType.values else "",
            include_former=include_former,
        )
    )
    return render(
        request,
        "places/authority_list.html",
        {
            "authorities": found,
            "regions": regions,
            "region": region,
            "types": AuthorityType.choices,
            "la_type": la_type,
            "q": request.GET.get("q", ""),
            "include_former": include_former,
        },
    )


@cache_published(datasets=[REFERENCE])
def region_list(request):
    return render(request, "places/region_list.html", {"regions": selectors.regions()})


@cache_published(datasets=[REFERENCE])
def region_detail(request, slug):
    region = selectors.region(slug)
    authorities = list(selectors.region_authorities(region))
    return render(
        request,
        "places/region_detail.html",
        {
            "region": region,
            "authorities": authorities,
            "map": maps.region_map(region.name, authorities),
            "parts": region.parts.all(),
        },
    )


@cache_published(datasets=[REFERENCE], params=["colour"])
def national_map(request):
    colouring = request.GET.get("colour", "region")
    if colouring not in ("region", "type"):
        colouring = "region"
    authorities = list(selectors.authorities())
    svg, legend = maps.national_map(authorities, colouring)
    return render(
        request,
        "places/national_map.html",
        {
            "map": svg,
            "legend": legend,
            "colouring": colouring,
            "authorities": authorities,
        },
    )
