"""The progress map of an indicator and period, and its downloads.

(The catalogue is in catalogue_views.py; the authority profile and compare pages in profile_views.py.)
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from slihub.indicators import chosen, downloads, maps, markers, selectors
from slihub.indicators.formatting import TREND_ARROWS, change_text, number, value_text
from slihub.places import releases
from slihub.places.page_cache import cache_published

SORT_LABELS = {
    "name": "Authority",
    "region": "Region",
    "value": "Value",
    "rank": "Rank",
    "band": "Band",
    "neighbours": "Neighbours' average",
    "change": "Change",
    "trend": "Trend (3 periods)",
}


def _map_releases(slug: str) -> list[str]:
    """An indicator's map page reads the reference data and its own indicator's release (the whole
    bank's when addressed by numeric id)."""
    own = releases.INDICATORS if slug.isascii() and slug.isdigit() else releases.indicator(slug)
    return [releases.REFERENCE, own]


class UnknownPeriod(Http404):
    """A period the indicator has no values for: the 404 page lists the periods it has (web.not_found)."""

    def __init__(self, indicator, label: str, periods):
        super().__init__(f"{indicator.name} has no authority values for the period {label!r}.")
        self.indicator, self.label, self.periods = indicator, label, list(periods)


def _map_context(request, slug):
    indicator = selectors.indicator(slug)
    periods = selectors.map_periods(indicator)
    label = request.GET.get("period", "")
    if label:
        period = next((p for p in periods if p.label == label), None)
        if period is None:
            raise UnknownPeriod(indicator, label, periods)
    else:
        period = periods[0] if periods else None
    return indicator, periods, period


# 'la' and 'show' are in the key: a visitor's chosen authority and filter are part of the page's
# address. A signed-in user's own authority is never cached (their session cookie skips the cache).
@cache_published(datasets=_map_releases, params=["period", "sort", "order", *chosen.PARAMS])
def indicator_map(request, slug):
    indicator, periods, period = _map_context(request, slug)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in selectors.SORT_KEYS else "name"
    descending = request.GET.get("order") == "desc"
    context = {"indicator": indicator, "periods": periods, "period": period}
    if period is not None:
        table = selectors.map_table(indicator, period, periods)
        form = chosen.table_filter(request, table)
        mine = form.chosen()
        rows, shown = chosen.filter_rows(selectors.sort_rows(table.rows, sort, descending), form, mine)
        kept = {name: form.cleaned_data.get(name, "") for name in chosen.PARAMS} if form.is_valid() else {}
        dp, unit = indicator.decimal_places, indicator.unit
        pages = maps.authority_urls(table)
        context |= {
            "table": table,
            "map": maps.progress_map(table, mine),
            "filter_form": form,
            "chosen": mine,
            "shown": shown,
            "shown_rows": len(rows),
            "legend": maps.legend(table),
            "rows": [
                {
                    "row": row,
                    "value": value_text(row.value, row.status, dp, unit) if row.published else "",
                    "rank": f"{row.rank} of {row.ranked}" if row.rank else "",
                    "band": table.band_text(row),
                    "neighbours": value_text(row.neighbours, "", dp, unit),
                    "change": change_text(row.change, dp, unit),
                    "trend": row.trend_3,
                    "arrow": TREND_ARROWS.get(row.trend_3, ""),
                    "href": pages[row.authority.code],
                    "meaning": markers.describe(row.status),
                    "chosen": mine is not None and row.authority.code == mine.authority.code,
                }
                for row in rows
            ],
            "england": table.england and value_text(table.england.value, "", dp, unit),
            "regions": [(r, value_text(r.value, "", dp, unit)) for r in table.regions],
            "headers": _headers(table, sort, descending, kept),
            "sort": sort,
            "descending": descending,
            "downloads": _download_links(indicator, period),
            "has_means": any(a.basis == "mean" for a in [table.england, *table.regions] if a),
            "value_count": sum(1 for row in table.rows if row.value is not None),
            "decimal_example": number(1234.5678, dp),
        }
    response = render(request, "indicators/map.html", context)
    if context.get("filter_form") is not None and context["filter_form"].errors:
        # Made-up codes must not fill the page cache: only valid choices are stored.
        patch_cache_control(response, private=True)
    return response


def _headers(table: selectors.MapTable, sort: str, descending: bool, kept: dict[str, str]) -> list[dict]:
    """The sortable headers, keeping the chosen authority and filter; change and trend name their periods."""
    base = reverse("indicator-map", args=[table.indicator.slug])
    labels = dict(SORT_LABELS)
    if table.change_from:
        labels["change"] = f"Change since {table.change_from}"
    if len(table.trend_periods) == 3:
        labels["trend"] = f"Trend {table.trend_periods[0]} to {table.trend_periods[-1]}"
    extra = {name: value for name, value in kept.items() if value}
    headers = []
    for key, label in labels.items():
        active = key == sort
        next_order = "asc" if active and descending else "desc" if active else "asc"
        query = urlencode({"period": table.period.label, "sort": key, "order": next_order, **extra})
        headers.append(
            {
                "key": key,
                "label": label,
                "href": f"{base}?{query}#table",
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
                "numeric": key in ("value", "rank", "neighbours", "change"),
            }
        )
    return headers


def _download_links(indicator, period) -> list[dict]:
    query = "?" + urlencode({"period": period.label})
    return [
        {"label": "Table as CSV", "href": reverse("indicator-table-csv", args=[indicator.slug]) + query},
        {"label": "Table as Excel", "href": reverse("indicator-table-xlsx", args=[indicator.slug]) + query},
        {
            "label": "Every period in DfE's tidy CSV format",
            "href": reverse("indicator-tidy-csv", args=[indicator.slug]),
        },
    ]


def _table_for_download(request, slug):
    indicator, periods, period = _map_context(request, slug)
    if period is None:
        raise Http404(f"{indicator.name} has no authority values to download.")
    return selectors.map_table(indicator, period, periods)


def _attachment(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def table_csv(request, slug):
    table = _table_for_download(request, slug)
    name = downloads.filename(table.indicator, table.period, "csv")
    return _attachment(downloads.table_csv(table), "text/csv; charset=utf-8", name)


def table_xlsx(request, slug):
    table = _table_for_download(request, slug)
    name = downloads.filename(table.indicator, table.period, "xlsx")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _attachment(downloads.table_xlsx(table), xlsx, name)


def tidy_csv(request, slug):
    indicator = selectors.indicator(slug)
    content = downloads.tidy_csv(indicator, selectors.tidy_values(indicator))
    return _attachment(content, "text/csv; charset=utf-8", downloads.filename(indicator, None, "csv"))
