"""Regional improvement priorities: the public list and tracking pages, and the coordinators' form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from slihub.alliances import priorities, priority_tracking, selectors
from slihub.alliances.priority_forms import PriorityForm
from slihub.alliances.services import RELEASE, can_manage, require_manage
from slihub.places.page_cache import cache_published
from slihub.places.releases import EVIDENCE, INDICATORS, REFERENCE


def _releases(**kwargs):
    return [REFERENCE, INDICATORS, RELEASE, EVIDENCE]  # the priority page lists what works


def _may_write(user, alliance) -> bool:
    return user.is_authenticated and can_manage(user, alliance)


@cache_published(datasets=_releases)
def priority_list(request, slug):
    alliance = selectors.alliance(slug)
    found = priorities.priorities(alliance)
    names = priorities.indicator_names({s for p in found for s in p.indicators or []})
    for item in found:
        item.indicator_list = [names[s] for s in item.indicators or [] if s in names]
    return render(
        request,
        "alliances/priority_list.html",
        {"alliance": alliance, "priorities": found, "can_manage": _may_write(request.user, alliance)},
    )


@cache_published(datasets=_releases)
def priority_detail(request, slug, pk):
    alliance = selectors.alliance(slug)
    item = priorities.priority(alliance, pk)
    tracked, missing = priority_tracking.track(item)
    return render(
        request,
        "alliances/priority_detail.html",
        {
            "alliance": alliance,
            "priority": item,
            "tracked": tracked,
            "missing": missing,
            "what_works": priorities.what_works([t.indicator for t in tracked]),
            "can_manage": _may_write(request.user, alliance),
        },
    )


def _form_page(request, alliance, item=None):
    initial = (
        {
            "title": item.title,
            "description": item.description,
            "indicators": "\n".join(item.indicators or []),
            "status": item.status,
        }
        if item
        else {"status": "active"}
    )
    form = PriorityForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        agreed_on=item.agreed_on if item else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = priorities.save_priority(
                user=request.user,
                alliance=alliance,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                indicators=form.slugs,
                agreed_on=form.agreed_on,
                status=form.cleaned_data["status"],
                priority=item,
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(request, f"The priority “{saved.title}” was saved.")
            return redirect("alliance-priority", slug=alliance.region.slug, pk=saved.pk)
    return render(
        request,
        "alliances/priority_form.html",
        {
            "alliance": alliance,
            "form": form,
            "errors": form.all_errors() if request.method == "POST" else [],
            "priority": item,
            "core": _core(alliance),
        },
    )


def _core(alliance):
    """The alliance's core indicators, in its order: the usual choices, listed beside the form."""
    names = priorities.indicator_names(alliance.core_indicators or [])
    return [names[s] for s in alliance.core_indicators or [] if s in names]


@login_required
def priority_new(request, slug):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    return _form_page(request, alliance)


@login_required
def priority_edit(request, slug, pk):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    return _form_page(request, alliance, priorities.priority(alliance, pk))
