"""One authority's page for one indicator, and its table as CSV: thin views over
authority_indicator_selectors."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from slihub.indicators import authority_indicator_selectors as selectors
from slihub.indicators import chosen, downloads, series, slugs
from slihub.places import releases
from slihub.places.page_cache import cache_published

# A code keeps its base slug unless another code takes it (slugs.slugs_for): none does for the pairs.
_PAIRED_SLUGS = frozenset(slugs.base_slug(code) for code in series.PAIRS)


def _releases(code: str, slug: str) -> list[str]:
    """The page reads the reference data (authorities, neighbours) and its own indicator's release
    (the whole bank's when the indicator is addressed by its numeric id)."""
    own = releases.INDICATORS if slug.isascii() and slug.isdigit() else releases.indicator(slug)
    if slug in _PAIRED_SLUGS:  # its DfE twin's release fills some periods: any import releases the page
        return [releases.REFERENCE, own, releases.INDICATORS]
    return [releases.REFERENCE, own]


@cache_published(datasets=_releases)  # a signed-in user's page (their own authority marked) is never cached
def authority_indicator(request, code, slug):
    page = selectors.authority_indicator(code, slug)
    own = chosen.own_authority(request.user)
    return render(
        request,
        "indicators/authority_indicator.html",
        {
            "page": page,
            "authority": page.authority,
            "indicator": page.indicator,
            "csv_url": reverse("authority-indicator-csv", args=[page.authority.code, page.indicator.slug]),
            # The map with this authority highlighted in its table and on the map.
            "map_url": f"{page.indicator.get_absolute_url()}?la={page.authority.code}",
            "own_code": own.code if own else "",
            "profile_url": reverse("authority-profile", args=[page.authority.code]),
        },
    )


def authority_indicator_csv(request, code, slug):
    page = selectors.authority_indicator(code, slug)
    if not page.rows:
        raise Http404(f"{page.authority.name} has no figures of {page.indicator.name} to download.")
    response = HttpResponse(downloads.authority_series_csv(page), content_type="text/csv; charset=utf-8")
    name = f"{page.authority.code}_{page.indicator.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
