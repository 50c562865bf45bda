"""Pages that bring capabilities together (home, the authority page) and the error pages."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from slihub import sources
from slihub.accounts.selectors import can_view_contacts
from slihub.alliances import challenges, partners
from slihub.inspections import interventions
from slihub.inspections import selectors as inspections
from slihub.inspections.files import INSPECTION_SOURCES
from slihub.places import maps, selectors
from slihub.places.models import NeighbourModel
from slihub.places.page_cache import cache_published
from slihub.places.releases import INSPECTIONS, REFERENCE
from slihub.web.home import your_pages


@cache_published(datasets=[REFERENCE])
def home(request):
    """What the hub does, a way into each part for each kind of user, and a signed-in person's own pages
    (signed-out visitors all see the same page, which is cached)."""
    return render(
        request, "web/home.html", {"regions": selectors.regions(), "your_pages": your_pages(request.user)}
    )


@cache_published()
def data_sources(request):
    everything = (*sources.REFERENCE_SOURCES, *INSPECTION_SOURCES, *sources.INDICATOR_SOURCES)
    return render(request, "web/data_sources.html", {"sources": everything})


@cache_published(datasets=interventions.dated_releases(REFERENCE, INSPECTIONS), params=["model"])
def authority_detail(request, code):
    """Everything the hub knows about one authority; later capabilities add their sections here."""
    authority = selectors.authority(code)
    try:
        model = selectors.neighbour_model(request.GET.get("model"))
    except ValueError:
        model = NeighbourModel.MAY_2025
    predecessors, successors = selectors.successions(authority)
    latest_inspection, inspection_history = inspections.overview(authority)
    today = timezone.localdate()
    partner_standing, partner_changes = partners.council_standing(authority, today)
    in_force, past = interventions.for_authority(authority, today)
    # private: only what this user may see (signed-out visitors, whose page is cached, see none)
    challenge_overdue = (
        challenges.overdue_actions(user=request.user, authority=authority, today=today)
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "web/authority_detail.html",
        {
            "authority": authority,
            "model": model,
            "model_label": NeighbourModel(model).label,
            "other_models": [(value, label) for value, label in NeighbourModel.choices if value != model],
            "neighbours": selectors.neighbours(authority, model),
            "predecessors": predecessors,
            "successors": successors,
            "locator": maps.locator_map(authority),
            "can_view_contacts": can_view_contacts(request.user, authority),
            "latest_inspection": latest_inspection,
            "inspections": inspection_history,
            "partner_standing": partner_standing,
            "partner_changes": partner_changes,
            "interventions_in_force": in_force,
            "interventions_past": past,
            "challenge_overdue": challenge_overdue,
        },
    )


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):  # API clients read JSON, as from every other API error
        return JsonResponse(
            {"detail": f"No API route at {request.path}: the routes are listed at /api/v1/docs."}, status=404
        )
    return render(request, "404.html", status=404)
