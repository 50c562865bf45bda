from functools import cached_property

from django.urls import reverse

from slihub import sources
from slihub.accounts.models import scope_of
from slihub.alliances import menu
from slihub.evidence import staging
from slihub.places.models import Authority

# The service navigation holds the sections; it fits one line at 1280 pixels for every role (about 900 of
# the 960 pixels with a national admin's sections), so regions, comparing councils and the data sources
# are in the footer and the staff tools (jobs, audit log) beside "Sign out".
NAVIGATION = (
    ("Authorities", "authority-list"),
    ("Map", "national-map"),
    ("Indicators", "indicator-catalogue"),
    ("Evidence", "evidence-library"),
    ("Alliances", "alliance-list"),
    ("Workshops", "workshop-list"),
    ("Forecast", "forecast-home"),
)


def _signed_in_sections(scope) -> list[tuple[str, str]]:
    """The private sections this person may open: the exchange and risk scores are never public; a
    chief executive or lead member reads their council's risk from its page, not the watchlist.
    The staff tools are _account_tools."""
    council_or_region = scope.national or scope.member_of or scope.coordinates
    sections = [("Exchange", "exchange-home")]
    if council_or_region:
        sections.append(("Early warning", "warning-watchlist"))
    if scope.national or scope.member_of or scope.leads:  # answers are the council's; results theirs too
        sections.append(("Survey", "survey-home"))
    return sections


def _account_tools(scope) -> list[tuple[str, str]]:
    """Tools shown beside "Sign out", each only to those its page lets in: (label, address)."""
    tools = []
    if scope.national:  # imports and the schedule's jobs
        tools.append(("Jobs", reverse("job-list")))
    if scope.national or scope.admin_of:  # who may read the audit log (slihub.audit.selectors)
        tools.append(("Audit log", reverse("audit-log")))
    if scope.national:  # everyone's accounts and roles; a council's admins manage their own council's
        tools.append(("People", reverse("people-list")))
    elif scope.admin_of:
        councils = Authority.objects.filter(id__in=scope.admin_of).order_by("name")
        tools.append(("People", reverse("council-people", kwargs={"code": councils.first().code})))
    return tools


def navigation(request):
    """The service navigation, with the section the page belongs to marked."""
    path = getattr(request, "path", "")
    sections = list(NAVIGATION)
    user = getattr(request, "user", None)
    tools = []
    if user is not None and user.is_authenticated:
        scope = scope_of(user)
        sections += _signed_in_sections(scope)
        tools = _account_tools(scope)

    def items(pairs):
        links = []
        for label, href in pairs:
            active, current = path.startswith(href), path == href
            links.append({"label": label, "href": href, "active": active, "current": current})
        return links

    return {
        "navigation": items((label, reverse(name)) for label, name in sections),
        "account_tools": items(tools),
        "attribution_ogl": sources.OGL,
        "attribution_ons": sources.ONS_OS,
    }


class Can:
    """What the signed-in person may open, for templates to show only the links that will work: each
    answer is the very check the linked view makes, worked out only when a template asks."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def upload_studies(self) -> bool:  # evidence.upload_views.upload_studies
        return self.user.is_authenticated and staging.can_upload(self.user)

    @cached_property
    def study_uploads(self) -> bool:  # evidence.upload_views.upload_list
        return self.user.is_authenticated and (staging.can_upload(self.user) or staging.can_review(self.user))

    @cached_property
    def read_menu(self) -> bool:  # alliances.menu_views: the menu of support
        return self.user.is_authenticated and menu.can_read(self.user)


def permissions(request):
    return {"can": Can(request.user)}
