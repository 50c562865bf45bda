from django.urls import reverse

from slihub import sources
from slihub.accounts.models import scope_of

NAVIGATION = (
    ("Authorities", "authority-list"),
    ("Regions", "region-list"),
    ("Map", "national-map"),
    ("Indicators", "indicator-catalogue"),
    ("Compare", "compare"),
    ("Evidence", "evidence-library"),
    ("Alliances", "alliance-list"),
    ("Data sources", "data-sources"),
)


def navigation(request):
    """The service navigation, with the section the page belongs to marked."""
    path = getattr(request, "path", "")
    items = []
    for label, name in NAVIGATION:
        href = reverse(name)
        items.append({"label": label, "href": href, "active": path.startswith(href), "current": path == href})
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:  # the exchange and risk scores are never public
        for label, name in (("Exchange", "exchange-home"), ("Early warning", "warning-watchlist")):
            href = reverse(name)
            items.append(
                {"label": label, "href": href, "active": path.startswith(href), "current": path == href}
            )
        if scope_of(user).national:  # imports and the schedule's jobs
            href = reverse("job-list")
            items.append(
                {"label": "Jobs", "href": href, "active": path.startswith(href), "current": path == href}
            )
        scope = scope_of(user)
        if scope.national or scope.admin_of:  # who may read the audit log (slihub.audit.selectors)
            href = reverse("audit-log")
            items.append(
                {"label": "Audit log", "href": href, "active": path.startswith(href), "current": path == href}
            )
    return {"navigation": items, "attribution_ogl": sources.OGL, "attribution_ons": sources.ONS_OS}
