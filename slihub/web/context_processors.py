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
    ("Workshops", "workshop-list"),
    ("Forecast", "forecast-home"),
    ("Data sources", "data-sources"),
)


def _signed_in_sections(scope) -> list[tuple[str, str]]:
    """The private sections this person may open: the exchange and risk scores are never public; a
    chief executive or lead member reads their council's risk from its page, not the watchlist."""
    council_or_region = scope.national or scope.member_of or scope.coordinates
    sections = [("Exchange", "exchange-home")]
    if council_or_region:
        sections.append(("Early warning", "warning-watchlist"))
    if scope.national or scope.member_of or scope.leads:  # answers are the council's; results theirs too
        sections.append(("Survey", "survey-home"))
    if scope.national:  # imports and the schedule's jobs
        sections.append(("Jobs", "job-list"))
    if scope.national or scope.admin_of:  # who may read the audit log (slihub.audit.selectors)
        sections.append(("Audit log", "audit-log"))
    return sections


def navigation(request):
    """The service navigation, with the section the page belongs to marked."""
    path = getattr(request, "path", "")
    sections = list(NAVIGATION)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        sections += _signed_in_sections(scope_of(user))
    items = []
    for label, name in sections:
        href = reverse(name)
        items.append({"label": label, "href": href, "active": path.startswith(href), "current": path == href})
    return {"navigation": items, "attribution_ogl": sources.OGL, "attribution_ons": sources.ONS_OS}
