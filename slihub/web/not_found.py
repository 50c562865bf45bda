"""The 404 page, with a hint that fits what was asked for: a council code no council has, a region or
indicator the hub does not know, or a general hint. The API answers in JSON, as from any other error."""

import re

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from slihub.indicators.views import UnknownPeriod
from slihub.places.models import Authority
from slihub.web import views

# (pattern of the path, what the first part names, the list to offer)
COUNCIL_PAGES = re.compile(r"^/(authorities|forecast)/([^/]+)/")
CODE = re.compile(r"[A-Za-z0-9]{1,10}")
NAMED_PAGES = {
    "regions": ("region", "region-list", "the list of regions"),
    "indicators": ("indicator", "indicator-catalogue", "the indicator catalogue"),
    "evidence": ("practice", "evidence-library", "the evidence library"),
}


def hint(path: str) -> dict:
    """What the page says under "Page not found": a sentence and a link to the list to choose from."""
    match = COUNCIL_PAGES.match(path)
    if match:
        section, code = match.groups()
        listing = (
            ("authority-list", "the list of authorities")
            if section == "authorities"
            else (
                "forecast-home",
                "the forecasts for every council",
            )
        )
        # Only a code that could be one is looked up: PostgreSQL refuses a NUL in a query.
        authority = Authority.objects.filter(code=code).first() if CODE.fullmatch(code) else None
        if authority is None:
            named = f"the code “{code[:40]}”" if code.isprintable() else "that code"
            return {
                "sentence": f"No council has {named}. Councils are addressed by their "
                "three-digit DfE code, for example 202 for Camden.",
                "href": reverse(listing[0]),
                "label": f"Choose a council from {listing[1]}",
            }
        return {
            "sentence": f"{authority.name} has no page at this address.",
            "href": authority.get_absolute_url(),
            "label": f"Go to {authority.name}'s page",
        }
    first = path.strip("/").split("/")[0]
    if first in NAMED_PAGES and path.strip("/") != first:
        what, name, label = NAMED_PAGES[first]
        return {
            "sentence": f"The hub has no {what} at this address.",
            "href": reverse(name),
            "label": f"Choose one from {label}",
        }
    return {
        "sentence": "If you typed the web address, check it is correct. If you pasted it, check you copied "
        "the entire address.",
        "href": reverse("home"),
        "label": "Go to the SLI Hub home page",
    }


def period_hint(error: UnknownPeriod) -> dict:
    """An indicator's map asked for a period it has no values for: say which periods it has."""
    indicator, periods = error.indicator, error.periods
    href = reverse("indicator-map", args=[indicator.slug])
    if not periods:
        sentence = f"{indicator.name} has no values for any council yet, so it has no periods to choose from."
    else:
        shown = "the period" if len(periods) == 1 else f"these {len(periods)} periods"
        sentence = (
            f"{indicator.name} has no values for the period “{error.label[:40]}”. It has values for {shown}:"
        )
    return {
        "sentence": sentence,
        "periods": [{"label": p.label, "href": f"{href}?{urlencode({'period': p.label})}"} for p in periods],
        "href": href,
        "label": f"Go to the map of {indicator.name}, latest period",
    }


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return views.error_404(request, exception)
    found = period_hint(exception) if isinstance(exception, UnknownPeriod) else hint(request.path)
    return render(request, "404.html", {"hint": found}, status=404)
