"""Partners in Practice eligibility (public) and statutory interventions (public list; national admins
record and edit them)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from slihub.alliances import interventions as services
from slihub.alliances import partners, strengths
from slihub.alliances.partner_forms import AsOfForm, InterventionForm, date_parts
from slihub.inspections import interventions as selectors
from slihub.inspections.models import Intervention
from slihub.places import selectors as places
from slihub.places.page_cache import cache_published
from slihub.places.releases import EVIDENCE, INDICATORS, INSPECTIONS, REFERENCE

DATE_PARAMS = ["as_of-day", "as_of-month", "as_of-year"]


@cache_published(datasets=selectors.dated_releases(REFERENCE, INSPECTIONS), params=DATE_PARAMS)
def partners_in_practice(request):
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    as_of = today
    status = 200
    if form.is_bound:
        if form.is_valid():
            as_of = form.cleaned_data["as_of"] or today
        else:
            status = 400
    report = partners.national(as_of)
    return render(
        request,
        "alliances/partners/national.html",
        {
            "form": form,
            "as_of_parts": date_parts(form["as_of"]) if form.is_bound else {},
            "as_of": as_of,
            "is_today": as_of == today,
            "report": report,
            "counts": report.counts(),
        },
        status=status,
    )


@cache_published(datasets=selectors.dated_releases(REFERENCE))
def intervention_list(request):
    today = timezone.localdate()
    everything = list(selectors.all_interventions())
    return render(
        request,
        "alliances/partners/interventions.html",
        {
            "in_force": [i for i in everything if i.in_force_on(today)],
            "others": [i for i in everything if not i.in_force_on(today)],
            "can_record": services.can_record(request.user),
            "today": today,
        },
    )


def _form_page(request, form, *, heading, submit, intervention=None):
    return render(
        request,
        "alliances/partners/intervention_form.html",
        {
            "form": form,
            "heading": heading,
            "submit": submit,
            "intervention": intervention,
            "dates": {name: date_parts(form[name]) for name in ("started_on", "ended_on")},
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _apply_service_errors(form, error: ValidationError):
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


@login_required
def intervention_add(request):
    if not services.can_record(request.user):
        raise PermissionDenied("Only national admins record statutory interventions.")
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record(
                user=request.user,
                authority=data["authority"],
                kind=data["kind"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                source_url=data["source_url"].strip(),
                notes=data["notes"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            return redirect(reverse("intervention-list"))
    return _form_page(
        request, form, heading="Record a statutory intervention", submit="Record the intervention"
    )


@login_required
def intervention_edit(request, pk):
    if not services.can_record(request.user):
        raise PermissionDenied("Only national admins change statutory interventions.")
    intervention = get_object_or_404(Intervention.objects.select_related("authority"), pk=pk)
    initial = {
        "kind": intervention.kind,
        "started_on": intervention.started_on,
        "ended_on": intervention.ended_on,
        "source_url": intervention.source_url,
        "notes": intervention.notes,
    }
    form = InterventionForm(request.POST or None, initial=initial, fixed_authority=intervention.authority)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update(
                user=request.user,
                intervention=intervention,
                kind=data["kind"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                source_url=data["source_url"].strip(),
                notes=data["notes"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            return redirect(reverse("intervention-list"))
    return _form_page(
        request,
        form,
        heading=f"Change or end {intervention.authority.name}'s intervention",
        submit="Save the intervention",
        intervention=intervention,
    )


@cache_published(datasets=[REFERENCE, INSPECTIONS, INDICATORS, EVIDENCE])
def council_strengths(request, code):
    """A council's specific strengths: published indicators, judgments and validated practice for
    everyone; its count of exchange specialists for signed-in users (never cached)."""
    authority = places.authority(code)
    return render(
        request,
        "alliances/partners/strengths.html",
        {"authority": authority, "found": strengths.strengths(request.user, authority)},
    )
