"""The indicator catalogue: a compact, searchable list; each indicator's definition and methodology
are on its own page (the progress map)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode

from slihub.indicators import catalogue_selectors
from slihub.indicators.classification import Outcome, Theme
from slihub.places import releases
from slihub.places.page_cache import cache_published

PER_PAGE = 100
MAX_QUERY = 200  # characters of a search read; the rest is ignored


def _choice(value: str, choices) -> str:
    return value if value in choices else ""


@cache_published(datasets=[releases.INDICATORS], params=["q", "theme", "outcome", "source", "page"])
def catalogue(request):
    found = catalogue_selectors.catalogue()
    q = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    theme = _choice(request.GET.get("theme", ""), Theme.values)
    outcome = _choice(request.GET.get("outcome", ""), Outcome.values)
    sources = found.sources
    source = _choice(request.GET.get("source", ""), dict(sources))
    rows = found.find(q=q, theme=theme, outcome=outcome, source=source)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in {"q": q, "theme": theme, "outcome": outcome, "source": source}.items() if v}
    return render(
        request,
        "indicators/catalogue.html",
        {
            "page": page,
            "q": q,
            "theme": theme,
            "outcome": outcome,
            "source": source,
            "themes": Theme.choices,
            "outcomes": Outcome.choices,
            "sources": sources,
            "pagination": _pagination(page, filters),
            "filtered": bool(filters),
        },
    )


def _pagination(page, filters: dict) -> dict:
    """The GOV.UK pagination component's items: numbers near the current page, ellipses between."""

    def href(number):
        return "?" + urlencode({**filters, "page": number})

    paginator = page.paginator
    items = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    return {
        "items": items if paginator.num_pages > 1 else [],
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
    }
